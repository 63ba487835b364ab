//! Final Draft XML (FDX): read into the parser's [`Screenplay`] model and write it back.
//!
//! Reading follows what Final Draft, Fade In and afterwriting do: `Paragraph Type` gives the
//! element; `Number` the scene number; a `ScriptNote` inside a paragraph becomes a note right
//! after it and a scene's `SceneProperties/Summary` a synopsis after its heading; a paragraph
//! that `StartsNewPage` is preceded by a page break; text runs styled Bold/Italic/Underline
//! become Fountain emphasis (`**`, `*`, `_`), and literal `*` and `_` are escaped. The title
//! page is laid out, not keyed, so it is read by position: the first centred line is the
//! title, a "Written by" line the credit, the centred line after it the author, further centred
//! lines the source and left-aligned lines the contact.
//!
//! Writing: Fountain's extra elements have no FDX paragraph type, so notes and synopses go
//! where Final Draft keeps them when they follow a paragraph or heading, and otherwise (and
//! sections, boneyard) into `General` paragraphs holding their Fountain markup, which this
//! reader turns back into the same element.

use crate::fountain::classify::parse_cue;
use std::borrow::Cow;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer, XmlVersion};

use crate::error::{Error, Result};
use crate::fountain::{Element, Screenplay};

use super::title_field;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Main,
    Note,
    Summary,
    Title,
    Ignored,
}

/// A paragraph being read.
struct Para {
    role: Role,
    kind: String,
    number: Option<String>,
    centered: bool,
    new_page: bool,
    dual: bool,
    /// Text runs as written (unescaped) with their style.
    runs: Vec<(String, Styled)>,
    /// Each note (summary) as its lines.
    notes: Vec<Vec<String>>,
    synopses: Vec<Vec<String>>,
}

#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Styled {
    bold: bool,
    italic: bool,
    underline: bool,
}

#[derive(Default)]
struct TitleReader {
    centered: Vec<String>,
    left: Vec<String>,
}

/// What reading an FDX file has gathered so far.
#[derive(Default)]
struct Reading {
    /// The open XML elements, outermost first.
    path: Vec<String>,
    paras: Vec<Para>,
    style: Styled,
    run: String,
    out: Vec<Element<'static>>,
    title: TitleReader,
    saw_root: bool,
}

impl Reading {
    /// Takes one XML event; false once the file has ended.
    fn event(&mut self, event: Event<'_>) -> Result<bool> {
        let in_text = in_text(&self.path);
        match event {
            Event::Start(e) => {
                let name = self.name(&e);
                open(&name, &e, &self.path, &mut self.paras, &mut self.style);
                self.path.push(name);
            }
            Event::Empty(e) => {
                let name = self.name(&e);
                if name == "Paragraph" {
                    open(&name, &e, &self.path, &mut self.paras, &mut self.style);
                    close_paragraph(&mut self.paras, &mut self.out, &mut self.title);
                }
            }
            Event::End(_) => self.close(),
            Event::Text(t) if in_text => self.run.push_str(&t.xml10_content()),
            Event::CData(t) if in_text => self.run.push_str(&t),
            Event::GeneralRef(r) if in_text => match r.resolve_char_ref() {
                Ok(Some(c)) => self.run.push(c),
                _ => self
                    .run
                    .push_str(quick_xml::escape::resolve_predefined_entity(&r).unwrap_or("")),
            },
            Event::Eof => {
                if let Some(open) = self.path.last() {
                    return Err(Error::invalid(format!(
                        "not a valid FDX file: it ends before </{open}>"
                    )));
                }
                return Ok(false);
            }
            _ => {}
        }
        Ok(true)
    }

    fn name(&mut self, e: &BytesStart<'_>) -> String {
        let name = e.local_name().as_ref().to_string();
        self.saw_root |= name == "FinalDraft";
        name
    }

