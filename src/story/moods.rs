//! Moods suggested from the text: each scene's action and dialogue scored against a shipped
//! word list (`assets/moods/words.txt`, hand-written, MIT) and a few text signals, so an
//! imported script sounds like its story before the writer has set a single mood.
//!
//! The scoring, in tenths of a point so it stays integer and deterministic:
//! - every word of the scene's action, dialogue, parentheticals, lyrics, centered text and
//!   synopses found in the list adds 10 to its mood (20 for a strong word marked `*`), unless
//!   "not", "no", "never", "without" or a "…n't" word stands right before it;
//! - intensity: exclamations (at least 2 lines and a third of the spoken lines end in "!") add
//!   10, short lines (4 or more spoken lines of at most 4 words on average) add 10; intensity
//!   goes to fear or anger, whichever the words favour (fear when equal);
//! - the heading's time of day is a weaker signal: NIGHT adds 5 to fear and to sadness, DUSK or
//!   SUNSET 5 to longing, DAWN or MORNING 5 to tenderness;
//! - the best mood wins when it has at least 15 and more than the second; otherwise the scene
//!   is neutral. Confidence is best / (best + second + 10), for neutral 10 / (10 + best).
//!
//! Suggestions live in a session of their own ("Suggested moods") as the scene's context keys
//! `mood`, `suggestedMood`, `moodConfidence`, `moodEvidence` and `moodFrom` (`suggestion`, or
//! `writer` once the writer accepted, changed or cleared it). A mood the writer set, there or
//! anywhere, is never overwritten: a later suggestion only refreshes `mood` while it is still
//! the suggestion's own.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasherDefault;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use tracing::instrument;

use crate::db::{now, Database};
use crate::error::{Error, Result};
use crate::fnv::Fnv;
use crate::music::moods::{MOODS, NEUTRAL};
use crate::scripts::{self, ElementKind};
use crate::sessions::{self, Context};

/// The session suggestions go into unless another is named.
pub const SESSION_NAME: &str = "Suggested moods";
pub const KEY_MOOD: &str = "mood";
pub const KEY_SUGGESTED: &str = "suggestedMood";
pub const KEY_CONFIDENCE: &str = "moodConfidence";
pub const KEY_EVIDENCE: &str = "moodEvidence";
pub const KEY_FROM: &str = "moodFrom";
const FROM_SUGGESTION: &str = "suggestion";
const FROM_WRITER: &str = "writer";
const EVIDENCE_SEPARATOR: &str = "; ";

const WORDS: &str = include_str!("../../assets/moods/words.txt");
const MIN_SCORE: u32 = 15;
const WORD: u32 = 10;
const STRONG_WORD: u32 = 20;
const TIME_OF_DAY: u32 = 5;
const INTENSITY: u32 = 10;

/// One line of a scene as the scorer reads it.
#[derive(Clone, Copy, Debug)]
pub struct SceneLine<'a> {
    pub kind: ElementKind,
    pub text: &'a str,
    pub parenthetical: Option<&'a str>,
}

/// What the Story Factory proposes for one scene, and why.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    /// A mood of the table, or "neutral".
    pub mood: String,
    /// 0..1, two decimals.
    pub confidence: f64,
    /// The words and signals that decided it, strongest first.
    pub evidence: Vec<String>,
}

/// A scene's mood in a session: what the factory suggested and what scores now.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SceneMood {
    pub heading_id: i64,
    pub title: String,
    /// The material before the first heading.
    pub opening: bool,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub suggestion: Option<Suggestion>,
    /// The mood the scene scores with under this session (none: neutral).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub mood: Option<String>,
    /// True when the mood (or its absence) is the writer's: accepted, changed, cleared or set
    /// by hand; suggesting again leaves it.
    pub by_writer: bool,
}

/// The moods of a script's scenes under one session.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SceneMoods {
    pub script_id: i64,
    pub session_id: i64,
    pub scenes: Vec<SceneMood>,
}

/// What the writer does with suggestions: accept it, set another mood, or clear it.
#[derive(ts_rs::TS, Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "camelCase")]
pub enum MoodDecision {
    Accept,
    Set,
    Clear,
}

