//! Pagination against jumpcut's own: the same Fountain text paginated by jumpcut end to end
//! (its parser, its "industry" profile, which its author validated against Final Draft's PDFs)
//! and by ours (our parser, our model handed to jumpcut's pagination API), compared page by
//! page on each page's first block (a speech by its cue; whether it continues from the page
//! before). Where they differ, the reason is recorded in `DIFFERENCES` below.

use std::path::Path;

use fountainai::fountain::{parse, Element, Screenplay};
use fountainai::screenplay::pages::{self, Paper};
use jumpcut::pagination::{normalize_screenplay, Fragment, PaginatedScreenplay, PaginationScope};

#[path = "../benches/data/script.rs"]
mod script;

/// What a page starts with, comparable across the two parsers: the lead element's text without
/// markup, upper case, spaces collapsed, 40 characters; and whether it continues.
type Lead = (String, bool);

fn normal(text: &str) -> String {
    let plain: String = text
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | '\\'))
        .collect();
    let words: Vec<&str> = plain.split_whitespace().collect();
    words.join(" ").to_uppercase().chars().take(40).collect()
}

fn jumpcut_leads(text: &str, lines_per_page: f32) -> Vec<Lead> {
    let mut sp = jumpcut::parse(text);
    let fmt = if lines_per_page > 55.0 {
        "industry a4"
    } else {
        "industry"
    };
    sp.metadata.insert(
        "fmt".to_owned(),
        vec![jumpcut::ElementText::Plain(fmt.into())],
    );
    let normalized = normalize_screenplay("s", &sp);
    let scope = PaginationScope {
        first_page_number: None,
        title_page_count: None,
        body_start_page: None,
    };
    let paginated = PaginatedScreenplay::from_screenplay("s", &sp, lines_per_page, scope);
    paginated
        .pages
        .iter()
        .filter_map(|page| {
            let item = page.items.first()?;
            let lead = item
                .block_id
                .as_ref()
                .and_then(|b| {
                    normalized
                        .elements
                        .iter()
                        .find(|e| e.block_id.as_ref() == Some(b))
                })
                .or_else(|| {
                    item.dual_dialogue_group.as_ref().and_then(|g| {
                        normalized
                            .elements
                            .iter()
                            .find(|e| e.dual_dialogue_group.as_ref() == Some(g))
                    })
                })
                .or_else(|| {
                    normalized
                        .elements
                        .iter()
                        .find(|e| e.element_id == item.element_id)
                })?;
            // jumpcut's items of a speech split between its parts are all whole: the page
            // continues the speech when it opens on one of its lines rather than the cue.
            let continued = matches!(
                item.fragment,
                Fragment::ContinuedFromPrev | Fragment::ContinuedFromPrevAndToNext
            ) || (item.block_id.is_some() && item.kind != "Character");
            Some((normal(&lead.text), continued))
        })
        .collect()
}

fn our_leads(sp: &Screenplay<'_>, paper: Paper) -> Vec<Lead> {
    pages::leads(sp, paper)
        .into_iter()
        .map(|lead| match lead {
            Some((i, continued)) => {
                let text = match &sp.elements[i] {
                    Element::Character { text, .. } => text.to_string(),
                    el => el.text().to_owned(),
                };
                (normal(&text), continued)
            }
            None => (String::new(), false),
        })
        .collect()
}

struct Agreement {
    name: String,
    ours: usize,
    theirs: usize,
    same: usize,
    first_difference: Option<(usize, Lead, Lead)>,
}

impl Agreement {
    fn percent(&self) -> f64 {
        100.0 * self.same as f64 / self.ours.max(self.theirs).max(1) as f64
    }
}

fn compare(name: &str, text: &str) -> Agreement {
    let ours = our_leads(&parse(text), Paper::Letter);
    let theirs = jumpcut_leads(text, 54.0);
    let same = ours.iter().zip(&theirs).filter(|(a, b)| a == b).count();
    if std::env::var_os("PAGES_DEBUG").is_some() {
        for (i, (a, b)) in ours
            .iter()
            .zip(&theirs)
            .enumerate()
            .filter(|(_, (a, b))| a != b)
        {
            eprintln!("  {name} page {}: ours {a:?} jumpcut {b:?}", i + 1);
        }
    }
    let first_difference = ours
        .iter()
        .zip(&theirs)
        .position(|(a, b)| a != b)
        .map(|i| (i + 1, ours[i].clone(), theirs[i].clone()));
    Agreement {
        name: name.to_owned(),
        ours: ours.len(),
        theirs: theirs.len(),
        same,
        first_difference,
    }
}

fn conformance_scripts() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    let mut out = Vec::new();
    for dir in ["fdx", "fountain/fountain-tools"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(dir))
            .expect("conformance folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "fountain"))
            .collect();
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path).expect("read script");
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push((format!("{dir}/{name}"), text));
        }
    }
    out
}

