//! The script editor's autosave: the whole Fountain text goes back into the database, and
//! what the writer did not touch keeps its identity (ids, contexts, paraphrases).

mod common;

use common::Engine;
use rstest::rstest;
use std::collections::BTreeMap;

use common::{import_fountain, rejected, TestDb};
use fountainai::characters;
use fountainai::document::load_document;
use fountainai::examples::feature_script;
use fountainai::screenplay;
use fountainai::scripts::{self, Element, ElementKind, SectionHeading};
use fountainai::sequence::ElementType;
use fountainai::sessions::{self, ContextTarget, NewSession};
use fountainai::Database;

const SCRIPT: &str = "\
Title: Sync

INT. ONE - DAY

First scene.

ADA
Hello.

INT. TWO - DAY

Second scene.

INT. THREE - NIGHT

Third scene, the one with a mood.

BRUNO
(quietly)
This line has a paraphrase.

ADA
And this one is edited later.

INT. FOUR - DAWN

Fourth scene.
";

/// A fresh database holding SCRIPT.
async fn imported(engine: Engine) -> (TestDb, i64) {
    let t = TestDb::on(engine).await;
    let id = import_fountain(&t.db, SCRIPT).await;
    (t, id)
}

async fn sections(db: &Database, script_id: i64) -> Vec<SectionHeading> {
    scripts::list_sections(db, script_id).await.unwrap()
}

async fn elements(db: &Database, heading_id: i64) -> Vec<Element> {
    scripts::list_elements(db, heading_id).await.unwrap()
}

async fn numbers(db: &Database, script_id: i64) -> Vec<Vec<i64>> {
    let mut out = vec![sections(db, script_id)
        .await
        .iter()
        .map(|s| s.sequence_number.unwrap_or(-1))
        .collect::<Vec<_>>()];
    for s in sections(db, script_id).await {
        out.push(
            elements(db, s.heading_id)
                .await
                .iter()
                .map(|e| e.sequence_number.unwrap_or(-1))
                .collect(),
        );
    }
    out
}

fn compact(numbers: &[Vec<i64>]) -> bool {
    numbers
        .iter()
        .all(|n| n.iter().copied().eq(1..=n.len() as i64))
}

#[rstest]
#[tokio::test]
async fn edits_keep_ids_contexts_and_paraphrases_of_what_did_not_change(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let (t, id) = imported(engine).await;
    let db = &t.db;
    let before = sections(db, id).await;
    let three = before[2].clone();
    assert_eq!(three.title, "INT. THREE - NIGHT");
    let three_elements = elements(db, three.heading_id).await;
    let line = three_elements
        .iter()
        .find(|e| e.text == "This line has a paraphrase.")
        .unwrap()
        .clone();
    let edited = three_elements
        .iter()
        .find(|e| e.text == "And this one is edited later.")
        .unwrap()
        .clone();
    let session = sessions::create_session(
        db,
        NewSession {
            user_id: Some(1),
            script_id: Some(id),
            context: None,
        },
    )
    .await
    .unwrap();
    let on_three = on_section(three.heading_id);
    set_one(db, session.session_id, on_three, "mood", "fear").await;
    let on_edited = on_element(edited.element_id);
    set_one(db, session.session_id, on_edited, "tone", "hushed").await;
    characters::add_paraphrase(
        db,
        ElementType::SpokenWord,
        line.element_id,
        "Said otherwise.",
        "",
    )
    .await
    .unwrap();

    // The writer inserts a new scene before scene three and edits a line in it.
    let text = screenplay::fountain_text(db, id).await.unwrap();
    let text = text
        .replace(
            "INT. THREE - NIGHT",
            "EXT. NEW ALLEY - NIGHT\n\nA new scene.\n\nINT. THREE - NIGHT",
        )
        .replace("And this one is edited later.", "And this one was edited.");
    let summary = screenplay::sync(db, id, &text).await.unwrap();
    assert_eq!(summary.sections.added, 1);
    assert_eq!(summary.sections.kept, 4);
    assert_eq!(summary.elements.added, 1);
    assert_eq!(summary.elements.changed, 1);
    assert_eq!(summary.elements.removed, 0);

    let after = sections(db, id).await;
    let titles: Vec<&str> = after.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "INT. ONE - DAY",
            "INT. TWO - DAY",
            "EXT. NEW ALLEY - NIGHT",
            "INT. THREE - NIGHT",
            "INT. FOUR - DAWN"
        ]
    );
    assert_eq!(
        after[3].heading_id, three.heading_id,
        "scene three kept its id"
    );
    assert_eq!(after[0].heading_id, before[0].heading_id);
    let now = elements(db, three.heading_id).await;
    let same = now
        .iter()
        .find(|e| e.element_id == line.element_id)
        .unwrap();
    assert_eq!(same.text, "This line has a paraphrase.");
    let changed = now
        .iter()
        .find(|e| e.element_id == edited.element_id)
        .unwrap();
    assert_eq!(changed.text, "And this one was edited.", "edited in place");
    let paraphrases = characters::list_paraphrases(db, ElementType::SpokenWord, line.element_id)
        .await
        .unwrap();
    assert_eq!(paraphrases.len(), 1);
    let contexts = sessions::get_context(db, session.session_id).await.unwrap();
    let targets: Vec<(Option<i64>, Option<i64>)> = contexts
        .contexts
        .iter()
        .map(|c| (c.heading_id, c.element_id))
        .collect();
    assert!(targets.contains(&(Some(three.heading_id), None)));
    assert!(targets.contains(&(None, Some(edited.element_id))));
    assert!(compact(&numbers(db, id).await));
    // The text the editor shows next is what it saved.
    assert_eq!(screenplay::fountain_text(db, id).await.unwrap(), text);
    // Saving the same text again changes nothing.
    let again = screenplay::sync(db, id, &text).await.unwrap();
    assert_eq!(
        (again.sections.kept, again.elements.kept),
        (5, after_elements(db, id).await)
    );
    assert_eq!(
        again.elements.added + again.elements.changed + again.elements.removed,
        0
    );
}

