//! Central Sequence: numbering, reordering and versions.
mod common;

use common::Engine;
use common::{character, dump, rejected, script, section, TestDb};
use fountainai::scripts::{self, ElementKind, NewElement};
use fountainai::sequence::{self, ElementType, Placement};
use rstest::rstest;

fn action(text: &str) -> NewElement {
    NewElement {
        kind: ElementKind::Action,
        text: text.into(),
        character_id: None,
        parenthetical: None,
        position: None,
    }
}

async fn section_order(t: &TestDb, script_id: i64) -> Vec<(i64, Option<i64>)> {
    scripts::list_sections(&t.db, script_id)
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.heading_id, s.sequence_number))
        .collect()
}

#[rstest]
#[tokio::test]
async fn numbers_are_scoped_and_generating_again_returns_the_same_number(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let a = script(&t.db, "A").await;
    let b = script(&t.db, "B").await;
    assert_eq!((a.sequence_number, b.sequence_number), (Some(1), Some(2)));
    let a1 = section(&t.db, a.script_id, "A1").await;
    let b1 = section(&t.db, b.script_id, "B1").await;
    let a2 = section(&t.db, a.script_id, "A2").await;
    assert_eq!(
        (a1.sequence_number, a2.sequence_number, b1.sequence_number),
        (Some(1), Some(2), Some(1))
    );
    for _ in 0..3 {
        let n = sequence::generate_sequence_number(&t.db, ElementType::Section, a2.heading_id)
            .await
            .unwrap();
        assert_eq!(n.sequence_number, 2);
    }
    let juliet = character(&t.db, a.script_id, "JULIET").await;
    assert_eq!(juliet.sequence_number, Some(1));
}

#[rstest]
#[tokio::test]
async fn actions_and_spoken_words_share_one_order_per_section(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "A").await;
    let h = section(&t.db, s.script_id, "INT. HOUSE - DAY").await;
    let romeo = character(&t.db, s.script_id, "ROMEO").await;
    let first = scripts::add_element(&t.db, h.heading_id, action("Rain."))
        .await
        .unwrap();
    let line = NewElement {
        kind: ElementKind::Dialogue,
        text: "Hello.".into(),
        character_id: Some(romeo.character_id),
        parenthetical: None,
        position: None,
    };
    let second = scripts::add_element(&t.db, h.heading_id, line)
        .await
        .unwrap();
    assert_eq!(
        (first.sequence_number, second.sequence_number),
        (Some(1), Some(2))
    );
    let spoken =
        sequence::generate_sequence_number(&t.db, ElementType::SpokenWord, second.element_id)
            .await
            .unwrap();
    assert_eq!(spoken.sequence_number, 2);
    // An action id is not a spoken word.
    rejected(
        sequence::generate_sequence_number(&t.db, ElementType::SpokenWord, first.element_id).await,
        "not_found",
    );
}

#[rstest]
#[tokio::test]
async fn reorder_gives_a_gap_free_order_and_keeps_the_unnamed_in_their_old_order(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "A").await;
    let mut ids = Vec::new();
    for title in ["one", "two", "three", "four"] {
        ids.push(section(&t.db, s.script_id, title).await.heading_id);
    }
    let moved = sequence::reorder_elements(
        &t.db,
        ElementType::Section,
        Some(s.script_id),
        &[Placement {
            element_id: ids[3],
            new_sequence: 1,
        }],
    )
    .await
    .unwrap();
    let expected = vec![ids[3], ids[0], ids[1], ids[2]];
    let got: Vec<i64> = moved
        .updated_elements
        .iter()
        .map(|p| p.element_id)
        .collect();
    assert_eq!(got, expected);
    let order = section_order(&t, s.script_id).await;
    assert_eq!(
        order,
        expected
            .iter()
            .zip(1..)
            .map(|(id, n)| (*id, Some(n)))
            .collect::<Vec<_>>()
    );
}

