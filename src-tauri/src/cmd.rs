//! The app's commands: each one line over the core function the CLI calls too. Errors cross
//! to the UI as the core's `{code, message}`.

use std::collections::BTreeMap;

use fountainai::characters::{
    self, Character, CharacterLines, CharacterUpdate, NewCharacter, Paraphrase, Promotion,
};
use fountainai::document::{self, LoadedScript};
use fountainai::music::moods::{self, Mood};
use fountainai::music::Score;
use fountainai::screenplay::pages::{Pages, Paper};
use fountainai::screenplay::{self, SyncSummary};
use fountainai::scripts::{
    self, Element, ElementUpdate, MoveElement, NewElement, NewScript, RemovedSection, Script,
    ScriptList, ScriptQuery, ScriptUpdate, SectionHeading, SectionOrder,
};
use fountainai::sequence::{
    self, ElementType, Placement, ReorderResult, SequenceNumber, Version, VersionDiff,
    VersionSummary,
};
use fountainai::sessions::{
    self, Context, ContextTarget, ContextValues, NewSession, Session, SessionContext, SessionUpdate,
};
use fountainai::story::orchestrate::{self, Preview, ScoreFiles};
use fountainai::story::{self, FullStory, StoryRequest, StorySequences, ValidationReport};
use fountainai::{examples, settings, Database, Error};
use serde_json::Value;
use tauri::{AppHandle, State};

use crate::orchestration;

type Db<'a> = State<'a, Database>;
type Result<T> = std::result::Result<T, Error>;

#[tauri::command]
pub async fn script_create(db: Db<'_>, new: NewScript) -> Result<Script> {
    scripts::create_script(&db, new).await
}

#[tauri::command]
pub async fn script_list(db: Db<'_>, query: ScriptQuery) -> Result<ScriptList> {
    scripts::list_scripts(&db, &query).await
}

#[tauri::command]
pub async fn script_get(db: Db<'_>, script_id: i64) -> Result<Script> {
    scripts::get_script(&db, script_id).await
}

#[tauri::command]
pub async fn script_update(db: Db<'_>, script_id: i64, update: ScriptUpdate) -> Result<Script> {
    scripts::update_script(&db, script_id, update).await
}

#[tauri::command]
pub async fn script_delete(db: Db<'_>, script_id: i64) -> Result<()> {
    scripts::delete_script(&db, script_id).await
}

#[tauri::command]
pub async fn section_add(db: Db<'_>, script_id: i64, title: String) -> Result<SectionHeading> {
    scripts::add_section(&db, script_id, &title).await
}

#[tauri::command]
pub async fn section_list(db: Db<'_>, script_id: i64) -> Result<Vec<SectionHeading>> {
    scripts::list_sections(&db, script_id).await
}

#[tauri::command]
pub async fn section_update(db: Db<'_>, heading_id: i64, title: String) -> Result<SectionHeading> {
    scripts::update_section(&db, heading_id, &title).await
}

#[tauri::command]
pub async fn section_delete(db: Db<'_>, heading_id: i64) -> Result<()> {
    scripts::delete_section(&db, heading_id).await
}

#[tauri::command]
pub async fn section_reorder(db: Db<'_>, script_id: i64, order: Vec<i64>) -> Result<SectionOrder> {
    scripts::reorder_sections(&db, script_id, &order).await
}

#[tauri::command]
pub async fn element_add(db: Db<'_>, heading_id: i64, element: NewElement) -> Result<Element> {
    scripts::add_element(&db, heading_id, element).await
}

#[tauri::command]
pub async fn element_list(db: Db<'_>, heading_id: i64) -> Result<Vec<Element>> {
    scripts::list_elements(&db, heading_id).await
}

#[tauri::command]
pub async fn element_update(db: Db<'_>, element_id: i64, update: ElementUpdate) -> Result<Element> {
    scripts::update_element(&db, element_id, update).await
}

#[tauri::command]
pub async fn element_delete(db: Db<'_>, element_id: i64) -> Result<()> {
    scripts::delete_element(&db, element_id).await
}

#[tauri::command]
pub async fn element_move(db: Db<'_>, element_id: i64, to: MoveElement) -> Result<Element> {
    scripts::move_element(&db, element_id, to).await
}

#[tauri::command]
pub async fn character_create(db: Db<'_>, script_id: i64, new: NewCharacter) -> Result<Character> {
    characters::create_character(&db, script_id, new).await
}

#[tauri::command]
pub async fn character_list(db: Db<'_>, script_id: i64) -> Result<Vec<Character>> {
    characters::list_characters(&db, script_id).await
}

#[tauri::command]
pub async fn character_update(
    db: Db<'_>,
    character_id: i64,
    update: CharacterUpdate,
) -> Result<Character> {
    characters::update_character(&db, character_id, update).await
}

