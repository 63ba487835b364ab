//! Central Sequence: the one authority for order. Every other module allocates, moves and
//! releases sequence numbers only through the functions here, inside its own transaction.
//!
//! Scopes: scripts are ordered globally, sections and characters within their script, and the
//! elements of a section (actions, spoken words, transitions) within their section.

mod versions;

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};
use tracing::instrument;

use crate::db::{Database, Engine};
use crate::error::{Error, Result};

pub(crate) use versions::upsert_element;
pub use versions::{
    create_version, diff_versions, get_version, list_versions, restore_version, Version,
    VersionChange, VersionDiff, VersionSummary,
};

#[derive(ts_rs::TS, Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(
    feature = "cli",
    derive(clap::ValueEnum),
    value(rename_all = "camelCase")
)]
pub enum ElementType {
    Script,
    Section,
    Character,
    Action,
    #[cfg_attr(feature = "cli", value(alias = "dialogue"))]
    SpokenWord,
    Transition,
    /// Any element of a section, whatever its kind.
    Element,
}

impl ElementType {
    pub const ALL: [ElementType; 7] = [
        ElementType::Script,
        ElementType::Section,
        ElementType::Character,
        ElementType::Action,
        ElementType::SpokenWord,
        ElementType::Transition,
        ElementType::Element,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ElementType::Script => "script",
            ElementType::Section => "section",
            ElementType::Character => "character",
            ElementType::Action => "action",
            ElementType::SpokenWord => "spokenWord",
            ElementType::Transition => "transition",
            ElementType::Element => "element",
        }
    }

    /// The display name used in messages ("Script not found.").
    pub fn noun(self) -> &'static str {
        match self {
            ElementType::Script => "Script",
            ElementType::Section => "Section",
            ElementType::Character => "Character",
            ElementType::Action => "Action",
            ElementType::SpokenWord => "Spoken word",
            ElementType::Transition => "Transition",
            ElementType::Element => "Element",
        }
    }

    fn layout(self) -> Layout {
        let element = |kind| Layout {
            table: "elements",
            id: "element_id",
            scope: "heading_id",
            kind,
        };
        match self {
            ElementType::Script => Layout {
                table: "scripts",
                id: "script_id",
                scope: "0",
                kind: None,
            },
            ElementType::Section => Layout {
                table: "section_headings",
                id: "heading_id",
                scope: "script_id",
                kind: None,
            },
            ElementType::Character => Layout {
                table: "characters",
                id: "character_id",
                scope: "script_id",
                kind: None,
            },
            ElementType::Action => element(Some("action")),
            ElementType::SpokenWord => element(Some("dialogue")),
            ElementType::Transition => element(Some("transition")),
            ElementType::Element => element(None),
        }
    }
}

impl fmt::Display for ElementType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ElementType {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        ElementType::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s) || (s == "dialogue" && *t == ElementType::SpokenWord))
            .ok_or_else(|| {
                Error::invalid(format!(
                    "unknown element type {s:?}; expected one of script, section, character, action, spokenWord, transition, element"
                ))
            })
    }
}

/// Where an element type's order lives. `scope` is a column, or the constant `0` for the one
/// global scope of scripts, so every query can say `WHERE {scope} = ?`.
struct Layout {
    table: &'static str,
    id: &'static str,
    scope: &'static str,
    kind: Option<&'static str>,
}

impl Layout {
    fn kind_clause(&self) -> String {
        self.kind
            .map(|k| format!(" AND kind = '{k}'"))
            .unwrap_or_default()
    }
}

/// One element's requested or resulting place.
#[derive(ts_rs::TS, Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Placement {
    pub element_id: i64,
    pub new_sequence: i64,
}

#[derive(ts_rs::TS, Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SequenceNumber {
    pub element_type: ElementType,
    pub element_id: i64,
    pub sequence_number: i64,
}

#[derive(ts_rs::TS, Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReorderResult {
    pub element_type: ElementType,
    pub scope_id: i64,
    /// The whole scope in its new order, 1..n.
    pub updated_elements: Vec<Placement>,
}

