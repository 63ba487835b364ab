//! Line-level predicates of the Fountain 1.1 syntax, free of parser state.

/// `str::trim`, but a line that starts and ends with a visible ASCII character (most lines)
/// is returned as it is without decoding a char.
pub(crate) fn trim(s: &str) -> &str {
    match s.as_bytes() {
        [first, .., last] if first.is_ascii_graphic() && last.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// `str::trim_start` with the same shortcut as [`trim`].
pub(crate) fn trim_start(s: &str) -> &str {
    match s.as_bytes().first() {
        Some(first) if first.is_ascii_graphic() => s,
        _ => s.trim_start(),
    }
}

/// Empty or only whitespace.
pub(crate) fn is_blank(s: &str) -> bool {
    match s.as_bytes().first() {
        Some(first) if first.is_ascii_graphic() => false,
        _ => s.trim().is_empty(),
    }
}

/// Spec: "three or more consecutive equals signs, and nothing more".
pub(crate) fn is_page_break(trimmed: &str) -> bool {
    trimmed.len() >= 3 && trimmed.bytes().all(|b| b == b'=')
}

/// No lowercase letter and at least one letter: the spec's test for character cues and
/// transitions ("R2D2" qualifies, "23" does not).
pub(crate) fn is_upper(s: &str) -> bool {
    // Bytes first: most lines are ASCII and fail at their second letter.
    let mut letter = false;
    for &b in s.as_bytes() {
        if !b.is_ascii() {
            return is_upper_chars(s);
        }
        if b.is_ascii_lowercase() {
            return false;
        }
        letter |= b.is_ascii_alphabetic();
    }
    letter
}

fn is_upper_chars(s: &str) -> bool {
    let mut letter = false;
    for c in s.chars() {
        if c.is_lowercase() {
            return false;
        }
        letter |= c.is_alphabetic();
    }
    letter
}

const HEADING_PREFIXES: [&str; 5] = ["INT/EXT", "I/E", "INT", "EXT", "EST"];

/// INT, EXT, EST, INT./EXT, INT/EXT or I/E (any case) followed by a dot or a space.
/// INT./EXT needs no entry of its own: it already starts with "INT.".
pub(crate) fn is_heading(trimmed_start: &str) -> bool {
    let b = trimmed_start.as_bytes();
    // Every prefix starts with I or E: most lines are out after one byte.
    if !b.first().is_some_and(|f| matches!(f | 0x20, b'i' | b'e')) {
        return false;
    }
    HEADING_PREFIXES.iter().any(|p| {
        b.len() > p.len()
            && b[..p.len()].eq_ignore_ascii_case(p.as_bytes())
            && matches!(b[p.len()], b'.' | b' ')
    })
}

/// A single leading period followed by a letter or digit forces a heading (spec), so
/// "...and then" and ". NOT" stay action.
pub(crate) fn forced_heading(trimmed_start: &str) -> Option<&str> {
    let rest = trimmed_start.strip_prefix('.')?;
    rest.chars()
        .next()
        .filter(|c| c.is_alphanumeric())
        .map(|_| rest)
}

/// Splits a trailing `#1A#` scene number off a heading.
pub(crate) fn split_scene_number(text: &str) -> (&str, Option<&str>) {
    let t = text.trim_end();
    let Some(body) = t.strip_suffix('#') else {
        return (t, None);
    };
    let Some(open) = body.rfind('#') else {
        return (t, None);
    };
    let number = &body[open + 1..];
    let valid = !number.is_empty()
        && number
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    if valid {
        (body[..open].trim_end(), Some(number))
    } else {
        (t, None)
    }
}

/// `>text<`, with the markers and the spaces inside them dropped.
pub(crate) fn centered(trimmed: &str) -> Option<&str> {
    let inner = trimmed.strip_prefix('>')?.strip_suffix('<')?;
    Some(inner.trim())
}

/// Uppercase, ending in "TO:". Trailing spaces disqualify it: Jouvence's suite relies on
/// that, and it keeps the rule literal.
pub(crate) fn is_transition(trimmed_start: &str) -> bool {
    trimmed_start.ends_with("TO:") && is_upper(trimmed_start)
}

/// A character cue split into its parts.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Cue<'a> {
    /// The cue as written, without `@`, `^` and surrounding spaces.
    pub text: &'a str,
    pub name: &'a str,
    /// What lies between the first `(` and the last `)`; see the module docs.
    pub extension: Option<&'a str>,
    pub dual: bool,
}

pub(crate) fn parse_cue(s: &str) -> Cue<'_> {
    let s = trim(s);
    let (text, dual) = match s.strip_suffix('^') {
        Some(body) => (body.trim_end(), true),
        None => (s, false),
    };
    // A byte search: cues are short, and `str::find` sets up a searcher per call.
    let open = text.bytes().position(|b| b == b'(');
    let (name, extension) = match open {
        Some(p) if p > 0 && text.ends_with(')') => (
            text[..p].trim_end(),
            Some(text[p + 1..text.len() - 1].trim()),
        ),
        _ => (text, None),
    };
    Cue {
        text,
        name,
        extension,
        dual,
    }
}

/// A quick test that rejects most action lines before [`parse_cue`] looks for the
/// extension in the whole line: no ASCII lowercase letter before the first `(`.
pub(crate) fn may_be_cue(trimmed: &str) -> bool {
    for &b in trimmed.as_bytes() {
        if b == b'(' {
            break;
        }
        if b.is_ascii_lowercase() {
            return false;
        }
    }
    true
}

/// The extension may be lowercase ("HANS (on the radio)" is the spec's example). A `^`
/// anywhere but the end is a misplaced dual-dialogue marker, not part of a name.
pub(crate) fn is_cue(cue: &Cue<'_>) -> bool {
    is_upper(cue.name) && !cue.name.contains('^')
}

/// Section depth (number of leading `#`) and its title.
pub(crate) fn section(trimmed_start: &str) -> Option<(usize, &str)> {
    let rest = trimmed_start.trim_start_matches('#');
    let depth = trimmed_start.len() - rest.len();
    (depth > 0).then(|| (depth, rest.trim()))
}

/// Title page key: starts with a letter or digit, then letters, digits, spaces, `-`, `_`.
/// Narrower than "anything before a colon" so that a first line such as
/// "INT. HOUSE: KITCHEN" is not taken for a title page.
pub(crate) fn title_key(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    let mut chars = key.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_alphanumeric());
    let rest_ok = chars.all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'));
    (first_ok && rest_ok).then(|| (key.trim_end(), value.trim()))
}

/// Spec: indented title page values use three or more spaces or a tab (tabs are already
/// four spaces by now).
pub(crate) fn is_title_continuation(line: &str) -> bool {
    line.starts_with("   ") && !line.trim().is_empty()
}
