//! Second stage: classify logical lines into elements in one forward sweep, pulling lines
//! from the scanner with one line of lookahead.
//!
//! Element text is a `Cow` that borrows from the source whenever it is an exact slice of
//! it: a sub-slice of a borrowed line is rebased onto the source ([`piece`]), and a
//! multi-line element stays borrowed while its lines are adjacent in the source ([`join`]).

use std::borrow::Cow;

use super::classify::{self as c, Cue};
use super::lines::{Line, NoteSlot, Scanner};
use super::{title_page_key, Element, Options, Screenplay, Tag};

/// The element currently collecting lines.
enum Block<'a> {
    None,
    Action { text: Cow<'a, str>, line: usize },
    Dialogue(Dialogue<'a>),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    Cue,
    Parenthetical,
    Dialogue,
    Lyrics,
}

struct Dialogue<'a> {
    /// Dialogue text gathered since the last parenthetical or lyric.
    text: Option<(Cow<'a, str>, usize)>,
    last: Last,
}

pub(crate) struct Parser<'a> {
    src: &'a str,
    options: Options,
    lines: Scanner<'a>,
    /// Index of the next logical line, for placing notes and boneyards.
    index: usize,
    out: Vec<Element<'a>>,
    /// Notes wait here until the element they sit in is complete.
    pending: Vec<Element<'a>>,
    block: Block<'a>,
    prev_blank: bool,
    /// Character element of the dialogue block just before, for `^` to pair with.
    last_cue: Option<usize>,
    tags: Vec<Tag<'a>>,
    /// Tags of the line being classified, and of the lines gathered in `block`.
    line_tags: Vec<Cow<'a, str>>,
    block_tags: Vec<Cow<'a, str>>,
}

impl<'a> Parser<'a> {
    pub(crate) fn new(src: &'a str, options: Options) -> Self {
        // Scripts run about 35 bytes per element; reserving for one per 16 bytes means the
        // vector practically never grows (each growth copies it and touches fresh pages),
        // and pages reserved but never written cost nothing.
        let capacity = src.len() / 16 + 16;
        Parser {
            src,
            options,
            lines: Scanner::new(src),
            index: 0,
            out: Vec::with_capacity(capacity),
            pending: Vec::new(),
            block: Block::None,
            prev_blank: true,
            last_cue: None,
            tags: Vec::new(),
            line_tags: Vec::new(),
            block_tags: Vec::new(),
        }
    }