    fn close(&mut self) {
        match self.path.pop().as_deref() {
            Some("Paragraph") => close_paragraph(&mut self.paras, &mut self.out, &mut self.title),
            Some("Text") => push_run(&mut self.paras, std::mem::take(&mut self.run), self.style),
            _ => {}
        }
    }

    fn finish(self) -> Result<Screenplay<'static>> {
        if !self.saw_root {
            return Err(Error::invalid(
                "not an FDX file: no <FinalDraft> element found",
            ));
        }
        Ok(Screenplay {
            title_page: self.title.pairs(),
            elements: self.out,
            tags: Vec::new(),
        })
    }
}

/// Reads FDX text. Malformed XML is `invalid_input` naming where it broke.
pub fn read(text: &str) -> Result<Screenplay<'static>> {
    let mut reader = Reader::from_str(text);
    let mut reading = Reading::default();
    loop {
        let event = reader.read_event().map_err(|e| {
            Error::invalid(format!(
                "not a valid FDX file: {e} (near byte {})",
                reader.buffer_position()
            ))
        })?;
        if !reading.event(event)? {
            return reading.finish();
        }
    }
}

fn in_text(path: &[String]) -> bool {
    path.last().is_some_and(|n| n == "Text")
}

fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok())
        .map(Cow::into_owned)
}

/// What a paragraph is, decided by where it sits.
fn role(path: &[String]) -> Role {
    let inside = |n: &str| path.iter().any(|p| p == n);
    if inside("TitlePage") {
        if inside("Content") {
            Role::Title
        } else {
            Role::Ignored
        }
    } else if inside("ScriptNote") {
        Role::Note
    } else if inside("Summary") {
        Role::Summary
    } else if path
        .last()
        .is_some_and(|p| p == "Content" || p == "DualDialogue")
    {
        Role::Main
    } else {
        Role::Ignored
    }
}

fn start_paragraph(e: &BytesStart<'_>, path: &[String]) -> Para {
    Para {
        role: role(path),
        kind: attr(e, "Type").unwrap_or_default(),
        number: attr(e, "Number").filter(|n| !n.trim().is_empty()),
        centered: attr(e, "Alignment").is_some_and(|a| a.eq_ignore_ascii_case("center")),
        new_page: attr(e, "StartsNewPage").is_some_and(|a| a.eq_ignore_ascii_case("yes")),
        dual: path.iter().any(|p| p == "DualDialogue"),
        runs: Vec::new(),
        notes: Vec::new(),
        synopses: Vec::new(),
    }
}

/// A `<Text>` run's style, from its `Style` attribute (`Bold+Italic`, ...).
fn text_style(e: &BytesStart<'_>) -> Styled {
    let s = attr(e, "Style").unwrap_or_default();
    let has = |x: &str| s.split('+').any(|p| p.trim().eq_ignore_ascii_case(x));
    Styled {
        bold: has("Bold"),
        italic: has("Italic"),
        underline: has("Underline"),
    }
}

/// Starts a paragraph, a note or summary of the paragraph it sits in, or notes a text run's style.
fn open(
    name: &str,
    e: &BytesStart<'_>,
    path: &[String],
    paras: &mut Vec<Para>,
    style: &mut Styled,
) {
    match name {
        "Paragraph" => paras.push(start_paragraph(e, path)),
        "ScriptNote" | "Summary" => {
            if let Some(main) = paras.iter_mut().rev().find(|p| p.role == Role::Main) {
                if name == "ScriptNote" {
                    main.notes.push(Vec::new());
                } else {
                    main.synopses.push(Vec::new());
                }
            }
        }
        "Text" => *style = text_style(e),
        _ => {}
    }
}

/// Adds a finished `<Text>` run to the innermost paragraph.
fn push_run(paras: &mut [Para], text: String, style: Styled) {
    let Some(para) = paras.last_mut() else {
        return;
    };
    if para.role == Role::Ignored || text.is_empty() {
        return;
    }
    match para.runs.last_mut() {
        Some((last, s)) if *s == style => last.push_str(&text),
        _ => para.runs.push((text, style)),
    }
}

