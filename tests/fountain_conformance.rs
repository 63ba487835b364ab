//! Runs the third-party Fountain suites in `tests/conformance/fountain/` (see that folder's
//! README for origin and licenses) against `fountain::parse`.
//!
//! Each suite has its own notation and its own view of where blank lines go; both are mapped
//! to one comparable form here (documented at each step). Where the suites disagree with the
//! Fountain 1.1 spec the spec wins, and every case still failing must be listed in
//! `tests/conformance/KNOWN_DIFFERENCES.md`.
//!
//! What a "case" is (the goal is "at least 95% of the cases must pass"):
//! - Jouvence: one YAML document (46). Unambiguous.
//! - fountain-tools: one expected element of a `.txt` file, plus one failing case for every
//!   element this parser produces that the file does not expect. The `.txt` files are whole
//!   scripts bundling many unrelated checks (Character.txt alone checks ~20 cue rules), so
//!   one element is the unit that passes or fails on one rule; counting whole files would
//!   let a single disputed line hide 20 agreements. This is the headline figure, and the
//!   floor below applies to it. The per-file figure (a `.txt` passes only if every element
//!   matches) is printed too, and reported alongside.
//!
//! fountain-tools inputs are parsed with `Options { tags: true }`: their dialect includes
//! `#tags`, which Fountain 1.1 does not; the extension is opt-in so plain parsing is unchanged.

use fountainai::fountain::{parse, parse_with, title_page_key, Element, Options, Screenplay};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Current level is 95.9% (304/317 per element): every remaining failure is a documented
/// difference where the spec says otherwise or the two suites contradict each other.
const MIN_PASS_PERCENT: f64 = 95.0;

fn suite_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/fountain")
}

fn known_differences() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/KNOWN_DIFFERENCES.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[derive(Default)]
struct Tally {
    pass: usize,
    fail: Vec<(String, String)>,
}

impl Tally {
    fn record(&mut self, id: String, result: Result<(), String>) {
        match result {
            Ok(()) => self.pass += 1,
            Err(reason) => self.fail.push((id, reason)),
        }
    }
    fn total(&self) -> usize {
        self.pass + self.fail.len()
    }
}

// ---------------------------------------------------------------- Jouvence

#[derive(Deserialize)]
struct JouvenceCase {
    #[serde(rename = "in")]
    input: String,
    #[serde(default)]
    out: Vec<String>,
    title: Option<BTreeMap<String, String>>,
}

fn jouvence_notation(el: &Element) -> Option<String> {
    Some(match el {
        Element::SceneHeading { text, .. } => format!(".{text}"),
        Element::Action { text, .. } => format!("!{text}"),
        Element::Centered { text, .. } => format!("!><{text}"),
        Element::Character { text, .. } => format!("@{text}"),
        Element::Dialogue { text, .. } => format!("={text}"),
        Element::Parenthetical { text, .. } => format!("_{text}"),
        Element::Transition { text, .. } => format!(">{text}"),
        Element::Lyrics { text, .. } => format!("~{text}"),
        Element::Section { text, depth, .. } => format!("{}{text}", "#".repeat(*depth)),
        Element::Synopsis { text, .. } => format!("+{text}"),
        Element::PageBreak { .. } => "<pagebreak>".to_owned(),
        // Jouvence's notation has neither; both are outside the printed script.
        Element::Note { .. } | Element::Boneyard { .. } => return None,
    })
}

/// Jouvence keeps blank lines inside action ("!\nText", "!" for a lone blank line); this
/// parser ends an action paragraph at a blank line (see the module docs). Splitting every
/// action item into its blank-line-separated paragraphs makes the two comparable.
fn jouvence_normalize(items: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for item in items {
        if let Some(centered) = item.strip_prefix("!><") {
            let mut lines = centered.split('\n');
            out.push(format!("!><{}", lines.next().unwrap_or("")));
            let rest: Vec<&str> = lines.collect();
            out.extend(paragraphs(&rest.join("\n")).map(|p| format!("!{p}")));
        } else if let Some(action) = item.strip_prefix('!') {
            out.extend(paragraphs(action).map(|p| format!("!{p}")));
        } else {
            out.push(item.clone());
        }
    }
    out
}

