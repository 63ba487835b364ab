//! Story Factory: assembles a script, its characters and a session's contexts into the
//! FullStory, in the order the Central Sequence keeps, and checks that order; orchestrates
//! the story's score (`orchestrate.rs`).

pub mod moods;
pub mod orchestrate;
pub mod play;
pub mod report;
mod validate;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use tracing::instrument;

use crate::db::{Database, Engine};
use crate::error::{Error, Result};
use crate::scripts::{self, ElementKind};
use crate::sessions::{self, Context, ContextTarget};

pub use validate::{validate_story, Severity, ValidationIssue, ValidationReport};

#[derive(ts_rs::TS)]
#[ts(optional_fields = nullable)]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoryRequest {
    pub script_id: i64,
    pub session_id: Option<i64>,
    /// Only the story items of this character.
    pub filter_by_character: Option<i64>,
    /// Only the story items whose context has this key with this value.
    pub filter_by_context: Option<(String, String)>,
}

#[derive(ts_rs::TS, Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FullStory {
    pub script_id: i64,
    pub title: String,
    pub author: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub session_id: Option<i64>,
    pub sections: Vec<StorySection>,
    pub story: Vec<StoryItem>,
    pub orchestration: Orchestration,
}

#[derive(ts_rs::TS, Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StorySection {
    pub heading_id: i64,
    pub script_id: i64,
    pub title: String,
    pub sequence: i64,
    /// The section-wide context under the session, if any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub context: Option<StoryContext>,
}

/// One element of the story. `sequence` runs 1..n over the whole script, so a filtered story
/// keeps each item's true place.
#[derive(ts_rs::TS, Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoryItem {
    pub sequence: i64,
    pub heading_id: i64,
    pub element_id: i64,
    pub element_type: ElementKind,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub character: Option<StoryCharacter>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub action: Option<StoryAction>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub spoken_word: Option<StorySpokenWord>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub context: Option<StoryContext>,
}

#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoryCharacter {
    pub character_id: i64,
    pub name: String,
    pub description: String,
}

#[derive(ts_rs::TS, Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoryAction {
    pub action_id: i64,
    pub description: String,
}

#[derive(ts_rs::TS, Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StorySpokenWord {
    pub dialogue_id: i64,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub parenthetical: Option<String>,
}

/// The context that applies to an item: the section's, overlaid with the character's
/// session-wide context, then the character's context in that section, then the item's own.
/// `contextId` names the most specific context that contributed.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoryContext {
    pub context_id: i64,
    /// Shared: every item of a scene usually carries the same context.
    pub data: Arc<BTreeMap<String, String>>,
}

/// Where the orchestration files are; empty until a score has been generated.
#[derive(ts_rs::TS)]
#[ts(rename = "StoryOrchestration")]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Orchestration {
    pub csound_file_path: String,
    pub lily_pond_file_path: String,
    pub midi_file_path: String,
}

impl Orchestration {
    /// The files `orchestrate` wrote for this script and session in the data directory; a path
    /// stays empty until its file exists.
    fn generated(script_id: i64, session_id: Option<i64>) -> Self {
        let Ok(dir) = orchestrate::default_dir(script_id, session_id) else {
            return Orchestration::default();
        };
        let path = |name: &str| {
            let file = dir.join(name);
            if file.is_file() {
                file.display().to_string()
            } else {
                String::new()
            }
        };
        use orchestrate::{CSOUND_FILE, LILYPOND_FILE, MIDI_FILE};
        Orchestration {
            csound_file_path: path(CSOUND_FILE),
            lily_pond_file_path: path(LILYPOND_FILE),
            midi_file_path: path(MIDI_FILE),
        }
    }
}

#[derive(ts_rs::TS, Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StorySequences {
    pub script_id: i64,
    pub sequences: Vec<StoryItem>,
}

/// Contexts of a session indexed by what they are attached to.
#[derive(Default)]
struct ContextIndex {
    by_target: HashMap<ContextTarget, Context>,
    // Most sessions only set scene contexts; knowing that skips three lookups per item.
    any_character: bool,
    any_element: bool,
}

impl ContextIndex {
    fn new(contexts: Vec<Context>) -> Self {
        ContextIndex {
            any_character: contexts.iter().any(|c| c.character_id.is_some()),
            any_element: contexts.iter().any(|c| c.element_id.is_some()),
            by_target: contexts.into_iter().map(|c| (c.target(), c)).collect(),
        }
    }

