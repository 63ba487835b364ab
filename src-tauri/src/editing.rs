//! The editor's commands beyond the sync: the text with its revision, the merge after a
//! conflict, the crash drafts, and the deletions that undo whole. One line each over the core.

use fountainai::characters::{self, Character, RemovedCharacter};
use fountainai::drafts::{self, Draft};
use fountainai::screenplay::{self, EditorSave, EditorText, MergeSummary};
use fountainai::scripts::{self, Element, RemovedElement};
use fountainai::sessions::{self, RemovedSession, Session};
use fountainai::{Database, Result};
use tauri::State;

type Db<'a> = State<'a, Database>;

#[tauri::command]
pub async fn screenplay_editor_text(db: Db<'_>, script_id: i64) -> Result<EditorText> {
    screenplay::editor_text(&db, script_id).await
}

#[tauri::command]
pub async fn screenplay_merge(
    db: Db<'_>,
    script_id: i64,
    base: String,
    text: String,
) -> Result<MergeSummary> {
    screenplay::merge_text(&db, script_id, &base, &text).await
}

#[tauri::command]
pub async fn screenplay_save(db: Db<'_>, script_id: i64, save: EditorSave) -> Result<MergeSummary> {
    screenplay::save_text(&db, script_id, &save).await
}

#[tauri::command]
pub async fn draft_save(
    db: Db<'_>,
    script_id: i64,
    text: String,
    base_text: String,
    base_revision: i64,
) -> Result<Draft> {
    drafts::save_draft(&db, script_id, &text, &base_text, base_revision).await
}

#[tauri::command]
pub async fn draft_get(db: Db<'_>, script_id: i64) -> Result<Option<Draft>> {
    drafts::get_draft(&db, script_id).await
}

#[tauri::command]
pub async fn draft_clear(db: Db<'_>, script_id: i64) -> Result<()> {
    drafts::clear_draft(&db, script_id).await
}

#[tauri::command]
pub async fn element_remove(db: Db<'_>, element_id: i64) -> Result<RemovedElement> {
    scripts::remove_element_whole(&db, element_id).await
}

#[tauri::command]
pub async fn element_restore(db: Db<'_>, removed: RemovedElement) -> Result<Element> {
    scripts::restore_element(&db, &removed).await
}

#[tauri::command]
pub async fn character_remove(db: Db<'_>, character_id: i64) -> Result<RemovedCharacter> {
    characters::remove_character(&db, character_id).await
}

#[tauri::command]
pub async fn character_restore(db: Db<'_>, removed: RemovedCharacter) -> Result<Character> {
    characters::restore_character(&db, &removed).await
}

#[tauri::command]
pub async fn session_remove(db: Db<'_>, session_id: i64) -> Result<RemovedSession> {
    sessions::remove_session(&db, session_id).await
}

#[tauri::command]
pub async fn session_restore(db: Db<'_>, removed: RemovedSession) -> Result<Session> {
    sessions::restore_session(&db, &removed).await
}
