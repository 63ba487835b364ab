//! Undo in the app brings back a deleted element, character or session whole, in one core
//! transaction: same ids and place, every format field, music, alts and contexts. A restore
//! that cannot happen changes nothing and can be tried again.

mod common;

use common::{rejected, session, Engine, TestDb};
use fountainai::characters::{self, CharacterUpdate};
use fountainai::music::leitmotif::{Leitmotif, MotifNote};
use fountainai::screenplay::{self, Format};
use fountainai::scripts;
use fountainai::sequence::ElementType;
use fountainai::sessions::{self, ContextTarget};
use fountainai::Database;
use rstest::rstest;

const SCRIPT: &str = "\
INT. DINER - NIGHT

Maya waits.

MAYA (V.O.)
We should leave.

BRUNO ^
No.

INT. ROAD - NIGHT

The car idles.
";

/// Every column of every row the undo touches, as text.
async fn rows(db: &Database) -> String {
    let mut out = String::new();
    for table in [
        "section_headings",
        "elements",
        "characters",
        "paraphrases",
        "sessions",
        "contexts",
        "context_entries",
    ] {
        // A scene's revision counts the removal and the restore, as every change.
        let all = common::table_rows_without(db, table, &["revision"]).await;
        out.push_str(&format!("{table}\n{}\n", all.join("\n")));
    }
    out
}

/// The imported script, its first scene's elements, and a session with contexts on them.
async fn desk(engine: Engine) -> (TestDb, i64, Vec<scripts::Element>, i64) {
    let t = TestDb::on(engine).await;
    let script_id = screenplay::import_text(&t.db, SCRIPT, Format::Fountain)
        .await
        .expect("import")
        .script_id;
    let scenes = scripts::list_sections(&t.db, script_id)
        .await
        .expect("scenes");
    let elements = scripts::list_elements(&t.db, scenes[0].heading_id)
        .await
        .expect("elements");
    let s = session(&t.db, script_id).await;
    (t, script_id, elements, s.session_id)
}

fn on_element(id: i64) -> ContextTarget {
    ContextTarget {
        element_id: Some(id),
        ..Default::default()
    }
}

#[rstest]
#[tokio::test]
async fn a_deleted_line_comes_back_with_its_extension_dual_alt_and_context(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let (t, _, elements, session_id) = desk(engine).await;
    let line = &elements[1];
    assert_eq!(line.text, "We should leave.");
    characters::add_paraphrase(
        &t.db,
        ElementType::SpokenWord,
        line.element_id,
        "Let's go.",
        "",
    )
    .await
    .expect("an alt");
    let mood: std::collections::BTreeMap<String, String> =
        [("mood".to_string(), "tense".to_string())]
            .into_iter()
            .collect();
    sessions::set_context(&t.db, session_id, on_element(line.element_id), &mood, &[])
        .await
        .expect("a context");
    let before = rows(&t.db).await;

    let removed = scripts::remove_element_whole(&t.db, line.element_id)
        .await
        .expect("remove");
    assert_eq!(removed.format.extension.as_deref(), Some("V.O."));
    assert_eq!(removed.paraphrases.len(), 1);
    assert_eq!(removed.contexts.len(), 1);
    assert_ne!(rows(&t.db).await, before);

    let back = scripts::restore_element(&t.db, &removed)
        .await
        .expect("restore");
    assert_eq!(
        (back.element_id, back.sequence_number),
        (line.element_id, Some(2))
    );
    assert_eq!(rows(&t.db).await, before, "every row and column as before");

    // Once back, a second restore is refused and changes nothing.
    rejected(scripts::restore_element(&t.db, &removed).await, "conflict");
    assert_eq!(rows(&t.db).await, before);
}

#[rstest]
#[tokio::test]
async fn a_line_whose_scene_is_gone_does_not_come_back_and_changes_nothing(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let (t, _, elements, _) = desk(engine).await;
    let removed = scripts::remove_element_whole(&t.db, elements[0].element_id)
        .await
        .expect("remove");
    let scene = scripts::remove_section(&t.db, elements[0].heading_id)
        .await
        .expect("the scene goes too");
    let before = rows(&t.db).await;
    rejected(scripts::restore_element(&t.db, &removed).await, "conflict");
    assert_eq!(rows(&t.db).await, before);
    // Undoing in order works: the scene, then the line.
    scripts::restore_section(&t.db, &scene)
        .await
        .expect("the scene");
    scripts::restore_element(&t.db, &removed)
        .await
        .expect("the line");
    let back = scripts::list_elements(&t.db, elements[0].heading_id)
        .await
        .unwrap();
    assert_eq!(
        back.iter().map(|e| e.element_id).collect::<Vec<_>>(),
        elements.iter().map(|e| e.element_id).collect::<Vec<_>>()
    );
}

#[rstest]
#[tokio::test]
async fn a_deleted_character_comes_back_with_its_music_place_alts_and_contexts(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let (t, script_id, _, session_id) = desk(engine).await;
    let extra = common::character(&t.db, script_id, "CLARA").await;
    common::character(&t.db, script_id, "DOV").await;
    let motif = Leitmotif(vec![
        MotifNote {
            degree: 1,
            length: 2,
        },
        MotifNote {
            degree: 5,
            length: 1,
        },
    ]);
    characters::update_character(
        &t.db,
        extra.character_id,
        CharacterUpdate {
            instrument: Some(Some(41)),
            leitmotif: Some(Some(motif)),
            ..Default::default()
        },
    )
    .await
    .expect("music");
    characters::add_paraphrase(
        &t.db,
        ElementType::Character,
        extra.character_id,
        "A cellist.",
        "",
    )
    .await
    .expect("an alt");
    let mood: std::collections::BTreeMap<String, String> =
        [("mood".to_string(), "warm".to_string())]
            .into_iter()
            .collect();
    let target = ContextTarget {
        character_id: Some(extra.character_id),
        ..Default::default()
    };
    sessions::set_context(&t.db, session_id, target, &mood, &[])
        .await
        .expect("a context");
    let before = rows(&t.db).await;

    let removed = characters::remove_character(&t.db, extra.character_id)
        .await
        .expect("remove");
    assert_ne!(rows(&t.db).await, before);
    characters::restore_character(&t.db, &removed)
        .await
        .expect("restore");
    assert_eq!(rows(&t.db).await, before, "every row and column as before");
    rejected(
        characters::restore_character(&t.db, &removed).await,
        "conflict",
    );
    assert_eq!(rows(&t.db).await, before);
}

#[rstest]
#[tokio::test]
async fn a_deleted_session_comes_back_with_all_its_contexts(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let (t, _, elements, session_id) = desk(engine).await;
    for (e, mood) in elements.iter().zip(["calm", "tense"]) {
        let data: std::collections::BTreeMap<String, String> =
            [("mood".to_string(), mood.to_string())]
                .into_iter()
                .collect();
        sessions::set_context(&t.db, session_id, on_element(e.element_id), &data, &[])
            .await
            .expect("a context");
    }
    let before = rows(&t.db).await;
    let removed = sessions::remove_session(&t.db, session_id)
        .await
        .expect("remove");
    assert_eq!(removed.contexts.len(), 2);
    sessions::restore_session(&t.db, &removed)
        .await
        .expect("restore");
    assert_eq!(rows(&t.db).await, before);
    rejected(sessions::restore_session(&t.db, &removed).await, "conflict");
    assert_eq!(rows(&t.db).await, before);
}
