//! Fountain 1.1 screenplay parser (<https://fountain.io/syntax>).
//!
//! [`parse`] turns Fountain text into a [`Screenplay`]: an ordered title page and a flat list
//! of [`Element`]s, each carrying the 1-based source line it starts on. It never panics.
//!
//! Decisions where the spec leaves room (all covered by unit tests):
//! - **Text** has forcing markers removed (`.` `!` `@` `>` `<` `~` `#` `=`) and keeps emphasis
//!   markup and backslash escapes exactly as written. Action keeps its indentation and
//!   trailing spaces; other elements are trimmed. Tabs become four spaces (spec).
//! - **Action paragraphs**: consecutive action lines form one element joined by `\n`; a blank
//!   line ends it, so blank lines are never part of an element's text.
//! - **Character**: `text` is the cue as written (without `@`/`^`), `name` the part before the
//!   first `(`, `extension` what lies between the first `(` and the last `)`, so
//!   `STEEL (V.O.) (CONT'D)` gives `V.O.) (CONT'D`: wrapping it in parentheses restores
//!   what was written. `^` sets `dual` on this cue and on the cue of the dialogue block
//!   directly before it (if no other element came between).
//! - **Parenthetical** text keeps its parentheses.
//! - **Notes** `[[...]]` are never part of other elements' text. Each becomes a `note`
//!   element: in place when it stands on its own line(s), otherwise right after the element
//!   whose text it was cut from. A blank line ends a note (the spec continues a note only
//!   across a two-space line); a `[[` with no `]]` anywhere after it is plain text.
//! - **Boneyard** `/* */` is cut from the text and kept as a `boneyard` element (placed like
//!   a note) that renderers skip. Lines emptied by a boneyard or note vanish: they do not
//!   split an action paragraph and count as the blank line before a scene heading, but a
//!   transition needs a real blank line after it (fountain-tools reads the spec's boneyard
//!   example that way), and a cue needs its dialogue directly below.
//! - **Title page** only at the very start; it ends at the first blank line or the first line
//!   that is neither `Key: value` nor an indented value. Keys are serialized in camelCase
//!   (`Draft date` -> `draftDate`, see [`title_page_key`]). A first line whose value is empty
//!   and has no indented value below (`FADE IN:`) does not start a title page.
//! - **Transitions** must end exactly in `TO:` (trailing spaces disqualify, as in Jouvence).
//! - **Lyrics**: every line starting with `~` is a lyric, also inside a dialogue block.
//! - **Tags** (`#tag`, fountain-tools' extension, not Fountain 1.1) only with
//!   [`Options::tags`]; see there.
//! - **Borrowing**: element text borrows from the input unless parsing changed it, so a
//!   [`Screenplay`] carries the input's lifetime; [`Screenplay::into_owned`] detaches it.

pub(crate) mod classify;
mod lines;
mod parser;

#[cfg(test)]
mod tests;

use std::borrow::Cow;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A parsed screenplay. Serializes as `{"titlePage": {...}, "elements": [...]}` (plus
/// `"tags"` when [`Options::tags`] found any).
///
/// Element text borrows from the parsed source wherever it is an exact slice of it (most
/// lines), and is owned only where parsing had to change it (tabs, notes or boneyards cut
/// out, `\r\n` line ends inside a multi-line element). [`Screenplay::into_owned`] detaches it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Screenplay<'a> {
    /// Title page fields in source order, keys already normalized by [`title_page_key`].
    #[serde(serialize_with = "ser_pairs", deserialize_with = "de_pairs")]
    pub title_page: Vec<(String, String)>,
    pub elements: Vec<Element<'a>>,
    /// fountain-tools style `#tags` (only with [`Options::tags`]), in source order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag<'a>>,
}

/// A `#tag` found at the end of a line, and the index in `elements` of the element that
/// line belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag<'a> {
    pub element: usize,
    pub text: Cow<'a, str>,
}

/// Parser switches. The default is plain Fountain 1.1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Recognize fountain-tools' `#tag` extension (not Fountain 1.1): trailing
    /// whitespace-separated words starting with `#` (but not a `#1A#` scene number) are cut
    /// from the line and reported in [`Screenplay::tags`]. Off by default because it changes
    /// the text of lines that merely end in a hashtag.
    pub tags: bool,
}

impl Screenplay<'_> {
    /// A copy that owns all its text, free of the source's lifetime.
    pub fn into_owned(self) -> Screenplay<'static> {
        Screenplay {
            title_page: self.title_page,
            elements: self.elements.into_iter().map(Element::into_owned).collect(),
            tags: self
                .tags
                .into_iter()
                .map(|t| Tag {
                    element: t.element,
                    text: Cow::Owned(t.text.into_owned()),
                })
                .collect(),
        }
    }
}

