//! Fountain writer: a [`Screenplay`] back to text that the parser reads as the same element
//! list. Where plain text would read as something else, the writer forces the element
//! (`!` action, `@` character, `.` heading, `>` transition).

use crate::fountain::classify::{is_heading, is_transition, is_upper};
use crate::fountain::{Element, Screenplay};

/// Fountain text: the title page first, then one paragraph per element, a dialogue block
/// (cue, parentheticals, dialogue, lyrics) as one paragraph.
pub fn write(screenplay: &Screenplay<'_>) -> String {
    write_marked(screenplay).text
}

/// The written text with, for each element, where it starts (after the blank line that
/// separates it from the one before) and whether it continues a dialogue block (no blank
/// line before it).
pub(crate) struct Marked {
    pub text: String,
    pub starts: Vec<usize>,
    pub joined: Vec<bool>,
}

/// [`write`], with where each element starts.
pub(crate) fn write_marked(screenplay: &Screenplay<'_>) -> Marked {
    let mut out = String::with_capacity(screenplay.elements.len() * 48 + 256);
    let mut starts = Vec::with_capacity(screenplay.elements.len());
    let mut joined = Vec::with_capacity(screenplay.elements.len());
    write_title_page(&mut out, &screenplay.title_page);
    let mut in_block = false;
    // A dual cue opens a pair; the next dual cue right after its block closes it with `^`.
    let mut pair_open = false;
    for element in &screenplay.elements {
        let block_part = matches!(
            element,
            Element::Parenthetical { .. } | Element::Dialogue { .. }
        ) || (in_block && matches!(element, Element::Lyrics { .. }));
        let continues = in_block && block_part;
        if !(out.is_empty() || continues) {
            out.push('\n');
        }
        joined.push(continues);
        let first = out.is_empty();
        starts.push(out.len());
        if let Element::Character { dual, .. } = element {
            let second = *dual && pair_open;
            pair_open = *dual && !second;
            write_cue(&mut out, element, second);
        } else {
            if !block_part {
                pair_open = false;
            }
            write_element(&mut out, element, first);
        }
        in_block = matches!(element, Element::Character { .. }) || (in_block && block_part);
    }
    Marked {
        text: out,
        starts,
        joined,
    }
}

fn write_cue(out: &mut String, element: &Element<'_>, second: bool) {
    if let Element::Character { text, name, .. } = element {
        if needs_at(name) {
            out.push('@');
        }
        out.push_str(text);
        if second {
            out.push_str(" ^");
        }
        out.push('\n');
    }
}

/// A title page alone, as Fountain (with the blank line that ends it).
pub(crate) fn title_page_text(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    write_title_page(&mut out, pairs);
    out
}

fn write_title_page(out: &mut String, pairs: &[(String, String)]) {
    for (key, value) in pairs {
        out.push_str(&title_key(key));
        out.push(':');
        if value.contains('\n') || value.is_empty() {
            for line in value.lines() {
                out.push_str("\n    ");
                out.push_str(line);
            }
            out.push('\n');
        } else {
            out.push(' ');
            out.push_str(value);
            out.push('\n');
        }
    }
    if !pairs.is_empty() {
        out.push('\n');
    }
}

/// `draftDate` → `Draft date`: the parser's camelCase key back to words it reads the same.
fn title_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 2);
    for (i, c) in key.chars().enumerate() {
        if i == 0 {
            out.extend(c.to_uppercase());
        } else if c.is_uppercase() {
            out.push(' ');
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    if out.is_empty() {
        out.push_str("Note");
    }
    out
}

fn write_element(out: &mut String, element: &Element<'_>, first: bool) {
    match element {
        Element::SceneHeading {
            text, scene_number, ..
        } => {
            if !is_heading(text.trim_start()) {
                out.push('.');
            }
            out.push_str(text);
            if let Some(n) = scene_number {
                out.push_str(" #");
                out.push_str(n);
                out.push('#');
            }
            out.push('\n');
        }
        Element::Action { text, .. } => {
            if needs_bang(text, first) {
                out.push('!');
            }
            push_action_lines(out, text);
        }
        Element::Character { .. } => write_cue(out, element, false),
        Element::Parenthetical { text, .. } | Element::Dialogue { text, .. } => {
            push_lines(out, text)
        }
        Element::Transition { text, .. } => {
            let forced = if is_transition(text.trim_start()) {
                ""
            } else {
                "> "
            };
            push_marked(out, forced, text, "\n");
        }
        Element::Centered { text, .. } => push_marked(out, "> ", text, " <\n"),
        Element::Lyrics { text, .. } => {
            for line in text.split('\n') {
                out.push('~');
                out.push_str(line);
                out.push('\n');
            }
        }
        Element::Section { text, depth, .. } => {
            let marks = format!("{} ", "#".repeat((*depth).max(1)));
            push_marked(out, &marks, text, "\n");
        }
        Element::Synopsis { text, .. } => push_marked(out, "= ", text, "\n"),
        Element::Note { text, .. } => {
            out.push_str("[[");
            push_lines(out, text);
            out.pop();
            out.push_str("]]\n");
        }
        // Inside `/* */` blank lines end nothing, so the text goes out as it is.
        Element::Boneyard { text, .. } => push_marked(out, "/*\n", text, "\n*/\n"),
        Element::PageBreak { .. } => out.push_str("===\n"),
    }
}

/// Writes text between the marks that make the parser read it as its element.
fn push_marked(out: &mut String, before: &str, text: &str, after: &str) {
    out.push_str(before);
    out.push_str(text);
    out.push_str(after);
}

/// Writes text line by line; an empty line inside an element is written as two spaces so it
/// does not end the element.
fn push_lines(out: &mut String, text: &str) {
    for line in text.split('\n') {
        if line.is_empty() {
            out.push_str("  ");
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// An action paragraph's lines; a later line that starts with a forcing mark (`~` lyrics,
/// `=` synopsis, `@` a cue, a lone `!` …) is forced with `!` too, which the parser drops.
fn push_action_lines(out: &mut String, text: &str) {
    let mut lines = text.split('\n');
    if let Some(first) = lines.next() {
        push_lines(out, first);
    }
    for line in lines {
        if line
            .trim_start()
            .starts_with(['!', '@', '~', '>', '=', '#', '.'])
        {
            out.push('!');
        }
        push_lines(out, line);
    }
}

/// An action paragraph whose first line would read as another element gets a `!`, and
/// only then: a capitalised line alone ("A RIVER.") is action already.
fn needs_bang(text: &str, first: bool) -> bool {
    let line = text.split('\n').next().unwrap_or("");
    let trimmed = line.trim();
    // Capitals read as a cue when a line follows them, as a transition when ending in `TO:`.
    let reads_as_cue = is_upper(trimmed) && (text.contains('\n') || trimmed.ends_with("TO:"));
    is_heading(line.trim_start())
        || reads_as_cue
        || trimmed.starts_with(['!', '@', '~', '>', '=', '#', '.', '[', '/'])
        || trimmed.ends_with('<')
        // At the very start, `Key: value` would read as a title page.
        || (first && trimmed.contains(':'))
}

fn needs_at(name: &str) -> bool {
    name.chars().any(char::is_lowercase)
        || !name.chars().any(char::is_alphabetic)
        || is_heading(name.trim_start())
        || name.trim_end().ends_with("TO:")
        || name.starts_with(['!', '@', '~', '>', '=', '#', '.', '['])
}
