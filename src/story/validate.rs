//! The validation report: what is wrong with a script's order and references.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};
use tracing::instrument;

use crate::db::Database;
use crate::error::Result;
use crate::scripts;
use crate::sequence::ElementType;

#[derive(ts_rs::TS, Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    /// The story is inconsistent and should be repaired.
    Error,
    /// Worth a look, but a valid story (a character who never speaks).
    Warning,
}

#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidationIssue {
    /// gap, duplicate, unordered, danglingReference or silentCharacter.
    pub kind: String,
    pub severity: Severity,
    pub element_type: ElementType,
    pub element_id: i64,
    /// The section at fault (or holding the element at fault), for a link in the UI.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub heading_id: Option<i64>,
    pub message: String,
}

#[derive(ts_rs::TS, Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidationReport {
    pub script_id: i64,
    /// True when there is no error (warnings allowed).
    pub valid: bool,
    pub issues: Vec<ValidationIssue>,
}

struct Ordered {
    id: i64,
    scope: i64,
    number: Option<i64>,
}

fn issue(
    kind: &str,
    severity: Severity,
    ty: ElementType,
    id: i64,
    heading: Option<i64>,
    message: String,
) -> ValidationIssue {
    ValidationIssue {
        kind: kind.into(),
        severity,
        element_type: ty,
        element_id: id,
        heading_id: heading,
        message,
    }
}

/// Gaps, duplicates and missing numbers within each scope of `rows` (sorted by scope, number).
fn order_issues(
    ty: ElementType,
    rows: &[Ordered],
    heading_of: impl Fn(&Ordered) -> Option<i64>,
) -> Vec<ValidationIssue> {
    let mut issues = Vec::new();
    let mut scopes: BTreeMap<i64, Vec<&Ordered>> = BTreeMap::new();
    for row in rows {
        scopes.entry(row.scope).or_default().push(row);
    }
    for members in scopes.values() {
        let mut expected = 1;
        let mut previous: Option<i64> = None;
        for row in members {
            let Some(number) = row.number else {
                issues.push(issue(
                    "unordered",
                    Severity::Error,
                    ty,
                    row.id,
                    heading_of(row),
                    format!("{} {} has no sequence number", ty.noun(), row.id),
                ));
                continue;
            };
            if previous == Some(number) {
                issues.push(issue(
                    "duplicate",
                    Severity::Error,
                    ty,
                    row.id,
                    heading_of(row),
                    format!(
                        "{} {} shares sequence number {number} with another",
                        ty.noun(),
                        row.id
                    ),
                ));
                continue;
            }
            if number != expected {
                issues.push(issue(
                    "gap",
                    Severity::Error,
                    ty,
                    row.id,
                    heading_of(row),
                    format!(
                        "{} {} is number {number} where {expected} was expected",
                        ty.noun(),
                        row.id
                    ),
                ));
            }
            previous = Some(number);
            expected = number + 1;
        }
    }
    issues
}

async fn ordered(conn: &mut AnyConnection, sql: &str, script_id: i64) -> Result<Vec<Ordered>> {
    let rows = super::script_rows(conn, sql, script_id).await?;
    rows.iter()
        .map(|r| {
            Ok(Ordered {
                id: r.try_get(0)?,
                scope: r.try_get(1)?,
                number: r.try_get(2)?,
            })
        })
        .collect()
}

/// Each scope's rows as (id, scope, sequence number), unnumbered last.
const SECTION_ORDER: &str = "SELECT heading_id, script_id, sequence_number FROM section_headings \
     WHERE script_id = $1 ORDER BY sequence_number IS NULL, sequence_number, heading_id";
const CHARACTER_ORDER: &str = "SELECT character_id, script_id, sequence_number FROM characters \
     WHERE script_id = $1 ORDER BY sequence_number IS NULL, sequence_number, character_id";
const ELEMENT_ORDER: &str = "SELECT e.element_id, e.heading_id, e.sequence_number FROM elements e \
     JOIN section_headings h USING (heading_id) WHERE h.script_id = $1 \
     ORDER BY e.heading_id, e.sequence_number IS NULL, e.sequence_number, e.element_id";