/// The runs' plain text, without emphasis markers.
fn raw(runs: &[(String, Styled)]) -> String {
    runs.iter().map(|(t, _)| t.as_str()).collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Underline,
    Bold,
    Italic,
}

impl Mark {
    fn text(self) -> &'static str {
        match self {
            Mark::Underline => "_",
            Mark::Bold => "**",
            Mark::Italic => "*",
        }
    }
}

/// Runs as Fountain: markers open when a style starts and close (innermost first) when it
/// ends, kept off the surrounding spaces, so `_a *b* c_` comes back as written.
fn render(runs: &[(String, Styled)], escape: bool) -> String {
    let mut out = String::new();
    let mut open: Vec<Mark> = Vec::new();
    for (text, style) in runs {
        let text = if escape {
            escape_fountain(text)
        } else {
            text.clone()
        };
        if text.trim().is_empty() {
            // Emphasis never spans lines in Fountain.
            if text.contains('\n') {
                close_marks(&mut out, &mut open, &[]);
            }
            out.push_str(&text);
            continue;
        }
        let wanted: Vec<Mark> = [
            (style.underline, Mark::Underline),
            (style.bold, Mark::Bold),
            (style.italic, Mark::Italic),
        ]
        .into_iter()
        .filter_map(|(on, m)| on.then_some(m))
        .collect();
        close_marks(&mut out, &mut open, &wanted);
        let lead = text.len() - text.trim_start().len();
        out.push_str(&text[..lead]);
        for m in &wanted {
            if !open.contains(m) {
                out.push_str(m.text());
                open.push(*m);
            }
        }
        out.push_str(&text[lead..]);
    }
    close_marks(&mut out, &mut open, &[]);
    out
}

/// Closes open markers until only `keep` ones remain, before any trailing spaces.
fn close_marks(out: &mut String, open: &mut Vec<Mark>, keep: &[Mark]) {
    if open.iter().all(|m| keep.contains(m)) {
        return;
    }
    let trail = out[out.trim_end().len()..].to_string();
    out.truncate(out.trim_end().len());
    while open.iter().any(|m| !keep.contains(m)) {
        if let Some(m) = open.pop() {
            out.push_str(m.text());
        }
    }
    out.push_str(&trail);
}

/// `*` and `_` in plain text would read as emphasis; a backslash keeps them literal.
fn escape_fountain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn close_paragraph(
    paras: &mut Vec<Para>,
    out: &mut Vec<Element<'static>>,
    title: &mut TitleReader,
) {
    let Some(para) = paras.pop() else {
        return;
    };
    match para.role {
        Role::Main => emit(para, out),
        Role::Note | Role::Summary => {
            if let Some(main) = paras.iter_mut().rev().find(|p| p.role == Role::Main) {
                let list = if para.role == Role::Note {
                    &mut main.notes
                } else {
                    &mut main.synopses
                };
                if let Some(lines) = list.last_mut() {
                    lines.push(render(&para.runs, true));
                }
            }
        }
        Role::Title => {
            let text = render(&para.runs, false).trim().to_string();
            if !text.is_empty() {
                if para.centered {
                    title.centered.push(text);
                } else {
                    title.left.push(text);
                }
            }
        }
        Role::Ignored => {}
    }
}

fn owned(s: String) -> Cow<'static, str> {
    Cow::Owned(s)
}

