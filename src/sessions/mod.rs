//! Session & Context: a session is one interpretation of a script; its contexts attach
//! key/value data (mood, location, time, tempo …) to a section, a character, or both.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};
use tracing::instrument;

mod removed;

pub(crate) use removed::{contexts_on, put_back_context, On};
pub use removed::{remove_session, restore_session, RemovedSession};

use crate::db::{now, Database, Tx};
use crate::error::{Error, Result};
use crate::scripts::{self, ScriptOf};

#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub session_id: i64,
    pub user_id: i64,
    /// The script this session interprets; set on creation or by its first context.
    pub script_id: Option<i64>,
    /// Free text: what this interpretation is about.
    pub context: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(ts_rs::TS)]
#[ts(optional_fields = nullable)]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewSession {
    pub user_id: Option<i64>,
    pub script_id: Option<i64>,
    pub context: Option<String>,
}

#[derive(ts_rs::TS)]
#[ts(optional_fields)]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionUpdate {
    pub user_id: Option<i64>,
    pub context: Option<String>,
}

#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Context {
    pub context_id: i64,
    pub session_id: i64,
    pub heading_id: Option<i64>,
    pub character_id: Option<i64>,
    pub element_id: Option<i64>,
    /// Sorted by key, so output is deterministic. Shared, because the Story Factory hands the
    /// same context to every item of a scene.
    pub data: Arc<BTreeMap<String, String>>,
}

impl Context {
    pub fn target(&self) -> ContextTarget {
        ContextTarget {
            heading_id: self.heading_id,
            character_id: self.character_id,
            element_id: self.element_id,
        }
    }
}

/// What a context is attached to. No section means "every section"; no character means
/// "the scene as a whole"; an element narrows it to one line or action.
#[derive(ts_rs::TS)]
#[ts(optional_fields = nullable)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContextTarget {
    pub heading_id: Option<i64>,
    pub character_id: Option<i64>,
    pub element_id: Option<i64>,
}

#[derive(ts_rs::TS, Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionContext {
    #[serde(flatten)]
    pub session: Session,
    pub contexts: Vec<Context>,
}

pub(crate) async fn fetch_session(conn: &mut AnyConnection, session_id: i64) -> Result<Session> {
    sqlx::query_as("SELECT * FROM sessions WHERE session_id = $1")
        .bind(session_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::not_found(format!("Session {session_id} not found.")))
}

/// A write transaction on the session's script, locked first (see [`scripts::writing`]).
async fn writing(db: &Database, session_id: i64) -> Result<Tx> {
    scripts::writing(db, ScriptOf::Session(session_id)).await
}

/// A write transaction on `script`'s sessions; a session of no script locks nothing.
pub(crate) async fn on_script(db: &Database, script: Option<i64>) -> Result<Tx> {
    match script {
        Some(id) => scripts::writing(db, ScriptOf::Script(id)).await,
        None => db.begin().await,
    }
}

#[instrument(skip_all, err)]
pub async fn create_session(db: &Database, new: NewSession) -> Result<Session> {
    let mut tx = on_script(db, new.script_id).await?;
    if let Some(script) = new.script_id {
        scripts::fetch_script(&mut tx, script).await?;
    }
    let context = new.context.as_deref().unwrap_or("");
    let id = insert_session(&mut tx, new.user_id.unwrap_or(0), new.script_id, context).await?;
    let session = fetch_session(&mut tx, id).await?;
    tx.commit().await?;
    Ok(session)
}

/// Inserts a session inside the caller's transaction; returns its id.
pub(crate) async fn insert_session(
    conn: &mut AnyConnection,
    user_id: i64,
    script_id: Option<i64>,
    context: &str,
) -> Result<i64> {
    let stamp = now();
    Ok(sqlx::query_scalar(
        "INSERT INTO sessions (user_id, script_id, context, created_at, updated_at) VALUES ($1, $2, $3, $4, $5) \
         RETURNING session_id",
    )
    .bind(user_id)
    .bind(script_id)
    .bind(context)
    .bind(&stamp)
    .bind(&stamp)
    .fetch_one(&mut *conn)
    .await?)
}

