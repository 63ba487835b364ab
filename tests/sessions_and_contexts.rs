//! Session & Context: sessions interpreting a script, and the key/value contexts they attach to
//! sections, characters and single elements.

mod common;

use common::Engine;
use std::collections::BTreeMap;
use std::fmt::Debug;

use common::{add, character, dump, rejected, script, section, tick, TestDb};
use fountainai::scripts::{self, ElementKind};
use fountainai::sessions::{self, Context, ContextTarget, NewSession, Session, SessionUpdate};
use fountainai::story::{self, StoryRequest};
use fountainai::{characters, Database, Error};
use rstest::rstest;
use serde_json::json;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

type Data = BTreeMap<String, String>;

fn data(pairs: &[(&str, &str)]) -> Data {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A context's data as a plain map, however the crate shares it.
fn plain(data: &Data) -> Data {
    data.clone()
}

fn keys(names: &[&str]) -> Vec<String> {
    names.iter().map(|k| k.to_string()).collect()
}

fn on_section(heading_id: i64) -> ContextTarget {
    ContextTarget {
        heading_id: Some(heading_id),
        ..Default::default()
    }
}

fn on_character(character_id: i64) -> ContextTarget {
    ContextTarget {
        character_id: Some(character_id),
        ..Default::default()
    }
}

fn on_both(heading_id: i64, character_id: i64) -> ContextTarget {
    ContextTarget {
        heading_id: Some(heading_id),
        character_id: Some(character_id),
        element_id: None,
    }
}

fn on_element(element_id: i64) -> ContextTarget {
    ContextTarget {
        element_id: Some(element_id),
        ..Default::default()
    }
}

async fn session_for(db: &Database, script_id: Option<i64>) -> Session {
    sessions::create_session(
        db,
        NewSession {
            script_id,
            ..Default::default()
        },
    )
    .await
    .expect("create session")
}

async fn set(
    db: &Database,
    session_id: i64,
    target: ContextTarget,
    pairs: &[(&str, &str)],
) -> Context {
    sessions::set_context(db, session_id, target, &data(pairs), &[])
        .await
        .expect("set context")
}

/// A script with one section, one character and one line, plus the same in another script.
struct World {
    script_id: i64,
    heading_id: i64,
    character_id: i64,
    element_id: i64,
    other_script_id: i64,
    other_heading_id: i64,
    other_character_id: i64,
    other_element_id: i64,
}

impl World {
    fn target(&self, kind: Target) -> ContextTarget {
        match kind {
            Target::Section => on_section(self.heading_id),
            Target::Character => on_character(self.character_id),
            Target::SectionAndCharacter => on_both(self.heading_id, self.character_id),
            Target::Element => on_element(self.element_id),
        }
    }

    fn other_target(&self, kind: Target) -> ContextTarget {
        match kind {
            Target::Section => on_section(self.other_heading_id),
            Target::Character => on_character(self.other_character_id),
            Target::SectionAndCharacter => on_both(self.heading_id, self.other_character_id),
            Target::Element => on_element(self.other_element_id),
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Target {
    Section,
    Character,
    SectionAndCharacter,
    Element,
}

async fn world(db: &Database) -> World {
    let s = script(db, "Mine").await;
    let sec = section(db, s.script_id, "INT. ROOF - NIGHT").await;
    let ann = character(db, s.script_id, "ANN").await;
    let line = add(
        db,
        sec.heading_id,
        ElementKind::Dialogue,
        Some(ann.character_id),
        "Jump!",
    )
    .await;
    let o = script(db, "Theirs").await;
    let osec = section(db, o.script_id, "EXT. BEACH - DAY").await;
    let ozed = character(db, o.script_id, "ZED").await;
    let oline = add(
        db,
        osec.heading_id,
        ElementKind::Dialogue,
        Some(ozed.character_id),
        "Swim!",
    )
    .await;
    World {
        script_id: s.script_id,
        heading_id: sec.heading_id,
        character_id: ann.character_id,
        element_id: line.element_id,
        other_script_id: o.script_id,
        other_heading_id: osec.heading_id,
        other_character_id: ozed.character_id,
        other_element_id: oline.element_id,
    }
}

// ---------------------------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------------------------

#[rstest]
#[tokio::test]
async fn a_session_is_created_and_read_back(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Mine").await;

    let bare = session_for(&t.db, None).await;
    assert_eq!(bare.user_id, 0);
    assert_eq!(bare.script_id, None);
    assert_eq!(bare.context, "");
    assert_eq!(bare.created_at, bare.updated_at);
    assert!(bare.created_at.ends_with('Z'));

    let full = sessions::create_session(
        &t.db,
        NewSession {
            user_id: Some(7),
            script_id: Some(s.script_id),
            context: Some("A noir reading".into()),
        },
    )
    .await
    .unwrap();
    assert_eq!(full.user_id, 7);
    assert_eq!(full.script_id, Some(s.script_id));
    assert_eq!(full.context, "A noir reading");
    assert_ne!(full.session_id, bare.session_id);

    assert_eq!(
        sessions::get_session(&t.db, full.session_id).await.unwrap(),
        full
    );
    assert_eq!(
        sessions::get_session(&t.db, bare.session_id).await.unwrap(),
        bare
    );

    let value = serde_json::to_value(&full).unwrap();
    assert_eq!(value["sessionId"], json!(full.session_id));
    assert_eq!(value["userId"], json!(7));
    assert_eq!(value["scriptId"], json!(s.script_id));
}

#[rstest]
#[tokio::test]
async fn a_session_of_an_unknown_script_is_not_created(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let error = rejected(
        sessions::create_session(
            &t.db,
            NewSession {
                script_id: Some(404),
                ..Default::default()
            },
        )
        .await,
        "not_found",
    );
    assert_eq!(error.to_string(), "Script not found.");
    assert!(sessions::list_sessions(&t.db, None)
        .await
        .unwrap()
        .is_empty());
}

#[rstest]
#[tokio::test]
async fn sessions_are_listed_newest_first_and_by_script(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let a = script(&t.db, "A").await;
    let b = script(&t.db, "B").await;
    let a1 = session_for(&t.db, Some(a.script_id)).await;
    let b1 = session_for(&t.db, Some(b.script_id)).await;
    let unbound = session_for(&t.db, None).await;
    let a2 = session_for(&t.db, Some(a.script_id)).await;

    let ids = |list: Vec<Session>| list.into_iter().map(|s| s.session_id).collect::<Vec<_>>();
    assert_eq!(
        ids(sessions::list_sessions(&t.db, None).await.unwrap()),
        vec![
            a2.session_id,
            unbound.session_id,
            b1.session_id,
            a1.session_id
        ]
    );
    assert_eq!(
        ids(sessions::list_sessions(&t.db, Some(a.script_id))
            .await
            .unwrap()),
        vec![a2.session_id, a1.session_id]
    );
    assert_eq!(
        ids(sessions::list_sessions(&t.db, Some(b.script_id))
            .await
            .unwrap()),
        vec![b1.session_id]
    );
    assert!(sessions::list_sessions(&t.db, Some(999))
        .await
        .unwrap()
        .is_empty());
}

#[rstest]
#[tokio::test]
async fn a_session_can_be_updated(#[values(Engine::Sqlite, Engine::Postgres)] engine: Engine) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Mine").await;
    let original = sessions::create_session(
        &t.db,
        NewSession {
            user_id: Some(1),
            script_id: Some(s.script_id),
            context: Some("first".into()),
        },
    )
    .await
    .unwrap();
    tick().await;

    let updated = sessions::update_session(
        &t.db,
        original.session_id,
        SessionUpdate {
            user_id: None,
            context: Some("second".into()),
        },
    )
    .await
    .unwrap();
    assert_eq!(updated.context, "second");
    assert_eq!(updated.user_id, 1, "kept");
    assert_eq!(updated.script_id, Some(s.script_id));
    assert_eq!(updated.created_at, original.created_at);
    assert!(updated.updated_at > original.updated_at);

    let again = sessions::update_session(
        &t.db,
        original.session_id,
        SessionUpdate {
            user_id: Some(2),
            context: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(again.user_id, 2);
    assert_eq!(again.context, "second", "kept");
    assert_eq!(
        sessions::get_session(&t.db, original.session_id)
            .await
            .unwrap(),
        again
    );
}

#[rstest]
#[tokio::test]
async fn deleting_a_session_removes_it_and_its_contexts_only(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let w = world(&t.db).await;
    let kept = session_for(&t.db, Some(w.script_id)).await;
    set(
        &t.db,
        kept.session_id,
        on_section(w.heading_id),
        &[("mood", "calm")],
    )
    .await;
    let before = dump(&t.db).await;

    let doomed = session_for(&t.db, Some(w.script_id)).await;
    set(
        &t.db,
        doomed.session_id,
        on_section(w.heading_id),
        &[("mood", "tense")],
    )
    .await;
    set(
        &t.db,
        doomed.session_id,
        on_character(w.character_id),
        &[("tempo", "fast")],
    )
    .await;
    sessions::delete_session(&t.db, doomed.session_id)
        .await
        .unwrap();

    assert_eq!(dump(&t.db).await, before);
    rejected(
        sessions::get_session(&t.db, doomed.session_id).await,
        "not_found",
    );
    rejected(
        sessions::get_context(&t.db, doomed.session_id).await,
        "not_found",
    );
    rejected(
        sessions::delete_session(&t.db, doomed.session_id).await,
        "not_found",
    );
    let remaining = sessions::get_context(&t.db, kept.session_id).await.unwrap();
    assert_eq!(remaining.contexts.len(), 1);
    assert_eq!(
        plain(&remaining.contexts[0].data),
        data(&[("mood", "calm")])
    );
}

#[rstest]
#[tokio::test]
async fn an_unknown_session_is_not_found(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let w = world(&t.db).await;
    let before = dump(&t.db).await;
    let results = [
        sessions::get_session(&t.db, 999).await.map(|_| ()),
        sessions::update_session(&t.db, 999, SessionUpdate::default())
            .await
            .map(|_| ()),
        sessions::delete_session(&t.db, 999).await,
        sessions::get_context(&t.db, 999).await.map(|_| ()),
        sessions::set_context(
            &t.db,
            999,
            on_section(w.heading_id),
            &data(&[("k", "v")]),
            &[],
        )
        .await
        .map(|_| ()),
    ];
    for result in results {
        assert_eq!(
            rejected(result, "not_found").to_string(),
            "Session 999 not found."
        );
    }
    assert_eq!(dump(&t.db).await, before);
}

// ---------------------------------------------------------------------------------------------
// Contexts
// ---------------------------------------------------------------------------------------------

#[rstest]
#[case::section(Target::Section)]
#[case::character(Target::Character)]
#[case::section_and_character(Target::SectionAndCharacter)]
#[case::element(Target::Element)]
#[tokio::test]
async fn a_context_is_set_on_its_target(
    #[case] kind: Target,
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let w = world(&t.db).await;
    let session = session_for(&t.db, Some(w.script_id)).await;
    tick().await;
    let target = w.target(kind);

    let context = set(
        &t.db,
        session.session_id,
        target,
        &[("mood", "tense"), ("time", "night")],
    )
    .await;
    assert_eq!(context.session_id, session.session_id);
    assert_eq!(context.heading_id, target.heading_id);
    assert_eq!(context.character_id, target.character_id);
    assert_eq!(context.element_id, target.element_id);
    assert_eq!(
        plain(&context.data),
        data(&[("mood", "tense"), ("time", "night")])
    );

    let all = sessions::get_context(&t.db, session.session_id)
        .await
        .unwrap();
    assert_eq!(all.contexts, vec![context]);
    assert!(
        all.session.updated_at > session.updated_at,
        "setting a context changes the session"
    );
}

#[rstest]
#[tokio::test]
async fn setting_again_merges_keys_and_unset_removes_them(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let w = world(&t.db).await;
    let session = session_for(&t.db, Some(w.script_id)).await;
    let target = on_section(w.heading_id);

    let first = set(
        &t.db,
        session.session_id,
        target,
        &[("mood", "tense"), ("time", "night")],
    )
    .await;
    let second = set(
        &t.db,
        session.session_id,
        target,
        &[("mood", "calm"), ("place", "roof")],
    )
    .await;
    assert_eq!(
        second.context_id, first.context_id,
        "the same target has one context"
    );
    assert_eq!(
        plain(&second.data),
        data(&[("mood", "calm"), ("place", "roof"), ("time", "night")])
    );

    let unset = sessions::set_context(
        &t.db,
        session.session_id,
        target,
        &BTreeMap::new(),
        &keys(&["time", "nope"]),
    )
    .await
    .unwrap();
    assert_eq!(unset.context_id, first.context_id);
    assert_eq!(
        plain(&unset.data),
        data(&[("mood", "calm"), ("place", "roof")])
    );

    let both = sessions::set_context(
        &t.db,
        session.session_id,
        target,
        &data(&[("tempo", "slow")]),
        &keys(&["place"]),
    )
    .await
    .unwrap();
    assert_eq!(
        plain(&both.data),
        data(&[("mood", "calm"), ("tempo", "slow")])
    );

    let all = sessions::get_context(&t.db, session.session_id)
        .await
        .unwrap();
    assert_eq!(all.contexts, vec![both]);
}

#[rstest]
#[tokio::test]
async fn contexts_on_different_targets_are_kept_apart(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let w = world(&t.db).await;
    let session = session_for(&t.db, Some(w.script_id)).await;
    let mut ids = Vec::new();
    for (i, kind) in [
        Target::Section,
        Target::Character,
        Target::SectionAndCharacter,
        Target::Element,
    ]
    .into_iter()
    .enumerate()
    {
        let value = i.to_string();
        ids.push(
            set(
                &t.db,
                session.session_id,
                w.target(kind),
                &[("layer", &value)],
            )
            .await
            .context_id,
        );
    }
    let all = sessions::get_context(&t.db, session.session_id)
        .await
        .unwrap();
    let got: Vec<(i64, String)> = all
        .contexts
        .iter()
        .map(|c| (c.context_id, c.data["layer"].clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (ids[0], "0".to_string()),
            (ids[1], "1".to_string()),
            (ids[2], "2".to_string()),
            (ids[3], "3".to_string()),
        ]
    );

    // The same target in another session is another context.
    let other = session_for(&t.db, Some(w.script_id)).await;
    let theirs = set(
        &t.db,
        other.session_id,
        on_section(w.heading_id),
        &[("layer", "x")],
    )
    .await;
    assert!(!ids.contains(&theirs.context_id));
    let mine = sessions::get_context(&t.db, session.session_id)
        .await
        .unwrap();
    assert_eq!(plain(&mine.contexts[0].data), data(&[("layer", "0")]));
}

#[rstest]
#[tokio::test]
async fn get_context_returns_the_session_with_data_sorted_by_key(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let w = world(&t.db).await;
    let session = sessions::create_session(
        &t.db,
        NewSession {
            user_id: Some(3),
            script_id: Some(w.script_id),
            context: Some("reading".into()),
        },
    )
    .await
    .unwrap();
    set(
        &t.db,
        session.session_id,
        on_section(w.heading_id),
        &[("zeta", "1"), ("alpha", "2"), ("mid", "3")],
    )
    .await;
    set(
        &t.db,
        session.session_id,
        on_section(w.heading_id),
        &[("beta", "4")],
    )
    .await;

    let got = sessions::get_context(&t.db, session.session_id)
        .await
        .unwrap();
    assert_eq!(got.session.session_id, session.session_id);
    assert_eq!(got.session.context, "reading");
    assert_eq!(got.session.user_id, 3);
    let keys: Vec<&str> = got.contexts[0].data.keys().map(String::as_str).collect();
    assert_eq!(keys, vec!["alpha", "beta", "mid", "zeta"]);

    let value = serde_json::to_value(&got).unwrap();
    assert_eq!(
        value["sessionId"],
        json!(session.session_id),
        "session fields are flattened"
    );
    assert_eq!(value["context"], json!("reading"));
    assert_eq!(value["contexts"][0]["headingId"], json!(w.heading_id));
    let json_keys: Vec<&String> = value["contexts"][0]["data"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(json_keys, vec!["alpha", "beta", "mid", "zeta"]);
    assert_eq!(
        serde_json::to_string(&value["contexts"][0]["data"]).unwrap(),
        r#"{"alpha":"2","beta":"4","mid":"3","zeta":"1"}"#
    );
}

#[rstest]
#[case::section(Target::Section)]
#[case::character(Target::Character)]
#[case::character_in_own_section(Target::SectionAndCharacter)]
#[case::element(Target::Element)]
#[tokio::test]
async fn a_target_in_another_script_is_rejected_and_nothing_written(
    #[case] kind: Target,
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let w = world(&t.db).await;
    let session = session_for(&t.db, Some(w.script_id)).await;
    set(
        &t.db,
        session.session_id,
        on_section(w.heading_id),
        &[("mood", "calm")],
    )
    .await;
    let before = dump(&t.db).await;
    let session_before = sessions::get_session(&t.db, session.session_id)
        .await
        .unwrap();
    tick().await;

    rejected(
        sessions::set_context(
            &t.db,
            session.session_id,
            w.other_target(kind),
            &data(&[("mood", "x")]),
            &[],
        )
        .await,
        "invalid_input",
    );

    assert_eq!(dump(&t.db).await, before);
    assert_eq!(
        sessions::get_session(&t.db, session.session_id)
            .await
            .unwrap(),
        session_before
    );
    assert_eq!(
        sessions::get_context(&t.db, session.session_id)
            .await
            .unwrap()
            .contexts
            .len(),
        1
    );
}

#[rstest]
#[case::section(Target::Section)]
#[case::character(Target::Character)]
#[case::section_and_character(Target::SectionAndCharacter)]
#[case::element(Target::Element)]
#[tokio::test]
async fn an_unbound_session_is_bound_by_its_first_context(
    #[case] kind: Target,
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let w = world(&t.db).await;
    let session = session_for(&t.db, None).await;

    set(
        &t.db,
        session.session_id,
        w.target(kind),
        &[("mood", "calm")],
    )
    .await;
    let bound = sessions::get_session(&t.db, session.session_id)
        .await
        .unwrap();
    assert_eq!(bound.script_id, Some(w.script_id));
    let listed: Vec<i64> = sessions::list_sessions(&t.db, Some(w.script_id))
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.session_id)
        .collect();
    assert_eq!(listed, vec![session.session_id]);

    // From now on the other script is off limits.
    let before = dump(&t.db).await;
    rejected(
        sessions::set_context(
            &t.db,
            session.session_id,
            on_section(w.other_heading_id),
            &data(&[("k", "v")]),
            &[],
        )
        .await,
        "invalid_input",
    );
    assert_eq!(dump(&t.db).await, before);
    assert_eq!(
        sessions::get_session(&t.db, session.session_id)
            .await
            .unwrap()
            .script_id,
        Some(w.script_id)
    );
}

#[rstest]
#[tokio::test]
async fn a_rejected_first_context_leaves_the_session_unbound(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let w = world(&t.db).await;
    let session = session_for(&t.db, None).await;
    let before = dump(&t.db).await;

    // Section of one script, character of the other: rejected as a whole.
    rejected(
        sessions::set_context(
            &t.db,
            session.session_id,
            on_both(w.heading_id, w.other_character_id),
            &data(&[("k", "v")]),
            &[],
        )
        .await,
        "invalid_input",
    );
    assert_eq!(dump(&t.db).await, before);
    assert_eq!(
        sessions::get_session(&t.db, session.session_id)
            .await
            .unwrap(),
        session
    );

    // It can still be bound to the other script.
    set(
        &t.db,
        session.session_id,
        on_section(w.other_heading_id),
        &[("k", "v")],
    )
    .await;
    assert_eq!(
        sessions::get_session(&t.db, session.session_id)
            .await
            .unwrap()
            .script_id,
        Some(w.other_script_id)
    );
}

#[rstest]
#[case::empty_key(&[("", "x")], &[])]
#[case::blank_key(&[("  ", "x")], &[])]
#[case::empty_key_among_good_ones(&[("mood", "calm"), ("", "x")], &[])]
#[case::empty_unset_key(&[("mood", "calm")], &[""])]
#[case::nothing_at_all(&[], &[])]
#[tokio::test]
async fn a_context_needs_real_keys(
    #[case] pairs: &[(&str, &str)],
    #[case] unset: &[&str],
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let w = world(&t.db).await;
    let bound = session_for(&t.db, Some(w.script_id)).await;
    let unbound = session_for(&t.db, None).await;
    set(
        &t.db,
        bound.session_id,
        on_section(w.heading_id),
        &[("mood", "tense")],
    )
    .await;
    let before = dump(&t.db).await;
    let bound_before = sessions::get_session(&t.db, bound.session_id)
        .await
        .unwrap();

    for session in [bound.session_id, unbound.session_id] {
        rejected(
            sessions::set_context(
                &t.db,
                session,
                on_section(w.heading_id),
                &data(pairs),
                &keys(unset),
            )
            .await,
            "invalid_input",
        );
    }

    assert_eq!(dump(&t.db).await, before);
    assert_eq!(
        sessions::get_session(&t.db, bound.session_id)
            .await
            .unwrap(),
        bound_before
    );
    assert_eq!(
        sessions::get_session(&t.db, unbound.session_id)
            .await
            .unwrap(),
        unbound
    );
}

#[rstest]
#[case::unbound_session(false)]
#[case::bound_session(true)]
#[tokio::test]
async fn a_context_without_a_target_is_rejected(
    #[case] bound: bool,
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let w = world(&t.db).await;
    let session = session_for(&t.db, bound.then_some(w.script_id)).await;
    let before = dump(&t.db).await;

    let error = rejected(
        sessions::set_context(
            &t.db,
            session.session_id,
            ContextTarget::default(),
            &data(&[("mood", "calm")]),
            &[],
        )
        .await,
        "invalid_input",
    );
    assert_eq!(
        error.to_string(),
        "a context needs a section, a character or an element"
    );
    assert_eq!(dump(&t.db).await, before);
    assert!(sessions::get_context(&t.db, session.session_id)
        .await
        .unwrap()
        .contexts
        .is_empty());
}

#[rstest]
#[tokio::test]
async fn a_nothing_to_set_error_says_so(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let w = world(&t.db).await;
    let session = session_for(&t.db, Some(w.script_id)).await;
    let error = rejected(
        sessions::set_context(
            &t.db,
            session.session_id,
            on_section(w.heading_id),
            &BTreeMap::new(),
            &[],
        )
        .await,
        "invalid_input",
    );
    assert_eq!(error.to_string(), "give at least one key=value to set");
    assert!(matches!(error, Error::InvalidInput(_)));
}

#[rstest]
#[tokio::test]
async fn an_unknown_target_is_not_found(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let w = world(&t.db).await;
    let session = session_for(&t.db, Some(w.script_id)).await;
    let before = dump(&t.db).await;

    for (target, message) in [
        (on_section(999), "Section 999 not found."),
        (on_character(999), "Character 999 not found."),
        (on_both(w.heading_id, 999), "Character 999 not found."),
        (on_element(999), "Element 999 not found."),
    ] {
        let error = rejected(
            sessions::set_context(&t.db, session.session_id, target, &data(&[("k", "v")]), &[])
                .await,
            "not_found",
        );
        assert_eq!(error.to_string(), message);
    }
    assert_eq!(dump(&t.db).await, before);
}

#[rstest]
#[tokio::test]
async fn a_context_can_be_deleted(#[values(Engine::Sqlite, Engine::Postgres)] engine: Engine) {
    let t = TestDb::on(engine).await;
    let w = world(&t.db).await;
    let session = session_for(&t.db, Some(w.script_id)).await;
    let gone = set(
        &t.db,
        session.session_id,
        on_section(w.heading_id),
        &[("mood", "calm")],
    )
    .await;
    let kept = set(
        &t.db,
        session.session_id,
        on_character(w.character_id),
        &[("tempo", "fast")],
    )
    .await;

    sessions::delete_context(&t.db, gone.context_id)
        .await
        .unwrap();
    let all = sessions::get_context(&t.db, session.session_id)
        .await
        .unwrap();
    assert_eq!(all.contexts, vec![kept]);

    let before = dump(&t.db).await;
    let error = rejected(
        sessions::delete_context(&t.db, gone.context_id).await,
        "not_found",
    );
    assert_eq!(
        error.to_string(),
        format!("Context {} not found.", gone.context_id)
    );
    assert_eq!(dump(&t.db).await, before);

    // Setting the target again starts a fresh context.
    let fresh = set(
        &t.db,
        session.session_id,
        on_section(w.heading_id),
        &[("time", "dawn")],
    )
    .await;
    assert_eq!(plain(&fresh.data), data(&[("time", "dawn")]));
}

#[rstest]
#[tokio::test]
async fn deleting_a_section_removes_the_contexts_on_it(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let w = world(&t.db).await;
    let kept_section = section(&t.db, w.script_id, "INT. STAIRS").await;
    let session = session_for(&t.db, Some(w.script_id)).await;
    set(
        &t.db,
        session.session_id,
        on_section(w.heading_id),
        &[("a", "1")],
    )
    .await;
    set(
        &t.db,
        session.session_id,
        on_both(w.heading_id, w.character_id),
        &[("b", "2")],
    )
    .await;
    set(
        &t.db,
        session.session_id,
        on_element(w.element_id),
        &[("c", "3")],
    )
    .await;
    let wide = set(
        &t.db,
        session.session_id,
        on_character(w.character_id),
        &[("d", "4")],
    )
    .await;
    let stairs = set(
        &t.db,
        session.session_id,
        on_section(kept_section.heading_id),
        &[("e", "5")],
    )
    .await;

    scripts::delete_section(&t.db, w.heading_id).await.unwrap();

    let all = sessions::get_context(&t.db, session.session_id)
        .await
        .unwrap();
    assert_eq!(all.contexts, vec![wide, stairs]);
    let rows: Vec<String> = dump(&t.db)
        .await
        .split("\n--\n")
        .nth(5)
        .unwrap()
        .lines()
        .map(|row| row.split_once(':').unwrap().1.to_string())
        .collect();
    assert_eq!(rows, vec!["d:4", "e:5"], "no orphaned context entries");
}

#[rstest]
#[tokio::test]
async fn deleting_a_character_removes_the_contexts_on_it(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let w = world(&t.db).await;
    let silent = character(&t.db, w.script_id, "SILENT").await;
    let session = session_for(&t.db, Some(w.script_id)).await;
    let kept = set(
        &t.db,
        session.session_id,
        on_section(w.heading_id),
        &[("a", "1")],
    )
    .await;
    set(
        &t.db,
        session.session_id,
        on_character(silent.character_id),
        &[("b", "2")],
    )
    .await;
    set(
        &t.db,
        session.session_id,
        on_both(w.heading_id, silent.character_id),
        &[("c", "3")],
    )
    .await;

    characters::delete_character(&t.db, silent.character_id)
        .await
        .unwrap();
    let all = sessions::get_context(&t.db, session.session_id)
        .await
        .unwrap();
    assert_eq!(all.contexts, vec![kept]);
}

// ---------------------------------------------------------------------------------------------
// The story under a session
// ---------------------------------------------------------------------------------------------

#[rstest]
#[tokio::test]
async fn the_full_story_shows_each_item_its_merged_context(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Layers").await;
    let s1 = section(&t.db, s.script_id, "INT. KITCHEN - DAY").await;
    let s2 = section(&t.db, s.script_id, "EXT. YARD - NIGHT").await;
    let ann = character(&t.db, s.script_id, "ANN").await;
    let bob = character(&t.db, s.script_id, "BOB").await;
    let a0 = add(
        &t.db,
        s1.heading_id,
        ElementKind::Action,
        None,
        "Pans clatter.",
    )
    .await;
    let d1 = add(
        &t.db,
        s1.heading_id,
        ElementKind::Dialogue,
        Some(ann.character_id),
        "Who's there?",
    )
    .await;
    let d2 = add(
        &t.db,
        s1.heading_id,
        ElementKind::Dialogue,
        Some(bob.character_id),
        "Just me.",
    )
    .await;
    let d3 = add(
        &t.db,
        s1.heading_id,
        ElementKind::Dialogue,
        Some(ann.character_id),
        "Get out!",
    )
    .await;
    let d4 = add(
        &t.db,
        s2.heading_id,
        ElementKind::Dialogue,
        Some(ann.character_id),
        "Finally.",
    )
    .await;
    let tr = add(
        &t.db,
        s2.heading_id,
        ElementKind::Transition,
        None,
        "FADE OUT.",
    )
    .await;
    let session = session_for(&t.db, Some(s.script_id)).await;

    // Set from most to least specific, so creation order is not precedence order.
    let line = set(
        &t.db,
        session.session_id,
        on_element(d3.element_id),
        &[("mood", "furious"), ("volume", "loud")],
    )
    .await;
    let ann_here = set(
        &t.db,
        session.session_id,
        on_both(s1.heading_id, ann.character_id),
        &[("mood", "angry")],
    )
    .await;
    let ann_everywhere = set(
        &t.db,
        session.session_id,
        on_character(ann.character_id),
        &[("mood", "nervous"), ("tempo", "fast")],
    )
    .await;
    let kitchen = set(
        &t.db,
        session.session_id,
        on_section(s1.heading_id),
        &[
            ("mood", "calm"),
            ("place", "kitchen"),
            ("time", "day"),
            ("tempo", "slow"),
        ],
    )
    .await;

    let full = story::get_full_story(
        &t.db,
        &StoryRequest {
            script_id: s.script_id,
            session_id: Some(session.session_id),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(full.session_id, Some(session.session_id));

    let by_element: BTreeMap<i64, Option<(i64, Data)>> = full
        .story
        .iter()
        .map(|item| {
            let context = item.context.as_ref();
            (
                item.element_id,
                context.map(|c| (c.context_id, plain(&c.data))),
            )
        })
        .collect();
    let kitchen_only = data(&[
        ("mood", "calm"),
        ("place", "kitchen"),
        ("tempo", "slow"),
        ("time", "day"),
    ]);
    assert_eq!(
        by_element[&a0.element_id],
        Some((kitchen.context_id, kitchen_only.clone()))
    );
    assert_eq!(
        by_element[&d1.element_id],
        Some((
            ann_here.context_id,
            data(&[
                ("mood", "angry"),
                ("place", "kitchen"),
                ("tempo", "fast"),
                ("time", "day")
            ])
        ))
    );
    assert_eq!(
        by_element[&d2.element_id],
        Some((kitchen.context_id, kitchen_only.clone()))
    );
    assert_eq!(
        by_element[&d3.element_id],
        Some((
            line.context_id,
            data(&[
                ("mood", "furious"),
                ("place", "kitchen"),
                ("tempo", "fast"),
                ("time", "day"),
                ("volume", "loud")
            ])
        ))
    );
    assert_eq!(
        by_element[&d4.element_id],
        Some((
            ann_everywhere.context_id,
            data(&[("mood", "nervous"), ("tempo", "fast")])
        ))
    );
    assert_eq!(by_element[&tr.element_id], None);

    let sections: Vec<Option<i64>> = full
        .sections
        .iter()
        .map(|sec| sec.context.as_ref().map(|c| c.context_id))
        .collect();
    assert_eq!(sections, vec![Some(kitchen.context_id), None]);
    assert_eq!(
        plain(&full.sections[0].context.as_ref().unwrap().data),
        kitchen_only
    );

    // The merged context is what a context filter sees.
    let angry = story::get_full_story(
        &t.db,
        &StoryRequest {
            script_id: s.script_id,
            session_id: Some(session.session_id),
            filter_by_context: Some(("mood".into(), "angry".into())),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let ids: Vec<i64> = angry.story.iter().map(|i| i.element_id).collect();
    assert_eq!(ids, vec![d1.element_id]);

    // Without a session, no item has a context.
    let plain = story::get_full_story(
        &t.db,
        &StoryRequest {
            script_id: s.script_id,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(plain.story.iter().all(|item| item.context.is_none()));
    assert!(plain.sections.iter().all(|sec| sec.context.is_none()));
}

#[rstest]
#[tokio::test]
async fn an_element_context_narrowed_by_a_section_is_rejected(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let w = world(&t.db).await;
    let session = session_for(&t.db, Some(w.script_id)).await;
    let before = dump(&t.db).await;
    let target = ContextTarget {
        heading_id: Some(w.heading_id),
        character_id: None,
        element_id: Some(w.element_id),
    };
    let error = rejected(
        sessions::set_context(
            &t.db,
            session.session_id,
            target,
            &data(&[("mood", "calm")]),
            &[],
        )
        .await,
        "invalid_input",
    );
    assert!(error.to_string().contains("stands alone"), "{error}");
    assert_eq!(dump(&t.db).await, before);
}