#[rstest]
#[tokio::test]
async fn a_rejected_reorder_changes_nothing(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "A").await;
    let other = script(&t.db, "B").await;
    let a = section(&t.db, s.script_id, "a").await.heading_id;
    let b = section(&t.db, s.script_id, "b").await.heading_id;
    let c = section(&t.db, s.script_id, "c").await.heading_id;
    let foreign = section(&t.db, other.script_id, "x").await.heading_id;
    let before = dump(&t.db).await;
    let cases: Vec<(Vec<i64>, &str)> = vec![
        (vec![c, a, c], "invalid_input"),       // duplicate id
        (vec![c, 9999, a], "not_found"),        // unknown id
        (vec![c, foreign, a], "invalid_input"), // another script's section
        (vec![c, b, a, foreign], "invalid_input"),
        (vec![], "invalid_input"),
    ];
    for (order, code) in cases {
        let err = scripts::reorder_sections(&t.db, s.script_id, &order)
            .await
            .unwrap_err();
        assert_eq!(err.code(), code, "order {order:?}");
        assert_eq!(
            dump(&t.db).await,
            before,
            "order {order:?} changed the database"
        );
    }
    let outside = [Placement {
        element_id: a,
        new_sequence: 4,
    }];
    rejected(
        sequence::reorder_elements(&t.db, ElementType::Section, None, &outside).await,
        "invalid_input",
    );
    let twice = [
        Placement {
            element_id: a,
            new_sequence: 2,
        },
        Placement {
            element_id: b,
            new_sequence: 2,
        },
    ];
    rejected(
        sequence::reorder_elements(&t.db, ElementType::Section, None, &twice).await,
        "invalid_input",
    );
    assert_eq!(dump(&t.db).await, before);
}

#[rstest]
#[tokio::test]
async fn deleting_and_moving_keep_every_scope_gap_free(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "A").await;
    let h = section(&t.db, s.script_id, "a").await.heading_id;
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(
            scripts::add_element(&t.db, h, action(&format!("beat {i}")))
                .await
                .unwrap()
                .element_id,
        );
    }
    scripts::delete_element(&t.db, ids[1]).await.unwrap();
    let moved = scripts::move_element(
        &t.db,
        ids[4],
        scripts::MoveElement {
            heading_id: None,
            position: 1,
        },
    )
    .await
    .unwrap();
    assert_eq!(moved.sequence_number, Some(1));
    let order: Vec<(String, Option<i64>)> = scripts::list_elements(&t.db, h)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.text, e.sequence_number))
        .collect();
    let expected = [("beat 4", 1), ("beat 0", 2), ("beat 2", 3), ("beat 3", 4)];
    assert_eq!(
        order,
        expected
            .iter()
            .map(|(t, n)| (t.to_string(), Some(*n)))
            .collect::<Vec<_>>()
    );
    // An insert at a position pushes the rest down.
    let mut at_two = action("inserted");
    at_two.position = Some(2);
    let inserted = scripts::add_element(&t.db, h, at_two).await.unwrap();
    assert_eq!(inserted.sequence_number, Some(2));
    let numbers: Vec<Option<i64>> = scripts::list_elements(&t.db, h)
        .await
        .unwrap()
        .iter()
        .map(|e| e.sequence_number)
        .collect();
    assert_eq!(numbers, (1..=5).map(Some).collect::<Vec<_>>());
}

