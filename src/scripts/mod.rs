//! Core Script Management: scripts, their section headings, and the ordered elements of each
//! section (actions, dialogue, transitions, …).

mod elements;
mod removed;
mod sections;

use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use tracing::instrument;

use crate::characters::{self, Originals};
use crate::db::{now, Database};
use crate::error::{Error, Result};
use crate::sequence::{self, ElementType};

pub use elements::{
    add_element, delete_element, get_element, list_elements, move_element, update_element, Element,
    ElementKind, ElementUpdate, MoveElement, NewElement,
};
pub(crate) use elements::{fetch_element, remove_element, shape};
pub(crate) use removed::{apply_element_format, apply_formats, element_formats, heading_format};
pub use removed::{
    remove_element_whole, remove_section, restore_element, restore_section, ElementFormat,
    HeadingFormat, RemovedElement, RemovedSection,
};
pub(crate) use sections::fetch_section;
pub use sections::{
    add_section, delete_section, get_section, list_sections, reorder_sections, update_section,
    SectionHeading, SectionOrder, SectionPlacement,
};

/// A [`Script`] row's columns (not `*`: the title page is `json` on PostgreSQL, which sqlx's Any
/// driver does not read, and no script row needs it).
const COLUMNS: &str =
    "script_id, title, author, description, sequence_number, created_at, updated_at, revision";

#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct Script {
    pub script_id: i64,
    pub title: String,
    pub author: String,
    pub description: String,
    pub sequence_number: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
    /// One more on every change: what an editor's save says it started from.
    #[serde(default)]
    pub revision: i64,
}

#[derive(ts_rs::TS)]
#[ts(optional_fields = nullable)]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewScript {
    pub title: String,
    pub author: Option<String>,
    pub description: Option<String>,
}

#[derive(ts_rs::TS)]
#[ts(optional_fields)]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScriptUpdate {
    pub title: Option<String>,
    pub author: Option<String>,
    pub description: Option<String>,
}

#[derive(ts_rs::TS)]
#[ts(optional_fields)]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScriptQuery {
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    /// Case-insensitive substring of the title.
    pub title: Option<String>,
    /// Case-insensitive substring of the author.
    pub author: Option<String>,
}

#[derive(ts_rs::TS, Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScriptList {
    pub scripts: Vec<Script>,
    pub total_count: i64,
}

/// The longest text one field takes (a title, a name, one element's text): far beyond any
/// screenplay's, so that a runaway paste is refused instead of filling every export.
pub const MAX_FIELD_BYTES: usize = 1024 * 1024;

/// Text a writer can have typed: no NUL (no program reading an export takes one), at most
/// [`MAX_FIELD_BYTES`].
pub(crate) fn typed(field: &str, value: &str) -> Result<()> {
    if let Some(at) = value.find('\0') {
        return Err(Error::invalid(format!(
            "the {field} contains a NUL character at byte offset {at}"
        )));
    }
    if value.len() > MAX_FIELD_BYTES {
        return Err(Error::invalid(format!(
            "the {field} is {} bytes long; a field holds at most {MAX_FIELD_BYTES} bytes",
            value.len()
        )));
    }
    Ok(())
}

pub(crate) fn required(field: &str, value: &str) -> Result<String> {
    typed(field, value)?;
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Error::invalid(format!("{field} must not be empty")));
    }
    Ok(trimmed.to_string())
}

pub(crate) async fn fetch_script(conn: &mut AnyConnection, script_id: i64) -> Result<Script> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM scripts WHERE script_id = $1"
    ))
    .bind(script_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| Error::not_found("Script not found."))
}

pub(crate) async fn insert_script(conn: &mut AnyConnection, new: &NewScript) -> Result<Script> {
    let title = required("title", &new.title)?;
    let stamp = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO scripts (title, author, description, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING script_id",
    )
    .bind(title)
    .bind(new.author.as_deref().unwrap_or("").trim())
    .bind(new.description.as_deref().unwrap_or("").trim())
    .bind(&stamp)
    .bind(&stamp)
    .fetch_one(&mut *conn)
    .await?;
    sequence::generate(conn, ElementType::Script, id).await?;
    fetch_script(conn, id).await
}