/// One decision, on one scene or (no `headingId`) on every scene whose mood is still the
/// suggestion's.
#[derive(ts_rs::TS)]
#[ts(optional_fields = nullable)]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MoodReview {
    pub session_id: i64,
    pub heading_id: Option<i64>,
    pub decision: MoodDecision,
    /// The mood to set (for `set`).
    pub mood: Option<String>,
}

struct Lexicon {
    words: HashMap<&'static str, (usize, u32), BuildHasherDefault<Fnv>>,
}

/// The word list, read once: word → (row of the mood table, points).
static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::parse(WORDS));

impl Lexicon {
    fn parse(text: &'static str) -> Self {
        let mut words = HashMap::default();
        let mut mood = None;
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                mood = MOODS.iter().position(|m| m.mood == name);
                continue;
            }
            let Some(row) = mood else { continue };
            for word in line.split_whitespace() {
                let (base, points) = match word.strip_suffix('*') {
                    Some(base) => (base, STRONG_WORD),
                    None => (word, WORD),
                };
                words.insert(base, (row, points));
            }
        }
        Lexicon { words }
    }

    /// The entry for a word as written or with one ending stripped.
    fn find(&self, word: &str) -> Option<(usize, u32)> {
        let mut hit = None;
        stems(word, |w| {
            hit = self.words.get(w).copied();
            hit.is_some()
        });
        hit
    }
}

/// Hands `try_form` the word, then its forms without one common ending (screams → scream,
/// cries → cry, smiling → smile, running → run, happily → happy) until it says found. One
/// buffer for all forms: this runs for every word of the script.
fn stems(word: &str, mut try_form: impl FnMut(&str) -> bool) {
    const ENDINGS: [(&str, &str); 12] = [
        ("'s", ""),
        ("ies", "y"),
        ("ied", "y"),
        ("ily", "y"),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("d", ""),
        ("ing", ""),
        ("ing", "e"),
        ("ly", ""),
    ];
    if try_form(word) {
        return;
    }
    let mut form = String::with_capacity(word.len() + 1);
    for (ending, with) in ENDINGS {
        let Some(base) = word.strip_suffix(ending) else {
            continue;
        };
        form.clear();
        form.push_str(base);
        form.push_str(with);
        if form.chars().count() >= 3 && try_form(&form) {
            return;
        }
    }
    for ending in ["ing", "ed"] {
        let Some(base) = word.strip_suffix(ending) else {
            continue;
        };
        let mut chars = base.chars().rev();
        if let (Some(last), Some(before)) = (chars.next(), chars.next()) {
            if last == before && try_form(&base[..base.len() - last.len_utf8()]) {
                return;
            }
        }
    }
}

fn negates(word: &str) -> bool {
    matches!(word, "not" | "no" | "never" | "without") || word.ends_with("n't")
}

/// Points per mood row, with what earned them.
struct Tally {
    points: Vec<u32>,
    words: Vec<BTreeMap<String, u32>>,
    signals: Vec<Vec<(u32, String)>>,
}

impl Tally {
    fn new() -> Self {
        Tally {
            points: vec![0; MOODS.len()],
            words: vec![BTreeMap::new(); MOODS.len()],
            signals: vec![Vec::new(); MOODS.len()],
        }
    }

    fn word(&mut self, row: usize, points: u32, word: &str) {
        self.points[row] += points;
        match self.words[row].get_mut(word) {
            Some(earned) => *earned += points,
            None => {
                self.words[row].insert(word.to_string(), points);
            }
        }
    }

    fn signal(&mut self, mood: &str, points: u32, why: String) {
        if let Some(row) = MOODS.iter().position(|m| m.mood == mood) {
            self.points[row] += points;
            self.signals[row].push((points, why));
        }
    }
}

/// The words of a text, lower case (letters and apostrophes).
fn words(text: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    text.split(|c: char| !(c.is_alphabetic() || c == '\'' || c == '\u{2019}'))
        .map(|w| w.trim_matches(['\'', '\u{2019}']))
        .filter(|w| !w.is_empty())
        .map(|w| {
            // Most words are plain lower-case ASCII: borrowed, not copied.
            if w.bytes().all(|b| b.is_ascii_lowercase() || b == b'\'') {
                Cow::Borrowed(w)
            } else {
                Cow::Owned(w.replace('\u{2019}', "'").to_lowercase())
            }
        })
}