#[rstest]
#[tokio::test]
async fn a_script_version_restores_text_structure_and_order(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Draft").await;
    let romeo = character(&t.db, s.script_id, "ROMEO").await;
    let h1 = section(&t.db, s.script_id, "INT. CRYPT - NIGHT")
        .await
        .heading_id;
    let h2 = section(&t.db, s.script_id, "EXT. VERONA - DAY")
        .await
        .heading_id;
    let keep = scripts::add_element(&t.db, h1, action("Candles."))
        .await
        .unwrap();
    let v1 = sequence::create_version(&t.db, ElementType::Script, s.script_id, "first draft")
        .await
        .unwrap();
    assert_eq!(v1.version_number, 1);

    // Rework: rename, reorder, edit, add a character with a line, delete a section.
    scripts::update_script(
        &t.db,
        s.script_id,
        scripts::ScriptUpdate {
            title: Some("Second".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    scripts::reorder_sections(&t.db, s.script_id, &[h2, h1])
        .await
        .unwrap();
    scripts::update_element(
        &t.db,
        keep.element_id,
        scripts::ElementUpdate {
            text: Some("Darkness.".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let tybalt = character(&t.db, s.script_id, "TYBALT").await;
    let line = NewElement {
        kind: ElementKind::Dialogue,
        text: "Draw!".into(),
        character_id: Some(tybalt.character_id),
        parenthetical: None,
        position: Some(1),
    };
    scripts::add_element(&t.db, h1, line).await.unwrap();
    scripts::delete_section(&t.db, h2).await.unwrap();
    let v2 = sequence::create_version(&t.db, ElementType::Script, s.script_id, "second draft")
        .await
        .unwrap();

    let restored = sequence::restore_version(&t.db, ElementType::Script, s.script_id, 1)
        .await
        .unwrap();
    assert_eq!(
        restored.version_number, 3,
        "restore is itself a new version"
    );
    assert_eq!(
        scripts::get_script(&t.db, s.script_id).await.unwrap().title,
        "Draft"
    );
    let sections: Vec<(i64, String, Option<i64>)> = scripts::list_sections(&t.db, s.script_id)
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.heading_id, s.title, s.sequence_number))
        .collect();
    assert_eq!(
        sections,
        vec![
            (h1, "INT. CRYPT - NIGHT".into(), Some(1)),
            (h2, "EXT. VERONA - DAY".into(), Some(2))
        ]
    );
    let elements = scripts::list_elements(&t.db, h1).await.unwrap();
    assert_eq!(elements.len(), 1);
    assert_eq!(
        (elements[0].element_id, elements[0].text.as_str()),
        (keep.element_id, "Candles.")
    );
    let names: Vec<String> = fountainai::characters::list_characters(&t.db, s.script_id)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, vec!["ROMEO".to_string()]);
    assert_eq!(romeo.name, "ROMEO");

    // Restoring version 2 brings the rework back, so nothing was lost.
    sequence::restore_version(&t.db, ElementType::Script, s.script_id, v2.version_number)
        .await
        .unwrap();
    let elements = scripts::list_elements(&t.db, h1).await.unwrap();
    let texts: Vec<&str> = elements.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(texts, vec!["Draw!", "Darkness."]);
    let report = fountainai::story::validate_story(&t.db, s.script_id)
        .await
        .unwrap();
    assert!(report.valid, "{:?}", report.issues);
}

#[rstest]
#[tokio::test]
async fn restoring_keeps_unsaved_work_as_a_version(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "A").await;
    let h = section(&t.db, s.script_id, "a").await.heading_id;
    let e = scripts::add_element(&t.db, h, action("Version one."))
        .await
        .unwrap();
    sequence::create_version(&t.db, ElementType::Action, e.element_id, "")
        .await
        .unwrap();
    scripts::update_element(
        &t.db,
        e.element_id,
        scripts::ElementUpdate {
            text: Some("Unsaved edit.".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    sequence::restore_version(&t.db, ElementType::Action, e.element_id, 1)
        .await
        .unwrap();
    assert_eq!(
        scripts::get_element(&t.db, e.element_id)
            .await
            .unwrap()
            .text,
        "Version one."
    );
    let versions = sequence::list_versions(&t.db, ElementType::Element, e.element_id)
        .await
        .unwrap();
    let comments: Vec<&str> = versions.iter().map(|v| v.comment.as_str()).collect();
    assert_eq!(
        comments,
        vec!["", "before restoring version 1", "restored version 1"]
    );
    let kept = sequence::get_version(&t.db, ElementType::Action, e.element_id, 2)
        .await
        .unwrap();
    assert_eq!(kept.data["text"], "Unsaved edit.");
}

#[rstest]
#[tokio::test]
async fn a_diff_names_what_changed_between_two_versions(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "A").await;
    let h = section(&t.db, s.script_id, "INT. ROOM - DAY")
        .await
        .heading_id;
    let e = scripts::add_element(&t.db, h, action("Door opens."))
        .await
        .unwrap();
    sequence::create_version(&t.db, ElementType::Section, h, "")
        .await
        .unwrap();
    scripts::update_element(
        &t.db,
        e.element_id,
        scripts::ElementUpdate {
            text: Some("Door slams.".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    scripts::update_section(&t.db, h, "INT. ROOM - NIGHT")
        .await
        .unwrap();
    sequence::create_version(&t.db, ElementType::Section, h, "")
        .await
        .unwrap();
    let diff = sequence::diff_versions(&t.db, ElementType::Section, h, 1, 2)
        .await
        .unwrap();
    let paths: Vec<&str> = diff.changes.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            format!("elements[elementId={}].text", e.element_id).as_str(),
            "title"
        ]
    );
    assert_eq!(
        diff.changes[1].after,
        Some(serde_json::json!("INT. ROOM - NIGHT"))
    );
    rejected(
        sequence::get_version(&t.db, ElementType::Section, h, 7).await,
        "not_found",
    );
}

#[rstest]
#[tokio::test]
async fn a_section_version_restores_its_elements_and_order(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "A").await;
    let h = section(&t.db, s.script_id, "a").await.heading_id;
    let other = section(&t.db, s.script_id, "b").await.heading_id;
    let x = scripts::add_element(&t.db, h, action("x"))
        .await
        .unwrap()
        .element_id;
    let y = scripts::add_element(&t.db, h, action("y"))
        .await
        .unwrap()
        .element_id;
    sequence::create_version(&t.db, ElementType::Section, h, "")
        .await
        .unwrap();
    scripts::move_element(
        &t.db,
        x,
        scripts::MoveElement {
            heading_id: Some(other),
            position: 1,
        },
    )
    .await
    .unwrap();
    scripts::add_element(&t.db, h, action("z")).await.unwrap();
    sequence::restore_version(&t.db, ElementType::Section, h, 1)
        .await
        .unwrap();
    let ids: Vec<i64> = scripts::list_elements(&t.db, h)
        .await
        .unwrap()
        .iter()
        .map(|e| e.element_id)
        .collect();
    assert_eq!(ids, vec![x, y]);
    assert!(scripts::list_elements(&t.db, other)
        .await
        .unwrap()
        .is_empty());
    let report = fountainai::story::validate_story(&t.db, s.script_id)
        .await
        .unwrap();
    assert!(report.valid, "{:?}", report.issues);
}

/// Every column of every row a script's versions cover (the script, its sections, characters,
/// elements, their paraphrases, its sessions, their contexts and entries), except the script's
/// `updated_at` and `revision`, which say when it last changed; `loose` leaves out the
/// sessions' `updated_at` too (a session changed after a version keeps that time).
async fn scope_dump(db: &fountainai::Database, script_id: i64, loose: bool) -> String {
    let elements =
        "SELECT e.element_id FROM elements e JOIN section_headings h USING (heading_id) \
                    WHERE h.script_id = $1";
    let contexts = "SELECT context_id FROM contexts WHERE session_id IN \
                    (SELECT session_id FROM sessions WHERE script_id = $1)";
    let tables = [
        ("scripts", "script_id = ?1".to_string()),
        ("section_headings", "script_id = ?1".to_string()),
        ("characters", "script_id = ?1".to_string()),
        ("elements", format!("element_id IN ({elements})")),
        (
            "paraphrases",
            format!(
                "(original_type IN ('action', 'spokenWord') AND original_id IN ({elements})) OR \
                 (original_type = 'character' AND original_id IN \
                 (SELECT character_id FROM characters WHERE script_id = $1))"
            ),
        ),
        ("sessions", "script_id = ?1".to_string()),
        ("contexts", format!("context_id IN ({contexts})")),
        ("context_entries", format!("context_id IN ({contexts})")),
    ];
    let mut out = String::new();
    for (table, filter) in tables {
        let columns: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT name FROM pragma_table_info('{table}') ORDER BY cid"
        ))
        .fetch_all(db.pool())
        .await
        .unwrap();
        let order = columns[..2].join(", ");
        let columns: Vec<String> = columns
            .into_iter()
            // Revisions count changes, a restore among them.
            .filter(|c| !(table == "scripts" && (c == "updated_at" || c == "revision")))
            .filter(|c| !(table == "section_headings" && c == "revision"))
            .filter(|c| !(loose && table == "sessions" && c == "updated_at"))
            .map(|c| format!("quote({c})"))
            .collect();
        let rows: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT {} FROM {table} WHERE {filter} ORDER BY {order}",
            columns.join(" || '|' || ")
        ))
        .bind(script_id)
        .fetch_all(db.pool())
        .await
        .unwrap();
        out.push_str(&format!("{table}\n{}\n", rows.join("\n")));
    }
    out
}

