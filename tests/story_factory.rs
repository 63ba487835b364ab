//! Story Factory: the assembled FullStory, story sequences and the validation report.
mod common;

use common::Engine;
use common::{character, rejected, script, section, TestDb};
use fountainai::document::load_document;
use fountainai::examples;
use fountainai::scripts::{self, ElementKind, NewElement};
use fountainai::story::{self, StoryRequest};
use rstest::rstest;
use serde_json::{json, Value};

async fn romeo(t: &TestDb) -> (i64, i64) {
    let doc = examples::romeo_and_juliet().unwrap();
    let loaded = load_document(&t.db, &doc).await.unwrap();
    (loaded.script_id, loaded.session_ids[0])
}

fn request(script_id: i64, session_id: Option<i64>) -> StoryRequest {
    StoryRequest {
        script_id,
        session_id,
        ..Default::default()
    }
}

#[rstest]
#[tokio::test]
async fn romeo_and_juliet_assembles_into_the_full_story_shape(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let (script_id, session_id) = romeo(&t).await;
    let full = story::get_full_story(&t.db, &request(script_id, Some(session_id)))
        .await
        .unwrap();
    let v = serde_json::to_value(&full).unwrap();
    assert_eq!(v["scriptId"], script_id);
    assert_eq!(v["title"], "Romeo and Juliet");
    assert_eq!(v["author"], "William Shakespeare");
    assert_eq!(v["description"], "A tale of two star-crossed lovers.");
    assert_eq!(
        v["sections"],
        json!([{ "headingId": 1, "scriptId": script_id, "title": "Act 1, Scene 1", "sequence": 1 }])
    );
    let story = v["story"].as_array().unwrap();
    let summary: Vec<(i64, &str, &str, &str, Value)> = story
        .iter()
        .map(|item| {
            (
                item["sequence"].as_i64().unwrap(),
                item["character"]["name"].as_str().unwrap(),
                item["spokenWord"]["text"].as_str().unwrap(),
                item["context"]["data"]["mood"].as_str().unwrap(),
                item["context"]["data"]["location"].clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (1, "Juliet", "O Romeo, Romeo! wherefore art thou Romeo?", "longing", json!("Capulet's mansion balcony")),
            (2, "Romeo", "By a name I know not how to tell thee who I am: My name, dear saint, is hateful to myself, Because it is an enemy to thee.", "desperate", json!("Below Juliet's balcony")),
            (3, "Juliet", "What's in a name? That which we call a rose By any other name would smell as sweet.", "curious", Value::Null),
        ]
    );
    for item in story {
        assert!(item["spokenWord"]["dialogueId"].is_i64());
        assert!(item["character"]["characterId"].is_i64());
        assert!(item["context"]["contextId"].is_i64());
    }
    assert_eq!(
        v["orchestration"],
        json!({ "csoundFilePath": "", "lilyPondFilePath": "", "midiFilePath": "" })
    );
}

#[rstest]
#[tokio::test]
async fn without_a_session_the_story_has_no_context(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let (script_id, _) = romeo(&t).await;
    let full = story::get_full_story(&t.db, &request(script_id, None))
        .await
        .unwrap();
    assert_eq!(full.story.len(), 3);
    assert!(full.story.iter().all(|i| i.context.is_none()));
}

#[rstest]
#[tokio::test]
async fn filters_keep_each_item_in_its_true_place(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let (script_id, session_id) = romeo(&t).await;
    let juliet = fountainai::characters::list_characters(&t.db, script_id)
        .await
        .unwrap()[0]
        .character_id;
    let by_character = StoryRequest {
        filter_by_character: Some(juliet),
        ..request(script_id, Some(session_id))
    };
    let full = story::get_full_story(&t.db, &by_character).await.unwrap();
    let places: Vec<i64> = full.story.iter().map(|i| i.sequence).collect();
    assert_eq!(places, vec![1, 3]);
    let by_mood = StoryRequest {
        filter_by_context: Some(("mood".into(), "desperate".into())),
        ..request(script_id, Some(session_id))
    };
    let full = story::get_full_story(&t.db, &by_mood).await.unwrap();
    assert_eq!(full.story.len(), 1);
    assert_eq!(full.story[0].character.as_ref().unwrap().name, "Romeo");
    let nobody = StoryRequest {
        filter_by_character: Some(999),
        ..request(script_id, None)
    };
    assert_eq!(
        story::get_full_story(&t.db, &nobody)
            .await
            .unwrap_err()
            .code(),
        "not_found"
    );
}

#[rstest]
#[tokio::test]
async fn an_unknown_script_is_an_error_never_an_empty_story(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let err = story::get_full_story(&t.db, &request(42, None))
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.to_string().as_str()),
        ("not_found", "Script not found.")
    );
    let err = story::get_story_sequences(&t.db, 42, 1, 2, None)
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "Script not found.");
    assert_eq!(
        story::validate_story(&t.db, 42).await.unwrap_err().code(),
        "not_found"
    );
}

#[rstest]
#[tokio::test]
async fn a_session_of_another_script_is_refused(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let (_, session_id) = romeo(&t).await;
    let other = script(&t.db, "Other").await;
    rejected(
        story::get_full_story(&t.db, &request(other.script_id, Some(session_id))).await,
        "invalid_input",
    );
}

