//! What the app remembers between runs: small JSON values by key (the last open script, the
//! active session of each script, …).

use serde_json::Value;
use tracing::instrument;

use crate::db::Database;
use crate::error::{Error, Result};

fn check_key(key: &str) -> Result<()> {
    if key.trim().is_empty() || key.len() > 200 {
        return Err(Error::invalid(
            "a setting needs a key of 1 to 200 characters",
        ));
    }
    Ok(())
}

/// The value stored under `key`, or JSON `null`.
#[instrument(skip(db), err)]
pub async fn get_setting(db: &Database, key: &str) -> Result<Value> {
    check_key(key)?;
    let text: Option<String> =
        sqlx::query_scalar("SELECT CAST(value AS TEXT) FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(db.pool())
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
        sqlx::query("DELETE FROM settings WHERE key = $1")
            .bind(key)
            .execute(&mut *tx)
            .await?;
    } else {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, CAST($2 AS json_text)) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(serde_json::to_string(value)?)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(value.clone())
}