async fn after_elements(db: &Database, id: i64) -> usize {
    let mut n = 0;
    for s in sections(db, id).await {
        n += elements(db, s.heading_id).await.len();
    }
    n
}

#[rstest]
#[tokio::test]
async fn deleting_a_scene_deletes_its_elements_and_nothing_else(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let (t, id) = imported(engine).await;
    let db = &t.db;
    let before = sections(db, id).await;
    let two = elements(db, before[1].heading_id).await;
    let four = elements(db, before[3].heading_id).await;
    let text = screenplay::fountain_text(db, id).await.unwrap();
    let text = text.replace("INT. TWO - DAY\n\nSecond scene.\n\n", "");
    let summary = screenplay::sync(db, id, &text).await.unwrap();
    assert_eq!(summary.sections.removed, 1);
    assert_eq!(summary.elements.removed, two.len());
    assert_eq!(summary.elements.added, 0);
    let after = sections(db, id).await;
    assert_eq!(after.len(), 3);
    assert!(after.iter().all(|s| s.heading_id != before[1].heading_id));
    for e in &two {
        assert_eq!(
            scripts::get_element(db, e.element_id)
                .await
                .unwrap_err()
                .code(),
            "not_found"
        );
    }
    assert_eq!(elements(db, before[3].heading_id).await, four);
    assert!(compact(&numbers(db, id).await));
}

#[rstest]
#[tokio::test]
async fn moving_lines_between_scenes_and_renaming_a_scene(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let (t, id) = imported(engine).await;
    let db = &t.db;
    let before = sections(db, id).await;
    let first_line = elements(db, before[0].heading_id).await[0].clone();
    let text = screenplay::fountain_text(db, id).await.unwrap();
    // Rename scene four; split scene one with a new heading above its dialogue.
    let text = text
        .replace("INT. FOUR - DAWN", "INT. FOUR - DUSK")
        .replace(
            "First scene.\n\n",
            "First scene.\n\nINT. ONE, LATER - DAY\n\n",
        );
    let summary = screenplay::sync(db, id, &text).await.unwrap();
    assert_eq!(summary.sections.changed, 1);
    assert_eq!(summary.sections.added, 1);
    assert_eq!(
        summary.elements.changed + summary.elements.added + summary.elements.removed,
        0
    );
    let after = sections(db, id).await;
    assert_eq!(after[4].heading_id, before[3].heading_id);
    assert_eq!(after[4].title, "INT. FOUR - DUSK");
    assert_eq!(elements(db, before[0].heading_id).await, vec![first_line]);
    let moved = elements(db, after[1].heading_id).await;
    assert_eq!(moved[0].text, "Hello.");
    assert_eq!(moved[0].sequence_number, Some(1));
    assert!(compact(&numbers(db, id).await));
}