#[instrument(skip(db), err)]
pub async fn get_session(db: &Database, session_id: i64) -> Result<Session> {
    let mut conn = db.pool().acquire().await?;
    fetch_session(&mut conn, session_id).await
}

/// Sessions, newest first; only those of one script when `script_id` is given.
#[instrument(skip(db), err)]
pub async fn list_sessions(db: &Database, script_id: Option<i64>) -> Result<Vec<Session>> {
    let sessions = match script_id {
        Some(script) => {
            sqlx::query_as("SELECT * FROM sessions WHERE script_id = $1 ORDER BY session_id DESC")
                .bind(script)
                .fetch_all(db.pool())
                .await?
        }
        None => {
            sqlx::query_as("SELECT * FROM sessions ORDER BY session_id DESC")
                .fetch_all(db.pool())
                .await?
        }
    };
    Ok(sessions)
}

#[instrument(skip(db, update), err)]
pub async fn update_session(
    db: &Database,
    session_id: i64,
    update: SessionUpdate,
) -> Result<Session> {
    let mut tx = writing(db, session_id).await?;
    let current = fetch_session(&mut tx, session_id).await?;
    sqlx::query(
        "UPDATE sessions SET user_id = $1, context = $2, updated_at = $3 WHERE session_id = $4",
    )
    .bind(update.user_id.unwrap_or(current.user_id))
    .bind(update.context.as_deref().unwrap_or(&current.context))
    .bind(now())
    .bind(session_id)
    .execute(&mut *tx)
    .await?;
    let session = fetch_session(&mut tx, session_id).await?;
    tx.commit().await?;
    Ok(session)
}

