//! createVersion with real snapshots: list, show, diff and restore. A snapshot holds what the
//! writer would want back: a script's text and structure (characters, sections, elements and
//! their order), a section with its elements, a character, or one element.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::AnyConnection;
use tracing::instrument;

use super::{compact, locate, ElementType};
use crate::characters::{self, fetch_character, Character, Originals, Paraphrase};
use crate::db::{now, Database, Engine};
use crate::error::{Error, Result};
use crate::scripts::{self, Element, ElementFormat, HeadingFormat, ScriptOf, SectionHeading};
use crate::sessions;

#[derive(ts_rs::TS, Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Version {
    pub element_type: ElementType,
    pub element_id: i64,
    pub version_number: i64,
    pub comment: String,
    pub created_at: String,
    /// Who saved it: the writers' room's role, or the app's user name on this computer.
    pub created_by: String,
    pub data: Value,
}

#[derive(ts_rs::TS, Clone, Debug, Serialize, Deserialize, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct VersionSummary {
    pub version_number: i64,
    pub comment: String,
    pub created_at: String,
    pub created_by: String,
}

#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionChange {
    /// Where in the snapshot, e.g. `sections[headingId=3].elements[elementId=9].text`.
    pub path: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

#[derive(ts_rs::TS, Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionDiff {
    pub from: i64,
    pub to: i64,
    pub changes: Vec<VersionChange>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ScriptFields {
    title: String,
    author: String,
    description: String,
}