    pub(crate) fn run(mut self) -> Screenplay<'a> {
        let title_page = self.title_page();
        while let Some(line) = self.lines.next_line() {
            let i = self.index;
            self.index += 1;
            self.take_asides(NoteSlot::Before(i));
            self.line(line);
            self.take_asides(NoteSlot::After(i));
            if matches!(self.block, Block::None) {
                self.drain_pending();
            }
        }
        self.take_asides(NoteSlot::Before(self.index));
        self.close_block();
        self.drain_pending();
        Screenplay {
            title_page,
            elements: self.out,
            tags: self.tags,
        }
    }

    fn take_asides(&mut self, slot: NoteSlot) {
        while let Some(a) = self.lines.take_aside(slot) {
            // Trimming in place keeps the scanner's allocation.
            let mut text = a.text;
            let end = text.trim_end().len();
            text.truncate(end);
            let start = text.len() - text.trim_start().len();
            text.drain(..start);
            let (text, line) = (Cow::Owned(text), a.line);
            self.pending.push(if a.boneyard {
                Element::Boneyard { text, line }
            } else {
                Element::Note { text, line }
            });
        }
    }

    fn drain_pending(&mut self) {
        self.out.append(&mut self.pending);
    }

    /// Parses the title page, consuming its lines.
    fn title_page(&mut self) -> Vec<(String, String)> {
        let mut fields: Vec<(String, String)> = Vec::new();
        if !self.starts_title_page() {
            return fields;
        }
        while let Some(line) = self.lines.peek(0) {
            let text = line.text.as_ref();
            if text.trim().is_empty() {
                // The blank line that ends the title page belongs to neither part.
                self.skip_line();
                return fields;
            }
            if c::is_title_continuation(text) {
                if let Some((_, value)) = fields.last_mut() {
                    push_value(value, text.trim());
                }
            } else if let Some((key, value)) = c::title_key(text) {
                add_field(&mut fields, title_page_key(key), value);
            } else {
                // The first line that is neither ends the title page and opens the script.
                self.prev_blank = false;
                return fields;
            }
            self.skip_line();
        }
        fields
    }

    fn skip_line(&mut self) {
        if self.lines.next_line().is_some() {
            let i = self.index;
            self.index += 1;
            // Notes inside the title page follow it.
            self.take_asides(NoteSlot::Before(i));
            self.take_asides(NoteSlot::After(i));
        }
    }

    /// A key with an empty value must be followed by indented lines: otherwise a script
    /// opening with "FADE IN:" would lose its first line to a title page.
    fn starts_title_page(&mut self) -> bool {
        let Some((_, value)) = self.lines.peek(0).and_then(|l| c::title_key(&l.text)) else {
            return false;
        };
        !value.is_empty()
            || self
                .lines
                .peek(1)
                .is_some_and(|l| c::is_title_continuation(&l.text))
    }

    fn line(&mut self, line: Line<'a>) {
        let Line {
            mut text,
            number,
            soft_break_before,
        } = line;
        if self.options.tags {
            text = self.split_tags(text);
        }
        if c::is_blank(&text) {
            self.blank_line(&text, number);
            return;
        }
        let before_blank = self.prev_blank || soft_break_before;
        self.prev_blank = false;
        if matches!(self.block, Block::Dialogue(_)) {
            self.dialogue_line(&text, number);
        } else {
            self.top_line(text, number, before_blank);
        }
    }

    /// Cuts fountain-tools `#tags` off the end of the line into `line_tags`.
    fn split_tags(&mut self, text: Cow<'a, str>) -> Cow<'a, str> {
        let mut body = text.trim_end();
        let mut found = Vec::new();
        while let Some((head, word)) = body.rsplit_once(char::is_whitespace) {
            // A tag starts with a letter: `#12#` is a scene number, `#1` a number, and
            // `#` / `##` no tag at all.
            let tag = word
                .strip_prefix('#')
                .filter(|t| t.chars().next().is_some_and(char::is_alphabetic) && !t.ends_with('#'));
            let Some(tag) = tag else { break };
            found.push(piece(&text, tag));
            body = head.trim_end();
        }
        if found.is_empty() {
            return text;
        }
        found.reverse();
        self.line_tags = found;
        piece(&text, body)
    }

    fn blank_line(&mut self, text: &str, number: usize) {
        // Spec: a line of exactly two spaces keeps dialogue going as an empty line.
        if text == "  " {
            if let Block::Dialogue(d) = &mut self.block {
                push_dialogue(self.src, d, Cow::Borrowed(""), number);
                return;
            }
        }
        self.close_block();
        self.prev_blank = true;
    }

    fn next_is_blank(&mut self) -> bool {
        self.lines.peek(0).is_none_or(|l| c::is_blank(&l.text))
    }

    /// Blank, or separated by lines that only held a boneyard or note.
    fn next_is_break(&mut self) -> bool {
        self.lines
            .peek(0)
            .is_none_or(|l| l.soft_break_before || c::is_blank(&l.text))
    }

    fn top_line(&mut self, text: Cow<'a, str>, number: usize, before_blank: bool) {
        let t = c::trim(&text);
        let ts = c::trim_start(&text);
        if let Some(rest) = text.strip_prefix('!') {
            let rest = piece(&text, rest);
            self.action_line(rest, number);
        } else if let Some(el) = marked_element(&text, t, ts, number) {
            self.emit(el);
        } else if let Some(rest) = ts.strip_prefix('@') {
            let cue = c::parse_cue(rest);
            self.start_dialogue(&text, cue, number);
        } else if before_blank && c::is_heading(ts) {
            self.emit(heading(&text, t, number));
        } else if before_blank && c::is_transition(ts) && self.next_is_blank() {
            // Only a real blank line after: a boneyard there leaves `CUT TO:` action, as
            // fountain-tools reads the spec's own boneyard example.
            let el = Element::Transition {
                text: piece(&text, t),
                line: number,
            };
            self.emit(el);
        } else if let Some(cue) = (before_blank && c::may_be_cue(t))
            .then(|| c::parse_cue(t))
            // Dialogue must follow the cue directly; across a removed boneyard it does not.
            .filter(|cue| c::is_cue(cue) && !self.next_is_break())
        {
            self.start_dialogue(&text, cue, number);
        } else {
            self.action_line(text, number);
        }
    }

    // `&Cow`, not `&str`: `piece` must know whether the line borrows from the source.
    #[allow(clippy::ptr_arg)]
    fn dialogue_line(&mut self, text: &Cow<'a, str>, number: usize) {
        let t = c::trim(text);
        // Spec: parentheticals follow a character or dialogue, not another parenthetical.
        let paren_ok = matches!(
            self.block,
            Block::Dialogue(Dialogue {
                last: Last::Cue | Last::Dialogue,
                ..
            })
        );
        if c::is_page_break(t) {
            self.emit(Element::PageBreak {
                text: Cow::Borrowed(""),
                line: number,
            });
        } else if paren_ok && t.starts_with('(') && t.ends_with(')') {
            self.dialogue_part(Last::Parenthetical, piece(text, t), number);
        } else if let Some(rest) = t.strip_prefix('~') {
            self.dialogue_part(Last::Lyrics, piece(text, rest.trim()), number);
        } else if let Block::Dialogue(d) = &mut self.block {
            push_dialogue(self.src, d, piece(text, t), number);
            self.block_tags.append(&mut self.line_tags);
        }
    }

    /// A parenthetical or lyric inside a dialogue block: it ends the dialogue run before it.
    fn dialogue_part(&mut self, kind: Last, text: Cow<'a, str>, line: usize) {
        self.flush_dialogue_text();
        let el = match kind {
            Last::Parenthetical => Element::Parenthetical { text, line },
            _ => Element::Lyrics { text, line },
        };
        self.push_tagged(el, false);
        if let Block::Dialogue(d) = &mut self.block {
            d.last = kind;
        }
    }

    fn flush_dialogue_text(&mut self) {
        if let Block::Dialogue(d) = &mut self.block {
            if let Some((text, line)) = d.text.take() {
                self.push_tagged(Element::Dialogue { text, line }, true);
                self.drain_pending();
            }
        }
    }

    // `&Cow`, not `&str`: `piece` must know whether the line borrows from the source.
    #[allow(clippy::ptr_arg)]
    fn start_dialogue(&mut self, line_text: &Cow<'a, str>, cue: Cue<'_>, line: usize) {
        self.close_block();
        if cue.dual {
            if let Some(Element::Character { dual, .. }) =
                self.last_cue.and_then(|i| self.out.get_mut(i))
            {
                *dual = true;
            }
        }
        self.last_cue = Some(self.out.len());
        let el = Element::Character {
            text: piece(line_text, cue.text),
            name: piece(line_text, cue.name),
            extension: cue.extension.map(|e| piece(line_text, e)),
            dual: cue.dual,
            line,
        };
        self.push_tagged(el, false);
        self.block = Block::Dialogue(Dialogue {
            text: None,
            last: Last::Cue,
        });
    }

    fn action_line(&mut self, text: Cow<'a, str>, number: usize) {
        if let Block::Action { text: buf, .. } = &mut self.block {
            join(self.src, buf, text);
        } else {
            self.close_block();
            self.block = Block::Action { text, line: number };
        }
        self.block_tags.append(&mut self.line_tags);
    }

    /// Emits a complete one-line element after whatever block was open.
    fn emit(&mut self, el: Element<'a>) {
        self.close_block();
        self.last_cue = None;
        self.push_tagged(el, false);
    }

    /// Pushes `el` with the tags of its lines: the open block's or the current line's.
    fn push_tagged(&mut self, el: Element<'a>, from_block: bool) {
        let element = self.out.len();
        self.out.push(el);
        let tags = if from_block {
            &mut self.block_tags
        } else {
            &mut self.line_tags
        };
        self.tags
            .extend(tags.drain(..).map(|text| Tag { element, text }));
    }

    fn close_block(&mut self) {
        match std::mem::replace(&mut self.block, Block::None) {
            Block::None => return,
            Block::Action { text, line } => {
                self.last_cue = None;
                self.push_tagged(Element::Action { text, line }, true);
            }
            Block::Dialogue(d) => {
                if let Some((text, line)) = d.text {
                    self.push_tagged(Element::Dialogue { text, line }, true);
                }
            }
        }
        self.drain_pending();
    }
}