#[rstest]
#[tokio::test]
async fn invalid_input_changes_nothing(#[values(Engine::Sqlite, Engine::Postgres)] engine: Engine) {
    let (t, id) = imported(engine).await;
    let db = &t.db;
    let dump = common::dump(db).await;
    let err = rejected(
        screenplay::sync(db, id, "INT. X\n\nNUL \0 here").await,
        "invalid_input",
    );
    assert!(err.to_string().contains("byte offset"), "{err}");
    rejected(screenplay::sync(db, id + 100, "INT. X").await, "not_found");
    assert_eq!(common::dump(db).await, dump);
}

#[rstest]
#[tokio::test]
async fn new_speakers_become_characters_and_the_title_page_follows_the_text(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let (t, id) = imported(engine).await;
    let db = &t.db;
    let text = screenplay::fountain_text(db, id)
        .await
        .unwrap()
        .replace(
            "Title: Sync",
            "Title: Sync, Second Draft\nAuthor: Ada Lovelace",
        )
        .replace(
            "Fourth scene.",
            "Fourth scene.\n\nZOE (V.O.)\nI am new here.",
        );
    screenplay::sync(db, id, &text).await.unwrap();
    let script = scripts::get_script(db, id).await.unwrap();
    assert_eq!(script.title, "Sync, Second Draft");
    assert_eq!(script.author, "Ada Lovelace");
    let names: Vec<String> = characters::list_characters(db, id)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert!(names.contains(&"ZOE".to_string()), "{names:?}");
    assert_eq!(screenplay::fountain_text(db, id).await.unwrap(), text);
}

/// A mood on a section or a line, under a new session.
async fn mood_on(db: &Database, script_id: i64, target: ContextTarget, mood: &str) -> i64 {
    let session = common::session(db, script_id).await;
    set_one(db, session.session_id, target, "mood", mood).await;
    session.session_id
}

/// The imported script with a mood on its scene at `index`, under a new session: the scene and
/// the session's id.
async fn scene_with_mood(
    engine: Engine,
    index: usize,
    mood: &str,
) -> (TestDb, i64, SectionHeading, i64) {
    let (t, id) = imported(engine).await;
    let scene = sections(&t.db, id).await[index].clone();
    let session = mood_on(&t.db, id, on_section(scene.heading_id), mood).await;
    (t, id, scene, session)
}

/// Sets one key of the session's context on `target`.
async fn set_one(db: &Database, session_id: i64, target: ContextTarget, key: &str, value: &str) {
    let data = BTreeMap::from([(key.to_string(), value.to_string())]);
    sessions::set_context(db, session_id, target, &data, &[])
        .await
        .expect("set the context");
}

fn on_section(heading_id: i64) -> ContextTarget {
    ContextTarget {
        heading_id: Some(heading_id),
        character_id: None,
        element_id: None,
    }
}

fn on_element(element_id: i64) -> ContextTarget {
    ContextTarget {
        heading_id: None,
        character_id: None,
        element_id: Some(element_id),
    }
}

async fn mood_of(db: &Database, session_id: i64, target: ContextTarget) -> Option<String> {
    sessions::get_context(db, session_id)
        .await
        .unwrap()
        .contexts
        .into_iter()
        .find(|c| c.target() == target)
        .and_then(|c| c.data.get("mood").cloned())
}

/// Every stored element of the script, in story order.
async fn all_elements(db: &Database, script_id: i64) -> Vec<Element> {
    let mut all = Vec::new();
    for s in sections(db, script_id).await {
        all.extend(elements(db, s.heading_id).await);
    }
    all
}

/// The stored element whose text is `text`, anywhere in the script.
async fn find(db: &Database, script_id: i64, text: &str) -> Element {
    all_elements(db, script_id)
        .await
        .into_iter()
        .find(|e| e.text == text)
        .unwrap_or_else(|| panic!("no element {text:?}"))
}