    fn resolve(
        &self,
        heading: i64,
        character: Option<i64>,
        element: Option<i64>,
    ) -> Option<StoryContext> {
        if self.by_target.is_empty() {
            return None;
        }
        let character = character.filter(|_| self.any_character);
        let element = element.filter(|_| self.any_element);
        let target = |heading_id, character_id, element_id| ContextTarget {
            heading_id,
            character_id,
            element_id,
        };
        let layers = [
            Some(target(Some(heading), None, None)),
            character.map(|c| target(None, Some(c), None)),
            character.map(|c| target(Some(heading), Some(c), None)),
            element.map(|e| target(None, None, Some(e))),
        ];
        let found: Vec<&Context> = layers
            .into_iter()
            .flatten()
            .filter_map(|key| self.by_target.get(&key))
            .collect();
        match found.as_slice() {
            [] => None,
            [only] => Some(StoryContext {
                context_id: only.context_id,
                data: only.data.clone(),
            }),
            [.., last] => {
                let mut data = BTreeMap::new();
                for context in &found {
                    data.extend(context.data.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
                Some(StoryContext {
                    context_id: last.context_id,
                    data: Arc::new(data),
                })
            }
        }
    }
}

async fn context_index(
    conn: &mut AnyConnection,
    script_id: i64,
    session_id: Option<i64>,
) -> Result<ContextIndex> {
    let Some(session_id) = session_id else {
        return Ok(ContextIndex::default());
    };
    let session = sessions::fetch_session(conn, session_id).await?;
    if session.script_id.is_some_and(|s| s != script_id) {
        return Err(Error::invalid(format!(
            "session {session_id} interprets another script"
        )));
    }
    let contexts = sessions::fetch_contexts(conn, session_id).await?;
    Ok(ContextIndex::new(contexts))
}

/// The rows `sql` selects for one script, its only parameter.
async fn script_rows(conn: &mut AnyConnection, sql: &str, script_id: i64) -> Result<Vec<AnyRow>> {
    Ok(sqlx::query(sql)
        .bind(script_id)
        .fetch_all(&mut *conn)
        .await?)
}

async fn story_characters(
    conn: &mut AnyConnection,
    script_id: i64,
) -> Result<HashMap<i64, StoryCharacter>> {
    let rows = script_rows(
        conn,
        "SELECT character_id, name, description FROM characters WHERE script_id = $1",
        script_id,
    )
    .await?;
    rows.iter()
        .map(|r| {
            let id: i64 = r.try_get("character_id")?;
            Ok((
                id,
                StoryCharacter {
                    character_id: id,
                    name: r.try_get("name")?,
                    description: r.try_get("description")?,
                },
            ))
        })
        .collect()
}

/// One element as SQLite's `json_array` lists it (serde reads a struct from an array in
/// field order).
#[derive(Deserialize)]
struct ElementRow {
    element_id: i64,
    heading_id: i64,
    kind: String,
    text: String,
    character_id: Option<i64>,
    parenthetical: Option<String>,
    sequence_number: Option<i64>,
}

const ELEMENT_COLUMNS: &str =
    "element_id, heading_id, kind, text, character_id, parenthetical, sequence_number";
const SCRIPT_ELEMENTS: &str =
    "FROM elements WHERE heading_id IN (SELECT heading_id FROM section_headings WHERE script_id = $1)";

/// All elements of a script. From SQLite as one JSON array it builds: one row crosses from the
/// database thread instead of thousands, which makes a feature-length story three times
/// faster. PostgreSQL's rows come over the socket anyway, and its JSON building cost 15 ms of
/// a feature's 17 (the scan takes 1.5): plain rows.
async fn element_rows(conn: &mut AnyConnection, script_id: i64) -> Result<Vec<ElementRow>> {
    if Engine::of(conn) == Engine::Postgres {
        let sql = format!("SELECT {ELEMENT_COLUMNS} {SCRIPT_ELEMENTS}");
        let rows = script_rows(conn, &sql, script_id).await?;
        return rows.iter().map(element_row).collect();
    }
    let rows = crate::db::json_rows(conn, ELEMENT_COLUMNS);
    let json: String = sqlx::query_scalar(&format!("SELECT {rows} {SCRIPT_ELEMENTS}"))
        .bind(script_id)
        .fetch_one(&mut *conn)
        .await?;
    serde_json::from_str(&json).map_err(|e| Error::Database(format!("unreadable elements: {e}")))
}

fn element_row(r: &AnyRow) -> Result<ElementRow> {
    Ok(ElementRow {
        element_id: r.try_get("element_id")?,
        heading_id: r.try_get("heading_id")?,
        kind: r.try_get("kind")?,
        text: r.try_get("text")?,
        character_id: r.try_get("character_id")?,
        parenthetical: r.try_get("parenthetical")?,
        sequence_number: r.try_get("sequence_number")?,
    })
}

/// Every element of the script in story order, without filters. Rows come unsorted and are
/// put in section order here: cheaper than a join sorted by SQLite.
async fn assemble(
    conn: &mut AnyConnection,
    script_id: i64,
    sections: &[StorySection],
    contexts: &ContextIndex,
) -> Result<Vec<StoryItem>> {
    let characters = story_characters(conn, script_id).await?;
    let mut rows = element_rows(conn, script_id).await?;
    let place: HashMap<i64, usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.heading_id, i))
        .collect();
    rows.sort_unstable_by_key(|r| {
        let section = place.get(&r.heading_id).copied();
        (
            section,
            r.sequence_number.is_none(),
            r.sequence_number,
            r.element_id,
        )
    });
    let mut items = Vec::with_capacity(rows.len());
    for (index, row) in rows.into_iter().enumerate() {
        let ElementRow {
            element_id,
            heading_id,
            kind,
            text,
            character_id,
            parenthetical,
            ..
        } = row;
        let kind: ElementKind = kind.parse()?;
        items.push(StoryItem {
            sequence: index as i64 + 1,
            heading_id,
            element_id,
            element_type: kind,
            character: character_id.and_then(|c| characters.get(&c).cloned()),
            action: (kind == ElementKind::Action).then(|| StoryAction {
                action_id: element_id,
                description: text.clone(),
            }),
            spoken_word: (kind == ElementKind::Dialogue).then(|| StorySpokenWord {
                dialogue_id: element_id,
                text: text.clone(),
                parenthetical,
            }),
            context: contexts.resolve(heading_id, character_id, Some(element_id)),
            text,
        });
    }
    Ok(items)
}