/// `part` (a slice of `line`) with the lifetime of the source when `line` is borrowed from
/// it; copied otherwise.
fn piece<'a>(line: &Cow<'a, str>, part: &str) -> Cow<'a, str> {
    if let Cow::Borrowed(s) = line {
        let offset = (part.as_ptr() as usize).wrapping_sub(s.as_ptr() as usize);
        // `get` rejects an offset outside `s`, so a part from elsewhere is simply copied.
        if let Some(p) = offset
            .checked_add(part.len())
            .and_then(|end| s.get(offset..end))
        {
            return Cow::Borrowed(p);
        }
    }
    Cow::Owned(part.to_owned())
}

/// Appends `"\n" + next` to `acc`. When both are slices of `src` separated by exactly one
/// `\n` there, the result is the source slice spanning both, so nothing is allocated.
fn join<'a>(src: &'a str, acc: &mut Cow<'a, str>, next: Cow<'a, str>) {
    if let (Cow::Borrowed(a), Cow::Borrowed(b)) = (&*acc, &next) {
        let base = src.as_ptr() as usize;
        let a_start = (a.as_ptr() as usize).wrapping_sub(base);
        let b_start = (b.as_ptr() as usize).wrapping_sub(base);
        let a_end = a_start.wrapping_add(a.len());
        // The bytes at those addresses are the slices' own bytes, so when the positions
        // line up the spanning slice is exactly `a + "\n" + b`.
        if b_start == a_end.wrapping_add(1) && src.as_bytes().get(a_end) == Some(&b'\n') {
            if let Some(span) = b_start
                .checked_add(b.len())
                .and_then(|b_end| src.get(a_start..b_end))
            {
                *acc = Cow::Borrowed(span);
                return;
            }
        }
    }
    let s = acc.to_mut();
    s.push('\n');
    s.push_str(&next);
}

