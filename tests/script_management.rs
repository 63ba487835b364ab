//! Core Script Management: scripts, their sections and the ordered elements of each section.

mod common;

use common::Engine;
use std::collections::BTreeMap;

use common::{character, dump, rejected, script, section, session, tick, TestDb};
use fountainai::characters::{self, NewCharacter};
use fountainai::scripts::{
    self, Element, ElementKind, ElementUpdate, MoveElement, NewElement, NewScript, ScriptQuery,
    ScriptUpdate,
};
use fountainai::sequence::ElementType;
use fountainai::sessions::{self, ContextTarget};
use fountainai::{Database, Error};
use rstest::rstest;
use serde_json::json;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn element(kind: ElementKind, text: &str) -> NewElement {
    NewElement {
        kind,
        text: text.into(),
        character_id: None,
        parenthetical: None,
        position: None,
    }
}

fn line(character_id: i64, text: &str) -> NewElement {
    NewElement {
        character_id: Some(character_id),
        ..element(ElementKind::Dialogue, text)
    }
}

fn at(position: i64, new: NewElement) -> NewElement {
    NewElement {
        position: Some(position),
        ..new
    }
}

async fn add(db: &Database, heading_id: i64, new: NewElement) -> Element {
    scripts::add_element(db, heading_id, new)
        .await
        .expect("add element")
}

async fn action(db: &Database, heading_id: i64, text: &str) -> Element {
    add(db, heading_id, element(ElementKind::Action, text)).await
}

#[track_caller]
fn assert_gap_free(numbers: &[Option<i64>]) {
    let expected: Vec<Option<i64>> = (1..=numbers.len() as i64).map(Some).collect();
    assert_eq!(numbers, expected, "sequence numbers must run 1..n");
}

/// The texts of a section's elements in order, checking that the order is gap-free.
async fn texts(db: &Database, heading_id: i64) -> Vec<String> {
    let elements = scripts::list_elements(db, heading_id)
        .await
        .expect("list elements");
    let numbers: Vec<Option<i64>> = elements.iter().map(|e| e.sequence_number).collect();
    assert_gap_free(&numbers);
    elements.into_iter().map(|e| e.text).collect()
}

/// The titles of a script's sections in order, checking that the order is gap-free.
async fn section_titles(db: &Database, script_id: i64) -> Vec<String> {
    let sections = scripts::list_sections(db, script_id)
        .await
        .expect("list sections");
    let numbers: Vec<Option<i64>> = sections.iter().map(|s| s.sequence_number).collect();
    assert_gap_free(&numbers);
    sections.into_iter().map(|s| s.title).collect()
}

/// The titles of all scripts in library order, checking that the order is gap-free.
async fn library(db: &Database) -> Vec<String> {
    let list = scripts::list_scripts(db, &ScriptQuery::default())
        .await
        .expect("list scripts");
    let numbers: Vec<Option<i64>> = list.scripts.iter().map(|s| s.sequence_number).collect();
    assert_gap_free(&numbers);
    list.scripts.into_iter().map(|s| s.title).collect()
}

async fn titled(db: &Database, title: &str, author: &str) {
    scripts::create_script(
        db,
        NewScript {
            title: title.into(),
            author: Some(author.into()),
            description: None,
        },
    )
    .await
    .expect("create script");
}

