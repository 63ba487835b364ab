//! Deleting a session so that it can come back, and putting contexts back under their ids:
//! what undo in the app and the other services' removals share.

use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use tracing::instrument;

use super::{fetch_contexts, fetch_session, Context, Session};
use crate::db::Database;
use crate::error::{Error, Result};
use crate::scripts;

/// A deleted session with all its contexts.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemovedSession {
    pub session: Session,
    pub contexts: Vec<Context>,
}

/// What a set of contexts is on.
pub(crate) enum On {
    Element(i64),
    Character(i64),
}

/// The contexts of every session set on one element or character.
pub(crate) async fn contexts_on(conn: &mut AnyConnection, on: On) -> Result<Vec<Context>> {
    let (column, id) = match on {
        On::Element(id) => ("element_id", id),
        On::Character(id) => ("character_id", id),
    };
    let sessions: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT DISTINCT session_id FROM contexts WHERE {column} = $1 ORDER BY session_id"
    ))
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for session in sessions {
        let all = fetch_contexts(conn, session).await?;
        out.extend(all.into_iter().filter(|c| match on {
            On::Element(id) => c.element_id == Some(id),
            On::Character(id) => c.character_id == Some(id),
        }));
    }
    Ok(out)
}

/// A context back under its id with all its keys. A session deleted since took its contexts
/// with it, so theirs are skipped.
pub(crate) async fn put_back_context(conn: &mut AnyConnection, c: &Context) -> Result<()> {
    if fetch_session(conn, c.session_id).await.is_err() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO contexts (context_id, session_id, heading_id, character_id, element_id) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(c.context_id)
    .bind(c.session_id)
    .bind(c.heading_id)
    .bind(c.character_id)
    .bind(c.element_id)
    .execute(&mut *conn)
    .await?;
    super::insert_entries(conn, c.context_id, &c.data).await
}

/// Deletes a session like `delete_session` and returns it with its contexts, for
/// [`restore_session`].
#[instrument(skip(db), err)]
pub async fn remove_session(db: &Database, session_id: i64) -> Result<RemovedSession> {
    let mut tx = scripts::writing(db, scripts::ScriptOf::Session(session_id)).await?;
    let session = fetch_session(&mut tx, session_id).await?;
    let contexts = fetch_contexts(&mut tx, session_id).await?;
    sqlx::query("DELETE FROM sessions WHERE session_id = $1")
        .bind(session_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(RemovedSession { session, contexts })
}

/// Puts a removed session back under its id with every context whose section, character or
/// element still exists; all or nothing.
#[instrument(skip_all, err)]
pub async fn restore_session(db: &Database, removed: &RemovedSession) -> Result<Session> {
    let s = &removed.session;
    let mut tx = super::on_script(db, s.script_id).await?;
    if fetch_session(&mut tx, s.session_id).await.is_ok() {
        return Err(Error::conflict(format!(
            "Session {} exists already.",
            s.session_id
        )));
    }
    if let Some(script) = s.script_id {
        scripts::fetch_script(&mut tx, script).await?;
    }
    sqlx::query(
        "INSERT INTO sessions (session_id, user_id, script_id, context, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(s.session_id)
    .bind(s.user_id)
    .bind(s.script_id)
    .bind(&s.context)
    .bind(&s.created_at)
    .bind(&s.updated_at)
    .execute(&mut *tx)
    .await?;
    for c in &removed.contexts {
        if target_exists(&mut tx, c).await? {
            put_back_context(&mut tx, c).await?;
        }
    }
    let session = fetch_session(&mut tx, s.session_id).await?;
    tx.commit().await?;
    Ok(session)
}

/// Whether what a context is on is still there (deleted since: the context stays gone).
async fn target_exists(conn: &mut AnyConnection, c: &Context) -> Result<bool> {
    let checks = [
        ("section_headings", "heading_id", c.heading_id),
        ("characters", "character_id", c.character_id),
        ("elements", "element_id", c.element_id),
    ];
    for (table, column, id) in checks {
        let Some(id) = id else { continue };
        let found: Option<i64> =
            sqlx::query_scalar(&format!("SELECT {column} FROM {table} WHERE {column} = $1"))
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
        if found.is_none() {
            return Ok(false);
        }
    }
    Ok(true)
}
