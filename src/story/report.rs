//! The script's figures for the Reports view and `fountainai report`: per character, per
//! scene, per location, and the totals.
//!
//! Lengths come from the paginator the PDF prints with: a scene runs from the row its heading
//! prints on to the next heading's, in eighths of a Letter page (at least one); runtime is a
//! minute a page.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use tracing::instrument;

use super::moods::{self, StoredScene};
use crate::db::Database;
use crate::error::{Error, Result};
use crate::scripts::{self, ElementKind};
use crate::sessions;

#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[ts(rename = "ScriptReport")]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub script_id: i64,
    pub title: String,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub session_id: Option<i64>,
    pub totals: Totals,
    pub characters: Vec<CharacterFigures>,
    pub scenes: Vec<SceneFigures>,
    pub locations: Vec<LocationFigures>,
}

#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    /// Length in eighths of a page, the scenes' lengths summed.
    pub eighths: u64,
    /// `eighths / 8`, one decimal.
    pub pages: f64,
    /// Scenes with a heading (the opening before the first heading is not one).
    pub scenes: usize,
    pub speaking_parts: usize,
    pub dialogue_lines: usize,
    pub dialogue_words: usize,
    /// A minute a page.
    pub runtime_minutes: u64,
}

#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CharacterFigures {
    pub character_id: i64,
    pub name: String,
    pub lines: usize,
    pub words: usize,
    pub scenes: usize,
    /// Percent of all dialogue words, one decimal.
    pub dialogue_share: f64,
    /// Scene numbers (1-based, script order) of the first and last line.
    pub first_scene: usize,
    pub last_scene: usize,
}

#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SceneFigures {
    pub heading_id: i64,
    /// 1-based place in the script; the opening is 0.
    pub number: usize,
    pub title: String,
    pub opening: bool,
    pub eighths: u64,
    pub speakers: Vec<String>,
    pub location: String,
    pub time_of_day: String,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub mood: Option<String>,
}

#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LocationFigures {
    pub location: String,
    pub scenes: usize,
    pub eighths: u64,
}

/// A table of the report, as CSV.
#[derive(ts_rs::TS, Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "camelCase")]
pub enum ReportTable {
    Characters,
    Scenes,
    Locations,
}

/// Where and when a heading says the scene is: "INT. DINER - NIGHT" → ("DINER", "NIGHT").
pub fn place_and_time(heading: &str) -> (String, String) {
    let upper = heading.trim().to_uppercase();
    let prefixes = [
        "INT./EXT.",
        "INT/EXT.",
        "EXT./INT.",
        "I/E.",
        "INT.",
        "EXT.",
        "EST.",
        "INT ",
        "EXT ",
        "EST ",
    ];
    let rest = prefixes
        .iter()
        .find_map(|p| upper.strip_prefix(p))
        .unwrap_or(&upper)
        .trim();
    match rest.rsplit_once(" - ") {
        Some((place, time)) => (place.trim().to_string(), time.trim().to_string()),
        None => (rest.to_string(), String::new()),
    }
}

fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

fn tenths(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    ((part * 1000 + whole / 2) / whole) as f64 / 10.0
}

#[derive(Default)]
struct Tally {
    lines: usize,
    words: usize,
    scenes: BTreeSet<usize>,
}

fn character_figures(
    scenes: &[StoredScene],
    numbers: &[usize],
    names: &HashMap<i64, String>,
) -> Vec<CharacterFigures> {
    let mut tally: BTreeMap<i64, Tally> = BTreeMap::new();
    for (scene, number) in scenes.iter().zip(numbers) {
        for line in scene
            .lines
            .iter()
            .filter(|l| l.kind == ElementKind::Dialogue)
        {
            let Some(id) = line.character_id else {
                continue;
            };
            let t = tally.entry(id).or_default();
            t.lines += 1;
            t.words += words(&line.text);
            t.scenes.insert(*number);
        }
    }
    let total: usize = tally.values().map(|t| t.words).sum();
    let mut figures: Vec<CharacterFigures> = tally
        .into_iter()
        .map(|(id, t)| CharacterFigures {
            character_id: id,
            name: names.get(&id).cloned().unwrap_or_default(),
            lines: t.lines,
            words: t.words,
            scenes: t.scenes.len(),
            dialogue_share: tenths(t.words, total),
            first_scene: t.scenes.first().copied().unwrap_or(0),
            last_scene: t.scenes.last().copied().unwrap_or(0),
        })
        .collect();
    figures.sort_by(|a, b| b.words.cmp(&a.words).then_with(|| a.name.cmp(&b.name)));
    figures
}