/// What a writer does after saving a version: a new line with an alt, a new scene with a mood,
/// a changed mood, an alt on a character, a deleted scene.
async fn work_after_a_version(db: &fountainai::Database, script_id: i64, session_id: i64) {
    use fountainai::characters;
    use fountainai::sessions::{self, ContextTarget};
    use std::collections::BTreeMap;
    let sections = scripts::list_sections(db, script_id).await.unwrap();
    let line = scripts::add_element(db, sections[0].heading_id, action("A line added later."))
        .await
        .unwrap();
    characters::add_paraphrase(
        db,
        ElementType::Action,
        line.element_id,
        "Said later.",
        "why",
    )
    .await
    .unwrap();
    let scene = section(db, script_id, "INT. A NEW PLACE - NIGHT").await;
    scripts::add_element(db, scene.heading_id, action("Something new."))
        .await
        .unwrap();
    let mood = |m: &str| BTreeMap::from([("mood".to_string(), m.to_string())]);
    for (heading, m) in [(scene.heading_id, "dread"), (sections[0].heading_id, "joy")] {
        let target = ContextTarget {
            heading_id: Some(heading),
            character_id: None,
            element_id: None,
        };
        sessions::set_context(db, session_id, target, &mood(m), &[])
            .await
            .unwrap();
    }
    let cast = characters::list_characters(db, script_id).await.unwrap();
    characters::add_paraphrase(
        db,
        ElementType::Character,
        cast[0].character_id,
        "Other.",
        "",
    )
    .await
    .unwrap();
    let lines = scripts::list_elements(db, sections[0].heading_id)
        .await
        .unwrap();
    scripts::delete_element(db, lines[0].element_id)
        .await
        .unwrap();
    if sections.len() > 1 {
        let last = sections.last().unwrap().heading_id;
        scripts::delete_section(db, last).await.unwrap();
    }
}