fn paragraphs(text: &str) -> impl Iterator<Item = String> + '_ {
    let mut groups: Vec<Vec<&str>> = vec![Vec::new()];
    for line in text.split('\n') {
        if line.trim().is_empty() {
            groups.push(Vec::new());
        } else if let Some(g) = groups.last_mut() {
            g.push(line);
        }
    }
    groups
        .into_iter()
        .filter(|g| !g.is_empty())
        .map(|g| g.join("\n"))
}

fn run_jouvence_case(case: &JouvenceCase) -> Result<(), String> {
    let sp = parse(&case.input);
    let mine: Vec<String> = sp.elements.iter().filter_map(jouvence_notation).collect();
    let (mine, theirs) = (jouvence_normalize(&mine), jouvence_normalize(&case.out));
    if mine != theirs {
        return Err(format!("elements: expected {theirs:?}, got {mine:?}"));
    }
    let my_title: BTreeMap<String, String> = sp.title_page.iter().cloned().collect();
    let their_title = case.title.clone().unwrap_or_default();
    if my_title != their_title {
        return Err(format!("title: expected {their_title:?}, got {my_title:?}"));
    }
    Ok(())
}

fn run_jouvence(root: &Path) -> Tally {
    let mut tally = Tally::default();
    for path in sorted_files(&root.join("jouvence"), "yaml") {
        let name = file_name(&path);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for (i, doc) in serde_norway::Deserializer::from_str(&text).enumerate() {
            let id = format!("jouvence {name}#{}", i + 1);
            let result = JouvenceCase::deserialize(doc)
                .map_err(|e| format!("unreadable case: {e}"))
                .and_then(|case| run_jouvence_case(&case));
            tally.record(id, result);
        }
    }
    tally
}

// ---------------------------------------------------------------- fountain-tools

/// Reads a fountain-tools `.txt`: one entry per `TYPE:"text"` line plus extras to the end of
/// the line; the text may span lines. Notes and boneyards carry a `[[n]]` / `/*n*/` prefix.
/// Expected texts contain no `"`, so the first quote followed by a line end or space closes.
fn read_tools_file(text: &str) -> Vec<String> {
    split_entries(text).into_iter().map(tools_entry).collect()
}

fn entry_head(line: &str) -> Option<(&str, &str)> {
    let l = line.trim_start_matches(|c: char| "[]/*0123456789".contains(c));
    let p = l.find(":\"")?;
    let kind = &l[..p];
    (!kind.is_empty() && kind.chars().all(|c| c.is_ascii_uppercase())).then(|| (kind, &l[p + 2..]))
}