#[tauri::command]
pub async fn character_delete(db: Db<'_>, character_id: i64) -> Result<()> {
    characters::delete_character(&db, character_id).await
}

#[tauri::command]
pub async fn character_lines(db: Db<'_>, character_id: i64) -> Result<CharacterLines> {
    characters::character_lines(&db, character_id).await
}

#[tauri::command]
pub async fn paraphrase_add(
    db: Db<'_>,
    original_type: ElementType,
    original_id: i64,
    text: String,
    commentary: String,
) -> Result<Paraphrase> {
    characters::add_paraphrase(&db, original_type, original_id, &text, &commentary).await
}

#[tauri::command]
pub async fn paraphrase_list(
    db: Db<'_>,
    original_type: ElementType,
    original_id: i64,
) -> Result<Vec<Paraphrase>> {
    characters::list_paraphrases(&db, original_type, original_id).await
}

#[tauri::command]
pub async fn paraphrase_promote(db: Db<'_>, paraphrase_id: i64) -> Result<Promotion> {
    characters::promote_paraphrase(&db, paraphrase_id).await
}

#[tauri::command]
pub async fn paraphrase_delete(db: Db<'_>, paraphrase_id: i64) -> Result<()> {
    characters::delete_paraphrase(&db, paraphrase_id).await
}

#[tauri::command]
pub async fn session_create(db: Db<'_>, new: NewSession) -> Result<Session> {
    sessions::create_session(&db, new).await
}

#[tauri::command]
pub async fn session_list(db: Db<'_>, script_id: Option<i64>) -> Result<Vec<Session>> {
    sessions::list_sessions(&db, script_id).await
}

#[tauri::command]
pub async fn session_update(db: Db<'_>, session_id: i64, update: SessionUpdate) -> Result<Session> {
    sessions::update_session(&db, session_id, update).await
}

#[tauri::command]
pub async fn session_delete(db: Db<'_>, session_id: i64) -> Result<()> {
    sessions::delete_session(&db, session_id).await
}

#[tauri::command]
pub async fn context_get(db: Db<'_>, session_id: i64) -> Result<SessionContext> {
    sessions::get_context(&db, session_id).await
}

#[tauri::command]
pub async fn context_set(
    db: Db<'_>,
    session_id: i64,
    target: ContextTarget,
    data: BTreeMap<String, String>,
    unset: Vec<String>,
) -> Result<Context> {
    sessions::set_context(&db, session_id, target, &data, &unset).await
}

#[tauri::command]
pub async fn context_put(
    db: Db<'_>,
    session_id: i64,
    contexts: Vec<ContextValues>,
) -> Result<SessionContext> {
    sessions::put_contexts(&db, session_id, &contexts).await
}

#[tauri::command]
pub async fn context_delete(db: Db<'_>, context_id: i64) -> Result<()> {
    sessions::delete_context(&db, context_id).await
}

#[tauri::command]
pub async fn sequence_generate(
    db: Db<'_>,
    element_type: ElementType,
    element_id: i64,
) -> Result<SequenceNumber> {
    sequence::generate_sequence_number(&db, element_type, element_id).await
}

#[tauri::command]
pub async fn sequence_reorder(
    db: Db<'_>,
    element_type: ElementType,
    scope: Option<i64>,
    placements: Vec<Placement>,
) -> Result<ReorderResult> {
    sequence::reorder_elements(&db, element_type, scope, &placements).await
}

#[tauri::command]
pub async fn version_create(
    db: Db<'_>,
    element_type: ElementType,
    element_id: i64,
    comment: String,
) -> Result<Version> {
    sequence::create_version(&db, element_type, element_id, &comment).await
}

#[tauri::command]
pub async fn version_list(
    db: Db<'_>,
    element_type: ElementType,
    element_id: i64,
) -> Result<Vec<VersionSummary>> {
    sequence::list_versions(&db, element_type, element_id).await
}

#[tauri::command]
pub async fn version_get(
    db: Db<'_>,
    element_type: ElementType,
    element_id: i64,
    version: i64,
) -> Result<Version> {
    sequence::get_version(&db, element_type, element_id, version).await
}

#[tauri::command]
pub async fn version_diff(
    db: Db<'_>,
    element_type: ElementType,
    element_id: i64,
    from: i64,
    to: i64,
) -> Result<VersionDiff> {
    sequence::diff_versions(&db, element_type, element_id, from, to).await
}

#[tauri::command]
pub async fn version_restore(
    db: Db<'_>,
    element_type: ElementType,
    element_id: i64,
    version: i64,
) -> Result<Version> {
    sequence::restore_version(&db, element_type, element_id, version).await
}

#[tauri::command]
pub async fn story_full(db: Db<'_>, request: StoryRequest) -> Result<FullStory> {
    story::get_full_story(&db, &request).await
}

