//! The `fountainai` command line: one subcommand per core function, JSON on stdout, errors as
//! `{"code", "message"}` on stderr. It mirrors the desktop app's commands one to one.
//!
//! One file per noun: its clap arguments and a `run` that calls the core and returns what to
//! print. A new noun is a new file, a `mod` line, a variant of [`Command`] and an arm of [`run`].

mod actions;
mod args;
mod backup;
mod bundle;
mod characters;
mod contexts;
mod editing;
mod elements;
mod examples;
mod lines;
mod midi;
mod moods;
mod music;
mod paraphrases;
mod preview;
mod report;
mod room;
mod screenplay;
mod scripts;
mod sections;
mod sequence;
mod sessions;
mod settings;
mod story;
mod transitions;
mod versions;
mod watch;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use fountainai::db::Engine;
use fountainai::{Database, Error, Result};
use serde::Serialize;
use serde_json::Value;

const AFTER_HELP: &str = "\
Output is JSON on stdout. Errors are {\"code\", \"message\"} on stderr, with exit status
2 (invalid_input), 3 (not_found), 4 (conflict), 5 (device_unavailable: no MIDI system, port
or sound card), 6 (forbidden: a reader of a writers' room writing) or 1 (anything else).

The database is --db PATH, else $FOUNTAINAI_DB, else fountainai.sqlite3 in the data directory
(either may be a writers' room on a PostgreSQL server instead: postgres://USER@HOST/DB)
($FOUNTAINAI_DATA_DIR, else ~/.local/share/fountainai), which also holds fountainai.log.
Backups of it go to backups/ beside it: after a change, at most every 10 minutes.

Element types: script, section, character, action, spokenWord, transition, element.
Element kinds: action, dialogue, transition, lyrics, centered, note, synopsis, page_break,
section, boneyard.";

#[derive(Parser, Debug)]
#[command(name = "fountainai", version, about = "FountainAI Studio: write the screenplay, hear the story.", after_help = AFTER_HELP)]
pub struct Cli {
    /// The SQLite database file, or a writers' room: postgres://USER@HOST/DB.
    #[arg(long, global = true, value_name = "PATH|URL")]
    pub db: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scripts: create, list, get, update, delete.
    #[command(subcommand)]
    Script(scripts::ScriptCmd),
    /// Section headings (scenes) of a script.
    #[command(subcommand)]
    Section(sections::SectionCmd),
    /// Actions in a section.
    #[command(subcommand)]
    Action(actions::ActionCmd),
    /// Lines of dialogue (spoken words) in a section.
    #[command(subcommand)]
    Line(lines::LineCmd),
    /// Transitions in a section.
    #[command(subcommand)]
    Transition(transitions::TransitionCmd),
    /// Any element of a section: list, get, update, delete, move, or add one of any kind.
    #[command(subcommand)]
    Element(elements::ElementCmd),
    /// Characters of a script.
    #[command(subcommand)]
    Character(characters::CharacterCmd),
    /// Paraphrases ("alts") of a character, an action or a spoken word.
    #[command(subcommand)]
    Paraphrase(paraphrases::ParaphraseCmd),
    /// Sessions: interpretations of a script.
    #[command(subcommand)]
    Session(sessions::SessionCmd),
    /// Contexts (mood, location, …) of a session.
    #[command(subcommand)]
    Context(contexts::ContextCmd),
    /// Central Sequence: sequence numbers and reordering of any element type.
    #[command(subcommand)]
    Sequence(sequence::SequenceCmd),
    /// Versions: snapshots of a script, section, character or element.
    #[command(subcommand)]
    Version(versions::VersionCmd),
    /// Story Factory: the assembled story and its validation report.
    #[command(subcommand)]
    Story(story::StoryCmd),
    /// Loads an example story: romeo-and-juliet, or feature (a generated feature script).
    Example(examples::ExampleCmd),
    /// Loads a script document (JSON: title, characters, sections, sessions).
    Load(examples::LoadCmd),
    /// Parses a Fountain screenplay (a file, or - for standard input) and prints its title page
    /// and elements.
    Parse(screenplay::ParseCmd),
    /// Imports a screenplay (.fountain or .fdx; a file, or - for Fountain on standard input) as
    /// a new script; prints {scriptId, sections, characters, elements}.
    Import(screenplay::ImportCmd),
    /// Exports a script as fountain, fdx or pdf to a file (-o FILE), or to standard output
    /// (-o -, text formats only).
    Export(screenplay::ExportCmd),
    /// A script's page count and where each page starts in its Fountain text, paginated as
    /// Final Draft would (the PDF export's paginator).
    Pages(screenplay::PagesCmd),
    /// Brings a script up to date with a Fountain text (a file, or - for standard input), keeping
    /// every element that did not change; prints what changed and the new revision.
    Sync(screenplay::SyncCmd),
    /// A script's Fountain text with its revision, read together (what the editor loads).
    Text(editing::TextCmd),
    /// Merges a writer's text (FILE, written from --base) with the script as stored now:
    /// scenes changed on one side merge; a scene changed on both keeps the stored version with
    /// the writer's lines as alts. Prints the merged text, the scenes both changed, the revision.
    Merge(editing::MergeCmd),
    /// The editor's unsaved text kept against a crash: get, save, clear.
    #[command(subcommand)]
    Draft(editing::DraftCmd),
    /// Deletes a section, element, character or session and prints all it took along (for
    /// `restore`).
    Remove(editing::RemoveCmd),
    /// Puts back what `remove` printed: same ids, place, alts and contexts.
    Restore(editing::RestoreCmd),
    /// What the app remembers between runs (JSON values by key).
    #[command(subcommand)]
    Setting(settings::SettingCmd),
    /// Composes the score of a script under a session: writes score.mid, score.ly and
    /// score.csd into --out (default: the data directory's orchestration/script-ID/session-S),
    /// and with --render the PDF/PNG sheet music (lilypond) and a WAV (csound).
    #[command(after_help = fountainai::music::moods::table())]
    Orchestrate(music::OrchestrateCmd),
    /// The mood table the composer reads (mode, tempo, register, velocity, articulation);
    /// `moods suggest|list|review`: moods suggested from a script's text.
    Moods(moods::MoodsCmd),
    /// The script's figures: per character (lines, words, scenes, share of dialogue, first and
    /// last scene), per scene (eighths of a page, speakers, location, time, mood), per location,
    /// and the totals; --csv TABLE prints one table as CSV.
    Report(report::ReportCmd),
    /// Renders the story's score to a WAV file with a General MIDI SoundFont.
    RenderAudio(music::RenderAudioCmd),
    /// Live MIDI: list the ports, play a score on one, record a leitmotif, panic.
    #[command(subcommand)]
    Midi(midi::MidiCmd),
    /// Plays a script's score through the speakers; returns when it has been played.
    Preview(preview::PreviewCmd),
    /// Backups of the database (kept in backups/ beside it): list, create, restore FILE.
    #[command(subcommand)]
    Backup(backup::BackupCmd),
    /// Story bundles (.fountainai): export a whole story as one file, import one, inspect one.
    #[command(subcommand)]
    Bundle(bundle::BundleCmd),
    /// A writers' room on a PostgreSQL server: init URL, push SCRIPT_ID --to URL, pull
    /// SCRIPT_ID --from URL.
    #[command(subcommand)]
    Room(room::RoomCmd),
    /// Ties a script to a .fountain file that `watch` (and the app) keep in step both ways.
    Link(watch::LinkCmd),
    /// Removes a script's link to its file; both stay as they are.
    Unlink(watch::UnlinkCmd),
    /// Follows every linked file in the foreground: outside edits are synced into the script,
    /// the script's changes written to the file; one JSON line per change.
    Watch(watch::WatchCmd),
}

/// What a command leaves for `main` to print.
#[derive(Debug)]
pub enum Reply {
    /// The command's result, printed as pretty JSON.
    Json(Value),
    /// The command wrote its result to standard output itself (an export to `-o -`).
    Written,
}

/// The reply that prints `value` as JSON.
fn reply<T: Serialize>(value: T) -> Result<Reply> {
    Ok(Reply::Json(serde_json::to_value(value)?))
}

/// Runs one parsed command line against its database.
pub async fn execute(cli: Cli) -> Result<Reply> {
    if let Command::Backup(cmd) = cli.command {
        return cmd.run(cli.db).await;
    }
    let db = open(cli.db).await?;
    let reply = run(&db, cli.command).await;
    if reply.is_ok() {
        // A backup that cannot be made must not fail the command that worked.
        if let Err(error) = fountainai::backup::auto(&db, fountainai::backup::EVERY).await {
            tracing::warn!(%error, "no automatic backup");
        }
    }
    db.close().await;
    reply
}

async fn run(db: &Database, command: Command) -> Result<Reply> {
    match command {
        Command::Script(cmd) => cmd.run(db).await,
        Command::Section(cmd) => cmd.run(db).await,
        Command::Action(cmd) => cmd.run(db).await,
        Command::Line(cmd) => cmd.run(db).await,
        Command::Transition(cmd) => cmd.run(db).await,
        Command::Element(cmd) => cmd.run(db).await,
        Command::Character(cmd) => cmd.run(db).await,
        Command::Paraphrase(cmd) => cmd.run(db).await,
        Command::Session(cmd) => cmd.run(db).await,
        Command::Context(cmd) => cmd.run(db).await,
        Command::Sequence(cmd) => cmd.run(db).await,
        Command::Version(cmd) => cmd.run(db).await,
        Command::Story(cmd) => cmd.run(db).await,
        Command::Example(cmd) => cmd.run(db).await,
        Command::Load(cmd) => cmd.run(db).await,
        Command::Parse(cmd) => cmd.run(),
        Command::Import(cmd) => cmd.run(db).await,
        Command::Pages(cmd) => cmd.run(db).await,
        Command::Export(cmd) => cmd.run(db).await,
        Command::Sync(cmd) => cmd.run(db).await,
        Command::Text(cmd) => cmd.run(db).await,
        Command::Merge(cmd) => cmd.run(db).await,
        Command::Draft(cmd) => cmd.run(db).await,
        Command::Remove(cmd) => cmd.run(db).await,
        Command::Restore(cmd) => cmd.run(db).await,
        Command::Setting(cmd) => cmd.run(db).await,
        Command::Orchestrate(cmd) => cmd.run(db).await,
        Command::Moods(cmd) => cmd.run(db).await,
        Command::Report(cmd) => cmd.run(db).await,
        Command::RenderAudio(cmd) => cmd.run(db).await,
        Command::Midi(cmd) => cmd.run(db).await,
        Command::Preview(cmd) => cmd.run(db).await,
        Command::Backup(cmd) => cmd.run(db.path().map(PathBuf::from)).await,
        Command::Bundle(cmd) => cmd.run(db).await,
        Command::Room(cmd) => cmd.run(db).await,
        Command::Link(cmd) => cmd.run(db).await,
        Command::Unlink(cmd) => cmd.run(db).await,
        Command::Watch(cmd) => cmd.run(db).await,
    }
}

/// The exit status for an error, so scripts can tell kinds apart without parsing JSON.
pub fn exit_code(err: &Error) -> u8 {
    match err {
        Error::InvalidInput(_) => 2,
        Error::NotFound(_) => 3,
        Error::Conflict(_) => 4,
        Error::DeviceUnavailable(_) => 5,
        Error::Forbidden(_) => 6,
        _ => 1,
    }
}

/// Opens the database the command line names: a file, a `sqlite:` URL or a writers' room
/// (`postgres://USER@HOST/DB`).
async fn open(db: Option<PathBuf>) -> Result<Database> {
    match db {
        Some(path) => match path.to_str() {
            Some(url) if url.starts_with("sqlite:") || Engine::of_url(url) == Engine::Postgres => {
                Database::open_url(url).await
            }
            _ => Database::open(&path).await,
        },
        None => Database::open_default().await,
    }
}
