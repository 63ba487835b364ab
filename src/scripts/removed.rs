//! Deleting a scene so that it can come back: everything the delete removes is returned, and
//! restoring puts it all back under the same ids, at the same place, in one transaction.

use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use tracing::instrument;

use super::sections::erase_section;
use super::{fetch_script, fetch_section, touch, Element, ScriptOf, SectionHeading};
use crate::characters::{self, Paraphrase};
use crate::db::Database;
use crate::error::{Error, Result};
use crate::sequence::{self, ElementType};
use crate::sessions::{self, Context};

/// A deleted section with its elements, their paraphrases and the contexts set on either.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemovedSection {
    pub section: SectionHeading,
    pub elements: Vec<Element>,
    pub paraphrases: Vec<Paraphrase>,
    pub contexts: Vec<Context>,
    /// What an imported screenplay says beyond the services' fields, so it exports the same.
    #[serde(default)]
    pub heading_format: HeadingFormat,
    #[serde(default)]
    pub element_formats: Vec<ElementFormat>,
}

/// A section's scene number and whether it holds what came before the first heading.
#[derive(ts_rs::TS, Clone, Debug, Default, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct HeadingFormat {
    pub scene_number: Option<String>,
    #[sqlx(try_from = "crate::db::Flag")]
    pub untitled: bool,
    /// The writer's Fountain text and what it was read as (`screenplay/source.rs`); saved
    /// before it was kept, none: the text there stays.
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub source_of: Option<i64>,
}

/// A cue's extension, dual dialogue, a continued dialogue block, a `#` section's depth.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct ElementFormat {
    pub element_id: i64,
    pub extension: Option<String>,
    #[sqlx(try_from = "crate::db::Flag")]
    pub dual: bool,
    #[sqlx(try_from = "crate::db::Flag")]
    pub continues: bool,
    pub depth: Option<i64>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub source_of: Option<i64>,
}

async fn capture(conn: &mut AnyConnection, heading_id: i64) -> Result<RemovedSection> {
    let section = fetch_section(conn, heading_id).await?;
    let elements: Vec<Element> = sqlx::query_as(
        "SELECT * FROM elements WHERE heading_id = $1 ORDER BY sequence_number, element_id",
    )
    .bind(heading_id)
    .fetch_all(&mut *conn)
    .await?;
    let paraphrases = sqlx::query_as(
        "SELECT * FROM paraphrases WHERE original_type IN ('action', 'spokenWord') \
         AND original_id IN (SELECT element_id FROM elements WHERE heading_id = $1) \
         ORDER BY paraphrase_id",
    )
    .bind(heading_id)
    .fetch_all(&mut *conn)
    .await?;
    let sessions: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT session_id FROM contexts WHERE heading_id = $1 \
         OR element_id IN (SELECT element_id FROM elements WHERE heading_id = $2) ORDER BY session_id",
    )
    .bind(heading_id)
    .bind(heading_id)
    .fetch_all(&mut *conn)
    .await?;
    let in_section = |c: &Context| {
        c.heading_id == Some(heading_id)
            || c.element_id
                .is_some_and(|id| elements.iter().any(|e| e.element_id == id))
    };
    let mut contexts = Vec::new();
    for session in sessions {
        let all = sessions::fetch_contexts(conn, session).await?;
        contexts.extend(all.into_iter().filter(|c| in_section(c)));
    }
    let heading_format = heading_format(conn, heading_id).await?;
    let element_formats = element_formats(conn, heading_id).await?;
    Ok(RemovedSection {
        section,
        elements,
        paraphrases,
        contexts,
        heading_format,
        element_formats,
    })
}

/// Deletes a section like `delete_section` and returns all it deleted, for `restore_section`.
#[instrument(skip(db), err)]
pub async fn remove_section(db: &Database, heading_id: i64) -> Result<RemovedSection> {
    let mut tx = super::writing(db, ScriptOf::Section(heading_id)).await?;
    let removed = capture(&mut tx, heading_id).await?;
    erase_section(&mut tx, heading_id).await?;
    tx.commit().await?;
    Ok(removed)
}

