//! The editor's unsaved text, kept within a second of typing so that a crash loses nothing:
//! one draft per script in the settings table, offered back when the editor opens the script
//! again, and cleared once the text is saved (or the writer declines it).

use serde::{Deserialize, Serialize};
use tracing::instrument;

use crate::db::{now, Database};
use crate::error::{Error, Result};
use crate::scripts;
use crate::settings;

/// Text the editor held but had not saved, with what it was written from (for the merge, when
/// the script changed since).
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    pub script_id: i64,
    pub text: String,
    /// The text the editor had loaded or last saved.
    pub base_text: String,
    /// The script's revision `base_text` belongs to.
    pub base_revision: i64,
    /// When the draft was kept (UTC, RFC 3339).
    pub updated_at: String,
}

fn key(script_id: i64) -> String {
    format!("draft.script-{script_id}")
}

/// Keeps the editor's unsaved `text` for the script, replacing the draft kept before.
#[instrument(skip(db, text, base_text), err)]
pub async fn save_draft(
    db: &Database,
    script_id: i64,
    text: &str,
    base_text: &str,
    base_revision: i64,
) -> Result<Draft> {
    if text.contains('\0') || base_text.contains('\0') {
        return Err(Error::invalid("a draft cannot hold a NUL character"));
    }
    scripts::get_script(db, script_id).await?;
    let draft = Draft {
        script_id,
        text: text.to_string(),
        base_text: base_text.to_string(),
        base_revision,
        updated_at: now(),
    };
    settings::set_setting(db, &key(script_id), &serde_json::to_value(&draft)?).await?;
    Ok(draft)
}

/// The draft kept for the script, if any.
#[instrument(skip(db), err)]
pub async fn get_draft(db: &Database, script_id: i64) -> Result<Option<Draft>> {
    let value = settings::get_setting(db, &key(script_id)).await?;
    if value.is_null() {
        return Ok(None);
    }
    serde_json::from_value(value).map(Some).map_err(|e| {
        Error::Database(format!(
            "the draft of script {script_id} is unreadable: {e}"
        ))
    })
}

/// Forgets the script's draft (saved, or declined).
#[instrument(skip(db), err)]
pub async fn clear_draft(db: &Database, script_id: i64) -> Result<()> {
    settings::set_setting(db, &key(script_id), &serde_json::Value::Null).await?;
    Ok(())
}