#[instrument(skip(db), err)]
pub async fn delete_session(db: &Database, session_id: i64) -> Result<()> {
    let mut tx = writing(db, session_id).await?;
    fetch_session(&mut tx, session_id).await?;
    sqlx::query("DELETE FROM sessions WHERE session_id = $1")
        .bind(session_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// All contexts of a session (ordered by section, then character).
pub async fn fetch_contexts(conn: &mut AnyConnection, session_id: i64) -> Result<Vec<Context>> {
    let rows = sqlx::query(
        "SELECT c.context_id, c.heading_id, c.character_id, c.element_id, e.key, e.value \
         FROM contexts c LEFT JOIN context_entries e USING (context_id) \
         WHERE c.session_id = $1 ORDER BY c.context_id, e.key",
    )
    .bind(session_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut contexts: Vec<Context> = Vec::new();
    for row in rows {
        let context_id: i64 = row.try_get("context_id")?;
        if contexts.last().map(|c| c.context_id) != Some(context_id) {
            contexts.push(Context {
                context_id,
                session_id,
                heading_id: row.try_get("heading_id")?,
                character_id: row.try_get("character_id")?,
                element_id: row.try_get("element_id")?,
                data: Arc::default(),
            });
        }
        let key: Option<String> = row.try_get("key")?;
        let value: Option<String> = row.try_get("value")?;
        if let (Some(key), Some(value), Some(context)) = (key, value, contexts.last_mut()) {
            Arc::make_mut(&mut context.data).insert(key, value);
        }
    }
    Ok(contexts)
}

/// getContext: the session with every context it holds.
#[instrument(skip(db), err)]
pub async fn get_context(db: &Database, session_id: i64) -> Result<SessionContext> {
    let mut conn = db.pool().acquire().await?;
    let session = fetch_session(&mut conn, session_id).await?;
    let contexts = fetch_contexts(&mut conn, session_id).await?;
    Ok(SessionContext { session, contexts })
}

/// Checks that what a context is attached to belongs to the session's script, binding an
/// unbound session to that script.
async fn check_target(
    conn: &mut AnyConnection,
    session: &Session,
    target: ContextTarget,
) -> Result<()> {
    if target == ContextTarget::default() {
        return Err(Error::invalid(
            "a context needs a section, a character or an element",
        ));
    }
    if target.element_id.is_some() && (target.heading_id.is_some() || target.character_id.is_some())
    {
        return Err(Error::invalid(
            "an element's context stands alone: give the element without a section or character",
        ));
    }
    let mut script = session.script_id;
    if let Some(heading) = target.heading_id {
        let section = scripts::fetch_section(conn, heading).await?;
        if script.is_some_and(|s| s != section.script_id) {
            return Err(Error::invalid(format!(
                "section {heading} belongs to another script than session {}",
                session.session_id
            )));
        }
        script = Some(section.script_id);
    }
    if let Some(character) = target.character_id {
        let owner = crate::characters::fetch_character(conn, character)
            .await?
            .script_id;
        if script.is_some_and(|s| s != owner) {
            return Err(Error::invalid(format!(
                "character {character} belongs to another script"
            )));
        }
        script = Some(owner);
    }
    if let Some(element) = target.element_id {
        let heading = scripts::fetch_element(conn, element).await?.heading_id;
        let owner = scripts::fetch_section(conn, heading).await?.script_id;
        if script.is_some_and(|s| s != owner) {
            return Err(Error::invalid(format!(
                "element {element} belongs to another script"
            )));
        }
        script = Some(owner);
    }
    if session.script_id.is_none() {
        sqlx::query("UPDATE sessions SET script_id = $1 WHERE session_id = $2")
            .bind(script)
            .bind(session.session_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Writes a context's entries back as they were (undo, restore), keys already checked.
pub(crate) async fn insert_entries(
    conn: &mut AnyConnection,
    context_id: i64,
    data: &BTreeMap<String, String>,
) -> Result<()> {
    for (key, value) in data {
        sqlx::query("INSERT INTO context_entries (context_id, key, value) VALUES ($1, $2, $3)")
            .bind(context_id)
            .bind(key)
            .bind(value)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

fn check_key(key: &str) -> Result<()> {
    crate::scripts::typed("context key", key)?;
    if key.trim().is_empty() {
        return Err(Error::invalid("a context key must not be empty"));
    }
    Ok(())
}

async fn find_or_create_context(
    conn: &mut AnyConnection,
    session_id: i64,
    target: ContextTarget,
) -> Result<i64> {
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT context_id FROM contexts WHERE session_id = $1 \
         AND COALESCE(heading_id, 0) = COALESCE($2, 0) AND COALESCE(character_id, 0) = COALESCE($3, 0) \
         AND COALESCE(element_id, 0) = COALESCE($4, 0)",
    )
    .bind(session_id)
    .bind(target.heading_id)
    .bind(target.character_id)
    .bind(target.element_id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = existing {
        return Ok(id);
    }
    Ok(sqlx::query_scalar(
        "INSERT INTO contexts (session_id, heading_id, character_id, element_id) VALUES ($1, $2, $3, $4) \
         RETURNING context_id",
    )
    .bind(session_id)
    .bind(target.heading_id)
    .bind(target.character_id)
    .bind(target.element_id)
    .fetch_one(&mut *conn)
    .await?)
}

/// Sets keys on the context of one target, creating it if needed; keys not named keep their
/// values. Keys in `unset` are removed.
#[instrument(skip(db, data, unset), err)]
pub async fn set_context(
    db: &Database,
    session_id: i64,
    target: ContextTarget,
    data: &BTreeMap<String, String>,
    unset: &[String],
) -> Result<Context> {
    let mut tx = writing(db, session_id).await?;
    let context = write_context(&mut tx, session_id, target, data, unset).await?;
    tx.commit().await?;
    Ok(context)
}

pub(crate) async fn write_context(
    conn: &mut AnyConnection,
    session_id: i64,
    target: ContextTarget,
    data: &BTreeMap<String, String>,
    unset: &[String],
) -> Result<Context> {
    let context_id = store_context(conn, session_id, target, data, unset).await?;
    fetch_contexts(conn, session_id)
        .await?
        .into_iter()
        .find(|c| c.context_id == context_id)
        .ok_or_else(|| Error::not_found("Context not found."))
}

/// [`write_context`] without reading the context back: a document's load writes thousands,
/// and reading the session's contexts after each made it quadratic. The context's id.
pub(crate) async fn store_context(
    conn: &mut AnyConnection,
    session_id: i64,
    target: ContextTarget,
    data: &BTreeMap<String, String>,
    unset: &[String],
) -> Result<i64> {
    if data.is_empty() && unset.is_empty() {
        return Err(Error::invalid("give at least one key=value to set"));
    }
    data.keys().chain(unset).try_for_each(|k| check_key(k))?;
    data.values()
        .try_for_each(|v| crate::scripts::typed("context value", v))?;
    let session = fetch_session(conn, session_id).await?;
    check_target(conn, &session, target).await?;
    let context_id = find_or_create_context(conn, session_id, target).await?;
    for (key, value) in data {
        sqlx::query(
            "INSERT INTO context_entries (context_id, key, value) VALUES ($1, $2, $3) \
             ON CONFLICT (context_id, key) DO UPDATE SET value = excluded.value",
        )
        .bind(context_id)
        .bind(key.trim())
        .bind(value)
        .execute(&mut *conn)
        .await?;
    }
    for key in unset {
        sqlx::query("DELETE FROM context_entries WHERE context_id = $1 AND key = $2")
            .bind(context_id)
            .bind(key.trim())
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("UPDATE sessions SET updated_at = $1 WHERE session_id = $2")
        .bind(now())
        .bind(session_id)
        .execute(&mut *conn)
        .await?;
    Ok(context_id)
}

/// A target's whole context, as [`put_contexts`] puts it back.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContextValues {
    pub target: ContextTarget,
    /// Every key the context is to hold; none removes the context.
    pub data: BTreeMap<String, String>,
}

/// Puts each target's context back to exactly its `data` (empty removes it), all in one
/// transaction: how undo takes back a change that touched many scenes at once (accepting every
/// suggested mood).
#[instrument(skip(db, contexts), err)]
pub async fn put_contexts(
    db: &Database,
    session_id: i64,
    contexts: &[ContextValues],
) -> Result<SessionContext> {
    let mut tx = writing(db, session_id).await?;
    let session = fetch_session(&mut tx, session_id).await?;
    let existing = fetch_contexts(&mut tx, session_id).await?;
    for put in contexts {
        let current = existing.iter().find(|c| c.target() == put.target);
        if put.data.is_empty() {
            if let Some(c) = current {
                sqlx::query("DELETE FROM contexts WHERE context_id = $1")
                    .bind(c.context_id)
                    .execute(&mut *tx)
                    .await?;
            }
            continue;
        }
        let unset: Vec<String> = current
            .map(|c| c.data.keys().filter(|k| !put.data.contains_key(*k)))
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        store_context(&mut tx, session_id, put.target, &put.data, &unset).await?;
    }
    let contexts = fetch_contexts(&mut tx, session_id).await?;
    tx.commit().await?;
    Ok(SessionContext { session, contexts })
}

#[instrument(skip(db), err)]
pub async fn delete_context(db: &Database, context_id: i64) -> Result<()> {
    let mut tx = scripts::writing(db, ScriptOf::Context(context_id)).await?;
    let deleted = sqlx::query("DELETE FROM contexts WHERE context_id = $1")
        .bind(context_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if deleted == 0 {
        return Err(Error::not_found(format!("Context {context_id} not found.")));
    }
    tx.commit().await?;
    Ok(())
}