#[rstest]
#[tokio::test]
async fn a_scene_moved_to_the_top_keeps_its_id_and_its_mood(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let (t, id, three, session) = scene_with_mood(engine, 2, "fear").await;
    let db = &t.db;
    let text = screenplay::fountain_text(db, id).await.unwrap();
    let start = text.find("INT. THREE - NIGHT").unwrap();
    let end = text.find("INT. FOUR - DAWN").unwrap();
    let scene = &text[start..end];
    let first = text.find("INT. ONE - DAY").unwrap();
    let moved = format!(
        "{}{scene}{}{}",
        &text[..first],
        &text[first..start],
        &text[end..]
    );
    let summary = screenplay::sync(db, id, &moved).await.unwrap();
    assert_eq!(summary.sections.removed + summary.sections.added, 0);
    assert_eq!(summary.elements.removed + summary.elements.added, 0);
    let after = sections(db, id).await;
    assert_eq!(after[0].title, "INT. THREE - NIGHT");
    assert_eq!(after[0].heading_id, three.heading_id, "same headingId");
    assert_eq!(
        mood_of(db, session, on_section(three.heading_id)).await,
        Some("fear".into())
    );
    assert!(compact(&numbers(db, id).await));
    assert_eq!(screenplay::fountain_text(db, id).await.unwrap(), moved);
}

const KINDS: &str = "\
INT. ONE - DAY

An action that moves.

ADA
A line that moves.

CUT TO:

INT. TWO - DAY

BRUNO
Left side of the pair.

ADA ^
Right side of the pair.

Something stays here.

INT. THREE - NIGHT

The end of it.
";

/// Each kind of material, cut from its scene and pasted into another (optionally with a small
/// edit), keeps its id, a mood set on it in every session, and its alt.
async fn moved_kinds_keep_everything(engine: Engine, edit: bool) {
    let t = TestDb::on(engine).await;
    let db = &t.db;
    let id = import_fountain(db, KINDS).await;
    let texts = [
        "An action that moves.",
        "A line that moves.",
        "CUT TO:",
        "Left side of the pair.",
        "Right side of the pair.",
    ];
    let mut before = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let e = find(db, id, text).await;
        let sessions = [
            mood_on(db, id, on_element(e.element_id), &format!("m{i}")).await,
            mood_on(db, id, on_element(e.element_id), &format!("n{i}")).await,
        ];
        if let ty @ (ElementType::Action | ElementType::SpokenWord) = e.kind.element_type() {
            characters::add_paraphrase(db, ty, e.element_id, &format!("alt {i}"), "")
                .await
                .unwrap();
        }
        before.push((e, sessions));
    }
    let scenes = sections(db, id).await;
    let text = screenplay::fountain_text(db, id).await.unwrap();
    // Scene one's action, line and transition go to the end of scene three; the dual pair
    // of scene two goes to the start of scene one.
    let cut = |s: &str, what: &str| s.replacen(what, "", 1);
    let one = "An action that moves.\n\nADA\nA line that moves.\n\nCUT TO:\n\n";
    let pair = "BRUNO\nLeft side of the pair.\n\nADA ^\nRight side of the pair.\n\n";
    assert!(text.contains(one) && text.contains(pair), "{text}");
    let (one_moved, pair_moved) = if edit {
        (
            one.replace("that moves.", "that moved."),
            pair.replace("Left side", "Left-hand side"),
        )
    } else {
        (one.to_string(), pair.to_string())
    };
    let text = cut(&cut(&text, one), pair)
        .replace(
            "INT. ONE - DAY\n\n",
            &format!("INT. ONE - DAY\n\n{pair_moved}"),
        )
        .replace(
            "The end of it.\n",
            &format!("The end of it.\n\n{}", one_moved.trim_end()),
        )
        + "\n";
    let summary = screenplay::sync(db, id, &text).await.unwrap();
    assert_eq!(
        (summary.elements.added, summary.elements.removed),
        (0, 0),
        "{summary:?}\n{text}"
    );
    assert_eq!(
        sections(db, id)
            .await
            .iter()
            .map(|s| s.heading_id)
            .collect::<Vec<_>>(),
        scenes.iter().map(|s| s.heading_id).collect::<Vec<_>>()
    );
    for (i, (e, sessions)) in before.iter().enumerate() {
        let now = scripts::get_element(db, e.element_id).await.unwrap();
        assert_ne!(now.heading_id, e.heading_id, "{} moved", e.text);
        assert_eq!(
            now.text == e.text,
            !edit || i == 2 || i == 4,
            "{}",
            now.text
        );
        for (session, mood) in sessions.iter().zip(["m", "n"]) {
            assert_eq!(
                mood_of(db, *session, on_element(e.element_id)).await,
                Some(format!("{mood}{i}")),
                "{}",
                e.text
            );
        }
        if let ty @ (ElementType::Action | ElementType::SpokenWord) = e.kind.element_type() {
            let alts = characters::list_paraphrases(db, ty, e.element_id)
                .await
                .unwrap();
            assert_eq!(alts.len(), 1, "{}", e.text);
        }
    }
    assert!(compact(&numbers(db, id).await));
    assert_eq!(screenplay::fountain_text(db, id).await.unwrap(), text);
}

