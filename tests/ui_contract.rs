//! One contract between the UI and the core, checked fresh on every test run:
//! - `ui/src/generated/core.ts`: the TypeScript of the core's request and response types (ts-rs);
//! - `ui/src/generated/commands.ts`: the command names of `commands.rs`, which `api.ts` requires;
//! - `ui/tests/contract/core-answers.json`: what the real core (on a real SQLite file) answers
//!   to the calls of `ui/tests/contract/calls.json`, which `ui/tests/contract.test.ts` replays
//!   through the UI tests' fake backend.
//!
//! After changing a type, a command or a call: `UPDATE_BINDINGS=1 cargo test --test
//! ui_contract`, and commit what it wrote.

use std::path::{Path, PathBuf};

use fountainai::characters;
use fountainai::characters::RemovedCharacter;
use fountainai::document::LoadedScript;
use fountainai::drafts::{self, Draft};
use fountainai::live::midi_in::RecordOptions;
use fountainai::live::player::{Report, StartAt};
use fountainai::live::ports::{Port, Ports};
use fountainai::live::transport::{
    OutputChoice, Recorded, Transport, TransportCommand, TransportState,
};
use fountainai::music::leitmotif::{Leitmotif, MotifNote};
use fountainai::music::moods::{Articulation, Mood};
use fountainai::music::{Cue, Family, LineSpan, Marker, Mode, Note, Score, TempoChange, Track};
use fountainai::progress::Progress;
use fountainai::screenplay::{
    ChangedScene, Counts, EditorSave, EditorText, ImportSummary, LineConflict, MergeSummary,
    MergedScene, SyncSummary, TextLine,
};
use fountainai::scripts::{
    self, ElementFormat, HeadingFormat, RemovedElement, RemovedSection, SectionPlacement,
};
use fountainai::sequence::{self, ElementType, Placement, ReorderResult, SequenceNumber};
use fountainai::sessions::{self, RemovedSession};
use fountainai::story::orchestrate::{Preview, ScoreFiles};
use fountainai::story::play::{self, Playing};
use fountainai::story::{self, moods, report, Severity, ValidationIssue, ValidationReport};
use fountainai::{Database, Error};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};
use ts_rs::{Config, TS};

include!("../src-tauri/commands.rs");

const REGENERATE: &str = "UPDATE_BINDINGS=1 cargo test --test ui_contract";

fn workspace(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Writes `fresh` with UPDATE_BINDINGS=1; otherwise fails when the committed file differs.
fn committed(path: &str, fresh: &str) {
    let file = workspace(path);
    if std::env::var("UPDATE_BINDINGS").is_ok_and(|v| v == "1") {
        std::fs::write(&file, fresh).unwrap_or_else(|e| panic!("write {}: {e}", file.display()));
        return;
    }
    let old = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        old == fresh,
        "{path} is stale: regenerate it with `{REGENERATE}` and commit it"
    );
}

const NOTE: &str = "// Generated from the Rust core by tests/ui_contract.rs; do not edit.\n";

fn declaration<T: TS>(cfg: &Config) -> String {
    format!("{}export {}\n", T::docs().unwrap_or_default(), T::decl(cfg))
}

macro_rules! declarations {
    ($cfg:expr; $($ty:ty),* $(,)?) => {
        [$(declaration::<$ty>($cfg)),*].concat()
    };
}