/// Turns a finished content paragraph into elements.
fn emit(para: Para, out: &mut Vec<Element<'static>>) {
    let text = render(&para.runs, true);
    // Action keeps its indentation, as in Fountain; other paragraphs are trimmed.
    let text = if matches!(para.kind.as_str(), "Action" | "General") {
        text.trim_matches('\n').trim_end().to_string()
    } else {
        text.trim().to_string()
    };
    if para.new_page && !out.is_empty() {
        out.push(Element::PageBreak {
            text: Cow::Borrowed(""),
            line: 0,
        });
    }
    if !text.is_empty() {
        out.push(element(&para, text, out.last()));
        merge_dialogue(out);
    }
    for synopsis in para.synopses.iter().filter_map(|l| joined(l)) {
        out.push(Element::Synopsis {
            text: owned(synopsis),
            line: 0,
        });
    }
    for note in para.notes.iter().filter_map(|l| joined(l)) {
        out.push(Element::Note {
            text: owned(note),
            line: 0,
        });
    }
}

/// A note's lines as one text, trimmed like the Fountain parser trims a note; `None` if empty.
fn joined(lines: &[String]) -> Option<String> {
    let text = lines.join("\n");
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// Consecutive dialogue paragraphs are one Fountain dialogue element.
fn merge_dialogue(out: &mut Vec<Element<'static>>) {
    let n = out.len();
    if n < 2 {
        return;
    }
    if let (Element::Dialogue { text: a, .. }, Element::Dialogue { text: b, .. }) =
        (&out[n - 2], &out[n - 1])
    {
        let joined = format!("{a}\n{b}");
        out.pop();
        if let Some(Element::Dialogue { text, .. }) = out.last_mut() {
            *text = owned(joined);
        }
    }
}

fn element(para: &Para, text: String, _previous: Option<&Element<'static>>) -> Element<'static> {
    let kind = para.kind.to_ascii_lowercase();
    match kind.as_str() {
        "scene heading" => Element::SceneHeading {
            text: owned(text),
            scene_number: para.number.clone().map(owned),
            line: 0,
        },
        "character" => {
            let cue = parse_cue(&text);
            let (name, extension) = (cue.name.to_string(), cue.extension.map(str::to_string));
            Element::Character {
                name: owned(name),
                extension: extension.map(owned),
                text: owned(text),
                dual: para.dual,
                line: 0,
            }
        }
        "parenthetical" => {
            let text = if text.starts_with('(') && text.ends_with(')') {
                text
            } else {
                format!("({})", text.trim_start_matches('(').trim_end_matches(')'))
            };
            Element::Parenthetical {
                text: owned(text),
                line: 0,
            }
        }
        "dialogue" => Element::Dialogue {
            text: owned(text),
            line: 0,
        },
        "transition" => Element::Transition {
            text: owned(text),
            line: 0,
        },
        "lyric" | "lyrics" => Element::Lyrics {
            text: owned(text),
            line: 0,
        },
        _ if para.centered => Element::Centered {
            text: owned(text),
            line: 0,
        },
        "general" => markup(raw(&para.runs), text),
        _ => Element::Action {
            text: owned(text),
            line: 0,
        },
    }
}

/// A `General` paragraph holding Fountain markup for an element FDX has no type for.
fn markup(raw: String, text: String) -> Element<'static> {
    let marked = |t: &str| {
        t.starts_with("[[") && t.ends_with("]]")
            || t.starts_with("/*") && t.ends_with("*/")
            || t.starts_with("= ")
            || t.starts_with('#')
    };
    let text = if marked(&raw) { raw } else { text };
    if let Some(note) = text.strip_prefix("[[").and_then(|t| t.strip_suffix("]]")) {
        return Element::Note {
            text: owned(note.to_string()),
            line: 0,
        };
    }
    if let Some(bone) = text.strip_prefix("/*").and_then(|t| t.strip_suffix("*/")) {
        return Element::Boneyard {
            text: owned(bone.trim().to_string()),
            line: 0,
        };
    }
    if let Some(synopsis) = text.strip_prefix("= ") {
        return Element::Synopsis {
            text: owned(synopsis.to_string()),
            line: 0,
        };
    }
    let depth = text.chars().take_while(|c| *c == '#').count();
    if depth > 0 && text[depth..].starts_with(' ') {
        return Element::Section {
            text: owned(text[depth..].trim().to_string()),
            depth,
            line: 0,
        };
    }
    Element::Action {
        text: owned(text),
        line: 0,
    }
}

/// Centred title-page lines that credit the author named on the line after.
const CREDITS: [&str; 5] = [
    "written by",
    "by",
    "screenplay by",
    "story by",
    "teleplay by",
];

impl TitleReader {
    fn pairs(self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        let mut centered = self.centered.into_iter();
        if let Some(title) = centered.next() {
            pairs.push(("title".to_string(), title));
        }
        let mut source = Vec::new();
        let mut expect_author = false;
        for text in centered {
            if CREDITS.contains(&text.to_lowercase().as_str()) {
                pairs.push(("credit".to_string(), text));
                expect_author = true;
            } else if expect_author {
                pairs.push(("author".to_string(), text));
                expect_author = false;
            } else {
                source.push(text);
            }
        }
        if !source.is_empty() {
            pairs.push(("source".to_string(), source.join("\n")));
        }
        if !self.left.is_empty() {
            pairs.push(("contact".to_string(), self.left.join("\n")));
        }
        pairs
    }
}

/// One paragraph to write.
struct Out<'s> {
    kind: &'static str,
    text: Cow<'s, str>,
    number: Option<&'s str>,
    centered: bool,
    new_page: bool,
    /// Index of the dual dialogue pair this paragraph belongs to.
    pair: Option<usize>,
    notes: Vec<&'s str>,
    synopses: Vec<&'s str>,
    /// Fountain markup in a `General` paragraph: written as one plain run.
    literal: bool,
}