#[rstest]
#[tokio::test]
async fn story_sequences_run_across_sections_in_order(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let doc = examples::feature_script(12);
    let loaded = load_document(&t.db, &doc).await.unwrap();
    let full = story::get_full_story(&t.db, &request(loaded.script_id, None))
        .await
        .unwrap();
    let part = story::get_story_sequences(&t.db, loaded.script_id, 5, 20, None)
        .await
        .unwrap();
    let numbers: Vec<i64> = part.sequences.iter().map(|i| i.sequence).collect();
    assert_eq!(numbers, (5..=20).collect::<Vec<_>>());
    assert_eq!(part.sequences[0].element_id, full.story[4].element_id);
    // Reordering sections reorders the story.
    let sections = scripts::list_sections(&t.db, loaded.script_id)
        .await
        .unwrap();
    let last = sections.last().unwrap().heading_id;
    scripts::reorder_sections(&t.db, loaded.script_id, &[last])
        .await
        .unwrap();
    let first = story::get_story_sequences(&t.db, loaded.script_id, 1, 1, None)
        .await
        .unwrap();
    assert_eq!(first.sequences[0].heading_id, last);
    rejected(
        story::get_story_sequences(&t.db, loaded.script_id, 5, 4, None).await,
        "invalid_input",
    );
}

#[rstest]
#[tokio::test]
async fn the_validation_report_finds_gaps_duplicates_dangling_references_and_silent_characters(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Broken").await;
    let other = script(&t.db, "Other").await;
    let h = section(&t.db, s.script_id, "INT. ROOM - DAY")
        .await
        .heading_id;
    let ada = character(&t.db, s.script_id, "ADA").await.character_id;
    let silent = character(&t.db, s.script_id, "SILENT BOB")
        .await
        .character_id;
    let stranger = character(&t.db, other.script_id, "STRANGER")
        .await
        .character_id;
    let mut ids = Vec::new();
    for text in ["one", "two", "three", "four"] {
        let line = NewElement {
            kind: ElementKind::Dialogue,
            text: text.into(),
            character_id: Some(ada),
            parenthetical: None,
            position: None,
        };
        ids.push(
            scripts::add_element(&t.db, h, line)
                .await
                .unwrap()
                .element_id,
        );
    }
    let clean = story::validate_story(&t.db, s.script_id).await.unwrap();
    assert!(clean.valid);
    assert_eq!(clean.issues.len(), 1);
    assert_eq!(
        (clean.issues[0].kind.as_str(), clean.issues[0].element_id),
        ("silentCharacter", silent)
    );

    // Damage the file the way another tool or a hand edit could.
    for sql in [
        format!(
            "UPDATE elements SET sequence_number = 2 WHERE element_id = {}",
            ids[2]
        ),
        format!(
            "UPDATE elements SET sequence_number = 7 WHERE element_id = {}",
            ids[3]
        ),
        format!(
            "UPDATE elements SET character_id = {stranger} WHERE element_id = {}",
            ids[0]
        ),
    ] {
        let done = sqlx::query(&sql).execute(t.db.pool()).await;
        // A room's server refuses two lines in one place outright; a file takes it.
        match (engine, sql.contains("sequence_number = 2")) {
            (Engine::Postgres, true) => assert!(done.is_err(), "the server took a duplicate"),
            _ => {
                done.unwrap();
            }
        }
    }
    let report = story::validate_story(&t.db, s.script_id).await.unwrap();
    assert!(!report.valid);
    let kinds: Vec<(&str, i64)> = report
        .issues
        .iter()
        .map(|i| (i.kind.as_str(), i.element_id))
        .collect();
    if engine == Engine::Sqlite {
        assert!(kinds.contains(&("duplicate", ids[2])), "{kinds:?}");
    }
    assert!(kinds.contains(&("gap", ids[3])), "{kinds:?}");
    assert!(kinds.contains(&("danglingReference", ids[0])), "{kinds:?}");
    assert!(kinds.contains(&("silentCharacter", silent)), "{kinds:?}");
    assert!(report
        .issues
        .iter()
        .filter(|i| i.kind != "silentCharacter")
        .all(|i| i.heading_id == Some(h)));
}

#[rstest]
#[tokio::test]
async fn the_generated_feature_script_is_realistic_and_deterministic(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let doc = examples::feature_script(120);
    assert_eq!(
        serde_json::to_string(&doc).unwrap(),
        serde_json::to_string(&examples::feature_script(120)).unwrap()
    );
    assert_eq!(doc.sections.len(), 150);
    assert_eq!(doc.characters.len(), 30);
    let lines = doc
        .sections
        .iter()
        .flat_map(|s| &s.elements)
        .filter(|e| e.kind == ElementKind::Dialogue)
        .count();
    assert_eq!(lines, 1500);
    let t = TestDb::on(engine).await;
    let loaded = load_document(&t.db, &doc).await.unwrap();
    let report = story::validate_story(&t.db, loaded.script_id)
        .await
        .unwrap();
    assert!(
        report.valid && report.issues.is_empty(),
        "{:?}",
        &report.issues[..report.issues.len().min(3)]
    );
    let full = story::get_full_story(
        &t.db,
        &request(loaded.script_id, Some(loaded.session_ids[0])),
    )
    .await
    .unwrap();
    assert!(full.sections.iter().all(|s| s
        .context
        .as_ref()
        .is_some_and(|c| c.data.contains_key("mood"))));
}

#[rstest]
#[tokio::test]
async fn a_bad_document_loads_nothing(#[values(Engine::Sqlite, Engine::Postgres)] engine: Engine) {
    let t = TestDb::on(engine).await;
    let mut doc = examples::romeo_and_juliet().unwrap();
    doc.sessions[0].contexts[0].section = Some(9);
    rejected(load_document(&t.db, &doc).await, "invalid_input");
    let list = scripts::list_scripts(&t.db, &Default::default())
        .await
        .unwrap();
    assert_eq!(
        list.total_count, 0,
        "a failed load must leave no half-written script"
    );
}
