//! Deleting a character so that it can come back whole (undo): its music, place, alts and
//! contexts go back under the same ids in one transaction.

use serde::{Deserialize, Serialize};
use tracing::instrument;

use super::{fetch_character, put_back_paraphrase, Character, Paraphrase};
use crate::db::Database;
use crate::error::{Error, Result};
use crate::scripts;
use crate::sequence::{self, ElementType};
use crate::sessions::{self, Context};

/// A deleted character with its paraphrases and the contexts set on it.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemovedCharacter {
    pub character: Character,
    pub paraphrases: Vec<Paraphrase>,
    pub contexts: Vec<Context>,
}

/// Deletes a character like `delete_character` (refused while it has lines) and returns all it
/// deleted, for [`restore_character`].
#[instrument(skip(db), err)]
pub async fn remove_character(db: &Database, character_id: i64) -> Result<RemovedCharacter> {
    let mut conn = scripts::writing(db, scripts::ScriptOf::Character(character_id)).await?;
    let character = fetch_character(&mut conn, character_id).await?;
    let paraphrases = sqlx::query_as(
        "SELECT * FROM paraphrases WHERE original_type = 'character' AND original_id = $1 \
         ORDER BY paraphrase_id",
    )
    .bind(character_id)
    .fetch_all(&mut *conn)
    .await?;
    let contexts = sessions::contexts_on(&mut conn, sessions::On::Character(character_id)).await?;
    super::erase_character(&mut conn, &character).await?;
    conn.commit().await?;
    Ok(RemovedCharacter {
        character,
        paraphrases,
        contexts,
    })
}

/// Puts a removed character back: same id, name, description, instrument, leitmotif, place,
/// paraphrases and contexts. A name or id taken since changes nothing.
#[instrument(skip_all, err)]
pub async fn restore_character(db: &Database, removed: &RemovedCharacter) -> Result<Character> {
    let c = &removed.character;
    let mut tx = scripts::writing(db, scripts::ScriptOf::Script(c.script_id)).await?;
    scripts::fetch_script(&mut tx, c.script_id).await?;
    if fetch_character(&mut tx, c.character_id).await.is_ok() {
        return Err(Error::conflict(format!(
            "Character {} exists already.",
            c.character_id
        )));
    }
    super::check_name_free(&mut tx, c.script_id, &c.name, c.character_id).await?;
    let motif = c
        .leitmotif
        .as_ref()
        .map(serde_json::to_string)
        .transpose()?;
    sqlx::query(
        "INSERT INTO characters (character_id, script_id, name, description, instrument, leitmotif) \
         VALUES ($1, $2, $3, $4, $5, CAST($6 AS json_text))",
    )
    .bind(c.character_id)
    .bind(c.script_id)
    .bind(&c.name)
    .bind(&c.description)
    .bind(c.instrument)
    .bind(motif)
    .execute(&mut *tx)
    .await?;
    let place = c.sequence_number.unwrap_or(i64::MAX);
    sequence::move_to(&mut tx, ElementType::Character, c.character_id, place).await?;
    for p in &removed.paraphrases {
        put_back_paraphrase(&mut tx, p).await?;
    }
    for ctx in &removed.contexts {
        sessions::put_back_context(&mut tx, ctx).await?;
    }
    scripts::touch(&mut tx, c.script_id).await?;
    let character = fetch_character(&mut tx, c.character_id).await?;
    tx.commit().await?;
    Ok(character)
}