// What an imported screenplay says beyond the services' fields (scene numbers, cue extensions,
// dual dialogue, the title page) is kept under `format`, so a restored version exports the same
// screenplay. Versions saved before it was kept have none; restoring them leaves it as it is.

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SectionSnapshot {
    #[serde(flatten)]
    section: SectionHeading,
    elements: Vec<Element>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    format: Option<SectionFormat>,
    /// Only on a section's own version: a script's keeps them once, at the top.
    #[serde(flatten)]
    attached: Attached,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SectionFormat {
    heading: HeadingFormat,
    elements: Vec<ElementFormat>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ScriptSnapshot {
    script: ScriptFields,
    characters: Vec<CharacterSnapshot>,
    sections: Vec<SectionSnapshot>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    format: Option<ScriptFormat>,
    #[serde(flatten)]
    attached: Attached,
}

/// A character as a version holds it. Versions saved before characters had music have no
/// `instrument` or `leitmotif` key; restoring them keeps the writer's current choices, while a
/// `null` still means the one derived from the name.
struct CharacterSnapshot {
    character: Character,
    has_instrument: bool,
    has_leitmotif: bool,
}

impl From<Character> for CharacterSnapshot {
    fn from(character: Character) -> Self {
        Self {
            character,
            has_instrument: true,
            has_leitmotif: true,
        }
    }
}

impl Serialize for CharacterSnapshot {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.character.serialize(s)
    }
}

impl<'de> Deserialize<'de> for CharacterSnapshot {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        let has = |key| value.get(key).is_some();
        let (has_instrument, has_leitmotif) = (has("instrument"), has("leitmotif"));
        let character = Character::deserialize(value).map_err(serde::de::Error::custom)?;
        Ok(Self {
            character,
            has_instrument,
            has_leitmotif,
        })
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ScriptFormat {
    /// The title page's `[key, value]` pairs as JSON text, as the scripts table keeps them.
    title_page: Option<String>,
    /// The title page as the writer wrote it, and what it was read with.
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    source_of: Option<i64>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ElementSnapshot {
    #[serde(flatten)]
    element: Element,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    format: Option<ElementFormat>,
    #[serde(flatten)]
    attached: Attached,
}

/// A character's own version: the character with its alts and the contexts on it.
#[derive(Serialize, Deserialize)]
struct CharacterVersion {
    #[serde(flatten)]
    character: CharacterSnapshot,
    #[serde(flatten)]
    attached: Attached,
}

// What the writer attached to the material of a version: the alts (paraphrases) and, per
// session on the script, the contexts (moods…) set on it. Versions saved before these were
// kept have neither key; restoring them leaves alts and contexts as they are.

#[derive(Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Attached {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    paraphrases: Option<Vec<Paraphrase>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sessions: Option<Vec<SessionContexts>>,
}

/// One session's contexts on the version's material.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SessionContexts {
    session_id: i64,
    contexts: Vec<ContextSnapshot>,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ContextSnapshot {
    context_id: i64,
    heading_id: Option<i64>,
    character_id: Option<i64>,
    element_id: Option<i64>,
    data: BTreeMap<String, String>,
}

/// The material a version covers, to find what is attached to it.
#[derive(Clone, Copy)]
enum Scope {
    Script(i64),
    Section(i64),
    Character(i64),
    Element(i64),
}

impl Scope {
    fn of(ty: ElementType, id: i64) -> Self {
        match ty {
            ElementType::Script => Scope::Script(id),
            ElementType::Section => Scope::Section(id),
            ElementType::Character => Scope::Character(id),
            _ => Scope::Element(id),
        }
    }

    /// The paraphrases on the material, as an SQL filter with one `?` for the id.
    fn paraphrase_filter(self) -> (&'static str, i64) {
        match self {
            Scope::Script(id) => (
                "(original_type IN ('action', 'spokenWord') AND original_id IN \
                 (SELECT e.element_id FROM elements e JOIN section_headings h USING (heading_id) \
                  WHERE h.script_id = $1)) OR (original_type = 'character' AND original_id IN \
                 (SELECT character_id FROM characters WHERE script_id = $1))",
                id,
            ),
            Scope::Section(id) => (
                "original_type IN ('action', 'spokenWord') AND original_id IN \
                 (SELECT element_id FROM elements WHERE heading_id = $1)",
                id,
            ),
            Scope::Character(id) => ("original_type = 'character' AND original_id = $1", id),
            Scope::Element(id) => (
                "original_type IN ('action', 'spokenWord') AND original_id = $1",
                id,
            ),
        }
    }

    /// Whether a context is set on the material (`elements`: the section's element ids).
    fn holds(self, c: &ContextSnapshot, elements: &[i64]) -> bool {
        match self {
            Scope::Script(_) => true,
            Scope::Section(id) => {
                c.heading_id == Some(id) || c.element_id.is_some_and(|e| elements.contains(&e))
            }
            Scope::Character(id) => c.character_id == Some(id),
            Scope::Element(id) => c.element_id == Some(id),
        }
    }

    async fn script_id(self, conn: &mut AnyConnection) -> Result<i64> {
        Ok(match self {
            Scope::Script(id) => id,
            Scope::Section(id) => scripts::fetch_section(conn, id).await?.script_id,
            Scope::Character(id) => fetch_character(conn, id).await?.script_id,
            Scope::Element(id) => {
                let element = scripts::fetch_element(conn, id).await?;
                scripts::fetch_section(conn, element.heading_id)
                    .await?
                    .script_id
            }
        })
    }

    async fn section_elements(self, conn: &mut AnyConnection) -> Result<Vec<i64>> {
        match self {
            Scope::Section(id) => Ok(sqlx::query_scalar(
                "SELECT element_id FROM elements WHERE heading_id = $1",
            )
            .bind(id)
            .fetch_all(&mut *conn)
            .await?),
            _ => Ok(Vec::new()),
        }
    }
}

async fn paraphrases_on(conn: &mut AnyConnection, scope: Scope) -> Result<Vec<Paraphrase>> {
    let (filter, id) = scope.paraphrase_filter();
    Ok(sqlx::query_as(&format!(
        "SELECT * FROM paraphrases WHERE {filter} ORDER BY paraphrase_id"
    ))
    .bind(id)
    .fetch_all(&mut *conn)
    .await?)
}

/// Every session on the script, with its contexts on the material.
async fn contexts_on(conn: &mut AnyConnection, scope: Scope) -> Result<Vec<SessionContexts>> {
    let script_id = scope.script_id(conn).await?;
    let elements = scope.section_elements(conn).await?;
    let sessions: Vec<i64> = sqlx::query_scalar(
        "SELECT session_id FROM sessions WHERE script_id = $1 ORDER BY session_id",
    )
    .bind(script_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(sessions.len());
    for session_id in sessions {
        let contexts = sessions::fetch_contexts(conn, session_id)
            .await?
            .into_iter()
            .map(|c| ContextSnapshot {
                context_id: c.context_id,
                heading_id: c.heading_id,
                character_id: c.character_id,
                element_id: c.element_id,
                data: (*c.data).clone(),
            })
            .filter(|c| scope.holds(c, &elements))
            .collect();
        out.push(SessionContexts {
            session_id,
            contexts,
        });
    }
    Ok(out)
}

async fn attached(conn: &mut AnyConnection, scope: Scope) -> Result<Attached> {
    Ok(Attached {
        paraphrases: Some(paraphrases_on(conn, scope).await?),
        sessions: Some(contexts_on(conn, scope).await?),
    })
}

/// Puts back what was attached to the material, once the material itself is restored.
async fn restore_attached(
    conn: &mut AnyConnection,
    scope: Scope,
    attached: &Attached,
) -> Result<()> {
    if let Some(paraphrases) = &attached.paraphrases {
        restore_paraphrases(conn, scope, paraphrases).await?;
    }
    if let Some(sessions) = &attached.sessions {
        let elements = scope.section_elements(conn).await?;
        for session in sessions {
            restore_contexts(conn, scope, session, &elements).await?;
        }
    }
    Ok(())
}

async fn restore_paraphrases(
    conn: &mut AnyConnection,
    scope: Scope,
    paraphrases: &[Paraphrase],
) -> Result<()> {
    let keep: Vec<i64> = paraphrases.iter().map(|p| p.paraphrase_id).collect();
    for p in paraphrases_on(conn, scope).await? {
        if !keep.contains(&p.paraphrase_id) {
            sqlx::query("DELETE FROM paraphrases WHERE paraphrase_id = $1")
                .bind(p.paraphrase_id)
                .execute(&mut *conn)
                .await?;
        }
    }
    for p in paraphrases {
        characters::put_back_paraphrase(conn, p).await?;
    }
    Ok(())
}

/// Makes one session's contexts on the material what the version holds. A session deleted
/// since, or a context whose section, character or element is gone, is skipped.
async fn restore_contexts(
    conn: &mut AnyConnection,
    scope: Scope,
    session: &SessionContexts,
    elements: &[i64],
) -> Result<()> {
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT session_id FROM sessions WHERE session_id = $1")
            .bind(session.session_id)
            .fetch_optional(&mut *conn)
            .await?;
    if exists.is_none() {
        return Ok(());
    }
    let keep: Vec<i64> = session.contexts.iter().map(|c| c.context_id).collect();
    for c in sessions::fetch_contexts(conn, session.session_id).await? {
        let held = scope.holds(
            &ContextSnapshot {
                context_id: c.context_id,
                heading_id: c.heading_id,
                character_id: c.character_id,
                element_id: c.element_id,
                data: BTreeMap::new(),
            },
            elements,
        );
        if held && !keep.contains(&c.context_id) {
            sqlx::query("DELETE FROM contexts WHERE context_id = $1")
                .bind(c.context_id)
                .execute(&mut *conn)
                .await?;
        }
    }
    for c in &session.contexts {
        restore_context(conn, session.session_id, c).await?;
    }
    Ok(())
}

async fn restore_context(
    conn: &mut AnyConnection,
    session_id: i64,
    c: &ContextSnapshot,
) -> Result<()> {
    let present: crate::db::Flag = sqlx::query_scalar(
        "SELECT ($1 IS NULL OR EXISTS (SELECT 1 FROM section_headings WHERE heading_id = $1)) \
            AND ($2 IS NULL OR EXISTS (SELECT 1 FROM characters WHERE character_id = $2)) \
            AND ($3 IS NULL OR EXISTS (SELECT 1 FROM elements WHERE element_id = $3))",
    )
    .bind(c.heading_id)
    .bind(c.character_id)
    .bind(c.element_id)
    .fetch_one(&mut *conn)
    .await?;
    if !present.0 {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO contexts (context_id, session_id, heading_id, character_id, element_id) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (context_id) DO UPDATE SET session_id = excluded.session_id, \
         heading_id = excluded.heading_id, character_id = excluded.character_id, element_id = excluded.element_id",
    )
    .bind(c.context_id)
    .bind(session_id)
    .bind(c.heading_id)
    .bind(c.character_id)
    .bind(c.element_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM context_entries WHERE context_id = $1")
        .bind(c.context_id)
        .execute(&mut *conn)
        .await?;
    crate::sessions::insert_entries(conn, c.context_id, &c.data).await
}

/// Versions are kept per element type family: an action's versions are its element's.
fn family(ty: ElementType) -> ElementType {
    match ty {
        ElementType::Action | ElementType::SpokenWord | ElementType::Transition => {
            ElementType::Element
        }
        other => other,
    }
}

async fn section_snapshot(conn: &mut AnyConnection, heading_id: i64) -> Result<SectionSnapshot> {
    let section = scripts::fetch_section(conn, heading_id).await?;
    let elements: Vec<Element> = sqlx::query_as(
        "SELECT * FROM elements WHERE heading_id = $1 ORDER BY sequence_number, element_id",
    )
    .bind(heading_id)
    .fetch_all(&mut *conn)
    .await?;
    let format = SectionFormat {
        heading: scripts::heading_format(conn, heading_id).await?,
        elements: scripts::element_formats(conn, heading_id).await?,
    };
    Ok(SectionSnapshot {
        section,
        elements: elements
            .into_iter()
            .map(Element::with_contract_ids)
            .collect(),
        format: Some(format),
        attached: Attached::default(),
    })
}

async fn snapshot(conn: &mut AnyConnection, ty: ElementType, id: i64) -> Result<Value> {
    locate(conn, ty, id).await?;
    Ok(match ty {
        ElementType::Script => {
            let script = scripts::fetch_script(conn, id).await?;
            let characters: Vec<Character> = sqlx::query_as(&format!("SELECT {} FROM characters WHERE script_id = $1 ORDER BY sequence_number, character_id", characters::COLUMNS))
                .bind(id)
                .fetch_all(&mut *conn)
                .await?;
            let headings: Vec<i64> = sqlx::query_scalar("SELECT heading_id FROM section_headings WHERE script_id = $1 ORDER BY sequence_number, heading_id")
                .bind(id)
                .fetch_all(&mut *conn)
                .await?;
            let mut sections = Vec::with_capacity(headings.len());
            for heading in headings {
                sections.push(section_snapshot(conn, heading).await?);
            }
            let (title_page, source, source_of) = sqlx::query_as(
                "SELECT CAST(title_page AS TEXT), source, source_of FROM scripts WHERE script_id = $1",
            )
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
            let script = ScriptFields {
                title: script.title,
                author: script.author,
                description: script.description,
            };
            serde_json::to_value(ScriptSnapshot {
                script,
                characters: characters.into_iter().map(Into::into).collect(),
                sections,
                format: Some(ScriptFormat {
                    title_page,
                    source,
                    source_of,
                }),
                attached: attached(conn, Scope::Script(id)).await?,
            })?
        }
        ElementType::Section => {
            let mut snap = section_snapshot(conn, id).await?;
            snap.attached = attached(conn, Scope::Section(id)).await?;
            serde_json::to_value(snap)?
        }
        ElementType::Character => serde_json::to_value(CharacterVersion {
            character: fetch_character(conn, id).await?.into(),
            attached: attached(conn, Scope::Character(id)).await?,
        })?,
        _ => {
            let element = scripts::fetch_element(conn, id).await?;
            let format = scripts::element_formats(conn, element.heading_id)
                .await?
                .into_iter()
                .find(|f| f.element_id == id);
            let attached = attached(conn, Scope::Element(id)).await?;
            serde_json::to_value(ElementSnapshot {
                element,
                format,
                attached,
            })?
        }
    })
}

async fn insert_version(
    conn: &mut AnyConnection,
    ty: ElementType,
    id: i64,
    data: &Value,
    comment: &str,
) -> Result<Version> {
    let ty = family(ty);
    let engine = Engine::of(conn);
    if engine == Engine::Postgres {
        // Two writers saving a version of one thing at once take turns for its number.
        sqlx::query("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext($1))) AS numbering")
            .bind(format!("version {} {id}", ty.as_str()))
            .execute(&mut *conn)
            .await?;
    }
    let number: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(version_number), 0) + 1 FROM versions WHERE element_type = $1 AND element_id = $2",
    )
    .bind(ty.as_str())
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let created_at = now();
    // In a room the server says who is connected; on this computer, the user's name.
    let created_by: String = match engine {
        Engine::Postgres => {
            sqlx::query_scalar("SELECT CAST(current_user AS TEXT)")
                .fetch_one(&mut *conn)
                .await?
        }
        Engine::Sqlite => crate::db::user_name(),
    };
    sqlx::query(
        "INSERT INTO versions (element_type, element_id, version_number, data, comment, created_at, \
         created_by) VALUES ($1, $2, $3, CAST($4 AS json_text), $5, $6, $7)",
    )
    .bind(ty.as_str())
    .bind(id)
    .bind(number)
    .bind(serde_json::to_string(data)?)
    .bind(comment)
    .bind(&created_at)
    .bind(&created_by)
    .execute(&mut *conn)
    .await?;
    Ok(Version {
        element_type: ty,
        element_id: id,
        version_number: number,
        comment: comment.into(),
        created_at,
        created_by,
        data: data.clone(),
    })
}

async fn fetch_version(
    conn: &mut AnyConnection,
    ty: ElementType,
    id: i64,
    number: i64,
) -> Result<Version> {
    let ty = family(ty);
    let row: Option<(String, String, String, String)> = sqlx::query_as(
        "SELECT CAST(data AS TEXT), comment, created_at, created_by FROM versions \
         WHERE element_type = $1 AND element_id = $2 AND version_number = $3",
    )
    .bind(ty.as_str())
    .bind(id)
    .bind(number)
    .fetch_optional(&mut *conn)
    .await?;
    let (data, comment, created_at, created_by) = row.ok_or_else(|| {
        Error::not_found(format!("Version {number} of {} {id} not found.", ty.noun()))
    })?;
    let data = serde_json::from_str(&data)
        .map_err(|e| Error::Database(format!("version {number} is unreadable: {e}")))?;
    Ok(Version {
        element_type: ty,
        element_id: id,
        version_number: number,
        comment,
        created_at,
        created_by,
        data,
    })
}

/// createVersion: stores a snapshot of the element as it is now.
#[instrument(skip(db, comment), err)]
pub async fn create_version(
    db: &Database,
    ty: ElementType,
    id: i64,
    comment: &str,
) -> Result<Version> {
    let mut tx = scripts::writing(db, ScriptOf::of_type(ty, id)).await?;
    let data = snapshot(&mut tx, ty, id).await?;
    let version = insert_version(&mut tx, ty, id, &data, comment.trim()).await?;
    tx.commit().await?;
    Ok(version)
}

#[instrument(skip(db), err)]
pub async fn list_versions(db: &Database, ty: ElementType, id: i64) -> Result<Vec<VersionSummary>> {
    Ok(sqlx::query_as(
        "SELECT version_number, comment, created_at, created_by FROM versions \
         WHERE element_type = $1 AND element_id = $2 ORDER BY version_number",
    )
    .bind(family(ty).as_str())
    .bind(id)
    .fetch_all(db.pool())
    .await?)
}

#[instrument(skip(db), err)]
pub async fn get_version(db: &Database, ty: ElementType, id: i64, number: i64) -> Result<Version> {
    let mut conn = db.pool().acquire().await?;
    fetch_version(&mut conn, ty, id, number).await
}

/// What changed from version `from` to version `to`.
#[instrument(skip(db), err)]
pub async fn diff_versions(
    db: &Database,
    ty: ElementType,
    id: i64,
    from: i64,
    to: i64,
) -> Result<VersionDiff> {
    let mut conn = db.pool().acquire().await?;
    let a = fetch_version(&mut conn, ty, id, from).await?;
    let b = fetch_version(&mut conn, ty, id, to).await?;
    let mut changes = Vec::new();
    diff_values("", &a.data, &b.data, &mut changes);
    Ok(VersionDiff { from, to, changes })
}

/// Restores a version. The state before the restore is kept as a version of its own (unless
/// the latest version already holds it), and the restored state becomes a new version.
#[instrument(skip(db), err)]
pub async fn restore_version(
    db: &Database,
    ty: ElementType,
    id: i64,
    number: i64,
) -> Result<Version> {
    let mut tx = scripts::writing(db, ScriptOf::of_type(ty, id)).await?;
    let target = fetch_version(&mut tx, ty, id, number).await?;
    let current = snapshot(&mut tx, ty, id).await?;
    let latest: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(version_number) FROM versions WHERE element_type = $1 AND element_id = $2",
    )
    .bind(family(ty).as_str())
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let latest_data = match latest {
        Some(n) => Some(fetch_version(&mut tx, ty, id, n).await?.data),
        None => None,
    };
    if latest_data.as_ref() != Some(&current) {
        insert_version(
            &mut tx,
            ty,
            id,
            &current,
            &format!("before restoring version {number}"),
        )
        .await?;
    }
    apply(&mut tx, ty, id, &target.data).await?;
    let restored = snapshot(&mut tx, ty, id).await?;
    let version = insert_version(
        &mut tx,
        ty,
        id,
        &restored,
        &format!("restored version {number}"),
    )
    .await?;
    tx.commit().await?;
    Ok(version)
}

/// A character's leitmotif as the characters table stores it (JSON text), or NULL.
fn motif_json(c: &Character) -> Result<Option<String>> {
    Ok(c.leitmotif
        .as_ref()
        .map(serde_json::to_string)
        .transpose()?)
}

fn decode<T: serde::de::DeserializeOwned>(data: &Value) -> Result<T> {
    T::deserialize(data)
        .map_err(|e| Error::Database(format!("the version's snapshot is unreadable: {e}")))
}

async fn apply(conn: &mut AnyConnection, ty: ElementType, id: i64, data: &Value) -> Result<()> {
    let attached: Attached = decode(data)?;
    apply_material(conn, ty, id, data).await?;
    restore_attached(conn, Scope::of(ty, id), &attached).await
}

async fn apply_material(
    conn: &mut AnyConnection,
    ty: ElementType,
    id: i64,
    data: &Value,
) -> Result<()> {
    match ty {
        ElementType::Script => apply_script(conn, id, decode(data)?).await,
        ElementType::Section => {
            let snap: SectionSnapshot = decode(data)?;
            let kept: Vec<i64> = snap.elements.iter().map(|e| e.element_id).collect();
            apply_section(conn, id, &snap, &kept).await?;
            apply_section_format(conn, id, &snap).await?;
            scripts::touch(conn, snap.section.script_id).await
        }
        ElementType::Character => {
            let CharacterVersion {
                character: snap, ..
            } = decode(data)?;
            let c = &snap.character;
            sqlx::query(
                "UPDATE characters SET name = $1, description = $2, \
                 instrument = CASE WHEN $3 THEN $4 ELSE instrument END, \
                 leitmotif = CASE WHEN $5 THEN CAST($6 AS json_text) ELSE leitmotif END WHERE character_id = $7",
            )
            .bind(&c.name)
            .bind(&c.description)
            .bind(snap.has_instrument)
            .bind(c.instrument)
            .bind(snap.has_leitmotif)
            .bind(motif_json(c)?)
            .bind(id)
            .execute(&mut *conn)
            .await?;
            scripts::touch(conn, c.script_id).await
        }
        _ => {
            let ElementSnapshot {
                element: e, format, ..
            } = decode(data)?;
            check_speaker(conn, &e).await?;
            if let Some(format) = format {
                let format = ElementFormat {
                    element_id: id,
                    ..format
                };
                scripts::apply_element_format(conn, &format, None).await?;
            }
            sqlx::query("UPDATE elements SET text = $1, character_id = $2, parenthetical = $3 WHERE element_id = $4")
                .bind(&e.text)
                .bind(e.character_id)
                .bind(&e.parenthetical)
                .bind(id)
                .execute(&mut *conn)
                .await?;
            let section = scripts::fetch_section(conn, e.heading_id).await;
            match section {
                Ok(section) => scripts::touch(conn, section.script_id).await,
                Err(_) => Ok(()),
            }
        }
    }
}

async fn check_speaker(conn: &mut AnyConnection, e: &Element) -> Result<()> {
    if let Some(character) = e.character_id {
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT character_id FROM characters WHERE character_id = $1")
                .bind(character)
                .fetch_optional(&mut *conn)
                .await?;
        if exists.is_none() {
            return Err(Error::conflict(format!(
                "this version needs character {character}, who has since been deleted; restore the script instead"
            )));
        }
    }
    Ok(())
}

pub(crate) async fn upsert_element(
    conn: &mut AnyConnection,
    heading_id: i64,
    e: &Element,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO elements (element_id, heading_id, kind, text, character_id, parenthetical, sequence_number) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (element_id) DO UPDATE SET heading_id = excluded.heading_id, \
         kind = excluded.kind, text = excluded.text, character_id = excluded.character_id, \
         parenthetical = excluded.parenthetical, sequence_number = excluded.sequence_number",
    )
    .bind(e.element_id)
    .bind(heading_id)
    .bind(e.kind.as_str())
    .bind(&e.text)
    .bind(e.character_id)
    .bind(&e.parenthetical)
    .bind(e.sequence_number)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Makes a section hold exactly the snapshot's elements, in the snapshot's order.
/// Elements listed in `kept` (the whole snapshot's) are not deleted even when they are in
/// this section now: the section they belong to pulls them back.
async fn apply_section(
    conn: &mut AnyConnection,
    heading_id: i64,
    snap: &SectionSnapshot,
    kept: &[i64],
) -> Result<()> {
    sqlx::query("UPDATE section_headings SET title = $1 WHERE heading_id = $2")
        .bind(&snap.section.title)
        .bind(heading_id)
        .execute(&mut *conn)
        .await?;
    let current: Vec<i64> =
        sqlx::query_scalar("SELECT element_id FROM elements WHERE heading_id = $1")
            .bind(heading_id)
            .fetch_all(&mut *conn)
            .await?;
    for gone in current.into_iter().filter(|id| !kept.contains(id)) {
        scripts::remove_element(conn, gone).await?;
    }
    let mut other_sections = Vec::new();
    for e in &snap.elements {
        check_speaker(conn, e).await?;
        let now_in: Option<i64> =
            sqlx::query_scalar("SELECT heading_id FROM elements WHERE element_id = $1")
                .bind(e.element_id)
                .fetch_optional(&mut *conn)
                .await?;
        if let Some(other) = now_in.filter(|h| *h != heading_id) {
            other_sections.push(other);
        }
        upsert_element(conn, heading_id, e).await?;
    }
    compact(conn, ElementType::Element, heading_id).await?;
    for other in other_sections {
        compact(conn, ElementType::Element, other).await?;
    }
    Ok(())
}

async fn apply_section_format(
    conn: &mut AnyConnection,
    heading_id: i64,
    snap: &SectionSnapshot,
) -> Result<()> {
    match &snap.format {
        Some(f) => scripts::apply_formats(conn, heading_id, &f.heading, &f.elements).await,
        None => Ok(()),
    }
}

async fn delete_missing(
    conn: &mut AnyConnection,
    sql: &str,
    script_id: i64,
    keep: &[i64],
) -> Result<Vec<i64>> {
    let current: Vec<i64> = sqlx::query_scalar(sql)
        .bind(script_id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(current
        .into_iter()
        .filter(|id| !keep.contains(id))
        .collect())
}

/// Makes a script hold exactly the snapshot: its fields, characters, sections and elements.
async fn apply_script(
    conn: &mut AnyConnection,
    script_id: i64,
    snap: ScriptSnapshot,
) -> Result<()> {
    sqlx::query("UPDATE scripts SET title = $1, author = $2, description = $3, updated_at = $4, revision = revision + 1 WHERE script_id = $5")
        .bind(&snap.script.title)
        .bind(&snap.script.author)
        .bind(&snap.script.description)
        .bind(now())
        .bind(script_id)
        .execute(&mut *conn)
        .await?;
    let kept_elements: Vec<i64> = snap
        .sections
        .iter()
        .flat_map(|s| s.elements.iter().map(|e| e.element_id))
        .collect();
    let stale = delete_missing(conn,
        "SELECT e.element_id FROM elements e JOIN section_headings h USING (heading_id) WHERE h.script_id = $1",
        script_id, &kept_elements).await?;
    for id in stale {
        scripts::remove_element(conn, id).await?;
    }
    // Speakers and names are re-set from the snapshot below; clearing them first lets
    // characters be deleted, re-created and renamed in any order.
    sqlx::query("UPDATE elements SET character_id = NULL WHERE heading_id IN (SELECT heading_id FROM section_headings WHERE script_id = $1)")
        .bind(script_id)
        .execute(&mut *conn)
        .await?;
    apply_characters(conn, script_id, &snap.characters).await?;
    let kept_sections: Vec<i64> = snap.sections.iter().map(|s| s.section.heading_id).collect();
    let stale = delete_missing(
        conn,
        "SELECT heading_id FROM section_headings WHERE script_id = $1",
        script_id,
        &kept_sections,
    )
    .await?;
    for id in stale {
        sqlx::query("DELETE FROM section_headings WHERE heading_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    for s in &snap.sections {
        sqlx::query(
            "INSERT INTO section_headings (heading_id, script_id, title, sequence_number) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (heading_id) DO UPDATE SET script_id = excluded.script_id, title = excluded.title, \
             sequence_number = excluded.sequence_number",
        )
        .bind(s.section.heading_id)
        .bind(script_id)
        .bind(&s.section.title)
        .bind(s.section.sequence_number)
        .execute(&mut *conn)
        .await?;
        apply_section(conn, s.section.heading_id, s, &kept_elements).await?;
        apply_section_format(conn, s.section.heading_id, s).await?;
    }
    if let Some(format) = &snap.format {
        sqlx::query(
            "UPDATE scripts SET title_page = CAST($1 AS json_text), source = COALESCE($2, source), \
             source_of = COALESCE($3, source_of) WHERE script_id = $4",
        )
        .bind(&format.title_page)
        .bind(&format.source)
        .bind(format.source_of)
        .bind(script_id)
        .execute(&mut *conn)
        .await?;
    }
    compact(conn, ElementType::Section, script_id).await?;
    compact(conn, ElementType::Character, script_id).await
}

async fn apply_characters(
    conn: &mut AnyConnection,
    script_id: i64,
    characters: &[CharacterSnapshot],
) -> Result<()> {
    let kept: Vec<i64> = characters
        .iter()
        .map(|c| c.character.character_id)
        .collect();
    let stale = delete_missing(
        conn,
        "SELECT character_id FROM characters WHERE script_id = $1",
        script_id,
        &kept,
    )
    .await?;
    for id in stale {
        characters::delete_paraphrases_of(conn, Originals::Character(id)).await?;
        sqlx::query("DELETE FROM characters WHERE character_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("UPDATE characters SET name = '\u{1}' || character_id WHERE script_id = $1")
        .bind(script_id)
        .execute(&mut *conn)
        .await?;
    for snap in characters {
        let c = &snap.character;
        sqlx::query(
            "INSERT INTO characters (character_id, script_id, name, description, sequence_number, instrument, leitmotif) \
             VALUES ($1, $2, $3, $4, $5, $6, CAST($7 AS json_text)) \
             ON CONFLICT (character_id) DO UPDATE SET script_id = excluded.script_id, name = excluded.name, \
             description = excluded.description, sequence_number = excluded.sequence_number, \
             instrument = CASE WHEN $8 THEN excluded.instrument ELSE characters.instrument END, \
             leitmotif = CASE WHEN $9 THEN excluded.leitmotif ELSE characters.leitmotif END",
        )
        .bind(c.character_id)
        .bind(script_id)
        .bind(&c.name)
        .bind(&c.description)
        .bind(c.sequence_number)
        .bind(c.instrument)
        .bind(motif_json(c)?)
        .bind(snap.has_instrument)
        .bind(snap.has_leitmotif)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The id field that identifies the items of a snapshot array, so a diff follows an element
/// that moved instead of reporting every place after it as changed.
fn identity(item: &Value) -> Option<(&'static str, i64)> {
    [
        "contextId",
        "paraphraseId",
        "sessionId",
        "elementId",
        "headingId",
        "characterId",
    ]
    .into_iter()
    .find_map(|key| item.get(key).and_then(Value::as_i64).map(|id| (key, id)))
}

fn diff_values(path: &str, a: &Value, b: &Value, out: &mut Vec<VersionChange>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for key in keys {
                let sub = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                match (x.get(key), y.get(key)) {
                    (Some(va), Some(vb)) => diff_values(&sub, va, vb, out),
                    (va, vb) => out.push(VersionChange {
                        path: sub,
                        before: va.cloned(),
                        after: vb.cloned(),
                    }),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.iter().chain(y).all(|v| identity(v).is_some()) => {
            diff_keyed(path, x, y, out)
        }
        _ if a != b => out.push(VersionChange {
            path: path.into(),
            before: Some(a.clone()),
            after: Some(b.clone()),
        }),
        _ => {}
    }
}

fn diff_keyed(path: &str, x: &[Value], y: &[Value], out: &mut Vec<VersionChange>) {
    let label = |v: &Value| {
        identity(v)
            .map(|(k, id)| format!("{path}[{k}={id}]"))
            .unwrap_or_default()
    };
    for a in x {
        match y.iter().find(|b| identity(b) == identity(a)) {
            Some(b) => diff_values(&label(a), a, b, out),
            None => out.push(VersionChange {
                path: label(a),
                before: Some(a.clone()),
                after: None,
            }),
        }
    }
    for b in y
        .iter()
        .filter(|b| !x.iter().any(|a| identity(a) == identity(b)))
    {
        out.push(VersionChange {
            path: label(b),
            before: None,
            after: Some(b.clone()),
        });
    }
}