#[tauri::command]
pub async fn story_sequences(
    db: Db<'_>,
    script_id: i64,
    start: i64,
    end: i64,
    session_id: Option<i64>,
) -> Result<StorySequences> {
    story::get_story_sequences(&db, script_id, start, end, session_id).await
}

#[tauri::command]
pub async fn story_validate(db: Db<'_>, script_id: i64) -> Result<ValidationReport> {
    story::validate_story(&db, script_id).await
}

#[tauri::command]
pub async fn example_load(db: Db<'_>, name: String) -> Result<LoadedScript> {
    document::load_document(&db, &examples::by_name(&name)?).await
}

#[tauri::command]
pub async fn setting_get(db: Db<'_>, key: String) -> Result<Value> {
    settings::get_setting(&db, &key).await
}

#[tauri::command]
pub async fn setting_set(db: Db<'_>, key: String, value: Value) -> Result<Value> {
    settings::set_setting(&db, &key, &value).await
}

/// When the process started, to measure the time to the first painted screen.
pub struct Started(pub std::time::Instant);

/// Called by the UI once its first screen is painted; the first call reports the cold-start
/// time on standard output (read by `scripts/measure-app.sh`) and in the log.
#[tauri::command]
pub fn app_ready(started: State<'_, Started>) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let ms = started.0.elapsed().as_millis();
        tracing::info!(ms, "first paint");
        println!("FOUNTAINAI_READY_MS={ms}");
    });
}

// ---- music ---------------------------------------------------------------------------------

#[tauri::command]
pub fn music_moods() -> Vec<Mood> {
    moods::MOODS.to_vec()
}

#[tauri::command]
pub async fn music_score(db: Db<'_>, script_id: i64, session_id: Option<i64>) -> Result<Score> {
    orchestrate::score(&db, script_id, session_id).await
}

#[tauri::command]
pub async fn music_orchestrate(
    app: AppHandle,
    db: Db<'_>,
    script_id: i64,
    session_id: Option<i64>,
    render: bool,
) -> Result<ScoreFiles> {
    orchestration::run(app, db.inner().clone(), script_id, session_id, render).await
}

#[tauri::command]
pub async fn music_render_audio(
    db: Db<'_>,
    script_id: i64,
    session_id: Option<i64>,
) -> Result<Preview> {
    orchestration::preview(&db, script_id, session_id).await
}

#[tauri::command]
pub async fn music_sheet_png(path: std::path::PathBuf) -> Result<String> {
    orchestration::sheet_png(&orchestrate::root()?, &path)
}

// ---- ui branch: scenes that undo whole, screenplays in and out ---------------------------

#[tauri::command]
pub async fn section_remove(db: Db<'_>, heading_id: i64) -> Result<RemovedSection> {
    scripts::remove_section(&db, heading_id).await
}

#[tauri::command]
pub async fn section_restore(db: Db<'_>, removed: RemovedSection) -> Result<SectionHeading> {
    scripts::restore_section(&db, &removed).await
}

#[tauri::command]
pub async fn screenplay_fountain_text(db: Db<'_>, script_id: i64) -> Result<String> {
    screenplay::fountain_text(&db, script_id).await
}

#[tauri::command]
pub async fn screenplay_pages(db: Db<'_>, script_id: i64, paper: Option<Paper>) -> Result<Pages> {
    screenplay::pages(&db, script_id, paper.unwrap_or_default()).await
}

#[tauri::command]
pub async fn screenplay_sync(
    db: Db<'_>,
    script_id: i64,
    text: String,
    base_revision: Option<i64>,
) -> Result<SyncSummary> {
    screenplay::sync_from(&db, script_id, &text, base_revision).await
}

// ---- moods suggested from the text, reports --------------------------------------------------

#[tauri::command]
pub async fn moods_suggest(
    db: Db<'_>,
    script_id: i64,
    session_id: Option<i64>,
) -> Result<story::moods::SceneMoods> {
    story::moods::suggest(&db, script_id, session_id).await
}

#[tauri::command]
pub async fn moods_list(db: Db<'_>, session_id: i64) -> Result<story::moods::SceneMoods> {
    story::moods::list(&db, session_id).await
}

#[tauri::command]
pub async fn moods_review(
    db: Db<'_>,
    review: story::moods::MoodReview,
) -> Result<story::moods::SceneMoods> {
    story::moods::review(&db, &review).await
}

#[tauri::command]
pub async fn report_get(
    db: Db<'_>,
    script_id: i64,
    session_id: Option<i64>,
) -> Result<story::report::Report> {
    story::report::report(&db, script_id, session_id).await
}

#[tauri::command]
pub async fn report_csv(
    db: Db<'_>,
    script_id: i64,
    session_id: Option<i64>,
    table: story::report::ReportTable,
) -> Result<String> {
    story::report::csv_of(&db, script_id, session_id, table).await
}