/// The script a write is about, named by one of its rows, for the write's lock.
#[derive(Clone, Copy, Debug)]
pub(crate) enum ScriptOf {
    Script(i64),
    Section(i64),
    Element(i64),
    Character(i64),
    Session(i64),
    Context(i64),
    /// An alt, whose original is a character or an element.
    Paraphrase(i64),
}

impl ScriptOf {
    /// The script of what a version or an alt of type `ty` is attached to.
    pub(crate) fn of_type(ty: ElementType, id: i64) -> ScriptOf {
        match ty {
            ElementType::Script => ScriptOf::Script(id),
            ElementType::Section => ScriptOf::Section(id),
            ElementType::Character => ScriptOf::Character(id),
            ElementType::Action
            | ElementType::SpokenWord
            | ElementType::Transition
            | ElementType::Element => ScriptOf::Element(id),
        }
    }

    /// The script's id in SQL, from the row's id as `$1`.
    fn script_id_sql(self) -> &'static str {
        match self {
            ScriptOf::Script(_) => "$1",
            ScriptOf::Section(_) => {
                "(SELECT script_id FROM section_headings WHERE heading_id = $1)"
            }
            ScriptOf::Element(_) => {
                "(SELECT h.script_id FROM elements e JOIN section_headings h \
                 ON h.heading_id = e.heading_id WHERE e.element_id = $1)"
            }
            ScriptOf::Character(_) => "(SELECT script_id FROM characters WHERE character_id = $1)",
            ScriptOf::Session(_) => "(SELECT script_id FROM sessions WHERE session_id = $1)",
            ScriptOf::Context(_) => {
                "(SELECT s.script_id FROM contexts c JOIN sessions s \
                 ON s.session_id = c.session_id WHERE c.context_id = $1)"
            }
            ScriptOf::Paraphrase(_) => {
                "(SELECT COALESCE(\
                    (SELECT c.script_id FROM characters c \
                     WHERE p.original_type = 'character' AND c.character_id = p.original_id), \
                    (SELECT h.script_id FROM elements e JOIN section_headings h \
                     ON h.heading_id = e.heading_id \
                     WHERE p.original_type <> 'character' AND e.element_id = p.original_id)) \
                 FROM paraphrases p WHERE p.paraphrase_id = $1)"
            }
        }
    }

    fn id(self) -> i64 {
        let (ScriptOf::Script(id)
        | ScriptOf::Section(id)
        | ScriptOf::Element(id)
        | ScriptOf::Character(id)
        | ScriptOf::Session(id)
        | ScriptOf::Context(id)
        | ScriptOf::Paraphrase(id)) = self;
        id
    }
}

/// A write transaction on one script. On PostgreSQL the script's row is locked before any
/// row of it is read or changes: an editor's save takes that lock first too, so the two queue
/// instead of each holding what the other waits for (a deadlock PostgreSQL breaks by failing
/// one), and a row the write checks is still there when it commits (an alt is never added to
/// a line another writer's save is deleting).
pub(crate) async fn writing(db: &Database, of: ScriptOf) -> Result<crate::db::Tx> {
    let mut tx = db.begin().await?;
    if db.engine() == crate::db::Engine::Postgres {
        sqlx::query(&format!(
            "SELECT 1 FROM scripts WHERE script_id = {} FOR UPDATE",
            of.script_id_sql()
        ))
        .bind(of.id())
        .execute(&mut *tx)
        .await?;
    }
    Ok(tx)
}