#[test]
fn ui_types_are_generated_from_the_core() {
    // serde_json writes every integer as a plain JSON number, so the UI reads numbers.
    let cfg = &Config::new().with_large_int("number");
    let types = declarations![cfg;
        scripts::Script, scripts::NewScript, scripts::ScriptUpdate, scripts::ScriptQuery,
        scripts::ScriptList, scripts::SectionHeading, SectionPlacement, scripts::SectionOrder,
        RemovedSection, HeadingFormat, ElementFormat, scripts::ElementKind, scripts::Element,
        scripts::NewElement, scripts::ElementUpdate, scripts::MoveElement,
        characters::Character, characters::NewCharacter, characters::CharacterUpdate,
        characters::CharacterLines, Leitmotif, MotifNote, characters::Paraphrase,
        characters::Promotion,
        sessions::Session, sessions::NewSession, sessions::SessionUpdate, sessions::Context,
        sessions::ContextTarget, sessions::SessionContext,
        ElementType, Placement, SequenceNumber, ReorderResult, sequence::Version,
        sequence::VersionSummary, sequence::VersionChange, sequence::VersionDiff,
        story::StoryRequest, story::FullStory, story::StorySection, story::StoryItem,
        story::StoryCharacter, story::StoryAction, story::StorySpokenWord, story::StoryContext,
        story::Orchestration, story::StorySequences, Severity, ValidationIssue, ValidationReport,
        LoadedScript, ImportSummary, Counts, SyncSummary, EditorText, TextLine, MergeSummary, MergedScene,
        ChangedScene, LineConflict, EditorSave,
        Draft, RemovedElement, RemovedCharacter, RemovedSession,
        Score, LineSpan, TempoChange, Track, Family, Note, Marker, Mode, Cue, Mood, Articulation,
        ScoreFiles, Preview, Progress, Value,
        StartAt, Report, Port, Ports, OutputChoice, TransportState, TransportCommand, Recorded,
        RecordOptions, Playing,
        fountainai::watch::WatchEvent, fountainai::watch::WatchChange, fountainai::watch::LinkedFile,
        fountainai::bundle::BundleExported, fountainai::bundle::Skipped,
        moods::Suggestion, moods::SceneMood, moods::SceneMoods, moods::MoodDecision,
        moods::MoodReview, report::Report, report::Totals, report::CharacterFigures,
        report::SceneFigures, report::LocationFigures, report::ReportTable,
        fountainai::backup::Backup, fountainai::backup::Restored,
        fountainai::screenplay::pages::Pages, fountainai::screenplay::pages::PageStart,
        fountainai::screenplay::pages::Paper, fountainai::screenplay::pdf::PdfOptions,
        fountainai::screenplay::Format, fountainai::screenplay::FileExported,
        fountainai::sessions::ContextValues,
        fountainai::room::Access, fountainai::room::RoomChange,
    ];
    committed("ui/src/generated/core.ts", &format!("{NOTE}\n{types}"));
}

#[test]
fn ui_command_names_are_the_apps() {
    let names: Vec<String> = COMMANDS.iter().map(|c| format!("  | '{c}'")).collect();
    let union = format!(
        "{NOTE}\n/** Every command the app registers (src-tauri/commands.rs). */\nexport type Command =\n{};\n",
        names.join("\n")
    );
    committed("ui/src/generated/commands.ts", &union);
}

// ---- the fake backend's answers -------------------------------------------------------------

/// The arguments of one call, as the UI sends them (camelCase).
struct Args<'a>(&'a Map<String, Value>);

impl Args<'_> {
    fn get<T: DeserializeOwned>(&self, key: &str) -> T {
        let value = self.0.get(key).cloned().unwrap_or(Value::Null);
        serde_json::from_value(value).unwrap_or_else(|e| panic!("argument {key}: {e}"))
    }
}

fn answer<T: Serialize>(result: Result<T, Error>) -> Result<Value, Error> {
    result.map(|value| serde_json::to_value(value).unwrap_or(Value::Null))
}

/// What the app's command `cmd` answers: the core function its one-liner in cmd.rs calls.
async fn call(db: &Database, cmd: &str, a: &Args<'_>) -> Result<Value, Error> {
    match cmd {
        "script_create" => answer(scripts::create_script(db, a.get("new")).await),
        "script_list" => answer(scripts::list_scripts(db, &a.get("query")).await),
        "script_get" => answer(scripts::get_script(db, a.get("scriptId")).await),
        "script_update" => {
            answer(scripts::update_script(db, a.get("scriptId"), a.get("update")).await)
        }
        "script_delete" => answer(scripts::delete_script(db, a.get("scriptId")).await),
        "section_add" => {
            let title: String = a.get("title");
            answer(scripts::add_section(db, a.get("scriptId"), &title).await)
        }
        "section_list" => answer(scripts::list_sections(db, a.get("scriptId")).await),
        "section_update" => {
            let title: String = a.get("title");
            answer(scripts::update_section(db, a.get("headingId"), &title).await)
        }
        "section_delete" => answer(scripts::delete_section(db, a.get("headingId")).await),
        "section_remove" => answer(scripts::remove_section(db, a.get("headingId")).await),
        "section_restore" => answer(scripts::restore_section(db, &a.get("removed")).await),
        "section_reorder" => {
            let order: Vec<i64> = a.get("order");
            answer(scripts::reorder_sections(db, a.get("scriptId"), &order).await)
        }
        "element_add" => {
            answer(scripts::add_element(db, a.get("headingId"), a.get("element")).await)
        }
        "element_list" => answer(scripts::list_elements(db, a.get("headingId")).await),
        "element_update" => {
            answer(scripts::update_element(db, a.get("elementId"), a.get("update")).await)
        }
        "element_delete" => answer(scripts::delete_element(db, a.get("elementId")).await),
        "element_move" => answer(scripts::move_element(db, a.get("elementId"), a.get("to")).await),
        "element_remove" => answer(scripts::remove_element_whole(db, a.get("elementId")).await),
        "element_restore" => answer(scripts::restore_element(db, &a.get("removed")).await),
        _ => other(db, cmd, a).await,
    }
}

