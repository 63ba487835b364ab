//! A whole script as one JSON document (script, characters, sections with their elements,
//! sessions with their contexts), loaded in one transaction through the bulk path that
//! screenplay import uses.
//! The examples and the generated benchmark script use it, and a story bundle's
//! `document.json` is one read back from the database ([`read_document`]) with everything an
//! import needs to give the same script back: the title page and the writer's own text,
//! scene numbers and cue formatting, the characters' music, the alts, the sessions' contexts
//! and the versions. Ids inside it are the document's own (1.. in document order), so the
//! same script gives the same document in any database.

mod ids;
mod kept;
mod read;

pub(crate) use ids::{IdMap, Kind};
pub use read::read_document;
pub(crate) use read::read_with_ids;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use tracing::instrument;

use crate::db::{now, Database};
use crate::error::{Error, Result};
use crate::music::leitmotif::Leitmotif;
use crate::screenplay::import;
use crate::screenplay::scenes::{Line, Scene};
use crate::scripts::{self, ElementKind, NewScript};
use crate::sequence::ElementType;
use crate::sessions::ContextTarget;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScriptDocument {
    pub title: String,
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub characters: Vec<DocCharacter>,
    #[serde(default)]
    pub sections: Vec<DocSection>,
    #[serde(default)]
    pub sessions: Vec<DocSession>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// The title page's `[key, value]` pairs as JSON text, as the scripts table keeps it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_page: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<DocVersion>,
}

/// The writer's own text of a title page, heading or line, and the fingerprint of what it
/// was read as (see `screenplay::source`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Source {
    pub text: String,
    pub of: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DocParaphrase {
    pub original_type: ElementType,
    pub text: String,
    #[serde(default)]
    pub commentary: String,
    pub created_at: String,
}