/// Marks a script as changed now.
pub(crate) async fn touch(conn: &mut AnyConnection, script_id: i64) -> Result<()> {
    sqlx::query("UPDATE scripts SET updated_at = $1, revision = revision + 1 WHERE script_id = $2")
        .bind(now())
        .bind(script_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[instrument(skip_all, err)]
pub async fn create_script(db: &Database, new: NewScript) -> Result<Script> {
    let mut tx = db.begin().await?;
    let script = insert_script(&mut tx, &new).await?;
    tx.commit().await?;
    Ok(script)
}

#[instrument(skip(db), err)]
pub async fn get_script(db: &Database, script_id: i64) -> Result<Script> {
    let mut conn = db.pool().acquire().await?;
    fetch_script(&mut conn, script_id).await
}

/// True when `haystack` contains `needle`, ignoring case in any script (SQLite's LOWER only
/// folds A–Z, so the filter runs here).
fn contains_folded(haystack: &str, needle: Option<&str>) -> bool {
    match needle.map(str::trim).filter(|n| !n.is_empty()) {
        Some(needle) => haystack.to_lowercase().contains(&needle.to_lowercase()),
        None => true,
    }
}

/// Scripts in library order, filtered and paged; `totalCount` counts all that match.
#[instrument(skip_all, err)]
pub async fn list_scripts(db: &Database, query: &ScriptQuery) -> Result<ScriptList> {
    let limit = query.limit.unwrap_or(100);
    let offset = query.offset.unwrap_or(0);
    let (Ok(limit), Ok(offset)) = (usize::try_from(limit), usize::try_from(offset)) else {
        return Err(Error::invalid("limit and offset must not be negative"));
    };
    let all: Vec<Script> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM scripts ORDER BY sequence_number, script_id"
    ))
    .fetch_all(db.pool())
    .await?;
    let matching: Vec<Script> = all
        .into_iter()
        .filter(|s| contains_folded(&s.title, query.title.as_deref()))
        .filter(|s| contains_folded(&s.author, query.author.as_deref()))
        .collect();
    let total_count = matching.len() as i64;
    let scripts = matching.into_iter().skip(offset).take(limit).collect();
    Ok(ScriptList {
        scripts,
        total_count,
    })
}

#[instrument(skip(db, update), err)]
pub async fn update_script(db: &Database, script_id: i64, update: ScriptUpdate) -> Result<Script> {
    let mut tx = db.begin().await?;
    let current = fetch_script(&mut tx, script_id).await?;
    let title = match update.title.as_deref() {
        Some(title) => required("title", title)?,
        None => current.title,
    };
    sqlx::query(
        "UPDATE scripts SET title = $1, author = $2, description = $3, updated_at = $4, \
         revision = revision + 1 WHERE script_id = $5",
    )
    .bind(title)
    .bind(
        update
            .author
            .as_deref()
            .map(str::trim)
            .unwrap_or(&current.author),
    )
    .bind(
        update
            .description
            .as_deref()
            .map(str::trim)
            .unwrap_or(&current.description),
    )
    .bind(now())
    .bind(script_id)
    .execute(&mut *tx)
    .await?;
    let script = fetch_script(&mut tx, script_id).await?;
    tx.commit().await?;
    Ok(script)
}

/// Deletes a script with its sections, elements, characters, paraphrases and sessions.
#[instrument(skip(db), err)]
pub async fn delete_script(db: &Database, script_id: i64) -> Result<()> {
    let mut tx = db.begin().await?;
    fetch_script(&mut tx, script_id).await?;
    characters::delete_paraphrases_of(&mut tx, Originals::Script(script_id)).await?;
    // Elements reference characters, so they go before the cascade reaches characters.
    sqlx::query("DELETE FROM elements WHERE heading_id IN (SELECT heading_id FROM section_headings WHERE script_id = $1)")
        .bind(script_id)
        .execute(&mut *tx)
        .await?;
    sequence::release(&mut tx, ElementType::Script, script_id).await?;
    sqlx::query("DELETE FROM scripts WHERE script_id = $1")
        .bind(script_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
