//! The `fountainai` command line: one subcommand per core function, JSON on stdout, errors as
//! `{"code", "message"}` on stderr. It mirrors the desktop app's commands one to one.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use serde::Serialize;
use serde_json::{json, Value};

use crate::characters::{self, CharacterUpdate, NewCharacter};
use crate::db::Database;
use crate::document::{self, ScriptDocument};
use crate::error::{Error, Result};
use crate::examples;
use crate::fountain;
use crate::music::leitmotif::Leitmotif;
use crate::music::moods;
use crate::progress::Progress;
use crate::screenplay::{self, Format};
use crate::scripts::{
    self, ElementKind, ElementUpdate, MoveElement, NewElement, NewScript, ScriptQuery, ScriptUpdate,
};
use crate::sequence::{self, ElementType, Placement};
use crate::sessions::{self, ContextTarget, NewSession, SessionUpdate};
use crate::settings;
use crate::story::{self, orchestrate, StoryRequest};

const AFTER_HELP: &str = "\
Output is JSON on stdout. Errors are {\"code\", \"message\"} on stderr, with exit status
2 (invalid_input), 3 (not_found), 4 (conflict) or 1 (anything else).

The database is --db PATH, else $FOUNTAINAI_DB, else fountainai.sqlite3 in the data directory
($FOUNTAINAI_DATA_DIR, else ~/.local/share/fountainai), which also holds fountainai.log.

Element types: script, section, character, action, spokenWord, transition, element.
Element kinds: action, dialogue, transition, lyrics, centered, note, synopsis, page_break,
section, boneyard.";