/// Puts a removed section back: same ids, same place, elements in order, paraphrases, and the
/// contexts of sessions that still exist. All or nothing: a speaker deleted since, or an id in
/// use again, changes nothing.
#[instrument(skip_all, err)]
pub async fn restore_section(db: &Database, removed: &RemovedSection) -> Result<SectionHeading> {
    let mut tx = super::writing(db, ScriptOf::Script(removed.section.script_id)).await?;
    let s = &removed.section;
    fetch_script(&mut tx, s.script_id).await?;
    if fetch_section(&mut tx, s.heading_id).await.is_ok() {
        return Err(Error::conflict(format!(
            "Section {} exists already.",
            s.heading_id
        )));
    }
    sqlx::query("INSERT INTO section_headings (heading_id, script_id, title) VALUES ($1, $2, $3)")
        .bind(s.heading_id)
        .bind(s.script_id)
        .bind(&s.title)
        .execute(&mut *tx)
        .await?;
    let place = s.sequence_number.unwrap_or(i64::MAX);
    sequence::move_to(&mut tx, ElementType::Section, s.heading_id, place).await?;
    for e in &removed.elements {
        insert_element(&mut tx, s.heading_id, e).await?;
    }
    sequence::compact(&mut tx, ElementType::Element, s.heading_id).await?;
    apply_formats(
        &mut tx,
        s.heading_id,
        &removed.heading_format,
        &removed.element_formats,
    )
    .await?;
    for p in &removed.paraphrases {
        crate::characters::put_back_paraphrase(&mut tx, p).await?;
    }
    for c in &removed.contexts {
        sessions::put_back_context(&mut tx, c).await?;
    }
    touch(&mut tx, s.script_id).await?;
    let section = fetch_section(&mut tx, s.heading_id).await?;
    tx.commit().await?;
    Ok(section)
}

pub(crate) async fn heading_format(
    conn: &mut AnyConnection,
    heading_id: i64,
) -> Result<HeadingFormat> {
    Ok(
        sqlx::query_as("SELECT scene_number, untitled, source, source_of FROM section_headings WHERE heading_id = $1")
            .bind(heading_id)
            .fetch_one(&mut *conn)
            .await?,
    )
}

