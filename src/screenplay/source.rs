//! The writer's own Fountain text. Import and the editor's sync keep, for every heading and
//! line, the text it was read from (up to the next one, blank lines included) and a
//! fingerprint of what it was read as; the Fountain export reuses that text while the
//! fingerprint still matches and lets the writer ([`super::fountain`]) derive only what changed.
//! The result is parsed back before it is handed out: if it would not read as the stored
//! script (a reused text in a context it no longer fits), the scenes concerned are derived.

use std::collections::HashMap;
use std::hash::Hasher;

use sqlx::AnyConnection;

use super::fountain::write_marked;
use super::scenes::{self, Line, Scene, Starts, StoredScene};
use crate::error::Result;
use crate::fnv::Fnv;

/// Rows per UPDATE: three parameters each.
const CHUNK: usize = 300;

/// What a heading or line was read as, so its text is reused only for the same content.
fn fingerprint(fields: &[Option<&str>]) -> i64 {
    let mut fnv = Fnv::default();
    for field in fields {
        match field {
            Some(text) => {
                fnv.write_u8(1);
                fnv.write(text.as_bytes());
            }
            None => fnv.write_u8(0),
        }
        // 0xFF never occurs in UTF-8, so fields cannot run into each other.
        fnv.write_u8(0xFF);
    }
    // The column is a signed integer; the bits are what matters.
    i64::from_ne_bytes(fnv.finish().to_ne_bytes())
}

pub(crate) fn line_key(line: &Line) -> i64 {
    let flag = |b: bool| Some(if b { "1" } else { "0" });
    let depth = line.depth.map(|d| d.to_string());
    fingerprint(&[
        Some(line.kind.as_str()),
        Some(&line.text),
        line.character.as_deref(),
        line.parenthetical.as_deref(),
        line.extension.as_deref(),
        flag(line.dual),
        flag(line.continues),
        depth.as_deref(),
    ])
}

/// The script fields a title page was read with.
fn title_key(script: &ScriptRow) -> i64 {
    fingerprint(&[
        Some(&script.title),
        Some(&script.author),
        script.title_page.as_deref(),
    ])
}

#[derive(sqlx::FromRow)]
struct ScriptRow {
    title: String,
    author: String,
    title_page: Option<String>,
    source: Option<String>,
    source_of: Option<i64>,
}

async fn script_row(conn: &mut AnyConnection, script_id: i64) -> Result<ScriptRow> {
    Ok(sqlx::query_as(
        "SELECT title, author, CAST(title_page AS TEXT) AS title_page, source, source_of \
         FROM scripts WHERE script_id = $1",
    )
    .bind(script_id)
    .fetch_one(&mut *conn)
    .await?)
}

pub(crate) fn heading_key(scene: &Scene) -> i64 {
    fingerprint(&[
        Some(scene.title.trim()),
        scene.scene_number.as_deref(),
        Some(if scene.untitled { "1" } else { "0" }),
    ])
}

/// Byte offsets where each source line starts (line 1 at index 0), splitting as the parser
/// does: on `\r\n`, `\n` or a lone `\r`.
fn line_offsets(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut offsets = vec![0];
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                i += 2;
                offsets.push(i);
            }
            b'\r' | b'\n' => {
                i += 1;
                offsets.push(i);
            }
            _ => i += 1,
        }
    }
    offsets
}

/// A text cut into what comes before the first element and one piece per heading and line,
/// in reading order; together they are the text again, byte for byte.
struct Cut<'a> {
    preamble: &'a str,
    pieces: Vec<&'a str>,
}

fn cut<'a>(text: &'a str, starts: &[Starts]) -> Cut<'a> {
    let offsets = line_offsets(text);
    let at = |line: usize| {
        line.checked_sub(1)
            .and_then(|i| offsets.get(i))
            .copied()
            .unwrap_or(text.len())
    };
    // Lines in reading order; a note cut from inside a line may start before the line it
    // follows, so each piece starts at the furthest line reached so far.
    let lines: Vec<usize> = starts
        .iter()
        .flat_map(|s| std::iter::once(s.heading).chain(s.lines.iter().copied()))
        .collect();
    let first = lines
        .iter()
        .copied()
        .find(|l| *l > 0)
        .map_or(text.len(), at);
    let mut bounds = Vec::with_capacity(lines.len() + 1);
    let mut reached = first;
    for line in &lines {
        if *line > 0 {
            reached = reached.max(at(*line));
        }
        bounds.push(reached);
    }
    bounds.push(text.len());
    let pieces = bounds.windows(2).map(|w| &text[w[0]..w[1]]).collect();
    Cut {
        preamble: &text[..first],
        pieces,
    }
}

