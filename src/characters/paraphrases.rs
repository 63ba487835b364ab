//! Paraphrases: the writer's alternatives for a character's description, an action or a
//! spoken word, each with a commentary. Promoting one swaps it with the text in use, so the
//! replaced text stays as an alt and nothing is lost.

use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use tracing::instrument;

use super::fetch_character;
use crate::db::{now, Database};
use crate::error::{Error, Result};
use crate::scripts::{self, ScriptOf};
use crate::sequence::ElementType;

#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct Paraphrase {
    pub paraphrase_id: i64,
    #[sqlx(try_from = "String")]
    pub original_type: ElementType,
    pub original_id: i64,
    pub text: String,
    pub commentary: String,
    pub created_at: String,
}

impl TryFrom<String> for ElementType {
    type Error = Error;

    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

#[derive(ts_rs::TS, Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Promotion {
    /// The text now in use.
    pub text: String,
    /// The paraphrase, now holding the text that was in use before.
    pub paraphrase: Paraphrase,
}

/// The text an original currently has in use and the script it belongs to; `NotFound` if it
/// does not exist as that type.
async fn text_in_use(conn: &mut AnyConnection, ty: ElementType, id: i64) -> Result<(String, i64)> {
    match ty {
        ElementType::Character => {
            let character = fetch_character(conn, id).await?;
            Ok((character.description, character.script_id))
        }
        ElementType::Action | ElementType::SpokenWord => {
            let missing = || Error::not_found(format!("{} {id} not found.", ty.noun()));
            let element = scripts::fetch_element(conn, id)
                .await
                .map_err(|_| missing())?;
            if element.kind.element_type() != ty {
                return Err(missing());
            }
            let section = scripts::fetch_section(conn, element.heading_id).await?;
            Ok((element.text, section.script_id))
        }
        _ => Err(Error::invalid(
            "paraphrases belong to a character, an action or a spokenWord",
        )),
    }
}

