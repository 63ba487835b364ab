//! Hostile and bad input, everywhere: every command of the CLI, and the core functions the
//! app's commands are one line over, given unknown, negative and `i64::MAX` ids, empty and
//! 10 MB strings, NUL bytes, invalid UTF-8, oversized files and deeply nested JSON. Each is
//! refused with a `{code, message}` error and the documented exit status, and the database
//! is byte for byte what it was.

#[path = "common/cli.rs"]
mod cli;
mod common;

use common::Engine;
use rstest::rstest;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use fountainai::characters::{self, CharacterUpdate, NewCharacter};
use fountainai::scripts::{
    self, ElementKind, ElementUpdate, MoveElement, NewElement, NewScript, ScriptUpdate,
};
use fountainai::sequence::ElementType;
use fountainai::sessions::{self, ContextTarget};
use fountainai::{settings, Database, Result};
use serde_json::Value;

/// Every command that reads an id, a text or a file. `{script}`, `{section}`, `{element}`,
/// `{character}`, `{session}`, `{paraphrase}` are ids, `{text}` a text, `{file}` a screenplay
/// file, `{json}` a JSON file, `{bundle}` a bundle; each slot is made hostile in turn while
/// the others hold good values.
const COMMANDS: &[&str] = &[
    "script create --title {text}",
    "script get {script}",
    "script update {script} --title {text}",
    "script delete {script}",
    "section add {script} --title {text}",
    "section list {script}",
    "section get {section}",
    "section update {section} --title {text}",
    "section delete {section}",
    "section reorder {script} --order {section}",
    "action add {section} --text {text}",
    "line add {section} --character {character} --text {text}",
    "transition add {section} --text {text}",
    "element add {section} --kind action --text {text}",
    "element list {section}",
    "element get {element}",
    "element update {element} --text {text}",
    "element delete {element}",
    "element move {element} --position 1 --section {section}",
    "character create {script} --name {text}",
    "character list {script}",
    "character get {character}",
    "character update {character} --name {text}",
    "character delete {character}",
    "character lines {character}",
    "paraphrase add action {element} --text {text}",
    "paraphrase list action {element}",
    "paraphrase promote {paraphrase}",
    "paraphrase delete {paraphrase}",
    "session get {session}",
    "session update {session} --user-id 7",
    "session delete {session}",
    "context set {session} --section {section} {text}=calm",
    "context get {session}",
    "context delete {paraphrase}",
    "sequence generate element {element}",
    "sequence reorder section --scope {script} --order {section}",
    "version create script {script}",
    "version show script {script} 1",
    "version diff script {script} 1 2",
    "version restore script {script} 1",
    "story full {script}",
    "story sequences {script} --start 1 --end 2",
    "story validate {script}",
    "load {json}",
    "parse {file}",
    "import {file}",
    "export {script} --format fdx",
    "sync {script} {file}",
    "text {script}",
    "merge {script} {file} --base {file}",
    "remove section {section}",
    "remove element {element}",
    "remove character {character}",
    "remove session {session}",
    "restore {json}",
    "setting set {text} 1",
    "setting get {text}",
    "orchestrate {script}",
    "render-audio {script} --out {out}",
    "bundle export {script} --output {out}",
    "bundle import {bundle}",
    "link {script} {out}",
    "unlink {script}",
    "pages {script}",
    "moods suggest {script}",
    "moods list {session}",
    "moods review {session} accept --section {section}",
    "report {script}",
    // The id is checked before any device is opened, so these hold where there is no MIDI or
    // sound card at all.
    "midi play {script} --port 0",
    "midi record --port 0 --seconds 1 --character {character}",
    "preview {script}",
];

/// A hostile value and the codes it may be refused with.
struct Hostile {
    value: String,
    codes: &'static [&'static str],
}

fn hostile(value: impl Into<String>, codes: &'static [&'static str]) -> Hostile {
    Hostile {
        value: value.into(),
        codes,
    }
}

/// The files the hostile file slots get, made once per test.
struct Files {
    nul: PathBuf,
    bad_utf8: PathBuf,
    ten_mb_nul: PathBuf,
    ten_mb_bad: PathBuf,
    oversized: PathBuf,
    nested: PathBuf,
    missing: PathBuf,
}

