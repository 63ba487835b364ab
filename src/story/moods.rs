//! Moods suggested from the text: each scene's action and dialogue scored against a shipped
//! word list (`assets/moods/words.txt`, hand-written, MIT) and a few text signals, so an
//! imported script sounds like its story before the writer has set a single mood.
//!
//! The scoring, in tenths of a point so it stays integer and deterministic:
//! - every word of the scene's action, dialogue, parentheticals, lyrics, centered text and
//!   synopses found in the list adds 10 to its mood (20 for a strong word marked `*`), unless
//!   "not", "no", "never", "without" or a "…n't" word stands right before it;
//! - intensity: exclamations (at least 2 sentences and a third of the sentences of the spoken
//!   and sung lines end in "!") add 10, short lines (4 or more spoken or sung lines of at most
//!   4 words on average) add 10; intensity goes to joy when the words favour it over fear and
//!   anger (excitement), else to fear or anger, whichever the words favour (fear when equal);
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

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasherDefault;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use tracing::instrument;

use crate::db::{now, Database};
use crate::error::{Error, Result};
use crate::fnv::Fnv;
use crate::music::moods::{MOODS, NEUTRAL};
use crate::scripts::{self, ElementKind, ScriptOf};
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

/// A word of the list as the scorer meets it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    /// Its index in `Lexicon::spelled`.
    form: u32,
    /// Its row of the mood table.
    row: usize,
    points: u32,
}

struct Lexicon {
    /// The list as written: base word → (row of the mood table, points).
    words: HashMap<&'static str, (usize, u32), BuildHasherDefault<Fnv>>,
    /// Every spelling `find_base` accepts (the base words and their forms with one ending),
    /// worked out once so that scoring looks each word of a script up once.
    forms: HashMap<String, Entry, BuildHasherDefault<Fnv>>,
    spelled: Vec<String>,
    /// The lengths of the spellings, in bytes: shorter words ("a", "at", "we") need no look-up.
    lengths: std::ops::RangeInclusive<usize>,
}

/// The word list, read once.
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
        let mut lexicon = Lexicon {
            words,
            forms: HashMap::default(),
            spelled: Vec::new(),
            lengths: 0..=0,
        };
        lexicon.spell_out();
        lexicon
    }

    /// Fills `forms`: every spelling that `stems` can bring back to a listed word is one of
    /// these candidates, so a word outside `forms` is a word `find_base` finds nothing for.
    fn spell_out(&mut self) {
        let mut candidates: Vec<String> = Vec::new();
        let mut bases: Vec<&'static str> = self.words.keys().copied().collect();
        bases.sort_unstable();
        for base in bases {
            candidates.push(base.to_string());
            if base.chars().count() >= 3 {
                for (ending, with) in ENDINGS {
                    if let Some(stem) = base.strip_suffix(with) {
                        candidates.push(format!("{stem}{ending}"));
                    }
                }
            }
            if let Some(last) = base.chars().last() {
                for ending in DOUBLING {
                    candidates.push(format!("{base}{last}{ending}"));
                }
            }
        }
        for spelling in candidates {
            if self.forms.contains_key(&spelling) {
                continue;
            }
            if let Some((row, points)) = self.find_base(&spelling) {
                let form = self.spelled.len() as u32;
                self.spelled.push(spelling.clone());
                self.forms.insert(spelling, Entry { form, row, points });
            }
        }
        let lengths = self.spelled.iter().map(String::len);
        self.lengths = lengths.clone().min().unwrap_or(0)..=lengths.max().unwrap_or(0);
    }

    /// The entry for a word as written or with one ending stripped: one look-up.
    fn find(&self, word: &str) -> Option<Entry> {
        if !self.lengths.contains(&word.len()) {
            return None;
        }
        self.forms.get(word).copied()
    }

    /// The entry for a word as written or with one ending stripped, the long way (what
    /// `forms` is made from).
    fn find_base(&self, word: &str) -> Option<(usize, u32)> {
        let mut hit = None;
        stems(word, |w| {
            hit = self.words.get(w).copied();
            hit.is_some()
        });
        hit
    }
}

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
/// Endings after a doubled last letter (running → run).
const DOUBLING: [&str; 2] = ["ing", "ed"];

