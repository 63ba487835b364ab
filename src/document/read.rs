//! A stored script as a document: everything `load_document` needs to create it again, in
//! the order the Central Sequence keeps, with the document's own ids.

use std::collections::HashMap;

use sqlx::AnyConnection;
use tracing::instrument;

use super::{
    DocCharacter, DocContext, DocElement, DocParaphrase, DocSection, DocSession, DocVersion, IdMap,
    Kind, ScriptDocument, Source,
};
use crate::characters::{Character, Paraphrase};
use crate::db::Database;
use crate::error::Result;
use crate::screenplay::scenes;
use crate::scripts;
use crate::sequence::ElementType;

/// The whole script as a document (one read transaction, so every part is of one moment).
#[instrument(skip(db), err)]
pub async fn read_document(db: &Database, script_id: i64) -> Result<ScriptDocument> {
    let mut tx = db.pool().begin().await?;
    Ok(read_with_ids(&mut tx, script_id).await?.0)
}

/// The document, and the map from the database's ids to the document's.
pub(crate) async fn read_with_ids(
    conn: &mut AnyConnection,
    script_id: i64,
) -> Result<(ScriptDocument, IdMap)> {
    let script = scripts::fetch_script(conn, script_id).await?;
    let mut ids = IdMap::default();
    ids.insert(Kind::Script, script_id, 1);
    ids.start_unknown_at(Kind::Script, 2);
    let kept: ScriptKept = sqlx::query_as(
        "SELECT CAST(title_page AS TEXT) AS title_page, source, source_of FROM scripts \
         WHERE script_id = $1",
    )
    .bind(script_id)
    .fetch_one(&mut *conn)
    .await?;
    let mut paraphrases = Paraphrases::read(conn, script_id).await?;
    let characters = characters(conn, script_id, &mut ids, &mut paraphrases).await?;
    let sections = sections(conn, script_id, &mut ids, &mut paraphrases).await?;
    let sessions = sessions(conn, script_id, &mut ids).await?;
    let versions = versions(conn, script_id, &mut ids).await?;
    let doc = ScriptDocument {
        title: script.title,
        author: script.author,
        description: script.description,
        characters,
        sections,
        sessions,
        created_at: Some(script.created_at),
        updated_at: Some(script.updated_at),
        title_page: kept.title_page,
        source: source(kept.source, kept.source_of),
        versions,
    };
    Ok((doc, ids))
}

#[derive(sqlx::FromRow)]
struct ScriptKept {
    title_page: Option<String>,
    source: Option<String>,
    source_of: Option<i64>,
}

fn source(text: Option<String>, of: Option<i64>) -> Option<Source> {
    Some(Source {
        text: text?,
        of: of?,
    })
}

/// The script's alts by what they belong to, handed out as the document's ids are given.
struct Paraphrases {
    by_original: HashMap<(Kind, i64), Vec<Paraphrase>>,
    next: i64,
}

impl Paraphrases {
    async fn read(conn: &mut AnyConnection, script_id: i64) -> Result<Self> {
        let rows: Vec<Paraphrase> = sqlx::query_as(
            "SELECT p.* FROM paraphrases p WHERE \
             (p.original_type = 'character' AND p.original_id IN \
                (SELECT character_id FROM characters WHERE script_id = $1)) \
             OR (p.original_type <> 'character' AND p.original_id IN \
                (SELECT e.element_id FROM elements e \
                 JOIN section_headings h ON h.heading_id = e.heading_id WHERE h.script_id = $1)) \
             ORDER BY p.paraphrase_id",
        )
        .bind(script_id)
        .fetch_all(&mut *conn)
        .await?;
        let mut by_original: HashMap<(Kind, i64), Vec<Paraphrase>> = HashMap::new();
        for p in rows {
            by_original
                .entry((Kind::of_type(p.original_type), p.original_id))
                .or_default()
                .push(p);
        }
        Ok(Self {
            by_original,
            next: 1,
        })
    }

    fn of(&mut self, kind: Kind, id: i64, ids: &mut IdMap) -> Vec<DocParaphrase> {
        let taken = self.by_original.remove(&(kind, id)).unwrap_or_default();
        taken
            .into_iter()
            .map(|p| {
                ids.insert(Kind::Paraphrase, p.paraphrase_id, self.next);
                self.next += 1;
                ids.start_unknown_at(Kind::Paraphrase, self.next);
                DocParaphrase {
                    original_type: p.original_type,
                    text: p.text,
                    commentary: p.commentary,
                    created_at: p.created_at,
                }
            })
            .collect()
    }
}