pub(crate) async fn element_formats(
    conn: &mut AnyConnection,
    heading_id: i64,
) -> Result<Vec<ElementFormat>> {
    Ok(sqlx::query_as(
        "SELECT element_id, extension, dual, continues, depth, source, source_of FROM elements \
         WHERE heading_id = $1 ORDER BY element_id",
    )
    .bind(heading_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// Sets a section's and its elements' formats; an element no longer in the section is skipped.
pub(crate) async fn apply_formats(
    conn: &mut AnyConnection,
    heading_id: i64,
    heading: &HeadingFormat,
    elements: &[ElementFormat],
) -> Result<()> {
    // A kept text only counts while its fingerprint matches, so keeping the current one
    // where a format has none is safe.
    sqlx::query(
        "UPDATE section_headings SET scene_number = $1, untitled = $2, source = COALESCE($3, source), \
         source_of = COALESCE($4, source_of) WHERE heading_id = $5",
    )
    .bind(&heading.scene_number)
    .bind(heading.untitled)
    .bind(&heading.source)
    .bind(heading.source_of)
    .bind(heading_id)
        .execute(&mut *conn)
        .await?;
    for f in elements {
        apply_element_format(conn, f, Some(heading_id)).await?;
    }
    Ok(())
}

/// Sets one element's format (only while it is in `heading_id`, when given).
pub(crate) async fn apply_element_format(
    conn: &mut AnyConnection,
    f: &ElementFormat,
    heading_id: Option<i64>,
) -> Result<()> {
    sqlx::query(
        "UPDATE elements SET extension = $1, dual = $2, continues = $3, depth = $4, \
         source = COALESCE($5, source), source_of = COALESCE($6, source_of) \
         WHERE element_id = $7 AND heading_id = coalesce($8, heading_id)",
    )
    .bind(&f.extension)
    .bind(f.dual)
    .bind(f.continues)
    .bind(f.depth)
    .bind(&f.source)
    .bind(f.source_of)
    .bind(f.element_id)
    .bind(heading_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// An element back under its id; its speaker must still exist.
async fn insert_element(conn: &mut AnyConnection, heading_id: i64, e: &Element) -> Result<()> {
    if let Some(character) = e.character_id {
        if characters::fetch_character(conn, character).await.is_err() {
            return Err(Error::conflict(format!(
                "The scene cannot come back: character {character} has been deleted since."
            )));
        }
    }
    sequence::upsert_element(conn, heading_id, e).await
}

/// A deleted element with its format, its paraphrases and the contexts set on it.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemovedElement {
    pub element: Element,
    pub format: ElementFormat,
    pub paraphrases: Vec<Paraphrase>,
    pub contexts: Vec<Context>,
}

/// Deletes an element like `delete_element` and returns all it deleted, for
/// [`restore_element`].
#[instrument(skip(db), err)]
pub async fn remove_element_whole(db: &Database, element_id: i64) -> Result<RemovedElement> {
    let mut tx = super::writing(db, ScriptOf::Element(element_id)).await?;
    let element = super::fetch_element(&mut tx, element_id).await?;
    let format = sqlx::query_as(
        "SELECT element_id, extension, dual, continues, depth, source, source_of FROM elements \
         WHERE element_id = $1",
    )
    .bind(element_id)
    .fetch_one(&mut *tx)
    .await?;
    let paraphrases = sqlx::query_as(
        "SELECT * FROM paraphrases WHERE original_type IN ('action', 'spokenWord') \
         AND original_id = $1 ORDER BY paraphrase_id",
    )
    .bind(element_id)
    .fetch_all(&mut *tx)
    .await?;
    let contexts = sessions::contexts_on(&mut tx, sessions::On::Element(element_id)).await?;
    super::remove_element(&mut tx, element_id).await?;
    tx.commit().await?;
    Ok(RemovedElement {
        element,
        format,
        paraphrases,
        contexts,
    })
}

/// Puts a removed element back: same id, same place in its section, every format field, its
/// paraphrases and contexts, in one transaction. Its section or speaker deleted since, or its
/// id in use again, changes nothing.
#[instrument(skip_all, err)]
pub async fn restore_element(db: &Database, removed: &RemovedElement) -> Result<Element> {
    let mut tx = super::writing(db, ScriptOf::Section(removed.element.heading_id)).await?;
    let e = &removed.element;
    let section = fetch_section(&mut tx, e.heading_id).await.map_err(|_| {
        Error::conflict(format!(
            "The element cannot come back: its scene {} has been deleted since.",
            e.heading_id
        ))
    })?;
    if super::fetch_element(&mut tx, e.element_id).await.is_ok() {
        return Err(Error::conflict(format!(
            "Element {} exists already.",
            e.element_id
        )));
    }
    let unplaced = Element {
        sequence_number: None,
        ..e.clone()
    };
    insert_element(&mut tx, e.heading_id, &unplaced).await?;
    let place = e.sequence_number.unwrap_or(i64::MAX);
    sequence::move_to(&mut tx, ElementType::Element, e.element_id, place).await?;
    apply_element_format(&mut tx, &removed.format, Some(e.heading_id)).await?;
    for p in &removed.paraphrases {
        characters::put_back_paraphrase(&mut tx, p).await?;
    }
    for c in &removed.contexts {
        sessions::put_back_context(&mut tx, c).await?;
    }
    touch(&mut tx, section.script_id).await?;
    let element = super::fetch_element(&mut tx, e.element_id).await?;
    tx.commit().await?;
    Ok(element)
}