fn count_words(tally: &mut Tally, text: &str) {
    let lexicon = &*LEXICON;
    let mut negated = false;
    for word in words(text) {
        if !negated {
            if let Some((row, points)) = lexicon.find(&word) {
                tally.word(row, points, &word);
            }
        }
        negated = negates(&word);
    }
}

/// Whether a line's words count towards the scene's mood.
fn scored(kind: ElementKind) -> bool {
    matches!(
        kind,
        ElementKind::Action
            | ElementKind::Dialogue
            | ElementKind::Lyrics
            | ElementKind::Centered
            | ElementKind::Synopsis
    )
}

fn intensity(tally: &mut Tally, lines: &[SceneLine]) {
    let spoken: Vec<&str> = lines
        .iter()
        .filter(|l| l.kind == ElementKind::Dialogue)
        .map(|l| l.text.trim())
        .collect();
    let mut signals = Vec::new();
    let exclaimed = spoken.iter().filter(|t| t.ends_with('!')).count();
    if exclaimed >= 2 && exclaimed * 3 >= spoken.len() {
        signals.push(format!("{exclaimed} of {} lines exclaim", spoken.len()));
    }
    let word_count: usize = spoken.iter().map(|t| t.split_whitespace().count()).sum();
    if spoken.len() >= 4 && word_count <= spoken.len() * 4 {
        signals.push(format!("{} short lines", spoken.len()));
    }
    let (fear, anger) = (row_of("fear"), row_of("anger"));
    let towards = if tally.points[anger] > tally.points[fear] {
        "anger"
    } else {
        "fear"
    };
    for why in signals {
        tally.signal(towards, INTENSITY, why);
    }
}

fn row_of(mood: &str) -> usize {
    MOODS.iter().position(|m| m.mood == mood).unwrap_or(0)
}

/// The time of day a heading names: the words after its last " - ".
fn time_of_day(tally: &mut Tally, heading: &str) {
    let upper = heading.to_uppercase();
    let Some(time) = upper.rsplit(['-', '\u{2014}', '\u{2013}']).next() else {
        return;
    };
    let time = time.trim();
    let moods: &[&str] = match time {
        t if t.contains("NIGHT") => &["fear", "sadness"],
        t if t.contains("DUSK") || t.contains("SUNSET") => &["longing"],
        t if t.contains("DAWN") || t.contains("MORNING") || t.contains("SUNRISE") => {
            &["tenderness"]
        }
        _ => &[],
    };
    for mood in moods {
        tally.signal(mood, TIME_OF_DAY, format!("{time} (heading)"));
    }
}

/// The mood a scene's text suggests, with its confidence and evidence. Pure and deterministic.
pub fn suggest_scene(heading: &str, lines: &[SceneLine]) -> Suggestion {
    let mut tally = Tally::new();
    for line in lines.iter().filter(|l| scored(l.kind)) {
        count_words(&mut tally, line.text);
        if let Some(p) = line.parenthetical {
            count_words(&mut tally, p);
        }
    }
    intensity(&mut tally, lines);
    time_of_day(&mut tally, heading);
    decide(&tally)
}

fn decide(tally: &Tally) -> Suggestion {
    // Ties go to the earlier row of the table, so the order is fixed.
    let mut ranked: Vec<usize> = (0..MOODS.len()).collect();
    ranked.sort_by_key(|&row| std::cmp::Reverse(tally.points[row]));
    let best = ranked[0];
    let (top, second) = (tally.points[best], tally.points[ranked[1]]);
    if top < MIN_SCORE || top == second {
        return Suggestion {
            mood: NEUTRAL.mood.to_string(),
            confidence: ratio(10, 10 + top),
            evidence: neutral_evidence(tally, &ranked),
        };
    }
    Suggestion {
        mood: MOODS[best].mood.to_string(),
        confidence: ratio(top, top + second + 10),
        evidence: evidence(tally, best),
    }
}

fn ratio(part: u32, whole: u32) -> f64 {
    let hundredths = (u64::from(part) * 100 + u64::from(whole) / 2) / u64::from(whole.max(1));
    hundredths as f64 / 100.0
}

