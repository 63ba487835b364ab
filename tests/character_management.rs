//! Character Management: characters, what they do and say, and paraphrases ("alts").

mod common;

use common::Engine;
use common::{add, character, dump, rejected, script, section, tick, TestDb};
use fountainai::characters::{self, CharacterUpdate, NewCharacter};
use fountainai::scripts::{self, Element, ElementKind, MoveElement, NewElement};
use fountainai::sequence::ElementType;
use fountainai::{Database, Error};
use rstest::rstest;
use serde_json::json;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

async fn says(db: &Database, heading_id: i64, who: i64, text: &str) -> Element {
    add(db, heading_id, ElementKind::Dialogue, Some(who), text).await
}

async fn does(db: &Database, heading_id: i64, who: i64, text: &str) -> Element {
    add(db, heading_id, ElementKind::Action, Some(who), text).await
}

async fn described(
    db: &Database,
    script_id: i64,
    name: &str,
    description: &str,
) -> characters::Character {
    characters::create_character(
        db,
        script_id,
        NewCharacter {
            name: name.into(),
            description: Some(description.into()),
        },
    )
    .await
    .expect("create character")
}

/// Names of a script's characters in order, checking that the order runs 1..n.
async fn cast(db: &Database, script_id: i64) -> Vec<String> {
    let list = characters::list_characters(db, script_id)
        .await
        .expect("list characters");
    let numbers: Vec<Option<i64>> = list.iter().map(|c| c.sequence_number).collect();
    let expected: Vec<Option<i64>> = (1..=list.len() as i64).map(Some).collect();
    assert_eq!(numbers, expected, "character order must run 1..n");
    list.into_iter().map(|c| c.name).collect()
}

fn texts(elements: &[Element]) -> Vec<&str> {
    elements.iter().map(|e| e.text.as_str()).collect()
}

/// The paraphrase rows of the database, as `dump` renders them.
async fn paraphrase_rows(db: &Database) -> Vec<String> {
    dump(db)
        .await
        .split("\n--\n")
        .nth(4)
        .expect("paraphrase block of the dump")
        .lines()
        .map(String::from)
        .collect()
}

/// The text an original has in use: a character's description or an element's text.
async fn in_use(db: &Database, ty: ElementType, id: i64) -> String {
    match ty {
        ElementType::Character => characters::get_character(db, id).await.unwrap().description,
        _ => scripts::get_element(db, id).await.unwrap().text,
    }
}

// ---------------------------------------------------------------------------------------------
// Characters
// ---------------------------------------------------------------------------------------------

#[rstest]
#[tokio::test]
async fn characters_are_created_in_order_and_read_back(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Noir").await;
    let other = script(&t.db, "Other").await;
    let before = scripts::get_script(&t.db, s.script_id).await.unwrap();
    tick().await;

    let detective = characters::create_character(
        &t.db,
        s.script_id,
        NewCharacter {
            name: "  DETECTIVE ".into(),
            description: Some(" A tired man. ".into()),
        },
    )
    .await
    .unwrap();
    let client = character(&t.db, s.script_id, "CLIENT").await;
    let elsewhere = character(&t.db, other.script_id, "BARMAN").await;

    assert_eq!(detective.name, "DETECTIVE");
    assert_eq!(detective.description, "A tired man.");
    assert_eq!(detective.script_id, s.script_id);
    assert_eq!(detective.sequence_number, Some(1));
    assert_eq!(client.description, "");
    assert_eq!(client.sequence_number, Some(2));
    assert_eq!(
        elsewhere.sequence_number,
        Some(1),
        "each script has its own order"
    );

    assert_eq!(
        characters::get_character(&t.db, detective.character_id)
            .await
            .unwrap(),
        detective
    );
    assert_eq!(
        characters::list_characters(&t.db, s.script_id)
            .await
            .unwrap(),
        vec![detective.clone(), client]
    );
    assert_eq!(cast(&t.db, other.script_id).await, vec!["BARMAN"]);
    assert!(
        scripts::get_script(&t.db, s.script_id)
            .await
            .unwrap()
            .updated_at
            > before.updated_at,
        "a new character changes the script"
    );

    let value = serde_json::to_value(&detective).unwrap();
    assert_eq!(value["characterId"], json!(detective.character_id));
    assert_eq!(value["scriptId"], json!(s.script_id));
    assert_eq!(value["sequenceNumber"], json!(1));
}