impl<'s> Out<'s> {
    fn markup(text: String) -> Self {
        Out {
            literal: true,
            ..Out::new("General", text)
        }
    }

    fn new(kind: &'static str, text: impl Into<Cow<'s, str>>) -> Self {
        Out {
            literal: false,
            kind,
            text: text.into(),
            number: None,
            centered: false,
            new_page: false,
            pair: None,
            notes: Vec::new(),
            synopses: Vec::new(),
        }
    }
}

/// A page of its own: a blank paragraph that starts a new page.
fn blank_page<'s>() -> Out<'s> {
    Out {
        new_page: true,
        ..Out::new("General", "")
    }
}

/// The paragraph an element is written as, before notes, page breaks and dual pairs.
fn paragraph<'s>(element: &'s Element<'_>) -> Out<'s> {
    match element {
        Element::Note { text, .. } => Out::markup(format!("[[{text}]]")),
        Element::Synopsis { text, .. } => Out::markup(format!("= {text}")),
        Element::PageBreak { .. } => blank_page(),
        Element::SceneHeading {
            text, scene_number, ..
        } => Out {
            number: scene_number.as_deref(),
            ..Out::new("Scene Heading", text.as_ref())
        },
        Element::Action { text, .. } => Out::new("Action", text.as_ref()),
        Element::Centered { text, .. } => Out {
            centered: true,
            ..Out::new("Action", text.as_ref())
        },
        Element::Character { text, .. } => Out::new("Character", text.as_ref()),
        Element::Parenthetical { text, .. } => Out::new("Parenthetical", text.as_ref()),
        Element::Dialogue { text, .. } => Out::new("Dialogue", text.as_ref()),
        Element::Transition { text, .. } => Out::new("Transition", text.as_ref()),
        Element::Lyrics { text, .. } => Out::new("Lyric", text.as_ref()),
        Element::Section { text, depth, .. } => {
            Out::markup(format!("{} {text}", "#".repeat((*depth).max(1))))
        }
        Element::Boneyard { text, .. } => Out::markup(format!("/* {text} */")),
    }
}