fn split_entries(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut offset) = (0, 0);
    for line in text.split_inclusive('\n') {
        if entry_head(line).is_some() && offset > start {
            out.push(&text[start..offset]);
            start = offset;
        }
        offset += line.len();
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

fn tools_entry(chunk: &str) -> String {
    let Some((kind, body)) = entry_head(chunk) else {
        return format!("UNREADABLE:{chunk}");
    };
    let body = body.trim_end();
    if kind == "TITLEENTRY" {
        // TITLEENTRY:"Key":"value": indented value lines are trimmed here as this parser
        // (and Jouvence) does, and keys are compared in camelCase.
        let (key, value) = body.split_once("\":\"").unwrap_or((body, ""));
        let value = value.strip_suffix('"').unwrap_or(value);
        let v: Vec<&str> = value
            .split('\n')
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        return format!(
            "TITLEENTRY:{}={}",
            title_page_key(key.trim_end_matches('"')),
            v.join("\n")
        );
    }
    let b = body.as_bytes();
    let close = (0..b.len())
        .find(|&i| b[i] == b'"' && matches!(b.get(i + 1), None | Some(b'\n' | b'\r' | b' ')))
        .unwrap_or(b.len());
    let extras = body.get(close + 1..).unwrap_or("").trim();
    let value = strip_placeholders(&body[..close]);
    // Whitespace around a note's or boneyard's content carries no meaning.
    let value = if kind == "NOTE" || kind == "BONEYARD" {
        value.trim().to_owned()
    } else {
        value
    };
    if extras.is_empty() {
        format!("{kind}:{value}")
    } else {
        format!("{kind}:{value} {extras}")
    }
}

/// fountain-tools leaves `[[n]]` / `/*n*/` where it cut a note or boneyard out of the text;
/// this parser cuts them out without a trace (they become elements of their own), so the
/// placeholders are removed before comparing.
fn strip_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let next = [("[[", "]]"), ("/*", "*/")]
            .iter()
            .filter_map(|(open, close)| {
                let p = rest.find(open)?;
                let inner = &rest[p + 2..];
                let digits = inner.bytes().take_while(u8::is_ascii_digit).count();
                (digits > 0 && inner[digits..].starts_with(close)).then_some((p, p + 4 + digits))
            })
            .min();
        match next {
            Some((p, end)) => {
                out.push_str(&rest[..p]);
                rest = &rest[end..];
            }
            None => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

/// Groups written with CONT'D are dropped by fountain-tools' notation.
fn tools_extension(ext: &str) -> Option<String> {
    let written = format!("({ext})");
    let kept: Vec<&str> = written
        .split_inclusive(')')
        .map(str::trim)
        .filter(|g| {
            let g = g.to_uppercase().replace('’', "'");
            !g.is_empty() && g != "(CONT'D)" && g != "(CONT.)" && g != "(CONT)"
        })
        .collect();
    (!kept.is_empty()).then(|| kept.join(" "))
}

fn tools_notation(sp: &Screenplay<'_>) -> Vec<String> {
    let mut out: Vec<String> = sp
        .title_page
        .iter()
        .map(|(k, v)| format!("TITLEENTRY:{k}={v}"))
        .collect();
    // fountain-tools marks only the cue written with `^`: the second of a pair.
    let mut dual_open = false;
    for (index, el) in sp.elements.iter().enumerate() {
        let tags: Vec<&str> = sp
            .tags
            .iter()
            .filter(|t| t.element == index)
            .map(|t| t.text.as_ref())
            .collect();
        let item = match el {
            Element::SceneHeading {
                text, scene_number, ..
            } => match scene_number {
                Some(n) => format!("HEADING:{text} ({n})"),
                None => format!("HEADING:{text}"),
            },
            Element::Action { text, .. } => {
                // Adjacent paragraphs had a blank line between them; say so, as the file does.
                // Notes and boneyards are moved to the end below, so they do not count.
                let prev = out
                    .iter()
                    .rev()
                    .find(|l| !l.starts_with("NOTE:") && !l.starts_with("BONEYARD:"));
                if prev.is_some_and(|l| l.starts_with("ACTION:") && !l.ends_with(" (centered)")) {
                    out.push("ACTION:".to_owned());
                }
                format!("ACTION:{text}")
            }
            Element::Centered { text, .. } => format!("ACTION:{text} (centered)"),
            Element::Character {
                name,
                extension,
                dual,
                ..
            } => {
                let second = *dual && dual_open;
                dual_open = *dual && !dual_open;
                let mut s = format!("CHARACTER:{name}");
                if let Some(ext) = extension.as_deref().and_then(tools_extension) {
                    s.push_str(&format!(" \"{ext}\""));
                }
                if second {
                    s.push_str(" (Dual)");
                }
                s
            }
            Element::Dialogue { text, .. } => format!("DIALOGUE:{text}"),
            Element::Parenthetical { text, .. } => {
                let inner = text.strip_prefix('(').and_then(|t| t.strip_suffix(')'));
                format!("PARENTHETICAL:{}", inner.unwrap_or(text))
            }
            Element::Transition { text, .. } => format!("TRANSITION:{text}"),
            Element::Lyrics { text, .. } => format!("LYRIC:{text}"),
            Element::Section { text, depth, .. } => format!("SECTION:{text} ({depth})"),
            Element::Synopsis { text, .. } => format!("SYNOPSIS:{text}"),
            Element::Note { text, .. } => format!("NOTE:{text}"),
            Element::Boneyard { text, .. } => format!("BONEYARD:{text}"),
            Element::PageBreak { .. } => "PAGEBREAK:".to_owned(),
        };
        if tags.is_empty() {
            out.push(item);
        } else {
            out.push(format!("{item} tags:{}", tags.join(",")));
        }
    }
    // The files list notes and boneyards after everything else.
    let (notes, mut rest): (Vec<String>, Vec<String>) = out
        .into_iter()
        .partition(|i| i.starts_with("NOTE:") || i.starts_with("BONEYARD:"));
    rest.extend(notes);
    rest
}

/// fountain-tools, like Jouvence, keeps blank lines inside action (merged or as empty ACTION
/// items) and, in `-Unmerged` files, gives each line its own item. Joining adjacent items and
/// re-splitting at blank lines yields this parser's paragraph form for either variant.
/// Centered text is trimmed: the spaces inside `> ... <` carry no meaning.
fn tools_normalize(items: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut action: Option<String> = None;
    let flush = |action: &mut Option<String>, out: &mut Vec<String>| {
        if let Some(a) = action.take() {
            out.extend(paragraphs(&a).map(|p| format!("ACTION:{p}")));
        }
    };
    for item in items {
        if let Some(text) = item
            .strip_prefix("ACTION:")
            .filter(|t| !t.ends_with(" (centered)"))
        {
            match &mut action {
                Some(a) => {
                    a.push('\n');
                    a.push_str(text);
                }
                None => action = Some(text.to_owned()),
            }
            continue;
        }
        flush(&mut action, &mut out);
        if let Some(text) = item
            .strip_prefix("ACTION:")
            .and_then(|t| t.strip_suffix(" (centered)"))
        {
            out.push(format!("ACTION:{} (centered)", text.trim()));
        } else if let (Some(text), Some(prev)) = (item.strip_prefix("DIALOGUE:"), out.last_mut()) {
            if prev.starts_with("DIALOGUE:") {
                prev.push('\n');
                prev.push_str(text);
            } else {
                out.push(item.clone());
            }
        } else {
            out.push(item.clone());
        }
    }
    flush(&mut action, &mut out);
    out
}

/// Longest common subsequence; returns which items of `a` and of `b` were matched.
fn lcs_matches(a: &[String], b: &[String]) -> (Vec<bool>, Vec<bool>) {
    let (n, m) = (a.len(), b.len());
    let mut t = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            t[i][j] = if a[i] == b[j] {
                t[i + 1][j + 1] + 1
            } else {
                t[i + 1][j].max(t[i][j + 1])
            };
        }
    }
    let (mut ma, mut mb) = (vec![false; n], vec![false; m]);
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            ma[i] = true;
            mb[j] = true;
            i += 1;
            j += 1;
        } else if t[i + 1][j] >= t[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    (ma, mb)
}

