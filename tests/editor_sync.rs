//! The script editor's autosave: the whole Fountain text goes back into the database, and
//! what the writer did not touch keeps its identity (ids, contexts, paraphrases).

mod common;

use std::collections::BTreeMap;

use common::TestDb;
use fountainai::characters;
use fountainai::screenplay::{self, Format};
use fountainai::scripts::{self, Element, SectionHeading};
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
async fn imported() -> (TestDb, i64) {
    let t = TestDb::new().await;
    let id = screenplay::import_text(&t.db, SCRIPT, Format::Fountain)
        .await
        .unwrap()
        .script_id;
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

#[tokio::test]
async fn edits_keep_ids_contexts_and_paraphrases_of_what_did_not_change() {
    let (t, id) = imported().await;
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
    let mood = BTreeMap::from([("mood".to_string(), "fear".to_string())]);
    sessions::set_context(
        db,
        session.session_id,
        ContextTarget {
            heading_id: Some(three.heading_id),
            character_id: None,
            element_id: None,
        },
        &mood,
        &[],
    )
    .await
    .unwrap();
    let tone = BTreeMap::from([("tone".to_string(), "hushed".to_string())]);
    sessions::set_context(
        db,
        session.session_id,
        ContextTarget {
            heading_id: None,
            character_id: None,
            element_id: Some(edited.element_id),
        },
        &tone,
        &[],
    )
    .await
    .unwrap();
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

#[tokio::test]
async fn deleting_a_scene_deletes_its_elements_and_nothing_else() {
    let (t, id) = imported().await;
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

#[tokio::test]
async fn moving_lines_between_scenes_and_renaming_a_scene() {
    let (t, id) = imported().await;
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

#[tokio::test]
async fn invalid_input_changes_nothing() {
    let (t, id) = imported().await;
    let db = &t.db;
    let dump = common::dump(db).await;
    let err = screenplay::sync(db, id, "INT. X\n\nNUL \0 here")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("byte offset"), "{err}");
    let err = screenplay::sync(db, id + 100, "INT. X").await.unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert_eq!(common::dump(db).await, dump);
}

#[tokio::test]
async fn new_speakers_become_characters_and_the_title_page_follows_the_text() {
    let (t, id) = imported().await;
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