/// Where our pagination and jumpcut's differ on the conformance scripts, and which follows
/// Final Draft (every difference comes from the two parsers reading the Fountain differently;
/// the pagination rules are the same code).
const DIFFERENCES: &[(&str, &str)] = &[
    (
        "TestFDX-FI.fountain",
        "jumpcut reads the empty `Title:` line as an empty action on page 1; ours leaves it out, \
         as Final Draft prints nothing there",
    ),
    (
        "Action.fountain",
        "the file opens with indented lines jumpcut reads as a title page; ours reads them as \
         action (no `Key:` on the first line), which Final Draft's Fountain import prints",
    ),
    (
        "LineBreaks.fountain",
        "ours starts a new page at every `===` (Fountain 1.1: a page break); jumpcut's parser \
         misses the ones without a blank line after them; Final Draft breaks at each",
    ),
    (
        "PageBreak.fountain",
        "the same: ours honours the `===` after the centered act end, as Final Draft does",
    ),
    (
        "TitlePage.fountain",
        "only a title page: ours still prints one (empty) script page, jumpcut none; a \
         Final Draft document always has a first page",
    ),
    (
        "Writer-output.fountain",
        "jumpcut reads its leading lines as title page fields where ours reads action (the \
         first line has no `Key:`), so the body differs from the first page",
    ),
    (
        "feature(30)",
        "jumpcut's parser reads a cue with a lower-case extension (`SHERIFF HOLT (on the phone)`) \
         and its speech as one action paragraph; Fountain 1.1 allows lower-case extensions and \
         Final Draft imports it as a cue with dialogue, as ours does. From the first such cue \
         on, the pages run a line or two apart until a forced break or scene realigns them; \
         both page counts stay equal",
    ),
    (
        "feature(120)",
        "the same lower-case extensions as feature(30)",
    ),
];

#[test]
fn our_page_breaks_agree_with_jumpcuts_final_draft_profile() {
    let mut results: Vec<Agreement> = conformance_scripts()
        .iter()
        .map(|(name, text)| compare(name, text))
        .collect();
    for pages in [30, 120] {
        results.push(compare(
            &format!("generated feature({pages})"),
            &script::feature(pages),
        ));
    }
    let (mut same, mut total) = (0, 0);
    for r in &results {
        same += r.same;
        total += r.ours.max(r.theirs);
        eprintln!(
            "{:<48} ours {:>3} pages, jumpcut {:>3}, same first block on {:>3} ({:.0}%){}",
            r.name,
            r.ours,
            r.theirs,
            r.same,
            r.percent(),
            r.first_difference
                .as_ref()
                .map(|(p, a, b)| format!(
                    "; first difference on page {p}: ours {a:?}, jumpcut {b:?}"
                ))
                .unwrap_or_default()
        );
    }
    eprintln!("overall: {same} of {total} pages start alike");
    for r in &results {
        let explained = DIFFERENCES.iter().any(|(name, _)| r.name.ends_with(name));
        assert!(
            explained || r.same == r.ours.max(r.theirs),
            "{}: pages start differently and DIFFERENCES does not say why",
            r.name
        );
    }
    let feature = results.last().expect("feature");
    assert_eq!(
        feature.ours, feature.theirs,
        "the generated feature has jumpcut's page count"
    );
    assert!(
        feature.percent() >= 65.0,
        "the generated feature's pages start alike on {:.0}%",
        feature.percent()
    );
}

#[test]
fn a4_keeps_the_rules_and_holds_more_lines() {
    let text = script::feature(30);
    let sp = parse(&text);
    let letter = pages::leads(&sp, Paper::Letter).len();
    let a4 = pages::leads(&sp, Paper::A4).len();
    assert!(a4 < letter, "A4 {a4} pages, Letter {letter}");
    let theirs = jumpcut_leads(&text, 58.0).len();
    assert!(
        a4.abs_diff(theirs) <= 1,
        "A4 {a4} pages, jumpcut's {theirs}"
    );
}

#[test]
fn the_editor_breaks_point_at_the_lines_each_page_starts_with() {
    let text = script::feature(10);
    let sp = parse(&text);
    let (count, breaks) = pages::breaks(&sp, Paper::Letter);
    assert_eq!(count, pages::leads(&sp, Paper::Letter).len());
    assert_eq!(breaks.len(), count - 1);
    let lines: Vec<&str> = text.lines().collect();
    for b in &breaks {
        let line = lines.get(b.line - 1).expect("a line of the text");
        assert!(
            !line.trim().is_empty(),
            "page {} starts at a blank line",
            b.page
        );
    }
    assert!(breaks.windows(2).all(|w| w[0].line < w[1].line));
}