async fn characters(
    conn: &mut AnyConnection,
    script_id: i64,
    ids: &mut IdMap,
    paraphrases: &mut Paraphrases,
) -> Result<Vec<DocCharacter>> {
    let rows: Vec<Character> = sqlx::query_as(&format!(
        "SELECT {} FROM characters WHERE script_id = $1 ORDER BY sequence_number, character_id",
        crate::characters::COLUMNS
    ))
    .bind(script_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (n, c) in (1..).zip(rows) {
        ids.insert(Kind::Character, c.character_id, n);
        ids.start_unknown_at(Kind::Character, n + 1);
        out.push(DocCharacter {
            paraphrases: paraphrases.of(Kind::Character, c.character_id, ids),
            name: c.name,
            description: c.description,
            instrument: c.instrument,
            leitmotif: c.leitmotif,
        });
    }
    Ok(out)
}

/// A heading row as the scenes read it, with the writer's own text.
#[derive(sqlx::FromRow)]
struct SectionRow {
    #[sqlx(flatten)]
    row: scenes::SectionRow,
    source: Option<String>,
    source_of: Option<i64>,
}

/// An element row as the scenes read it, with the writer's own text.
#[derive(sqlx::FromRow)]
struct ElementRow {
    #[sqlx(flatten)]
    row: scenes::ElementRow,
    source: Option<String>,
    source_of: Option<i64>,
}

async fn sections(
    conn: &mut AnyConnection,
    script_id: i64,
    ids: &mut IdMap,
    paraphrases: &mut Paraphrases,
) -> Result<Vec<DocSection>> {
    let headings: Vec<SectionRow> = sqlx::query_as(
        "SELECT heading_id, title, scene_number, untitled, source, source_of \
         FROM section_headings WHERE script_id = $1 ORDER BY sequence_number, heading_id",
    )
    .bind(script_id)
    .fetch_all(&mut *conn)
    .await?;
    let rows: Vec<ElementRow> = sqlx::query_as(
        "SELECT e.element_id, e.heading_id, e.kind, e.text, c.name, e.parenthetical, \
         e.extension, e.dual, e.continues, e.depth, e.source, e.source_of \
         FROM elements e JOIN section_headings h ON h.heading_id = e.heading_id \
         LEFT JOIN characters c ON c.character_id = e.character_id \
         WHERE h.script_id = $1 ORDER BY e.heading_id, e.sequence_number, e.element_id",
    )
    .bind(script_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut elements: HashMap<i64, Vec<ElementRow>> = HashMap::new();
    for row in rows {
        elements.entry(row.row.heading_id).or_default().push(row);
    }
    let mut next_element = 1;
    let mut out = Vec::with_capacity(headings.len());
    for (n, h) in (1..).zip(headings) {
        ids.insert(Kind::Section, h.row.heading_id, n);
        ids.start_unknown_at(Kind::Section, n + 1);
        let rows = elements.remove(&h.row.heading_id).unwrap_or_default();
        let mut doc_elements = Vec::with_capacity(rows.len());
        for row in rows {
            ids.insert(Kind::Element, row.row.element_id, next_element);
            next_element += 1;
            ids.start_unknown_at(Kind::Element, next_element);
            doc_elements.push(element(row, ids, paraphrases));
        }
        out.push(DocSection {
            title: h.row.title,
            elements: doc_elements,
            scene_number: h.row.scene_number,
            untitled: h.row.untitled,
            source: source(h.source, h.source_of),
        });
    }
    Ok(out)
}

fn element(kept: ElementRow, ids: &mut IdMap, paraphrases: &mut Paraphrases) -> DocElement {
    let row = kept.row;
    DocElement {
        paraphrases: paraphrases.of(Kind::Element, row.element_id, ids),
        kind: row.kind,
        character: row.name,
        text: row.text,
        parenthetical: row.parenthetical,
        extension: row.extension,
        dual: row.dual,
        continues: row.continues,
        depth: row.depth,
        source: source(kept.source, kept.source_of),
    }
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    session_id: i64,
    user_id: i64,
    context: String,
    created_at: String,
    updated_at: String,
}

async fn sessions(
    conn: &mut AnyConnection,
    script_id: i64,
    ids: &mut IdMap,
) -> Result<Vec<DocSession>> {
    let rows: Vec<SessionRow> = sqlx::query_as(
        "SELECT session_id, user_id, context, created_at, updated_at FROM sessions \
         WHERE script_id = $1 ORDER BY session_id",
    )
    .bind(script_id)
    .fetch_all(&mut *conn)
    .await?;
    let positions = Positions::read(conn, script_id).await?;
    let mut next_context = 1;
    let mut out = Vec::with_capacity(rows.len());
    for (n, s) in (1..).zip(rows) {
        ids.insert(Kind::Session, s.session_id, n);
        ids.start_unknown_at(Kind::Session, n + 1);
        let mut contexts = Vec::new();
        for c in crate::sessions::fetch_contexts(conn, s.session_id).await? {
            if c.data.is_empty() {
                continue;
            }
            ids.insert(Kind::Context, c.context_id, next_context);
            next_context += 1;
            ids.start_unknown_at(Kind::Context, next_context);
            contexts.push(positions.context(&c));
        }
        out.push(DocSession {
            user_id: s.user_id,
            context: s.context,
            contexts,
            created_at: Some(s.created_at),
            updated_at: Some(s.updated_at),
        });
    }
    Ok(out)
}

/// Where each section and element sits, and each character's name, to name a context's
/// target the way a document does.
struct Positions {
    sections: HashMap<i64, usize>,
    elements: HashMap<i64, (usize, usize)>,
    names: HashMap<i64, String>,
}

impl Positions {
    async fn read(conn: &mut AnyConnection, script_id: i64) -> Result<Self> {
        let rows: Vec<(i64, Option<i64>)> = sqlx::query_as(
            "SELECT h.heading_id, e.element_id FROM section_headings h \
             LEFT JOIN elements e ON e.heading_id = h.heading_id WHERE h.script_id = $1 \
             ORDER BY h.sequence_number, h.heading_id, e.sequence_number, e.element_id",
        )
        .bind(script_id)
        .fetch_all(&mut *conn)
        .await?;
        let mut sections = HashMap::new();
        let mut elements = HashMap::new();
        let mut within = 0;
        for (heading, element) in rows {
            if !sections.contains_key(&heading) {
                sections.insert(heading, sections.len() + 1);
                within = 0;
            }
            if let Some(element) = element {
                within += 1;
                elements.insert(element, (sections.len(), within));
            }
        }
        let names: Vec<(i64, String)> =
            sqlx::query_as("SELECT character_id, name FROM characters WHERE script_id = $1")
                .bind(script_id)
                .fetch_all(&mut *conn)
                .await?;
        Ok(Self {
            sections,
            elements,
            names: names.into_iter().collect(),
        })
    }

    fn context(&self, c: &crate::sessions::Context) -> DocContext {
        let (section, element) = match c.element_id.and_then(|e| self.elements.get(&e)) {
            Some((section, element)) => (Some(*section), Some(*element)),
            None => (
                c.heading_id.and_then(|h| self.sections.get(&h).copied()),
                None,
            ),
        };
        DocContext {
            section,
            element,
            character: c.character_id.and_then(|id| self.names.get(&id).cloned()),
            data: (*c.data).clone(),
        }
    }
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    #[sqlx(try_from = "String")]
    element_type: ElementType,
    element_id: i64,
    version_number: i64,
    comment: String,
    created_at: String,
    created_by: String,
    data: String,
}

/// The versions of the script and of what it holds now, their snapshots in document ids.
async fn versions(
    conn: &mut AnyConnection,
    script_id: i64,
    ids: &mut IdMap,
) -> Result<Vec<DocVersion>> {
    let rows: Vec<VersionRow> = sqlx::query_as(
        "SELECT element_type, element_id, version_number, comment, created_at, created_by, \
         CAST(data AS TEXT) AS data FROM versions \
         WHERE (element_type = 'script' AND element_id = $1) \
         OR (element_type = 'section' AND element_id IN \
            (SELECT heading_id FROM section_headings WHERE script_id = $1)) \
         OR (element_type = 'character' AND element_id IN \
            (SELECT character_id FROM characters WHERE script_id = $1)) \
         OR (element_type NOT IN ('script', 'section', 'character') AND element_id IN \
            (SELECT e.element_id FROM elements e \
             JOIN section_headings h ON h.heading_id = e.heading_id WHERE h.script_id = $1)) \
         ORDER BY version_id",
    )
    .bind(script_id)
    .fetch_all(&mut *conn)
    .await?;
    // Document order first, so the ids given to rows deleted since come out the same in any
    // database the script was imported into.
    let mut keyed: Vec<(i64, VersionRow)> = rows
        .into_iter()
        .map(|row| {
            (
                ids.map(Kind::of_type(row.element_type), row.element_id),
                row,
            )
        })
        .collect();
    keyed.sort_by_key(|(id, v)| (v.element_type.as_str(), *id, v.version_number));
    let mut out = Vec::with_capacity(keyed.len());
    for (element_id, row) in keyed {
        let mut data: serde_json::Value = serde_json::from_str(&row.data)?;
        ids.remap(&mut data);
        out.push(DocVersion {
            element_id,
            element_type: row.element_type,
            version_number: row.version_number,
            comment: row.comment,
            created_at: row.created_at,
            created_by: row.created_by,
            data,
        });
    }
    Ok(out)
}
