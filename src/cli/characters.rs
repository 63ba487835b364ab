//! `fountainai character …`: the characters of a script, their instrument and leitmotif.

use clap::Subcommand;
use fountainai::characters::{self, CharacterUpdate, NewCharacter};
use fountainai::music::leitmotif::Leitmotif;
use fountainai::response::{Deleted, DeletedId};
use fountainai::{Database, Error, Result};

use super::{reply, Reply};

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

impl CharacterCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        match self {
            CharacterCmd::Create {
                script_id,
                name,
                description,
            } => {
                let new = NewCharacter { name, description };
                reply(characters::create_character(db, script_id, new).await?)
            }
            CharacterCmd::List { script_id } => {
                reply(characters::list_characters(db, script_id).await?)
            }
            CharacterCmd::Get { character_id } => {
                reply(characters::get_character(db, character_id).await?)
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
                reply(characters::update_character(db, character_id, update).await?)
            }
            CharacterCmd::Delete { character_id } => {
                characters::delete_character(db, character_id).await?;
                reply(Deleted::from(DeletedId::CharacterId(character_id)))
            }
            CharacterCmd::Lines { character_id } => {
                reply(characters::character_lines(db, character_id).await?)
            }
        }
    }
}

/// `--instrument`: a General MIDI program, or None for the one derived from the name.
fn parse_instrument(text: &str) -> Result<Option<i64>> {
    match text.trim() {
        "auto" => Ok(None),
        n => n
            .parse()
            .map(Some)
            .map_err(|_| Error::invalid(format!("--instrument takes 0-127 or auto, not {text:?}"))),
    }
}

/// `--leitmotif`: the notes, or None for the motif derived from the name.
fn parse_leitmotif(text: &str) -> Result<Option<Leitmotif>> {
    match text.trim() {
        "auto" => Ok(None),
        notes => Leitmotif::parse(notes).map(Some),
    }
}