/// The paragraphs of a screenplay as they are built, one element at a time.
struct Paragraphs<'s> {
    outs: Vec<Out<'s>>,
    /// A page break waiting for the next paragraph.
    new_page: bool,
    /// How many dual dialogue pairs are numbered.
    pairs: usize,
    /// A dual block waiting for its partner, and the pair the current block belongs to.
    open_dual: Option<usize>,
    block_pair: Option<usize>,
    in_block: bool,
}

impl<'s> Paragraphs<'s> {
    /// Takes a note or synopsis onto the paragraph before, where Final Draft keeps it, or a
    /// page break onto the paragraph after; false when `element` is a paragraph of its own.
    fn attach(&mut self, element: &'s Element<'_>) -> bool {
        let new_page = self.new_page;
        let last = self.outs.last_mut().filter(|_| !new_page);
        match element {
            Element::Note { text, .. } => match last {
                Some(last) => {
                    last.notes.push(text);
                    true
                }
                None => false,
            },
            Element::Synopsis { text, .. } => match last {
                Some(last) if last.kind == "Scene Heading" && last.notes.is_empty() => {
                    last.synopses.push(text);
                    true
                }
                _ => false,
            },
            Element::PageBreak { .. } => {
                if new_page {
                    self.outs.push(blank_page());
                }
                self.new_page = true;
                true
            }
            _ => false,
        }
    }

    /// The dual pair a cue's block belongs to: a dual cue opens a pair or completes the open one.
    fn pair_for(&mut self, dual: bool) -> Option<usize> {
        match (dual, self.open_dual) {
            (true, Some(pair)) => {
                self.open_dual = None;
                Some(pair)
            }
            (true, None) => {
                self.pairs += 1;
                self.open_dual = Some(self.pairs);
                Some(self.pairs)
            }
            (false, _) => {
                self.open_dual = None;
                None
            }
        }
    }

    fn push(&mut self, element: &Element<'_>, out: Out<'s>) {
        if let Element::Character { dual, .. } = element {
            self.block_pair = self.pair_for(*dual);
        }
        let block_part = matches!(
            element,
            Element::Character { .. }
                | Element::Parenthetical { .. }
                | Element::Dialogue { .. }
                | Element::Lyrics { .. }
        );
        self.in_block =
            block_part && (self.in_block || matches!(element, Element::Character { .. }));
        if !self.in_block {
            self.block_pair = None;
            self.open_dual = None;
        }
        self.outs.push(Out {
            new_page: std::mem::take(&mut self.new_page),
            pair: self.block_pair,
            ..out
        });
    }

    fn finish(mut self) -> Vec<Out<'s>> {
        if self.new_page {
            self.outs.push(blank_page());
        }
        // A dual block without a partner is written as ordinary dialogue.
        for pair in 1..=self.pairs {
            let cues = self
                .outs
                .iter()
                .filter(|o| o.pair == Some(pair) && o.kind == "Character")
                .count();
            if cues < 2 {
                self.outs
                    .iter_mut()
                    .filter(|o| o.pair == Some(pair))
                    .for_each(|o| o.pair = None);
            }
        }
        self.outs
    }
}