/// Hands `try_form` the word, then its forms without one common ending (screams → scream,
/// cries → cry, smiling → smile, running → run, happily → happy) until it says found.
fn stems(word: &str, mut try_form: impl FnMut(&str) -> bool) {
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
    for ending in DOUBLING {
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
    /// Points per spelling of the word list met (`Entry::form`).
    words: BTreeMap<u32, u32>,
    signals: Vec<Vec<(u32, String)>>,
}

impl Tally {
    fn new() -> Self {
        Tally {
            points: vec![0; MOODS.len()],
            words: BTreeMap::new(),
            signals: vec![Vec::new(); MOODS.len()],
        }
    }

    fn word(&mut self, entry: Entry) {
        self.points[entry.row] = self.points[entry.row].saturating_add(entry.points);
        let earned = self.words.entry(entry.form).or_default();
        *earned = earned.saturating_add(entry.points);
    }

    fn signal(&mut self, mood: &str, points: u32, why: String) {
        if let Some(row) = MOODS.iter().position(|m| m.mood == mood) {
            self.points[row] = self.points[row].saturating_add(points);
            self.signals[row].push((points, why));
        }
    }
}

/// Hands `each` the words of a text, lower case (letters and apostrophes). Most words are
/// plain lower-case ASCII and go as they are; the others are lowered into one buffer.
fn for_each_word(text: &str, lowered: &mut String, mut each: impl FnMut(&str)) {
    let words = text
        .split(|c: char| !(c.is_alphabetic() || c == '\'' || c == '\u{2019}'))
        .map(|w| w.trim_matches(['\'', '\u{2019}']))
        .filter(|w| !w.is_empty());
    for word in words {
        if word.bytes().all(|b| b.is_ascii_lowercase() || b == b'\'') {
            each(word);
        } else if word.is_ascii() {
            lowered.clear();
            lowered.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
            each(lowered);
        } else {
            each(&word.replace('\u{2019}', "'").to_lowercase());
        }
    }
}

fn count_words(tally: &mut Tally, text: &str, lowered: &mut String) {
    let lexicon = &*LEXICON;
    let mut negated = false;
    for_each_word(text, lowered, |word| {
        if !negated {
            if let Some(entry) = lexicon.find(word) {
                tally.word(entry);
            }
        }
        negated = negates(word);
    });
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
        .filter(|l| matches!(l.kind, ElementKind::Dialogue | ElementKind::Lyrics))
        .map(|l| l.text.trim())
        .collect();
    let mut signals = Vec::new();
    let (exclaimed, sentences) = exclamations(&spoken);
    if exclaimed >= 2 && exclaimed * 3 >= sentences {
        signals.push(format!("{exclaimed} of {sentences} sentences exclaim"));
    }
    let word_count: usize = spoken.iter().map(|t| t.split_whitespace().count()).sum();
    if spoken.len() >= 4 && word_count <= spoken.len() * 4 {
        signals.push(format!("{} short lines", spoken.len()));
    }
    let (joy, fear, anger) = (row_of("joy"), row_of("fear"), row_of("anger"));
    let points = |row: usize| tally.points[row];
    let towards = if points(joy) > points(fear) && points(joy) > points(anger) {
        "joy"
    } else if points(anger) > points(fear) {
        "anger"
    } else {
        "fear"
    };
    for why in signals {
        tally.signal(towards, INTENSITY, why);
    }
}

/// How many sentences of the spoken lines end in "!", of how many: "Run! Now!" is two.
fn exclamations(spoken: &[&str]) -> (usize, usize) {
    let (mut exclaimed, mut sentences) = (0, 0);
    for line in spoken {
        let mut open = false;
        for c in line.chars() {
            if c.is_alphanumeric() {
                open = true;
            } else if open && matches!(c, '.' | '!' | '?') {
                open = false;
                sentences += 1;
                exclaimed += usize::from(c == '!');
            }
        }
        sentences += usize::from(open);
    }
    (exclaimed, sentences)
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
    let mut lowered = String::new();
    for line in lines.iter().filter(|l| scored(l.kind)) {
        count_words(&mut tally, line.text, &mut lowered);
        if let Some(p) = line.parenthetical {
            count_words(&mut tally, p, &mut lowered);
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
    let lexicon = &*LEXICON;
    let mut items: Vec<(u32, String)> = tally
        .words
        .iter()
        .filter_map(|(form, points)| {
            let word = lexicon.spelled.get(*form as usize)?;
            let entry = lexicon.find(word).filter(|e| e.row == row)?;
            Some((word, points, entry.points))
        })
        .map(|(word, points, each)| {
            let times = points / each.max(1);
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
    conn: &mut AnyConnection,
    script_id: i64,
) -> Result<Vec<StoredScene>> {
    let sections: Vec<(i64, String, crate::db::Flag)> = sqlx::query_as(
        "SELECT heading_id, title, untitled FROM section_headings WHERE script_id = $1 \
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
            opening: opening.into(),
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
    conn: &mut AnyConnection,
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
        "SELECT session_id FROM sessions WHERE script_id = $1 AND context = $2 \
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

/// One entry of a scene context as SQLite's `json_array` lists it (no key: a context without
/// entries).
#[derive(Deserialize)]
struct EntryRow {
    context_id: i64,
    heading_id: i64,
    key: Option<String>,
    value: Option<String>,
}

/// A session's scene contexts (no character, no element): their ids and entries by section.
#[derive(Default)]
struct SceneContexts {
    ids: HashMap<i64, i64>,
    data: SceneData,
}

/// The scene contexts of a session, as one JSON array built by SQLite like the elements: one
/// row crosses from the database thread instead of one per entry.
async fn scene_entries(conn: &mut AnyConnection, session_id: i64) -> Result<SceneContexts> {
    let rows = crate::db::json_rows(conn, "c.context_id, c.heading_id, e.key, e.value");
    let json: String = sqlx::query_scalar(&format!(
        "SELECT {rows} FROM contexts c LEFT JOIN context_entries e USING (context_id) \
         WHERE c.session_id = $1 AND c.heading_id IS NOT NULL \
         AND c.character_id IS NULL AND c.element_id IS NULL"
    ))
    .bind(session_id)
    .fetch_one(&mut *conn)
    .await?;
    let rows: Vec<EntryRow> = serde_json::from_str(&json)
        .map_err(|e| Error::Database(format!("unreadable contexts: {e}")))?;
    let mut contexts = SceneContexts::default();
    for row in rows {
        contexts.ids.insert(row.heading_id, row.context_id);
        let data = contexts.data.entry(row.heading_id).or_default();
        if let (Some(key), Some(value)) = (row.key, row.value) {
            data.insert(key, value);
        }
    }
    Ok(contexts)
}

/// A change to one scene's context entries.
struct Change {
    heading_id: i64,
    set: BTreeMap<String, String>,
    unset: Vec<&'static str>,
}

impl Change {
    /// Only what differs from the entries stored: suggesting again over unchanged text
    /// writes nothing.
    fn against(mut self, stored: &BTreeMap<String, String>) -> Self {
        self.set.retain(|key, value| stored.get(key) != Some(value));
        self.unset.retain(|key| stored.contains_key(*key));
        self
    }

    fn is_empty(&self) -> bool {
        self.set.is_empty() && self.unset.is_empty()
    }
}

/// A scene's context entries by section.
type SceneData = HashMap<i64, BTreeMap<String, String>>;

/// Writes changes in a few statements (new scene contexts in one insert, entries in one
/// upsert, removed keys in one delete), leaving out what is already stored; returns every
/// scene's entries after them.
async fn apply(
    conn: &mut AnyConnection,
    (script_id, session_id): (i64, i64),
    existing: SceneContexts,
    changes: Vec<Change>,
) -> Result<SceneData> {
    let SceneContexts {
        mut ids,
        data: mut after,
    } = existing;
    let empty = BTreeMap::new();
    let changes: Vec<Change> = changes
        .into_iter()
        .map(|c| {
            let stored = after.get(&c.heading_id).unwrap_or(&empty);
            c.against(stored)
        })
        .filter(|c| !c.is_empty())
        .collect();
    insert_contexts(conn, session_id, &changes, &mut ids).await?;
    write_entries(conn, &changes, &ids).await?;
    sqlx::query(
        "UPDATE sessions SET updated_at = $1, script_id = COALESCE(script_id, $2) WHERE session_id = $3",
    )
    .bind(now())
    .bind(script_id)
    .bind(session_id)
    .execute(&mut *conn)
    .await?;
    for change in changes {
        let data = after.entry(change.heading_id).or_default();
        for key in change.unset {
            data.remove(key);
        }
        data.extend(change.set);
    }
    Ok(after)
}

/// A scene context for every changed scene that has none yet.
async fn insert_contexts(
    conn: &mut AnyConnection,
    session_id: i64,
    changes: &[Change],
    ids: &mut HashMap<i64, i64>,
) -> Result<()> {
    let missing: Vec<i64> = changes
        .iter()
        .map(|c| c.heading_id)
        .filter(|h| !ids.contains_key(h))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    // From the identity, not under a lock of the contexts table, which would hold every
    // other writer's contexts in a room until this import commits.
    let new_ids =
        crate::screenplay::import::reserve_ids(conn, "contexts", "context_id", missing.len())
            .await?;
    let rows: Vec<(i64, i64)> = missing.into_iter().zip(new_ids).collect();
    for chunk in rows.chunks(400) {
        let mut q =
            crate::db::Batch::new("INSERT INTO contexts (context_id, session_id, heading_id) ");
        q.values(chunk, |b, (heading, id)| {
            ids.insert(*heading, *id);
            b.bind(*id).bind(session_id).bind(*heading);
        });
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// The changed entries in one upsert and the removed keys in one delete (a few hundred rows a
/// statement).
async fn write_entries(
    conn: &mut AnyConnection,
    changes: &[Change],
    ids: &HashMap<i64, i64>,
) -> Result<()> {
    let mut set: Vec<(i64, &String, &String)> = Vec::new();
    let mut unset: Vec<(i64, &str)> = Vec::new();
    for change in changes {
        let Some(&id) = ids.get(&change.heading_id) else {
            continue;
        };
        set.extend(change.set.iter().map(|(key, value)| (id, key, value)));
        unset.extend(change.unset.iter().map(|key| (id, *key)));
    }
    for chunk in set.chunks(300) {
        let mut q = crate::db::Batch::new("INSERT INTO context_entries (context_id, key, value) ");
        q.values(chunk, |b, (id, key, value)| {
            b.bind(*id).bind(*key).bind(*value);
        });
        q.push(" ON CONFLICT (context_id, key) DO UPDATE SET value = excluded.value");
        q.execute(&mut *conn).await?;
    }
    for chunk in unset.chunks(400) {
        let mut q =
            crate::db::Batch::new("DELETE FROM context_entries WHERE (context_id, key) IN (");
        q.values(chunk, |b, (id, key)| {
            b.bind(*id).bind(*key);
        });
        q.push(")");
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

fn suggestion_change(
    heading_id: i64,
    s: &Suggestion,
    old: Option<&BTreeMap<String, String>>,
) -> Change {
    let mut set = BTreeMap::from([
        (KEY_SUGGESTED.to_string(), s.mood.clone()),
        (KEY_CONFIDENCE.to_string(), format!("{:.2}", s.confidence)),
        (
            KEY_EVIDENCE.to_string(),
            s.evidence.join(EVIDENCE_SEPARATOR),
        ),
    ]);
    let mut unset = Vec::new();
    if !old.is_some_and(by_writer) {
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
    conn: &mut AnyConnection,
    script_id: i64,
    session_id: Option<i64>,
) -> Result<SceneMoods> {
    scripts::fetch_script(conn, script_id).await?;
    let session_id = target_session(conn, script_id, session_id).await?;
    let scenes = stored_scenes(conn, script_id).await?;
    let existing = scene_entries(conn, session_id).await?;
    let changes: Vec<Change> = scenes
        .iter()
        .map(|scene| {
            let suggestion = suggest_stored(scene);
            suggestion_change(
                scene.heading_id,
                &suggestion,
                existing.data.get(&scene.heading_id),
            )
        })
        .collect();
    let after = apply(conn, (script_id, session_id), existing, changes).await?;
    Ok(scene_moods(script_id, session_id, &scenes, after))
}

/// `fountainai moods suggest`: suggests every scene's mood into the script's "Suggested
/// moods" session (created if missing) or the session named; never over a writer's mood.
#[instrument(skip(db), err)]
pub async fn suggest(db: &Database, script_id: i64, session_id: Option<i64>) -> Result<SceneMoods> {
    let mut tx = scripts::writing(db, ScriptOf::Script(script_id)).await?;
    let moods = suggest_in(&mut tx, script_id, session_id).await?;
    tx.commit().await?;
    Ok(moods)
}

/// The moods of `scenes` from their context entries.
fn scene_moods(
    script_id: i64,
    session_id: i64,
    scenes: &[StoredScene],
    mut data: SceneData,
) -> SceneMoods {
    let scenes = scenes
        .iter()
        .map(|scene| scene_mood(scene, data.remove(&scene.heading_id)))
        .collect();
    SceneMoods {
        script_id,
        session_id,
        scenes,
    }
}

fn scene_mood(scene: &StoredScene, mut data: Option<BTreeMap<String, String>>) -> SceneMood {
    let by_writer = data.as_ref().is_some_and(by_writer);
    let mut get = |key: &str| data.as_mut().and_then(|d| d.remove(key));
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
        by_writer,
    }
}

async fn session_script(conn: &mut AnyConnection, session_id: i64) -> Result<i64> {
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
    let contexts = scene_entries(&mut conn, session_id).await?;
    Ok(scene_moods(script_id, session_id, &scenes, contexts.data))
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
    let mut tx = scripts::writing(db, ScriptOf::Session(review.session_id)).await?;
    let script_id = session_script(&mut tx, review.session_id).await?;
    let scenes = stored_scenes(&mut tx, script_id).await?;
    let existing = scene_entries(&mut tx, review.session_id).await?;
    let empty = BTreeMap::new();
    let data = |h: i64| existing.data.get(&h).unwrap_or(&empty);
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
    let after = apply(&mut tx, (script_id, review.session_id), existing, changes).await?;
    tx.commit().await?;
    Ok(scene_moods(script_id, review.session_id, &scenes, after))
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
            let entry = LEXICON.find(word).unwrap_or_else(|| panic!("{word}"));
            assert_eq!(MOODS[entry.row].mood, mood, "{word}");
        }
    }

    #[test]
    fn one_look_up_finds_what_stripping_endings_finds() {
        let mut spellings: Vec<String> = Vec::new();
        for base in LEXICON.words.keys() {
            let cut: String = base
                .chars()
                .take(base.chars().count().saturating_sub(1))
                .collect();
            for stem in [base.to_string(), cut] {
                for ending in [
                    "", "s", "es", "ed", "d", "ing", "ly", "ily", "ies", "ied", "'s",
                ] {
                    spellings.push(format!("{stem}{ending}"));
                    spellings.push(format!(
                        "{stem}{}{ending}",
                        &stem[stem.len().saturating_sub(1)..]
                    ));
                }
            }
        }
        spellings.extend(["a", "is", "sing", "ed", "ings", "quiet", "wanderer"].map(String::from));
        for word in &spellings {
            let fast = LEXICON.find(word).map(|e| (e.row, e.points));
            assert_eq!(fast, LEXICON.find_base(word), "{word}");
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