#[rstest]
#[tokio::test]
async fn every_kind_of_material_moved_across_scenes_keeps_id_contexts_and_alts(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    moved_kinds_keep_everything(engine, false).await;
}

#[rstest]
#[tokio::test]
async fn material_moved_and_slightly_edited_keeps_id_contexts_and_alts(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    moved_kinds_keep_everything(engine, true).await;
}

#[rstest]
#[tokio::test]
async fn a_new_scene_with_a_deleted_scenes_heading_does_not_take_its_mood(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let (t, id, two, session) = scene_with_mood(engine, 1, "calm").await;
    let db = &t.db;
    // Scene two goes; a different scene with the same heading appears at the end.
    let text = screenplay::fountain_text(db, id)
        .await
        .unwrap()
        .replace("INT. TWO - DAY\n\nSecond scene.\n\n", "")
        + "\nINT. TWO - DAY\n\nSomething else entirely happens here now.\n";
    screenplay::sync(db, id, &text).await.unwrap();
    let last = sections(db, id).await.pop().unwrap();
    assert_eq!(last.title, "INT. TWO - DAY");
    assert_ne!(last.heading_id, two.heading_id);
    assert_eq!(
        mood_of(db, session, on_section(last.heading_id)).await,
        None
    );
}

#[rstest]
#[tokio::test]
async fn a_sync_from_an_older_revision_is_refused_and_changes_nothing(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let (t, id) = imported(engine).await;
    let db = &t.db;
    let base = scripts::get_script(db, id).await.unwrap().revision;
    let text = screenplay::fountain_text(db, id).await.unwrap();
    // While the editor holds `text`, the scene is renamed elsewhere.
    let one = sections(db, id).await[0].clone();
    scripts::update_section(db, one.heading_id, "INT. ONE - NIGHT")
        .await
        .unwrap();
    let dump = common::dump(db).await;
    let edited = text.replace("First scene.", "First scene, edited in the editor.");
    let err = screenplay::sync_from(db, id, &edited, Some(base))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "conflict", "{err}");
    assert_eq!(common::dump(db).await, dump, "nothing changed");
    assert_eq!(
        sections(db, id).await[0].title,
        "INT. ONE - NIGHT",
        "not reverted"
    );
    // From the revision it now is, the sync goes through and says the next one.
    let now = scripts::get_script(db, id).await.unwrap().revision;
    assert!(now > base);
    let text = screenplay::fountain_text(db, id).await.unwrap();
    let edited = text.replace("First scene.", "First scene, edited in the editor.");
    let summary = screenplay::sync_from(db, id, &edited, Some(now))
        .await
        .unwrap();
    assert!(summary.revision > now);
    let again = screenplay::sync_from(db, id, &edited, Some(summary.revision))
        .await
        .unwrap();
    assert_eq!(
        again.revision, summary.revision,
        "saving the same text is no change"
    );
}

#[rstest]
#[tokio::test]
async fn the_editor_knows_the_line_each_element_starts_on_even_after_an_edit(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let (t, id) = imported(engine).await;
    let edited = SCRIPT.replace("Second scene.", "Second scene.\n\nA new paragraph.");
    screenplay::sync(&t.db, id, &edited).await.unwrap();
    let loaded = screenplay::editor_text(&t.db, id).await.unwrap();
    let text: Vec<&str> = loaded.text.lines().collect();
    let mut stored = Vec::new();
    for section in sections(&t.db, id).await {
        stored.extend(elements(&t.db, section.heading_id).await);
    }
    assert_eq!(loaded.lines.len(), stored.len(), "every element has a line");
    for (place, element) in loaded.lines.iter().zip(&stored) {
        assert_eq!(place.element_id, element.element_id, "in story order");
        let line = text[place.line - 1];
        let expected = match element.character_id {
            // A line of dialogue starts at its cue.
            Some(_) => line.chars().all(|c| !c.is_lowercase()),
            None => element.text.starts_with(line),
        };
        assert!(
            expected,
            "element {} starts on {line:?}",
            element.element_id
        );
    }
    let new = stored
        .iter()
        .find(|e| e.text == "A new paragraph.")
        .unwrap();
    let at = loaded.lines.iter().find(|l| l.element_id == new.element_id);
    assert_eq!(at.map(|l| text[l.line - 1]), Some("A new paragraph."));
}