/// The paragraphs of a screenplay: notes and synopses attached where Final Draft keeps
/// them, page breaks folded into the next paragraph, dual dialogue pairs numbered.
fn paragraphs<'s>(elements: &'s [Element<'_>]) -> Vec<Out<'s>> {
    let mut built = Paragraphs {
        outs: Vec::with_capacity(elements.len()),
        new_page: false,
        pairs: 0,
        open_dual: None,
        block_pair: None,
        in_block: false,
    };
    for element in elements {
        if !built.attach(element) {
            built.push(element, paragraph(element));
        }
    }
    built.finish()
}

type XmlWriter = Writer<Vec<u8>>;

fn xml_err(e: std::io::Error) -> Error {
    Error::Io(format!("cannot write FDX: {e}"))
}

fn start(w: &mut XmlWriter, name: &str, attrs: &[(&str, &str)]) -> Result<()> {
    let mut e = BytesStart::new(name);
    for a in attrs {
        e.push_attribute(*a);
    }
    w.write_event(Event::Start(e)).map_err(xml_err)
}

fn end(w: &mut XmlWriter, name: &str) -> Result<()> {
    w.write_event(Event::End(BytesEnd::new(name)))
        .map_err(xml_err)
}

impl Styled {
    /// The style as FDX's `Style` attribute names it.
    fn fdx(self) -> &'static str {
        match (self.bold, self.italic, self.underline) {
            (false, false, false) => "",
            (true, false, false) => "Bold",
            (false, true, false) => "Italic",
            (false, false, true) => "Underline",
            (true, true, false) => "Bold+Italic",
            (true, false, true) => "Bold+Underline",
            (false, true, true) => "Italic+Underline",
            (true, true, true) => "Bold+Italic+Underline",
        }
    }

    /// Whether the emphasis a marker (`_`, or one to three `*`) stands for is on.
    fn has(self, marker: char, stars: usize) -> bool {
        match (marker, stars) {
            ('_', _) => self.underline,
            (_, 1) => self.italic,
            (_, 2) => self.bold,
            _ => self.bold && self.italic,
        }
    }

    fn toggle(&mut self, marker: char, stars: usize) {
        match (marker, stars) {
            ('_', _) => self.underline = !self.underline,
            (_, 1) => self.italic = !self.italic,
            (_, 2) => self.bold = !self.bold,
            _ => {
                self.bold = !self.bold;
                self.italic = !self.italic;
            }
        }
    }

    fn any(self) -> bool {
        self.bold || self.italic || self.underline
    }
}

/// As in Markdown, a marker opens before a word and closes after one.
fn marker_fits(closing: bool, prev: Option<char>, next: Option<&char>) -> bool {
    if closing {
        prev.is_some_and(|p| !p.is_whitespace())
    } else {
        next.is_some_and(|n| !n.is_whitespace())
    }
}

/// Fountain emphasis as styled runs; unbalanced markers are written as they are.
fn runs(text: &str) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut style = Styled::default();
    let mut chars = text.chars().peekable();
    let mut prev: Option<char> = None;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let literal = match chars.peek() {
                    Some(&n) if matches!(n, '*' | '_' | '\\') => {
                        chars.next();
                        n
                    }
                    _ => '\\',
                };
                current.push(literal);
                prev = Some(literal);
            }
            '*' | '_' => {
                let mut stars = 1;
                while c == '*' && chars.next_if_eq(&'*').is_some() {
                    stars += 1;
                }
                if stars > 3 || !marker_fits(style.has(c, stars), prev, chars.peek()) {
                    current.push_str(&c.to_string().repeat(stars));
                    prev = Some(c);
                    continue;
                }
                if !current.is_empty() {
                    out.push((std::mem::take(&mut current), style.fdx()));
                }
                style.toggle(c, stars);
            }
            _ => {
                current.push(c);
                prev = Some(c);
            }
        }
    }
    if !current.is_empty() {
        out.push((current, style.fdx()));
    }
    if style.any() {
        return vec![(text.to_string(), "")];
    }
    out
}

fn write_text(w: &mut XmlWriter, text: &str) -> Result<()> {
    for (run, style) in runs(text) {
        let attrs: &[(&str, &str)] = if style.is_empty() {
            &[]
        } else {
            &[("Style", style)]
        };
        start(w, "Text", attrs)?;
        w.write_event(Event::Text(BytesText::new(&run)))
            .map_err(xml_err)?;
        end(w, "Text")?;
    }
    Ok(())
}

