//! Character Management: the characters of a script, what each one does and says, and
//! paraphrases ("alts") of a character, an action or a spoken word.

mod paraphrases;
mod removed;

use serde::{Deserialize, Serialize};
use sqlx::any::{AnyTypeInfo, AnyValueRef};
use sqlx::{Any, AnyConnection};
use tracing::instrument;

use crate::db::Database;
use crate::error::{Error, Result};
use crate::music::leitmotif::{self, Leitmotif};
use crate::scripts::{self, Element};
use crate::sequence::{self, ElementType};

pub use paraphrases::{
    add_paraphrase, delete_paraphrase, list_paraphrases, promote_paraphrase, Paraphrase, Promotion,
};
pub(crate) use paraphrases::{
    delete_paraphrases_of, insert as insert_paraphrase, put_back as put_back_paraphrase, Originals,
};
pub use removed::{remove_character, restore_character, RemovedCharacter};

/// A [`Character`] row's columns. On PostgreSQL the leitmotif is `json`, which sqlx's Any
/// driver does not read: it crosses as text (see `crate::db`).
pub(crate) const COLUMNS: &str = "character_id, script_id, name, description, sequence_number, \
     instrument, CAST(leitmotif AS TEXT) AS leitmotif";

#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct Character {
    pub character_id: i64,
    pub script_id: i64,
    pub name: String,
    pub description: String,
    pub sequence_number: Option<i64>,
    /// General MIDI program (0-127) in the score; None derives one from the name.
    pub instrument: Option<i64>,
    /// None derives one from the name.
    pub leitmotif: Option<Leitmotif>,
}

// The leitmotif column holds the motif as JSON text; the glue lives here so `music` stays
// free of the database.
impl sqlx::Type<Any> for Leitmotif {
    fn type_info() -> AnyTypeInfo {
        <String as sqlx::Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <String as sqlx::Type<Any>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, Any> for Leitmotif {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        let text = <&str as sqlx::Decode<Any>>::decode(value)?;
        Ok(serde_json::from_str(text)?)
    }
}

#[derive(ts_rs::TS)]
#[ts(optional_fields = nullable)]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewCharacter {
    pub name: String,
    pub description: Option<String>,
}

#[derive(ts_rs::TS)]
#[ts(optional_fields)]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CharacterUpdate {
    pub name: Option<String>,
    pub description: Option<String>,
    /// Absent keeps the instrument; `null` goes back to the one derived from the name.
    #[serde(default, deserialize_with = "present")]
    pub instrument: Option<Option<i64>>,
    /// Absent keeps the leitmotif; `null` goes back to the one derived from the name.
    #[serde(default, deserialize_with = "present")]
    pub leitmotif: Option<Option<Leitmotif>>,
}

/// Tells a `null` (clear it) apart from a missing key (keep it).
fn present<'de, D, T>(deserializer: D) -> std::result::Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// What a character does and says, in story order.
#[derive(ts_rs::TS, Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CharacterLines {
    pub character_id: i64,
    pub actions: Vec<Element>,
    pub spoken_words: Vec<Element>,
}

pub(crate) async fn fetch_character(
    conn: &mut AnyConnection,
    character_id: i64,
) -> Result<Character> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM characters WHERE character_id = $1"
    ))
    .bind(character_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| Error::not_found(format!("Character {character_id} not found.")))
}

async fn check_name_free(
    conn: &mut AnyConnection,
    script_id: i64,
    name: &str,
    except: i64,
) -> Result<()> {
    let taken: Option<i64> = sqlx::query_scalar(
        "SELECT character_id FROM characters WHERE script_id = $1 AND name = $2 AND character_id <> $3",
    )
    .bind(script_id)
    .bind(name)
    .bind(except)
    .fetch_optional(&mut *conn)
    .await?;
    match taken {
        Some(_) => Err(Error::conflict(format!(
            "this script already has a character named {name:?}"
        ))),
        None => Ok(()),
    }
}

pub(crate) async fn insert_character(
    conn: &mut AnyConnection,
    script_id: i64,
    new: &NewCharacter,
) -> Result<Character> {
    scripts::fetch_script(conn, script_id).await?;
    let name = scripts::required("name", &new.name)?;
    check_name_free(conn, script_id, &name, 0).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO characters (script_id, name, description) VALUES ($1, $2, $3) RETURNING character_id",
    )
    .bind(script_id)
    .bind(&name)
    .bind(new.description.as_deref().unwrap_or("").trim())
    .fetch_one(&mut *conn)
    .await?;
    sequence::generate(conn, ElementType::Character, id).await?;
    scripts::touch(conn, script_id).await?;
    fetch_character(conn, id).await
}