/// One screenplay element. `line` is the 1-based source line where it starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum Element<'a> {
    SceneHeading {
        text: Cow<'a, str>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scene_number: Option<Cow<'a, str>>,
        line: usize,
    },
    Action {
        text: Cow<'a, str>,
        line: usize,
    },
    Character {
        text: Cow<'a, str>,
        name: Cow<'a, str>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        extension: Option<Cow<'a, str>>,
        dual: bool,
        line: usize,
    },
    Parenthetical {
        text: Cow<'a, str>,
        line: usize,
    },
    Dialogue {
        text: Cow<'a, str>,
        line: usize,
    },
    Transition {
        text: Cow<'a, str>,
        line: usize,
    },
    Centered {
        text: Cow<'a, str>,
        line: usize,
    },
    Lyrics {
        text: Cow<'a, str>,
        line: usize,
    },
    Section {
        text: Cow<'a, str>,
        depth: usize,
        line: usize,
    },
    Synopsis {
        text: Cow<'a, str>,
        line: usize,
    },
    Note {
        text: Cow<'a, str>,
        line: usize,
    },
    /// `/* ... */` content (trimmed). The spec says it is ignored, so renderers skip it like
    /// notes; it is kept so that tools can show or restore it.
    Boneyard {
        text: Cow<'a, str>,
        line: usize,
    },
    /// `text` is always empty; it is there so every element has the same shape.
    PageBreak {
        text: Cow<'a, str>,
        line: usize,
    },
}

impl<'a> Element<'a> {
    pub fn text(&self) -> &str {
        self.text_cow()
    }

    /// The text as stored: borrowed from the source or owned.
    pub fn text_cow(&self) -> &Cow<'a, str> {
        match self {
            Element::SceneHeading { text, .. }
            | Element::Action { text, .. }
            | Element::Character { text, .. }
            | Element::Parenthetical { text, .. }
            | Element::Dialogue { text, .. }
            | Element::Transition { text, .. }
            | Element::Centered { text, .. }
            | Element::Lyrics { text, .. }
            | Element::Section { text, .. }
            | Element::Synopsis { text, .. }
            | Element::Note { text, .. }
            | Element::Boneyard { text, .. }
            | Element::PageBreak { text, .. } => text,
        }
    }

    pub fn line(&self) -> usize {
        match self {
            Element::SceneHeading { line, .. }
            | Element::Action { line, .. }
            | Element::Character { line, .. }
            | Element::Parenthetical { line, .. }
            | Element::Dialogue { line, .. }
            | Element::Transition { line, .. }
            | Element::Centered { line, .. }
            | Element::Lyrics { line, .. }
            | Element::Section { line, .. }
            | Element::Synopsis { line, .. }
            | Element::Note { line, .. }
            | Element::Boneyard { line, .. }
            | Element::PageBreak { line, .. } => *line,
        }
    }

    /// A copy that owns all its text.
    pub fn into_owned(self) -> Element<'static> {
        fn o(c: Cow<'_, str>) -> Cow<'static, str> {
            Cow::Owned(c.into_owned())
        }
        // The variants that hold only `text` and `line`, then the others field by field.
        macro_rules! text_and_line {
            ($element:expr; $($variant:ident),*) => {
                match $element {
                    $(Element::$variant { text, line } => Element::$variant { text: o(text), line },)*
                    Element::SceneHeading {
                        text,
                        scene_number,
                        line,
                    } => Element::SceneHeading {
                        text: o(text),
                        scene_number: scene_number.map(o),
                        line,
                    },
                    Element::Character {
                        text,
                        name,
                        extension,
                        dual,
                        line,
                    } => Element::Character {
                        text: o(text),
                        name: o(name),
                        extension: extension.map(o),
                        dual,
                        line,
                    },
                    Element::Section { text, depth, line } => Element::Section {
                        text: o(text),
                        depth,
                        line,
                    },
                }
            };
        }
        text_and_line!(
            self;
            Action,
            Parenthetical,
            Dialogue,
            Transition,
            Centered,
            Lyrics,
            Synopsis,
            Note,
            Boneyard,
            PageBreak
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("input is not valid UTF-8: bad byte sequence at byte offset {offset}")]
    InvalidUtf8 { offset: usize },
}

/// Parses Fountain 1.1 text. A leading BOM is ignored.
pub fn parse(text: &str) -> Screenplay<'_> {
    parse_with(text, Options::default())
}

/// [`parse`] with extensions switched on by `options`.
pub fn parse_with(text: &str, options: Options) -> Screenplay<'_> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    parser::Parser::new(text, options).run()
}

/// Parses UTF-8 bytes (BOM allowed); the error names the offset of the first bad byte,
/// counted in the bytes as given (BOM included).
pub fn parse_bytes(bytes: &[u8]) -> Result<Screenplay<'_>, ParseError> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let skip = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
    match std::str::from_utf8(&bytes[skip..]) {
        Ok(text) => Ok(parse(text)),
        Err(e) => Err(ParseError::InvalidUtf8 {
            offset: skip + e.valid_up_to(),
        }),
    }
}

/// Normalizes a title page key to camelCase: `Title` -> `title`, `Draft date` -> `draftDate`,
/// `draft-date` -> `draftDate`. Other words are kept (`Authors` -> `authors`).
pub fn title_page_key(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let words = raw
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty());
    for (i, word) in words.enumerate() {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            if i == 0 {
                out.extend(first.to_lowercase());
            } else {
                out.extend(first.to_uppercase());
            }
            out.extend(chars.flat_map(char::to_lowercase));
        }
    }
    out
}

fn ser_pairs<S: Serializer>(pairs: &[(String, String)], s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(pairs.len()))?;
    for (k, v) in pairs {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

fn de_pairs<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, String)>, D::Error> {
    struct Pairs;
    impl<'de> Visitor<'de> for Pairs {
        type Value = Vec<(String, String)>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map of title page fields")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(entry) = map.next_entry()? {
                out.push(entry);
            }
            Ok(out)
        }
    }
    d.deserialize_map(Pairs)
}
