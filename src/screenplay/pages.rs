//! Pagination as Final Draft does it, one paginator for the PDF and the editor.
//!
//! The rules (54 lines a page on US Letter at 12 pt Courier, 58 on A4; two blank lines before a
//! scene heading, one before action, cues and transitions; widows and orphans of action; where
//! dialogue may split with "(MORE)" and "NAME (CONT'D)"; automatic CONT'D for a character
//! speaking again; keep-with-next for headings, cues, parentheticals and transitions; dual
//! dialogue; forced page breaks) are jumpcut's "industry" profile, validated by its author
//! against Final Draft's own PDFs, taken through its public pagination API rather than
//! re-derived here. Our [`Screenplay`] is handed over in jumpcut's model (emphasis as styled
//! runs), and the pages come back as placed lines: text with its emphasis at a column and row,
//! which the PDF writer draws and whose first element per page the editor marks.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use jumpcut::pagination::composer::{compose_with_wrap, LayoutBlock};
use jumpcut::pagination::margin::{
    dual_dialogue_character_left_indent, line_height_for_element_type,
};
use jumpcut::pagination::paginator::paginate_with_policy;
use jumpcut::pagination::wrapping::{
    wrap_config_with_overrides, wrap_styled_text_for_element, ElementType,
};
use jumpcut::pagination::{
    build_semantic_screenplay_with_options, normalize_screenplay, DialogueUnit, Fragment,
    LayoutGeometry, PaginationPolicy, ScreenplayLayoutProfile, SemanticOptions, SemanticUnit,
};
use jumpcut::styled_text::{StyledRun, StyledText};
use jumpcut::{Attributes, ElementText, TextRun};
use serde::{Deserialize, Serialize};

use crate::fountain::{Element, Screenplay};

/// The paper a script is printed on. The layout rules stay the same; A4 is taller, so it holds
/// 58 lines instead of 54.
#[derive(ts_rs::TS, Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Paper {
    #[default]
    Letter,
    A4,
}

impl Paper {
    /// Width and height in inches.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::Letter => (8.5, 11.0),
            // 210 x 297 mm.
            Paper::A4 => (595.28 / 72.0, 841.89 / 72.0),
        }
    }
}

/// The width of one character cell in inches: 12 pt Courier, 10 to the inch.
pub(crate) const CELL: f32 = 0.1;

// ---------------------------------------------------------------------------------------
// Emphasis

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Style {
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
}

/// A character and its emphasis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Glyph {
    pub ch: char,
    pub style: Style,
}

/// One line of styled characters (the font is monospaced, so columns are character counts).
pub(crate) type Styled = Vec<Glyph>;

fn glyphs(text: &str, style: Style) -> impl Iterator<Item = Glyph> + '_ {
    text.chars().map(move |ch| Glyph { ch, style })
}

pub(crate) fn plain(text: &str) -> Styled {
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
pub(crate) fn emphasis(line: &str, base: Style) -> Styled {
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

/// A (multi-line) element text without markers, as jumpcut's styled runs.
fn element_text(text: &str) -> ElementText {
    let mut runs: Vec<(String, Style)> = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            push_run(&mut runs, '\n', Style::default());
        }
        for g in emphasis(line.trim_end(), Style::default()) {
            push_run(&mut runs, g.ch, g.style);
        }
    }
    if runs.iter().all(|(_, style)| *style == Style::default()) {
        return ElementText::Plain(runs.into_iter().map(|(text, _)| text).collect());
    }
    ElementText::Styled(
        runs.into_iter()
            .map(|(content, style)| TextRun {
                content,
                text_style: style_names(style),
            })
            .collect(),
    )
}

fn style_names(style: Style) -> HashSet<String> {
    [
        (style.bold, "Bold"),
        (style.italic, "Italic"),
        (style.underline, "Underline"),
    ]
    .into_iter()
    .filter(|(on, _)| *on)
    .map(|(_, name)| name.to_owned())
    .collect()
}