/// Elements introduced by a leading marker; they need no blank lines around them.
fn marked_element<'a>(
    line: &Cow<'a, str>,
    t: &str,
    ts: &str,
    number: usize,
) -> Option<Element<'a>> {
    let trimmed = |s: &str| piece(line, s.trim());
    if c::is_page_break(t) {
        return Some(Element::PageBreak {
            text: Cow::Borrowed(""),
            line: number,
        });
    }
    if let Some(inner) = c::centered(t) {
        return Some(Element::Centered {
            text: piece(line, inner),
            line: number,
        });
    }
    let first = ts.chars().next()?;
    Some(match first {
        '>' => Element::Transition {
            text: trimmed(&ts[1..]),
            line: number,
        },
        '#' => {
            let (depth, title) = c::section(ts)?;
            Element::Section {
                text: piece(line, title),
                depth,
                line: number,
            }
        }
        '=' => Element::Synopsis {
            text: trimmed(&ts[1..]),
            line: number,
        },
        '~' => Element::Lyrics {
            text: trimmed(&ts[1..]),
            line: number,
        },
        '.' => heading(line, c::forced_heading(ts)?, number),
        _ => return None,
    })
}

fn heading<'a>(line: &Cow<'a, str>, text: &str, number: usize) -> Element<'a> {
    let (text, scene_number) = c::split_scene_number(text.trim());
    Element::SceneHeading {
        text: piece(line, text),
        scene_number: scene_number.map(|n| piece(line, n)),
        line: number,
    }
}

fn push_dialogue<'a>(src: &'a str, d: &mut Dialogue<'a>, text: Cow<'a, str>, line: usize) {
    match &mut d.text {
        Some((buf, _)) => join(src, buf, text),
        None => d.text = Some((text, line)),
    }
    d.last = Last::Dialogue;
}

/// Title values may start empty ("Title:" with the value indented below).
fn push_value(value: &mut String, line: &str) {
    if !value.is_empty() {
        value.push('\n');
    }
    value.push_str(line);
}

/// Repeated keys (two "Author:" lines) are folded into one value so the map stays a map.
fn add_field(fields: &mut Vec<(String, String)>, key: String, value: &str) {
    match fields.iter_mut().find(|(k, _)| *k == key) {
        Some((_, existing)) => push_value(existing, value),
        None => fields.push((key, value.to_owned())),
    }
}