/// A heading's or line's piece of the writer's text and what it was read as.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Piece<'a> {
    pub text: &'a str,
    pub key: i64,
}

/// The writer's text of a new script cut along its scenes before a row is written, so the
/// import stores each piece with its row (an UPDATE of every row afterwards took a third of
/// an import's time on PostgreSQL, where it checks each row's foreign keys again).
pub(crate) struct KeptText<'a> {
    pub preamble: &'a str,
    pub scenes: Vec<KeptScene<'a>>,
}

pub(crate) struct KeptScene<'a> {
    pub heading: Piece<'a>,
    pub lines: Vec<Piece<'a>>,
}

/// `text` cut along the `scenes` read from it; none when they are not its shape.
pub(crate) fn kept_text<'a>(
    text: &'a str,
    starts: &[Starts],
    scenes: &[Scene],
) -> Option<KeptText<'a>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !same_shape(scenes.iter().map(|s| s.lines.len()), starts) {
        return None;
    }
    let cut = cut(text, starts);
    let mut pieces = cut.pieces.iter();
    let mut kept = |key| pieces.next().map(|text| Piece { text, key });
    let scenes = scenes
        .iter()
        .map(|scene| {
            Some(KeptScene {
                heading: kept(heading_key(scene))?,
                lines: scene
                    .lines
                    .iter()
                    .map(|line| kept(stored_line_key(line)))
                    .collect::<Option<_>>()?,
            })
        })
        .collect::<Option<_>>()?;
    Some(KeptText {
        preamble: cut.preamble,
        scenes,
    })
}

/// [`line_key`] of a line as it reads back once stored (the speaker's name trimmed, as the
/// characters keep it).
fn stored_line_key(line: &Line) -> i64 {
    match &line.character {
        Some(name) if name.trim() != name => line_key(&Line {
            character: Some(name.trim().to_string()),
            ..line.clone()
        }),
        _ => line_key(line),
    }
}

/// Whether scenes of these line counts are the ones `starts` were read as, scene for scene.
fn same_shape(line_counts: impl ExactSizeIterator<Item = usize>, starts: &[Starts]) -> bool {
    line_counts.len() == starts.len() && line_counts.zip(starts).all(|(n, t)| n == t.lines.len())
}

/// Keeps the text before a script's first element, with the script's fields it was read with.
pub(crate) async fn keep_preamble(
    conn: &mut AnyConnection,
    script_id: i64,
    preamble: &str,
) -> Result<()> {
    let key = title_key(&script_row(conn, script_id).await?);
    sqlx::query(
        "UPDATE scripts SET source = $1, source_of = $2 \
         WHERE script_id = $3 AND (source IS DISTINCT FROM $4 OR source_of IS DISTINCT FROM $5)",
    )
    .bind(preamble)
    .bind(key)
    .bind(script_id)
    .bind(preamble)
    .bind(key)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Remembers the writer's text of a script just written from `text` (an editor's sync): the
/// stored scenes are those of `text`, in order.
pub(crate) async fn remember(
    conn: &mut AnyConnection,
    script_id: i64,
    text: &str,
    starts: &[Starts],
) -> Result<()> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let stored = scenes::load(conn, script_id).await?;
    if !same_shape(stored.iter().map(|s| s.element_ids.len()), starts) {
        // Not what was read: nothing to remember, the export derives it all.
        return Ok(());
    }
    let cut = cut(text, starts);
    keep_preamble(conn, script_id, cut.preamble).await?;
    let known = known_sources(conn, script_id).await?;
    let mut headings = Vec::new();
    let mut elements = Vec::new();
    let mut pieces = cut.pieces.iter();
    for s in &stored {
        if let Some(piece) = pieces.next() {
            let row = (s.heading_id, *piece, heading_key(&s.scene));
            if known.headings.get(&s.heading_id) != Some(&(Some(row.1.to_string()), Some(row.2))) {
                headings.push(row);
            }
        }
        for (id, line) in s.element_ids.iter().zip(&s.scene.lines) {
            if let Some(piece) = pieces.next() {
                let row = (*id, *piece, line_key(line));
                if known.elements.get(id) != Some(&(Some(row.1.to_string()), Some(row.2))) {
                    elements.push(row);
                }
            }
        }
    }
    store(conn, "section_headings", "heading_id", &headings).await?;
    store(conn, "elements", "element_id", &elements).await
}

