//! Screenplay → services, the bulk way: one transaction, ids and sequence numbers assigned
//! in memory, multi-row inserts. A 120-page script is a handful of statements instead of
//! thousands of service calls.

use std::collections::HashMap;

use sqlx::AnyConnection;

use crate::db::Batch;

use super::scenes::{Line, Scene};
use super::source::{KeptText, Piece};
use super::{ImportSummary, AUTHOR_KEYS};
use crate::db::Engine;
use crate::error::{Error, Result};
use crate::fountain::Screenplay;
use crate::scripts::{self, NewScript};

/// Rows per INSERT: thirteen columns each stays far below SQLite's 32,766 bound parameters.
const CHUNK: usize = 500;

/// The next free id of a table whose ids the caller assigns in memory. SQLite: the caller
/// holds the write lock (`BEGIN IMMEDIATE`), so nobody else can take it before the insert; ids
/// are never reused. PostgreSQL: the table is locked against other writers' inserts until this
/// transaction ends, and the server's trigger moves the identity past every id inserted, so a
/// writer's next plain insert takes a fresh one.
pub(crate) async fn next_id(conn: &mut AnyConnection, table: &str, id: &str) -> Result<i64> {
    let sql = match Engine::of(conn) {
        Engine::Sqlite => format!(
            "SELECT MAX(IFNULL((SELECT MAX({id}) FROM {table}), 0), \
                    IFNULL((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0)) + 1"
        ),
        Engine::Postgres => {
            sqlx::query(&format!("LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE"))
                .execute(&mut *conn)
                .await?;
            format!(
                "SELECT GREATEST(COALESCE((SELECT MAX({id}) FROM {table}), 0), \
                        COALESCE(pg_sequence_last_value(pg_get_serial_sequence('{table}', '{id}')::regclass), 0)) + 1"
            )
        }
    };
    Ok(sqlx::query_scalar(&sql).fetch_one(&mut *conn).await?)
}

/// `n` fresh ids for rows of `table`. SQLite's one writer takes the next ones in a row. On
/// PostgreSQL they come from the table's identity, which blocks no other writer (unlike
/// [`next_id`]'s table lock, which an editor's save would otherwise hold against every other
/// writer until it commits); they need not be in a row.
pub(crate) async fn reserve_ids(
    conn: &mut AnyConnection,
    table: &str,
    id: &str,
    n: usize,
) -> Result<Vec<i64>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let count = i64::try_from(n).map_err(|_| Error::invalid("too many rows at once"))?;
    match Engine::of(conn) {
        Engine::Sqlite => {
            let first = next_id(conn, table, id).await?;
            Ok((first..first.saturating_add(count)).collect())
        }
        // The sequence is looked up once: named in nextval's argument, the lookup ran for
        // every id (17 ms of a 120-page import's 2,400 lines, against 2 ms).
        Engine::Postgres => Ok(sqlx::query_scalar(&format!(
            "WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence('{table}', '{id}')::regclass AS seq) \
             SELECT nextval(s.seq) FROM s, generate_series(1, $1) ORDER BY 1"
        ))
        .bind(count)
        .fetch_all(&mut *conn)
        .await?),
    }
}

/// A section to insert with its id and place already decided.
pub(crate) struct NewSection<'a> {
    pub id: i64,
    pub scene: &'a Scene,
    pub sequence: i64,
    /// The writer's text of its heading, when a new script is imported.
    pub kept: Option<Piece<'a>>,
}

/// An element row to insert with its id and place already decided.
pub(crate) struct NewRow<'a> {
    pub id: i64,
    pub heading_id: i64,
    pub line: &'a Line,
    pub character_id: Option<i64>,
    pub sequence: i64,
    /// The writer's text of the line, when a new script is imported.
    pub kept: Option<Piece<'a>>,
}

