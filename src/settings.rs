//! What the app remembers between runs: small JSON values by key (the last open script, the
//! active session of each script, …). In a writers' room each writer's own: on PostgreSQL a
//! setting belongs to the role that saved it, row-level security shows a role only its own,
//! and readers too may keep theirs.

use serde_json::Value;
use sqlx::AnyConnection;
use tracing::instrument;

use crate::db::{Database, Engine};
use crate::error::{Error, Result};

fn check_key(key: &str) -> Result<()> {
    if key.trim().is_empty() || key.len() > 200 {
        return Err(Error::invalid(
            "a setting needs a key of 1 to 200 characters",
        ));
    }
    Ok(())
}

/// The rows of key `$1` that are the user's. Row-level security filters every role but a
/// superuser, who sees everyone's: the owner is named for them.
fn mine(conn: &AnyConnection) -> &'static str {
    match Engine::of(conn) {
        Engine::Sqlite => "key = $1",
        Engine::Postgres => "key = $1 AND owner = current_user",
    }
}

/// The value stored under `key`, or JSON `null`.
#[instrument(skip(db), err)]
pub async fn get_setting(db: &Database, key: &str) -> Result<Value> {
    check_key(key)?;
    let mut conn = db.pool().acquire().await?;
    let sql = format!(
        "SELECT CAST(value AS TEXT) FROM settings WHERE {}",
        mine(&conn)
    );
    let text: Option<String> = sqlx::query_scalar(&sql)
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?;
    match text {
        Some(text) => serde_json::from_str(&text)
            .map_err(|e| Error::Database(format!("setting {key:?} is unreadable: {e}"))),
        None => Ok(Value::Null),
    }
}

/// Stores `value` under `key`; `null` forgets the key.
#[instrument(skip(db, value), err)]
pub async fn set_setting(db: &Database, key: &str, value: &Value) -> Result<Value> {
    check_key(key)?;
    let mut tx = db.begin().await?;
    if value.is_null() {
        let sql = format!("DELETE FROM settings WHERE {}", mine(&tx));
        sqlx::query(&sql).bind(key).execute(&mut *tx).await?;
    } else {
        // A room's key is the writer's own: the row's owner comes from its default.
        let target = match Engine::of(&tx) {
            Engine::Sqlite => "key",
            Engine::Postgres => "owner, key",
        };
        let sql = format!(
            "INSERT INTO settings (key, value) VALUES ($1, CAST($2 AS json_text)) \
             ON CONFLICT ({target}) DO UPDATE SET value = excluded.value"
        );
        sqlx::query(&sql)
            .bind(key)
            .bind(serde_json::to_string(value)?)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(value.clone())
}