pub(crate) async fn store(
    conn: &mut AnyConnection,
    table: &str,
    id: &str,
    rows: &[(i64, &str, i64)],
) -> Result<()> {
    for chunk in rows.chunks(CHUNK) {
        // VALUES names its columns column1, column2…, in SQLite and PostgreSQL alike.
        let mut q = crate::db::Batch::new(format!(
            "UPDATE {table} SET source = v.column2, source_of = v.column3 FROM ("
        ));
        q.values(chunk, |b, (row_id, source, key)| {
            b.bind(*row_id).bind(*source).bind(*key);
        });
        q.push(&format!(") AS v WHERE {table}.{id} = v.column1"));
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

type Known = HashMap<i64, (Option<String>, Option<i64>)>;

/// The kept texts of a script's headings and lines, by id.
struct KnownSources {
    headings: Known,
    elements: Known,
}

async fn known_sources(conn: &mut AnyConnection, script_id: i64) -> Result<KnownSources> {
    let rows: Vec<(i64, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT heading_id, source, source_of FROM section_headings WHERE script_id = $1",
    )
    .bind(script_id)
    .fetch_all(&mut *conn)
    .await?;
    let headings = rows.into_iter().map(|(id, s, k)| (id, (s, k))).collect();
    let rows: Vec<(i64, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT e.element_id, e.source, e.source_of FROM elements e \
         JOIN section_headings h USING (heading_id) WHERE h.script_id = $1",
    )
    .bind(script_id)
    .fetch_all(&mut *conn)
    .await?;
    let elements = rows.into_iter().map(|(id, s, k)| (id, (s, k))).collect();
    Ok(KnownSources { headings, elements })
}

/// The script as Fountain text: the writer's own wherever it still says what is stored.
/// `title_page` is the one derived from the script's fields, used once they changed since
/// the title page was read.
pub(crate) async fn fountain_text(
    conn: &mut AnyConnection,
    title_page: Vec<(String, String)>,
    stored: &[StoredScene],
    script_id: i64,
) -> Result<String> {
    let script = script_row(conn, script_id).await?;
    let (title_page, preamble) = if script.source_of == Some(title_key(&script)) {
        let read: Vec<(String, String)> = match script.title_page.as_deref() {
            Some(json) => serde_json::from_str(json)?,
            None => Vec::new(),
        };
        (read, script.source)
    } else {
        (title_page, None)
    };
    let known = known_sources(conn, script_id).await?;
    let scenes: Vec<Scene> = stored.iter().map(|s| s.scene.clone()).collect();
    let (screenplay, marks) = scenes::to_screenplay_marked(title_page, &scenes);
    let marked = write_marked(&screenplay);
    let derived = Derived {
        text: &marked.text,
        starts: &marked.starts,
        joined: &marked.joined,
        marks: &marks,
    };
    let kept = Kept::of(stored, &known);
    let mut fresh = vec![false; stored.len()];
    let mut fresh_title = false;
    // At most twice: with every kept text, then with the scenes that did not read back
    // derived. After that the derived text, which the writer makes read back by itself.
    for _ in 0..2 {
        let title = (!fresh_title).then_some(preamble.as_deref()).flatten();
        let text = assemble(&derived, &kept, title, stored, &fresh);
        match mismatches(&text, &screenplay.title_page, &scenes) {
            None => return Ok(text),
            Some((title, bad)) => {
                fresh_title |= title;
                for i in bad {
                    fresh[i] = true;
                }
            }
        }
    }
    Ok(marked.text)
}

/// The writer's derived text and where each heading and line starts in it.
struct Derived<'a> {
    text: &'a str,
    /// Where each element starts in `text`.
    starts: &'a [usize],
    /// Whether each element continues the dialogue block above it.
    joined: &'a [bool],
    /// Each heading's and line's first element (reading order).
    marks: &'a [usize],
}

impl Derived<'_> {
    fn start_of_element(&self, element: usize) -> usize {
        self.starts.get(element).copied().unwrap_or(self.text.len())
    }

    /// The derived text of the `item`-th heading or line, up to the next one.
    fn piece(&self, item: usize) -> &str {
        let from = self
            .marks
            .get(item)
            .map_or(self.text.len(), |e| self.start_of_element(*e));
        let to = self
            .marks
            .get(item + 1)
            .map_or(self.text.len(), |e| self.start_of_element(*e));
        &self.text[from..to.max(from)]
    }

    fn title_page(&self) -> &str {
        let end = self
            .marks
            .first()
            .map_or(self.text.len(), |e| self.start_of_element(*e));
        &self.text[..end]
    }

    /// Whether the item continues the dialogue block above it (no blank line before it).
    fn joins_above(&self, item: usize) -> bool {
        let Some(&element) = self.marks.get(item) else {
            return false;
        };
        let next = self.marks.get(item + 1).copied().unwrap_or(usize::MAX);
        element < next && self.joined.get(element).copied().unwrap_or(false)
    }
}