fn scene_figures(
    scene: &StoredScene,
    number: usize,
    eighths: u64,
    names: &HashMap<i64, String>,
    mood: Option<String>,
) -> SceneFigures {
    let mut speakers: Vec<String> = Vec::new();
    for id in scene
        .lines
        .iter()
        .filter(|l| l.kind == ElementKind::Dialogue)
        .filter_map(|l| l.character_id)
    {
        let name = names.get(&id).cloned().unwrap_or_default();
        if !speakers.contains(&name) {
            speakers.push(name);
        }
    }
    let (location, time_of_day) = if scene.opening {
        (String::new(), String::new())
    } else {
        place_and_time(&scene.title)
    };
    SceneFigures {
        heading_id: scene.heading_id,
        number,
        title: scene.title.clone(),
        opening: scene.opening,
        eighths,
        speakers,
        location,
        time_of_day,
        mood,
    }
}

fn location_figures(scenes: &[SceneFigures]) -> Vec<LocationFigures> {
    let mut by_place: BTreeMap<&str, (usize, u64)> = BTreeMap::new();
    for scene in scenes
        .iter()
        .filter(|s| !s.opening && !s.location.is_empty())
    {
        let entry = by_place.entry(&scene.location).or_default();
        entry.0 += 1;
        entry.1 += scene.eighths;
    }
    let mut figures: Vec<LocationFigures> = by_place
        .into_iter()
        .map(|(location, (scenes, eighths))| LocationFigures {
            location: location.to_string(),
            scenes,
            eighths,
        })
        .collect();
    figures.sort_by(|a, b| {
        b.scenes
            .cmp(&a.scenes)
            .then_with(|| a.location.cmp(&b.location))
    });
    figures
}

async fn character_names(conn: &mut AnyConnection, script_id: i64) -> Result<HashMap<i64, String>> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT character_id, name FROM characters WHERE script_id = $1")
            .bind(script_id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows.into_iter().collect())
}

async fn scene_moods(
    conn: &mut AnyConnection,
    script_id: i64,
    session_id: Option<i64>,
) -> Result<HashMap<i64, String>> {
    let Some(session_id) = session_id else {
        return Ok(HashMap::new());
    };
    let session = sessions::fetch_session(conn, session_id).await?;
    if session.script_id.is_some_and(|s| s != script_id) {
        return Err(Error::invalid(format!(
            "session {session_id} interprets another script"
        )));
    }
    let contexts = moods::scene_contexts(sessions::fetch_contexts(conn, session_id).await?);
    Ok(contexts
        .into_iter()
        .filter_map(|(heading, c)| c.data.get(moods::KEY_MOOD).map(|m| (heading, m.clone())))
        .collect())
}