async fn sequence_issues(conn: &mut AnyConnection, script_id: i64) -> Result<Vec<ValidationIssue>> {
    let sections = ordered(conn, SECTION_ORDER, script_id).await?;
    let characters = ordered(conn, CHARACTER_ORDER, script_id).await?;
    let elements = ordered(conn, ELEMENT_ORDER, script_id).await?;
    let mut issues = order_issues(ElementType::Section, &sections, |r| Some(r.id));
    issues.extend(order_issues(ElementType::Character, &characters, |_| None));
    issues.extend(order_issues(ElementType::Element, &elements, |r| {
        Some(r.scope)
    }));
    Ok(issues)
}

async fn reference_issues(
    conn: &mut AnyConnection,
    script_id: i64,
) -> Result<Vec<ValidationIssue>> {
    // Dialogue without a speaker, or spoken by a character of another script (or one gone).
    let rows = super::script_rows(conn, "SELECT e.element_id, e.heading_id, e.kind, e.character_id, c.script_id AS owner \
         FROM elements e JOIN section_headings h USING (heading_id) \
         LEFT JOIN characters c ON c.character_id = e.character_id \
         WHERE h.script_id = $1 AND ((e.kind = 'dialogue' AND e.character_id IS NULL) \
            OR (e.character_id IS NOT NULL AND (c.script_id IS NULL OR c.script_id <> h.script_id))) \
         ORDER BY e.element_id", script_id).await?;
    let mut issues = Vec::new();
    for r in &rows {
        let id: i64 = r.try_get("element_id")?;
        let character: Option<i64> = r.try_get("character_id")?;
        let message = match character {
            None => format!("line {id} has no character"),
            Some(c) => format!("element {id} refers to character {c}, who is not in this script"),
        };
        issues.push(issue(
            "danglingReference",
            Severity::Error,
            ElementType::Element,
            id,
            r.try_get("heading_id")?,
            message,
        ));
    }
    issues.extend(context_issues(conn, script_id).await?);
    Ok(issues)
}

/// Contexts of this script's sessions that point at sections or characters of another script.
async fn context_issues(conn: &mut AnyConnection, script_id: i64) -> Result<Vec<ValidationIssue>> {
    let rows = super::script_rows(conn, "SELECT x.context_id, x.heading_id FROM contexts x JOIN sessions s USING (session_id) \
         LEFT JOIN section_headings h ON h.heading_id = x.heading_id \
         LEFT JOIN characters c ON c.character_id = x.character_id \
         WHERE s.script_id = $1 AND ((x.heading_id IS NOT NULL AND (h.script_id IS NULL OR h.script_id <> s.script_id)) \
            OR (x.character_id IS NOT NULL AND (c.script_id IS NULL OR c.script_id <> s.script_id))) \
         ORDER BY x.context_id", script_id).await?;
    rows.iter()
        .map(|r| {
            let id: i64 = r.try_get("context_id")?;
            Ok(issue(
                "danglingReference",
                Severity::Error,
                ElementType::Section,
                id,
                None,
                format!("context {id} refers to a section or character outside this script"),
            ))
        })
        .collect()
}

async fn silent_characters(
    conn: &mut AnyConnection,
    script_id: i64,
) -> Result<Vec<ValidationIssue>> {
    let rows = super::script_rows(conn, "SELECT c.character_id, c.name FROM characters c WHERE c.script_id = $1 AND NOT EXISTS \
           (SELECT 1 FROM elements e WHERE e.character_id = c.character_id AND e.kind = 'dialogue') \
         ORDER BY c.sequence_number, c.character_id", script_id).await?;
    rows.iter()
        .map(|r| {
            let id: i64 = r.try_get("character_id")?;
            let name: String = r.try_get("name")?;
            Ok(issue(
                "silentCharacter",
                Severity::Warning,
                ElementType::Character,
                id,
                None,
                format!("{name} never speaks"),
            ))
        })
        .collect()
}

/// Checks a script: order gaps and duplicates, dangling references, characters who never speak.
#[instrument(skip(db), err)]
pub async fn validate_story(db: &Database, script_id: i64) -> Result<ValidationReport> {
    let mut conn = db.pool().acquire().await?;
    scripts::fetch_script(&mut conn, script_id).await?;
    let mut issues = sequence_issues(&mut conn, script_id).await?;
    issues.extend(reference_issues(&mut conn, script_id).await?);
    issues.extend(silent_characters(&mut conn, script_id).await?);
    let valid = issues.iter().all(|i| i.severity == Severity::Warning);
    Ok(ValidationReport {
        script_id,
        valid,
        issues,
    })
}
