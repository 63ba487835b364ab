//! The `fountainai` command line: the exact forms, JSON on stdout, `{code, message}`
//! on stderr with a non-zero exit, and two processes writing one database file at once.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

struct Cli {
    dir: tempfile::TempDir,
}

impl Cli {
    fn new() -> Self {
        Cli {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("studio.sqlite3")
    }

    fn raw(&self, args: &[&str]) -> Output {
        run(self.dir.path(), &self.db(), args)
    }

    /// Runs a command that must succeed and returns its JSON.
    fn ok(&self, args: &[&str]) -> Value {
        let out = self.raw(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("stdout is JSON")
    }

    /// Runs a command that must fail; returns its exit code and error JSON.
    fn err(&self, args: &[&str]) -> (i32, Value) {
        let out = self.raw(args);
        assert!(!out.status.success(), "{args:?} should fail");
        assert!(
            out.stdout.is_empty(),
            "a failed command prints nothing on stdout"
        );
        let err: Value = serde_json::from_slice(&out.stderr).expect("stderr is JSON");
        (out.status.code().unwrap_or(-1), err)
    }
}

fn run(data_dir: &Path, db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fountainai"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("FOUNTAINAI_DATA_DIR", data_dir)
        .env_remove("FOUNTAINAI_DB")
        .output()
        .expect("run fountainai")
}

fn id(v: &Value, key: &str) -> String {
    v[key]
        .as_i64()
        .unwrap_or_else(|| panic!("{key} missing in {v}"))
        .to_string()
}

#[test]
fn the_documented_forms_print_the_documented_json() {
    let cli = Cli::new();
    let s = cli.ok(&[
        "script",
        "create",
        "--title",
        "Romeo and Juliet",
        "--author",
        "William Shakespeare",
        "--description",
        "Lovers.",
    ]);
    assert_eq!(
        (s["scriptId"].as_i64(), s["sequenceNumber"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(s["author"], "William Shakespeare");
    let script = id(&s, "scriptId");
    cli.ok(&["script", "create", "--title", "Hamlet"]);
    let list = cli.ok(&["script", "list", "--limit", "1", "--title", "romeo"]);
    assert_eq!(list["totalCount"], 1);
    assert_eq!(list["scripts"][0]["title"], "Romeo and Juliet");
    assert_eq!(cli.ok(&["script", "list", "--limit", "1"])["totalCount"], 2);

    let h1 = cli.ok(&["section", "add", &script, "--title", "Balcony"]);
    assert_eq!(
        (h1["scriptId"].as_i64(), h1["sequenceNumber"].as_i64()),
        (Some(1), Some(1))
    );
    let h2 = id(
        &cli.ok(&["section", "add", &script, "--title", "Crypt"]),
        "headingId",
    );
    let h3 = id(
        &cli.ok(&["section", "add", &script, "--title", "Street"]),
        "headingId",
    );
    let h1 = id(&h1, "headingId");
    let order = format!("{h3},{h1},{h2}");
    let reordered = cli.ok(&["section", "reorder", &script, "--order", &order]);
    let got: Vec<(i64, i64)> = reordered["updatedElements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["headingId"].as_i64().unwrap(),
                e["newSequence"].as_i64().unwrap(),
            )
        })
        .collect();
    let want: Vec<(i64, i64)> = [&h3, &h1, &h2]
        .iter()
        .zip(1..)
        .map(|(h, n)| (h.parse().unwrap(), n))
        .collect();
    assert_eq!(got, want);

    let juliet = id(
        &cli.ok(&[
            "character",
            "create",
            &script,
            "--name",
            "JULIET",
            "--description",
            "A Capulet",
        ]),
        "characterId",
    );
    let action = cli.ok(&["action", "add", &h1, "--text", "Moonlight on the balcony."]);
    assert_eq!(action["sequenceNumber"], 1);
    let line = cli.ok(&[
        "line",
        "add",
        &h1,
        "--character",
        &juliet,
        "--text",
        "O Romeo, Romeo!",
        "--parenthetical",
        "(softly)",
    ]);
    assert_eq!(line["sequenceNumber"], 2);
    let dialogue = id(&line, "dialogueId");
    let alt = cli.ok(&[
        "paraphrase",
        "add",
        "spokenWord",
        &dialogue,
        "--text",
        "Romeo, oh Romeo!",
        "--commentary",
        "Plainer",
    ]);
    assert_eq!(alt["originalId"].as_i64().unwrap().to_string(), dialogue);
    assert!(alt["paraphraseId"].is_i64());
    assert_eq!(
        cli.ok(&["paraphrase", "list", "spokenWord", &dialogue])
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let session = cli.ok(&[
        "session",
        "create",
        "--user-id",
        "7",
        "--context",
        "first reading",
    ]);
    let session_id = id(&session, "sessionId");
    let ctx = cli.ok(&[
        "context",
        "set",
        &session_id,
        "--section",
        &h1,
        "mood=longing",
        "location=balcony",
    ]);
    assert_eq!(ctx["data"]["mood"], "longing");
    assert!(ctx["contextId"].is_i64());

    let version = cli.ok(&["version", "create", "script", &script]);
    assert_eq!(version["versionNumber"], 1);
    cli.ok(&["script", "update", &script, "--title", "Changed"]);
    assert_eq!(
        cli.ok(&["version", "list", "script", &script])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    cli.ok(&["version", "restore", "script", &script, "1"]);
    assert_eq!(
        cli.ok(&["script", "get", &script])["title"],
        "Romeo and Juliet"
    );

    let full = cli.ok(&[
        "story",
        "full",
        &script,
        "--session",
        &session_id,
        "--context",
        "mood=longing",
    ]);
    assert_eq!(full["story"].as_array().unwrap().len(), 2);
    assert_eq!(full["story"][1]["spokenWord"]["parenthetical"], "softly");
    let by_name = cli.ok(&["story", "full", &script, "--character", "juliet"]);
    assert_eq!(by_name["story"].as_array().unwrap().len(), 1);
    let seq = cli.ok(&["story", "sequences", &script, "--start", "2", "--end", "2"]);
    assert_eq!(
        seq["sequences"][0]["spokenWord"]["dialogueId"]
            .as_i64()
            .unwrap()
            .to_string(),
        dialogue
    );
    let report = cli.ok(&["story", "validate", &script]);
    assert_eq!(report["valid"], true);
}

#[test]
fn errors_are_json_on_stderr_with_distinct_exit_codes() {
    let cli = Cli::new();
    let (code, err) = cli.err(&["story", "full", "99"]);
    assert_eq!(
        (code, err["code"].as_str(), err["message"].as_str()),
        (3, Some("not_found"), Some("Script not found."))
    );
    let (code, err) = cli.err(&["script", "create", "--title", "   "]);
    assert_eq!((code, err["code"].as_str()), (2, Some("invalid_input")));
    let (code, err) = cli.err(&["script", "create"]);
    assert_eq!((code, err["code"].as_str()), (2, Some("invalid_input")));
    let (code, err) = cli.err(&["version", "create", "scene", "1"]);
    assert_eq!((code, err["code"].as_str()), (2, Some("invalid_input")));
    let (code, err) = cli.err(&["context", "set", "1", "--section", "1", "no-equals-sign"]);
    assert_eq!((code, err["code"].as_str()), (2, Some("invalid_input")));
    let s = id(&cli.ok(&["script", "create", "--title", "A"]), "scriptId");
    cli.ok(&["character", "create", &s, "--name", "ADA"]);
    let (code, err) = cli.err(&["character", "create", &s, "--name", "ADA"]);
    assert_eq!((code, err["code"].as_str()), (4, Some("conflict")));
    let (code, _) = cli.err(&["load", "/nonexistent/story.json"]);
    assert_eq!(code, 1);
}

#[test]
fn help_documents_every_command() {
    let out = Command::new(env!("CARGO_BIN_EXE_fountainai"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for command in [
        "script",
        "section",
        "action",
        "line",
        "character",
        "paraphrase",
        "session",
        "context",
        "version",
        "story",
        "sequence",
        "example",
        "sync",
        "midi",
        "preview",
    ] {
        assert!(help.contains(command), "--help does not mention {command}");
    }
}

#[test]
fn the_example_story_loads_from_the_command_line() {
    let cli = Cli::new();
    let loaded = cli.ok(&["example", "romeo-and-juliet"]);
    assert_eq!(
        (
            loaded["sections"].as_i64(),
            loaded["characters"].as_i64(),
            loaded["elements"].as_i64()
        ),
        (Some(1), Some(2), Some(3))
    );
    let script = id(&loaded, "scriptId");
    let session = loaded["sessionIds"][0].as_i64().unwrap().to_string();
    let full = cli.ok(&["story", "full", &script, "--session", &session]);
    assert_eq!(full["story"][0]["context"]["data"]["mood"], "longing");
    let (code, err) = cli.err(&["example", "macbeth"]);
    assert_eq!((code, err["code"].as_str()), (3, Some("not_found")));
}

#[test]
fn two_processes_writing_one_database_lose_nothing() {
    let cli = Cli::new();
    let script = id(
        &cli.ok(&["script", "create", "--title", "Shared"]),
        "scriptId",
    );
    let heading = id(
        &cli.ok(&["section", "add", &script, "--title", "Writers' room"]),
        "headingId",
    );
    const EACH: usize = 25;
    let writers: Vec<_> = ["left", "right"]
        .into_iter()
        .map(|who| {
            let (dir, db, heading) = (cli.dir.path().to_path_buf(), cli.db(), heading.clone());
            std::thread::spawn(move || {
                for i in 0..EACH {
                    let text = format!("{who} {i}");
                    let out = run(&dir, &db, &["action", "add", &heading, "--text", &text]);
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer thread");
    }
    let elements = cli.ok(&["element", "list", &heading]);
    let elements = elements.as_array().unwrap();
    assert_eq!(elements.len(), 2 * EACH);
    let numbers: Vec<i64> = elements
        .iter()
        .map(|e| e["sequenceNumber"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, (1..=(2 * EACH) as i64).collect::<Vec<_>>());
    for who in ["left", "right"] {
        let mine: Vec<&str> = elements
            .iter()
            .filter_map(|e| e["text"].as_str())
            .filter(|t| t.starts_with(who))
            .collect();
        let expected: Vec<String> = (0..EACH).map(|i| format!("{who} {i}")).collect();
        assert_eq!(
            mine, expected,
            "each writer's actions arrive complete and in its order"
        );
    }
}

#[test]
fn a_sync_against_a_stale_revision_is_refused_and_changes_nothing() {
    let cli = Cli::new();
    let dir = cli.dir.path();
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let first = write(
        "first.fountain",
        "INT. DINER - NIGHT\n\nMaya waits.\n\nMAYA\nWe should leave.\n",
    );
    let second = write(
        "second.fountain",
        "INT. DINER - NIGHT\n\nMaya waits by the door.\n\nMAYA\nWe should leave.\n",
    );
    let third = write(
        "third.fountain",
        "INT. DINER - NIGHT\n\nMaya waits by the door.\n\nMAYA\nWe should leave before morning.\n",
    );
    let script = id(&cli.ok(&["import", &first]), "scriptId");
    let export = || {
        let out = cli.raw(&["export", &script, "--format", "fountain", "-o", "-"]);
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };

    let synced = cli.ok(&["sync", &script, &second]);
    let revision = synced["revision"].as_i64().expect("revision");
    let after_sync = export();
    assert!(
        after_sync.contains("Maya waits by the door."),
        "{after_sync}"
    );

    let stale = (revision - 1).to_string();
    let (code, err) = cli.err(&["sync", &script, &third, "--base-revision", &stale]);
    assert_eq!((code, err["code"].as_str()), (4, Some("conflict")), "{err}");
    assert_eq!(export(), after_sync, "a refused sync changes nothing");

    let current = revision.to_string();
    let applied = cli.ok(&["sync", &script, &third, "--base-revision", &current]);
    assert!(applied["revision"].as_i64() > Some(revision), "{applied}");
    assert!(export().contains("We should leave before morning."));
}