impl Files {
    fn new(dir: &Path) -> Self {
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.join(name);
            std::fs::write(&path, bytes).expect("write a hostile file");
            path
        };
        let oversized = dir.join("oversized.fountain");
        // Sparse: 60 MB that takes no disk, over the 50 MB import limit.
        std::fs::File::create(&oversized)
            .and_then(|f| f.set_len(60 * 1024 * 1024))
            .expect("a sparse file");
        let depth = 100_000;
        let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        Files {
            nul: write("nul.fountain", b"INT. HOUSE - DAY\n\nA \0 in the text.\n"),
            bad_utf8: write("bad.fountain", b"INT. HOUSE - DAY\n\nBad \xff\xfe bytes.\n"),
            ten_mb_nul: write("ten-mb-nul.fountain", &vec![0u8; 10 * 1024 * 1024]),
            ten_mb_bad: write("ten-mb-bad.fountain", &vec![0xffu8; 10 * 1024 * 1024]),
            oversized,
            nested: write("nested.json", nested.as_bytes()),
            missing: dir.join("no-such-file.fountain"),
        }
    }

    fn path(p: &Path) -> String {
        p.display().to_string()
    }

    /// Files no screenplay reader takes.
    fn screenplays(&self) -> Vec<Hostile> {
        vec![
            hostile(Self::path(&self.nul), &["invalid_input"]),
            hostile(Self::path(&self.bad_utf8), &["invalid_input"]),
            hostile(Self::path(&self.ten_mb_nul), &["invalid_input"]),
            hostile(Self::path(&self.ten_mb_bad), &["invalid_input"]),
            hostile(Self::path(&self.oversized), &["invalid_input"]),
            hostile(Self::path(&self.missing), &["io"]),
        ]
    }

    fn json(&self) -> Vec<Hostile> {
        let mut all = self.screenplays();
        all.push(hostile(Self::path(&self.nested), &["invalid_input"]));
        all
    }
}

/// An id that names nothing is `not_found`, or `invalid_input` where the id is checked
/// against another (an element of another scope, a section of no such script).
fn ids() -> Vec<Hostile> {
    const UNKNOWN: &[&str] = &["not_found", "invalid_input"];
    vec![
        hostile("999999", UNKNOWN),
        hostile("0", UNKNOWN),
        hostile("-1", UNKNOWN),
        hostile(i64::MAX.to_string(), UNKNOWN),
        hostile(i64::MIN.to_string(), UNKNOWN),
        hostile("9223372036854775808", &["invalid_input"]),
        hostile("1e3", &["invalid_input"]),
    ]
}

fn texts() -> Vec<Hostile> {
    vec![
        hostile("", &["invalid_input"]),
        hostile("   ", &["invalid_input"]),
    ]
}

/// The documented exit status of each code (README, `fountainai --help`).
fn exit_status(code: &str) -> i32 {
    match code {
        "invalid_input" => 2,
        "not_found" => 3,
        "conflict" => 4,
        "device_unavailable" => 5,
        _ => 1,
    }
}

/// Good values for every slot, on the Romeo and Juliet example.
fn good_values(dir: &Path) -> BTreeMap<&'static str, String> {
    let (_, script) = cli::example(dir);
    let first = |args: &[&str], key: &str| -> String {
        let v = cli::ok(dir, args);
        let list = v.as_array().cloned().unwrap_or_default();
        list.first()
            .and_then(|x| x.get(key))
            .map(Value::to_string)
            .unwrap_or_else(|| panic!("no {key} in {v}"))
    };
    let section = first(&["section", "list", &script], "headingId");
    // An action, which takes alts (Romeo and Juliet is all dialogue).
    let element = cli::ok(dir, &["action", "add", &section, "--text", "She looks up."])["actionId"]
        .to_string();
    let character = first(&["character", "list", &script], "characterId");
    let session =
        cli::ok(dir, &["session", "create", "--script", &script])["sessionId"].to_string();
    let paraphrase = cli::ok(
        dir,
        &["paraphrase", "add", "action", &element, "--text", "An alt"],
    )["paraphraseId"]
        .to_string();
    let text = dir.join("good.fountain");
    std::fs::write(&text, "INT. HOUSE - DAY\n\nGood words.\n").expect("a good file");
    BTreeMap::from([
        ("script", script),
        ("section", section),
        ("element", element),
        ("character", character),
        ("session", session),
        ("paraphrase", paraphrase),
        ("text", "Good words".to_string()),
        ("file", text.display().to_string()),
        ("json", text.display().to_string()),
        ("bundle", text.display().to_string()),
        ("out", dir.join("out.file").display().to_string()),
    ])
}