async fn other(db: &Database, cmd: &str, a: &Args<'_>) -> Result<Value, Error> {
    let id = |key: &str| a.get::<i64>(key);
    let text = |key: &str| a.get::<String>(key);
    match cmd {
        "character_create" => {
            answer(characters::create_character(db, id("scriptId"), a.get("new")).await)
        }
        "character_list" => answer(characters::list_characters(db, id("scriptId")).await),
        "character_update" => {
            answer(characters::update_character(db, id("characterId"), a.get("update")).await)
        }
        "character_delete" => answer(characters::delete_character(db, id("characterId")).await),
        "character_lines" => answer(characters::character_lines(db, id("characterId")).await),
        "character_remove" => answer(characters::remove_character(db, id("characterId")).await),
        "character_restore" => answer(characters::restore_character(db, &a.get("removed")).await),
        "session_remove" => answer(sessions::remove_session(db, id("sessionId")).await),
        "session_restore" => answer(sessions::restore_session(db, &a.get("removed")).await),
        "paraphrase_add" => answer(
            characters::add_paraphrase(
                db,
                a.get("originalType"),
                id("originalId"),
                &text("text"),
                &text("commentary"),
            )
            .await,
        ),
        "paraphrase_list" => {
            answer(characters::list_paraphrases(db, a.get("originalType"), id("originalId")).await)
        }
        "paraphrase_promote" => {
            answer(characters::promote_paraphrase(db, id("paraphraseId")).await)
        }
        "paraphrase_delete" => answer(characters::delete_paraphrase(db, id("paraphraseId")).await),
        "session_create" => answer(sessions::create_session(db, a.get("new")).await),
        "session_list" => answer(sessions::list_sessions(db, a.get("scriptId")).await),
        "session_update" => {
            answer(sessions::update_session(db, id("sessionId"), a.get("update")).await)
        }
        "session_delete" => answer(sessions::delete_session(db, id("sessionId")).await),
        "context_get" => answer(sessions::get_context(db, id("sessionId")).await),
        "context_set" => {
            let (data, unset) = (a.get("data"), a.get::<Vec<String>>("unset"));
            answer(sessions::set_context(db, id("sessionId"), a.get("target"), &data, &unset).await)
        }
        "context_delete" => answer(sessions::delete_context(db, id("contextId")).await),
        "context_put" => {
            let contexts: Vec<sessions::ContextValues> = a.get("contexts");
            answer(sessions::put_contexts(db, id("sessionId"), &contexts).await)
        }
        _ => versions_and_story(db, cmd, a).await,
    }
}

async fn versions_and_story(db: &Database, cmd: &str, a: &Args<'_>) -> Result<Value, Error> {
    let id = |key: &str| a.get::<i64>(key);
    let ty = || a.get::<ElementType>("elementType");
    match cmd {
        "sequence_reorder" => {
            let placements: Vec<Placement> = a.get("placements");
            answer(sequence::reorder_elements(db, ty(), a.get("scope"), &placements).await)
        }
        "version_create" => {
            let comment: String = a.get("comment");
            answer(sequence::create_version(db, ty(), id("elementId"), &comment).await)
        }
        "version_list" => answer(sequence::list_versions(db, ty(), id("elementId")).await),
        "version_get" => {
            answer(sequence::get_version(db, ty(), id("elementId"), id("version")).await)
        }
        "version_diff" => {
            answer(sequence::diff_versions(db, ty(), id("elementId"), id("from"), id("to")).await)
        }
        "version_restore" => {
            answer(sequence::restore_version(db, ty(), id("elementId"), id("version")).await)
        }
        "story_full" => answer(story::get_full_story(db, &a.get("request")).await),
        "story_validate" => answer(story::validate_story(db, id("scriptId")).await),
        "setting_get" => {
            answer(fountainai::settings::get_setting(db, &a.get::<String>("key")).await)
        }
        "setting_set" => {
            let (key, value) = (a.get::<String>("key"), a.get::<Value>("value"));
            answer(fountainai::settings::set_setting(db, &key, &value).await)
        }
        _ => live(db, cmd, a).await,
    }
}

