//! Screenplay PDF in the industry layout: US Letter, Courier 12 pt (10 characters an inch,
//! 6 lines an inch), 54 body lines a page between 1" margins, page numbers ("2.") top right
//! from the second script page, and a title page when the screenplay has one.
//!
//! jumpcut (MIT) paginates like Final Draft and writes PDF, but it stamps the wall-clock time
//! into every file (CreationDate, ModDate, XMP dates) with no way to turn that off, embeds
//! Courier Prime, and only takes Fountain text through its own parser. The export must be
//! byte-deterministic and start from our [`Screenplay`], so the layout is done here and the
//! file written with `pdf-writer`, using the standard 14 Courier fonts (never embedded).
//!
//! Layout rules (columns in inches from the left edge of the page):
//! - scene headings and action 1.5"–7.5"; character cues at 3.7"; parentheticals
//!   3.1"–5.6"; dialogue 2.5"–6.0"; transitions end at 7.5"; centered text is centered in
//!   1.5"–7.5"; lyrics are italic (in the dialogue column when sung inside a speech).
//! - one blank line before every element except the parts of a speech; none at a page top.
//! - a scene heading is never left alone at a page bottom: it moves on unless two lines of
//!   what follows fit under it. A cue always keeps at least one line of its speech.
//! - a speech that does not fit splits between dialogue lines (never right after a cue or a
//!   parenthetical), with "(MORE)" under it and "NAME (CONT'D)" opening the next page.
//! - dual dialogue is set side by side when the pair fits on one page; a longer pair is
//!   printed one speech after the other.
//! - emphasis: `*italic*`, `**bold**`, `***both***` pick Courier-Oblique, -Bold and
//!   -BoldOblique; `_underline_` draws a line; `\*` and `\_` are literal.
//! - sections, synopses, notes and boneyard are not printed; `===` starts a new page.
//!
//! The file carries no dates, and its document ID is a hash of its content.

use std::hash::Hasher;

use encoding_rs::WINDOWS_1252;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::fnv::Fnv;
use crate::fountain::{Element, Screenplay};

use super::title_field;

/// Points per inch.
const INCH: f32 = 72.0;
const PAGE_WIDTH: f32 = 8.5 * INCH;
const PAGE_HEIGHT: f32 = 11.0 * INCH;
const FONT_SIZE: f32 = 12.0;
/// Courier advances 0.6 em: 7.2 pt, a tenth of an inch.
const CHAR_WIDTH: f32 = 0.1;
/// One line is 12 pt, a sixth of an inch.
const LINE: f32 = 12.0;
/// The baseline sits this far below the top of its 12 pt line.
const BASELINE: f32 = 9.0;
/// Body lines per page: 9" between the 1" margins at 6 lines an inch.
const LINES_PER_PAGE: usize = 54;
const TOP_MARGIN: f32 = INCH;

const ACTION_X: f32 = 1.5;
const ACTION_WIDTH: usize = 60;
const RIGHT_EDGE: f32 = 7.5;
const CUE_X: f32 = 3.7;
const CUE_WIDTH: usize = 38;
const PAREN_X: f32 = 3.1;
const PAREN_WIDTH: usize = 25;
const DIALOGUE_X: f32 = 2.5;
const DIALOGUE_WIDTH: usize = 35;
/// Dual dialogue: two columns of this width starting at these positions; cues and
/// parentheticals are indented within each column.
const DUAL_X: [f32; 2] = [1.5, 4.75];
const DUAL_WIDTH: usize = 27;
const DUAL_CUE_INDENT: f32 = 0.9;
const DUAL_PAREN_INDENT: f32 = 0.4;
const DUAL_PAREN_WIDTH: usize = 21;
/// Scene numbers stand in both margins.
const SCENE_NUMBER_LEFT_X: f32 = 0.9;
const SCENE_NUMBER_RIGHT_X: f32 = 7.7;

const FONT_NAMES: [&[u8]; 4] = [
    b"Courier",
    b"Courier-Bold",
    b"Courier-Oblique",
    b"Courier-BoldOblique",
];
const FONT_KEYS: [&[u8]; 4] = [b"F1", b"F2", b"F3", b"F4"];