/// For each heading and line (reading order), the writer's text if it still fits.
struct Kept<'a> {
    texts: Vec<Option<&'a str>>,
}

impl<'a> Kept<'a> {
    fn of(stored: &[StoredScene], known: &'a KnownSources) -> Self {
        let fits = |known: &'a Known, id: &i64, key: i64| {
            known
                .get(id)
                .filter(|(_, k)| *k == Some(key))
                .and_then(|(s, _)| s.as_deref())
        };
        let mut texts = Vec::new();
        for s in stored {
            texts.push(fits(&known.headings, &s.heading_id, heading_key(&s.scene)));
            for (id, line) in s.element_ids.iter().zip(&s.scene.lines) {
                texts.push(fits(&known.elements, id, line_key(line)));
            }
        }
        Kept { texts }
    }
}

/// Kept texts where they fit, derived ones elsewhere, joined with the blank lines Fountain
/// needs between paragraphs (and none inside a dialogue block).
fn assemble(
    derived: &Derived<'_>,
    kept: &Kept<'_>,
    title: Option<&str>,
    stored: &[StoredScene],
    fresh: &[bool],
) -> String {
    let mut out = String::with_capacity(derived.text.len() + 64);
    out.push_str(title.unwrap_or(derived.title_page()));
    let mut item = 0;
    let mut last_kept = title.is_some();
    for (scene, fresh) in stored.iter().zip(fresh) {
        for _ in 0..=scene.element_ids.len() {
            let own = kept.texts.get(item).copied().flatten().filter(|_| !fresh);
            let piece = own.unwrap_or_else(|| derived.piece(item));
            if !piece.is_empty() {
                // Two kept texts stay as written (a boneyard may follow a line directly);
                // next to a derived one, the blank lines are made right.
                if own.is_none() || !last_kept || !out.ends_with(['\n', '\r']) {
                    join(&mut out, derived.joins_above(item));
                }
                out.push_str(piece);
                last_kept = own.is_some();
            }
            item += 1;
        }
    }
    out
}

/// Makes `out` end as the next piece needs: one line end inside a dialogue block, a blank
/// line before a new paragraph.
fn join(out: &mut String, joins_above: bool) {
    if out.is_empty() {
        return;
    }
    if joins_above {
        while ends_with_blank_line(out) {
            out.pop();
            if out.ends_with('\r') {
                out.pop();
            }
        }
        if !out.ends_with(['\n', '\r']) {
            out.push('\n');
        }
        return;
    }
    if !out.ends_with(['\n', '\r']) {
        out.push('\n');
    }
    if !ends_with_blank_line(out) {
        out.push('\n');
    }
}

/// The text ends with a line end after an empty line.
fn ends_with_blank_line(text: &str) -> bool {
    let body = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix(['\n', '\r']));
    match body {
        Some(body) => body.is_empty() || body.ends_with(['\n', '\r']),
        None => false,
    }
}

/// What reads back differently from the stored script: the title page, and the indices of
/// the scenes (from the first that differs, when the scenes no longer line up).
fn mismatches(
    text: &str,
    title_page: &[(String, String)],
    scenes: &[Scene],
) -> Option<(bool, Vec<usize>)> {
    let parsed = crate::fountain::parse(text);
    let read = scenes::from_screenplay(&parsed);
    let title = parsed.title_page != title_page;
    let mut bad: Vec<usize> = Vec::new();
    if read.len() == scenes.len() {
        bad.extend((0..scenes.len()).filter(|i| !same_scene(&read[*i], &scenes[*i])));
    } else {
        let first = read
            .iter()
            .zip(scenes)
            .position(|(a, b)| !same_scene(a, b))
            .unwrap_or(read.len().min(scenes.len()));
        bad.extend(first.saturating_sub(1)..scenes.len());
    }
    (title || !bad.is_empty()).then_some((title, bad))
}

/// Stored titles are trimmed; otherwise a scene reads back exactly.
fn same_scene(a: &Scene, b: &Scene) -> bool {
    a.title.trim() == b.title.trim()
        && a.scene_number == b.scene_number
        && a.untitled == b.untitled
        && a.lines == b.lines
}