/// The scope and current number of one element; `NotFound` if it does not exist as `ty`.
async fn locate(conn: &mut AnyConnection, ty: ElementType, id: i64) -> Result<(i64, Option<i64>)> {
    let l = ty.layout();
    let sql = format!(
        "SELECT {scope} AS scope, sequence_number FROM {table} WHERE {id} = $1{kind}",
        scope = l.scope,
        table = l.table,
        id = l.id,
        kind = l.kind_clause()
    );
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::not_found(format!("{} {id} not found.", ty.noun())))?;
    Ok((row.try_get("scope")?, row.try_get("sequence_number")?))
}

/// On PostgreSQL, where writers run side by side, makes every other writer that changes the
/// order of the same script (or, for scripts, of the library) wait until this transaction
/// ends: the next number is read and written under the lock. The script's row is the lock, as
/// every change to a script touches it anyway. SQLite's one writer needs none; on PostgreSQL
/// the deferred unique (scope, number) constraint refuses whatever would slip through.
pub(crate) async fn lock_scope(
    conn: &mut AnyConnection,
    ty: ElementType,
    scope: i64,
) -> Result<()> {
    if Engine::of(conn) != Engine::Postgres {
        return Ok(());
    }
    let sql = match ty {
        ElementType::Script => "SELECT 1 FROM (SELECT pg_advisory_xact_lock($1)) AS library",
        ElementType::Section | ElementType::Character => {
            "SELECT 1 FROM scripts WHERE script_id = $1 FOR UPDATE"
        }
        _ => {
            "SELECT 1 FROM scripts WHERE script_id = \
             (SELECT script_id FROM section_headings WHERE heading_id = $1) FOR UPDATE"
        }
    };
    // The library's order has no row of its own: an advisory lock named for it.
    let key = if ty == ElementType::Script {
        LIBRARY_LOCK
    } else {
        scope
    };
    sqlx::query(sql).bind(key).execute(&mut *conn).await?;
    Ok(())
}

/// The advisory lock key of the library's order of scripts ("FAIS" in ASCII).
const LIBRARY_LOCK: i64 = 0x4641_4953;

/// Ids of a scope in order (unordered rows last, by id).
pub(crate) async fn scope_order(
    conn: &mut AnyConnection,
    ty: ElementType,
    scope: i64,
) -> Result<Vec<(i64, Option<i64>)>> {
    let l = ty.layout();
    let sql = format!(
        "SELECT {id} AS id, sequence_number FROM {table} WHERE {scope} = $1 \
         ORDER BY sequence_number IS NULL, sequence_number, {id}",
        id = l.id,
        table = l.table,
        scope = l.scope
    );
    let rows = sqlx::query(&sql).bind(scope).fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("sequence_number")?)))
        .collect()
}