/// Writes `screenplay` as a PDF: a title page if it has title page fields, then the script
/// (at least one page, even when there is nothing to print).
pub fn write(screenplay: &Screenplay<'_>) -> crate::Result<Vec<u8>> {
    let mut pages = Vec::new();
    if let Some(title) = title_page(&screenplay.title_page) {
        pages.push(title);
    }
    let body = paginate(blocks(&screenplay.elements));
    for (i, mut page) in body.into_iter().enumerate() {
        if i > 0 {
            let number = format!("{}.", i + 1);
            page.push(Placed {
                y: INCH / 2.0,
                x: RIGHT_EDGE - CHAR_WIDTH * number.chars().count() as f32,
                text: plain(&number),
            });
        }
        pages.push(page);
    }
    Ok(render(&pages, &screenplay.title_page))
}

// ---------------------------------------------------------------------------------------
// Styled text

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Style {
    bold: bool,
    italic: bool,
    underline: bool,
}

/// A character and its emphasis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Glyph {
    ch: char,
    style: Style,
}

/// One line of styled characters (Courier is monospaced, so columns are character counts).
type Styled = Vec<Glyph>;

fn glyphs(text: &str, style: Style) -> impl Iterator<Item = Glyph> + '_ {
    text.chars().map(move |ch| Glyph { ch, style })
}

fn plain(text: &str) -> Styled {
    glyphs(text, Style::default()).collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Token {
    Char(char),
    Stars(usize),
    Underscore,
}

impl Token {
    /// The marker as written, for when it turns out to be text.
    fn text(self) -> String {
        match self {
            Token::Char(c) => c.to_string(),
            Token::Stars(n) => "*".repeat(n),
            Token::Underscore => "_".to_owned(),
        }
    }

    /// Turns the style this marker stands for on or off.
    fn flip(self, style: &mut Style) {
        match self {
            Token::Char(_) => {}
            Token::Stars(1) => style.italic = !style.italic,
            Token::Stars(2) => style.bold = !style.bold,
            Token::Stars(_) => {
                style.bold = !style.bold;
                style.italic = !style.italic;
            }
            Token::Underscore => style.underline = !style.underline,
        }
    }
}

/// One line as characters and emphasis markers (a backslash makes a marker a character).
fn tokens(line: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some('*' | '_' | '\\')) => {
                tokens.extend(chars.next().map(Token::Char));
            }
            '*' => {
                let mut n = 1;
                while chars.next_if_eq(&'*').is_some() {
                    n += 1;
                }
                if n <= 3 {
                    tokens.push(Token::Stars(n));
                } else {
                    tokens.extend(std::iter::repeat_n(Token::Char('*'), n));
                }
            }
            '_' => tokens.push(Token::Underscore),
            c => tokens.push(Token::Char(c)),
        }
    }
    tokens
}

/// Emphasis markers of one line, resolved. A marker only opens when the same marker closes
/// it later on the line (the spec: emphasis does not cross line breaks); otherwise it is text.
fn emphasis(line: &str, base: Style) -> Styled {
    let tokens = tokens(line);
    let mut style = base;
    let mut out = Vec::with_capacity(tokens.len());
    for (i, &token) in tokens.iter().enumerate() {
        let stars = match token {
            Token::Char(ch) => {
                out.push(Glyph { ch, style });
                continue;
            }
            Token::Stars(n) => n,
            Token::Underscore => 0,
        };
        if is_open(style, base, stars) || tokens[i + 1..].contains(&token) {
            token.flip(&mut style);
        } else {
            out.extend(glyphs(&token.text(), style));
        }
    }
    out
}

/// Whether the style a marker toggles is on beyond the base style (the marker closes it).
/// `stars` is 0 for `_`.
fn is_open(style: Style, base: Style, stars: usize) -> bool {
    match stars {
        0 => style.underline && !base.underline,
        1 => style.italic && !base.italic,
        2 => style.bold && !base.bold,
        _ => style.bold && style.italic && !(base.bold && base.italic),
    }
}