/// A light retouch a writer might make: a word before the line's closing mark.
fn retouch(text: &str) -> String {
    let (body, mark) = text.split_at(text.len() - 1);
    format!("{body}, slowly{mark}")
}

/// `text` with each scene's action paragraphs retouched and rotated one place up (the first
/// goes to the last one's place); everything else stays where it was.
fn rotate_actions(text: &str, actions: &BTreeMap<String, i64>) -> String {
    let mut blocks: Vec<String> = text.split("\n\n").map(str::to_string).collect();
    let mut scenes = vec![Vec::new()];
    for (i, block) in blocks.iter().enumerate() {
        if block.starts_with("INT. ") || block.starts_with("EXT. ") {
            scenes.push(Vec::new());
        } else if let (Some(slots), true) = (scenes.last_mut(), actions.contains_key(block)) {
            slots.push(i);
        }
    }
    for slots in scenes {
        let texts: Vec<String> = slots.iter().map(|i| retouch(&blocks[*i])).collect();
        for (k, i) in slots.iter().enumerate() {
            blocks[*i] = texts[(k + 1) % texts.len()].clone();
        }
    }
    blocks.join("\n\n")
}

#[rstest]
#[tokio::test]
async fn a_writer_who_reorders_and_retouches_hundreds_of_action_lines_keeps_their_ids_and_alts(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let db = &t.db;
    let id = load_document(db, &feature_script(40))
        .await
        .unwrap()
        .script_id;
    let before = all_elements(db, id).await;
    let actions: BTreeMap<String, i64> = before
        .iter()
        .filter(|e| e.kind == ElementKind::Action)
        .map(|e| (e.text.clone(), e.element_id))
        .collect();
    let with_alt: Vec<i64> = actions.values().copied().step_by(10).collect();
    for original in &with_alt {
        characters::add_paraphrase(db, ElementType::Action, *original, "An alt.", "")
            .await
            .unwrap();
    }
    let text = screenplay::fountain_text(db, id).await.unwrap();
    let edited = rotate_actions(&text, &actions);
    let summary = screenplay::sync(db, id, &edited).await.unwrap();
    let retouched = edited.matches(", slowly").count();
    assert!(
        retouched > 250,
        "{retouched} action lines retouched and moved"
    );
    assert_eq!(
        (summary.elements.changed, summary.elements.added),
        (retouched, 0),
        "{summary:?}"
    );
    assert_eq!(summary.elements.removed, 0);
    let after = all_elements(db, id).await;
    for e in after.iter().filter(|e| e.kind == ElementKind::Action) {
        let original = e.text.replacen(", slowly", "", 1);
        assert_eq!(actions.get(&original), Some(&e.element_id), "{}", e.text);
    }
    for original in &with_alt {
        let alts = characters::list_paraphrases(db, ElementType::Action, *original)
            .await
            .unwrap();
        assert_eq!(alts.len(), 1, "element {original} keeps its alt");
    }
    assert_eq!(screenplay::fountain_text(db, id).await.unwrap(), edited);
}

/// The titles of the scenes a save found changed elsewhere.
fn changed_elsewhere(saved: &screenplay::MergeSummary) -> Vec<&str> {
    saved
        .changed_elsewhere
        .iter()
        .map(|s| s.title.as_str())
        .collect()
}

/// The editor's save of `text`, written from `base` at `revision`.
async fn save(
    db: &Database,
    id: i64,
    text: &str,
    base: &str,
    revision: i64,
) -> screenplay::MergeSummary {
    let save = screenplay::EditorSave {
        text: text.into(),
        base_text: base.into(),
        base_revision: revision,
    };
    screenplay::save_text(db, id, &save).await.unwrap()
}