fn write_paragraph(w: &mut XmlWriter, out: &Out<'_>, note_id: &mut usize) -> Result<()> {
    let mut attrs: Vec<(&str, &str)> = vec![("Type", out.kind)];
    if let Some(n) = out.number {
        attrs.push(("Number", n));
    }
    if out.centered {
        attrs.push(("Alignment", "Center"));
    }
    if out.new_page {
        attrs.push(("StartsNewPage", "Yes"));
    }
    start(w, "Paragraph", &attrs)?;
    if !out.synopses.is_empty() {
        start(w, "SceneProperties", &[])?;
        for synopsis in &out.synopses {
            start(w, "Summary", &[])?;
            write_lines(w, synopsis)?;
            end(w, "Summary")?;
        }
        end(w, "SceneProperties")?;
    }
    for note in &out.notes {
        *note_id += 1;
        let id = note_id.to_string();
        start(w, "ScriptNote", &[("ID", &id)])?;
        write_lines(w, note)?;
        end(w, "ScriptNote")?;
    }
    if out.literal {
        start(w, "Text", &[])?;
        w.write_event(Event::Text(BytesText::new(&out.text)))
            .map_err(xml_err)?;
        end(w, "Text")?;
    } else {
        write_text(w, &out.text)?;
    }
    end(w, "Paragraph")
}

/// A note or summary: one paragraph per line.
fn write_lines(w: &mut XmlWriter, text: &str) -> Result<()> {
    for line in text.split('\n') {
        start(w, "Paragraph", &[])?;
        write_text(w, line)?;
        end(w, "Paragraph")?;
    }
    Ok(())
}

fn write_title_line(w: &mut XmlWriter, value: &str, alignment: &str) -> Result<()> {
    start(
        w,
        "Paragraph",
        &[("Type", "General"), ("Alignment", alignment)],
    )?;
    write_text(w, value)?;
    end(w, "Paragraph")
}

fn write_title_page(w: &mut XmlWriter, pairs: &[(String, String)]) -> Result<()> {
    if pairs.is_empty() {
        return Ok(());
    }
    let get = |key: &str| title_field(pairs, key);
    let author = get("author").or(get("authors"));
    let credit = get("credit").or(author.map(|_| "Written by"));
    let centered = [get("title"), credit, author, get("source")];
    let shown = ["title", "credit", "author", "authors", "source"];
    start(w, "TitlePage", &[])?;
    start(w, "Content", &[])?;
    for value in centered.into_iter().flatten() {
        write_title_line(w, value, "Center")?;
    }
    for (_, value) in pairs.iter().filter(|(k, _)| !shown.contains(&k.as_str())) {
        write_title_line(w, value, "Left")?;
    }
    end(w, "Content")?;
    end(w, "TitlePage")
}

/// Writes FDX. The same screenplay gives the same bytes.
pub fn write(screenplay: &Screenplay<'_>) -> Result<String> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new(
        "1.0",
        Some("UTF-8"),
        Some("no"),
    )))
    .map_err(xml_err)?;
    start(
        &mut w,
        "FinalDraft",
        &[
            ("DocumentType", "Script"),
            ("Template", "No"),
            ("Version", "5"),
        ],
    )?;
    start(&mut w, "Content", &[])?;
    let outs = paragraphs(&screenplay.elements);
    let mut note_id = 0;
    let mut i = 0;
    while i < outs.len() {
        match outs[i].pair {
            Some(pair) => {
                start(&mut w, "Paragraph", &[])?;
                start(&mut w, "DualDialogue", &[])?;
                while i < outs.len() && outs[i].pair == Some(pair) {
                    write_paragraph(&mut w, &outs[i], &mut note_id)?;
                    i += 1;
                }
                end(&mut w, "DualDialogue")?;
                end(&mut w, "Paragraph")?;
            }
            None => {
                write_paragraph(&mut w, &outs[i], &mut note_id)?;
                i += 1;
            }
        }
    }
    end(&mut w, "Content")?;
    write_title_page(&mut w, &screenplay.title_page)?;
    end(&mut w, "FinalDraft")?;
    let mut text = String::from_utf8(w.into_inner())
        .map_err(|e| Error::Io(format!("cannot write FDX: {e}")))?;
    text.push('\n');
    Ok(text)
}
