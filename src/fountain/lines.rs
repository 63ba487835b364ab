//! First stage: split the source into logical lines with boneyards and notes taken out.
//!
//! Both constructs may span lines, so they are resolved before any element is classified;
//! the classifier then only ever sees the text a reader would see. The scanner is pulled by
//! the parser a line at a time (it needs one line of lookahead), so no line list is built,
//! and lines that need no rewriting stay borrowed so the common case allocates nothing.

use std::borrow::Cow;
use std::collections::VecDeque;

/// A line as the classifier sees it.
#[derive(Debug)]
pub(crate) struct Line<'a> {
    pub text: Cow<'a, str>,
    /// 1-based number of the source line this logical line starts on.
    pub number: usize,
    /// Lines made only of a boneyard or a note were dropped just before this one. Such a gap
    /// does not split an action paragraph, but it does count as the blank line that scene
    /// headings and transitions need (the spec's own boneyard example relies on that).
    pub soft_break_before: bool,
}

/// Where a note's or boneyard's element goes relative to the logical lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoteSlot {
    /// The note stood alone; it belongs before logical line `n` (or at the end).
    Before(usize),
    /// The note was inline in logical line `n`; it follows that line's element.
    After(usize),
}

/// A note or boneyard cut out of the text, waiting to become its own element.
impl NoteSlot {
    /// Order in the element stream: before line n, after line n, before line n + 1, ...
    fn key(self) -> usize {
        match self {
            NoteSlot::Before(n) => n.saturating_mul(2),
            NoteSlot::After(n) => n.saturating_mul(2).saturating_add(1),
        }
    }
}

#[derive(Debug)]
pub(crate) struct Aside {
    pub boneyard: bool,
    pub text: String,
    pub line: usize,
    pub slot: NoteSlot,
}

/// Source lines split on `\r\n`, `\n` or lone `\r`, each with a flag telling whether it
/// holds a tab, `/*` or `[[` (and so needs rewriting).
///
/// Line ends are found eight bytes at a time ([`find_newline`]). The flag compares the
/// line's end with the next position of each construct, found with `str::find` (memchr) and
/// searched again only once passed: they are rare, so those searches cover long distances,
/// where memchr is fast, while short line-end searches stay cheap.
pub(crate) struct RawLines<'a> {
    text: &'a str,
    pos: usize,
    next_tab: usize,
    next_bone: usize,
    next_note: usize,
}