/// A version with its snapshot; `elementId` and the ids in `data` are the document's own.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DocVersion {
    pub element_type: ElementType,
    pub element_id: i64,
    pub version_number: i64,
    #[serde(default)]
    pub comment: String,
    pub created_at: String,
    /// Who saved it (a writers' room's role, or the app's user name); absent: not known.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub created_by: String,
    pub data: serde_json::Value,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DocCharacter {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instrument: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leitmotif: Option<Leitmotif>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paraphrases: Vec<DocParaphrase>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DocSection {
    pub title: String,
    #[serde(default)]
    pub elements: Vec<DocElement>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scene_number: Option<String>,
    /// What comes before the first scene heading (no heading line of its own).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub untitled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DocElement {
    pub kind: ElementKind,
    /// The speaker's name; characters not listed are created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub character: Option<String>,
    #[serde(default)]
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parenthetical: Option<String>,
    /// A cue's extension (`V.O.`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dual: bool,
    /// Continues the dialogue block above (no cue of its own).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub continues: bool,
    /// A `#` section's depth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depth: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paraphrases: Vec<DocParaphrase>,
}

impl Default for DocElement {
    fn default() -> Self {
        DocElement {
            kind: ElementKind::Action,
            character: None,
            text: String::new(),
            parenthetical: None,
            extension: None,
            dual: false,
            continues: false,
            depth: None,
            source: None,
            paraphrases: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DocSession {
    #[serde(default)]
    pub user_id: i64,
    #[serde(default)]
    pub context: String,
    #[serde(default)]
    pub contexts: Vec<DocContext>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

/// A context's target by position: `section` is 1-based, `element` is the 1-based element
/// within that section, `character` a name.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DocContext {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub element: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub character: Option<String>,
    pub data: BTreeMap<String, String>,
}

#[derive(ts_rs::TS, Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadedScript {
    pub script_id: i64,
    pub session_ids: Vec<i64>,
    pub sections: usize,
    pub characters: usize,
    pub elements: usize,
}

impl ScriptDocument {
    pub fn from_json(text: &str) -> Result<Self> {
        serde_json::from_str(text)
            .map_err(|e| Error::invalid(format!("not a script document: {e}")))
    }
}

/// What has been created so far, to resolve names and positions.
struct Created {
    script_id: i64,
    characters: HashMap<String, i64>,
    sections: Vec<(i64, Vec<i64>)>,
    sessions: Vec<i64>,
    /// In document order: session by session, context by context.
    contexts: Vec<i64>,
}

impl Created {
    fn character(&self, name: &str) -> Result<i64> {
        self.characters.get(name).copied().ok_or_else(|| {
            Error::invalid(format!("the document names an unknown character {name:?}"))
        })
    }

    fn target(&self, c: &DocContext) -> Result<ContextTarget> {
        let section = c
            .section
            .map(|i| {
                self.sections
                    .get(i.wrapping_sub(1))
                    .ok_or_else(|| Error::invalid(format!("no section {i} in the document")))
            })
            .transpose()?;
        let element = match (c.element, section) {
            (Some(i), Some((_, elements))) => Some(
                *elements
                    .get(i.wrapping_sub(1))
                    .ok_or_else(|| Error::invalid(format!("no element {i} in that section")))?,
            ),
            (Some(_), None) => return Err(Error::invalid("an element context needs its section")),
            _ => None,
        };
        let character = c
            .character
            .as_deref()
            .map(|n| self.character(n))
            .transpose()?;
        Ok(match element {
            Some(e) => ContextTarget {
                heading_id: None,
                character_id: None,
                element_id: Some(e),
            },
            None => ContextTarget {
                heading_id: section.map(|(h, _)| *h),
                character_id: character,
                element_id: None,
            },
        })
    }
}

/// Creates the whole document as a new script; all or nothing.
#[instrument(skip_all, err, fields(title = %doc.title))]
pub async fn load_document(db: &Database, doc: &ScriptDocument) -> Result<LoadedScript> {
    let mut tx = db.begin().await?;
    let loaded = insert_document(&mut tx, doc).await?;
    crate::screenplay::scenes::settle_revisions(&mut tx, loaded.script_id).await?;
    tx.commit().await?;
    Ok(loaded)
}

/// The bulk path shared with screenplay import: ids and sequence numbers assigned in memory,
/// multi-row inserts, each row validated as the element service validates it.
async fn insert_document(conn: &mut AnyConnection, doc: &ScriptDocument) -> Result<LoadedScript> {
    let new = NewScript {
        title: doc.title.clone(),
        author: Some(doc.author.clone()),
        description: Some(doc.description.clone()),
    };
    let script = scripts::insert_script(conn, &new).await?;
    let speakers = doc
        .sections
        .iter()
        .flat_map(|s| &s.elements)
        .filter_map(|e| e.character.as_deref());
    let declared = doc
        .characters
        .iter()
        .map(|c| (c.name.as_str(), c.description.as_str()));
    let mut cast: Vec<(&str, &str)> = Vec::new();
    let mut seen = HashSet::new();
    for (name, description) in declared.chain(speakers.map(|n| (n, ""))) {
        if seen.insert(name) {
            scripts::required("name", name)?;
            cast.push((name, description));
        }
    }
    let ids = import::insert_characters(conn, script.script_id, &cast).await?;
    let characters: HashMap<String, i64> = cast
        .iter()
        .map(|(name, _)| name.to_string())
        .zip(ids)
        .collect();
    let scenes = doc
        .sections
        .iter()
        .map(scene)
        .collect::<Result<Vec<Scene>>>()?;
    let sections =
        import::insert_scenes(conn, script.script_id, &scenes, &characters, None).await?;
    let mut created = Created {
        script_id: script.script_id,
        characters,
        sections,
        sessions: Vec::new(),
        contexts: Vec::new(),
    };
    for session in &doc.sessions {
        let (id, contexts) = insert_session(conn, script.script_id, session, &created).await?;
        created.sessions.push(id);
        created.contexts.extend(contexts);
    }
    kept::restore(conn, doc, &created).await?;
    Ok(LoadedScript {
        script_id: script.script_id,
        session_ids: created.sessions.clone(),
        sections: created.sections.len(),
        characters: created.characters.len(),
        elements: created.sections.iter().map(|(_, e)| e.len()).sum(),
    })
}

/// A document section as a scene, checked like the section and element services check.
fn scene(section: &DocSection) -> Result<Scene> {
    let lines = section
        .elements
        .iter()
        .map(|e| {
            let (text, parenthetical) = scripts::shape(
                e.kind,
                &e.text,
                e.character.as_ref().map(|_| 0),
                e.parenthetical.as_deref(),
            )?;
            Ok(Line {
                text,
                parenthetical,
                character: e.character.clone(),
                extension: e.extension.clone(),
                dual: e.dual,
                continues: e.continues,
                depth: e.depth,
                ..Line::plain(e.kind, "")
            })
        })
        .collect::<Result<Vec<Line>>>()?;
    Ok(Scene {
        title: scripts::required("title", &section.title)?,
        scene_number: section.scene_number.clone(),
        untitled: section.untitled,
        lines,
    })
}

async fn insert_session(
    conn: &mut AnyConnection,
    script_id: i64,
    session: &DocSession,
    created: &Created,
) -> Result<(i64, Vec<i64>)> {
    let stamp = now();
    let created_at = session.created_at.as_deref().unwrap_or(&stamp);
    let updated_at = session.updated_at.as_deref().unwrap_or(&stamp);
    let session_id: i64 = sqlx::query_scalar(
        "INSERT INTO sessions (user_id, script_id, context, created_at, updated_at) VALUES ($1, $2, $3, $4, $5) RETURNING session_id",
    )
    .bind(session.user_id)
    .bind(script_id)
    .bind(&session.context)
    .bind(created_at)
    .bind(updated_at)
    .fetch_one(&mut *conn)
    .await?;
    let mut contexts = Vec::with_capacity(session.contexts.len());
    for context in &session.contexts {
        let target = created.target(context)?;
        let context_id =
            crate::sessions::store_context(conn, session_id, target, &context.data, &[]).await?;
        contexts.push(context_id);
    }
    // Writing the contexts moved the session's date; it is the document's.
    sqlx::query("UPDATE sessions SET updated_at = $1 WHERE session_id = $2")
        .bind(updated_at)
        .bind(session_id)
        .execute(&mut *conn)
        .await?;
    Ok((session_id, contexts))
}