fn compare_items(tally: &mut Tally, name: &str, expected: &[String], actual: &[String]) -> bool {
    let (me, ma) = lcs_matches(expected, actual);
    for (i, item) in expected.iter().enumerate() {
        let r = if me[i] {
            Ok(())
        } else {
            Err(format!("expected item not produced: {item:?}"))
        };
        tally.record(format!("fountain-tools {name}#E{}", i + 1), r);
    }
    for (j, item) in actual.iter().enumerate() {
        if !ma[j] {
            tally.record(
                format!("fountain-tools {name}#A{}", j + 1),
                Err(format!("unexpected item: {item:?}")),
            );
        }
    }
    me.iter().chain(ma.iter()).all(|m| *m)
}

fn run_tools(root: &Path) -> (Tally, usize, usize) {
    let dir = root.join("fountain-tools");
    let mut tally = Tally::default();
    let (mut files, mut files_ok) = (0, 0);
    for src in sorted_files(&dir, "fountain") {
        let stem = src
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        let input = std::fs::read_to_string(&src).unwrap_or_default();
        // fountain-tools' dialect includes `#tags`; the opt-in extension reads them.
        let sp = parse_with(&input, Options { tags: true });
        for suffix in ["", "-Merged", "-Unmerged"] {
            let name = format!("{stem}{suffix}.txt");
            let Ok(expected) = std::fs::read_to_string(dir.join(&name)) else {
                continue;
            };
            files += 1;
            let ok = if stem == "Formatted" {
                let exp: Vec<String> = expected
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(str::to_owned)
                    .collect();
                compare_items(&mut tally, &name, &exp, &formatted_html(&sp))
            } else {
                let exp = tools_normalize(&read_tools_file(&expected));
                compare_items(
                    &mut tally,
                    &name,
                    &exp,
                    &tools_normalize(&tools_notation(&sp)),
                )
            };
            files_ok += ok as usize;
        }
    }
    (tally, files, files_ok)
}