fn push_run(runs: &mut Vec<(String, Style)>, ch: char, style: Style) {
    match runs.last_mut() {
        Some((text, s)) if *s == style => text.push(ch),
        _ => runs.push((ch.to_string(), style)),
    }
}

fn style_of(names: &[String]) -> Style {
    let has = |n: &str| names.iter().any(|s| s.eq_ignore_ascii_case(n));
    Style {
        bold: has("Bold"),
        italic: has("Italic"),
        underline: has("Underline"),
    }
}

// ---------------------------------------------------------------------------------------
// Our model in jumpcut's

/// jumpcut's screenplay for ours, and for each of its leaf elements (in the order jumpcut
/// numbers them `el-00001`, …) the index of our element.
struct Handover {
    screenplay: jumpcut::Screenplay,
    ours: Vec<usize>,
}

fn handover(screenplay: &Screenplay<'_>, paper: Paper) -> Handover {
    let mut b = Builder::default();
    let mut speech_end = 0;
    for (index, el) in screenplay.elements.iter().enumerate() {
        let in_speech = b.speech.is_some();
        let part = match el {
            Element::Parenthetical { text, .. } if in_speech => Some(
                jumpcut::Element::Parenthetical(element_text(text), b.attrs()),
            ),
            Element::Dialogue { text, .. } if in_speech => {
                Some(jumpcut::Element::Dialogue(element_text(text), b.attrs()))
            }
            // A lyric on the line right after a speech is sung in it; after a blank line it
            // stands alone.
            Element::Lyrics { text, line } if in_speech && *line == speech_end + 1 => {
                Some(jumpcut::Element::Lyric(element_text(text), b.attrs()))
            }
            _ => None,
        };
        if let Some(part) = part {
            b.ours.push(index);
            if let Some((_, parts)) = b.speech.as_mut() {
                parts.push(part);
            }
            speech_end = el.line() + el.text().matches('\n').count();
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
        b.close_speech();
        let text = || element_text(el.text());
        let leaf = match el {
            Element::Character { dual, line, .. } => {
                let cue = jumpcut::Element::Character(text(), b.attrs());
                b.speech = Some((*dual, vec![cue]));
                b.ours.push(index);
                speech_end = *line;
                continue;
            }
            Element::PageBreak { .. } => {
                b.page_break = true;
                continue;
            }
            Element::SceneHeading { scene_number, .. } => {
                let mut attrs = b.attrs();
                attrs.scene_number = scene_number.as_deref().map(str::to_owned);
                jumpcut::Element::SceneHeading(text(), attrs)
            }
            Element::Transition { .. } => jumpcut::Element::Transition(text(), b.attrs()),
            Element::Lyrics { .. } => jumpcut::Element::Lyric(text(), b.attrs()),
            Element::Centered { .. } => {
                let mut attrs = b.attrs();
                attrs.centered = true;
                jumpcut::Element::Action(text(), attrs)
            }
            // Action, and a parenthetical or dialogue line that lost its speech.
            _ => jumpcut::Element::Action(text(), b.attrs()),
        };
        b.ours.push(index);
        b.elements.push(leaf);
    }
    b.close_speech();
    let mut metadata = jumpcut::Metadata::new();
    let fmt = match paper {
        Paper::Letter => "industry",
        Paper::A4 => "industry a4",
    };
    metadata.insert("fmt".to_owned(), vec![ElementText::Plain(fmt.to_owned())]);
    Handover {
        screenplay: jumpcut::Screenplay {
            metadata,
            imported_layout: None,
            imported_title_page: None,
            elements: b.elements,
        },
        ours: b.ours,
    }
}

#[derive(Default)]
struct Builder {
    elements: Vec<jumpcut::Element>,
    ours: Vec<usize>,
    /// The speech being collected: whether its cue is dual, and its parts.
    speech: Option<(bool, Vec<jumpcut::Element>)>,
    /// A `===` came: the next element starts a page.
    page_break: bool,
    /// The last element pushed is a dual speech waiting for its partner.
    dual_open: bool,
}

impl Builder {
    fn attrs(&mut self) -> Attributes {
        Attributes {
            starts_new_page: std::mem::take(&mut self.page_break),
            ..Attributes::default()
        }
    }

    fn close_speech(&mut self) {
        let Some((dual, parts)) = self.speech.take() else {
            return;
        };
        let block = jumpcut::Element::DialogueBlock(parts);
        if dual && self.dual_open {
            if let Some(left) = self.elements.pop() {
                self.elements
                    .push(jumpcut::Element::DualDialogueBlock(vec![left, block]));
                self.dual_open = false;
                return;
            }
        }
        self.dual_open = dual;
        self.elements.push(block);
    }
}

// ---------------------------------------------------------------------------------------
// Pages

/// Text placed on a page: `row` counts lines from the top margin, `x` is in inches from the
/// left edge.
#[derive(Debug, Clone)]
pub(crate) struct Placed {
    pub row: f32,
    pub x: f32,
    pub text: Styled,
}

/// Where a page starts in our screenplay: the element, and the byte offset in its text (not 0
/// when the element began on the page before).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Start {
    pub element: usize,
    pub offset: usize,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Page {
    pub placed: Vec<Placed>,
    pub start: Option<Start>,
    /// The first block's lead element (a speech's cue) and whether it began on a page before.
    pub lead: Option<(usize, bool)>,
    /// Scene headings that start on this page: the element and its row.
    pub scenes: Vec<(usize, f32)>,
}

/// A screenplay's body pages as Final Draft would break them.
pub(crate) struct Layout {
    pub pages: Vec<Page>,
    /// Rows a page holds: what an eighth of a page is an eighth of.
    pub lines_per_page: f32,
}

/// Lays out `screenplay`'s body (the title page is the PDF writer's) on `paper`.
pub(crate) fn layout(screenplay: &Screenplay<'_>, paper: Paper) -> Layout {
    laid_out(screenplay, paper, true)
}

/// The pages with only where each starts (nothing placed): what the editor needs, cheaper.
fn starts(screenplay: &Screenplay<'_>, paper: Paper) -> Layout {
    laid_out(screenplay, paper, false)
}

fn laid_out(screenplay: &Screenplay<'_>, paper: Paper, draw: bool) -> Layout {
    let Handover {
        screenplay: jc,
        ours,
    } = handover(screenplay, paper);
    let profile = ScreenplayLayoutProfile::from_screenplay(&jc);
    let normalized = normalize_screenplay("screenplay", &jc);
    let semantic = build_semantic_screenplay_with_options(
        normalized,
        SemanticOptions::from_policy(&profile.pagination),
    );
    let geometry = profile.to_pagination_geometry();
    let policy = profile.pagination.clone();
    let blocks = compose_with_wrap(&semantic.units, &geometry, policy.interruption_dash_wrap);
    let laid = paginate_with_policy(&blocks, geometry.lines_per_page, &geometry, &policy);
    let ctx = Ctx {
        geometry: &geometry,
        policy: &policy,
        ours: &ours,
        draw,
    };
    let mut pages: Vec<Page> = laid
        .iter()
        .filter(|p| {
            p.blocks
                .iter()
                .any(|b| !matches!(b.unit, SemanticUnit::PageStart(_)))
        })
        .map(|p| ctx.page(&p.blocks))
        .collect();
    if pages.is_empty() {
        pages.push(Page::default());
    }
    Layout {
        pages,
        lines_per_page: geometry.lines_per_page,
    }
}

struct Ctx<'a> {
    geometry: &'a LayoutGeometry,
    policy: &'a PaginationPolicy,
    ours: &'a [usize],
    /// Place the lines (for the PDF), or only find where pages start (for the editor).
    draw: bool,
}

