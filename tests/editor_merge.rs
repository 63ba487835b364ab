//! No silent lost update: the editor's text, written from an older revision, merges with what
//! another writer (here the CLI) changed meanwhile; and the editor's unsaved text survives a
//! crash as a draft. Through the `fountainai` binary on a real database file.

#[path = "common/cli.rs"]
mod cli;

use cli::{err, ok};
use serde_json::Value;

const BASE: &str = "\
Title: Merge

INT. DINER - NIGHT

Maya waits.

MAYA
We should leave.

INT. ROAD - NIGHT

The car idles.

EXT. FIELD - DAWN

Birds.
";

struct Desk {
    dir: tempfile::TempDir,
    script: String,
}

impl Desk {
    /// A script imported from BASE; the editor's revision is the one `text` reports.
    fn new() -> (Self, i64) {
        let dir = tempfile::tempdir().expect("a folder");
        let desk = Desk {
            script: String::new(),
            dir,
        };
        let base = desk.file("base.fountain", BASE);
        let script = ok(desk.dir.path(), &["import", &base])["scriptId"].to_string();
        let desk = Desk { script, ..desk };
        let revision = desk.text()["revision"].as_i64().expect("a revision");
        (desk, revision)
    }

    fn file(&self, name: &str, text: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        path.display().to_string()
    }

    fn ok(&self, args: &[&str]) -> Value {
        ok(self.dir.path(), args)
    }

    fn text(&self) -> Value {
        self.ok(&["text", &self.script])
    }

    /// The editor's save of the text in `mine`, written from `base` at `revision`.
    fn save(&self, mine: &str, base: &str, revision: &str) -> Value {
        let args = [
            "merge",
            &self.script,
            mine,
            "--base",
            base,
            "--base-revision",
            revision,
        ];
        self.ok(&args)
    }

    /// Another writer changes the script through the CLI.
    fn other_writer(&self, text: &str) {
        let file = self.file("theirs.fountain", text);
        self.ok(&["sync", &self.script, &file]);
    }
}

#[test]
fn the_editor_text_reads_its_revision_with_it() {
    let (desk, revision) = Desk::new();
    let text = desk.text();
    assert_eq!(text["text"].as_str(), Some(BASE));
    desk.other_writer(&BASE.replace("Birds.", "Birds sing."));
    assert!(desk.text()["revision"].as_i64() > Some(revision));
}

#[test]
fn a_stale_sync_is_refused_and_a_merge_of_different_scenes_keeps_both_changes() {
    let (desk, revision) = Desk::new();
    desk.other_writer(&BASE.replace("The car idles.", "The car idles, lights off."));
    let mine = desk.file(
        "mine.fountain",
        &BASE.replace("Maya waits.", "Maya waits by the door."),
    );
    let stale = revision.to_string();
    let (code, error) = err(
        desk.dir.path(),
        &["sync", &desk.script, &mine, "--base-revision", &stale],
    );
    assert_eq!((code, error["code"].as_str()), (Some(4), Some("conflict")));
    assert!(
        desk.text()["text"].as_str().unwrap().contains("lights off"),
        "nothing reverted"
    );

    let base = desk.file("base.fountain", BASE);
    let merged = desk.ok(&["merge", &desk.script, &mine, "--base", &base]);
    assert_eq!(merged["bothChanged"], Value::Array(vec![]), "{merged}");
    let stored = desk.text();
    let text = stored["text"].as_str().unwrap();
    assert!(text.contains("Maya waits by the door."), "{text}");
    assert!(text.contains("The car idles, lights off."), "{text}");
    assert_eq!(
        merged["text"].as_str(),
        Some(text),
        "the editor shows what is stored"
    );
    assert_eq!(merged["sync"]["revision"], stored["revision"]);
}