async fn set_text_in_use(
    conn: &mut AnyConnection,
    ty: ElementType,
    id: i64,
    text: &str,
) -> Result<()> {
    let sql = match ty {
        ElementType::Character => "UPDATE characters SET description = $1 WHERE character_id = $2",
        _ => "UPDATE elements SET text = $1 WHERE element_id = $2",
    };
    sqlx::query(sql)
        .bind(text)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn fetch_paraphrase(conn: &mut AnyConnection, paraphrase_id: i64) -> Result<Paraphrase> {
    sqlx::query_as("SELECT * FROM paraphrases WHERE paraphrase_id = $1")
        .bind(paraphrase_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::not_found(format!("Paraphrase {paraphrase_id} not found.")))
}

#[instrument(skip(db, text, commentary), err)]
pub async fn add_paraphrase(
    db: &Database,
    ty: ElementType,
    original_id: i64,
    text: &str,
    commentary: &str,
) -> Result<Paraphrase> {
    let mut tx = scripts::writing(db, ScriptOf::of_type(ty, original_id)).await?;
    let paraphrase = insert(&mut tx, ty, original_id, text, commentary).await?;
    tx.commit().await?;
    Ok(paraphrase)
}

/// [`add_paraphrase`] inside the caller's transaction.
pub(crate) async fn insert(
    conn: &mut AnyConnection,
    ty: ElementType,
    original_id: i64,
    text: &str,
    commentary: &str,
) -> Result<Paraphrase> {
    text_in_use(conn, ty, original_id).await?;
    let text = scripts::required("text", text)?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO paraphrases (original_type, original_id, text, commentary, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING paraphrase_id",
    )
    .bind(ty.as_str())
    .bind(original_id)
    .bind(text)
    .bind(commentary.trim())
    .bind(now())
    .fetch_one(&mut *conn)
    .await?;
    fetch_paraphrase(conn, id).await
}

#[instrument(skip(db), err)]
pub async fn list_paraphrases(
    db: &Database,
    ty: ElementType,
    original_id: i64,
) -> Result<Vec<Paraphrase>> {
    let mut conn = db.pool().acquire().await?;
    text_in_use(&mut conn, ty, original_id).await?;
    Ok(sqlx::query_as(
        "SELECT * FROM paraphrases WHERE original_type = $1 AND original_id = $2 ORDER BY paraphrase_id",
    )
    .bind(ty.as_str())
    .bind(original_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// Makes a paraphrase the text in use; the old text becomes that paraphrase.
#[instrument(skip(db), err)]
pub async fn promote_paraphrase(db: &Database, paraphrase_id: i64) -> Result<Promotion> {
    let mut tx = scripts::writing(db, ScriptOf::Paraphrase(paraphrase_id)).await?;
    let paraphrase = fetch_paraphrase(&mut tx, paraphrase_id).await?;
    let ty = paraphrase.original_type;
    let (old, script_id) = text_in_use(&mut tx, ty, paraphrase.original_id).await?;
    set_text_in_use(&mut tx, ty, paraphrase.original_id, &paraphrase.text).await?;
    scripts::touch(&mut tx, script_id).await?;
    sqlx::query("UPDATE paraphrases SET text = $1 WHERE paraphrase_id = $2")
        .bind(&old)
        .bind(paraphrase_id)
        .execute(&mut *tx)
        .await?;
    let text = paraphrase.text;
    let paraphrase = fetch_paraphrase(&mut tx, paraphrase_id).await?;
    tx.commit().await?;
    Ok(Promotion { text, paraphrase })
}

#[instrument(skip(db), err)]
pub async fn delete_paraphrase(db: &Database, paraphrase_id: i64) -> Result<()> {
    let mut tx = scripts::writing(db, ScriptOf::Paraphrase(paraphrase_id)).await?;
    fetch_paraphrase(&mut tx, paraphrase_id).await?;
    sqlx::query("DELETE FROM paraphrases WHERE paraphrase_id = $1")
        .bind(paraphrase_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Whose paraphrases go with a delete. A paraphrase has no foreign key (its original may be a
/// character or an element), so every delete of an original takes them along through here.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Originals<'a> {
    Character(i64),
    Element(i64),
    Elements(&'a [i64]),
    /// Every element of a section.
    Section(i64),
    /// Every element and character of a script.
    Script(i64),
}

/// Puts a paraphrase back with its own id (undoing a deletion, restoring a version), inside the
/// caller's transaction. Ids are never reused (AUTOINCREMENT), so a row with the same id can
/// only be this paraphrase, possibly edited since: it is overwritten with the saved one.
pub(crate) async fn put_back(conn: &mut AnyConnection, p: &Paraphrase) -> Result<()> {
    sqlx::query(
        "INSERT INTO paraphrases (paraphrase_id, original_type, original_id, text, commentary, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (paraphrase_id) DO UPDATE SET \
         original_type = excluded.original_type, original_id = excluded.original_id, \
         text = excluded.text, commentary = excluded.commentary, created_at = excluded.created_at",
    )
    .bind(p.paraphrase_id)
    .bind(p.original_type.as_str())
    .bind(p.original_id)
    .bind(&p.text)
    .bind(&p.commentary)
    .bind(&p.created_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

const OF_ELEMENTS: &str =
    "DELETE FROM paraphrases WHERE original_type IN ('action', 'spokenWord') AND original_id IN ";

/// Deletes the paraphrases of originals about to be deleted, inside the caller's transaction.
pub(crate) async fn delete_paraphrases_of(
    conn: &mut AnyConnection,
    of: Originals<'_>,
) -> Result<()> {
    let (sql, id) = match of {
        Originals::Character(id) => (
            "DELETE FROM paraphrases WHERE original_type = 'character' AND original_id = $1"
                .to_string(),
            id,
        ),
        Originals::Element(id) => (format!("{OF_ELEMENTS}($1)"), id),
        Originals::Section(id) => (
            format!("{OF_ELEMENTS}(SELECT element_id FROM elements WHERE heading_id = $1)"),
            id,
        ),
        Originals::Script(id) => {
            let characters = "DELETE FROM paraphrases WHERE original_type = 'character' \
                 AND original_id IN (SELECT character_id FROM characters WHERE script_id = $1)";
            sqlx::query(characters).bind(id).execute(&mut *conn).await?;
            let elements = "(SELECT e.element_id FROM elements e JOIN section_headings h \
                 USING (heading_id) WHERE h.script_id = $1)";
            (format!("{OF_ELEMENTS}{elements}"), id)
        }
        Originals::Elements(ids) => {
            // 500 ids a statement stays far below SQLite's bound-parameter limit.
            for chunk in ids.chunks(500) {
                let mut q = crate::db::Batch::new(OF_ELEMENTS);
                q.push("(").list(chunk.iter().copied()).push(")");
                q.execute(&mut *conn).await?;
            }
            return Ok(());
        }
    };
    sqlx::query(&sql).bind(id).execute(&mut *conn).await?;
    Ok(())
}