/// One line of an element before it is placed: its kind (for height and column) and text.
struct Line {
    kind: ElementType,
    text: Styled,
    /// The x of this line when it is not the element's column (dual dialogue, centering).
    x: Option<f32>,
    /// Text on the same row (the right side of dual dialogue).
    beside: Option<(f32, Styled)>,
}

impl Ctx<'_> {
    /// Our element for jumpcut's id `el-NNNNN`.
    fn ours(&self, id: &str) -> Option<usize> {
        let n: usize = id.strip_prefix("el-")?.parse().ok()?;
        self.ours.get(n.checked_sub(1)?).copied()
    }

    fn page(&self, blocks: &[LayoutBlock<'_>]) -> Page {
        let mut page = Page::default();
        let mut row = 0.0_f32;
        for block in blocks {
            if matches!(block.unit, SemanticUnit::PageStart(_)) {
                continue;
            }
            if !page.placed.is_empty() || page.start.is_some() {
                row += block.spacing_above.round();
            }
            if page.start.is_none() {
                page.start = self.start(block);
                page.lead = self.lead(block);
                if !self.draw {
                    break;
                }
            }
            if let SemanticUnit::Flow(flow) = block.unit {
                if flow.kind == jumpcut::pagination::FlowKind::SceneHeading
                    && !matches!(
                        block.fragment,
                        Fragment::ContinuedFromPrev | Fragment::ContinuedFromPrevAndToNext
                    )
                {
                    if let Some(el) = self.ours(&flow.element_id) {
                        page.scenes.push((el, row));
                    }
                }
            }
            for line in self.block_lines(block) {
                let height = line_height_for_element_type(self.geometry, line.kind);
                row += height - 1.0;
                let x = line.x.unwrap_or_else(|| self.column(line.kind, &line.text));
                if !line.text.is_empty() {
                    page.placed.push(Placed {
                        row,
                        x,
                        text: line.text,
                    });
                }
                if let Some((x, text)) = line.beside {
                    page.placed.push(Placed { row, x, text });
                }
                row += 1.0;
            }
            if let SemanticUnit::Flow(flow) = block.unit {
                if let (Some(number), true) = (
                    flow.render_attributes.scene_number.as_deref(),
                    flow.kind == jumpcut::pagination::FlowKind::SceneHeading,
                ) {
                    let first = page.scenes.last().map(|(_, r)| *r).unwrap_or(row);
                    page.placed.push(Placed {
                        row: first,
                        x: self.geometry.scene_number_left,
                        text: plain(number),
                    });
                    page.placed.push(Placed {
                        row: first,
                        x: self.geometry.scene_number_right,
                        text: plain(number),
                    });
                }
            }
        }
        page
    }

    fn lead(&self, block: &LayoutBlock<'_>) -> Option<(usize, bool)> {
        let id = match block.unit {
            SemanticUnit::PageStart(_) => return None,
            SemanticUnit::Flow(f) => &f.element_id,
            SemanticUnit::Lyric(l) => &l.element_id,
            SemanticUnit::Dialogue(d) => &d.parts.first()?.element_id,
            SemanticUnit::DualDialogue(d) => &d.sides.first()?.dialogue.parts.first()?.element_id,
        };
        let continued = matches!(
            block.fragment,
            Fragment::ContinuedFromPrev | Fragment::ContinuedFromPrevAndToNext
        );
        Some((self.ours(id)?, continued))
    }

    /// Where the block's first line comes from.
    fn start(&self, block: &LayoutBlock<'_>) -> Option<Start> {
        let continued = matches!(
            block.fragment,
            Fragment::ContinuedFromPrev | Fragment::ContinuedFromPrevAndToNext
        );
        let (id, offset) = match block.unit {
            SemanticUnit::PageStart(_) => return None,
            SemanticUnit::Flow(f) => (
                f.element_id.as_str(),
                block
                    .flow_split
                    .as_ref()
                    .filter(|_| continued)
                    .map_or(0, |p| p.bottom_start_offset),
            ),
            SemanticUnit::Lyric(l) => (l.element_id.as_str(), 0),
            SemanticUnit::Dialogue(d) => {
                if continued {
                    if let Some(plan) = &block.dialogue_split {
                        // The first part with text on this page.
                        let at = plan
                            .parts
                            .iter()
                            .zip(&d.parts)
                            .find(|(p, _)| !p.bottom_text.trim().is_empty());
                        if let Some((p, part)) = at {
                            let offset = if p.top_text.trim().is_empty() {
                                0
                            } else {
                                p.bottom_start_offset
                            };
                            return Some(Start {
                                element: self.ours(&part.element_id)?,
                                offset,
                            });
                        }
                    }
                }
                (d.parts.first()?.element_id.as_str(), 0)
            }
            SemanticUnit::DualDialogue(d) => (
                d.sides.first()?.dialogue.parts.first()?.element_id.as_str(),
                0,
            ),
        };
        Some(Start {
            element: self.ours(id)?,
            offset,
        })
    }

    /// The x of a line of this kind (transitions end at their right edge).
    fn column(&self, kind: ElementType, text: &Styled) -> f32 {
        let g = self.geometry;
        match kind {
            ElementType::Action | ElementType::SceneHeading => g.action_left,
            ElementType::ColdOpening => g.cold_opening_left,
            ElementType::NewAct => g.new_act_left,
            ElementType::EndOfAct => g.end_of_act_left,
            ElementType::Character => g.character_left,
            ElementType::Dialogue => g.dialogue_left,
            ElementType::Parenthetical => {
                // Final Draft hangs the opening parenthesis a column to the left.
                let hang = text.first().is_some_and(|g| g.ch == '(');
                g.parenthetical_left
                    + if hang {
                        g.parenthetical_first_indent
                    } else {
                        0.0
                    }
            }
            ElementType::Transition => {
                (g.transition_right - text.len() as f32 * CELL).max(g.transition_left)
            }
            ElementType::Lyric => g.lyric_left,
            ElementType::DualDialogueLeft => g.dual_dialogue_left_left,
            ElementType::DualDialogueRight => g.dual_dialogue_right_left,
            ElementType::DualDialogueCharacterLeft => g.dual_dialogue_left_character_left,
            ElementType::DualDialogueCharacterRight => g.dual_dialogue_right_character_left,
            ElementType::DualDialogueParentheticalLeft => g.dual_dialogue_left_parenthetical_left,
            ElementType::DualDialogueParentheticalRight => g.dual_dialogue_right_parenthetical_left,
        }
    }

    /// Wraps `text` (with its styles, if any) in the column of `kind`.
    fn wrap(&self, kind: ElementType, text: &StyledText) -> Vec<Styled> {
        let config = wrap_config_with_overrides(
            self.geometry,
            kind,
            &Default::default(),
            self.policy.interruption_dash_wrap,
        );
        if text.plain_text.is_empty() {
            return if matches!(kind, ElementType::Action) {
                vec![Vec::new()]
            } else {
                Vec::new()
            };
        }
        wrap_styled_text_for_element(text, &config)
            .into_iter()
            .map(|line| {
                line.fragments
                    .iter()
                    .flat_map(|f| glyphs(&f.text, style_of(&f.styles)).collect::<Vec<_>>())
                    .collect()
            })
            .collect()
    }

    fn lines(&self, kind: ElementType, text: &StyledText) -> Vec<Line> {
        self.wrap(kind, text)
            .into_iter()
            .map(|text| Line {
                kind,
                text,
                x: None,
                beside: None,
            })
            .collect()
    }

    fn block_lines(&self, block: &LayoutBlock<'_>) -> Vec<Line> {
        match block.unit {
            SemanticUnit::PageStart(_) => Vec::new(),
            SemanticUnit::Flow(flow) => {
                let kind = ElementType::from_flow_kind(&flow.kind);
                let text = styled(&flow.text, flow.inline_text.as_ref());
                let text = match (&block.flow_split, &block.fragment) {
                    (Some(plan), Fragment::ContinuedFromPrev) => {
                        slice(&text, plan.bottom_start_offset, text.plain_text.len())
                    }
                    (
                        Some(plan),
                        Fragment::ContinuedToNext | Fragment::ContinuedFromPrevAndToNext,
                    ) => slice(&text, 0, plan.top_end_offset),
                    _ => text,
                };
                let mut lines = self.lines(kind, &text);
                if flow.render_attributes.centered {
                    let (left, right) = (self.geometry.action_left, self.geometry.action_right);
                    for line in &mut lines {
                        let width = line.text.len() as f32 * CELL;
                        line.x = Some(left + ((right - left - width) / 2.0).max(0.0));
                    }
                }
                self.fragment_of(lines, block)
            }
            SemanticUnit::Lyric(lyric) => {
                let text = styled(&lyric.text, lyric.inline_text.as_ref());
                self.fragment_of(self.lines(ElementType::Lyric, &italic(text)), block)
            }
            SemanticUnit::Dialogue(dialogue) => self.dialogue_lines(dialogue, block),
            SemanticUnit::DualDialogue(dual) => {
                let side = |n: u8| {
                    dual.sides
                        .iter()
                        .find(|s| s.side == n)
                        .map(|s| self.dual_side(&s.dialogue, n))
                        .unwrap_or_default()
                };
                let (left, right) = (side(1), side(2));
                let rows = left.len().max(right.len());
                let mut lines: Vec<Line> = Vec::with_capacity(rows);
                let mut right = right.into_iter();
                let mut left = left.into_iter();
                for _ in 0..rows {
                    let l = left.next();
                    let r = right.next();
                    let (kind, x, text) = match l {
                        Some((kind, x, text)) => (kind, Some(x), text),
                        None => (ElementType::DualDialogueLeft, Some(0.0), Vec::new()),
                    };
                    lines.push(Line {
                        kind,
                        text,
                        x,
                        beside: r.map(|(_, x, text)| (x, text)),
                    });
                }
                self.fragment_of(lines, block)
            }
        }
    }

    /// For a block jumpcut split without a plan, the lines it put on this page, by height.
    fn fragment_of(&self, lines: Vec<Line>, block: &LayoutBlock<'_>) -> Vec<Line> {
        let fits = |from_top: bool| {
            let mut used = 0.0;
            let mut count = 0;
            let iter: Box<dyn Iterator<Item = &Line>> = if from_top {
                Box::new(lines.iter())
            } else {
                Box::new(lines.iter().rev())
            };
            for line in iter {
                let h = line_height_for_element_type(self.geometry, line.kind);
                if used + h > block.content_lines + f32::EPSILON {
                    break;
                }
                used += h;
                count += 1;
            }
            count
        };
        if block.flow_split.is_some() {
            return lines;
        }
        match block.fragment {
            Fragment::Whole => lines,
            Fragment::ContinuedToNext | Fragment::ContinuedFromPrevAndToNext => {
                let n = fits(true);
                lines.into_iter().take(n).collect()
            }
            Fragment::ContinuedFromPrev => {
                let n = fits(false);
                let skip = lines.len().saturating_sub(n);
                lines.into_iter().skip(skip).collect()
            }
        }
    }

    fn part_kind(kind: &jumpcut::pagination::DialoguePartKind) -> ElementType {
        ElementType::from_dialogue_part_kind(kind)
    }

    fn dialogue_lines(&self, d: &DialogueUnit, block: &LayoutBlock<'_>) -> Vec<Line> {
        let part_text = |part: &jumpcut::pagination::DialoguePart| {
            let text = styled(&part.text, part.inline_text.as_ref());
            let text = if part.should_append_contd
                && part.kind == jumpcut::pagination::DialoguePartKind::Character
            {
                plain_styled(&continued(&text.plain_text))
            } else {
                text
            };
            if part.kind == jumpcut::pagination::DialoguePartKind::Lyric {
                italic(text)
            } else {
                text
            }
        };
        let more = || Line {
            kind: ElementType::Character,
            text: plain("(MORE)"),
            x: None,
            beside: None,
        };
        let contd = || -> Vec<Line> {
            d.parts
                .iter()
                .take_while(|p| p.kind == jumpcut::pagination::DialoguePartKind::Character)
                .flat_map(|p| {
                    self.lines(ElementType::Character, &plain_styled(&continued(&p.text)))
                })
                .collect()
        };
        let continued_from = matches!(
            block.fragment,
            Fragment::ContinuedFromPrev | Fragment::ContinuedFromPrevAndToNext
        );
        let continues = matches!(
            block.fragment,
            Fragment::ContinuedToNext | Fragment::ContinuedFromPrevAndToNext
        );
        if let (Some(plan), false) = (&block.dialogue_split, block.fragment == Fragment::Whole) {
            let mut lines = if continued_from { contd() } else { Vec::new() };
            for (split, part) in plan.parts.iter().zip(&d.parts) {
                let text = part_text(part);
                let text = if block.fragment == Fragment::ContinuedFromPrev {
                    if split.bottom_text.trim().is_empty() {
                        continue;
                    }
                    slice(&text, split.bottom_start_offset, text.plain_text.len())
                } else {
                    if split.top_text.trim().is_empty() {
                        continue;
                    }
                    slice(&text, 0, split.top_end_offset)
                };
                lines.extend(self.lines(Self::part_kind(&part.kind), &text));
            }
            if continues {
                lines.push(more());
            }
            return lines;
        }
        let all: Vec<Line> = d
            .parts
            .iter()
            .flat_map(|p| self.lines(Self::part_kind(&p.kind), &part_text(p)))
            .collect();
        let mut lines = if continued_from { contd() } else { Vec::new() };
        lines.extend(self.fragment_of(all, block));
        if continues {
            lines.push(more());
        }
        lines
    }

    /// One side of dual dialogue as (kind, x, text) lines.
    fn dual_side(&self, d: &DialogueUnit, side: u8) -> Vec<(ElementType, f32, Styled)> {
        let mut out = Vec::new();
        for part in &d.parts {
            let kind = ElementType::from_dual_dialogue_part_kind(&part.kind, side);
            let is_cue = part.kind == jumpcut::pagination::DialoguePartKind::Character;
            let mut text = styled(&part.text, part.inline_text.as_ref());
            if is_cue && part.should_append_contd {
                text = plain_styled(&continued(&text.plain_text));
            }
            for line in self.wrap(kind, &text) {
                let x = if is_cue {
                    dual_dialogue_character_left_indent(&part.text, side)
                } else {
                    self.column(kind, &line)
                };
                out.push((kind, x, line));
            }
        }
        out
    }
}