/// Word-wraps one styled line to `width` columns. Leading spaces stay on the first row
/// (indented action keeps its indentation); a word longer than a row is cut.
fn wrap(line: &[Glyph], width: usize) -> Vec<Styled> {
    let width = width.max(1);
    let indent = line
        .iter()
        .take_while(|g| g.ch == ' ')
        .count()
        .min(width - 1);
    let mut rows = Vec::new();
    let mut row: Styled = line[..indent].to_vec();
    let mut fresh = true;
    let mut i = indent;
    while i < line.len() {
        if line[i].ch == ' ' {
            i += 1;
            continue;
        }
        let start = i;
        while i < line.len() && line[i].ch != ' ' {
            i += 1;
        }
        let word = &line[start..i];
        if !fresh && row.len() + 1 + word.len() > width {
            rows.push(std::mem::take(&mut row));
            fresh = true;
        }
        if !fresh {
            // The space keeps its own style, so an underlined phrase stays underlined.
            row.push(line[start - 1]);
        }
        for chunk in word.chunks(width) {
            if row.len() + chunk.len() > width {
                rows.push(std::mem::take(&mut row));
            }
            row.extend_from_slice(chunk);
        }
        fresh = false;
    }
    rows.push(row);
    rows
}

/// The rows of a (possibly multi-line) element text in a column `width` wide.
fn rows_of(text: &str, width: usize, base: Style) -> Vec<Styled> {
    text.split('\n')
        .flat_map(|line| wrap(&emphasis(line.trim_end(), base), width))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Blocks: elements grouped into what pagination moves as a whole or splits by rule

/// One printed line: pieces of text at horizontal positions (inches).
#[derive(Debug, Clone, Default)]
struct Row {
    pieces: Vec<(f32, Styled)>,
}

impl Row {
    fn at(x: f32, text: Styled) -> Self {
        Row {
            pieces: vec![(x, text)],
        }
    }
}

fn column(text: &str, x: f32, width: usize, base: Style) -> Vec<Row> {
    rows_of(text, width, base)
        .into_iter()
        .map(|r| Row::at(x, r))
        .collect()
}

/// A speech: the cue, then parentheticals, dialogue and lyrics.
#[derive(Debug, Clone)]
struct Speech {
    cue: String,
    dual: bool,
    /// The parts after the cue as (kind, text).
    parts: Vec<(Part, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Parenthetical,
    Dialogue,
    Lyrics,
}

/// Whether a speech may continue on the next page after a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Break {
    /// After a cue or a parenthetical.
    Never,
    /// After a line of dialogue.
    Line,
    /// After a line of dialogue that ends a sentence: the best place.
    Sentence,
}

fn break_after(part: Part, row: &Row) -> Break {
    let last = row
        .pieces
        .last()
        .and_then(|(_, text)| text.last())
        .map(|g| g.ch);
    match (part, last) {
        (Part::Parenthetical, _) => Break::Never,
        (_, Some('.' | '?' | '!' | '"' | ':' | ';')) => Break::Sentence,
        _ => Break::Line,
    }
}

/// A speech's rows in the normal single column, and after each whether the page may end there.
struct SpeechRows {
    rows: Vec<Row>,
    breakable: Vec<Break>,
}

fn speech_rows(speech: &Speech) -> SpeechRows {
    let mut rows = column(&speech.cue, CUE_X, CUE_WIDTH, Style::default());
    let mut breakable = vec![Break::Never; rows.len()];
    for (part, text) in &speech.parts {
        let part_rows = match part {
            Part::Parenthetical => column(text, PAREN_X, PAREN_WIDTH, Style::default()),
            Part::Dialogue => column(text, DIALOGUE_X, DIALOGUE_WIDTH, Style::default()),
            Part::Lyrics => column(text, DIALOGUE_X, DIALOGUE_WIDTH, italic()),
        };
        breakable.extend(part_rows.iter().map(|row| break_after(*part, row)));
        rows.extend(part_rows);
    }
    SpeechRows { rows, breakable }
}

/// Rows of one speech as a column of dual dialogue starting at `x`.
fn dual_column(speech: &Speech, x: f32) -> Vec<(f32, Styled)> {
    let mut out: Vec<(f32, Styled)> = rows_of(&speech.cue, DUAL_WIDTH, Style::default())
        .into_iter()
        .map(|r| (x + DUAL_CUE_INDENT, r))
        .collect();
    for (part, text) in &speech.parts {
        let (dx, width, style) = match part {
            Part::Parenthetical => (DUAL_PAREN_INDENT, DUAL_PAREN_WIDTH, Style::default()),
            Part::Dialogue => (0.0, DUAL_WIDTH, Style::default()),
            Part::Lyrics => (0.0, DUAL_WIDTH, italic()),
        };
        out.extend(rows_of(text, width, style).into_iter().map(|r| (x + dx, r)));
    }
    out
}

fn italic() -> Style {
    Style {
        italic: true,
        ..Style::default()
    }
}

#[derive(Debug, Clone)]
enum Block {
    /// A scene heading: moves to the next page unless some of what follows fits under it.
    Heading(Vec<Row>),
    /// Action and the like: may split between rows.
    Flow(Vec<Row>),
    /// Transitions, centered text, dual dialogue: kept whole.
    Solid(Vec<Row>),
    Speech(Speech),
    PageBreak,
}

/// Groups elements into blocks, dropping what is not printed.
fn blocks(elements: &[Element<'_>]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut speech: Option<Speech> = None;
    let mut speech_end = 0;
    for el in elements {
        let part = match el {
            Element::Parenthetical { text, .. } => Some((Part::Parenthetical, text)),
            Element::Dialogue { text, .. } => Some((Part::Dialogue, text)),
            // A lyric on the line right after a speech is sung in it; after a blank line it
            // stands alone.
            Element::Lyrics { text, line } if *line == speech_end + 1 => Some((Part::Lyrics, text)),
            _ => None,
        };
        if let (Some(s), Some((kind, text))) = (speech.as_mut(), part) {
            s.parts.push((kind, text.to_string()));
            speech_end = el.line() + text.matches('\n').count();
            continue;
        }
        if matches!(
            el,
            Element::Section { .. }
                | Element::Synopsis { .. }
                | Element::Note { .. }
                | Element::Boneyard { .. }
        ) {
            continue;
        }
        close_speech(&mut out, speech.take());
        match el {
            Element::Character {
                text, dual, line, ..
            } => {
                speech = Some(Speech {
                    cue: text.to_string(),
                    dual: *dual,
                    parts: Vec::new(),
                });
                speech_end = *line;
            }
            _ => out.extend(block(el)),
        }
    }
    close_speech(&mut out, speech);
    out
}

/// Pushes a finished speech, pairing it with the speech before when both are dual.
fn close_speech(out: &mut Vec<Block>, speech: Option<Speech>) {
    let Some(right) = speech else { return };
    if right.dual {
        if let Some(Block::Speech(left)) = out.last() {
            if left.dual {
                let left = left.clone();
                out.pop();
                out.extend(dual(left, right));
                return;
            }
        }
    }
    out.push(Block::Speech(right));
}

/// Side by side when the pair fits on a page, else one after the other.
fn dual(left: Speech, right: Speech) -> Vec<Block> {
    let a = dual_column(&left, DUAL_X[0]);
    let b = dual_column(&right, DUAL_X[1]);
    if a.len().max(b.len()) > LINES_PER_PAGE {
        let unpaired = |s: Speech| Block::Speech(Speech { dual: false, ..s });
        return vec![unpaired(left), unpaired(right)];
    }
    let height = a.len().max(b.len());
    let mut rows = vec![Row::default(); height];
    for (row, piece) in rows.iter_mut().zip(a) {
        row.pieces.push(piece);
    }
    for (row, piece) in rows.iter_mut().zip(b) {
        row.pieces.push(piece);
    }
    vec![Block::Solid(rows)]
}

fn block(el: &Element<'_>) -> Option<Block> {
    let normal = Style::default();
    Some(match el {
        Element::SceneHeading {
            text, scene_number, ..
        } => {
            let mut rows = column(text, ACTION_X, ACTION_WIDTH, normal);
            if let (Some(number), Some(first)) = (scene_number, rows.first_mut()) {
                let right = SCENE_NUMBER_RIGHT_X;
                let left = SCENE_NUMBER_LEFT_X - CHAR_WIDTH * number.chars().count() as f32;
                first.pieces.push((left.max(0.1), plain(number)));
                first.pieces.push((right, plain(number)));
            }
            Block::Heading(rows)
        }
        Element::Action { text, .. } => Block::Flow(column(text, ACTION_X, ACTION_WIDTH, normal)),
        Element::Lyrics { text, .. } => Block::Flow(column(text, ACTION_X, ACTION_WIDTH, italic())),
        // Outside a speech (the speech went to another element in between).
        Element::Parenthetical { text, .. } => {
            Block::Flow(column(text, PAREN_X, PAREN_WIDTH, normal))
        }
        Element::Dialogue { text, .. } => {
            Block::Flow(column(text, DIALOGUE_X, DIALOGUE_WIDTH, normal))
        }
        Element::Transition { text, .. } => Block::Solid(
            rows_of(text, ACTION_WIDTH, normal)
                .into_iter()
                .map(|r| Row::at(RIGHT_EDGE - CHAR_WIDTH * r.len() as f32, r))
                .collect(),
        ),
        Element::Centered { text, .. } => Block::Solid(
            rows_of(text, ACTION_WIDTH, normal)
                .into_iter()
                .map(|r| {
                    let pad = (ACTION_WIDTH - r.len().min(ACTION_WIDTH)) as f32 / 2.0;
                    Row::at(ACTION_X + CHAR_WIDTH * pad, r)
                })
                .collect(),
        ),
        Element::PageBreak { .. } => Block::PageBreak,
        Element::Character { .. }
        | Element::Section { .. }
        | Element::Synopsis { .. }
        | Element::Note { .. }
        | Element::Boneyard { .. } => return None,
    })
}

// ---------------------------------------------------------------------------------------
// Pagination

/// Text placed on a page: `y` is the top of its line in points from the top of the page,
/// `x` in inches from the left edge.
#[derive(Debug, Clone)]
struct Placed {
    y: f32,
    x: f32,
    text: Styled,
}

/// Body pages as rows of the 54-line grid.
struct Paginator {
    pages: Vec<Vec<Placed>>,
    /// Rows used on the current (last) page, blank lines included.
    used: usize,
}

impl Paginator {
    fn left(&self) -> usize {
        LINES_PER_PAGE.saturating_sub(self.used)
    }

    /// The blank line before an element, which a page top does without.
    fn space(&self) -> usize {
        usize::from(self.used > 0)
    }

    fn new_page(&mut self) {
        if self.used > 0 {
            self.pages.push(Vec::new());
            self.used = 0;
        }
    }

    fn place(&mut self, rows: &[Row]) {
        self.used += self.space();
        for row in rows {
            let y = TOP_MARGIN + LINE * self.used as f32;
            if let Some(page) = self.pages.last_mut() {
                page.extend(row.pieces.iter().map(|(x, text)| Placed {
                    y,
                    x: *x,
                    text: text.clone(),
                }));
            }
            self.used += 1;
        }
    }

    /// Places `rows`, splitting between rows across pages (never leaving a single row on
    /// either side when the block has four or more).
    fn flow(&mut self, mut rows: &[Row]) {
        loop {
            let room = self.left().saturating_sub(self.space());
            if rows.len() <= room {
                self.place(rows);
                return;
            }
            let take = if rows.len() >= 4 && room >= 2 {
                room.min(rows.len() - 2)
            } else if self.used == 0 {
                room.max(1)
            } else {
                0
            };
            let (now, later) = rows.split_at(take.min(rows.len()));
            if !now.is_empty() {
                self.place(now);
            }
            self.new_page_forced();
            rows = later;
        }
    }

    fn new_page_forced(&mut self) {
        self.pages.push(Vec::new());
        self.used = 0;
    }

    fn solid(&mut self, rows: &[Row]) {
        if rows.len() + self.space() > self.left() {
            self.new_page();
        }
        self.flow(rows);
    }

    /// A heading needs two rows of what follows (or all of it, if shorter) under it.
    fn heading(&mut self, rows: &[Row], next: Option<&Block>) {
        let following = match next {
            Some(Block::Flow(r) | Block::Solid(r) | Block::Heading(r)) => r.len().min(2) + 1,
            Some(Block::Speech(s)) => speech_rows(s).rows.len().min(3) + 1,
            _ => 0,
        };
        if self.space() + rows.len() + following > self.left() {
            self.new_page();
        }
        self.flow(rows);
    }

    fn speech(&mut self, speech: &Speech) {
        let SpeechRows {
            mut rows,
            mut breakable,
        } = speech_rows(speech);
        loop {
            let room = self.left().saturating_sub(self.space());
            if rows.len() <= room {
                self.place(&rows);
                return;
            }
            match split_point(&breakable, room) {
                Some(k) => {
                    let mut head = rows[..k].to_vec();
                    head.push(Row::at(CUE_X, plain("(MORE)")));
                    self.place(&head);
                    self.new_page_forced();
                    let cue = continued(&speech.cue);
                    let mut tail = column(&cue, CUE_X, CUE_WIDTH, Style::default());
                    let mut tail_breaks = vec![Break::Never; tail.len()];
                    tail.extend_from_slice(&rows[k..]);
                    tail_breaks.extend_from_slice(&breakable[k..]);
                    rows = tail;
                    breakable = tail_breaks;
                }
                None if self.used > 0 => self.new_page_forced(),
                // Not even a fresh page can hold the cue with one line and "(MORE)":
                // cut anywhere rather than loop.
                None => {
                    let k = room.saturating_sub(1).max(1).min(rows.len());
                    self.place(&rows[..k]);
                    self.new_page_forced();
                    rows.drain(..k);
                    breakable.drain(..k);
                }
            }
        }
    }
}

/// How many rows of a speech go on this page, leaving room for "(MORE)". The most rows
/// that end a sentence and leave two for the next page; failing that, any breakable row with
/// two after it, then with one.
fn split_point(breaks: &[Break], room: usize) -> Option<usize> {
    let max = room.checked_sub(1)?.min(breaks.len().saturating_sub(1));
    let find = |at_least: Break, min_tail: usize| {
        (1..=max)
            .rev()
            .find(|&k| breaks[k - 1] >= at_least && breaks.len() - k >= min_tail)
    };
    find(Break::Sentence, 2)
        .or_else(|| find(Break::Line, 2))
        .or_else(|| find(Break::Line, 1))
}

/// The cue that continues a split speech on the next page.
fn continued(cue: &str) -> String {
    if cue.to_uppercase().contains("CONT'D") {
        cue.to_owned()
    } else {
        format!("{cue} (CONT'D)")
    }
}

fn paginate(blocks: Vec<Block>) -> Vec<Vec<Placed>> {
    let mut p = Paginator {
        pages: vec![Vec::new()],
        used: 0,
    };
    for (i, block) in blocks.iter().enumerate() {
        match block {
            Block::Heading(rows) => p.heading(rows, blocks.get(i + 1)),
            Block::Flow(rows) => p.flow(rows),
            Block::Solid(rows) => p.solid(rows),
            Block::Speech(s) => p.speech(s),
            Block::PageBreak => p.new_page(),
        }
    }
    p.pages
}

// ---------------------------------------------------------------------------------------
// Title page

/// Title ~1/3 down and centered, then the credit, author(s) and source; contact and draft
/// date at the bottom left. `None` when the screenplay has no title page fields.
fn title_page(fields: &[(String, String)]) -> Option<Vec<Placed>> {
    if fields.is_empty() {
        return None;
    }
    let get = |key: &str| title_field(fields, key);
    let mut placed = Vec::new();
    let mut y = 3.5 * INCH;
    let mut centered = |text: &str, y: &mut f32| {
        for row in rows_of(text, ACTION_WIDTH, Style::default()) {
            let pad = (ACTION_WIDTH - row.len().min(ACTION_WIDTH)) as f32 / 2.0;
            placed.push(Placed {
                y: *y,
                x: ACTION_X + CHAR_WIDTH * pad,
                text: row,
            });
            *y += LINE;
        }
        *y += LINE;
    };
    if let Some(title) = get("title") {
        centered(title, &mut y);
    }
    y += LINE;
    let authors = get("authors").or(get("author"));
    if authors.is_some() {
        centered(get("credit").unwrap_or("Written by"), &mut y);
    }
    for value in [authors, get("source")].into_iter().flatten() {
        centered(value, &mut y);
    }
    let bottom: Vec<Styled> = [get("contact"), get("draftDate"), get("copyright")]
        .into_iter()
        .flatten()
        .flat_map(|v| {
            let mut rows = rows_of(v, 35, Style::default());
            rows.push(Vec::new());
            rows
        })
        .collect();
    let mut y = PAGE_HEIGHT - INCH - LINE * bottom.len().saturating_sub(1) as f32;
    for row in bottom {
        placed.push(Placed {
            y,
            x: ACTION_X,
            text: row,
        });
        y += LINE;
    }
    Some(placed)
}

// ---------------------------------------------------------------------------------------
// PDF

fn render(pages: &[Vec<Placed>], title_page: &[(String, String)]) -> Vec<u8> {
    let catalog_id = Ref::new(1);
    let tree_id = Ref::new(2);
    let info_id = Ref::new(3);
    let font_ids = [Ref::new(4), Ref::new(5), Ref::new(6), Ref::new(7)];
    let first_page = 8;
    let mut pdf = Pdf::new();
    pdf.catalog(catalog_id).pages(tree_id);
    let page_ids: Vec<Ref> = (0..pages.len())
        .map(|i| Ref::new(first_page + 2 * i as i32))
        .collect();
    pdf.pages(tree_id)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);
    {
        let mut info = pdf.document_info(info_id);
        info.producer(TextStr("FountainAI Studio"));
        let field = |key: &str| title_field(title_page, key);
        if let Some(title) = field("title") {
            info.title(TextStr(&strip_markup(title)));
        }
        if let Some(author) = field("authors").or(field("author")) {
            info.author(TextStr(&strip_markup(author)));
        }
    }
    for (id, name) in font_ids.iter().zip(FONT_NAMES) {
        pdf.type1_font(*id)
            .base_font(Name(name))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    let mut hash = Fnv::default();
    for (page, id) in pages.iter().zip(&page_ids) {
        let content_id = Ref::new(id.get() + 1);
        let content = page_content(page);
        hash.write(&content);
        let mut p = pdf.page(*id);
        p.parent(tree_id)
            .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .contents(content_id);
        let mut resources = p.resources();
        let mut fonts = resources.fonts();
        for (key, font) in FONT_KEYS.iter().zip(font_ids) {
            fonts.pair(Name(key), font);
        }
        fonts.finish();
        resources.finish();
        p.finish();
        pdf.stream(content_id, &content);
    }
    // A fixed ID derived from the content: the same screenplay always gives the same file.
    let id = Hasher::finish(&hash).to_be_bytes().to_vec();
    pdf.set_file_id((id.clone(), id));
    pdf.finish()
}

fn page_content(page: &[Placed]) -> Vec<u8> {
    let mut content = Content::new();
    let mut underlines = Vec::new();
    content.begin_text();
    let mut font = usize::MAX;
    for placed in page {
        let baseline = PAGE_HEIGHT - placed.y - BASELINE;
        let mut col = 0;
        for run in placed.text.chunk_by(|a, b| a.style == b.style) {
            let style = run[0].style;
            let f = usize::from(style.bold) + 2 * usize::from(style.italic);
            if f != font {
                content.set_font(Name(FONT_KEYS[f]), FONT_SIZE);
                font = f;
            }
            let x = (placed.x + CHAR_WIDTH * col as f32) * INCH;
            content.set_text_matrix([1.0, 0.0, 0.0, 1.0, x, baseline]);
            let text: String = run.iter().map(|g| g.ch).collect();
            content.show(Str(&win_ansi(&text)));
            if style.underline {
                underlines.push((x, x + CHAR_WIDTH * INCH * run.len() as f32, baseline));
            }
            col += run.len();
        }
    }
    content.end_text();
    if !underlines.is_empty() {
        content.set_line_width(0.6);
        for (x0, x1, y) in underlines {
            content.move_to(x0, y - 1.5).line_to(x1, y - 1.5);
        }
        content.stroke();
    }
    content.finish().into_vec()
}

/// The standard fonts are set in WinAnsiEncoding (Windows-1252); anything outside it
/// prints as `?`.
fn win_ansi(text: &str) -> Vec<u8> {
    let mut buf = [0u8; 4];
    text.chars()
        .map(|c| {
            let (bytes, _, unmappable) = WINDOWS_1252.encode(c.encode_utf8(&mut buf));
            match *bytes {
                [b] if !unmappable => b,
                _ => b'?',
            }
        })
        .collect()
}

/// Title page text without emphasis markers, for the document information.
fn strip_markup(text: &str) -> String {
    text.split('\n')
        .map(|l| {
            emphasis(l, Style::default())
                .into_iter()
                .map(|g| g.ch)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(" ")
}