/// `fountainai report`: the script's figures, the scenes' moods under `session_id`.
#[instrument(skip(db), err)]
pub async fn report(db: &Database, script_id: i64, session_id: Option<i64>) -> Result<Report> {
    // One read transaction: the scenes and their printed lengths from the same moment.
    let mut conn = db.pool().begin().await?;
    let script = scripts::fetch_script(&mut conn, script_id).await?;
    let stored = moods::stored_scenes(&mut conn, script_id).await?;
    let names = character_names(&mut conn, script_id).await?;
    let mut moods = scene_moods(&mut conn, script_id, session_id).await?;
    let lengths = crate::screenplay::scene_eighths(&mut conn, script_id).await?;
    let mut next = 0;
    let numbers: Vec<usize> = stored
        .iter()
        .map(|s| {
            if s.opening {
                0
            } else {
                next += 1;
                next
            }
        })
        .collect();
    let scenes: Vec<SceneFigures> = stored
        .iter()
        .zip(&numbers)
        .map(|(s, n)| {
            let eighths = lengths.get(&s.heading_id).copied().unwrap_or(0);
            scene_figures(s, *n, eighths, &names, moods.remove(&s.heading_id))
        })
        .collect();
    let characters = character_figures(&stored, &numbers, &names);
    let eighths: u64 = scenes.iter().map(|s| s.eighths).sum();
    let totals = Totals {
        eighths,
        pages: ((eighths * 10 + 4) / 8) as f64 / 10.0,
        scenes: next,
        speaking_parts: characters.len(),
        dialogue_lines: characters.iter().map(|c| c.lines).sum(),
        dialogue_words: characters.iter().map(|c| c.words).sum(),
        runtime_minutes: eighths.div_ceil(8),
    };
    Ok(Report {
        script_id,
        title: script.title,
        session_id,
        totals,
        locations: location_figures(&scenes),
        characters,
        scenes,
    })
}

fn field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

fn row(cells: &[String]) -> String {
    let mut line = cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

/// One table of the report as CSV (RFC 4180: comma-separated, CRLF, quoted when needed).
pub fn csv(report: &Report, table: ReportTable) -> String {
    let text = |v: &dyn ToString| v.to_string();
    let (header, rows): (&[&str], Vec<Vec<String>>) = match table {
        ReportTable::Characters => (
            &[
                "name",
                "lines",
                "words",
                "scenes",
                "dialogue share %",
                "first scene",
                "last scene",
            ],
            report
                .characters
                .iter()
                .map(|c| {
                    vec![
                        c.name.clone(),
                        text(&c.lines),
                        text(&c.words),
                        text(&c.scenes),
                        text(&c.dialogue_share),
                        text(&c.first_scene),
                        text(&c.last_scene),
                    ]
                })
                .collect(),
        ),
        ReportTable::Scenes => (
            &[
                "scene",
                "heading",
                "eighths",
                "speakers",
                "location",
                "time of day",
                "mood",
            ],
            report
                .scenes
                .iter()
                .map(|s| {
                    vec![
                        text(&s.number),
                        s.title.clone(),
                        text(&s.eighths),
                        s.speakers.join("; "),
                        s.location.clone(),
                        s.time_of_day.clone(),
                        s.mood.clone().unwrap_or_default(),
                    ]
                })
                .collect(),
        ),
        ReportTable::Locations => (
            &["location", "scenes", "eighths"],
            report
                .locations
                .iter()
                .map(|l| vec![l.location.clone(), text(&l.scenes), text(&l.eighths)])
                .collect(),
        ),
    };
    let mut out = row(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>());
    for cells in rows {
        out.push_str(&row(&cells));
    }
    out
}

/// One table of a script's report as CSV (the app's export; the CLI's `--csv`).
pub async fn csv_of(
    db: &Database,
    script_id: i64,
    session_id: Option<i64>,
    table: ReportTable,
) -> Result<String> {
    Ok(csv(&report(db, script_id, session_id).await?, table))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_name_place_and_time() {
        assert_eq!(
            place_and_time("INT. DINER - NIGHT"),
            ("DINER".into(), "NIGHT".into())
        );
        assert_eq!(
            place_and_time("ext. Olympia Circus - night"),
            ("OLYMPIA CIRCUS".into(), "NIGHT".into())
        );
        assert_eq!(
            place_and_time("INT./EXT. CAR - DAY"),
            ("CAR".into(), "DAY".into())
        );
        assert_eq!(
            place_and_time("Act 1, Scene 1"),
            ("ACT 1, SCENE 1".into(), String::new())
        );
    }

    #[test]
    fn csv_quotes_what_needs_it() {
        assert_eq!(
            row(&["a,b".into(), "say \"hi\"".into(), "x".into()]),
            "\"a,b\",\"say \"\"hi\"\"\",x\r\n"
        );
    }
}