fn keep(item: &StoryItem, request: &StoryRequest) -> bool {
    let character_ok = request.filter_by_character.is_none_or(|c| {
        item.character
            .as_ref()
            .is_some_and(|ch| ch.character_id == c)
    });
    let context_ok = request
        .filter_by_context
        .as_ref()
        .is_none_or(|(key, value)| {
            item.context
                .as_ref()
                .is_some_and(|ctx| ctx.data.get(key) == Some(value))
        });
    character_ok && context_ok
}

/// getFullStory: the whole script in order, under a session's contexts, optionally filtered.
#[instrument(skip(db), err)]
pub async fn get_full_story(db: &Database, request: &StoryRequest) -> Result<FullStory> {
    let mut conn = db.pool().acquire().await?;
    let script = scripts::fetch_script(&mut conn, request.script_id).await?;
    if let Some(character) = request.filter_by_character {
        crate::characters::fetch_character(&mut conn, character).await?;
    }
    let contexts = context_index(&mut conn, script.script_id, request.session_id).await?;
    let sections = story_sections(&mut conn, script.script_id, &contexts).await?;
    let filtered = request.filter_by_character.is_some() || request.filter_by_context.is_some();
    let story: Vec<StoryItem> = assemble(&mut conn, script.script_id, &sections, &contexts)
        .await?
        .into_iter()
        .filter(|item| keep(item, request))
        .collect();
    let sections = if filtered {
        sections
            .into_iter()
            .filter(|s| story.iter().any(|i| i.heading_id == s.heading_id))
            .collect()
    } else {
        sections
    };
    Ok(FullStory {
        script_id: script.script_id,
        title: script.title,
        author: script.author,
        description: script.description,
        session_id: request.session_id,
        sections,
        story,
        orchestration: Orchestration::generated(script.script_id, request.session_id),
    })
}

async fn story_sections(
    conn: &mut AnyConnection,
    script_id: i64,
    contexts: &ContextIndex,
) -> Result<Vec<StorySection>> {
    let rows = script_rows(
        conn,
        "SELECT heading_id, title, sequence_number FROM section_headings WHERE script_id = $1 \
         ORDER BY sequence_number, heading_id",
        script_id,
    )
    .await?;
    rows.iter()
        .map(|r| {
            let heading_id: i64 = r.try_get("heading_id")?;
            Ok(StorySection {
                heading_id,
                script_id,
                title: r.try_get("title")?,
                sequence: r.try_get::<Option<i64>, _>("sequence_number")?.unwrap_or(0),
                context: contexts.resolve(heading_id, None, None),
            })
        })
        .collect()
}

/// getStorySequences: the story items numbered `start..=end`.
#[instrument(skip(db), err)]
pub async fn get_story_sequences(
    db: &Database,
    script_id: i64,
    start: i64,
    end: i64,
    session_id: Option<i64>,
) -> Result<StorySequences> {
    if start < 1 || end < start {
        return Err(Error::invalid(format!(
            "the range {start}..{end} is empty; start at 1 or more and end at or after the start"
        )));
    }
    let mut conn = db.pool().acquire().await?;
    scripts::fetch_script(&mut conn, script_id).await?;
    let contexts = context_index(&mut conn, script_id, session_id).await?;
    let sections = story_sections(&mut conn, script_id, &contexts).await?;
    let sequences = assemble(&mut conn, script_id, &sections, &contexts)
        .await?
        .into_iter()
        .filter(|item| (start..=end).contains(&item.sequence))
        .collect();
    Ok(StorySequences {
        script_id,
        sequences,
    })
}
