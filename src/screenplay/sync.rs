//! The editor's re-parse: the whole Fountain text in, the stored script brought in line with
//! it. Scenes and lines are matched by a diff (Myers, over their full content), not by
//! position, so what did not change keeps its id and with it its contexts and paraphrases;
//! a changed line that the diff aligns with its old self is updated in place.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use similar::{capture_diff_slices, Algorithm, DiffOp};
use sqlx::SqliteConnection;
use tracing::instrument;

use super::import::{self, NewRow, NewSection};
use super::scenes::{self, Line, Scene, StoredScene};
use crate::db::Database;
use crate::error::{Error, Result};
use crate::scripts;

#[derive(ts_rs::TS, Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub kept: usize,
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
}

/// What a sync did to the script's sections and elements.
#[derive(ts_rs::TS, Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncSummary {
    pub sections: Counts,
    pub elements: Counts,
}

/// One scene heading or one line, in reading order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Item<'a> {
    Heading(&'a str, Option<&'a str>, bool),
    Line(&'a Line),
}

impl Item<'_> {
    fn same_sort(&self, other: &Item<'_>) -> bool {
        match (self, other) {
            (Item::Heading(..), Item::Heading(..)) => true,
            (Item::Line(a), Item::Line(b)) => a.kind == b.kind,
            _ => false,
        }
    }
}

fn flatten(scenes: &[Scene]) -> Vec<Item<'_>> {
    let mut items = Vec::with_capacity(scenes.iter().map(|s| s.lines.len() + 1).sum());
    for scene in scenes {
        items.push(Item::Heading(
            &scene.title,
            scene.scene_number.as_deref(),
            scene.untitled,
        ));
        items.extend(scene.lines.iter().map(Item::Line));
    }
    items
}

/// For each new item, the old item it continues (if any).
fn align(old: &[Item<'_>], new: &[Item<'_>]) -> Vec<Option<usize>> {
    // The diff wants ordered keys; equal items get equal numbers.
    let mut numbers: HashMap<&Item<'_>, usize> = HashMap::with_capacity(old.len() + new.len());
    let mut key = |item| {
        let next = numbers.len();
        *numbers.entry(item).or_insert(next)
    };
    let old_keys: Vec<usize> = old.iter().map(&mut key).collect();
    let new_keys: Vec<usize> = new.iter().map(&mut key).collect();
    let mut matched = vec![None; new.len()];
    for op in capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for i in 0..len {
                    matched[new_index + i] = Some(old_index + i);
                }
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                // Pair in order, each new item with the next old one of its sort.
                let mut cursor = old_index;
                for n in new_index..new_index + new_len {
                    let found = (cursor..old_index + old_len).find(|o| old[*o].same_sort(&new[n]));
                    if let Some(o) = found {
                        matched[n] = Some(o);
                        cursor = o + 1;
                    }
                }
            }
            DiffOp::Delete { .. } | DiffOp::Insert { .. } => {}
        }
    }
    matched
}

/// Brings the stored script in line with `text` (Fountain) in one transaction.
#[instrument(skip(db, text), err)]
pub async fn sync(db: &Database, script_id: i64, text: &str) -> Result<SyncSummary> {
    if let Some(at) = text.find('\0') {
        return Err(Error::invalid(format!(
            "the text contains a NUL character at byte offset {at}"
        )));
    }
    let screenplay = crate::fountain::parse(text);
    let scenes = scenes::from_screenplay(&screenplay);
    let mut tx = db.begin().await?;
    let script = scripts::fetch_script(&mut tx, script_id).await?;
    sync_title_page(&mut tx, &script, &screenplay.title_page).await?;
    let stored = scenes::load(&mut tx, script_id).await?;
    let (summary, moved) = apply(&mut tx, script_id, &stored, &scenes).await?;
    let edits = |c: Counts| c.added + c.changed + c.removed;
    if moved || edits(summary.sections) + edits(summary.elements) > 0 {
        scripts::touch(&mut tx, script_id).await?;
    }
    tx.commit().await?;
    Ok(summary)
}

