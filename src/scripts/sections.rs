//! Section headings (scenes) of a script, in order.

use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use tracing::instrument;

use super::{fetch_script, required, touch, ScriptOf};
use crate::characters::{self, Originals};
use crate::db::Database;
use crate::error::{Error, Result};
use crate::sequence::{self, ElementType};

#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct SectionHeading {
    pub heading_id: i64,
    pub script_id: i64,
    pub title: String,
    pub sequence_number: Option<i64>,
}

#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SectionPlacement {
    pub heading_id: i64,
    pub new_sequence: i64,
}

#[derive(ts_rs::TS, Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SectionOrder {
    pub script_id: i64,
    /// Every section of the script in its new order.
    pub updated_elements: Vec<SectionPlacement>,
}

pub(crate) async fn fetch_section(
    conn: &mut AnyConnection,
    heading_id: i64,
) -> Result<SectionHeading> {
    sqlx::query_as("SELECT * FROM section_headings WHERE heading_id = $1")
        .bind(heading_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::not_found(format!("Section {heading_id} not found.")))
}

pub(crate) async fn insert_section(
    conn: &mut AnyConnection,
    script_id: i64,
    title: &str,
) -> Result<SectionHeading> {
    fetch_script(conn, script_id).await?;
    let title = required("title", title)?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO section_headings (script_id, title) VALUES ($1, $2) RETURNING heading_id",
    )
    .bind(script_id)
    .bind(title)
    .fetch_one(&mut *conn)
    .await?;
    sequence::generate(conn, ElementType::Section, id).await?;
    touch(conn, script_id).await?;
    fetch_section(conn, id).await
}

#[instrument(skip(db, title), err)]
pub async fn add_section(db: &Database, script_id: i64, title: &str) -> Result<SectionHeading> {
    let mut tx = super::writing(db, ScriptOf::Script(script_id)).await?;
    let section = insert_section(&mut tx, script_id, title).await?;
    tx.commit().await?;
    Ok(section)
}

#[instrument(skip(db), err)]
pub async fn get_section(db: &Database, heading_id: i64) -> Result<SectionHeading> {
    let mut conn = db.pool().acquire().await?;
    fetch_section(&mut conn, heading_id).await
}

#[instrument(skip(db), err)]
pub async fn list_sections(db: &Database, script_id: i64) -> Result<Vec<SectionHeading>> {
    let mut conn = db.pool().acquire().await?;
    fetch_script(&mut conn, script_id).await?;
    Ok(sqlx::query_as(
        "SELECT * FROM section_headings WHERE script_id = $1 ORDER BY sequence_number, heading_id",
    )
    .bind(script_id)
    .fetch_all(&mut *conn)
    .await?)
}

#[instrument(skip(db, title), err)]
pub async fn update_section(db: &Database, heading_id: i64, title: &str) -> Result<SectionHeading> {
    let mut tx = super::writing(db, ScriptOf::Section(heading_id)).await?;
    let section = fetch_section(&mut tx, heading_id).await?;
    sqlx::query("UPDATE section_headings SET title = $1 WHERE heading_id = $2")
        .bind(required("title", title)?)
        .bind(heading_id)
        .execute(&mut *tx)
        .await?;
    touch(&mut tx, section.script_id).await?;
    let section = fetch_section(&mut tx, heading_id).await?;
    tx.commit().await?;
    Ok(section)
}

/// Deletes a section with its elements (and their paraphrases) and the contexts set on it.
#[instrument(skip(db), err)]
pub async fn delete_section(db: &Database, heading_id: i64) -> Result<()> {
    let mut tx = super::writing(db, ScriptOf::Section(heading_id)).await?;
    erase_section(&mut tx, heading_id).await?;
    tx.commit().await?;
    Ok(())
}

/// The delete itself, inside the caller's transaction; elements and contexts go by cascade.
pub(crate) async fn erase_section(conn: &mut AnyConnection, heading_id: i64) -> Result<()> {
    let section = fetch_section(conn, heading_id).await?;
    characters::delete_paraphrases_of(conn, Originals::Section(heading_id)).await?;
    sequence::release(conn, ElementType::Section, heading_id).await?;
    sqlx::query("DELETE FROM section_headings WHERE heading_id = $1")
        .bind(heading_id)
        .execute(&mut *conn)
        .await?;
    touch(conn, section.script_id).await
}

/// Puts a script's sections in the given order (all of them, or the first few: the rest
/// follow in their old order). Atomic: any bad id changes nothing.
#[instrument(skip(db), err)]
pub async fn reorder_sections(
    db: &Database,
    script_id: i64,
    order: &[i64],
) -> Result<SectionOrder> {
    {
        let mut conn = db.pool().acquire().await?;
        fetch_script(&mut conn, script_id).await?;
    }
    let placements = sequence::placements_from_order(order);
    let result =
        sequence::reorder_elements(db, ElementType::Section, Some(script_id), &placements).await?;
    Ok(SectionOrder {
        script_id,
        updated_elements: result
            .updated_elements
            .into_iter()
            .map(|p| SectionPlacement {
                heading_id: p.element_id,
                new_sequence: p.new_sequence,
            })
            .collect(),
    })
}