fn styled(plain_text: &str, inline: Option<&StyledText>) -> StyledText {
    inline.cloned().unwrap_or_else(|| plain_styled(plain_text))
}

fn plain_styled(text: &str) -> StyledText {
    StyledText {
        plain_text: text.to_owned(),
        runs: vec![StyledRun {
            text: text.to_owned(),
            styles: Vec::new(),
        }],
    }
}

fn italic(mut text: StyledText) -> StyledText {
    for run in &mut text.runs {
        if !run.styles.iter().any(|s| s == "Italic") {
            run.styles.push("Italic".to_owned());
        }
    }
    text
}

/// `text[start..end]` with its styles, the offsets clamped to character boundaries.
fn slice(text: &StyledText, start: usize, end: usize) -> StyledText {
    let s = &text.plain_text;
    let floor = |mut i: usize| {
        i = i.min(s.len());
        while !s.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let sliced = text.slice(floor(start), floor(end));
    let trimmed = sliced.plain_text.trim_start_matches([' ', '\n']).len();
    let lead = sliced.plain_text.len() - trimmed;
    if lead == 0 {
        sliced
    } else {
        sliced.slice(lead, sliced.plain_text.len())
    }
}

/// The cue that continues a split speech on the next page.
fn continued(cue: &str) -> String {
    let cue = cue.trim_end();
    let upper = cue.to_uppercase();
    if upper.ends_with("(CONT'D)") || upper.ends_with("(CONT’D)") {
        cue.to_owned()
    } else {
        format!("{cue} (CONT'D)")
    }
}

// ---------------------------------------------------------------------------------------
// Page count and breaks for the editor

/// Where a page starts in the Fountain text: 1-based page and source line.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageStart {
    pub page: usize,
    pub line: usize,
}

