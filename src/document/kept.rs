//! What a document read back from the database adds to the plain one, written after the
//! plain rows inside the same transaction: the title page and the writer's own text, the
//! characters' music, the alts, the script's and sessions' dates and the versions.

use sqlx::AnyConnection;

use super::{Created, DocParaphrase, IdMap, Kind, ScriptDocument};
use crate::error::{Error, Result};
use crate::music::leitmotif;
use crate::screenplay::{import::reserve_ids, source};
use crate::sequence::ElementType;

pub(super) async fn restore(
    conn: &mut AnyConnection,
    doc: &ScriptDocument,
    created: &Created,
) -> Result<()> {
    script(conn, doc, created.script_id).await?;
    music(conn, doc, created).await?;
    sources(conn, doc, created).await?;
    let paraphrases = paraphrases(conn, doc, created).await?;
    if !doc.versions.is_empty() {
        versions(conn, doc, created, &paraphrases).await?;
    }
    Ok(())
}

async fn script(conn: &mut AnyConnection, doc: &ScriptDocument, script_id: i64) -> Result<()> {
    if let Some(json) = &doc.title_page {
        serde_json::from_str::<Vec<(String, String)>>(json)
            .map_err(|e| Error::invalid(format!("the document's title page is not pairs: {e}")))?;
    }
    let source = doc.source.as_ref();
    sqlx::query(
        "UPDATE scripts SET title_page = CAST($1 AS json_text), source = $2, source_of = $3, \
         created_at = COALESCE($4, created_at), updated_at = COALESCE($5, updated_at) \
         WHERE script_id = $6",
    )
    .bind(&doc.title_page)
    .bind(source.map(|s| &s.text))
    .bind(source.map(|s| s.of))
    .bind(&doc.created_at)
    .bind(&doc.updated_at)
    .bind(script_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn music(conn: &mut AnyConnection, doc: &ScriptDocument, created: &Created) -> Result<()> {
    for c in doc
        .characters
        .iter()
        .filter(|c| c.instrument.is_some() || c.leitmotif.is_some())
    {
        if let Some(program) = c.instrument {
            leitmotif::instrument(program)?;
        }
        if let Some(motif) = &c.leitmotif {
            motif.validate()?;
        }
        let motif = c
            .leitmotif
            .as_ref()
            .map(serde_json::to_string)
            .transpose()?;
        sqlx::query(
            "UPDATE characters SET instrument = $1, leitmotif = CAST($2 AS json_text) \
             WHERE character_id = $3",
        )
        .bind(c.instrument)
        .bind(motif)
        .bind(created.character(&c.name)?)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn sources(conn: &mut AnyConnection, doc: &ScriptDocument, created: &Created) -> Result<()> {
    let mut headings = Vec::new();
    let mut elements = Vec::new();
    for (section, (heading_id, element_ids)) in doc.sections.iter().zip(&created.sections) {
        if let Some(s) = &section.source {
            headings.push((*heading_id, s.text.as_str(), s.of));
        }
        for (element, id) in section.elements.iter().zip(element_ids) {
            if let Some(s) = &element.source {
                elements.push((*id, s.text.as_str(), s.of));
            }
        }
    }
    source::store(conn, "section_headings", "heading_id", &headings).await?;
    source::store(conn, "elements", "element_id", &elements).await
}

/// Inserts the alts in document order; the new ids, in that order.
async fn paraphrases(
    conn: &mut AnyConnection,
    doc: &ScriptDocument,
    created: &Created,
) -> Result<Vec<i64>> {
    let mut owned: Vec<(i64, &DocParaphrase, bool)> = Vec::new();
    for c in &doc.characters {
        let id = created.character(&c.name)?;
        owned.extend(c.paraphrases.iter().map(|p| (id, p, true)));
    }
    for (section, (_, element_ids)) in doc.sections.iter().zip(&created.sections) {
        for (element, id) in section.elements.iter().zip(element_ids) {
            owned.extend(element.paraphrases.iter().map(|p| (*id, p, false)));
        }
    }
    let mut ids = Vec::with_capacity(owned.len());
    for (original_id, p, of_character) in owned {
        let fits = match p.original_type {
            ElementType::Character => of_character,
            ElementType::Action | ElementType::SpokenWord => !of_character,
            _ => false,
        };
        if !fits {
            return Err(Error::invalid(format!(
                "an alt of type {} cannot belong there",
                p.original_type.as_str()
            )));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO paraphrases (original_type, original_id, text, commentary, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING paraphrase_id",
        )
        .bind(p.original_type.as_str())
        .bind(original_id)
        .bind(&p.text)
        .bind(&p.commentary)
        .bind(&p.created_at)
        .fetch_one(&mut *conn)
        .await?;
        ids.push(id);
    }
    Ok(ids)
}

/// The document's ids → the new rows' ids.
fn new_ids(doc: &ScriptDocument, created: &Created, paraphrases: &[i64]) -> Result<IdMap> {
    let mut ids = IdMap::default();
    ids.insert(Kind::Script, 1, created.script_id);
    let elements = created.sections.iter().flat_map(|(_, e)| e);
    for (n, id) in (1..).zip(elements) {
        ids.insert(Kind::Element, n, *id);
    }
    let pairs = [
        (
            Kind::Section,
            created.sections.iter().map(|(h, _)| *h).collect(),
        ),
        (Kind::Session, created.sessions.clone()),
        (Kind::Context, created.contexts.clone()),
        (Kind::Paraphrase, paraphrases.to_vec()),
        (
            Kind::Character,
            doc.characters
                .iter()
                .map(|c| created.character(&c.name))
                .collect::<Result<Vec<i64>>>()?,
        ),
    ];
    for (kind, new) in pairs {
        for (n, id) in (1..).zip(new) {
            ids.insert(kind, n, id);
        }
    }
    Ok(ids)
}

/// Each version's snapshot with the document's ids replaced, and the id of what it is a
/// version of, in the order the ids are met (the same in the counting pass and the real one).
fn remapped(doc: &ScriptDocument, ids: &mut IdMap) -> Vec<(serde_json::Value, i64)> {
    doc.versions
        .iter()
        .map(|v| {
            let mut data = v.data.clone();
            ids.remap(&mut data);
            (data, ids.map(Kind::of_type(v.element_type), v.element_id))
        })
        .collect()
}

async fn versions(
    conn: &mut AnyConnection,
    doc: &ScriptDocument,
    created: &Created,
    paraphrases: &[i64],
) -> Result<()> {
    let mut ids = new_ids(doc, created, paraphrases)?;
    // Rows deleted before the export still have their ids in the snapshots; each gets a fresh
    // id from the table's own sequence, so no later row is given it. A counting pass first,
    // so exactly that many are taken (on PostgreSQL from the identity, which locks out no
    // other writer of the room).
    let mut counting = ids.clone();
    remapped(doc, &mut counting);
    for kind in Kind::ALL {
        let unknown = usize::try_from(counting.next_unknown(kind).saturating_sub(1)).unwrap_or(0);
        let (table, column) = kind.table();
        let fresh = reserve_ids(conn, table, column, unknown).await?;
        if let Some(last) = fresh.iter().max() {
            reserve_sqlite(conn, table, *last).await?;
        }
        ids.give_fresh(kind, fresh);
    }
    let versions = remapped(doc, &mut ids);
    // Both passes meet the same ids in the same order; an id past the fresh ones would be
    // counted from 1 and could name another script's row.
    if Kind::ALL.iter().any(|k| ids.next_unknown(*k) != 1) {
        return Err(Error::Database(
            "a version names more deleted rows than were counted".into(),
        ));
    }
    for (v, (data, element_id)) in doc.versions.iter().zip(versions) {
        sqlx::query(
            "INSERT INTO versions (element_type, element_id, version_number, data, comment, created_at, \
             created_by) VALUES ($1, $2, $3, CAST($4 AS json_text), $5, $6, $7)",
        )
        .bind(v.element_type.as_str())
        .bind(element_id)
        .bind(v.version_number)
        .bind(serde_json::to_string(&data)?)
        .bind(&v.comment)
        .bind(&v.created_at)
        .bind(&v.created_by)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// SQLite: makes the table hand out ids above `up_to` from now on (the ids were taken, but
/// no row of the table holds them). PostgreSQL's identity already moved past them.
async fn reserve_sqlite(conn: &mut AnyConnection, table: &str, up_to: i64) -> Result<()> {
    if crate::db::Engine::of(conn) == crate::db::Engine::Postgres {
        return Ok(());
    }
    let updated = sqlx::query("UPDATE sqlite_sequence SET seq = MAX(seq, $1) WHERE name = $2")
        .bind(up_to)
        .bind(table)
        .execute(&mut *conn)
        .await?;
    if updated.rows_affected() == 0 {
        sqlx::query("INSERT INTO sqlite_sequence (name, seq) VALUES ($1, $2)")
            .bind(table)
            .bind(up_to)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