async fn set_number(
    conn: &mut AnyConnection,
    ty: ElementType,
    id: i64,
    number: Option<i64>,
) -> Result<()> {
    let l = ty.layout();
    let sql = format!(
        "UPDATE {} SET sequence_number = $1 WHERE {} = $2",
        l.table, l.id
    );
    sqlx::query(&sql)
        .bind(number)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// generateSequenceNumber: the element's number, allocating the next one in its scope the
/// first time. Asking again returns the same number.
pub async fn generate(conn: &mut AnyConnection, ty: ElementType, id: i64) -> Result<i64> {
    let (scope, current) = locate(conn, ty, id).await?;
    if let Some(number) = current {
        return Ok(number);
    }
    lock_scope(conn, ty, scope).await?;
    let l = ty.layout();
    let sql = format!(
        "SELECT COALESCE(MAX(sequence_number), 0) + 1 FROM {} WHERE {} = $1",
        l.table, l.scope
    );
    let next: i64 = sqlx::query_scalar(&sql)
        .bind(scope)
        .fetch_one(&mut *conn)
        .await?;
    set_number(conn, ty, id, Some(next)).await?;
    Ok(next)
}

/// Takes an element out of its scope's order (before it is deleted or moved elsewhere),
/// closing the gap it leaves.
pub async fn release(conn: &mut AnyConnection, ty: ElementType, id: i64) -> Result<()> {
    let (scope, current) = locate(conn, ty, id).await?;
    lock_scope(conn, ty, scope).await?;
    set_number(conn, ty, id, None).await?;
    if let Some(old) = current {
        let l = ty.layout();
        let sql = format!(
            "UPDATE {} SET sequence_number = sequence_number - 1 WHERE {} = $1 AND sequence_number > $2",
            l.table, l.scope
        );
        sqlx::query(&sql)
            .bind(scope)
            .bind(old)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Moves one element to `position` (clamped to 1..n) within its scope, shifting the others.
pub async fn move_to(
    conn: &mut AnyConnection,
    ty: ElementType,
    id: i64,
    position: i64,
) -> Result<i64> {
    let old = generate(conn, ty, id).await?;
    let (scope, _) = locate(conn, ty, id).await?;
    lock_scope(conn, ty, scope).await?;
    let l = ty.layout();
    let count_sql = format!("SELECT COUNT(*) FROM {} WHERE {} = $1", l.table, l.scope);
    let count: i64 = sqlx::query_scalar(&count_sql)
        .bind(scope)
        .fetch_one(&mut *conn)
        .await?;
    let target = position.clamp(1, count.max(1));
    let (shift, low, high) = match target.cmp(&old) {
        std::cmp::Ordering::Equal => return Ok(old),
        std::cmp::Ordering::Less => (1, target, old - 1),
        std::cmp::Ordering::Greater => (-1, old + 1, target),
    };
    let sql = format!(
        "UPDATE {} SET sequence_number = sequence_number + $1 \
         WHERE {} = $2 AND sequence_number BETWEEN $3 AND $4",
        l.table, l.scope
    );
    sqlx::query(&sql)
        .bind(shift)
        .bind(scope)
        .bind(low)
        .bind(high)
        .execute(&mut *conn)
        .await?;
    set_number(conn, ty, id, Some(target)).await?;
    Ok(target)
}

/// Renumbers a scope 1..n keeping its current order; repairs gaps and duplicates.
pub async fn compact(conn: &mut AnyConnection, ty: ElementType, scope: i64) -> Result<()> {
    lock_scope(conn, ty, scope).await?;
    let order = scope_order(conn, ty, scope).await?;
    for (index, (id, number)) in order.into_iter().enumerate() {
        let wanted = index as i64 + 1;
        if number != Some(wanted) {
            set_number(conn, ty, id, Some(wanted)).await?;
        }
    }
    Ok(())
}

/// reorderElements: puts the named elements at their new places and the rest of the scope in
/// the remaining places, in their old relative order. The result is gap-free 1..n. A duplicate,
/// unknown or out-of-scope id, or a place outside 1..n, rejects the whole call before anything
/// is written.
pub async fn reorder(
    conn: &mut AnyConnection,
    ty: ElementType,
    scope: Option<i64>,
    placements: &[Placement],
) -> Result<ReorderResult> {
    let first = placements
        .first()
        .ok_or_else(|| Error::invalid("reorder needs at least one element"))?;
    check_distinct(placements)?;
    let scope = match scope {
        Some(scope) => scope,
        None => locate(conn, ty, first.element_id).await?.0,
    };
    lock_scope(conn, ty, scope).await?;
    for p in placements {
        let (element_scope, _) = locate(conn, ty, p.element_id).await?;
        if element_scope != scope {
            return Err(Error::invalid(format!(
                "{} {} does not belong to this {}; nothing was reordered",
                ty.noun(),
                p.element_id,
                scope_noun(ty)
            )));
        }
    }
    let current = scope_order(conn, ty, scope).await?;
    let ids: Vec<i64> = current.iter().map(|(id, _)| *id).collect();
    let order = place(&ids, placements)?;
    let numbers: std::collections::HashMap<i64, Option<i64>> = current.into_iter().collect();
    let mut updated = Vec::with_capacity(order.len());
    for (index, id) in order.into_iter().enumerate() {
        let wanted = index as i64 + 1;
        if numbers.get(&id).copied().flatten() != Some(wanted) {
            set_number(conn, ty, id, Some(wanted)).await?;
        }
        updated.push(Placement {
            element_id: id,
            new_sequence: wanted,
        });
    }
    Ok(ReorderResult {
        element_type: ty,
        scope_id: scope,
        updated_elements: updated,
    })
}

fn scope_noun(ty: ElementType) -> &'static str {
    match ty {
        ElementType::Script => "library",
        ElementType::Section | ElementType::Character => "script",
        _ => "section",
    }
}

fn check_distinct(placements: &[Placement]) -> Result<()> {
    let mut ids = HashSet::new();
    let mut places = HashSet::new();
    for p in placements {
        if !ids.insert(p.element_id) {
            return Err(Error::invalid(format!(
                "element {} appears twice; nothing was reordered",
                p.element_id
            )));
        }
        if !places.insert(p.new_sequence) {
            return Err(Error::invalid(format!(
                "two elements asked for place {}; nothing was reordered",
                p.new_sequence
            )));
        }
    }
    Ok(())
}

/// The new order of a scope: placed ids at their places, the others filling the gaps in order.
fn place(current: &[i64], placements: &[Placement]) -> Result<Vec<i64>> {
    let n = current.len();
    let mut slots: Vec<Option<i64>> = vec![None; n];
    for p in placements {
        let index = usize::try_from(p.new_sequence - 1)
            .ok()
            .filter(|i| *i < n)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "place {} is outside 1..{n}; nothing was reordered",
                    p.new_sequence
                ))
            })?;
        slots[index] = Some(p.element_id);
    }
    let placed: HashSet<i64> = placements.iter().map(|p| p.element_id).collect();
    let mut rest = current.iter().filter(|id| !placed.contains(id));
    Ok(slots
        .into_iter()
        .map(|slot| slot.or_else(|| rest.next().copied()).unwrap_or_default())
        .collect())
}