fn evidence(tally: &Tally, row: usize) -> Vec<String> {
    let mut items: Vec<(u32, String)> = tally.words[row]
        .iter()
        .map(|(word, points)| {
            let times = points / LEXICON.find(word).map_or(WORD, |(_, p)| p);
            let label = if times > 1 {
                format!("\u{201C}{word}\u{201D} \u{D7}{times}")
            } else {
                format!("\u{201C}{word}\u{201D}")
            };
            (*points, label)
        })
        .chain(tally.signals[row].iter().cloned())
        .collect();
    items.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    items.into_iter().map(|(_, label)| label).take(8).collect()
}

fn neutral_evidence(tally: &Tally, ranked: &[usize]) -> Vec<String> {
    let leading: Vec<String> = ranked
        .iter()
        .take_while(|&&row| tally.points[row] > 0)
        .take(2)
        .map(|&row| format!("{} {}", MOODS[row].mood, points_text(tally.points[row])))
        .collect();
    if leading.is_empty() {
        vec!["no mood words".to_string()]
    } else {
        vec![format!("too weak or tied: {}", leading.join(", "))]
    }
}

fn points_text(tenths: u32) -> String {
    if tenths % 10 == 0 {
        format!("{}", tenths / 10)
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// A scene as stored: its heading and lines in order.
pub(super) struct StoredScene {
    pub heading_id: i64,
    pub title: String,
    pub opening: bool,
    pub lines: Vec<StoredLine>,
}

pub(super) struct StoredLine {
    pub kind: ElementKind,
    pub text: String,
    pub parenthetical: Option<String>,
    pub character_id: Option<i64>,
}

pub(super) async fn stored_scenes(
    conn: &mut SqliteConnection,
    script_id: i64,
) -> Result<Vec<StoredScene>> {
    let sections: Vec<(i64, String, bool)> = sqlx::query_as(
        "SELECT heading_id, title, untitled FROM section_headings WHERE script_id = ? \
         ORDER BY sequence_number, heading_id",
    )
    .bind(script_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut rows = super::element_rows(conn, script_id).await?;
    rows.sort_unstable_by_key(|r| (r.sequence_number.is_none(), r.sequence_number, r.element_id));
    let mut lines: HashMap<i64, Vec<StoredLine>> = HashMap::new();
    for row in rows {
        let kind: ElementKind = row.kind.parse()?;
        lines.entry(row.heading_id).or_default().push(StoredLine {
            kind,
            text: row.text,
            parenthetical: row.parenthetical,
            character_id: row.character_id,
        });
    }
    Ok(sections
        .into_iter()
        .map(|(heading_id, title, opening)| StoredScene {
            heading_id,
            title,
            opening,
            lines: lines.remove(&heading_id).unwrap_or_default(),
        })
        .collect())
}

fn suggest_stored(scene: &StoredScene) -> Suggestion {
    let lines: Vec<SceneLine> = scene
        .lines
        .iter()
        .map(|line| SceneLine {
            kind: line.kind,
            text: &line.text,
            parenthetical: line.parenthetical.as_deref(),
        })
        .collect();
    suggest_scene(&scene.title, &lines)
}

/// Whether the scene's `mood` in these context entries is the writer's, not a suggestion.
fn by_writer(data: &BTreeMap<String, String>) -> bool {
    match data.get(KEY_FROM).map(String::as_str) {
        Some(FROM_WRITER) => true,
        Some(FROM_SUGGESTION) => data.get(KEY_MOOD) != data.get(KEY_SUGGESTED),
        _ => data.contains_key(KEY_MOOD),
    }
}

/// The session to suggest into: the one named (it must interpret this script or none yet),
/// else the script's newest "Suggested moods" session, else a new one.
async fn target_session(
    conn: &mut SqliteConnection,
    script_id: i64,
    session_id: Option<i64>,
) -> Result<i64> {
    if let Some(id) = session_id {
        let session = sessions::fetch_session(conn, id).await?;
        if session.script_id.is_some_and(|s| s != script_id) {
            return Err(Error::invalid(format!(
                "session {id} interprets another script"
            )));
        }
        return Ok(id);
    }
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT session_id FROM sessions WHERE script_id = ? AND context = ? \
         ORDER BY session_id DESC LIMIT 1",
    )
    .bind(script_id)
    .bind(SESSION_NAME)
    .fetch_optional(&mut *conn)
    .await?;
    match existing {
        Some(id) => Ok(id),
        None => sessions::insert_session(conn, 0, Some(script_id), SESSION_NAME).await,
    }
}

/// Scene contexts (no character, no element) of a session by section.
pub(super) fn scene_contexts(contexts: Vec<Context>) -> HashMap<i64, Context> {
    contexts
        .into_iter()
        .filter(|c| c.character_id.is_none() && c.element_id.is_none())
        .filter_map(|c| c.heading_id.map(|h| (h, c)))
        .collect()
}

/// A change to one scene's context entries.
struct Change {
    heading_id: i64,
    set: BTreeMap<String, String>,
    unset: Vec<&'static str>,
}

/// Writes changes in a few statements: new scene contexts in one insert, entries in one upsert,
/// removed keys in one delete.
async fn apply(
    conn: &mut SqliteConnection,
    (script_id, session_id): (i64, i64),
    existing: &HashMap<i64, Context>,
    changes: &[Change],
) -> Result<()> {
    let mut ids: HashMap<i64, i64> = existing.iter().map(|(h, c)| (*h, c.context_id)).collect();
    let missing: Vec<i64> = changes
        .iter()
        .map(|c| c.heading_id)
        .filter(|h| !ids.contains_key(h))
        .collect();
    let first = crate::screenplay::import::next_id(conn, "contexts", "context_id").await?;
    for (chunk_start, chunk) in missing.chunks(400).enumerate() {
        let mut q: QueryBuilder<Sqlite> =
            QueryBuilder::new("INSERT INTO contexts (context_id, session_id, heading_id) ");
        q.push_values(chunk.iter().enumerate(), |mut b, (i, heading)| {
            let id = first + (chunk_start * 400 + i) as i64;
            ids.insert(*heading, id);
            b.push_bind(id).push_bind(session_id).push_bind(*heading);
        });
        q.build().execute(&mut *conn).await?;
    }
    let entries: Vec<(i64, &String, &String)> = changes
        .iter()
        .filter_map(|c| ids.get(&c.heading_id).map(|id| (*id, c)))
        .flat_map(|(id, c)| c.set.iter().map(move |(k, v)| (id, k, v)))
        .collect();
    for chunk in entries.chunks(300) {
        let mut q: QueryBuilder<Sqlite> =
            QueryBuilder::new("INSERT INTO context_entries (context_id, key, value) ");
        q.push_values(chunk, |mut b, (id, key, value)| {
            b.push_bind(*id).push_bind(*key).push_bind(*value);
        });
        q.push(" ON CONFLICT (context_id, key) DO UPDATE SET value = excluded.value");
        q.build().execute(&mut *conn).await?;
    }
    for change in changes.iter().filter(|c| !c.unset.is_empty()) {
        let Some(id) = ids.get(&change.heading_id) else {
            continue;
        };
        let mut q: QueryBuilder<Sqlite> =
            QueryBuilder::new("DELETE FROM context_entries WHERE context_id = ");
        q.push_bind(*id).push(" AND key IN (");
        let mut keys = q.separated(", ");
        for key in &change.unset {
            keys.push_bind(*key);
        }
        q.push(")");
        q.build().execute(&mut *conn).await?;
    }
    sqlx::query(
        "UPDATE sessions SET updated_at = ?, script_id = COALESCE(script_id, ?) WHERE session_id = ?",
    )
    .bind(now())
    .bind(script_id)
    .bind(session_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn suggestion_change(heading_id: i64, s: &Suggestion, old: Option<&Context>) -> Change {
    let mut set = BTreeMap::from([
        (KEY_SUGGESTED.to_string(), s.mood.clone()),
        (KEY_CONFIDENCE.to_string(), format!("{:.2}", s.confidence)),
        (
            KEY_EVIDENCE.to_string(),
            s.evidence.join(EVIDENCE_SEPARATOR),
        ),
    ]);
    let mut unset = Vec::new();
    if !old.is_some_and(|c| by_writer(&c.data)) {
        if s.mood == NEUTRAL.mood {
            unset = vec![KEY_MOOD, KEY_FROM];
        } else {
            set.insert(KEY_MOOD.to_string(), s.mood.clone());
            set.insert(KEY_FROM.to_string(), FROM_SUGGESTION.to_string());
        }
    }
    Change {
        heading_id,
        set,
        unset,
    }
}

/// Suggests every scene's mood into a session inside the caller's transaction (import uses
/// it); the writer's moods stay.
pub(crate) async fn suggest_in(
    conn: &mut SqliteConnection,
    script_id: i64,
    session_id: Option<i64>,
) -> Result<SceneMoods> {
    scripts::fetch_script(conn, script_id).await?;
    let session_id = target_session(conn, script_id, session_id).await?;
    let scenes = stored_scenes(conn, script_id).await?;
    let existing = scene_contexts(sessions::fetch_contexts(conn, session_id).await?);
    let changes: Vec<Change> = scenes
        .iter()
        .map(|scene| {
            let suggestion = suggest_stored(scene);
            suggestion_change(
                scene.heading_id,
                &suggestion,
                existing.get(&scene.heading_id),
            )
        })
        .collect();
    apply(conn, (script_id, session_id), &existing, &changes).await?;
    read_moods(conn, script_id, session_id, &scenes).await
}

/// `fountainai moods suggest`: suggests every scene's mood into the script's "Suggested
/// moods" session (created if missing) or the session named; never over a writer's mood.
#[instrument(skip(db), err)]
pub async fn suggest(db: &Database, script_id: i64, session_id: Option<i64>) -> Result<SceneMoods> {
    let mut tx = db.begin().await?;
    let moods = suggest_in(&mut tx, script_id, session_id).await?;
    tx.commit().await?;
    Ok(moods)
}

async fn read_moods(
    conn: &mut SqliteConnection,
    script_id: i64,
    session_id: i64,
    scenes: &[StoredScene],
) -> Result<SceneMoods> {
    let contexts = scene_contexts(sessions::fetch_contexts(conn, session_id).await?);
    let scenes = scenes
        .iter()
        .map(|scene| scene_mood(scene, contexts.get(&scene.heading_id)))
        .collect();
    Ok(SceneMoods {
        script_id,
        session_id,
        scenes,
    })
}

fn scene_mood(scene: &StoredScene, context: Option<&Context>) -> SceneMood {
    let data = context.map(|c| c.data.as_ref());
    let get = |key: &str| data.and_then(|d| d.get(key)).cloned();
    let suggestion = get(KEY_SUGGESTED).map(|mood| Suggestion {
        mood,
        confidence: get(KEY_CONFIDENCE)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0.0),
        evidence: get(KEY_EVIDENCE)
            .map(|e| {
                e.split(EVIDENCE_SEPARATOR)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
    });
    SceneMood {
        heading_id: scene.heading_id,
        title: scene.title.clone(),
        opening: scene.opening,
        suggestion,
        mood: get(KEY_MOOD),
        by_writer: data.is_some_and(by_writer),
    }
}

async fn session_script(conn: &mut SqliteConnection, session_id: i64) -> Result<i64> {
    let session = sessions::fetch_session(conn, session_id).await?;
    match session.script_id {
        Some(script) => Ok(script),
        None => Err(Error::invalid(format!(
            "session {session_id} has no moods yet: suggest them first"
        ))),
    }
}

/// The scenes' moods and suggestions under a session, as stored.
#[instrument(skip(db), err)]
pub async fn list(db: &Database, session_id: i64) -> Result<SceneMoods> {
    let mut conn = db.pool().acquire().await?;
    let script_id = session_script(&mut conn, session_id).await?;
    let scenes = stored_scenes(&mut conn, script_id).await?;
    read_moods(&mut conn, script_id, session_id, &scenes).await
}

fn decision_change(
    review: &MoodReview,
    heading_id: i64,
    data: &BTreeMap<String, String>,
) -> Result<Change> {
    let writer = BTreeMap::from([(KEY_FROM.to_string(), FROM_WRITER.to_string())]);
    let clear = Change {
        heading_id,
        set: writer.clone(),
        unset: vec![KEY_MOOD],
    };
    let set = |mood: String| {
        let mut set = writer.clone();
        set.insert(KEY_MOOD.to_string(), mood);
        Change {
            heading_id,
            set,
            unset: Vec::new(),
        }
    };
    match review.decision {
        MoodDecision::Clear => Ok(clear),
        MoodDecision::Accept => match data.get(KEY_SUGGESTED) {
            Some(mood) if mood != NEUTRAL.mood => Ok(set(mood.clone())),
            Some(_) => Ok(clear),
            None => Err(Error::invalid(format!(
                "scene {heading_id} has no suggestion to accept"
            ))),
        },
        MoodDecision::Set => match review.mood.as_deref().map(str::trim) {
            Some(mood) if !mood.is_empty() => Ok(set(mood.to_string())),
            _ => Err(Error::invalid("give the mood to set")),
        },
    }
}

/// The writer accepts, changes or clears one scene's mood, or accepts or clears every
/// suggestion still standing (`headingId` absent). One transaction; returns the moods after.
#[instrument(skip(db), err)]
pub async fn review(db: &Database, review: &MoodReview) -> Result<SceneMoods> {
    let mut tx = db.begin().await?;
    let script_id = session_script(&mut tx, review.session_id).await?;
    let scenes = stored_scenes(&mut tx, script_id).await?;
    let existing = scene_contexts(sessions::fetch_contexts(&mut tx, review.session_id).await?);
    let empty = BTreeMap::new();
    let data = |h: i64| existing.get(&h).map_or(&empty, |c| c.data.as_ref());
    let changes = match review.heading_id {
        Some(heading) => {
            if !scenes.iter().any(|s| s.heading_id == heading) {
                return Err(Error::not_found(format!(
                    "Section {heading} is not a scene of script {script_id}."
                )));
            }
            vec![decision_change(review, heading, data(heading))?]
        }
        None => {
            if review.decision == MoodDecision::Set {
                return Err(Error::invalid("set a mood one scene at a time"));
            }
            scenes
                .iter()
                .filter(|s| data(s.heading_id).contains_key(KEY_SUGGESTED))
                .filter(|s| !by_writer(data(s.heading_id)))
                .map(|s| decision_change(review, s.heading_id, data(s.heading_id)))
                .collect::<Result<_>>()?
        }
    };
    apply(&mut tx, (script_id, review.session_id), &existing, &changes).await?;
    let moods = read_moods(&mut tx, script_id, review.session_id, &scenes).await?;
    tx.commit().await?;
    Ok(moods)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(text: &str) -> SceneLine<'_> {
        SceneLine {
            kind: ElementKind::Action,
            text,
            parenthetical: None,
        }
    }

    fn dialogue(text: &str) -> SceneLine<'_> {
        SceneLine {
            kind: ElementKind::Dialogue,
            text,
            parenthetical: None,
        }
    }

    #[test]
    fn every_mood_of_the_word_list_is_in_the_table() {
        for line in WORDS.lines().filter(|l| l.starts_with('[')) {
            let name = line.trim_matches(['[', ']']);
            assert!(MOODS.iter().any(|m| m.mood == name), "{name}");
        }
        assert!(LEXICON.words.len() > 250);
    }

    #[test]
    fn endings_find_the_base_word() {
        for (word, mood) in [
            ("screams", "fear"),
            ("screamed", "fear"),
            ("cries", "sadness"),
            ("smiling", "tenderness"),
            ("laughing", "joy"),
            ("happily", "joy"),
            ("danced", "joy"),
        ] {
            let (row, _) = LEXICON.find(word).unwrap_or_else(|| panic!("{word}"));
            assert_eq!(MOODS[row].mood, mood, "{word}");
        }
    }

    #[test]
    fn words_and_signals_decide_with_evidence() {
        let s = suggest_scene(
            "INT. CELLAR - NIGHT",
            &[
                action("She screams. Blood on the stairs."),
                dialogue("Run!"),
                dialogue("Now!"),
            ],
        );
        assert_eq!(s.mood, "fear");
        assert!(s.evidence.iter().any(|e| e.contains("scream")), "{s:?}");
        let s = suggest_scene(
            "EXT. PARK - DAY",
            &[action("They laugh and dance in the fountain.")],
        );
        assert_eq!(s.mood, "joy");
        let s = suggest_scene("INT. OFFICE - DAY", &[action("He files a report.")]);
        assert_eq!(s.mood, "neutral");
        assert_eq!(s.evidence, vec!["no mood words".to_string()]);
    }

    #[test]
    fn a_negated_word_does_not_count() {
        let s = suggest_scene(
            "INT. ROOM - DAY",
            &[dialogue("I am not afraid. Never afraid.")],
        );
        assert_eq!(s.mood, "neutral");
    }
}