/// `Formatted.txt` holds HTML rendering of emphasis, one source line per line. The parser
/// keeps emphasis markup as written, so this renders each action line the way Fountain's
/// emphasis rules read it (markers hug the text, no spanning lines, `\` escapes).
fn formatted_html(sp: &Screenplay<'_>) -> Vec<String> {
    sp.elements
        .iter()
        .filter(|e| matches!(e, Element::Action { .. }))
        .flat_map(|e| {
            e.text()
                .split('\n')
                .map(render_emphasis)
                .collect::<Vec<_>>()
        })
        .filter(|l| !l.trim().is_empty())
        .collect()
}

fn render_emphasis(line: &str) -> String {
    // Escaped markers become private-use placeholders so they never pair up.
    let chars: Vec<char> = line
        .replace("\\*", "\u{E000}")
        .replace("\\_", "\u{E001}")
        .chars()
        .collect();
    render_run(&chars)
        .replace('\u{E000}', "*")
        .replace('\u{E001}', "_")
}

fn render_run(c: &[char]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        if ch == '*' || ch == '_' {
            let n = c[i..].iter().take_while(|&&x| x == ch).count();
            let n = if ch == '_' { 1 } else { n.min(3) };
            if let Some(end) = find_closer(c, i + n, ch, n) {
                let inner = render_run(&c[i + n..end]);
                let (open, close) = match (ch, n) {
                    ('_', _) => ("<u>", "</u>"),
                    (_, 1) => ("<i>", "</i>"),
                    (_, 2) => ("<b>", "</b>"),
                    _ => ("<b><i>", "</i></b>"),
                };
                out.push_str(&format!("{open}{inner}{close}"));
                i = end + n;
                continue;
            }
        }
        out.push(ch);
        i += 1;
    }
    out
}

fn find_closer(c: &[char], from: usize, ch: char, n: usize) -> Option<usize> {
    if c.get(from).is_none_or(|x| x.is_whitespace()) {
        return None;
    }
    (from + 1..c.len()).find(|&j| {
        c[j..].iter().take(n).all(|&x| x == ch)
            && c.get(j + n) != Some(&ch)
            && !c[j - 1].is_whitespace()
            && c[j - 1] != ch
    })
}

// ---------------------------------------------------------------- shared

fn sorted_files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    v.sort();
    v
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn conformance_suites() {
    let root = suite_root();
    let jouvence = run_jouvence(&root);
    let (tools, files, files_ok) = run_tools(&root);
    let listed = known_differences();

    println!(
        "jouvence:       {}/{} cases pass",
        jouvence.pass,
        jouvence.total()
    );
    println!(
        "fountain-tools: {}/{} element cases pass ({files_ok}/{files} files match completely)",
        tools.pass,
        tools.total()
    );
    let pass = jouvence.pass + tools.pass;
    let total = jouvence.total() + tools.total();
    let pct = 100.0 * pass as f64 / total.max(1) as f64;
    println!("overall:        {pass}/{total} = {pct:.1}% (fountain-tools per element)");
    let (fpass, ftotal) = (jouvence.pass + files_ok, jouvence.total() + files);
    println!(
        "per file:       {fpass}/{ftotal} = {:.1}% (fountain-tools per .txt file)",
        100.0 * fpass as f64 / ftotal.max(1) as f64
    );

    let mut unlisted = Vec::new();
    for (id, reason) in jouvence.fail.iter().chain(tools.fail.iter()) {
        println!("FAIL {id}: {reason}");
        if !listed.contains(&format!("`{id}`")) {
            unlisted.push(id.clone());
        }
    }
    assert!(
        unlisted.is_empty(),
        "failing cases missing from KNOWN_DIFFERENCES.md: {unlisted:#?}"
    );
    // The goal: 95% of the cases (per element, see the top of this file).
    assert!(
        pct >= MIN_PASS_PERCENT,
        "conformance {pct:.1}% is below {MIN_PASS_PERCENT}%"
    );
}

/// Every input in the suites, including those without expectations, parses without panic
/// and serializes.
#[test]
fn all_suite_inputs_parse() {
    let root = suite_root();
    for path in sorted_files(&root.join("fountain-tools"), "fountain") {
        let bytes = std::fs::read(&path).unwrap_or_default();
        let sp = fountainai::fountain::parse_bytes(&bytes).unwrap_or_default();
        assert!(serde_json::to_string(&sp).is_ok(), "{}", path.display());
    }
}