/// generateSequenceNumber as a service call.
#[instrument(skip(db), err)]
pub async fn generate_sequence_number(
    db: &Database,
    ty: ElementType,
    id: i64,
) -> Result<SequenceNumber> {
    let mut tx = db.begin().await?;
    let number = generate(&mut tx, ty, id).await?;
    tx.commit().await?;
    Ok(SequenceNumber {
        element_type: ty,
        element_id: id,
        sequence_number: number,
    })
}

/// reorderElements as a service call: atomic, all or nothing.
#[instrument(skip(db, placements), err)]
pub async fn reorder_elements(
    db: &Database,
    ty: ElementType,
    scope: Option<i64>,
    placements: &[Placement],
) -> Result<ReorderResult> {
    let mut tx = db.begin().await?;
    let result = reorder(&mut tx, ty, scope, placements).await?;
    touch_script_of(&mut tx, ty, result.scope_id).await?;
    tx.commit().await?;
    Ok(result)
}

/// Placements for a full order given as a list of ids: the first is 1, the next 2, …
pub fn placements_from_order(ids: &[i64]) -> Vec<Placement> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| Placement {
            element_id: *id,
            new_sequence: i as i64 + 1,
        })
        .collect()
}

/// A reorder changes the script it happens in; its `updatedAt` says so.
async fn touch_script_of(conn: &mut AnyConnection, ty: ElementType, scope: i64) -> Result<()> {
    let sql = match ty {
        ElementType::Script => return Ok(()),
        ElementType::Section | ElementType::Character => "UPDATE scripts SET updated_at = $1, revision = revision + 1 WHERE script_id = $2",
        _ => "UPDATE scripts SET updated_at = $1, revision = revision + 1 WHERE script_id = (SELECT script_id FROM section_headings WHERE heading_id = $2)",
    };
    sqlx::query(sql)
        .bind(crate::db::now())
        .bind(scope)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(element_id: i64, new_sequence: i64) -> Placement {
        Placement {
            element_id,
            new_sequence,
        }
    }

    #[test]
    fn partial_placement_keeps_the_rest_in_order() {
        let order = place(&[10, 20, 30, 40], &[p(40, 1)]).unwrap();
        assert_eq!(order, vec![40, 10, 20, 30]);
    }

    #[test]
    fn place_outside_the_scope_is_rejected() {
        assert!(place(&[1, 2], &[p(1, 3)]).is_err());
        assert!(place(&[1, 2], &[p(1, 0)]).is_err());
    }

    #[test]
    fn duplicates_are_rejected() {
        assert!(check_distinct(&[p(1, 1), p(1, 2)]).is_err());
        assert!(check_distinct(&[p(1, 1), p(2, 1)]).is_err());
    }

    #[test]
    fn element_types_parse_from_their_contract_names() {
        assert_eq!(
            "spokenWord".parse::<ElementType>().unwrap(),
            ElementType::SpokenWord
        );
        assert_eq!(
            "SECTION".parse::<ElementType>().unwrap(),
            ElementType::Section
        );
        assert!("scene".parse::<ElementType>().is_err());
    }
}