/// A changed title page updates the script's title, author and description; an unchanged
/// one leaves them as the writer may have edited them elsewhere.
async fn sync_title_page(
    conn: &mut SqliteConnection,
    script: &scripts::Script,
    pairs: &[(String, String)],
) -> Result<()> {
    let json = (!pairs.is_empty())
        .then(|| serde_json::to_string(pairs))
        .transpose()?;
    let stored: Option<String> =
        sqlx::query_scalar("SELECT title_page FROM scripts WHERE script_id = ?")
            .bind(script.script_id)
            .fetch_one(&mut *conn)
            .await?;
    if stored == json {
        return Ok(());
    }
    // Fields the title page does not mention keep what the script had.
    let fields = import::script_fields(pairs, &script.title);
    let author = fields.author.unwrap_or_else(|| script.author.clone());
    let description = fields
        .description
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| script.description.clone());
    sqlx::query(
        "UPDATE scripts SET title_page = ?, title = ?, author = ?, description = ? WHERE script_id = ?",
    )
    .bind(json)
    .bind(fields.title)
    .bind(author)
    .bind(description)
    .bind(script.script_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Where an old item stands: its id, and for a line its section and place.
struct OldPlace {
    id: i64,
    heading_id: i64,
    sequence: i64,
}

async fn apply(
    conn: &mut SqliteConnection,
    script_id: i64,
    stored: &[StoredScene],
    scenes: &[Scene],
) -> Result<(SyncSummary, bool)> {
    let old_scenes: Vec<Scene> = stored.iter().map(|s| s.scene.clone()).collect();
    let old = flatten(&old_scenes);
    let new = flatten(scenes);
    let mut places = Vec::with_capacity(old.len());
    for (index, s) in stored.iter().enumerate() {
        places.push(OldPlace {
            id: s.heading_id,
            heading_id: s.heading_id,
            sequence: index as i64 + 1,
        });
        for (i, id) in s.element_ids.iter().enumerate() {
            places.push(OldPlace {
                id: *id,
                heading_id: s.heading_id,
                sequence: i as i64 + 1,
            });
        }
    }
    let matched = align(&old, &new);
    let mut used = vec![false; old.len()];
    for o in matched.iter().flatten() {
        used[*o] = true;
    }
    let characters = import::ensure_characters(conn, script_id, scenes).await?;
    let mut next_heading = import::next_id(conn, "section_headings", "heading_id").await?;
    let mut next_element = import::next_id(conn, "elements", "element_id").await?;
    let mut summary = SyncSummary::default();
    let mut new_sections = Vec::new();
    let mut new_rows = Vec::new();
    let mut heading_id = 0;
    let mut section_seq = 0;
    let mut line_seq = 0;
    let mut moved = false;
    // Planned first, written after: a kept line may move into a section not inserted yet.
    let mut renamed: Vec<(i64, &Scene)> = Vec::new();
    let mut reordered: Vec<(i64, i64)> = Vec::new();
    let mut moves: Vec<(i64, i64, i64)> = Vec::new();
    let mut updates: Vec<(i64, i64, i64, &Line, Option<i64>)> = Vec::new();
    let mut scene_iter = scenes.iter();
    for (n, item) in new.iter().enumerate() {
        let previous = matched[n].map(|o| (&places[o], old[o] == *item));
        match item {
            Item::Heading(..) => {
                let Some(scene) = scene_iter.next() else {
                    break;
                };
                section_seq += 1;
                line_seq = 0;
                match previous {
                    Some((place, same)) => {
                        heading_id = place.id;
                        if same {
                            summary.sections.kept += 1;
                        } else {
                            summary.sections.changed += 1;
                            renamed.push((heading_id, scene));
                        }
                        if place.sequence != section_seq {
                            moved = true;
                            reordered.push((heading_id, section_seq));
                        }
                    }
                    None => {
                        heading_id = next_heading;
                        next_heading += 1;
                        summary.sections.added += 1;
                        new_sections.push(NewSection {
                            id: heading_id,
                            scene,
                            sequence: section_seq,
                        });
                    }
                }
            }
            Item::Line(line) => {
                line_seq += 1;
                let character_id = line
                    .character
                    .as_ref()
                    .and_then(|c| characters.get(c).copied());
                match previous {
                    Some((place, true)) => {
                        summary.elements.kept += 1;
                        if place.heading_id != heading_id || place.sequence != line_seq {
                            moved = true;
                            moves.push((place.id, heading_id, line_seq));
                        }
                    }
                    Some((place, false)) => {
                        summary.elements.changed += 1;
                        updates.push((place.id, heading_id, line_seq, line, character_id));
                    }
                    None => {
                        summary.elements.added += 1;
                        new_rows.push(NewRow {
                            id: next_element,
                            heading_id,
                            line,
                            character_id,
                            sequence: line_seq,
                        });
                        next_element += 1;
                    }
                }
            }
        }
    }
    // New sections first: new rows and moved lines may point at them.
    import::insert_sections(conn, script_id, &new_sections).await?;
    for (heading_id, scene) in renamed {
        update_section(conn, heading_id, scene).await?;
    }
    for (heading_id, seq) in reordered {
        set_section_order(conn, heading_id, seq).await?;
    }
    for (id, heading_id, seq) in moves {
        move_element(conn, id, heading_id, seq).await?;
    }
    for (id, heading_id, seq, line, character_id) in updates {
        update_element(conn, id, heading_id, seq, line, character_id).await?;
    }
    import::insert_rows(conn, &new_rows).await?;
    let gone_lines: Vec<i64> = unused(&old, &used, &places, false);
    let gone_sections: Vec<i64> = unused(&old, &used, &places, true);
    summary.elements.removed = gone_lines.len();
    summary.sections.removed = gone_sections.len();
    delete_elements(conn, &gone_lines).await?;
    delete_sections(conn, &gone_sections).await?;
    Ok((summary, moved))
}

fn unused(old: &[Item<'_>], used: &[bool], places: &[OldPlace], headings: bool) -> Vec<i64> {
    old.iter()
        .zip(used)
        .zip(places)
        .filter(|((item, used), _)| !**used && matches!(item, Item::Heading(..)) == headings)
        .map(|(_, place)| place.id)
        .collect()
}

async fn update_section(conn: &mut SqliteConnection, heading_id: i64, scene: &Scene) -> Result<()> {
    sqlx::query(
        "UPDATE section_headings SET title = ?, scene_number = ?, untitled = ? WHERE heading_id = ?",
    )
    .bind(scene.title.trim())
    .bind(&scene.scene_number)
    .bind(scene.untitled)
    .bind(heading_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn set_section_order(conn: &mut SqliteConnection, heading_id: i64, seq: i64) -> Result<()> {
    sqlx::query("UPDATE section_headings SET sequence_number = ? WHERE heading_id = ?")
        .bind(seq)
        .bind(heading_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn move_element(
    conn: &mut SqliteConnection,
    element_id: i64,
    heading_id: i64,
    seq: i64,
) -> Result<()> {
    sqlx::query("UPDATE elements SET heading_id = ?, sequence_number = ? WHERE element_id = ?")
        .bind(heading_id)
        .bind(seq)
        .bind(element_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn update_element(
    conn: &mut SqliteConnection,
    element_id: i64,
    heading_id: i64,
    seq: i64,
    line: &Line,
    character_id: Option<i64>,
) -> Result<()> {
    sqlx::query(
        "UPDATE elements SET heading_id = ?, sequence_number = ?, kind = ?, text = ?, character_id = ?, \
         parenthetical = ?, extension = ?, dual = ?, continues = ?, depth = ? WHERE element_id = ?",
    )
    .bind(heading_id)
    .bind(seq)
    .bind(line.kind.as_str())
    .bind(&line.text)
    .bind(character_id)
    .bind(&line.parenthetical)
    .bind(&line.extension)
    .bind(line.dual)
    .bind(line.continues)
    .bind(line.depth)
    .bind(element_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Deletes elements with their paraphrases; their contexts go by cascade.
async fn delete_elements(conn: &mut SqliteConnection, ids: &[i64]) -> Result<()> {
    for chunk in ids.chunks(500) {
        let list = id_list(chunk);
        sqlx::query(&format!(
            "DELETE FROM paraphrases WHERE original_type IN ('action', 'spokenWord') AND original_id IN ({list})"
        ))
        .execute(&mut *conn)
        .await?;
        sqlx::query(&format!(
            "DELETE FROM elements WHERE element_id IN ({list})"
        ))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Deletes sections that no longer hold anything (their lines were moved or deleted).
async fn delete_sections(conn: &mut SqliteConnection, ids: &[i64]) -> Result<()> {
    for chunk in ids.chunks(500) {
        sqlx::query(&format!(
            "DELETE FROM section_headings WHERE heading_id IN ({})",
            id_list(chunk)
        ))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Ids are integers from the database, so they can be written into the SQL safely.
fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}