/// A script's page count and where each page starts, as the PDF prints it.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pages {
    pub script_id: i64,
    /// Body pages (the title page is not counted, as in Final Draft).
    pub count: usize,
    /// Whether the PDF has a title page before them.
    pub title_page: bool,
    pub paper: Paper,
    /// The revision of the script the lines refer to.
    pub revision: i64,
    /// The start of every page after the first.
    pub breaks: Vec<PageStart>,
}

/// Each body page's first block, for comparing pagination: the index in `screenplay.elements`
/// of its lead element (a speech's cue) and whether it began on the page before.
pub fn leads(screenplay: &Screenplay<'_>, paper: Paper) -> Vec<Option<(usize, bool)>> {
    starts(screenplay, paper)
        .pages
        .iter()
        .map(|p| p.lead)
        .collect()
}

/// The start of each body page as (page, source line) in the text `screenplay` was parsed from.
pub fn breaks(screenplay: &Screenplay<'_>, paper: Paper) -> (usize, Vec<PageStart>) {
    let layout = starts(screenplay, paper);
    let breaks = layout
        .pages
        .iter()
        .enumerate()
        .skip(1)
        .filter_map(|(i, page)| {
            let start = page.start?;
            let el = screenplay.elements.get(start.element)?;
            let text: &Cow<'_, str> = el.text_cow();
            let before = text.get(..start.offset.min(text.len())).unwrap_or("");
            Some(PageStart {
                page: i + 1,
                line: el.line() + before.matches('\n').count(),
            })
        })
        .collect();
    (layout.pages.len(), breaks)
}