#[rstest]
#[tokio::test]
async fn the_editors_save_over_another_writers_change_merges_lines_and_keeps_a_clash_as_an_alt(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let (t, id) = imported(engine).await;
    let db = &t.db;
    let loaded = screenplay::editor_text(db, id).await.unwrap();
    // Another writer changes two lines of scene three; this writer, from the same text, one
    // of them differently, a third line of scene three and a line of scene one.
    let theirs = loaded
        .text
        .replace(
            "Third scene, the one with a mood.",
            "Third scene, lit by a storm.",
        )
        .replace("And this one is edited later.", "And this one, theirs.");
    screenplay::sync(db, id, &theirs).await.unwrap();
    let mine = loaded
        .text
        .replace("First scene.", "First scene, mine.")
        .replace("This line has a paraphrase.", "This line, mine.")
        .replace("And this one is edited later.", "And this one, mine.");
    let saved = save(db, id, &mine, &loaded.text, loaded.revision).await;

    assert!(saved.merged);
    let stored = screenplay::fountain_text(db, id).await.unwrap();
    assert_eq!(saved.text, stored, "the editor shows what is stored");
    for line in [
        "Third scene, lit by a storm.",
        "And this one, theirs.",
        "First scene, mine.",
        "This line, mine.",
    ] {
        assert!(stored.contains(line), "{line:?} is kept:\n{stored}");
    }
    assert!(!stored.contains("And this one, mine."), "theirs stands");
    let clash = find(db, id, "And this one, theirs.").await;
    let alts = characters::list_paraphrases(db, ElementType::SpokenWord, clash.element_id)
        .await
        .unwrap();
    assert_eq!(
        alts.iter().map(|p| p.text.as_str()).collect::<Vec<_>>(),
        ["And this one, mine."],
        "the writer's line is the alt of theirs"
    );
    let conflict = saved.conflict.clone().expect("the writer is told");
    assert_eq!(conflict.code, "conflict");
    assert!(
        conflict.message.contains("INT. THREE - NIGHT"),
        "{}",
        conflict.message
    );
    let elsewhere = changed_elsewhere(&saved);
    assert_eq!(
        elsewhere,
        ["INT. THREE - NIGHT"],
        "by the scenes' revisions"
    );

    // The next save starts from the merged text and goes through as it is.
    let next = saved.text.replace("Fourth scene.", "Fourth scene, later.");
    let again = save(db, id, &next, &saved.text, saved.sync.revision).await;
    assert!(!again.merged && again.conflict.is_none());
    assert!(again.changed_elsewhere.is_empty());
    assert_eq!(screenplay::fountain_text(db, id).await.unwrap(), next);
}

#[rstest]
#[tokio::test]
async fn a_scene_carries_the_revision_it_last_changed_at(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let (t, id) = imported(engine).await;
    let db = &t.db;
    let loaded = screenplay::editor_text(db, id).await.unwrap();
    let scenes = sections(db, id).await;
    // A line edited in scene two by the CLI, a heading renamed, a mood set: only the scenes
    // whose text changed are newer than what the editor loaded.
    let two = elements(db, scenes[1].heading_id).await[0].clone();
    scripts::update_element(
        db,
        two.element_id,
        scripts::ElementUpdate {
            text: Some("Second scene, moved on.".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    scripts::update_section(db, scenes[3].heading_id, "INT. FOUR - DUSK")
        .await
        .unwrap();
    mood_on(db, id, on_section(scenes[0].heading_id), "tense").await;
    let mine = loaded.text.replace("Third scene", "Third scene, mine");
    let saved = save(db, id, &mine, &loaded.text, loaded.revision).await;
    let elsewhere = changed_elsewhere(&saved);
    assert_eq!(elsewhere, ["INT. TWO - DAY", "INT. FOUR - DUSK"]);
    assert!(
        saved.conflict.is_none(),
        "different scenes: nothing clashes"
    );
    let stored = screenplay::fountain_text(db, id).await.unwrap();
    for line in [
        "Second scene, moved on.",
        "INT. FOUR - DUSK",
        "Third scene, mine",
    ] {
        assert!(stored.contains(line), "{line:?}:\n{stored}");
    }

    // Lines added elsewhere (a scene counts once however many lines it gets).
    let loaded = screenplay::editor_text(db, id).await.unwrap();
    for text in ["A dog barks.", "A second dog answers."] {
        common::add(db, scenes[1].heading_id, ElementKind::Action, None, text).await;
    }
    let mine = loaded.text.replace("Fourth scene.", "Fourth scene, mine.");
    let saved = save(db, id, &mine, &loaded.text, loaded.revision).await;
    let elsewhere = changed_elsewhere(&saved);
    assert_eq!(elsewhere, ["INT. TWO - DAY"]);
}