/// The app's one transport; the calls here touch no device (the machine may have none).
static TRANSPORT: std::sync::LazyLock<Transport> = std::sync::LazyLock::new(|| {
    Transport::new(fountainai::music::audio::default_soundfont(), |_| {})
});

async fn live(db: &Database, cmd: &str, a: &Args<'_>) -> Result<Value, Error> {
    let transport = &*TRANSPORT;
    let id = |key: &str| a.get::<i64>(key);
    match cmd {
        "live_state" => answer(Ok(transport.state())),
        "live_play" => {
            let (script, session) = (a.get("scriptId"), a.get("sessionId"));
            answer(play::play(db, transport, script, session, &a.get("start")).await)
        }
        "live_transport" => answer(transport.obey(a.get("command"))),
        "live_record_stop" => answer(transport.finish_recording()),
        "draft_save" => {
            let (text, base) = (a.get::<String>("text"), a.get::<String>("baseText"));
            answer(drafts::save_draft(db, id("scriptId"), &text, &base, id("baseRevision")).await)
        }
        "draft_get" => answer(drafts::get_draft(db, id("scriptId")).await),
        "draft_clear" => answer(drafts::clear_draft(db, id("scriptId")).await),
        "script_linked" => answer(fountainai::watch::linked(db, id("scriptId")).await),
        "script_unlink" => answer(fountainai::watch::unlink(db, id("scriptId")).await),
        _ => panic!("the contract's calls use {cmd}, which this test does not call yet"),
    }
}

/// `{"$answer": n}` in a call's arguments stands for the answer of call n (0-based), e.g. the
/// section a `section_remove` handed back, passed to `section_restore`.
fn resolve(args: &Value, answers: &[Value]) -> Value {
    match args {
        Value::Object(map) => match map.get("$answer").and_then(Value::as_u64) {
            Some(n) => answers
                .get(usize::try_from(n).unwrap_or(usize::MAX))
                .and_then(|a| a.get("ok"))
                .cloned()
                .unwrap_or_else(|| panic!("$answer {n} is not an earlier successful call")),
            None => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), resolve(v, answers)))
                    .collect(),
            ),
        },
        Value::Array(items) => Value::Array(items.iter().map(|v| resolve(v, answers)).collect()),
        other => other.clone(),
    }
}

/// Timestamps differ from run to run; what the UI may rely on is that they are there.
fn normalised(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| match k.as_str() {
                    "createdAt" | "updatedAt" if v.is_string() => (k, json!("<time>")),
                    // The login name of whoever runs the tests.
                    "createdBy" if v.is_string() => (k, json!("<user>")),
                    _ => (k, normalised(v)),
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(normalised).collect()),
        other => other,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn fake_backend_answers_are_the_cores() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Story answers name orchestration files that exist in the data directory: none here.
    std::env::set_var("FOUNTAINAI_DATA_DIR", dir.path().join("data"));
    let db = Database::open(&dir.path().join("contract.db"))
        .await
        .expect("database");
    let calls_text = std::fs::read_to_string(workspace("ui/tests/contract/calls.json"))
        .expect("ui/tests/contract/calls.json");
    let calls: Vec<Value> = serde_json::from_str(&calls_text).expect("calls JSON");
    let mut outcomes: Vec<Value> = Vec::with_capacity(calls.len());
    let mut answers: Vec<Value> = Vec::with_capacity(calls.len());
    for c in &calls {
        let cmd = c["cmd"].as_str().expect("cmd");
        let args = resolve(&c["args"], &outcomes);
        let map = args.as_object().cloned().unwrap_or_default();
        let outcome = match call(&db, cmd, &Args(&map)).await {
            Ok(value) => json!({ "ok": normalised(value) }),
            Err(error) => json!({ "error": serde_json::to_value(&error).expect("error JSON") }),
        };
        let mut record = json!({ "cmd": cmd, "args": c["args"] });
        if let (Some(record), Some(outcome)) = (record.as_object_mut(), outcome.as_object()) {
            record.extend(outcome.clone());
        }
        answers.push(record);
        outcomes.push(outcome);
    }
    let text = serde_json::to_string_pretty(&answers).expect("answers JSON");
    committed("ui/tests/contract/core-answers.json", &format!("{text}\n"));
}