async fn query(db: &Database, query: ScriptQuery) -> (Vec<String>, i64) {
    let list = scripts::list_scripts(db, &query)
        .await
        .expect("list scripts");
    let titles = list.scripts.into_iter().map(|s| s.title).collect();
    (titles, list.total_count)
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

// ---------------------------------------------------------------------------------------------
// Scripts
// ---------------------------------------------------------------------------------------------

#[rstest]
#[tokio::test]
async fn a_new_script_has_its_fields_a_place_and_timestamps(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let created = scripts::create_script(
        &t.db,
        NewScript {
            title: "  The Long Night  ".into(),
            author: Some(" Ann Lee ".into()),
            description: Some("A heist.".into()),
        },
    )
    .await
    .unwrap();

    assert_eq!(created.title, "The Long Night");
    assert_eq!(created.author, "Ann Lee");
    assert_eq!(created.description, "A heist.");
    assert_eq!(created.sequence_number, Some(1));
    assert_eq!(created.created_at, created.updated_at);
    // RFC 3339 UTC with milliseconds, e.g. 2026-01-31T12:00:00.123Z
    assert_eq!(created.created_at.len(), 24, "{}", created.created_at);
    assert!(created.created_at.ends_with('Z'));
    assert_eq!(&created.created_at[10..11], "T");

    let fetched = scripts::get_script(&t.db, created.script_id).await.unwrap();
    assert_eq!(fetched, created);

    let second = script(&t.db, "Second").await;
    assert_eq!(second.sequence_number, Some(2));
    assert_eq!(second.author, "");
    assert_eq!(second.description, "");
}

#[rstest]
#[tokio::test]
async fn a_script_serializes_with_camel_case_fields(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Json").await;
    let value = serde_json::to_value(&s).unwrap();
    assert_eq!(value["scriptId"], json!(s.script_id));
    assert_eq!(value["sequenceNumber"], json!(1));
    assert_eq!(value["createdAt"], json!(s.created_at));
    assert_eq!(value["updatedAt"], json!(s.updated_at));
}

#[rstest]
#[case::empty("")]
#[case::blank("   \t ")]
#[tokio::test]
async fn a_script_needs_a_title(
    #[case] title: &str,
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    script(&t.db, "Existing").await;
    let before = dump(&t.db).await;

    let error = rejected(
        scripts::create_script(
            &t.db,
            NewScript {
                title: title.into(),
                ..Default::default()
            },
        )
        .await,
        "invalid_input",
    );
    assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");
    assert_eq!(
        serde_json::to_value(&error).unwrap(),
        json!({ "code": "invalid_input", "message": "title must not be empty" })
    );
    assert_eq!(dump(&t.db).await, before);
}

#[rstest]
#[tokio::test]
async fn editing_a_script_changes_it_and_its_updated_at(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let original = scripts::create_script(
        &t.db,
        NewScript {
            title: "Draft".into(),
            author: Some("Ann".into()),
            description: Some("first idea".into()),
        },
    )
    .await
    .unwrap();
    tick().await;

    let edited = scripts::update_script(
        &t.db,
        original.script_id,
        ScriptUpdate {
            title: Some(" Final ".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(edited.title, "Final");
    assert_eq!(edited.author, "Ann", "fields not named keep their value");
    assert_eq!(edited.description, "first idea");
    assert_eq!(edited.created_at, original.created_at);
    assert!(
        edited.updated_at > original.updated_at,
        "{} should be after {}",
        edited.updated_at,
        original.updated_at
    );
    assert_eq!(edited.sequence_number, original.sequence_number);
    tick().await;

    let again = scripts::update_script(
        &t.db,
        original.script_id,
        ScriptUpdate {
            author: Some("Bob".into()),
            description: Some("".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(again.title, "Final");
    assert_eq!(again.author, "Bob");
    assert_eq!(again.description, "");
    assert!(again.updated_at > edited.updated_at);
    assert_eq!(
        scripts::get_script(&t.db, original.script_id)
            .await
            .unwrap(),
        again
    );
}

#[rstest]
#[tokio::test]
async fn a_script_cannot_lose_its_title(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Keep me").await;
    let before = dump(&t.db).await;
    let error = rejected(
        scripts::update_script(
            &t.db,
            s.script_id,
            ScriptUpdate {
                title: Some("  ".into()),
                author: Some("Someone".into()),
                ..Default::default()
            },
        )
        .await,
        "invalid_input",
    );
    assert!(matches!(error, Error::InvalidInput(_)));
    assert_eq!(dump(&t.db).await, before);
}

#[rstest]
#[tokio::test]
async fn an_unknown_script_is_not_found(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    script(&t.db, "Present").await;
    let before = dump(&t.db).await;
    let missing = 4242;

    let errors = [
        scripts::get_script(&t.db, missing).await.map(|_| ()),
        scripts::update_script(
            &t.db,
            missing,
            ScriptUpdate {
                title: Some("x".into()),
                ..Default::default()
            },
        )
        .await
        .map(|_| ()),
        scripts::delete_script(&t.db, missing).await,
        scripts::add_section(&t.db, missing, "INT. NOWHERE")
            .await
            .map(|_| ()),
        scripts::list_sections(&t.db, missing).await.map(|_| ()),
        scripts::reorder_sections(&t.db, missing, &[1])
            .await
            .map(|_| ()),
    ];
    for result in errors {
        let error = rejected(result, "not_found");
        assert!(matches!(error, Error::NotFound(_)));
        assert_eq!(error.to_string(), "Script not found.");
    }
    assert_eq!(dump(&t.db).await, before);
}

#[rstest]
#[case::first_page(Some(2), None, &["A", "B"])]
#[case::second_page(Some(2), Some(2), &["C", "D"])]
#[case::last_page(Some(2), Some(4), &["E"])]
#[case::past_the_end(Some(2), Some(5), &[])]
#[case::offset_only(None, Some(3), &["D", "E"])]
#[case::limit_zero(Some(0), None, &[])]
#[case::everything(None, None, &["A", "B", "C", "D", "E"])]
#[tokio::test]
async fn scripts_list_in_library_order_by_page(
    #[case] limit: Option<i64>,
    #[case] offset: Option<i64>,
    #[case] expected: &[&str],
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    for title in ["A", "B", "C", "D", "E"] {
        script(&t.db, title).await;
    }
    let (titles, total) = query(
        &t.db,
        ScriptQuery {
            limit,
            offset,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(titles, strings(expected));
    assert_eq!(total, 5, "totalCount ignores paging");
}

#[rstest]
#[case::title_any_case(Some("ghost"), None, &["The Ghost Ship", "GHOSTS of Mars", "Ghostwriter"])]
#[case::title_upper_query(Some("LIGHT"), None, &["Daylight", "Moonlight"])]
#[case::title_middle(Some("s OF m"), None, &["GHOSTS of Mars"])]
#[case::author_any_case(None, Some("ANN"), &["The Ghost Ship", "Ghostwriter", "Daylight"])]
#[case::both(Some("ghost"), Some("ann"), &["The Ghost Ship", "Ghostwriter"])]
#[case::no_match(Some("zebra"), None, &[])]
#[case::empty_filter_is_no_filter(Some(""), Some(""), &["The Ghost Ship", "GHOSTS of Mars", "Ghostwriter", "Daylight", "Moonlight"])]
#[tokio::test]
async fn scripts_filter_by_title_and_author_ignoring_case(
    #[case] title: Option<&str>,
    #[case] author: Option<&str>,
    #[case] expected: &[&str],
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    for (title, author) in [
        ("The Ghost Ship", "Ann Lee"),
        ("GHOSTS of Mars", "Bob Ray"),
        ("Ghostwriter", "marianne roe"),
        ("Daylight", "ANNA Karen"),
        ("Moonlight", "Carl"),
    ] {
        titled(&t.db, title, author).await;
    }
    let filter = |limit| ScriptQuery {
        limit,
        offset: None,
        title: title.map(String::from),
        author: author.map(String::from),
    };

    let (all, total) = query(&t.db, filter(None)).await;
    assert_eq!(all, strings(expected));
    assert_eq!(total, expected.len() as i64);

    let (first, total) = query(&t.db, filter(Some(1))).await;
    assert_eq!(first, strings(&expected[..expected.len().min(1)]));
    assert_eq!(
        total,
        expected.len() as i64,
        "totalCount counts all matches"
    );
}

#[rstest]
#[case::percent("%", &["100% Love"])]
#[case::percent_inside("0%", &["100% Love"])]
#[case::underscore("_", &["snake_case"])]
#[case::underscore_inside("e_c", &["snake_case"])]
#[case::backslash("\\", &["back\\slash"])]
#[case::escaped_looking("\\%", &[])]
#[tokio::test]
async fn like_wildcards_in_a_filter_are_taken_literally(
    #[case] filter: &str,
    #[case] expected: &[&str],
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    for title in [
        "100% Love",
        "100 Days",
        "snake_case",
        "snakeXcase",
        "back\\slash",
        "Plain",
    ] {
        titled(&t.db, title, filter).await;
    }
    let (titles, total) = query(
        &t.db,
        ScriptQuery {
            title: Some(filter.into()),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(titles, strings(expected));
    assert_eq!(total, expected.len() as i64);

    // The same holds for the author filter: every script has `filter` as its author, so a
    // literal match finds them all and a wildcard-looking filter finds nothing else.
    let (by_author, _) = query(
        &t.db,
        ScriptQuery {
            author: Some(filter.into()),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(by_author.len(), 6);
}

#[rstest]
#[tokio::test]
async fn filters_ignore_case_beyond_ascii(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    titled(&t.db, "Élodie's Dream", "Zoë Ørsted").await;
    titled(&t.db, "Other", "Someone").await;
    // Even the title's own spelling is not found: the filter is lower-cased in Rust (É → é)
    // but SQLite's LOWER() leaves non-ASCII letters as they are.
    let (exact, _) = query(
        &t.db,
        ScriptQuery {
            title: Some("Élodie".into()),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(exact, strings(&["Élodie's Dream"]));
    let (by_title, _) = query(
        &t.db,
        ScriptQuery {
            title: Some("élodie".into()),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(by_title, strings(&["Élodie's Dream"]));
    let (by_author, _) = query(
        &t.db,
        ScriptQuery {
            author: Some("ZOË ØRSTED".into()),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(by_author, strings(&["Élodie's Dream"]));
}

#[rstest]
#[case::negative_limit(Some(-1), None)]
#[case::negative_offset(None, Some(-1))]
#[tokio::test]
async fn negative_paging_is_rejected(
    #[case] limit: Option<i64>,
    #[case] offset: Option<i64>,
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    script(&t.db, "Any").await;
    rejected(
        scripts::list_scripts(
            &t.db,
            &ScriptQuery {
                limit,
                offset,
                ..Default::default()
            },
        )
        .await,
        "invalid_input",
    );
}

/// Everything a script can own: sections, elements, characters, paraphrases, a session with
/// contexts.
struct Populated {
    script_id: i64,
    heading_ids: Vec<i64>,
    element_ids: Vec<i64>,
    character_id: i64,
    session_id: i64,
}

async fn populate(db: &Database, title: &str) -> Populated {
    let s = script(db, title).await;
    let s1 = section(db, s.script_id, "INT. KITCHEN - DAY").await;
    let s2 = section(db, s.script_id, "EXT. GARDEN - NIGHT").await;
    let hero = characters::create_character(
        db,
        s.script_id,
        NewCharacter {
            name: "HERO".into(),
            description: Some("brave".into()),
        },
    )
    .await
    .unwrap();
    let a = action(db, s1.heading_id, "Hero enters.").await;
    let d = add(db, s1.heading_id, line(hero.character_id, "Hello.")).await;
    let tr = add(
        db,
        s2.heading_id,
        element(ElementKind::Transition, "CUT TO:"),
    )
    .await;
    characters::add_paraphrase(db, ElementType::Character, hero.character_id, "bold", "")
        .await
        .unwrap();
    characters::add_paraphrase(db, ElementType::Action, a.element_id, "Hero walks in.", "")
        .await
        .unwrap();
    characters::add_paraphrase(db, ElementType::SpokenWord, d.element_id, "Hi.", "shorter")
        .await
        .unwrap();
    let session = session(db, s.script_id).await;
    let data = BTreeMap::from([("mood".to_string(), "tense".to_string())]);
    for target in [
        ContextTarget {
            heading_id: Some(s1.heading_id),
            ..Default::default()
        },
        ContextTarget {
            character_id: Some(hero.character_id),
            ..Default::default()
        },
        ContextTarget {
            element_id: Some(d.element_id),
            ..Default::default()
        },
    ] {
        sessions::set_context(db, session.session_id, target, &data, &[])
            .await
            .unwrap();
    }
    Populated {
        script_id: s.script_id,
        heading_ids: vec![s1.heading_id, s2.heading_id],
        element_ids: vec![a.element_id, d.element_id, tr.element_id],
        character_id: hero.character_id,
        session_id: session.session_id,
    }
}

#[rstest]
#[tokio::test]
async fn deleting_a_script_removes_everything_it_owns_and_nothing_else(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let kept = populate(&t.db, "Kept").await;
    let before = dump(&t.db).await;

    let doomed = populate(&t.db, "Doomed").await;
    assert_ne!(dump(&t.db).await, before);
    scripts::delete_script(&t.db, doomed.script_id)
        .await
        .unwrap();

    // Sections, elements, characters, paraphrases and context entries are all gone, and the
    // other script is untouched.
    assert_eq!(dump(&t.db).await, before);

    let missing = rejected(
        scripts::get_script(&t.db, doomed.script_id).await,
        "not_found",
    );
    assert_eq!(missing.to_string(), "Script not found.");
    for heading in &doomed.heading_ids {
        rejected(scripts::get_section(&t.db, *heading).await, "not_found");
    }
    for element in &doomed.element_ids {
        rejected(scripts::get_element(&t.db, *element).await, "not_found");
    }
    rejected(
        characters::get_character(&t.db, doomed.character_id).await,
        "not_found",
    );
    rejected(
        sessions::get_session(&t.db, doomed.session_id).await,
        "not_found",
    );
    assert!(sessions::list_sessions(&t.db, Some(doomed.script_id))
        .await
        .unwrap()
        .is_empty());
    let remaining: Vec<i64> = sessions::list_sessions(&t.db, None)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.session_id)
        .collect();
    assert_eq!(remaining, vec![kept.session_id]);
    assert_eq!(
        sessions::get_context(&t.db, kept.session_id)
            .await
            .unwrap()
            .contexts
            .len(),
        3
    );

    rejected(
        scripts::delete_script(&t.db, doomed.script_id).await,
        "not_found",
    );
}

#[rstest]
#[tokio::test]
async fn deleting_a_script_closes_the_gap_in_the_library_order(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let mut ids = Vec::new();
    for title in ["One", "Two", "Three", "Four"] {
        ids.push(script(&t.db, title).await.script_id);
    }

    scripts::delete_script(&t.db, ids[1]).await.unwrap();
    assert_eq!(library(&t.db).await, strings(&["One", "Three", "Four"]));

    scripts::delete_script(&t.db, ids[0]).await.unwrap();
    assert_eq!(library(&t.db).await, strings(&["Three", "Four"]));

    let five = script(&t.db, "Five").await;
    assert_eq!(five.sequence_number, Some(3));
    assert_eq!(library(&t.db).await, strings(&["Three", "Four", "Five"]));
}

// ---------------------------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------------------------

#[rstest]
#[tokio::test]
async fn sections_are_added_in_order_and_can_be_read_back(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Scenes").await;
    let other = script(&t.db, "Other").await;
    section(&t.db, other.script_id, "INT. ELSEWHERE").await;

    let first = scripts::add_section(&t.db, s.script_id, "  INT. HOUSE - DAY ")
        .await
        .unwrap();
    let second = section(&t.db, s.script_id, "EXT. STREET - NIGHT").await;
    let first_id = first.heading_id;
    assert_eq!(first.title, "INT. HOUSE - DAY");
    assert_eq!(first.script_id, s.script_id);
    assert_eq!(first.sequence_number, Some(1));
    assert_eq!(second.sequence_number, Some(2));

    assert_eq!(
        scripts::get_section(&t.db, second.heading_id)
            .await
            .unwrap(),
        second
    );
    assert_eq!(
        scripts::list_sections(&t.db, s.script_id).await.unwrap(),
        vec![first, second]
    );
    assert_eq!(
        section_titles(&t.db, other.script_id).await,
        strings(&["INT. ELSEWHERE"])
    );

    let value = serde_json::to_value(scripts::get_section(&t.db, first_id).await.unwrap()).unwrap();
    assert_eq!(value["headingId"], json!(first_id));
    assert_eq!(value["scriptId"], json!(s.script_id));
    assert_eq!(value["sequenceNumber"], json!(1));
}

#[rstest]
#[tokio::test]
async fn a_section_needs_a_title(#[values(Engine::Sqlite, Engine::Postgres)] engine: Engine) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Scenes").await;
    let kept = section(&t.db, s.script_id, "INT. HOUSE").await;
    let before = dump(&t.db).await;

    rejected(
        scripts::add_section(&t.db, s.script_id, " ").await,
        "invalid_input",
    );
    rejected(
        scripts::update_section(&t.db, kept.heading_id, "").await,
        "invalid_input",
    );
    assert_eq!(dump(&t.db).await, before);
}

#[rstest]
#[tokio::test]
async fn renaming_a_section_changes_its_title_and_the_script_updated_at(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Scenes").await;
    let sec = section(&t.db, s.script_id, "INT. HOUSE").await;
    let before = scripts::get_script(&t.db, s.script_id).await.unwrap();
    tick().await;

    let renamed = scripts::update_section(&t.db, sec.heading_id, "INT. MANSION")
        .await
        .unwrap();
    assert_eq!(renamed.title, "INT. MANSION");
    assert_eq!(renamed.sequence_number, sec.sequence_number);
    assert_eq!(
        scripts::get_section(&t.db, sec.heading_id).await.unwrap(),
        renamed
    );
    let after = scripts::get_script(&t.db, s.script_id).await.unwrap();
    assert!(after.updated_at > before.updated_at);
}

#[rstest]
#[tokio::test]
async fn an_unknown_section_is_not_found(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Scenes").await;
    section(&t.db, s.script_id, "INT. HOUSE").await;
    let before = dump(&t.db).await;

    let results = [
        scripts::get_section(&t.db, 999).await.map(|_| ()),
        scripts::update_section(&t.db, 999, "x").await.map(|_| ()),
        scripts::delete_section(&t.db, 999).await,
        scripts::list_elements(&t.db, 999).await.map(|_| ()),
        scripts::add_element(&t.db, 999, element(ElementKind::Action, "x"))
            .await
            .map(|_| ()),
    ];
    for result in results {
        assert_eq!(
            rejected(result, "not_found").to_string(),
            "Section 999 not found."
        );
    }
    assert_eq!(dump(&t.db).await, before);
}

#[rstest]
#[tokio::test]
async fn deleting_a_section_closes_the_gap_and_removes_its_elements_and_contexts(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Scenes").await;
    let a = section(&t.db, s.script_id, "A").await;
    let b = section(&t.db, s.script_id, "B").await;
    let c = section(&t.db, s.script_id, "C").await;
    let in_b = action(&t.db, b.heading_id, "gone").await;
    let in_c = action(&t.db, c.heading_id, "stays").await;
    let session = session(&t.db, s.script_id).await;
    let data = BTreeMap::from([("mood".to_string(), "calm".to_string())]);
    for target in [
        ContextTarget {
            heading_id: Some(b.heading_id),
            ..Default::default()
        },
        ContextTarget {
            element_id: Some(in_b.element_id),
            ..Default::default()
        },
        ContextTarget {
            heading_id: Some(c.heading_id),
            ..Default::default()
        },
    ] {
        sessions::set_context(&t.db, session.session_id, target, &data, &[])
            .await
            .unwrap();
    }

    scripts::delete_section(&t.db, b.heading_id).await.unwrap();

    assert_eq!(
        section_titles(&t.db, s.script_id).await,
        strings(&["A", "C"])
    );
    rejected(scripts::get_section(&t.db, b.heading_id).await, "not_found");
    rejected(
        scripts::get_element(&t.db, in_b.element_id).await,
        "not_found",
    );
    assert_eq!(texts(&t.db, c.heading_id).await, strings(&["stays"]));
    assert_eq!(
        scripts::get_element(&t.db, in_c.element_id).await.unwrap(),
        in_c
    );
    let contexts = sessions::get_context(&t.db, session.session_id)
        .await
        .unwrap()
        .contexts;
    assert_eq!(contexts.len(), 1);
    assert_eq!(contexts[0].heading_id, Some(c.heading_id));

    // A new section goes after the remaining ones.
    let d = section(&t.db, s.script_id, "D").await;
    assert_eq!(d.sequence_number, Some(3));
    assert_eq!(a.sequence_number, Some(1));
}

/// Sections A, B, C, D of one script and X of another.
struct Sections {
    script_id: i64,
    a: i64,
    b: i64,
    c: i64,
    d: i64,
    x: i64,
}

async fn four_sections(db: &Database) -> Sections {
    let s = script(db, "Ordered").await;
    let other = script(db, "Other").await;
    let mut ids = Vec::new();
    for title in ["A", "B", "C", "D"] {
        ids.push(section(db, s.script_id, title).await.heading_id);
    }
    let x = section(db, other.script_id, "X").await.heading_id;
    Sections {
        script_id: s.script_id,
        a: ids[0],
        b: ids[1],
        c: ids[2],
        d: ids[3],
        x,
    }
}

#[rstest]
#[case::full(|s: &Sections| vec![s.d, s.b, s.a, s.c], &["D", "B", "A", "C"])]
#[case::reverse(|s: &Sections| vec![s.d, s.c, s.b, s.a], &["D", "C", "B", "A"])]
#[case::partial_one(|s: &Sections| vec![s.c], &["C", "A", "B", "D"])]
#[case::partial_two(|s: &Sections| vec![s.d, s.c], &["D", "C", "A", "B"])]
#[case::unchanged(|s: &Sections| vec![s.a, s.b], &["A", "B", "C", "D"])]
#[tokio::test]
async fn sections_can_be_reordered_fully_or_partly(
    #[case] order: fn(&Sections) -> Vec<i64>,
    #[case] expected: &[&str],
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = four_sections(&t.db).await;
    let result = scripts::reorder_sections(&t.db, s.script_id, &order(&s))
        .await
        .unwrap();

    assert_eq!(result.script_id, s.script_id);
    assert_eq!(section_titles(&t.db, s.script_id).await, strings(expected));
    let listed: Vec<(i64, i64)> = scripts::list_sections(&t.db, s.script_id)
        .await
        .unwrap()
        .into_iter()
        .map(|sec| (sec.heading_id, sec.sequence_number.unwrap()))
        .collect();
    let reported: Vec<(i64, i64)> = result
        .updated_elements
        .iter()
        .map(|p| (p.heading_id, p.new_sequence))
        .collect();
    assert_eq!(
        reported, listed,
        "the result lists every section in its new place"
    );
}

#[rstest]
#[case::duplicate_id(|s: &Sections| vec![s.b, s.a, s.b], "invalid_input")]
#[case::unknown_id(|s: &Sections| vec![s.b, 9999], "not_found")]
#[case::section_of_another_script(|s: &Sections| vec![s.b, s.x], "invalid_input")]
#[case::only_another_scripts_section(|s: &Sections| vec![s.x], "invalid_input")]
#[case::empty(|_: &Sections| vec![], "invalid_input")]
#[tokio::test]
async fn a_bad_section_order_is_rejected_and_changes_nothing(
    #[case] order: fn(&Sections) -> Vec<i64>,
    #[case] code: &str,
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = four_sections(&t.db).await;
    let before = dump(&t.db).await;

    rejected(
        scripts::reorder_sections(&t.db, s.script_id, &order(&s)).await,
        code,
    );

    assert_eq!(dump(&t.db).await, before);
    assert_eq!(
        section_titles(&t.db, s.script_id).await,
        strings(&["A", "B", "C", "D"])
    );
}

// ---------------------------------------------------------------------------------------------
// Elements
// ---------------------------------------------------------------------------------------------

#[rstest]
#[tokio::test]
async fn elements_of_every_kind_are_added_in_order(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Kinds").await;
    let sec = section(&t.db, s.script_id, "INT. STAGE").await;
    let singer = character(&t.db, s.script_id, "SINGER").await;

    let act = add(
        &t.db,
        sec.heading_id,
        NewElement {
            character_id: Some(singer.character_id),
            ..element(ElementKind::Action, "The singer bows.")
        },
    )
    .await;
    let dia = add(
        &t.db,
        sec.heading_id,
        line(singer.character_id, "Thank you!"),
    )
    .await;
    let tra = add(
        &t.db,
        sec.heading_id,
        element(ElementKind::Transition, "CUT TO:"),
    )
    .await;
    let lyr = add(
        &t.db,
        sec.heading_id,
        NewElement {
            character_id: Some(singer.character_id),
            ..element(ElementKind::Lyrics, "La la la")
        },
    )
    .await;
    add(
        &t.db,
        sec.heading_id,
        element(ElementKind::Centered, "THE END"),
    )
    .await;
    add(
        &t.db,
        sec.heading_id,
        element(ElementKind::Note, "fix later"),
    )
    .await;
    add(
        &t.db,
        sec.heading_id,
        element(ElementKind::Synopsis, "She sings."),
    )
    .await;
    let brk = add(&t.db, sec.heading_id, element(ElementKind::PageBreak, "")).await;
    add(
        &t.db,
        sec.heading_id,
        element(ElementKind::Section, "ACT TWO"),
    )
    .await;
    add(&t.db, sec.heading_id, element(ElementKind::Boneyard, "cut")).await;

    assert_eq!(act.kind, ElementKind::Action);
    assert_eq!(act.character_id, Some(singer.character_id));
    assert_eq!(act.heading_id, sec.heading_id);
    assert_eq!(act.sequence_number, Some(1));
    assert_eq!(dia.kind, ElementKind::Dialogue);
    assert_eq!(dia.character_id, Some(singer.character_id));
    assert_eq!(tra.character_id, None);
    assert_eq!(lyr.character_id, Some(singer.character_id));
    assert_eq!(brk.sequence_number, Some(8));
    assert_eq!(brk.text, "");

    let listed = scripts::list_elements(&t.db, sec.heading_id).await.unwrap();
    let kinds: Vec<ElementKind> = listed.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ElementKind::ALL.to_vec());
    assert_eq!(
        texts(&t.db, sec.heading_id).await,
        strings(&[
            "The singer bows.",
            "Thank you!",
            "CUT TO:",
            "La la la",
            "THE END",
            "fix later",
            "She sings.",
            "",
            "ACT TWO",
            "cut",
        ])
    );
    assert_eq!(
        scripts::get_element(&t.db, dia.element_id).await.unwrap(),
        dia
    );
    let kinds_json: Vec<serde_json::Value> = listed
        .iter()
        .map(|e| serde_json::to_value(e).unwrap()["kind"].clone())
        .collect();
    assert_eq!(
        kinds_json,
        vec![
            json!("action"),
            json!("dialogue"),
            json!("transition"),
            json!("lyrics"),
            json!("centered"),
            json!("note"),
            json!("synopsis"),
            json!("page_break"),
            json!("section"),
            json!("boneyard"),
        ]
    );
}

#[rstest]
#[case::empty_action(ElementKind::Action, "")]
#[case::blank_dialogue(ElementKind::Dialogue, "  \n ")]
#[case::empty_transition(ElementKind::Transition, "")]
#[tokio::test]
async fn an_element_needs_text(
    #[case] kind: ElementKind,
    #[case] text: &str,
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Empty").await;
    let sec = section(&t.db, s.script_id, "INT. ROOM").await;
    let who = character(&t.db, s.script_id, "WHO").await;
    let before = dump(&t.db).await;
    let new = NewElement {
        character_id: (kind == ElementKind::Dialogue).then_some(who.character_id),
        ..element(kind, text)
    };
    rejected(
        scripts::add_element(&t.db, sec.heading_id, new).await,
        "invalid_input",
    );
    assert_eq!(dump(&t.db).await, before);
}

#[rstest]
#[tokio::test]
async fn elements_are_inserted_at_a_position(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Insert").await;
    let sec = section(&t.db, s.script_id, "INT. ROOM").await;
    for text in ["a", "b", "c"] {
        action(&t.db, sec.heading_id, text).await;
    }

    let first = add(
        &t.db,
        sec.heading_id,
        at(1, element(ElementKind::Action, "x")),
    )
    .await;
    assert_eq!(first.sequence_number, Some(1));
    assert_eq!(
        texts(&t.db, sec.heading_id).await,
        strings(&["x", "a", "b", "c"])
    );

    let middle = add(
        &t.db,
        sec.heading_id,
        at(3, element(ElementKind::Transition, "y")),
    )
    .await;
    assert_eq!(middle.sequence_number, Some(3));
    assert_eq!(
        texts(&t.db, sec.heading_id).await,
        strings(&["x", "a", "y", "b", "c"])
    );

    let beyond = add(
        &t.db,
        sec.heading_id,
        at(99, element(ElementKind::Action, "z")),
    )
    .await;
    assert_eq!(beyond.sequence_number, Some(6));
    assert_eq!(
        texts(&t.db, sec.heading_id).await,
        strings(&["x", "a", "y", "b", "c", "z"])
    );
}

#[rstest]
#[tokio::test]
async fn dialogue_needs_a_character_of_the_same_script(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Mine").await;
    let sec = section(&t.db, s.script_id, "INT. ROOM").await;
    let other = script(&t.db, "Theirs").await;
    let stranger = character(&t.db, other.script_id, "STRANGER").await;
    let before = dump(&t.db).await;

    let no_character = rejected(
        scripts::add_element(&t.db, sec.heading_id, element(ElementKind::Dialogue, "Hi.")).await,
        "invalid_input",
    );
    assert_eq!(
        no_character.to_string(),
        "a line of dialogue needs a character"
    );

    rejected(
        scripts::add_element(&t.db, sec.heading_id, line(stranger.character_id, "Hi.")).await,
        "invalid_input",
    );
    let missing = rejected(
        scripts::add_element(&t.db, sec.heading_id, line(777, "Hi.")).await,
        "not_found",
    );
    assert_eq!(missing.to_string(), "Character 777 not found.");
    rejected(
        scripts::add_element(
            &t.db,
            sec.heading_id,
            NewElement {
                character_id: Some(stranger.character_id),
                ..element(ElementKind::Action, "He waves.")
            },
        )
        .await,
        "invalid_input",
    );

    assert_eq!(dump(&t.db).await, before);
}

#[rstest]
#[tokio::test]
async fn a_transition_has_no_character(#[values(Engine::Sqlite, Engine::Postgres)] engine: Engine) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Mine").await;
    let sec = section(&t.db, s.script_id, "INT. ROOM").await;
    let who = character(&t.db, s.script_id, "WHO").await;
    let before = dump(&t.db).await;
    rejected(
        scripts::add_element(
            &t.db,
            sec.heading_id,
            NewElement {
                character_id: Some(who.character_id),
                ..element(ElementKind::Transition, "CUT TO:")
            },
        )
        .await,
        "invalid_input",
    );
    assert_eq!(dump(&t.db).await, before);
}

#[rstest]
#[case::bracketed("(beat)", "beat")]
#[case::bracketed_with_spaces("  ( whispering )  ", "whispering")]
#[case::bare("quietly", "quietly")]
#[tokio::test]
async fn a_parenthetical_is_stored_without_brackets(
    #[case] given: &str,
    #[case] stored: &str,
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Lines").await;
    let sec = section(&t.db, s.script_id, "INT. ROOM").await;
    let who = character(&t.db, s.script_id, "WHO").await;

    let d = add(
        &t.db,
        sec.heading_id,
        NewElement {
            parenthetical: Some(given.into()),
            ..line(who.character_id, "I know.")
        },
    )
    .await;
    assert_eq!(d.parenthetical.as_deref(), Some(stored));
    assert_eq!(
        scripts::get_element(&t.db, d.element_id)
            .await
            .unwrap()
            .parenthetical
            .as_deref(),
        Some(stored)
    );
}

#[rstest]
#[case::action(ElementKind::Action)]
#[case::transition(ElementKind::Transition)]
#[case::lyrics(ElementKind::Lyrics)]
#[tokio::test]
async fn only_dialogue_has_a_parenthetical(
    #[case] kind: ElementKind,
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Lines").await;
    let sec = section(&t.db, s.script_id, "INT. ROOM").await;
    let existing = add(&t.db, sec.heading_id, element(kind, "Something")).await;
    let before = dump(&t.db).await;

    let error = rejected(
        scripts::add_element(
            &t.db,
            sec.heading_id,
            NewElement {
                parenthetical: Some("(beat)".into()),
                ..element(kind, "Something else")
            },
        )
        .await,
        "invalid_input",
    );
    assert_eq!(error.to_string(), "only dialogue has a parenthetical");
    rejected(
        scripts::update_element(
            &t.db,
            existing.element_id,
            ElementUpdate {
                parenthetical: Some("beat".into()),
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
async fn elements_can_be_edited_and_a_parenthetical_removed(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Edit").await;
    let sec = section(&t.db, s.script_id, "INT. ROOM").await;
    let ann = character(&t.db, s.script_id, "ANN").await;
    let bob = character(&t.db, s.script_id, "BOB").await;
    let d = add(
        &t.db,
        sec.heading_id,
        NewElement {
            parenthetical: Some("(softly)".into()),
            ..line(ann.character_id, "Hello.")
        },
    )
    .await;
    let before = scripts::get_script(&t.db, s.script_id).await.unwrap();
    tick().await;

    let edited = scripts::update_element(
        &t.db,
        d.element_id,
        ElementUpdate {
            text: Some("Goodbye.".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(edited.text, "Goodbye.");
    assert_eq!(edited.parenthetical.as_deref(), Some("softly"), "kept");
    assert_eq!(edited.character_id, Some(ann.character_id), "kept");
    assert_eq!(edited.sequence_number, d.sequence_number);
    assert!(
        scripts::get_script(&t.db, s.script_id)
            .await
            .unwrap()
            .updated_at
            > before.updated_at
    );

    let reassigned = scripts::update_element(
        &t.db,
        d.element_id,
        ElementUpdate {
            character_id: Some(bob.character_id),
            parenthetical: Some("(loud)".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(reassigned.character_id, Some(bob.character_id));
    assert_eq!(reassigned.parenthetical.as_deref(), Some("loud"));
    assert_eq!(reassigned.text, "Goodbye.");

    let cleared = scripts::update_element(
        &t.db,
        d.element_id,
        ElementUpdate {
            parenthetical: Some(String::new()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(cleared.parenthetical, None);
    assert_eq!(
        scripts::get_element(&t.db, d.element_id).await.unwrap(),
        cleared
    );
}

#[rstest]
#[tokio::test]
async fn a_bad_element_edit_changes_nothing(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Edit").await;
    let sec = section(&t.db, s.script_id, "INT. ROOM").await;
    let ann = character(&t.db, s.script_id, "ANN").await;
    let other = script(&t.db, "Other").await;
    let stranger = character(&t.db, other.script_id, "STRANGER").await;
    let d = add(&t.db, sec.heading_id, line(ann.character_id, "Hello.")).await;
    let before = dump(&t.db).await;

    rejected(
        scripts::update_element(
            &t.db,
            d.element_id,
            ElementUpdate {
                text: Some("   ".into()),
                ..Default::default()
            },
        )
        .await,
        "invalid_input",
    );
    rejected(
        scripts::update_element(
            &t.db,
            d.element_id,
            ElementUpdate {
                character_id: Some(stranger.character_id),
                ..Default::default()
            },
        )
        .await,
        "invalid_input",
    );
    let missing = rejected(
        scripts::update_element(&t.db, 999, ElementUpdate::default()).await,
        "not_found",
    );
    assert_eq!(missing.to_string(), "Element 999 not found.");
    assert_eq!(dump(&t.db).await, before);
}

#[rstest]
#[tokio::test]
async fn deleting_an_element_closes_the_gap(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Delete").await;
    let sec = section(&t.db, s.script_id, "INT. ROOM").await;
    let mut ids = Vec::new();
    for text in ["a", "b", "c", "d"] {
        ids.push(action(&t.db, sec.heading_id, text).await.element_id);
    }

    scripts::delete_element(&t.db, ids[1]).await.unwrap();
    assert_eq!(
        texts(&t.db, sec.heading_id).await,
        strings(&["a", "c", "d"])
    );
    scripts::delete_element(&t.db, ids[0]).await.unwrap();
    assert_eq!(texts(&t.db, sec.heading_id).await, strings(&["c", "d"]));
    assert_eq!(
        rejected(scripts::get_element(&t.db, ids[0]).await, "not_found").to_string(),
        format!("Element {} not found.", ids[0])
    );
    rejected(scripts::delete_element(&t.db, ids[0]).await, "not_found");

    let e = action(&t.db, sec.heading_id, "e").await;
    assert_eq!(e.sequence_number, Some(3));
}

#[rstest]
#[case::first_to_third(0, 3, &["b", "c", "a", "d"])]
#[case::last_to_first(3, 1, &["d", "a", "b", "c"])]
#[case::to_the_end(1, 4, &["a", "c", "d", "b"])]
#[case::beyond_the_end(0, 50, &["b", "c", "d", "a"])]
#[case::same_place(2, 3, &["a", "b", "c", "d"])]
#[tokio::test]
async fn an_element_moves_within_its_section(
    #[case] which: usize,
    #[case] position: i64,
    #[case] expected: &[&str],
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Move").await;
    let sec = section(&t.db, s.script_id, "INT. ROOM").await;
    let mut ids = Vec::new();
    for text in ["a", "b", "c", "d"] {
        ids.push(action(&t.db, sec.heading_id, text).await.element_id);
    }

    let moved = scripts::move_element(
        &t.db,
        ids[which],
        MoveElement {
            heading_id: None,
            position,
        },
    )
    .await
    .unwrap();
    assert_eq!(moved.heading_id, sec.heading_id);
    assert_eq!(texts(&t.db, sec.heading_id).await, strings(expected));
    let place = expected.iter().position(|t| *t == moved.text).unwrap() as i64 + 1;
    assert_eq!(moved.sequence_number, Some(place));
}

#[rstest]
#[case::to_the_front(1, &["b", "x", "y"])]
#[case::in_between(2, &["x", "b", "y"])]
#[case::to_the_end(3, &["x", "y", "b"])]
#[case::beyond_the_end(10, &["x", "y", "b"])]
#[tokio::test]
async fn an_element_moves_into_another_section_of_its_script(
    #[case] position: i64,
    #[case] target_order: &[&str],
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Move").await;
    let from = section(&t.db, s.script_id, "FROM").await;
    let to = section(&t.db, s.script_id, "TO").await;
    let mut ids = Vec::new();
    for text in ["a", "b", "c"] {
        ids.push(action(&t.db, from.heading_id, text).await.element_id);
    }
    for text in ["x", "y"] {
        action(&t.db, to.heading_id, text).await;
    }

    let moved = scripts::move_element(
        &t.db,
        ids[1],
        MoveElement {
            heading_id: Some(to.heading_id),
            position,
        },
    )
    .await
    .unwrap();

    assert_eq!(moved.heading_id, to.heading_id);
    assert_eq!(texts(&t.db, from.heading_id).await, strings(&["a", "c"]));
    assert_eq!(texts(&t.db, to.heading_id).await, strings(target_order));
    assert_eq!(
        scripts::get_element(&t.db, ids[1])
            .await
            .unwrap()
            .heading_id,
        to.heading_id
    );
}

#[rstest]
#[tokio::test]
async fn an_element_cannot_move_into_another_script(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Mine").await;
    let sec = section(&t.db, s.script_id, "MINE").await;
    let other = script(&t.db, "Theirs").await;
    let theirs = section(&t.db, other.script_id, "THEIRS").await;
    let a = action(&t.db, sec.heading_id, "a").await;
    action(&t.db, sec.heading_id, "b").await;
    action(&t.db, theirs.heading_id, "x").await;
    let before = dump(&t.db).await;

    rejected(
        scripts::move_element(
            &t.db,
            a.element_id,
            MoveElement {
                heading_id: Some(theirs.heading_id),
                position: 1,
            },
        )
        .await,
        "invalid_input",
    );
    rejected(
        scripts::move_element(
            &t.db,
            a.element_id,
            MoveElement {
                heading_id: Some(999),
                position: 1,
            },
        )
        .await,
        "not_found",
    );
    rejected(
        scripts::move_element(
            &t.db,
            999,
            MoveElement {
                heading_id: None,
                position: 1,
            },
        )
        .await,
        "not_found",
    );

    assert_eq!(dump(&t.db).await, before);
    assert_eq!(texts(&t.db, sec.heading_id).await, strings(&["a", "b"]));
    assert_eq!(texts(&t.db, theirs.heading_id).await, strings(&["x"]));
}

#[rstest]
#[tokio::test]
async fn actions_and_dialogue_carry_their_contract_ids(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Ids").await;
    let sec = section(&t.db, s.script_id, "INT. ROOM").await;
    let who = character(&t.db, s.script_id, "WHO").await;
    let a = action(&t.db, sec.heading_id, "She waits.").await;
    let d = add(&t.db, sec.heading_id, line(who.character_id, "Well?")).await;
    let tr = add(
        &t.db,
        sec.heading_id,
        element(ElementKind::Transition, "CUT TO:"),
    )
    .await;

    let from_add: Vec<serde_json::Value> = [&a, &d, &tr]
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .collect();
    let from_get = [
        serde_json::to_value(scripts::get_element(&t.db, a.element_id).await.unwrap()).unwrap(),
        serde_json::to_value(scripts::get_element(&t.db, d.element_id).await.unwrap()).unwrap(),
        serde_json::to_value(scripts::get_element(&t.db, tr.element_id).await.unwrap()).unwrap(),
    ];
    let from_list: Vec<serde_json::Value> = scripts::list_elements(&t.db, sec.heading_id)
        .await
        .unwrap()
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .collect();

    for values in [&from_add[..], &from_get[..], &from_list[..]] {
        let (action_json, dialogue_json, transition_json) = (&values[0], &values[1], &values[2]);
        assert_eq!(action_json["elementId"], json!(a.element_id));
        assert_eq!(action_json["actionId"], json!(a.element_id));
        assert!(action_json.get("dialogueId").is_none(), "{action_json}");

        assert_eq!(dialogue_json["dialogueId"], json!(d.element_id));
        assert_eq!(dialogue_json["characterId"], json!(who.character_id));
        assert!(dialogue_json.get("actionId").is_none(), "{dialogue_json}");

        assert!(transition_json.get("actionId").is_none());
        assert!(transition_json.get("dialogueId").is_none());
        assert_eq!(transition_json["headingId"], json!(sec.heading_id));
        assert_eq!(transition_json["sequenceNumber"], json!(3));
    }

    let moved = scripts::move_element(
        &t.db,
        d.element_id,
        MoveElement {
            heading_id: None,
            position: 1,
        },
    )
    .await
    .unwrap();
    assert_eq!(moved.dialogue_id, Some(d.element_id));
    assert_eq!(moved.action_id, None);
}

// ---------------------------------------------------------------------------------------------
// Deleting a scene and undoing it
// ---------------------------------------------------------------------------------------------

/// A scene with an action, a line with a parenthetical and a paraphrase, and moods on the
/// scene and on the line; between two other scenes.
async fn furnished_scene(db: &Database) -> (i64, i64, i64, i64) {
    let s = script(db, "Undo").await;
    section(db, s.script_id, "INT. HALL - DAY").await;
    let middle = section(db, s.script_id, "INT. STAIRS - NIGHT").await;
    section(db, s.script_id, "EXT. GARDEN - DAWN").await;
    let ann = character(db, s.script_id, "ANN").await;
    action(db, middle.heading_id, "Footsteps.").await;
    let said = add(
        db,
        middle.heading_id,
        NewElement {
            parenthetical: Some("whispering".into()),
            ..line(ann.character_id, "Who's there?")
        },
    )
    .await;
    characters::add_paraphrase(
        db,
        ElementType::SpokenWord,
        said.element_id,
        "Hello?",
        "softer",
    )
    .await
    .expect("paraphrase");
    let session = session(db, s.script_id).await;
    for target in [
        ContextTarget {
            heading_id: Some(middle.heading_id),
            ..Default::default()
        },
        ContextTarget {
            element_id: Some(said.element_id),
            ..Default::default()
        },
    ] {
        let mood = BTreeMap::from([("mood".to_string(), "fear".to_string())]);
        sessions::set_context(db, session.session_id, target, &mood, &[])
            .await
            .expect("context");
    }
    (
        s.script_id,
        middle.heading_id,
        ann.character_id,
        session.session_id,
    )
}

#[rstest]
#[tokio::test]
async fn a_deleted_scene_comes_back_whole_with_its_ids_place_lines_paraphrases_and_moods(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let db = &t.db;
    let (script_id, heading_id, _, session_id) = furnished_scene(db).await;
    // As an imported screenplay has them: a scene number, a cue extension, dual dialogue.
    sqlx::query("UPDATE section_headings SET scene_number = '7A' WHERE heading_id = $1")
        .bind(heading_id)
        .execute(db.pool())
        .await
        .expect("scene number");
    sqlx::query("UPDATE elements SET extension = 'V.O.', dual = TRUE WHERE kind = 'dialogue'")
        .execute(db.pool())
        .await
        .expect("extension");
    let formats = |db: Database| async move {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT COALESCE(h.scene_number, '-') || ':' || COALESCE(e.extension, '-') || ':' || \
             CASE WHEN e.dual THEN 1 ELSE 0 END \
             FROM elements e JOIN section_headings h USING (heading_id) ORDER BY e.element_id",
        )
        .fetch_all(db.pool())
        .await
        .expect("formats");
        rows
    };
    let formats_before = formats(db.clone()).await;
    let before = dump(db).await;
    let contexts_before = sessions::get_context(db, session_id)
        .await
        .expect("contexts")
        .contexts;

    let removed = scripts::remove_section(db, heading_id)
        .await
        .expect("remove");
    assert_eq!(removed.elements.len(), 2);
    assert_eq!(removed.paraphrases.len(), 1);
    assert_eq!(removed.contexts.len(), 2);
    assert_eq!(
        section_titles(db, script_id).await,
        strings(&["INT. HALL - DAY", "EXT. GARDEN - DAWN"])
    );

    // The undo may travel through the UI as JSON.
    let removed: scripts::RemovedSection =
        serde_json::from_value(serde_json::to_value(&removed).expect("json")).expect("back");
    let restored = scripts::restore_section(db, &removed)
        .await
        .expect("restore");
    assert_eq!(restored.heading_id, heading_id);
    assert_eq!(
        section_titles(db, script_id).await,
        strings(&[
            "INT. HALL - DAY",
            "INT. STAIRS - NIGHT",
            "EXT. GARDEN - DAWN"
        ])
    );
    // Every row is back as it was; only the script's updatedAt moved on.
    let rows = |d: String| d.split_once("\n--\n").map(|(_, rest)| rest.to_string());
    assert_eq!(rows(dump(db).await), rows(before), "every row is back");
    let contexts_after = sessions::get_context(db, session_id)
        .await
        .expect("contexts")
        .contexts;
    assert_eq!(contexts_after, contexts_before);
    assert_eq!(
        formats(db.clone()).await,
        formats_before,
        "scene number, extension, dual"
    );

    // Restoring twice is a conflict, not a duplicate.
    rejected(scripts::restore_section(db, &removed).await, "conflict");
}

#[rstest]
#[tokio::test]
async fn a_scene_whose_speaker_is_gone_does_not_come_back_halfway(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let db = &t.db;
    let (_, heading_id, ann, _) = furnished_scene(db).await;
    let removed = scripts::remove_section(db, heading_id)
        .await
        .expect("remove");
    characters::delete_character(db, ann)
        .await
        .expect("delete ANN");
    let before = dump(db).await;
    rejected(scripts::restore_section(db, &removed).await, "conflict");
    assert_eq!(dump(db).await, before, "a failed restore changes nothing");
}