pub(crate) async fn insert_sections(
    conn: &mut AnyConnection,
    script_id: i64,
    sections: &[NewSection<'_>],
) -> Result<()> {
    for chunk in sections.chunks(CHUNK) {
        let mut q = Batch::new(
            "INSERT INTO section_headings (heading_id, script_id, title, scene_number, untitled, \
             sequence_number, source, source_of) ",
        );
        q.values(chunk, |b, s| {
            b.bind(s.id)
                .bind(script_id)
                .bind(s.scene.title.trim().to_string())
                .bind(s.scene.scene_number.clone())
                .bind(s.scene.untitled)
                .bind(s.sequence)
                .bind(s.kept.map(|k| k.text))
                .bind(s.kept.map(|k| k.key));
        });
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

pub(crate) async fn insert_rows(conn: &mut AnyConnection, rows: &[NewRow<'_>]) -> Result<()> {
    for chunk in rows.chunks(CHUNK) {
        let mut q = Batch::new(
            "INSERT INTO elements (element_id, heading_id, kind, text, character_id, parenthetical, \
             extension, dual, continues, depth, sequence_number, source, source_of) ",
        );
        q.values(chunk, |b, r| {
            b.bind(r.id)
                .bind(r.heading_id)
                .bind(r.line.kind.as_str())
                .bind(r.line.text.clone())
                .bind(r.character_id)
                .bind(r.line.parenthetical.clone())
                .bind(r.line.extension.clone())
                .bind(r.line.dual)
                .bind(r.line.continues)
                .bind(r.line.depth)
                .bind(r.sequence)
                .bind(r.kept.map(|k| k.text))
                .bind(r.kept.map(|k| k.key));
        });
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Creates the characters named in `scenes` that the script does not have yet (in order of
/// first appearance, after the existing ones) and returns every name's id.
pub(crate) async fn ensure_characters(
    conn: &mut AnyConnection,
    script_id: i64,
    scenes: &[Scene],
) -> Result<HashMap<String, i64>> {
    let existing: Vec<(String, i64)> =
        sqlx::query_as("SELECT name, character_id FROM characters WHERE script_id = $1")
            .bind(script_id)
            .fetch_all(&mut *conn)
            .await?;
    let mut ids: HashMap<String, i64> = existing.into_iter().collect();
    let mut new_names: Vec<&str> = Vec::new();
    for name in scenes
        .iter()
        .flat_map(|s| &s.lines)
        .filter_map(|l| l.character.as_deref())
    {
        if !ids.contains_key(name) && !new_names.contains(&name) {
            new_names.push(name);
        }
    }
    if new_names.is_empty() {
        return Ok(ids);
    }
    let new: Vec<(&str, &str)> = new_names.iter().map(|n| (*n, "")).collect();
    let new_ids = insert_characters(conn, script_id, &new).await?;
    for (name, id) in new_names.iter().zip(new_ids) {
        ids.insert(name.to_string(), id);
    }
    Ok(ids)
}

/// Inserts characters (name, description) after the script's existing ones; returns their ids.
pub(crate) async fn insert_characters(
    conn: &mut AnyConnection,
    script_id: i64,
    new: &[(&str, &str)],
) -> Result<Vec<i64>> {
    let ids = reserve_ids(conn, "characters", "character_id", new.len()).await?;
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM characters WHERE script_id = $1")
        .bind(script_id)
        .fetch_one(&mut *conn)
        .await?;
    let rows: Vec<(i64, i64, &(&str, &str))> = ids
        .iter()
        .zip(new)
        .enumerate()
        .map(|(i, (id, named))| (*id, count + i as i64 + 1, named))
        .collect();
    for chunk in rows.chunks(CHUNK) {
        let mut q = Batch::new(
            "INSERT INTO characters (character_id, script_id, name, description, sequence_number) ",
        );
        q.values(chunk.iter(), |b, (id, sequence, (name, description))| {
            b.bind(*id)
                .bind(script_id)
                .bind(name.trim().to_string())
                .bind(description.trim().to_string())
                .bind(*sequence);
        });
        q.execute(&mut *conn).await?;
    }
    Ok(ids)
}

/// Inserts scenes after the script's existing sections, each with its piece of the writer's
/// text when `kept` has it; returns each scene's section id and element ids. `characters`
/// must name every speaker.
pub(crate) async fn insert_scenes(
    conn: &mut AnyConnection,
    script_id: i64,
    scenes: &[Scene],
    characters: &HashMap<String, i64>,
    kept: Option<&KeptText<'_>>,
) -> Result<Vec<(i64, Vec<i64>)>> {
    let section_ids = reserve_ids(conn, "section_headings", "heading_id", scenes.len()).await?;
    let line_count = scenes.iter().map(|s| s.lines.len()).sum();
    let mut element_ids = reserve_ids(conn, "elements", "element_id", line_count)
        .await?
        .into_iter();
    let existing: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM section_headings WHERE script_id = $1")
            .bind(script_id)
            .fetch_one(&mut *conn)
            .await?;
    let kept_scene = |i: usize| kept.and_then(|k| k.scenes.get(i));
    let sections: Vec<NewSection> = scenes
        .iter()
        .zip(section_ids)
        .enumerate()
        .map(|(i, (scene, id))| NewSection {
            id,
            scene,
            sequence: existing + i as i64 + 1,
            kept: kept_scene(i).map(|k| k.heading),
        })
        .collect();
    insert_sections(conn, script_id, &sections).await?;
    let mut rows = Vec::with_capacity(line_count);
    let mut created = Vec::with_capacity(sections.len());
    for (i, section) in sections.iter().enumerate() {
        let mut ids = Vec::with_capacity(section.scene.lines.len());
        for (j, line) in section.scene.lines.iter().enumerate() {
            let id = element_ids
                .next()
                .ok_or_else(|| Error::Database("fewer ids than lines".into()))?;
            rows.push(NewRow {
                id,
                heading_id: section.id,
                line,
                character_id: line
                    .character
                    .as_ref()
                    .and_then(|n| characters.get(n).copied()),
                sequence: j as i64 + 1,
                kept: kept_scene(i).and_then(|k| k.lines.get(j).copied()),
            });
            ids.push(id);
        }
        created.push((section.id, ids));
    }
    insert_rows(conn, &rows).await?;
    Ok(created)
}

/// Creates a script from a parsed screenplay inside the caller's transaction. `text`: the
/// Fountain text it was read from, kept beside the rows so its export gives it back.
pub(crate) async fn insert_screenplay(
    conn: &mut AnyConnection,
    screenplay: &Screenplay<'_>,
    fallback_title: &str,
    text: Option<&str>,
) -> Result<ImportSummary> {
    let (scenes, starts) = super::scenes::read(screenplay);
    let kept = text.and_then(|text| super::source::kept_text(text, &starts, &scenes));
    let script =
        scripts::insert_script(conn, &script_fields(&screenplay.title_page, fallback_title))
            .await?;
    if !screenplay.title_page.is_empty() {
        sqlx::query("UPDATE scripts SET title_page = CAST($1 AS json_text) WHERE script_id = $2")
            .bind(serde_json::to_string(&screenplay.title_page)?)
            .bind(script.script_id)
            .execute(&mut *conn)
            .await?;
    }
    let characters = ensure_characters(conn, script.script_id, &scenes).await?;
    let created =
        insert_scenes(conn, script.script_id, &scenes, &characters, kept.as_ref()).await?;
    if let Some(kept) = &kept {
        super::source::keep_preamble(conn, script.script_id, kept.preamble).await?;
    }
    super::scenes::settle_revisions(conn, script.script_id).await?;
    Ok(ImportSummary {
        script_id: script.script_id,
        sections: created.len(),
        characters: characters.len(),
        elements: created.iter().map(|(_, ids)| ids.len()).sum(),
    })
}

/// Title, author and description from the title page; the file name when it has no title.
pub(crate) fn script_fields(title_page: &[(String, String)], fallback_title: &str) -> NewScript {
    let value = |keys: &[&str]| {
        title_page
            .iter()
            .find(|(k, _)| keys.contains(&k.as_str()))
            .map(|(_, v)| plain_text(v))
            .filter(|v| !v.is_empty())
    };
    let title = value(&["title"])
        .or_else(|| Some(fallback_title.trim().to_string()).filter(|t| !t.is_empty()))
        .unwrap_or_else(|| "Untitled".to_string());
    let description = title_page
        .iter()
        .filter(|(k, _)| k != "title" && !AUTHOR_KEYS.contains(&k.as_str()))
        .map(|(k, v)| format!("{k}: {}", v.replace('\n', ", ")))
        .collect::<Vec<_>>()
        .join("\n");
    NewScript {
        title,
        author: value(&AUTHOR_KEYS),
        description: Some(description),
    }
}

/// Title page text without emphasis markers, its lines joined by spaces.
pub(crate) fn plain_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut escaped = false;
    for c in value.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '*' | '_' if !escaped => {}
            '\n' => {
                out.push(' ');
                escaped = false;
            }
            _ => {
                out.push(c);
                escaped = false;
            }
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