#[instrument(skip(db, new), err)]
pub async fn create_character(
    db: &Database,
    script_id: i64,
    new: NewCharacter,
) -> Result<Character> {
    let mut tx = scripts::writing(db, scripts::ScriptOf::Script(script_id)).await?;
    let character = insert_character(&mut tx, script_id, &new).await?;
    tx.commit().await?;
    Ok(character)
}

#[instrument(skip(db), err)]
pub async fn get_character(db: &Database, character_id: i64) -> Result<Character> {
    let mut conn = db.pool().acquire().await?;
    fetch_character(&mut conn, character_id).await
}

#[instrument(skip(db), err)]
pub async fn list_characters(db: &Database, script_id: i64) -> Result<Vec<Character>> {
    let mut conn = db.pool().acquire().await?;
    scripts::fetch_script(&mut conn, script_id).await?;
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM characters WHERE script_id = $1 ORDER BY sequence_number, character_id"
    ))
    .bind(script_id)
    .fetch_all(&mut *conn)
    .await?)
}

#[instrument(skip(db, update), err)]
pub async fn update_character(
    db: &Database,
    character_id: i64,
    update: CharacterUpdate,
) -> Result<Character> {
    let mut tx = scripts::writing(db, scripts::ScriptOf::Character(character_id)).await?;
    let current = fetch_character(&mut tx, character_id).await?;
    let name = match update.name.as_deref() {
        Some(name) => scripts::required("name", name)?,
        None => current.name,
    };
    check_name_free(&mut tx, current.script_id, &name, character_id).await?;
    let instrument = match update.instrument {
        Some(Some(program)) => Some(i64::from(leitmotif::instrument(program)?)),
        Some(None) => None,
        None => current.instrument,
    };
    let motif = match update.leitmotif {
        Some(Some(motif)) => Some(motif.validate().map(|_| motif)?),
        Some(None) => None,
        None => current.leitmotif,
    };
    let motif = motif.map(|m| serde_json::to_string(&m)).transpose()?;
    sqlx::query(
        "UPDATE characters SET name = $1, description = $2, instrument = $3, leitmotif = CAST($4 AS json_text) \
         WHERE character_id = $5",
    )
    .bind(name)
    .bind(
        update
            .description
            .as_deref()
            .map(str::trim)
            .unwrap_or(&current.description),
    )
    .bind(instrument)
    .bind(motif)
    .bind(character_id)
    .execute(&mut *tx)
    .await?;
    scripts::touch(&mut tx, current.script_id).await?;
    let character = fetch_character(&mut tx, character_id).await?;
    tx.commit().await?;
    Ok(character)
}

/// Deletes a character who has no lines left; a character with lines is refused so that no
/// dialogue is lost by accident.
#[instrument(skip(db), err)]
pub async fn delete_character(db: &Database, character_id: i64) -> Result<()> {
    let mut tx = scripts::writing(db, scripts::ScriptOf::Character(character_id)).await?;
    let character = fetch_character(&mut tx, character_id).await?;
    erase_character(&mut tx, &character).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a character with its paraphrases; refused while it has lines or actions.
async fn erase_character(conn: &mut AnyConnection, character: &Character) -> Result<()> {
    let character_id = character.character_id;
    let used: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM elements WHERE character_id = $1")
        .bind(character_id)
        .fetch_one(&mut *conn)
        .await?;
    if used > 0 {
        return Err(Error::conflict(format!(
            "{} still has {used} line(s) or action(s); delete or reassign them first",
            character.name
        )));
    }
    delete_paraphrases_of(conn, Originals::Character(character_id)).await?;
    sequence::release(conn, ElementType::Character, character_id).await?;
    sqlx::query("DELETE FROM characters WHERE character_id = $1")
        .bind(character_id)
        .execute(&mut *conn)
        .await?;
    scripts::touch(conn, character.script_id).await
}

/// The actions and spoken words of a character, in story order.
#[instrument(skip(db), err)]
pub async fn character_lines(db: &Database, character_id: i64) -> Result<CharacterLines> {
    let mut conn = db.pool().acquire().await?;
    fetch_character(&mut conn, character_id).await?;
    let rows: Vec<Element> = sqlx::query_as(
        "SELECT e.* FROM elements e JOIN section_headings h USING (heading_id) \
         WHERE e.character_id = $1 ORDER BY h.sequence_number, e.sequence_number, e.element_id",
    )
    .bind(character_id)
    .fetch_all(&mut *conn)
    .await?;
    let (spoken_words, actions) = rows
        .into_iter()
        .map(Element::with_contract_ids)
        .partition(|e| e.kind == scripts::ElementKind::Dialogue);
    Ok(CharacterLines {
        character_id,
        actions,
        spoken_words,
    })
}
