//! A writers' room: the same core on a shared PostgreSQL server (the test run's throwaway
//! cluster), written by many processes at once, read by readers who may not write, and
//! scripts copied between a local library and the room.

mod common;

use std::process::Command;

use common::{add, dump, script, section, Engine, TestDb};
use fountainai::scripts::{self, ElementKind, NewElement, NewScript};
use fountainai::sequence::{self, ElementType, Placement};
use fountainai::{characters, document, room, sessions, story, Database};

/// The `fountainai` binary on the room at `url`.
fn cli(url: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_fountainai"))
        .arg("--db")
        .arg(url)
        .args(args)
        .env("FOUNTAINAI_DATA_DIR", std::env::temp_dir())
        .env_remove("FOUNTAINAI_DB")
        .output()
        .expect("run fountainai")
}

async fn order(db: &Database, heading_id: i64) -> Vec<(i64, Option<i64>, String)> {
    scripts::list_elements(db, heading_id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.element_id, e.sequence_number, e.text))
        .collect()
}

#[tokio::test]
async fn ten_writers_adding_lines_while_two_reorder_another_scene_lose_nothing_and_never_share_a_place(
) {
    let t = TestDb::on(Engine::Postgres).await;
    let url = t.url.clone().unwrap();
    let s = script(&t.db, "The Room").await;
    let busy = section(&t.db, s.script_id, "INT. WRITERS' ROOM - DAY").await;
    let other = section(&t.db, s.script_id, "EXT. PARKING LOT - NIGHT").await;
    let mut ids = Vec::new();
    for i in 0..20 {
        ids.push(
            add(
                &t.db,
                other.heading_id,
                ElementKind::Action,
                None,
                &format!("Car {i}."),
            )
            .await
            .element_id,
        );
    }
    let heading = busy.heading_id.to_string();
    let mut writers = Vec::new();
    for w in 0..10 {
        let (url, heading) = (url.clone(), heading.clone());
        writers.push(std::thread::spawn(move || {
            for l in 0..50 {
                let text = format!("Writer {w} line {l}.");
                // Half the writers put their line first, pushing every other line down.
                let mut args = vec![
                    "element", "add", &heading, "--kind", "action", "--text", &text,
                ];
                if w % 2 == 0 {
                    args.extend(["--position", "1"]);
                }
                let out = cli(&url, &args);
                assert!(
                    out.status.success(),
                    "{text}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }));
    }
    let forward: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
    let backward: Vec<String> = ids.iter().rev().map(|i| i.to_string()).collect();
    let mut reorderers = Vec::new();
    for order in [forward.join(","), backward.join(",")] {
        let (url, scope) = (url.clone(), other.heading_id.to_string());
        reorderers.push(std::thread::spawn(move || {
            for _ in 0..25 {
                let args = [
                    "sequence", "reorder", "element", "--scope", &scope, "--order", &order,
                ];
                let out = cli(&url, &args);
                assert!(
                    out.status.success(),
                    "reorder: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }));
    }
    for thread in writers.into_iter().chain(reorderers) {
        thread.join().expect("a writer failed");
    }

    let lines = order(&t.db, busy.heading_id).await;
    assert_eq!(lines.len(), 500, "every line arrives");
    let numbers: Vec<Option<i64>> = lines.iter().map(|(_, n, _)| *n).collect();
    assert_eq!(
        numbers,
        (1..=500).map(Some).collect::<Vec<_>>(),
        "gap-free 1..500, no duplicates"
    );
    let mut texts: Vec<String> = lines.into_iter().map(|(_, _, text)| text).collect();
    texts.sort();
    let mut expected: Vec<String> = (0..10)
        .flat_map(|w| (0..50).map(move |l| format!("Writer {w} line {l}.")))
        .collect();
    expected.sort();
    assert_eq!(texts, expected);
    // Each writer's own lines keep the order they were written in.
    let placed = order(&t.db, busy.heading_id).await;
    for w in 0..10 {
        let mine: Vec<usize> = placed
            .iter()
            .filter(|(_, _, text)| text.starts_with(&format!("Writer {w} ")))
            .map(|(_, _, text)| {
                text.trim_end_matches('.')
                    .rsplit(' ')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap()
            })
            .collect();
        let mut written = mine.clone();
        written.sort_unstable();
        if w % 2 == 0 {
            written.reverse();
        }
        assert_eq!(mine, written, "writer {w}'s lines are where they were put");
    }

    let cars = order(&t.db, other.heading_id).await;
    let car_ids: Vec<i64> = cars.iter().map(|(id, _, _)| *id).collect();
    let reversed: Vec<i64> = ids.iter().rev().copied().collect();
    assert!(
        car_ids == ids || car_ids == reversed,
        "one whole reorder or the other: {car_ids:?}"
    );
    let numbers: Vec<Option<i64>> = cars.iter().map(|(_, n, _)| *n).collect();
    assert_eq!(numbers, (1..=20).map(Some).collect::<Vec<_>>());
}

/// A login role of the room's readers group, and the room opened as it.
async fn as_reader(t: &TestDb) -> Database {
    as_member(t, "reader", |made| made.readers).await
}

/// A login role `<who>_<database>` in one of the room's groups, and the room opened as it.
async fn as_member(t: &TestDb, who: &str, group: fn(room::RoomInit) -> String) -> Database {
    let url = t.url.clone().unwrap();
    let made = room::init(&url).await.expect("room init");
    let role = format!("{who}_{}", made.database);
    sqlx::query(&format!("CREATE ROLE {role} LOGIN"))
        .execute(t.db.pool())
        .await
        .unwrap();
    sqlx::query(&format!("GRANT \"{}\" TO {role}", group(made)))
        .execute(t.db.pool())
        .await
        .unwrap();
    let mut member_url = url::Url::parse(&url).unwrap();
    member_url.set_username(&role).unwrap();
    Database::open_url(member_url.as_str())
        .await
        .expect("a member opens the room")
}

/// Saves a setting as the user `db` is opened as, and reads it back.
async fn keeps_a_setting(db: &Database, key: &str, value: serde_json::Value) {
    fountainai::settings::set_setting(db, key, &value)
        .await
        .expect("the user keeps a setting of their own");
    assert_eq!(
        fountainai::settings::get_setting(db, key).await.unwrap(),
        value
    );
}

#[tokio::test]
async fn a_room_initialised_before_settings_were_per_writer_lets_its_readers_keep_theirs() {
    let t = TestDb::on(Engine::Postgres).await;
    let made = room::init(t.url.as_deref().unwrap()).await.unwrap();
    let reader = as_reader(&t).await;
    fountainai::settings::set_setting(&t.db, "lastScript", &serde_json::json!(7))
        .await
        .unwrap();
    // The room as the version before made it: one shared row per key, readers only reading.
    for undo in [
        "DROP POLICY settings_own ON settings",
        "ALTER TABLE settings NO FORCE ROW LEVEL SECURITY",
        "ALTER TABLE settings DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE settings DROP CONSTRAINT settings_pkey",
        "ALTER TABLE settings DROP COLUMN owner",
        "ALTER TABLE settings ADD PRIMARY KEY (key)",
        &format!(
            "REVOKE INSERT, UPDATE, DELETE ON settings FROM \"{}\"",
            made.readers
        ),
        "DELETE FROM _sqlx_migrations WHERE version = 20261202110100",
    ] {
        sqlx::query(undo).execute(t.db.pool()).await.expect(undo);
    }
    // Its owner opens it with this version (no `room init` again): the migration runs.
    t.reopen().await.close().await;
    keeps_a_setting(&reader, "lastScript", serde_json::json!(3)).await;
    assert_eq!(
        fountainai::settings::get_setting(&t.db, "lastScript")
            .await
            .unwrap(),
        serde_json::json!(7),
        "what was stored before is the owner's"
    );
}

#[tokio::test]
async fn two_writers_in_one_room_each_keep_their_own_last_script() {
    use fountainai::settings::{get_setting, set_setting};
    use serde_json::{json, Value};
    let t = TestDb::on(Engine::Postgres).await;
    let alice = as_member(&t, "alice", |made| made.writers).await;
    let bob = as_member(&t, "bob", |made| made.writers).await;
    set_setting(&alice, "lastScript", &json!(1)).await.unwrap();
    set_setting(&bob, "lastScript", &json!(2)).await.unwrap();
    set_setting(&alice, "lastView", &json!({"view": "score"}))
        .await
        .unwrap();
    assert_eq!(get_setting(&alice, "lastScript").await.unwrap(), json!(1));
    assert_eq!(get_setting(&bob, "lastScript").await.unwrap(), json!(2));
    assert_eq!(get_setting(&bob, "lastView").await.unwrap(), Value::Null);
    // The room's owner (a superuser here, whom row-level security does not filter) has its own.
    assert_eq!(get_setting(&t.db, "lastScript").await.unwrap(), Value::Null);
    set_setting(&t.db, "lastScript", &json!(3)).await.unwrap();
    set_setting(&bob, "lastScript", &Value::Null).await.unwrap();
    assert_eq!(get_setting(&bob, "lastScript").await.unwrap(), Value::Null);
    assert_eq!(get_setting(&alice, "lastScript").await.unwrap(), json!(1));
    assert_eq!(get_setting(&t.db, "lastScript").await.unwrap(), json!(3));
    let others: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM settings")
        .fetch_one(alice.pool())
        .await
        .unwrap();
    assert_eq!(others, 2, "alice sees only her own two settings");
}

#[tokio::test]
async fn a_reader_of_the_room_reads_exports_orchestrates_and_keeps_own_settings_but_every_other_write_is_forbidden(
) {
    let t = TestDb::on(Engine::Postgres).await;
    let s = script(&t.db, "Read Only").await;
    let h = section(&t.db, s.script_id, "INT. LIBRARY - DAY").await;
    let juliet = common::character(&t.db, s.script_id, "JULIET").await;
    let line = add(
        &t.db,
        h.heading_id,
        ElementKind::Dialogue,
        Some(juliet.character_id),
        "Hush.",
    )
    .await;
    let session = common::session(&t.db, s.script_id).await;
    let reader = as_reader(&t).await;
    let before = dump(&t.db).await;
    let access = room::access(&reader).await.unwrap();
    assert!(
        !access.may_write
            && access
                .user
                .as_deref()
                .is_some_and(|u| u.starts_with("reader_"))
    );
    assert!(
        room::access(&t.db).await.unwrap().may_write,
        "the owner writes"
    );

    // Reading, exporting and orchestrating are a reader's to do.
    let listed = scripts::list_scripts(&reader, &Default::default())
        .await
        .unwrap();
    assert_eq!(listed.scripts.len(), 1);
    let story = story::get_full_story(
        &reader,
        &story::StoryRequest {
            script_id: s.script_id,
            session_id: None,
            filter_by_character: None,
            filter_by_context: None,
        },
    )
    .await
    .unwrap();
    assert!(!story.story.is_empty());
    let text = fountainai::screenplay::export(
        &reader,
        s.script_id,
        fountainai::screenplay::Format::Fountain,
    )
    .await
    .unwrap();
    assert!(String::from_utf8(text).unwrap().contains("Hush."));
    document::read_document(&reader, s.script_id).await.unwrap();

    // Their own settings (the last script open, the view) are the one thing a reader keeps.
    let view = serde_json::json!({"script": s.script_id, "view": "score"});
    keeps_a_setting(&reader, "lastView", view).await;
    let writes: Vec<(&str, fountainai::Result<()>)> = vec![
        (
            "create a script",
            scripts::create_script(
                &reader,
                NewScript {
                    title: "Mine".into(),
                    ..Default::default()
                },
            )
            .await
            .map(drop),
        ),
        (
            "rename the script",
            scripts::update_script(
                &reader,
                s.script_id,
                scripts::ScriptUpdate {
                    title: Some("Renamed".into()),
                    ..Default::default()
                },
            )
            .await
            .map(drop),
        ),
        (
            "delete the script",
            scripts::delete_script(&reader, s.script_id).await,
        ),
        (
            "add a scene",
            scripts::add_section(&reader, s.script_id, "INT. ELSEWHERE")
                .await
                .map(drop),
        ),
        (
            "add a line",
            scripts::add_element(
                &reader,
                h.heading_id,
                NewElement {
                    kind: ElementKind::Action,
                    text: "No.".into(),
                    character_id: None,
                    parenthetical: None,
                    position: None,
                },
            )
            .await
            .map(drop),
        ),
        (
            "edit a line",
            scripts::update_element(
                &reader,
                line.element_id,
                scripts::ElementUpdate {
                    text: Some("Shout.".into()),
                    ..Default::default()
                },
            )
            .await
            .map(drop),
        ),
        (
            "delete a line",
            scripts::delete_element(&reader, line.element_id)
                .await
                .map(drop),
        ),
        (
            "add a character",
            characters::create_character(
                &reader,
                s.script_id,
                characters::NewCharacter {
                    name: "ROMEO".into(),
                    description: None,
                },
            )
            .await
            .map(drop),
        ),
        (
            "add an alt",
            characters::add_paraphrase(
                &reader,
                ElementType::SpokenWord,
                line.element_id,
                "Quiet.",
                "",
            )
            .await
            .map(drop),
        ),
        (
            "start a session",
            sessions::create_session(
                &reader,
                sessions::NewSession {
                    script_id: Some(s.script_id),
                    ..Default::default()
                },
            )
            .await
            .map(drop),
        ),
        (
            "delete a session",
            sessions::delete_session(&reader, session.session_id)
                .await
                .map(drop),
        ),
        (
            "reorder",
            sequence::reorder_elements(
                &reader,
                ElementType::Section,
                Some(s.script_id),
                &[Placement {
                    element_id: h.heading_id,
                    new_sequence: 1,
                }],
            )
            .await
            .map(drop),
        ),
        (
            "save a version",
            sequence::create_version(&reader, ElementType::Script, s.script_id, "mine")
                .await
                .map(drop),
        ),
        (
            "import a screenplay",
            fountainai::screenplay::import_text(
                &reader,
                "INT. HOUSE - DAY\n\nA door.\n",
                fountainai::screenplay::Format::Fountain,
            )
            .await
            .map(drop),
        ),
    ];
    for (what, result) in writes {
        let error = result.expect_err(what);
        assert_eq!(error.code(), "forbidden", "{what}: {error:?}");
        assert!(error.to_string().contains("writers"), "{what}: {error}");
    }
    assert_eq!(dump(&t.db).await, before, "nothing changed");
}

#[tokio::test]
async fn a_script_pushed_to_the_room_and_pulled_back_is_the_same_script() {
    let local = TestDb::new().await;
    let example = fountainai::examples::romeo_and_juliet().unwrap();
    let loaded = document::load_document(&local.db, &example).await.unwrap();
    let id = loaded.script_id;
    let original = document::read_document(&local.db, id).await.unwrap();
    let room_db = TestDb::on(Engine::Postgres).await;
    let url = room_db.url.clone().unwrap();

    let pushed = cli_ok(&local, &["room", "push", &id.to_string(), "--to", &url]);
    let in_room = pushed["scriptId"].as_i64().unwrap();
    let there = document::read_document(&room_db.db, in_room).await.unwrap();
    assert_eq!(
        serde_json::to_value(&there).unwrap(),
        serde_json::to_value(&original).unwrap()
    );

    let pulled = cli_ok(
        &local,
        &["room", "pull", &in_room.to_string(), "--from", &url],
    );
    let back = pulled["scriptId"].as_i64().unwrap();
    assert_ne!(back, id, "a new script in the local library");
    let again = document::read_document(&local.db, back).await.unwrap();
    assert_eq!(
        serde_json::to_value(&again).unwrap(),
        serde_json::to_value(&original).unwrap()
    );
}

fn cli_ok(local: &TestDb, args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_fountainai"))
        .arg("--db")
        .arg(local.path())
        .args(args)
        .env("FOUNTAINAI_DATA_DIR", local.dir.path())
        .env_remove("FOUNTAINAI_DB")
        .output()
        .expect("run fountainai");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[tokio::test]
async fn a_line_one_writer_adds_is_announced_to_another_writers_app_within_a_second() {
    let t = TestDb::on(Engine::Postgres).await;
    let s = script(&t.db, "Live").await;
    let h = section(&t.db, s.script_id, "INT. STAGE - NIGHT").await;
    let other_app = t.reopen().await;
    let mut changes = room::Changes::open(&other_app)
        .await
        .unwrap()
        .expect("a room");
    changes.follow(Some(s.script_id)).await.unwrap();
    let unrelated = script(&t.db, "Another").await;

    add(
        &t.db,
        h.heading_id,
        ElementKind::Action,
        None,
        "The lights go up.",
    )
    .await;
    let revision = scripts::get_script(&t.db, s.script_id)
        .await
        .unwrap()
        .revision;
    let mut seen = Vec::new();
    let wait = tokio::time::timeout(std::time::Duration::from_secs(1), async {
        loop {
            let change = changes.next().await.unwrap();
            seen.push(change.clone());
            if change.revision == Some(revision) {
                return change;
            }
        }
    });
    let change = wait
        .await
        .unwrap_or_else(|_| panic!("not announced within a second: {seen:?}"));
    assert_eq!(change.script_id, s.script_id);
    // The library hears of the other script; its lines are not followed.
    assert!(seen
        .iter()
        .all(|c| c.script_id == s.script_id || c.revision.is_none()));
    let _ = unrelated;
}

#[tokio::test]
async fn a_sqlite_library_has_no_one_to_listen_to() {
    let t = TestDb::new().await;
    assert!(room::Changes::open(&t.db).await.unwrap().is_none());
}

/// Runs the binary on the room: its exit status and its JSON (the answer, or the error).
fn cli_json(url: &str, args: &[&str]) -> (i32, serde_json::Value) {
    let out = cli(url, args);
    let code = out.status.code().unwrap_or(-1);
    let text = if out.status.success() {
        String::from_utf8_lossy(&out.stdout).to_string()
    } else {
        let stderr = String::from_utf8_lossy(&out.stderr);
        stderr
            .trim_end()
            .lines()
            .last()
            .unwrap_or_default()
            .to_string()
    };
    (
        code,
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("{args:?}: {text}")),
    )
}

#[tokio::test]
async fn two_writers_syncing_one_scene_keep_both_edits_and_the_same_line_twice_becomes_an_alt() {
    let t = TestDb::on(Engine::Postgres).await;
    let url = t.url.clone().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let fountain =
        "INT. ONE - DAY\n\nAda waits.\n\nADA\nHello.\n\nBRUNO\nGoodbye.\n\nAda leaves.\n";
    let id = common::import_fountain(&t.db, fountain).await.to_string();
    let file = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let loaded = |args: &[&str]| cli_json(&url, args);

    // Both writers load the same text; each changes a different line.
    let (_, base) = loaded(&["text", &id]);
    let (base_text, revision) = (
        base["text"].as_str().unwrap().to_string(),
        base["revision"].to_string(),
    );
    let base_file = file("base.fountain", &base_text);
    let ada = file("ada.fountain", &base_text.replace("Hello.", "Hello there."));
    let bruno = file(
        "bruno.fountain",
        &base_text.replace("Ada leaves.", "Ada runs."),
    );
    assert_eq!(
        loaded(&["sync", &id, &ada, "--base-revision", &revision]).0,
        0
    );
    let (code, refused) = loaded(&["sync", &id, &bruno, "--base-revision", &revision]);
    assert_eq!(
        (code, refused["code"].as_str()),
        (4, Some("conflict")),
        "{refused}"
    );
    let (code, merged) = loaded(&["merge", &id, &bruno, "--base", &base_file]);
    assert_eq!(code, 0, "{merged}");
    assert_eq!(
        merged["bothChanged"],
        serde_json::json!([]),
        "different lines merge by themselves"
    );
    let (_, now) = loaded(&["text", &id]);
    let text = now["text"].as_str().unwrap();
    assert!(
        text.contains("Hello there.") && text.contains("Ada runs."),
        "{text}"
    );

    // Now both change the same line: the first stays, the second is kept as its alt.
    let (base_text, revision) = (text.to_string(), now["revision"].to_string());
    let base_file = file("base2.fountain", &base_text);
    let ada = file("ada2.fountain", &base_text.replace("Hello there.", "Hi."));
    let bruno = file(
        "bruno2.fountain",
        &base_text.replace("Hello there.", "Hey you."),
    );
    assert_eq!(
        loaded(&["sync", &id, &ada, "--base-revision", &revision]).0,
        0
    );
    assert_eq!(
        loaded(&["sync", &id, &bruno, "--base-revision", &revision]).0,
        4
    );
    let (code, merged) = loaded(&["merge", &id, &bruno, "--base", &base_file]);
    assert_eq!(code, 0, "{merged}");
    let alts = &merged["bothChanged"][0]["alts"];
    assert_eq!(alts[0]["text"], "Hey you.", "the writer is told: {merged}");
    let line = alts[0]["originalId"].as_i64().unwrap();
    let stored = scripts::get_element(&t.db, line).await.unwrap();
    assert_eq!(stored.text, "Hi.", "the first writer's line stands");
    let kept = characters::list_paraphrases(&t.db, ElementType::SpokenWord, line)
        .await
        .unwrap();
    assert_eq!(
        kept.iter().map(|p| p.text.as_str()).collect::<Vec<_>>(),
        ["Hey you."]
    );
}

#[tokio::test]
async fn a_room_that_cannot_be_reached_says_where_without_the_password() {
    let refused = Database::open_url("postgres://alice:s3cret@127.0.0.1:1/room")
        .await
        .expect_err("nothing listens on port 1");
    let message = refused.to_string();
    assert_eq!(refused.code(), "database");
    assert!(message.contains("127.0.0.1:1/room"), "{message}");
    assert!(!message.contains("s3cret"), "{message}");
}

#[tokio::test]
async fn writers_saving_one_scene_at_once_from_the_same_text_all_keep_their_lines() {
    let t = TestDb::on(Engine::Postgres).await;
    let url = t.url.clone().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<String> = (1..=6).map(|i| format!("Beat {i}.")).collect();
    let fountain = format!("INT. ONE - DAY\n\n{}\n", lines.join("\n\n"));
    let id = common::import_fountain(&t.db, &fountain).await.to_string();
    let (_, base) = cli_json(&url, &["text", &id]);
    let (base_text, revision) = (
        base["text"].as_str().unwrap().to_string(),
        base["revision"].to_string(),
    );
    let base_file = dir.path().join("base.fountain");
    std::fs::write(&base_file, &base_text).unwrap();
    // Six editors, each holding the same text, save a different line at the same moment; two
    // more both rewrite the last line.
    let edits: Vec<(usize, String)> = (0..6)
        .map(|i| (i, format!("Beat {}, rewritten by writer {i}.", i + 1)))
        .chain([(5, "Beat 6, the rival take.".to_string())])
        .collect();
    let saves: Vec<_> = edits
        .iter()
        .enumerate()
        .map(|(w, (line, new))| {
            let text = base_text.replace(&lines[*line], new);
            let file = dir.path().join(format!("writer{w}.fountain"));
            std::fs::write(&file, text).unwrap();
            let (url, id, revision) = (url.clone(), id.clone(), revision.clone());
            let base_file = base_file.display().to_string();
            std::thread::spawn(move || {
                let file = file.display().to_string();
                let args = [
                    "merge",
                    &id,
                    &file,
                    "--base",
                    &base_file,
                    "--base-revision",
                    &revision,
                ];
                cli_json(&url, &args)
            })
        })
        .collect();
    let answers: Vec<(i32, serde_json::Value)> =
        saves.into_iter().map(|s| s.join().unwrap()).collect();
    assert!(answers.iter().all(|(code, _)| *code == 0), "{answers:?}");

    let (_, now) = cli_json(&url, &["text", &id]);
    let text = now["text"].as_str().unwrap();
    for (w, new) in edits.iter().take(5).map(|(_, new)| new).enumerate() {
        assert!(
            text.contains(new.as_str()),
            "writer {w}'s line is lost:\n{text}"
        );
    }
    // The last line: whichever saved first stands, the other is its alt, and was told.
    let rivals = [&edits[5].1, &edits[6].1];
    let stands: Vec<&&String> = rivals
        .iter()
        .filter(|r| text.contains(r.as_str()))
        .collect();
    assert_eq!(stands.len(), 1, "one of the two stands:\n{text}");
    let refused: Vec<&serde_json::Value> = answers
        .iter()
        .map(|(_, a)| a)
        .filter(|a| a["conflict"]["code"] == "conflict")
        .collect();
    assert_eq!(refused.len(), 1, "one writer is told: {answers:?}");
    let alt = &refused[0]["bothChanged"][0]["alts"][0];
    let other = rivals.iter().find(|r| !text.contains(r.as_str())).unwrap();
    assert_eq!(alt["text"].as_str(), Some(other.as_str()));
}

#[tokio::test]
async fn an_editor_saving_while_others_edit_the_same_scene_waits_for_them_and_loses_nothing() {
    let t = TestDb::on(Engine::Postgres).await;
    let url = t.url.clone().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let beats: Vec<String> = (1..=12).map(|i| format!("Beat {i}.")).collect();
    let fountain = format!("INT. ONE - DAY\n\n{}\n", beats.join("\n\n"));
    let id = common::import_fountain(&t.db, &fountain).await;
    let heading = scripts::list_sections(&t.db, id).await.unwrap()[0].heading_id;
    let lines = scripts::list_elements(&t.db, heading).await.unwrap();
    let (id, heading) = (id.to_string(), heading.to_string());

    // The editor rewrites beats 1-6, one save each, from the text it last had...
    let editor = {
        let (url, id, dir) = (url.clone(), id.clone(), dir.path().to_path_buf());
        std::thread::spawn(move || {
            let (_, loaded) = cli_json(&url, &["text", &id]);
            let mut base = loaded["text"].as_str().unwrap().to_string();
            let mut revision = loaded["revision"].to_string();
            for k in 1..=6 {
                let mine = base.replace(&format!("Beat {k}."), &format!("Beat {k}, saved."));
                let (base_file, file) = (dir.join("base.fountain"), dir.join("mine.fountain"));
                std::fs::write(&base_file, &base).unwrap();
                std::fs::write(&file, &mine).unwrap();
                let (b, f) = (base_file.display().to_string(), file.display().to_string());
                let args = ["merge", &id, &f, "--base", &b, "--base-revision", &revision];
                let (code, saved) = cli_json(&url, &args);
                assert_eq!(code, 0, "save {k}: {saved}");
                base = saved["text"].as_str().unwrap().to_string();
                revision = saved["sync"]["revision"].to_string();
            }
        })
    };
    // ...while two writers edit beats 7-12 and add lines to the same scene.
    let others: Vec<_> = (0..2)
        .map(|w| {
            let (url, heading) = (url.clone(), heading.clone());
            let mine: Vec<(i64, String)> = lines[6 + w * 3..9 + w * 3]
                .iter()
                .map(|e| {
                    (
                        e.element_id,
                        format!("{}, edited.", e.text.trim_end_matches('.')),
                    )
                })
                .collect();
            std::thread::spawn(move || {
                for (element, text) in mine {
                    let element = element.to_string();
                    let edit = ["element", "update", &element, "--text", &text];
                    let out = cli(&url, &edit);
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                    let added = format!("Added by writer {w}: {text}");
                    let add = [
                        "element", "add", &heading, "--kind", "action", "--text", &added,
                    ];
                    let out = cli(&url, &add);
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            })
        })
        .collect();
    editor.join().unwrap();
    for other in others {
        other.join().unwrap();
    }
    let text = fountainai::screenplay::fountain_text(&t.db, id.parse().unwrap())
        .await
        .unwrap();
    for k in 1..=6 {
        assert!(text.contains(&format!("Beat {k}, saved.")), "{text}");
    }
    for k in 7..=12 {
        assert!(text.contains(&format!("Beat {k}, edited.")), "{text}");
    }
    assert_eq!(text.matches("Added by writer").count(), 6, "{text}");
}

/// Another writer's save, holding the script's row the way every write of a script takes it
/// first, on a connection of the test's own.
async fn a_save_holding(url: &str, script_id: i64) -> sqlx::PgConnection {
    use sqlx::Connection;
    let mut save = sqlx::PgConnection::connect(url).await.unwrap();
    sqlx::query("BEGIN").execute(&mut save).await.unwrap();
    sqlx::query("SELECT 1 FROM scripts WHERE script_id = $1 FOR UPDATE")
        .bind(script_id)
        .execute(&mut save)
        .await
        .unwrap();
    save
}

#[tokio::test]
async fn alts_wait_for_another_writers_save_and_never_land_on_a_line_it_deleted() {
    let t = TestDb::on(Engine::Postgres).await;
    let url = t.url.clone().unwrap();
    let id =
        common::import_fountain(&t.db, "INT. ONE - DAY\n\nFirst beat.\n\nSecond beat.\n").await;
    let heading = scripts::list_sections(&t.db, id).await.unwrap()[0].heading_id;
    let lines = scripts::list_elements(&t.db, heading).await.unwrap();
    let (first, second) = (lines[0].element_id, lines[1].element_id);
    let alt = characters::add_paraphrase(&t.db, ElementType::Action, second, "Second, again.", "")
        .await
        .unwrap();

    let mut save = a_save_holding(&url, id).await;
    let db = t.db.clone();
    let adding = tokio::spawn(async move {
        characters::add_paraphrase(&db, ElementType::Action, first, "First, again.", "").await
    });
    let db = t.db.clone();
    let promoting =
        tokio::spawn(async move { characters::promote_paraphrase(&db, alt.paraphrase_id).await });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        !adding.is_finished() && !promoting.is_finished(),
        "both wait for the save"
    );
    // The save deletes the first line and rewrites the second (had the alt's promotion taken
    // the line first and then waited for the script, this would be a deadlock).
    for (sql, element) in [
        ("DELETE FROM elements WHERE element_id = $1", first),
        (
            "UPDATE elements SET text = 'Second, rewritten.' WHERE element_id = $1",
            second,
        ),
    ] {
        sqlx::query(sql)
            .bind(element)
            .execute(&mut save)
            .await
            .unwrap();
    }
    sqlx::query("COMMIT").execute(&mut save).await.unwrap();

    common::rejected(adding.await.unwrap(), "not_found");
    let orphans: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM paraphrases WHERE original_id = $1")
            .bind(first)
            .fetch_one(&mut save)
            .await
            .unwrap();
    assert_eq!(orphans, 0, "no alt of a line that is gone");
    let promoted = promoting.await.unwrap().expect("promoted after the save");
    assert_eq!(
        promoted.paraphrase.text, "Second, rewritten.",
        "the save's text is kept as the alt"
    );
    let now = scripts::get_element(&t.db, second).await.unwrap();
    assert_eq!(now.text, "Second, again.");
}

#[tokio::test]
async fn a_context_and_a_version_wait_for_another_writers_save_and_the_version_holds_it() {
    let t = TestDb::on(Engine::Postgres).await;
    let url = t.url.clone().unwrap();
    let id = common::import_fountain(&t.db, "INT. ONE - DAY\n\nA beat.\n").await;
    let heading = scripts::list_sections(&t.db, id).await.unwrap()[0].heading_id;
    let session = common::session(&t.db, id).await;

    let mut save = a_save_holding(&url, id).await;
    let db = t.db.clone();
    let writes = tokio::spawn(async move {
        let target = sessions::ContextTarget {
            heading_id: Some(heading),
            character_id: None,
            element_id: None,
        };
        let data = [("mood".to_string(), "tense".to_string())].into();
        sessions::set_context(&db, session.session_id, target, &data, &[]).await?;
        sequence::create_version(&db, ElementType::Script, id, "mine").await
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!writes.is_finished(), "the context waits for the save");
    sqlx::query("UPDATE section_headings SET title = 'INT. TWO - NIGHT' WHERE heading_id = $1")
        .bind(heading)
        .execute(&mut save)
        .await
        .unwrap();
    sqlx::query("COMMIT").execute(&mut save).await.unwrap();
    let version = writes.await.unwrap().expect("saved after the save");
    assert!(
        version.data.to_string().contains("INT. TWO - NIGHT"),
        "the version holds the save's heading: {}",
        version.data
    );
}