#[derive(Parser, Debug)]
#[command(name = "fountainai", version, about = "FountainAI Studio: write the screenplay, hear the story.", after_help = AFTER_HELP)]
pub struct Cli {
    /// The SQLite database file.
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scripts: create, list, get, update, delete.
    #[command(subcommand)]
    Script(ScriptCmd),
    /// Section headings (scenes) of a script.
    #[command(subcommand)]
    Section(SectionCmd),
    /// Actions in a section.
    #[command(subcommand)]
    Action(ActionCmd),
    /// Lines of dialogue (spoken words) in a section.
    #[command(subcommand)]
    Line(LineCmd),
    /// Transitions in a section.
    #[command(subcommand)]
    Transition(TransitionCmd),
    /// Any element of a section: list, get, update, delete, move, or add one of any kind.
    #[command(subcommand)]
    Element(ElementCmd),
    /// Characters of a script.
    #[command(subcommand)]
    Character(CharacterCmd),
    /// Paraphrases ("alts") of a character, an action or a spoken word.
    #[command(subcommand)]
    Paraphrase(ParaphraseCmd),
    /// Sessions: interpretations of a script.
    #[command(subcommand)]
    Session(SessionCmd),
    /// Contexts (mood, location, …) of a session.
    #[command(subcommand)]
    Context(ContextCmd),
    /// Central Sequence: sequence numbers and reordering of any element type.
    #[command(subcommand)]
    Sequence(SequenceCmd),
    /// Versions: snapshots of a script, section, character or element.
    #[command(subcommand)]
    Version(VersionCmd),
    /// Story Factory: the assembled story and its validation report.
    #[command(subcommand)]
    Story(StoryCmd),
    /// Loads an example story: romeo-and-juliet, or feature (a generated feature script).
    Example {
        name: String,
        /// Pages of the generated feature script.
        #[arg(long, default_value_t = 120)]
        pages: usize,
    },
    /// Loads a script document (JSON: title, characters, sections, sessions).
    Load { file: PathBuf },
    /// Parses a Fountain screenplay (a file, or - for standard input) and prints its title page
    /// and elements.
    Parse { file: PathBuf },
    /// Imports a screenplay (.fountain or .fdx; a file, or - for Fountain on standard input) as
    /// a new script; prints {scriptId, sections, characters, elements}.
    Import { file: PathBuf },
    /// Exports a script as fountain, fdx or pdf to a file (-o FILE), or to standard output
    /// (-o -, text formats only).
    Export {
        script_id: i64,
        #[arg(long, default_value = "fountain")]
        format: String,
        #[arg(short = 'o', long = "output", default_value = "-")]
        output: PathBuf,
    },
    /// What the app remembers between runs (JSON values by key).
    #[command(subcommand)]
    Setting(SettingCmd),
    /// Composes the score of a script under a session: writes score.mid, score.ly and
    /// score.csd into --out (default: the data directory's orchestration/script-ID/session-S),
    /// and with --render the PDF/PNG sheet music (lilypond) and a WAV (csound).
    #[command(after_help = crate::music::moods::table())]
    Orchestrate {
        script_id: i64,
        #[arg(long)]
        session: Option<i64>,
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        #[arg(long)]
        render: bool,
    },
    /// The mood table the composer reads (mode, tempo, register, velocity, articulation).
    Moods,
    /// Renders the story's score to a WAV file with a General MIDI SoundFont.
    RenderAudio {
        script_id: i64,
        #[arg(long, value_name = "FILE.wav")]
        out: PathBuf,
        #[arg(long)]
        session: Option<i64>,
        /// The SoundFont (.sf2); default: $FOUNTAINAI_SOUNDFONT, else the shipped sf_GMbank.sf2.
        #[arg(long, value_name = "FILE")]
        soundfont: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum SettingCmd {
    Get {
        key: String,
    },
    /// Stores a JSON value (`null` forgets the key); plain text is stored as a string.
    Set {
        key: String,
        value: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum ScriptCmd {
    Create {
        #[arg(long)]
        title: String,
        #[arg(long)]
        author: Option<String>,
        #[arg(long)]
        description: Option<String>,
    },
    List {
        #[arg(long)]
        limit: Option<i64>,
        #[arg(long)]
        offset: Option<i64>,
        /// Only scripts whose title contains this (any case).
        #[arg(long)]
        title: Option<String>,
        /// Only scripts whose author contains this (any case).
        #[arg(long)]
        author: Option<String>,
    },
    Get {
        script_id: i64,
    },
    Update {
        script_id: i64,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        author: Option<String>,
        #[arg(long)]
        description: Option<String>,
    },
    Delete {
        script_id: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum SectionCmd {
    Add {
        script_id: i64,
        #[arg(long)]
        title: String,
    },
    List {
        script_id: i64,
    },
    Get {
        heading_id: i64,
    },
    Update {
        heading_id: i64,
        #[arg(long)]
        title: String,
    },
    Delete {
        heading_id: i64,
    },
    /// Puts sections in order: --order 3,1,2 (unnamed sections follow in their old order).
    Reorder {
        script_id: i64,
        #[arg(long, value_delimiter = ',', required = true)]
        order: Vec<i64>,
    },
}

#[derive(Args, Debug)]
pub struct Position {
    /// Insert at this place in the section (1 = first); at the end when absent.
    #[arg(long)]
    position: Option<i64>,
}

#[derive(Subcommand, Debug)]
pub enum ActionCmd {
    Add {
        heading_id: i64,
        #[arg(long)]
        text: String,
        /// The character who performs the action, if any.
        #[arg(long)]
        character: Option<i64>,
        #[command(flatten)]
        at: Position,
    },
}

#[derive(Subcommand, Debug)]
pub enum LineCmd {
    Add {
        heading_id: i64,
        #[arg(long)]
        character: i64,
        #[arg(long)]
        text: String,
        #[arg(long)]
        parenthetical: Option<String>,
        #[command(flatten)]
        at: Position,
    },
}

#[derive(Subcommand, Debug)]
pub enum TransitionCmd {
    Add {
        heading_id: i64,
        #[arg(long)]
        text: String,
        #[command(flatten)]
        at: Position,
    },
}

#[derive(Subcommand, Debug)]
pub enum ElementCmd {
    Add {
        heading_id: i64,
        #[arg(long)]
        kind: ElementKind,
        #[arg(long, default_value = "")]
        text: String,
        #[arg(long)]
        character: Option<i64>,
        #[arg(long)]
        parenthetical: Option<String>,
        #[command(flatten)]
        at: Position,
    },
    List {
        heading_id: i64,
    },
    Get {
        element_id: i64,
    },
    Update {
        element_id: i64,
        #[arg(long)]
        text: Option<String>,
        #[arg(long)]
        character: Option<i64>,
        /// An empty value removes the parenthetical.
        #[arg(long)]
        parenthetical: Option<String>,
    },
    Delete {
        element_id: i64,
    },
    Move {
        element_id: i64,
        #[arg(long)]
        position: i64,
        /// Move into this section (of the same script).
        #[arg(long)]
        section: Option<i64>,
    },
}

#[derive(Subcommand, Debug)]
pub enum CharacterCmd {
    Create {
        script_id: i64,
        #[arg(long)]
        name: String,
        #[arg(long)]
        description: Option<String>,
    },
    List {
        script_id: i64,
    },
    Get {
        character_id: i64,
    },
    Update {
        character_id: i64,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        description: Option<String>,
        /// General MIDI program 0-127 (0 piano, 40 violin, 73 flute …) in the score, or
        /// `auto` for the one derived from the name.
        #[arg(long, value_name = "N|auto")]
        instrument: Option<String>,
        /// DEGREE:LENGTH notes, comma-separated: scale degrees from the cue's tonic (0 tonic,
        /// 2 third, 4 fifth, 7 octave; -7..=14) and lengths in eighth notes (1..=16), e.g.
        /// "0:1,2:1,4:2"; or `auto` for the one derived from the name.
        #[arg(long, value_name = "NOTES|auto", allow_hyphen_values = true)]
        leitmotif: Option<String>,
    },
    Delete {
        character_id: i64,
    },
    /// The actions and spoken words of a character.
    Lines {
        character_id: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum ParaphraseCmd {
    Add {
        /// character, action or spokenWord
        original_type: ElementType,
        original_id: i64,
        #[arg(long)]
        text: String,
        #[arg(long, default_value = "")]
        commentary: String,
    },
    List {
        original_type: ElementType,
        original_id: i64,
    },
    /// Makes the paraphrase the text in use; the old text becomes the paraphrase.
    Promote {
        paraphrase_id: i64,
    },
    Delete {
        paraphrase_id: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum SessionCmd {
    Create {
        #[arg(long)]
        user_id: Option<i64>,
        /// The script this session interprets.
        #[arg(long)]
        script: Option<i64>,
        #[arg(long)]
        context: Option<String>,
    },
    List {
        #[arg(long)]
        script: Option<i64>,
    },
    Get {
        session_id: i64,
    },
    Update {
        session_id: i64,
        #[arg(long)]
        user_id: Option<i64>,
        #[arg(long)]
        context: Option<String>,
    },
    Delete {
        session_id: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum ContextCmd {
    /// Sets key=value pairs on the context of a section, a character, both, or one element.
    Set {
        session_id: i64,
        #[arg(long)]
        section: Option<i64>,
        #[arg(long)]
        character: Option<i64>,
        #[arg(long)]
        element: Option<i64>,
        /// Keys to remove.
        #[arg(long)]
        unset: Vec<String>,
        #[arg(value_parser = parse_pair)]
        pairs: Vec<(String, String)>,
    },
    /// The session with all its contexts.
    Get {
        session_id: i64,
    },
    Delete {
        context_id: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum SequenceCmd {
    /// generateSequenceNumber: the element's number (allocated once, then the same).
    Generate {
        element_type: ElementType,
        element_id: i64,
    },
    /// reorderElements: --order 5,3,4 (full order), or --place 5:1,4:2 (id:newSequence).
    Reorder {
        element_type: ElementType,
        /// The script (sections, characters) or section (elements) to reorder in.
        #[arg(long)]
        scope: Option<i64>,
        #[arg(
            long,
            value_delimiter = ',',
            conflicts_with = "place",
            required_unless_present = "place"
        )]
        order: Vec<i64>,
        #[arg(long, value_delimiter = ',', value_parser = parse_placement)]
        place: Vec<Placement>,
    },
}

#[derive(Subcommand, Debug)]
pub enum VersionCmd {
    Create {
        element_type: ElementType,
        element_id: i64,
        #[arg(long, default_value = "")]
        comment: String,
    },
    List {
        element_type: ElementType,
        element_id: i64,
    },
    Show {
        element_type: ElementType,
        element_id: i64,
        version: i64,
    },
    Diff {
        element_type: ElementType,
        element_id: i64,
        from: i64,
        to: i64,
    },
    /// Restores a version (the state before is kept as a version too).
    Restore {
        element_type: ElementType,
        element_id: i64,
        version: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum StoryCmd {
    /// getFullStory.
    Full {
        script_id: i64,
        #[arg(long)]
        session: Option<i64>,
        /// Only this character's items (id or name).
        #[arg(long)]
        character: Option<String>,
        /// Only items whose context has key=value.
        #[arg(long, value_parser = parse_pair)]
        context: Option<(String, String)>,
    },
    /// getStorySequences: items start..=end.
    Sequences {
        script_id: i64,
        #[arg(long)]
        start: i64,
        #[arg(long)]
        end: i64,
        #[arg(long)]
        session: Option<i64>,
    },
    /// The validation report: gaps, duplicates, dangling references, silent characters.
    Validate { script_id: i64 },
}

fn parse_pair(s: &str) -> std::result::Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("expected key=value, got {s:?}")),
    }
}

fn parse_placement(s: &str) -> std::result::Result<Placement, String> {
    let parsed = s
        .split_once(':')
        .and_then(|(id, seq)| Some((id.trim().parse().ok()?, seq.trim().parse().ok()?)));
    parsed
        .map(|(element_id, new_sequence)| Placement {
            element_id,
            new_sequence,
        })
        .ok_or_else(|| format!("expected id:newSequence, got {s:?}"))
}

fn out<T: Serialize>(value: T) -> Result<Value> {
    Ok(serde_json::to_value(value)?)
}

fn deleted(key: &str, id: i64) -> Result<Value> {
    Ok(json!({ "deleted": true, key: id }))
}

/// Runs one parsed command against the database.
pub async fn run(db: &Database, command: Command) -> Result<Value> {
    match command {
        Command::Script(cmd) => script(db, cmd).await,
        Command::Section(cmd) => section(db, cmd).await,
        Command::Action(ActionCmd::Add {
            heading_id,
            text,
            character,
            at,
        }) => {
            let new = NewElement {
                kind: ElementKind::Action,
                text,
                character_id: character,
                parenthetical: None,
                position: at.position,
            };
            let e = scripts::add_element(db, heading_id, new).await?;
            Ok(
                json!({ "actionId": e.element_id, "headingId": e.heading_id, "sequenceNumber": e.sequence_number, "text": e.text, "characterId": e.character_id }),
            )
        }
        Command::Line(LineCmd::Add {
            heading_id,
            character,
            text,
            parenthetical,
            at,
        }) => {
            let new = NewElement {
                kind: ElementKind::Dialogue,
                text,
                character_id: Some(character),
                parenthetical,
                position: at.position,
            };
            let e = scripts::add_element(db, heading_id, new).await?;
            Ok(
                json!({ "dialogueId": e.element_id, "headingId": e.heading_id, "sequenceNumber": e.sequence_number, "characterId": e.character_id, "text": e.text, "parenthetical": e.parenthetical }),
            )
        }
        Command::Transition(TransitionCmd::Add {
            heading_id,
            text,
            at,
        }) => {
            let new = NewElement {
                kind: ElementKind::Transition,
                text,
                character_id: None,
                parenthetical: None,
                position: at.position,
            };
            out(scripts::add_element(db, heading_id, new).await?)
        }
        Command::Element(cmd) => element(db, cmd).await,
        Command::Character(cmd) => character(db, cmd).await,
        Command::Paraphrase(cmd) => paraphrase(db, cmd).await,
        Command::Session(cmd) => session(db, cmd).await,
        Command::Context(cmd) => context(db, cmd).await,
        Command::Sequence(cmd) => sequence_cmd(db, cmd).await,
        Command::Version(cmd) => version(db, cmd).await,
        Command::Story(cmd) => story_cmd(db, cmd).await,
        Command::Example { name, pages } => {
            let doc = if name == "feature" {
                examples::feature_script(pages)
            } else {
                examples::by_name(&name)?
            };
            out(document::load_document(db, &doc).await?)
        }
        Command::Setting(SettingCmd::Get { key }) => settings::get_setting(db, &key).await,
        Command::Setting(SettingCmd::Set { key, value }) => {
            let value = serde_json::from_str(&value).unwrap_or(Value::String(value));
            settings::set_setting(db, &key, &value).await
        }
        Command::Parse { file } => parse_fountain(&file),
        Command::Import { file } => import(db, &file).await,
        Command::Export {
            script_id,
            format,
            output,
        } => export(db, script_id, &format, &output).await,
        Command::Orchestrate {
            script_id,
            session,
            out: dir,
            render,
        } => {
            let dir = match dir {
                Some(dir) => dir,
                None => orchestrate::default_dir(script_id, session)?,
            };
            let options = orchestrate::Options { render };
            let mut progress = |p: Progress| {
                tracing::info!(step = %p.step, done = p.done, total = p.total, "orchestrate");
            };
            out(
                orchestrate::orchestrate(db, script_id, session, &dir, &options, &mut progress)
                    .await?,
            )
        }
        Command::Moods => out(moods::MOODS),
        Command::RenderAudio {
            script_id,
            out,
            session,
            soundfont,
        } => render_audio(db, script_id, session, &out, soundfont).await,
        Command::Load { file } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| Error::Io(format!("cannot read {}: {e}", file.display())))?;
            out(document::load_document(db, &ScriptDocument::from_json(&text)?).await?)
        }
    }
}

async fn script(db: &Database, cmd: ScriptCmd) -> Result<Value> {
    match cmd {
        ScriptCmd::Create {
            title,
            author,
            description,
        } => out(scripts::create_script(
            db,
            NewScript {
                title,
                author,
                description,
            },
        )
        .await?),
        ScriptCmd::List {
            limit,
            offset,
            title,
            author,
        } => out(scripts::list_scripts(
            db,
            &ScriptQuery {
                limit,
                offset,
                title,
                author,
            },
        )
        .await?),
        ScriptCmd::Get { script_id } => out(scripts::get_script(db, script_id).await?),
        ScriptCmd::Update {
            script_id,
            title,
            author,
            description,
        } => out(scripts::update_script(
            db,
            script_id,
            ScriptUpdate {
                title,
                author,
                description,
            },
        )
        .await?),
        ScriptCmd::Delete { script_id } => {
            scripts::delete_script(db, script_id).await?;
            deleted("scriptId", script_id)
        }
    }
}

async fn section(db: &Database, cmd: SectionCmd) -> Result<Value> {
    match cmd {
        SectionCmd::Add { script_id, title } => {
            out(scripts::add_section(db, script_id, &title).await?)
        }
        SectionCmd::List { script_id } => out(scripts::list_sections(db, script_id).await?),
        SectionCmd::Get { heading_id } => out(scripts::get_section(db, heading_id).await?),
        SectionCmd::Update { heading_id, title } => {
            out(scripts::update_section(db, heading_id, &title).await?)
        }
        SectionCmd::Delete { heading_id } => {
            scripts::delete_section(db, heading_id).await?;
            deleted("headingId", heading_id)
        }
        SectionCmd::Reorder { script_id, order } => {
            out(scripts::reorder_sections(db, script_id, &order).await?)
        }
    }
}

async fn element(db: &Database, cmd: ElementCmd) -> Result<Value> {
    match cmd {
        ElementCmd::Add {
            heading_id,
            kind,
            text,
            character,
            parenthetical,
            at,
        } => {
            let new = NewElement {
                kind,
                text,
                character_id: character,
                parenthetical,
                position: at.position,
            };
            out(scripts::add_element(db, heading_id, new).await?)
        }
        ElementCmd::List { heading_id } => out(scripts::list_elements(db, heading_id).await?),
        ElementCmd::Get { element_id } => out(scripts::get_element(db, element_id).await?),
        ElementCmd::Update {
            element_id,
            text,
            character,
            parenthetical,
        } => {
            let update = ElementUpdate {
                text,
                character_id: character,
                parenthetical,
            };
            out(scripts::update_element(db, element_id, update).await?)
        }
        ElementCmd::Delete { element_id } => {
            scripts::delete_element(db, element_id).await?;
            deleted("elementId", element_id)
        }
        ElementCmd::Move {
            element_id,
            position,
            section,
        } => out(scripts::move_element(
            db,
            element_id,
            MoveElement {
                heading_id: section,
                position,
            },
        )
        .await?),
    }
}

async fn character(db: &Database, cmd: CharacterCmd) -> Result<Value> {
    match cmd {
        CharacterCmd::Create {
            script_id,
            name,
            description,
        } => out(
            characters::create_character(db, script_id, NewCharacter { name, description }).await?,
        ),
        CharacterCmd::List { script_id } => out(characters::list_characters(db, script_id).await?),
        CharacterCmd::Get { character_id } => {
            out(characters::get_character(db, character_id).await?)
        }
        CharacterCmd::Update {
            character_id,
            name,
            description,
            instrument,
            leitmotif,
        } => {
            let update = CharacterUpdate {
                name,
                description,
                instrument: instrument.as_deref().map(parse_instrument).transpose()?,
                leitmotif: leitmotif.as_deref().map(parse_leitmotif).transpose()?,
            };
            out(characters::update_character(db, character_id, update).await?)
        }
        CharacterCmd::Delete { character_id } => {
            characters::delete_character(db, character_id).await?;
            deleted("characterId", character_id)
        }
        CharacterCmd::Lines { character_id } => {
            out(characters::character_lines(db, character_id).await?)
        }
    }
}

async fn paraphrase(db: &Database, cmd: ParaphraseCmd) -> Result<Value> {
    match cmd {
        ParaphraseCmd::Add {
            original_type,
            original_id,
            text,
            commentary,
        } => out(
            characters::add_paraphrase(db, original_type, original_id, &text, &commentary).await?,
        ),
        ParaphraseCmd::List {
            original_type,
            original_id,
        } => out(characters::list_paraphrases(db, original_type, original_id).await?),
        ParaphraseCmd::Promote { paraphrase_id } => {
            out(characters::promote_paraphrase(db, paraphrase_id).await?)
        }
        ParaphraseCmd::Delete { paraphrase_id } => {
            characters::delete_paraphrase(db, paraphrase_id).await?;
            deleted("paraphraseId", paraphrase_id)
        }
    }
}

async fn session(db: &Database, cmd: SessionCmd) -> Result<Value> {
    match cmd {
        SessionCmd::Create {
            user_id,
            script,
            context,
        } => out(sessions::create_session(
            db,
            NewSession {
                user_id,
                script_id: script,
                context,
            },
        )
        .await?),
        SessionCmd::List { script } => out(sessions::list_sessions(db, script).await?),
        SessionCmd::Get { session_id } => out(sessions::get_session(db, session_id).await?),
        SessionCmd::Update {
            session_id,
            user_id,
            context,
        } => out(
            sessions::update_session(db, session_id, SessionUpdate { user_id, context }).await?,
        ),
        SessionCmd::Delete { session_id } => {
            sessions::delete_session(db, session_id).await?;
            deleted("sessionId", session_id)
        }
    }
}

async fn context(db: &Database, cmd: ContextCmd) -> Result<Value> {
    match cmd {
        ContextCmd::Set {
            session_id,
            section,
            character,
            element,
            unset,
            pairs,
        } => {
            let target = ContextTarget {
                heading_id: section,
                character_id: character,
                element_id: element,
            };
            let data: BTreeMap<String, String> = pairs.into_iter().collect();
            out(sessions::set_context(db, session_id, target, &data, &unset).await?)
        }
        ContextCmd::Get { session_id } => out(sessions::get_context(db, session_id).await?),
        ContextCmd::Delete { context_id } => {
            sessions::delete_context(db, context_id).await?;
            deleted("contextId", context_id)
        }
    }
}

async fn sequence_cmd(db: &Database, cmd: SequenceCmd) -> Result<Value> {
    match cmd {
        SequenceCmd::Generate {
            element_type,
            element_id,
        } => out(sequence::generate_sequence_number(db, element_type, element_id).await?),
        SequenceCmd::Reorder {
            element_type,
            scope,
            order,
            place,
        } => {
            let placements = if place.is_empty() {
                sequence::placements_from_order(&order)
            } else {
                place
            };
            out(sequence::reorder_elements(db, element_type, scope, &placements).await?)
        }
    }
}

async fn version(db: &Database, cmd: VersionCmd) -> Result<Value> {
    match cmd {
        VersionCmd::Create {
            element_type,
            element_id,
            comment,
        } => {
            let v = sequence::create_version(db, element_type, element_id, &comment).await?;
            Ok(
                json!({ "versionNumber": v.version_number, "elementType": v.element_type, "elementId": v.element_id, "createdAt": v.created_at }),
            )
        }
        VersionCmd::List {
            element_type,
            element_id,
        } => out(sequence::list_versions(db, element_type, element_id).await?),
        VersionCmd::Show {
            element_type,
            element_id,
            version,
        } => out(sequence::get_version(db, element_type, element_id, version).await?),
        VersionCmd::Diff {
            element_type,
            element_id,
            from,
            to,
        } => out(sequence::diff_versions(db, element_type, element_id, from, to).await?),
        VersionCmd::Restore {
            element_type,
            element_id,
            version,
        } => {
            let v = sequence::restore_version(db, element_type, element_id, version).await?;
            Ok(
                json!({ "versionNumber": v.version_number, "restored": version, "elementType": v.element_type, "elementId": v.element_id }),
            )
        }
    }
}

fn parse_instrument(text: &str) -> Result<Option<i64>> {
    match text.trim() {
        "auto" => Ok(None),
        n => n
            .parse()
            .map(Some)
            .map_err(|_| Error::invalid(format!("--instrument takes 0-127 or auto, not {text:?}"))),
    }
}

fn parse_leitmotif(text: &str) -> Result<Option<Leitmotif>> {
    match text.trim() {
        "auto" => Ok(None),
        notes => Leitmotif::parse(notes).map(Some),
    }
}

/// A character filter by id, or by name within the script.
async fn character_filter(
    db: &Database,
    script_id: i64,
    given: Option<String>,
) -> Result<Option<i64>> {
    let Some(given) = given else { return Ok(None) };
    if let Ok(id) = given.parse::<i64>() {
        return Ok(Some(id));
    }
    let found = characters::list_characters(db, script_id)
        .await?
        .into_iter()
        .find(|c| c.name.eq_ignore_ascii_case(given.trim()));
    found
        .map(|c| Some(c.character_id))
        .ok_or_else(|| Error::not_found(format!("No character named {given:?} in this script.")))
}

async fn story_cmd(db: &Database, cmd: StoryCmd) -> Result<Value> {
    match cmd {
        StoryCmd::Full {
            script_id,
            session,
            character,
            context,
        } => {
            scripts::get_script(db, script_id).await?;
            let filter_by_character = character_filter(db, script_id, character).await?;
            let request = StoryRequest {
                script_id,
                session_id: session,
                filter_by_character,
                filter_by_context: context,
            };
            out(story::get_full_story(db, &request).await?)
        }
        StoryCmd::Sequences {
            script_id,
            start,
            end,
            session,
        } => out(story::get_story_sequences(db, script_id, start, end, session).await?),
        StoryCmd::Validate { script_id } => out(story::validate_story(db, script_id).await?),
    }
}

async fn render_audio(
    db: &Database,
    script_id: i64,
    session: Option<i64>,
    wav: &std::path::Path,
    soundfont: Option<PathBuf>,
) -> Result<Value> {
    out(orchestrate::preview(db, script_id, session, wav, soundfont).await?)
}

fn parse_fountain(file: &std::path::Path) -> Result<Value> {
    let bytes = if file.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)?;
        bytes
    } else {
        std::fs::read(file)
            .map_err(|e| Error::Io(format!("cannot read {}: {e}", file.display())))?
    };
    let screenplay = fountain::parse_bytes(&bytes).map_err(|e| Error::invalid(e.to_string()))?;
    out(screenplay)
}

async fn import(db: &Database, file: &std::path::Path) -> Result<Value> {
    if file.as_os_str() != "-" {
        return out(screenplay::import_file(db, file).await?);
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)?;
    let text = screenplay::decode(&bytes)?;
    let format = if text.trim_start().starts_with('<') {
        Format::Fdx
    } else {
        Format::Fountain
    };
    out(screenplay::import_text(db, text, format).await?)
}

async fn export(
    db: &Database,
    script_id: i64,
    format: &str,
    output: &std::path::Path,
) -> Result<Value> {
    let format: Format = format.parse()?;
    let to_stdout = output.as_os_str() == "-";
    if to_stdout && format == Format::Pdf {
        return Err(Error::invalid(
            "PDF is binary: give a file with -o FILE instead of standard output",
        ));
    }
    if to_stdout {
        let bytes = screenplay::export(db, script_id, format).await?;
        std::io::Write::write_all(&mut std::io::stdout(), &bytes)?;
        return Ok(Value::Null);
    }
    let bytes = screenplay::export_file(db, script_id, format, output).await?;
    Ok(json!({ "scriptId": script_id, "format": format, "path": output, "bytes": bytes }))
}

/// True when the command writes its result to standard output itself (no JSON after it).
pub fn writes_stdout(command: &Command) -> bool {
    matches!(command, Command::Export { output, .. } if output.as_os_str() == "-")
}

/// The exit status for an error, so scripts can tell kinds apart without parsing JSON.
pub fn exit_code(err: &Error) -> i32 {
    match err {
        Error::InvalidInput(_) => 2,
        Error::NotFound(_) => 3,
        Error::Conflict(_) => 4,
        _ => 1,
    }
}

/// Opens the database the command line names.
pub async fn open(db: Option<PathBuf>) -> Result<Database> {
    match db {
        Some(path) => Database::open(&path).await,
        None => Database::open_default().await,
    }
}