/// Position of the first `\n` or `\r` at or after `from`, eight bytes at a time. The
/// standard memchr spends most of its time on setup when lines are as short as a script's
/// (under 30 bytes on average), and would need a second pass for `\r`.
fn find_line_end(b: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // High bit set for zero bytes of `x`; stray bits can only appear above a real zero
    // byte, so the lowest set bit is exact.
    let zeros = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut i = from;
    while let Some(Ok(w)) = b.get(i..i + 8).map(<[u8; 8]>::try_from) {
        let w = u64::from_le_bytes(w);
        let z = zeros(w ^ (ONES * b'\n' as u64)) | zeros(w ^ (ONES * b'\r' as u64));
        if z != 0 {
            return Some(i + (z.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    b.get(i..)?
        .iter()
        .position(|&c| c == b'\n' || c == b'\r')
        .map(|p| i + p)
}

/// Position of the first `pat` at or after `from`, or `usize::MAX`.
fn next_at(text: &str, from: usize, pat: &[u8]) -> usize {
    let hay = text.as_bytes().get(from..).unwrap_or_default();
    let found = match pat {
        [one] => memchr::memchr(*one, hay),
        _ => memchr::memmem::find(hay, pat),
    };
    found.map_or(usize::MAX, |p| from + p)
}

impl<'a> RawLines<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        RawLines {
            text,
            pos: 0,
            next_tab: next_at(text, 0, b"\t"),
            next_bone: next_at(text, 0, b"/*"),
            next_note: next_at(text, 0, b"[["),
        }
    }
}

impl<'a> Iterator for RawLines<'a> {
    type Item = (&'a str, bool);

    fn next(&mut self) -> Option<Self::Item> {
        let start = self.pos;
        let len = self.text.len();
        if start >= len {
            return None;
        }
        // A last line without a terminator ends at the end; a final terminator opens no
        // empty line.
        let b = self.text.as_bytes();
        let (end, next) = match find_line_end(b, start) {
            Some(i) => {
                let crlf = b[i] == b'\r' && b.get(i + 1) == Some(&b'\n');
                (i, i + 1 + crlf as usize)
            }
            None => (len, len),
        };
        // A pair starting on the line's last byte would straddle the terminator: not in it.
        let rewrite = self.next_tab < end
            || self.next_bone.saturating_add(1) < end
            || self.next_note.saturating_add(1) < end;
        self.pos = next;
        if self.next_tab < next {
            self.next_tab = next_at(self.text, next, b"\t");
        }
        if self.next_bone < next {
            self.next_bone = next_at(self.text, next, b"/*");
        }
        if self.next_note < next {
            self.next_note = next_at(self.text, next, b"[[");
        }
        // Line ends are ASCII, so these are char boundaries.
        Some((self.text.get(start..end).unwrap_or_default(), rewrite))
    }
}

/// Byte offset of the first `pat` in `hay`. `str::find` with a `&str` pattern sets up a
/// two-way searcher on every call, which cost more than the rest of the scan together.
/// Both bytes are ASCII, so a match always starts on a char boundary.
fn find2(hay: &str, pat: [u8; 2]) -> Option<usize> {
    hay.as_bytes().windows(2).position(|w| w == pat)
}

/// Byte offset of the last `pat` in `hay`.
fn rfind2(hay: &str, pat: [u8; 2]) -> Option<usize> {
    hay.as_bytes().windows(2).rposition(|w| w == pat)
}

/// A line that ends a note: blank, except the two-space line the spec allows inside notes.
fn breaks_note(line: &str) -> bool {
    line != "  " && line.trim().is_empty()
}

fn push_expanded(buf: &mut String, s: &str) {
    // The spec converts tabs to four spaces rather than to tab stops.
    for (i, part) in s.split('\t').enumerate() {
        if i > 0 {
            buf.push_str("    ");
        }
        buf.push_str(part);
    }
}

/// A note or boneyard cut out of the logical line being gathered; its slot is known once
/// that line ends.
struct Cut {
    boneyard: bool,
    text: String,
    line: usize,
}

/// The logical line being gathered: its text so far and the number of its first source line.
struct Gathering {
    text: String,
    number: usize,
}

#[derive(PartialEq, Eq)]
enum State {
    Normal,
    Boneyard,
    Note,
}

pub(crate) struct Scanner<'a> {
    raw: RawLines<'a>,
    raw_index: usize,
    /// Base address of the source and offsets of its last `*/` and `]]`: an opener with no
    /// closer anywhere after it is literal text.
    base: usize,
    last_bone_close: Option<usize>,
    last_note_close: Option<usize>,
    /// Logical lines ready for the parser, and how many were handed out before `out[0]`.
    out: VecDeque<Line<'a>>,
    produced: usize,
    asides: VecDeque<Aside>,
    state: State,
    done: bool,
    buf: Option<Gathering>,
    touched: bool,
    soft_pending: bool,
    aside_buf: String,
    aside_line: usize,
    line_asides: Vec<Cut>,
}

impl<'a> Scanner<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Scanner {
            raw: RawLines::new(text),
            raw_index: 0,
            base: text.as_ptr() as usize,
            last_bone_close: rfind2(text, *b"*/"),
            last_note_close: rfind2(text, *b"]]"),
            out: VecDeque::with_capacity(4),
            produced: 0,
            asides: VecDeque::new(),
            state: State::Normal,
            done: false,
            buf: None,
            touched: false,
            soft_pending: false,
            aside_buf: String::new(),
            aside_line: 0,
            line_asides: Vec::new(),
        }
    }

    /// Scans until `n` logical lines are queued or the source is used up.
    fn fill(&mut self, n: usize) {
        while self.out.len() < n && !self.done {
            match self.raw.next() {
                Some((raw, rewrite)) => {
                    let i = self.raw_index;
                    self.raw_index += 1;
                    self.line(i, raw, rewrite);
                }
                None => {
                    self.finish();
                    self.done = true;
                }
            }
        }
    }

    /// The next logical line, moving past it.
    pub(crate) fn next_line(&mut self) -> Option<Line<'a>> {
        self.fill(1);
        let line = self.out.pop_front()?;
        self.produced += 1;
        Some(line)
    }

    /// The `k`-th logical line after the one last returned (0 = the next one).
    pub(crate) fn peek(&mut self, k: usize) -> Option<&Line<'a>> {
        self.fill(k + 1);
        self.out.get(k)
    }

    /// The next note or boneyard if it belongs in `slot`. An aside is queued before the
    /// line it precedes or follows is handed out, so no scanning is needed here.
    #[inline]
    pub(crate) fn take_aside(&mut self, slot: NoteSlot) -> Option<Aside> {
        // `<=` rather than `==`: an aside whose slot was passed over (one inside the title
        // page) comes out at the next chance instead of blocking all that follow.
        if self.asides.front()?.slot.key() <= slot.key() {
            self.asides.pop_front()
        } else {
            None
        }
    }

    fn line(&mut self, i: usize, raw: &'a str, rewrite: bool) {
        if self.state == State::Note && breaks_note(raw) {
            // The spec lets a note hold an empty line only as a two-space line ("my note
            // continues"), so a real blank line ends it (fountain-tools agrees). The blank
            // line itself is still a blank line of the script.
            self.close_aside();
            self.end_logical_line();
        }
        if self.state == State::Normal && self.buf.is_none() && !rewrite {
            self.push_line(Cow::Borrowed(raw), i + 1);
            return;
        }
        if self.buf.is_none() {
            self.buf = Some(Gathering {
                text: String::with_capacity(raw.len()),
                number: i + 1,
            });
        }
        let mut rest = raw;
        while let Some(next) = self.step(i, rest) {
            rest = next;
        }
        if self.state == State::Normal {
            self.end_logical_line();
        }
    }

    /// Consumes part of `rest`; returns what is left, or `None` when the raw line is used up.
    fn step(&mut self, i: usize, rest: &'a str) -> Option<&'a str> {
        let closer = match self.state {
            State::Normal => return self.step_normal(i, rest),
            State::Boneyard => *b"*/",
            State::Note => *b"]]",
        };
        match find2(rest, closer) {
            Some(p) => {
                self.aside_buf.push_str(&rest[..p]);
                self.close_aside();
                Some(&rest[p + 2..])
            }
            None => {
                self.aside_buf.push_str(rest);
                self.aside_buf.push('\n');
                None
            }
        }
    }

    fn step_normal(&mut self, i: usize, rest: &'a str) -> Option<&'a str> {
        let bone = find2(rest, *b"/*");
        let note = find2(rest, *b"[[");
        let (p, is_bone) = match (bone, note) {
            (Some(b), Some(n)) => (b.min(n), b < n),
            (Some(b), None) => (b, true),
            (None, Some(n)) => (n, false),
            (None, None) => {
                self.push_text(rest);
                return None;
            }
        };
        self.push_text(&rest[..p]);
        let after = &rest[p + 2..];
        let close = if is_bone {
            self.last_bone_close
        } else {
            self.last_note_close
        };
        // `after` borrows from the source, so its address gives its offset there.
        let offset = after.as_ptr() as usize - self.base;
        if close.is_some_and(|c| c >= offset) {
            self.state = if is_bone {
                State::Boneyard
            } else {
                State::Note
            };
            self.touched = true;
            self.aside_buf.clear();
            self.aside_line = i + 1;
        } else {
            self.push_text(&rest[p..p + 2]);
        }
        Some(after)
    }

    fn close_aside(&mut self) {
        let boneyard = self.state == State::Boneyard;
        self.state = State::Normal;
        let text = std::mem::take(&mut self.aside_buf);
        self.line_asides.push(Cut {
            boneyard,
            text,
            line: self.aside_line,
        });
    }

    fn push_text(&mut self, s: &str) {
        if let Some(buf) = self.buf.as_mut() {
            push_expanded(&mut buf.text, s);
        }
    }

    fn end_logical_line(&mut self) {
        let Some(Gathering { text, number }) = self.buf.take() else {
            return;
        };
        let dropped = self.touched && text.trim().is_empty();
        self.touched = false;
        let index = self.produced + self.out.len();
        let slot = if dropped {
            NoteSlot::Before(index)
        } else {
            NoteSlot::After(index)
        };
        self.place_cuts(slot);
        if dropped {
            self.soft_pending = true;
        } else {
            self.push_line(Cow::Owned(text), number);
        }
    }

    /// Queues the asides cut out of the line just ended, in `slot`.
    fn place_cuts(&mut self, slot: NoteSlot) {
        for Cut {
            boneyard,
            text,
            line,
        } in self.line_asides.drain(..)
        {
            self.asides.push_back(Aside {
                boneyard,
                text,
                line,
                slot,
            });
        }
    }

    fn push_line(&mut self, text: Cow<'a, str>, number: usize) {
        self.out.push_back(Line {
            text,
            number,
            soft_break_before: std::mem::take(&mut self.soft_pending),
        });
    }

    /// A construct still open at the end of the source (a note ended by a blank line that
    /// closed nothing, or malformed input): keep whatever text was gathered.
    fn finish(&mut self) {
        if self.state != State::Normal {
            self.close_aside();
        }
        self.end_logical_line();
        let slot = NoteSlot::Before(self.produced + self.out.len());
        self.place_cuts(slot);
    }
}