#[rstest]
#[case::empty("")]
#[case::blank("  ")]
#[tokio::test]
async fn a_character_needs_a_name(
    #[case] name: &str,
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Noir").await;
    let kept = character(&t.db, s.script_id, "KEPT").await;
    let before = dump(&t.db).await;

    let new = NewCharacter {
        name: name.into(),
        description: None,
    };
    let error = rejected(
        characters::create_character(&t.db, s.script_id, new).await,
        "invalid_input",
    );
    assert!(matches!(error, Error::InvalidInput(_)));
    rejected(
        characters::update_character(
            &t.db,
            kept.character_id,
            CharacterUpdate {
                name: Some(name.into()),
                description: Some("changed".into()),
                ..Default::default()
            },
        )
        .await,
        "invalid_input",
    );
    assert_eq!(dump(&t.db).await, before);
}

#[rstest]
#[tokio::test]
async fn characters_of_an_unknown_script_are_not_found(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let before = dump(&t.db).await;
    let error = rejected(
        characters::create_character(
            &t.db,
            55,
            NewCharacter {
                name: "X".into(),
                description: None,
            },
        )
        .await,
        "not_found",
    );
    assert_eq!(error.to_string(), "Script not found.");
    rejected(characters::list_characters(&t.db, 55).await, "not_found");
    assert_eq!(dump(&t.db).await, before);
}

#[rstest]
#[tokio::test]
async fn a_name_is_unique_within_a_script_only(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Noir").await;
    let other = script(&t.db, "Other").await;
    character(&t.db, s.script_id, "ANNA").await;
    let before = dump(&t.db).await;

    for name in ["ANNA", " ANNA  "] {
        let error = rejected(
            characters::create_character(
                &t.db,
                s.script_id,
                NewCharacter {
                    name: name.into(),
                    description: Some("a twin".into()),
                },
            )
            .await,
            "conflict",
        );
        assert!(matches!(error, Error::Conflict(_)));
        assert!(error.to_string().contains("ANNA"), "{error}");
    }
    assert_eq!(dump(&t.db).await, before);

    let twin = character(&t.db, other.script_id, "ANNA").await;
    assert_eq!(twin.script_id, other.script_id);
    assert_eq!(cast(&t.db, s.script_id).await, vec!["ANNA"]);
    assert_eq!(cast(&t.db, other.script_id).await, vec!["ANNA"]);
}