async fn restore_round_trip(doc: fountainai::document::ScriptDocument) {
    let t = TestDb::new().await;
    let db = &t.db;
    let loaded = fountainai::document::load_document(db, &doc).await.unwrap();
    let id = loaded.script_id;
    let session = match loaded.session_ids.first() {
        Some(s) => *s,
        None => common::session(db, id).await.session_id,
    };
    let v1 = sequence::create_version(db, ElementType::Script, id, "v1")
        .await
        .unwrap();
    let at_v1 = scope_dump(db, id, true).await;
    work_after_a_version(db, id, session).await;
    let before = scope_dump(db, id, false).await;
    assert_ne!(before, at_v1);
    sequence::restore_version(db, ElementType::Script, id, v1.version_number)
        .await
        .unwrap();
    assert_eq!(
        scope_dump(db, id, true).await,
        at_v1,
        "restoring v1 gives v1 back"
    );
    let versions = sequence::list_versions(db, ElementType::Script, id)
        .await
        .unwrap();
    let saved = versions
        .iter()
        .find(|v| v.comment == "before restoring version 1")
        .unwrap();
    sequence::restore_version(db, ElementType::Script, id, saved.version_number)
        .await
        .unwrap();
    assert_eq!(scope_dump(db, id, false).await, before, "nothing lost");

    // The same for one section: its lines' alts and the moods on it and its lines.
    let heading = scripts::list_sections(db, id).await.unwrap()[0].heading_id;
    let v = sequence::create_version(db, ElementType::Section, heading, "")
        .await
        .unwrap();
    let line = scripts::add_element(db, heading, action("Another line."))
        .await
        .unwrap();
    fountainai::characters::add_paraphrase(db, ElementType::Action, line.element_id, "Alt.", "")
        .await
        .unwrap();
    let before = scope_dump(db, id, false).await;
    sequence::restore_version(db, ElementType::Section, heading, v.version_number)
        .await
        .unwrap();
    let latest = sequence::list_versions(db, ElementType::Section, heading)
        .await
        .unwrap();
    let saved = latest
        .iter()
        .find(|x| x.comment == format!("before restoring version {}", v.version_number))
        .unwrap();
    sequence::restore_version(db, ElementType::Section, heading, saved.version_number)
        .await
        .unwrap();
    assert_eq!(
        scope_dump(db, id, false).await,
        before,
        "section: nothing lost"
    );
}