#[test]
fn the_editors_save_from_its_revision_goes_through_as_it_is_or_merges_by_itself() {
    let (desk, revision) = Desk::new();
    let base = desk.file("base.fountain", BASE);
    let at = revision.to_string();
    let first = BASE.replace("Birds.", "Birds sing.");
    let mine = desk.file("mine.fountain", &first);
    let saved = desk.save(&mine, &base, &at);
    assert_eq!(saved["merged"], false, "nothing changed elsewhere: {saved}");
    assert_eq!(desk.text()["text"].as_str(), Some(first.as_str()));

    // Another writer edits the line above the one this writer edits next, in the same scene.
    let now = saved["sync"]["revision"].to_string();
    desk.other_writer(&first.replace("Maya waits.", "Maya waits, tired."));
    let base = desk.file("base.fountain", &first);
    let mine = desk.file(
        "mine.fountain",
        &first.replace("We should leave.", "We go."),
    );
    let saved = desk.save(&mine, &base, &now);
    assert_eq!(saved["merged"], true, "{saved}");
    assert_eq!(saved["conflict"], Value::Null, "different lines: {saved}");
    assert_eq!(saved["changedElsewhere"][0]["title"], "INT. DINER - NIGHT");
    let text = desk.text()["text"].as_str().unwrap().to_string();
    assert!(
        text.contains("Maya waits, tired.")
            && text.contains("We go.")
            && text.contains("Birds sing."),
        "{text}"
    );
}

#[test]
fn a_scene_both_writers_changed_keeps_the_other_version_and_this_writers_line_as_an_alt() {
    let (desk, _) = Desk::new();
    desk.other_writer(&BASE.replace("We should leave.", "We stay."));
    let mine = desk.file(
        "mine.fountain",
        &BASE.replace("We should leave.", "We should run."),
    );
    let base = desk.file("base.fountain", BASE);
    let merged = desk.ok(&["merge", &desk.script, &mine, "--base", &base]);
    let both = merged["bothChanged"]
        .as_array()
        .expect("scenes both changed");
    assert_eq!(both.len(), 1, "{merged}");
    assert_eq!(both[0]["title"], "INT. DINER - NIGHT");
    let alt = &both[0]["alts"][0];
    assert_eq!(alt["text"], "We should run.");
    assert_eq!(alt["originalType"], "spokenWord");
    let text = desk.text()["text"].as_str().unwrap().to_string();
    assert!(
        text.contains("We stay.") && !text.contains("We should run."),
        "{text}"
    );
    let original = alt["originalId"].to_string();
    let alts = desk.ok(&["paraphrase", "list", "spokenWord", &original]);
    assert_eq!(
        alts[0]["text"], "We should run.",
        "the alt is stored: {alts}"
    );
}

#[test]
fn an_unsaved_draft_is_kept_offered_and_cleared() {
    let (desk, revision) = Desk::new();
    assert_eq!(desk.ok(&["draft", "get", &desk.script]), Value::Null);
    let typed = desk.file(
        "typed.fountain",
        &format!("{BASE}\nINT. BARN - DAY\n\nHay.\n"),
    );
    let base = desk.file("base.fountain", BASE);
    let rev = revision.to_string();
    desk.ok(&[
        "draft",
        "save",
        &desk.script,
        &typed,
        "--base",
        &base,
        "--base-revision",
        &rev,
    ]);
    let draft = desk.ok(&["draft", "get", &desk.script]);
    assert!(draft["text"].as_str().unwrap().contains("INT. BARN - DAY"));
    assert_eq!(draft["baseText"].as_str(), Some(BASE));
    assert_eq!(draft["baseRevision"].as_i64(), Some(revision));
    assert!(draft["updatedAt"].as_str().unwrap().ends_with('Z'));
    desk.ok(&["draft", "clear", &desk.script]);
    assert_eq!(desk.ok(&["draft", "get", &desk.script]), Value::Null);
    let (code, _) = err(desk.dir.path(), &["draft", "get", "x"]);
    assert_eq!(code, Some(2));
}