/// The command's words with every slot filled: `hostile_slot` (the index of one slot) gets
/// `value`, the others their good value.
fn fill(
    template: &str,
    good: &BTreeMap<&str, String>,
    hostile_slot: usize,
    value: &str,
) -> Vec<String> {
    let mut slot = 0;
    template
        .split_whitespace()
        .map(|word| match slot_of(word) {
            Some((prefix, name, suffix)) => {
                let this = slot;
                slot += 1;
                let v = if this == hostile_slot {
                    value
                } else {
                    good[name].as_str()
                };
                format!("{prefix}{v}{suffix}")
            }
            None => word.to_string(),
        })
        .collect()
}

/// `mood={text}` → ("mood=", "text", "").
fn slot_of(word: &str) -> Option<(&str, &str, &str)> {
    let open = word.find('{')?;
    let close = word[open..].find('}')? + open;
    Some((&word[..open], &word[open + 1..close], &word[close + 1..]))
}

fn hostile_values(name: &str, files: &Files) -> Vec<Hostile> {
    match name {
        "text" => texts(),
        "file" | "bundle" => files.screenplays(),
        "json" => files.json(),
        // An output path in a folder that does not exist.
        "out" => vec![],
        _ => ids(),
    }
}

/// Every row of every table, to prove a refused command changed nothing.
async fn dump_file(path: &Path) -> String {
    let db = Database::open(path).await.expect("open the database");
    let text = common::dump_all(&db).await;
    db.close().await;
    text
}

#[tokio::test]
async fn every_command_refuses_hostile_input_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = good_values(dir.path());
    let files = Files::new(dir.path());
    let db_path = dir.path().join("studio.sqlite3");
    let before = dump_file(&db_path).await;
    let mut runs = 0;
    for template in COMMANDS {
        let slots: Vec<&str> = template
            .split_whitespace()
            .filter_map(slot_of)
            .map(|(_, name, _)| name)
            .collect();
        for (index, name) in slots.iter().enumerate() {
            for h in hostile_values(name, &files) {
                let args = fill(template, &good, index, &h.value);
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let shown: Vec<String> =
                    args.iter().map(|a| a.chars().take(60).collect()).collect();
                let (status, error) = cli::err(dir.path(), &args);
                let code = error["code"].as_str().unwrap_or_default();
                assert!(
                    h.codes.contains(&code),
                    "{shown:?}: refused with {error}, expected one of {:?}",
                    h.codes
                );
                assert!(
                    error["message"].as_str().is_some_and(|m| !m.is_empty()),
                    "{shown:?}: no message in {error}"
                );
                assert_eq!(status, Some(exit_status(code)), "{shown:?}: exit status");
                assert_eq!(
                    dump_file(&db_path).await,
                    before,
                    "{shown:?} changed the database"
                );
                runs += 1;
            }
        }
    }
    assert!(runs > 300, "only {runs} hostile runs");
}

/// Reads that answer "nothing" for an id that names nothing (the versions and the draft of a
/// deleted script stay readable by its id): empty, and nothing changes.
#[tokio::test]
async fn reads_by_an_unknown_id_answer_empty_and_change_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    cli::example(dir.path());
    let db_path = dir.path().join("studio.sqlite3");
    let before = dump_file(&db_path).await;
    for id in ["999999", "0", &i64::MAX.to_string()] {
        for args in [
            vec!["version", "list", "script", id],
            vec!["draft", "get", id],
            vec!["draft", "clear", id],
        ] {
            let answer = cli::ok(dir.path(), &args);
            assert!(
                answer.is_null() || answer.as_array().is_some_and(Vec::is_empty),
                "{args:?}: {answer}"
            );
        }
        for args in [
            ["version", "list", "script", "-1"],
            ["draft", "get", "-1", ""],
        ] {
            let args: Vec<&str> = args.into_iter().filter(|a| !a.is_empty()).collect();
            let (status, error) = cli::err(dir.path(), &args);
            assert_eq!(
                status,
                Some(exit_status(error["code"].as_str().unwrap_or_default()))
            );
        }
    }
    assert_eq!(dump_file(&db_path).await, before);
}