/// Each scene's printed length in eighths of a page, as a breakdown sheet counts it: from the
/// row its heading prints on to the row the next one does (the rest of a page a scene ends
/// early on is the scene's), to the nearest eighth and at least one for a scene that prints.
/// `headings[i]` is scene `i`'s heading in `screenplay.elements`; `None` is the opening,
/// which starts the first page.
pub fn scene_eighths(
    screenplay: &Screenplay<'_>,
    headings: &[Option<usize>],
    paper: Paper,
) -> Vec<u64> {
    let layout = layout(screenplay, paper);
    let per_page = layout.lines_per_page.max(1.0);
    let at = |page: usize, row: f32| page as f32 * per_page + row;
    let mut rows: HashMap<usize, f32> = HashMap::new();
    for (p, page) in layout.pages.iter().enumerate() {
        for (element, row) in &page.scenes {
            rows.entry(*element).or_insert(at(p, *row));
        }
    }
    let last = layout.pages.len().saturating_sub(1);
    let bottom = layout.pages[last..]
        .iter()
        .flat_map(|p| &p.placed)
        .map(|placed| placed.row + 1.0)
        .fold(0.0, f32::max);
    let end = at(last, bottom);
    // A heading the layout did not place (nothing printed) starts where the one before did.
    let mut start = 0.0;
    let starts: Vec<f32> = headings
        .iter()
        .map(|h| {
            start = h.and_then(|e| rows.get(&e).copied()).unwrap_or(start);
            start
        })
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(i, start)| {
            let next = starts.get(i + 1).copied().unwrap_or(end);
            eighths_of((next - start).max(0.0), per_page)
        })
        .collect()
}

fn eighths_of(rows: f32, per_page: f32) -> u64 {
    if rows <= 0.0 {
        return 0;
    }
    ((rows * 8.0 / per_page).round() as u64).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fountain::parse;

    #[test]
    fn a_page_break_starts_the_next_page_and_the_editor_sees_its_line() {
        let sp = parse("INT. A - DAY\n\nOne.\n\n===\n\nINT. B - DAY\n\nTwo.\n");
        let (count, breaks) = breaks(&sp, Paper::Letter);
        assert_eq!(count, 2);
        assert_eq!(breaks, vec![PageStart { page: 2, line: 7 }]);
    }

    #[test]
    fn emphasis_is_handed_over_without_markers() {
        match element_text("a *b* c") {
            ElementText::Styled(runs) => {
                let text: String = runs.iter().map(|r| r.content.as_str()).collect();
                assert_eq!(text, "a b c");
            }
            ElementText::Plain(p) => panic!("expected styled, got {p}"),
        }
    }
}