#[tokio::test]
async fn restoring_a_version_and_back_gives_the_feature_script_back_exactly() {
    restore_round_trip(fountainai::examples::feature_script(12)).await;
}

#[tokio::test]
async fn restoring_a_version_and_back_gives_romeo_and_juliet_back_exactly() {
    restore_round_trip(fountainai::examples::romeo_and_juliet().unwrap()).await;
}

#[rstest]
#[tokio::test]
async fn a_snapshot_saved_before_versions_held_alts_and_contexts_still_restores(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    use fountainai::characters;
    use fountainai::sessions::{self, ContextTarget};
    use std::collections::BTreeMap;
    let t = TestDb::on(engine).await;
    let db = &t.db;
    let s = script(db, "Old").await;
    let h = section(db, s.script_id, "INT. KITCHEN - DAY").await;
    let e = scripts::add_element(db, h.heading_id, action("As it was."))
        .await
        .unwrap();
    sequence::create_version(db, ElementType::Script, s.script_id, "old")
        .await
        .unwrap();
    // As the app wrote it before: no `paraphrases`, no `sessions`.
    let strip = match db.engine() {
        Engine::Sqlite => "UPDATE versions SET data = json_remove(data, '$.paraphrases', '$.sessions')",
        Engine::Postgres => {
            "UPDATE versions SET data = CAST(CAST(data AS jsonb) - 'paraphrases' - 'sessions' AS json)"
        }
    };
    sqlx::query(strip).execute(db.pool()).await.unwrap();
    let stored: String = sqlx::query_scalar("SELECT CAST(data AS TEXT) FROM versions")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert!(!stored.contains("\"sessions\"") && stored.contains("As it was."));
    scripts::update_element(
        db,
        e.element_id,
        scripts::ElementUpdate {
            text: Some("As it is now.".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    characters::add_paraphrase(db, ElementType::Action, e.element_id, "An alt.", "")
        .await
        .unwrap();
    let session = common::session(db, s.script_id).await;
    let mood = BTreeMap::from([("mood".to_string(), "calm".to_string())]);
    let target = ContextTarget {
        heading_id: Some(h.heading_id),
        character_id: None,
        element_id: None,
    };
    sessions::set_context(db, session.session_id, target, &mood, &[])
        .await
        .unwrap();
    sequence::restore_version(db, ElementType::Script, s.script_id, 1)
        .await
        .unwrap();
    let now = scripts::get_element(db, e.element_id).await.unwrap();
    assert_eq!(now.text, "As it was.");
    let alts = characters::list_paraphrases(db, ElementType::Action, e.element_id)
        .await
        .unwrap();
    assert_eq!(alts.len(), 1, "an old snapshot leaves alts as they are");
    let contexts = sessions::get_context(db, session.session_id).await.unwrap();
    assert_eq!(contexts.contexts.len(), 1, "and contexts");
}