// ---- The app's commands: the core functions they are one line over --------------------

const TEN_MB: usize = 10 * 1024 * 1024;

/// A core call the app makes, with hostile arguments.
type Call<'a> = Box<
    dyn Fn(&'a Database) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<()>> + 'a>>
        + 'a,
>;

fn call<'a, F, Fut, T>(f: F) -> Call<'a>
where
    F: Fn(&'a Database) -> Fut + 'a,
    Fut: std::future::Future<Output = Result<T>> + 'a,
{
    Box::new(move |db| {
        let fut = f(db);
        Box::pin(async move { fut.await.map(|_| ()) })
    })
}

#[rstest]
#[tokio::test]
async fn the_apps_commands_refuse_hostile_input_and_change_nothing(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = common::TestDb::on(engine).await;
    let db = &t.db;
    let script = common::script(db, "Hostile").await.script_id;
    let section = common::section(db, script, "INT. HOUSE - DAY")
        .await
        .heading_id;
    let character = common::character(db, script, "ROMEO").await.character_id;
    let element = common::add(db, section, ElementKind::Action, None, "Words.")
        .await
        .element_id;
    let session = common::session(db, script).await.session_id;
    let huge = "a".repeat(TEN_MB);
    let nul = "before\0after".to_string();
    let bad_ids = [999_999, 0, -1, i64::MAX, i64::MIN];
    let mut calls: Vec<(String, Call, &[&str])> = Vec::new();
    for text in [String::new(), huge.clone(), nul.clone()] {
        let label = format!("{} bytes", text.len());
        let t1 = text.clone();
        calls.push((
            format!("script_create {label}"),
            call(move |db| {
                scripts::create_script(
                    db,
                    NewScript {
                        title: t1.clone(),
                        ..Default::default()
                    },
                )
            }),
            &["invalid_input"],
        ));
        let t2 = text.clone();
        calls.push((
            format!("script_update {label}"),
            call(move |db| {
                scripts::update_script(
                    db,
                    script,
                    ScriptUpdate {
                        title: Some(t2.clone()),
                        ..Default::default()
                    },
                )
            }),
            &["invalid_input"],
        ));
        let t3 = text.clone();
        calls.push((
            format!("section_add {label}"),
            call(move |db| {
                let t = t3.clone();
                async move { scripts::add_section(db, script, &t).await }
            }),
            &["invalid_input"],
        ));
        let t4 = text.clone();
        calls.push((
            format!("element_add {label}"),
            call(move |db| {
                scripts::add_element(
                    db,
                    section,
                    NewElement {
                        kind: ElementKind::Action,
                        text: t4.clone(),
                        character_id: None,
                        parenthetical: None,
                        position: None,
                    },
                )
            }),
            &["invalid_input"],
        ));
        let t5 = text.clone();
        calls.push((
            format!("element_update {label}"),
            call(move |db| {
                scripts::update_element(
                    db,
                    element,
                    ElementUpdate {
                        text: Some(t5.clone()),
                        ..Default::default()
                    },
                )
            }),
            &["invalid_input"],
        ));
        let t6 = text.clone();
        calls.push((
            format!("character_create {label}"),
            call(move |db| {
                characters::create_character(
                    db,
                    script,
                    NewCharacter {
                        name: t6.clone(),
                        description: None,
                    },
                )
            }),
            &["invalid_input"],
        ));
        let t7 = text.clone();
        calls.push((
            format!("character_update {label}"),
            call(move |db| {
                characters::update_character(
                    db,
                    character,
                    CharacterUpdate {
                        name: Some(t7.clone()),
                        ..Default::default()
                    },
                )
            }),
            &["invalid_input"],
        ));
        let t8 = text.clone();
        calls.push((format!("paraphrase_add {label}"), call(move |db| {
            let t = t8.clone();
            async move { characters::add_paraphrase(db, ElementType::Action, element, &t, "").await }
        }), &["invalid_input"]));
        if !text.is_empty() {
            // An empty text is a legal sync (it empties the script); NUL and 10 MB are not.
            let t9 = text.clone();
            calls.push((
                format!("screenplay_sync {label}"),
                call(move |db| {
                    let t = t9.clone();
                    async move { fountainai::screenplay::sync(db, script, &t).await }
                }),
                &["invalid_input"],
            ));
        }
        let t10 = text.clone();
        calls.push((
            format!("context_set {label}"),
            call(move |db| {
                let data = BTreeMap::from([(t10.clone(), "calm".to_string())]);
                async move {
                    let target = ContextTarget {
                        heading_id: Some(section),
                        character_id: None,
                        element_id: None,
                    };
                    sessions::set_context(db, session, target, &data, &[]).await
                }
            }),
            &["invalid_input"],
        ));
    }
    for id in bad_ids {
        calls.push((
            format!("script_get {id}"),
            call(move |db| scripts::get_script(db, id)),
            &["not_found", "invalid_input"],
        ));
        calls.push((
            format!("script_delete {id}"),
            call(move |db| scripts::delete_script(db, id)),
            &["not_found", "invalid_input"],
        ));
        calls.push((
            format!("section_add to {id}"),
            call(move |db| scripts::add_section(db, id, "Title")),
            &["not_found", "invalid_input"],
        ));
        calls.push((
            format!("element_move {id}"),
            call(move |db| {
                scripts::move_element(
                    db,
                    id,
                    MoveElement {
                        heading_id: Some(section),
                        position: 1,
                    },
                )
            }),
            &["not_found", "invalid_input"],
        ));
        calls.push((
            format!("element_move into {id}"),
            call(move |db| {
                scripts::move_element(
                    db,
                    element,
                    MoveElement {
                        heading_id: Some(id),
                        position: 1,
                    },
                )
            }),
            &["not_found", "invalid_input"],
        ));
        calls.push((
            format!("element_delete {id}"),
            call(move |db| scripts::delete_element(db, id)),
            &["not_found", "invalid_input"],
        ));
        calls.push((
            format!("character_delete {id}"),
            call(move |db| characters::delete_character(db, id)),
            &["not_found", "invalid_input"],
        ));
        calls.push((
            format!("session_delete {id}"),
            call(move |db| sessions::delete_session(db, id)),
            &["not_found", "invalid_input"],
        ));
        calls.push((
            format!("reorder_sections {id}"),
            call(move |db| async move { scripts::reorder_sections(db, script, &[id]).await }),
            &["not_found", "invalid_input"],
        ));
        calls.push((
            format!("screenplay_sync {id}"),
            call(move |db| fountainai::screenplay::sync(db, id, "INT. HOUSE - DAY\n")),
            &["not_found", "invalid_input"],
        ));
        calls.push((
            format!("story_full {id}"),
            call(move |db| async move {
                let request = fountainai::story::StoryRequest {
                    script_id: id,
                    session_id: None,
                    filter_by_character: None,
                    filter_by_context: None,
                };
                fountainai::story::get_full_story(db, &request).await
            }),
            &["not_found", "invalid_input"],
        ));
    }
    let nested: Value =
        serde_json::from_str(&format!("{}{}", "[".repeat(100), "]".repeat(100))).expect("100 deep");
    calls.push((
        "setting_set with an empty key".into(),
        call(move |db| {
            let v = nested.clone();
            async move { settings::set_setting(db, "", &v).await }
        }),
        &["invalid_input"],
    ));
    calls.push((
        "document_load nested".into(),
        call(move |_db| async move {
            fountainai::document::ScriptDocument::from_json(&format!(
                "{}{}",
                "[".repeat(100_000),
                "]".repeat(100_000)
            ))
        }),
        &["invalid_input"],
    ));

    let before = common::dump_all(db).await;
    for (name, f, codes) in &calls {
        let e = match f(db).await {
            Ok(()) => panic!("{name}: accepted"),
            Err(e) => e,
        };
        assert!(codes.contains(&e.code()), "{name}: refused with {e:?}");
        let json = serde_json::to_value(&e).expect("the error as JSON");
        assert_eq!(json["code"], e.code(), "{name}: {json}");
        assert!(
            json["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{name}: {json}"
        );
        assert_eq!(
            common::dump_all(db).await,
            before,
            "{name} changed the database"
        );
    }
}

#[tokio::test]
async fn a_file_over_the_import_limit_is_refused_by_its_size() {
    let dir = tempfile::tempdir().expect("temp dir");
    let files = Files::new(dir.path());
    let oversized = Files::path(&files.oversized);
    for args in [
        vec!["import", oversized.as_str()],
        vec!["load", oversized.as_str()],
        vec!["parse", oversized.as_str()],
    ] {
        let (status, error) = cli::err(dir.path(), &args);
        assert_eq!(status, Some(2), "{args:?}");
        let message = error["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("up to 50 MB") && message.contains("oversized.fountain"),
            "{args:?}: {message}"
        );
    }
    let t = common::TestDb::new().await;
    let refused = fountainai::screenplay::import_file(&t.db, &files.oversized).await;
    assert_eq!(
        refused.map(|_| ()).map_err(|e| e.code()),
        Err("invalid_input")
    );
}

/// `fountainai watch` runs until stopped, so the table cannot run it: here it watches a linked
/// file while another program writes hostile bytes into it. Each is reported as `failed` with a
/// reason, the database is unchanged, and the watcher goes on to take the writer's next save.
#[tokio::test]
async fn the_watcher_refuses_a_hostile_linked_file_and_keeps_watching() {
    use std::io::BufRead;
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let (_, id) = cli::example(d);
    let file = d.join("rj.fountain");
    cli::ok(d, &["link", &id, &Files::path(&file)]);
    let good = std::fs::read_to_string(&file).expect("the linked file");
    let mut watcher = Stopped(
        std::process::Command::new(env!("CARGO_BIN_EXE_fountainai"))
            .arg("--db")
            .arg(d.join("studio.sqlite3"))
            .arg("watch")
            .env("FOUNTAINAI_DATA_DIR", d)
            .env_remove("FOUNTAINAI_DB")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start the watcher"),
    );
    let stdout = watcher.0.stdout.take().expect("its output");
    let (send, events) = std::sync::mpsc::channel::<Value>();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(|l| l.ok())
        {
            let _ = send.send(serde_json::from_str(&line).unwrap_or(Value::Null));
        }
    });
    let next = |what: &str| -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match events.recv_timeout(left) {
                Ok(e) if e["change"] == what => return e,
                Ok(_) => continue,
                Err(_) => panic!("no {what} event within 10 s"),
            }
        }
    };
    // A big write can reach the watcher as several events, each refused the same way; then it
    // must go quiet (a watcher that re-reads a file it refused reports it forever).
    let settle = || {
        let since = Instant::now();
        while events.recv_timeout(Duration::from_millis(700)).is_ok() {
            assert!(
                since.elapsed() < Duration::from_secs(5),
                "the watcher repeats itself"
            );
        }
    };
    std::thread::sleep(Duration::from_millis(500));
    let db_path = d.join("studio.sqlite3");
    let before = dump_file(&db_path).await;
    // `None`: a sparse 60 MB file, over the limit, that takes no disk.
    let hostile: [(&str, Option<Vec<u8>>, &str); 4] = [
        (
            "a NUL byte",
            Some(b"INT. HOUSE - DAY\n\nA \0.\n".to_vec()),
            "NUL",
        ),
        (
            "invalid UTF-8",
            Some(b"INT. A - DAY\n\n\xff\xfe\n".to_vec()),
            "UTF-8",
        ),
        ("10 MB of 0xff", Some(vec![0xffu8; 10 << 20]), "UTF-8"),
        ("60 MB, over the limit", None, "up to 50 MB"),
    ];
    for (what, bytes, reason) in &hostile {
        match bytes {
            Some(bytes) => std::fs::write(&file, bytes),
            None => std::fs::File::create(&file).and_then(|f| f.set_len(60 << 20)),
        }
        .expect("write the hostile file");
        let event = next("failed");
        let message = event["message"].as_str().unwrap_or_default();
        assert!(message.contains(reason), "{what}: {message}");
        settle();
        assert_eq!(
            dump_file(&db_path).await,
            before,
            "{what} changed the database"
        );
    }
    let saved = format!("{}\n\nA bell rings somewhere in Verona.\n", good.trim_end());
    std::fs::write(&file, saved).expect("the writer's save");
    next("fromFile");
    drop(watcher);
    let text = cli::ok(d, &["text", &id]);
    assert!(
        text.to_string()
            .contains("A bell rings somewhere in Verona."),
        "{text}"
    );
}

/// A child process stopped when the test ends, failed or not, so it never outlives the test.
struct Stopped(std::process::Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