#[rstest]
#[tokio::test]
async fn a_character_can_be_renamed_and_redescribed(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Noir").await;
    let c = described(&t.db, s.script_id, "BOB", "a clerk").await;
    let before = scripts::get_script(&t.db, s.script_id).await.unwrap();
    tick().await;

    let renamed = characters::update_character(
        &t.db,
        c.character_id,
        CharacterUpdate {
            name: Some(" ROBERT ".into()),
            description: None,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(renamed.name, "ROBERT");
    assert_eq!(renamed.description, "a clerk", "kept");
    assert_eq!(renamed.sequence_number, c.sequence_number);
    assert!(
        scripts::get_script(&t.db, s.script_id)
            .await
            .unwrap()
            .updated_at
            > before.updated_at
    );

    let same_name = characters::update_character(
        &t.db,
        c.character_id,
        CharacterUpdate {
            name: Some("ROBERT".into()),
            description: Some(" a bank clerk ".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(same_name.name, "ROBERT");
    assert_eq!(same_name.description, "a bank clerk");

    let cleared = characters::update_character(
        &t.db,
        c.character_id,
        CharacterUpdate {
            name: None,
            description: Some(String::new()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(cleared.description, "");
    assert_eq!(
        characters::get_character(&t.db, c.character_id)
            .await
            .unwrap(),
        cleared
    );
}

#[rstest]
#[tokio::test]
async fn renaming_onto_an_existing_name_is_a_conflict(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Noir").await;
    let other = script(&t.db, "Other").await;
    character(&t.db, s.script_id, "ANNA").await;
    let bob = character(&t.db, s.script_id, "BOB").await;
    character(&t.db, other.script_id, "CARL").await;
    let before = dump(&t.db).await;

    rejected(
        characters::update_character(
            &t.db,
            bob.character_id,
            CharacterUpdate {
                name: Some("ANNA".into()),
                description: Some("changed".into()),
                ..Default::default()
            },
        )
        .await,
        "conflict",
    );
    assert_eq!(dump(&t.db).await, before);
    assert_eq!(
        characters::get_character(&t.db, bob.character_id)
            .await
            .unwrap(),
        bob
    );

    // A name used only in another script is free.
    let carl = characters::update_character(
        &t.db,
        bob.character_id,
        CharacterUpdate {
            name: Some("CARL".into()),
            description: None,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(carl.name, "CARL");
}

#[rstest]
#[tokio::test]
async fn an_unknown_character_is_not_found(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Noir").await;
    character(&t.db, s.script_id, "ANNA").await;
    let before = dump(&t.db).await;

    let results = [
        characters::get_character(&t.db, 999).await.map(|_| ()),
        characters::update_character(&t.db, 999, CharacterUpdate::default())
            .await
            .map(|_| ()),
        characters::delete_character(&t.db, 999).await,
        characters::character_lines(&t.db, 999).await.map(|_| ()),
    ];
    for result in results {
        let error = rejected(result, "not_found");
        assert_eq!(error.to_string(), "Character 999 not found.");
    }
    assert_eq!(dump(&t.db).await, before);
}

#[rstest]
#[case::with_a_line(ElementKind::Dialogue)]
#[case::with_an_action(ElementKind::Action)]
#[tokio::test]
async fn a_character_with_lines_cannot_be_deleted(
    #[case] kind: ElementKind,
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Noir").await;
    let sec = section(&t.db, s.script_id, "INT. OFFICE").await;
    let anna = described(&t.db, s.script_id, "ANNA", "the lead").await;
    let line = add(
        &t.db,
        sec.heading_id,
        kind,
        Some(anna.character_id),
        "Anna's part",
    )
    .await;
    characters::add_paraphrase(
        &t.db,
        ElementType::Character,
        anna.character_id,
        "the hero",
        "",
    )
    .await
    .unwrap();
    let before = dump(&t.db).await;

    let error = rejected(
        characters::delete_character(&t.db, anna.character_id).await,
        "conflict",
    );
    assert!(error.to_string().contains("ANNA"), "{error}");

    assert_eq!(dump(&t.db).await, before, "nothing is lost");
    assert_eq!(
        characters::get_character(&t.db, anna.character_id)
            .await
            .unwrap(),
        anna
    );
    assert_eq!(
        scripts::get_element(&t.db, line.element_id).await.unwrap(),
        line
    );

    // Once the line is gone the character can go.
    scripts::delete_element(&t.db, line.element_id)
        .await
        .unwrap();
    characters::delete_character(&t.db, anna.character_id)
        .await
        .unwrap();
    rejected(
        characters::get_character(&t.db, anna.character_id).await,
        "not_found",
    );
}

#[rstest]
#[tokio::test]
async fn deleting_a_silent_character_closes_the_gap(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Noir").await;
    let sec = section(&t.db, s.script_id, "INT. OFFICE").await;
    let mut ids = Vec::new();
    for name in ["ANNA", "BOB", "CARL", "DORA"] {
        ids.push(character(&t.db, s.script_id, name).await.character_id);
    }
    says(&t.db, sec.heading_id, ids[0], "Hi.").await;
    let rows_before = paraphrase_rows(&t.db).await;
    characters::add_paraphrase(&t.db, ElementType::Character, ids[1], "a quiet man", "")
        .await
        .unwrap();

    characters::delete_character(&t.db, ids[1]).await.unwrap();
    assert_eq!(cast(&t.db, s.script_id).await, vec!["ANNA", "CARL", "DORA"]);
    assert_eq!(
        rejected(characters::get_character(&t.db, ids[1]).await, "not_found").to_string(),
        format!("Character {} not found.", ids[1])
    );
    assert_eq!(
        paraphrase_rows(&t.db).await,
        rows_before,
        "its paraphrases went with it"
    );

    characters::delete_character(&t.db, ids[3]).await.unwrap();
    assert_eq!(cast(&t.db, s.script_id).await, vec!["ANNA", "CARL"]);
    let eve = character(&t.db, s.script_id, "EVE").await;
    assert_eq!(eve.sequence_number, Some(3));
    // The name of a deleted character is free again.
    character(&t.db, s.script_id, "BOB").await;
    assert_eq!(
        cast(&t.db, s.script_id).await,
        vec!["ANNA", "CARL", "EVE", "BOB"]
    );
}

#[rstest]
#[tokio::test]
async fn character_lines_follow_story_order_across_sections(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Noir").await;
    let s1 = section(&t.db, s.script_id, "ONE").await;
    let s2 = section(&t.db, s.script_id, "TWO").await;
    let s3 = section(&t.db, s.script_id, "THREE").await;
    let hero = character(&t.db, s.script_id, "HERO").await;
    let other = character(&t.db, s.script_id, "OTHER").await;
    let silent = character(&t.db, s.script_id, "SILENT").await;

    does(&t.db, s1.heading_id, hero.character_id, "a1").await;
    says(&t.db, s1.heading_id, other.character_id, "not hers").await;
    says(&t.db, s1.heading_id, hero.character_id, "d1").await;
    says(&t.db, s2.heading_id, hero.character_id, "d2").await;
    let a2 = does(&t.db, s2.heading_id, hero.character_id, "a2").await;
    add(
        &t.db,
        s3.heading_id,
        ElementKind::Transition,
        None,
        "CUT TO:",
    )
    .await;
    let d3 = scripts::add_element(
        &t.db,
        s3.heading_id,
        NewElement {
            kind: ElementKind::Dialogue,
            text: "d3".into(),
            character_id: Some(hero.character_id),
            parenthetical: None,
            position: Some(1),
        },
    )
    .await
    .unwrap();
    says(&t.db, s3.heading_id, hero.character_id, "d4").await;

    let lines = characters::character_lines(&t.db, hero.character_id)
        .await
        .unwrap();
    assert_eq!(lines.character_id, hero.character_id);
    assert_eq!(texts(&lines.spoken_words), vec!["d1", "d2", "d3", "d4"]);
    assert_eq!(texts(&lines.actions), vec!["a1", "a2"]);

    // Story order follows the sections' new order.
    scripts::reorder_sections(&t.db, s.script_id, &[s3.heading_id, s1.heading_id])
        .await
        .unwrap();
    let lines = characters::character_lines(&t.db, hero.character_id)
        .await
        .unwrap();
    assert_eq!(texts(&lines.spoken_words), vec!["d3", "d4", "d1", "d2"]);
    assert_eq!(texts(&lines.actions), vec!["a1", "a2"]);

    // ... and an element's new place.
    scripts::move_element(
        &t.db,
        a2.element_id,
        MoveElement {
            heading_id: Some(s3.heading_id),
            position: 2,
        },
    )
    .await
    .unwrap();
    scripts::move_element(
        &t.db,
        d3.element_id,
        MoveElement {
            heading_id: None,
            position: 4,
        },
    )
    .await
    .unwrap();
    let lines = characters::character_lines(&t.db, hero.character_id)
        .await
        .unwrap();
    assert_eq!(texts(&lines.spoken_words), vec!["d4", "d3", "d1", "d2"]);
    assert_eq!(texts(&lines.actions), vec!["a2", "a1"]);

    let value = serde_json::to_value(&lines).unwrap();
    assert_eq!(value["characterId"], json!(hero.character_id));
    assert_eq!(value["spokenWords"][1]["dialogueId"], json!(d3.element_id));
    assert_eq!(value["actions"][0]["actionId"], json!(a2.element_id));

    let none = characters::character_lines(&t.db, silent.character_id)
        .await
        .unwrap();
    assert!(none.actions.is_empty() && none.spoken_words.is_empty());
    let others = characters::character_lines(&t.db, other.character_id)
        .await
        .unwrap();
    assert_eq!(texts(&others.spoken_words), vec!["not hers"]);
}

// ---------------------------------------------------------------------------------------------
// Paraphrases
// ---------------------------------------------------------------------------------------------

/// A script with one character, one action, one line and one transition.
struct Originals {
    script_id: i64,
    heading_id: i64,
    character_id: i64,
    action_id: i64,
    dialogue_id: i64,
    transition_id: i64,
}

impl Originals {
    fn id_of(&self, ty: ElementType) -> i64 {
        match ty {
            ElementType::Character => self.character_id,
            ElementType::Action => self.action_id,
            ElementType::SpokenWord => self.dialogue_id,
            other => panic!("no original of type {other}"),
        }
    }
}

async fn originals(db: &Database) -> Originals {
    let s = script(db, "Alts").await;
    let sec = section(db, s.script_id, "INT. BAR - NIGHT").await;
    let hero = described(db, s.script_id, "HERO", "A tired detective.").await;
    let a = does(
        db,
        sec.heading_id,
        hero.character_id,
        "Rain hammers the window.",
    )
    .await;
    let d = says(
        db,
        sec.heading_id,
        hero.character_id,
        "I'm done with this town.",
    )
    .await;
    let tr = add(db, sec.heading_id, ElementKind::Transition, None, "CUT TO:").await;
    Originals {
        script_id: s.script_id,
        heading_id: sec.heading_id,
        character_id: hero.character_id,
        action_id: a.element_id,
        dialogue_id: d.element_id,
        transition_id: tr.element_id,
    }
}

#[rstest]
#[case::character_description(ElementType::Character, "character", "A tired detective.")]
#[case::action(ElementType::Action, "action", "Rain hammers the window.")]
#[case::spoken_word(ElementType::SpokenWord, "spokenWord", "I'm done with this town.")]
#[tokio::test]
async fn paraphrases_are_added_listed_promoted_and_deleted(
    #[case] ty: ElementType,
    #[case] type_name: &str,
    #[case] original: &str,
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let o = originals(&t.db).await;
    let id = o.id_of(ty);
    assert!(characters::list_paraphrases(&t.db, ty, id)
        .await
        .unwrap()
        .is_empty());

    let first = characters::add_paraphrase(&t.db, ty, id, "  First alt. ", " punchier ")
        .await
        .unwrap();
    let second = characters::add_paraphrase(&t.db, ty, id, "Second alt.", "")
        .await
        .unwrap();
    assert_eq!(first.original_type, ty);
    assert_eq!(first.original_id, id);
    assert_eq!(first.text, "First alt.");
    assert_eq!(first.commentary, "punchier");
    assert!(first.created_at.ends_with('Z'));
    let value = serde_json::to_value(&first).unwrap();
    assert_eq!(value["originalType"], json!(type_name));
    assert_eq!(value["originalId"], json!(id));
    assert_eq!(value["paraphraseId"], json!(first.paraphrase_id));
    assert_eq!(
        in_use(&t.db, ty, id).await,
        original,
        "adding an alt changes nothing in use"
    );
    assert_eq!(
        characters::list_paraphrases(&t.db, ty, id).await.unwrap(),
        vec![first.clone(), second.clone()]
    );

    // Promoting swaps: the alt is in use, the alt now holds the old text.
    let promotion = characters::promote_paraphrase(&t.db, first.paraphrase_id)
        .await
        .unwrap();
    assert_eq!(promotion.text, "First alt.");
    assert_eq!(promotion.paraphrase.paraphrase_id, first.paraphrase_id);
    assert_eq!(promotion.paraphrase.text, original);
    assert_eq!(promotion.paraphrase.commentary, "punchier");
    assert_eq!(in_use(&t.db, ty, id).await, "First alt.");
    let listed = characters::list_paraphrases(&t.db, ty, id).await.unwrap();
    assert_eq!(listed, vec![promotion.paraphrase.clone(), second.clone()]);

    // Promoting the other alt keeps every text somewhere.
    let promotion = characters::promote_paraphrase(&t.db, second.paraphrase_id)
        .await
        .unwrap();
    assert_eq!(promotion.text, "Second alt.");
    assert_eq!(promotion.paraphrase.text, "First alt.");
    assert_eq!(in_use(&t.db, ty, id).await, "Second alt.");
    let alts: Vec<String> = characters::list_paraphrases(&t.db, ty, id)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.text)
        .collect();
    assert_eq!(alts, vec![original.to_string(), "First alt.".to_string()]);

    characters::delete_paraphrase(&t.db, first.paraphrase_id)
        .await
        .unwrap();
    let left: Vec<i64> = characters::list_paraphrases(&t.db, ty, id)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.paraphrase_id)
        .collect();
    assert_eq!(left, vec![second.paraphrase_id]);
    assert_eq!(
        in_use(&t.db, ty, id).await,
        "Second alt.",
        "deleting an alt changes nothing in use"
    );
    rejected(
        characters::delete_paraphrase(&t.db, first.paraphrase_id).await,
        "not_found",
    );
}

#[rstest]
#[tokio::test]
async fn paraphrases_of_one_original_are_not_listed_for_another(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let o = originals(&t.db).await;
    characters::add_paraphrase(&t.db, ElementType::Action, o.action_id, "Rain.", "")
        .await
        .unwrap();
    characters::add_paraphrase(&t.db, ElementType::SpokenWord, o.dialogue_id, "I quit.", "")
        .await
        .unwrap();
    let action_alts = characters::list_paraphrases(&t.db, ElementType::Action, o.action_id)
        .await
        .unwrap();
    assert_eq!(action_alts.len(), 1);
    assert_eq!(action_alts[0].text, "Rain.");
    assert!(
        characters::list_paraphrases(&t.db, ElementType::Character, o.character_id)
            .await
            .unwrap()
            .is_empty()
    );
}

#[rstest]
#[case::action_type_for_a_line(ElementType::Action, |o: &Originals| o.dialogue_id)]
#[case::spoken_word_type_for_an_action(ElementType::SpokenWord, |o: &Originals| o.action_id)]
#[case::spoken_word_type_for_a_transition(ElementType::SpokenWord, |o: &Originals| o.transition_id)]
#[case::action_type_for_a_transition(ElementType::Action, |o: &Originals| o.transition_id)]
#[case::unknown_action(ElementType::Action, |_: &Originals| 999)]
#[case::unknown_spoken_word(ElementType::SpokenWord, |_: &Originals| 999)]
#[case::unknown_character(ElementType::Character, |_: &Originals| 999)]
#[tokio::test]
async fn a_paraphrase_needs_an_existing_original_of_its_type(
    #[case] ty: ElementType,
    #[case] original: fn(&Originals) -> i64,
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let o = originals(&t.db).await;
    let id = original(&o);
    let before = dump(&t.db).await;

    rejected(
        characters::add_paraphrase(&t.db, ty, id, "alt", "").await,
        "not_found",
    );
    rejected(
        characters::list_paraphrases(&t.db, ty, id).await,
        "not_found",
    );
    assert_eq!(dump(&t.db).await, before);
}

#[rstest]
#[tokio::test]
async fn a_wrong_type_names_the_type_asked_for(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let o = originals(&t.db).await;
    let error = rejected(
        characters::add_paraphrase(&t.db, ElementType::Action, o.dialogue_id, "alt", "").await,
        "not_found",
    );
    assert_eq!(
        error.to_string(),
        format!("Action {} not found.", o.dialogue_id)
    );
}

#[rstest]
#[case::section(ElementType::Section)]
#[case::script(ElementType::Script)]
#[case::transition(ElementType::Transition)]
#[tokio::test]
async fn only_characters_actions_and_spoken_words_have_paraphrases(
    #[case] ty: ElementType,
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let o = originals(&t.db).await;
    let before = dump(&t.db).await;
    let id = match ty {
        ElementType::Transition => o.transition_id,
        _ => 1,
    };
    rejected(
        characters::add_paraphrase(&t.db, ty, id, "alt", "").await,
        "invalid_input",
    );
    assert_eq!(dump(&t.db).await, before);
}

#[rstest]
#[tokio::test]
async fn a_paraphrase_needs_text(#[values(Engine::Sqlite, Engine::Postgres)] engine: Engine) {
    let t = TestDb::on(engine).await;
    let o = originals(&t.db).await;
    let before = dump(&t.db).await;
    rejected(
        characters::add_paraphrase(&t.db, ElementType::Action, o.action_id, "   ", "why").await,
        "invalid_input",
    );
    assert_eq!(dump(&t.db).await, before);
}

#[rstest]
#[tokio::test]
async fn an_unknown_paraphrase_is_not_found(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let o = originals(&t.db).await;
    characters::add_paraphrase(&t.db, ElementType::Action, o.action_id, "alt", "")
        .await
        .unwrap();
    let before = dump(&t.db).await;
    let error = rejected(
        characters::promote_paraphrase(&t.db, 999).await,
        "not_found",
    );
    assert_eq!(error.to_string(), "Paraphrase 999 not found.");
    rejected(characters::delete_paraphrase(&t.db, 999).await, "not_found");
    assert_eq!(dump(&t.db).await, before);
}

#[rstest]
#[tokio::test]
async fn paraphrases_are_deleted_with_their_element(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let o = originals(&t.db).await;
    characters::add_paraphrase(
        &t.db,
        ElementType::Character,
        o.character_id,
        "A sharp cop.",
        "",
    )
    .await
    .unwrap();
    let rows_before = paraphrase_rows(&t.db).await;

    characters::add_paraphrase(&t.db, ElementType::Action, o.action_id, "Rain.", "")
        .await
        .unwrap();
    characters::add_paraphrase(&t.db, ElementType::Action, o.action_id, "Storm.", "")
        .await
        .unwrap();
    let kept =
        characters::add_paraphrase(&t.db, ElementType::SpokenWord, o.dialogue_id, "I quit.", "")
            .await
            .unwrap();

    scripts::delete_element(&t.db, o.action_id).await.unwrap();
    rejected(
        characters::list_paraphrases(&t.db, ElementType::Action, o.action_id).await,
        "not_found",
    );
    assert_eq!(
        characters::list_paraphrases(&t.db, ElementType::SpokenWord, o.dialogue_id)
            .await
            .unwrap(),
        vec![kept]
    );

    scripts::delete_element(&t.db, o.dialogue_id).await.unwrap();
    assert_eq!(
        paraphrase_rows(&t.db).await,
        rows_before,
        "only the character's alt is left"
    );
    assert_eq!(
        characters::list_paraphrases(&t.db, ElementType::Character, o.character_id)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[rstest]
#[tokio::test]
async fn paraphrases_are_deleted_with_their_section(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let o = originals(&t.db).await;
    let rows_before = paraphrase_rows(&t.db).await;
    characters::add_paraphrase(&t.db, ElementType::Action, o.action_id, "Rain.", "")
        .await
        .unwrap();
    characters::add_paraphrase(&t.db, ElementType::SpokenWord, o.dialogue_id, "I quit.", "")
        .await
        .unwrap();

    scripts::delete_section(&t.db, o.heading_id).await.unwrap();
    assert_eq!(paraphrase_rows(&t.db).await, rows_before);
}

#[rstest]
#[case::character_description(ElementType::Character)]
#[case::action(ElementType::Action)]
#[case::spoken_word(ElementType::SpokenWord)]
#[tokio::test]
async fn promoting_an_alt_marks_the_script_as_changed(
    #[case] ty: ElementType,
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let o = originals(&t.db).await;
    let alt = characters::add_paraphrase(&t.db, ty, o.id_of(ty), "Another take.", "")
        .await
        .unwrap();
    let before = scripts::get_script(&t.db, o.script_id).await.unwrap();
    tick().await;

    characters::promote_paraphrase(&t.db, alt.paraphrase_id)
        .await
        .unwrap();

    assert_eq!(in_use(&t.db, ty, o.id_of(ty)).await, "Another take.");
    let after = scripts::get_script(&t.db, o.script_id).await.unwrap();
    assert!(
        after.updated_at > before.updated_at,
        "editing the text directly would have changed updatedAt ({} -> {})",
        before.updated_at,
        after.updated_at
    );
}
