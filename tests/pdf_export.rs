//! PDF export: real files read back with poppler's `pdftotext` and `pdfinfo`
//! (apt `poppler-utils`, installed by scripts/setup.sh).

use std::path::{Path, PathBuf};
use std::process::Command;

use fountainai::fountain::parse;
use fountainai::screenplay::pages::Paper;
use fountainai::screenplay::pdf::{self, PdfOptions};

#[path = "../benches/data/script.rs"]
mod script;

/// Points per inch.
const INCH: f64 = 72.0;

/// The screenplay written as a PDF file in a folder of its own, which lives as long as the first value.
fn write_pdf(name: &str, fountain: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let bytes = pdf::write(&parse(fountain)).expect("write pdf");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("save pdf");
    (dir, path)
}

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} (apt poppler-utils) must be installed: {e}"));
    assert!(out.status.success(), "{program} failed: {out:?}");
    String::from_utf8(out.stdout).expect("utf-8 output")
}

fn page_count(path: &Path) -> usize {
    let info = run("pdfinfo", &[path.to_str().expect("path")]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count")
}

/// The text of each page, laid out as on paper.
fn pages(path: &Path) -> Vec<String> {
    let text = run("pdftotext", &["-layout", path.to_str().expect("path"), "-"]);
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// A word with its box in points (origin top left).
#[derive(Debug)]
struct Word {
    page: usize,
    x_min: f64,
    x_max: f64,
    y_min: f64,
    text: String,
}

fn words(path: &Path) -> Vec<Word> {
    let html = run("pdftotext", &["-bbox", path.to_str().expect("path"), "-"]);
    let attr = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
        let end = start + tag[start..].find('"').expect("closing quote");
        tag[start..end].parse().expect("number")
    };
    let mut out = Vec::new();
    let mut page = 0;
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            page += 1;
        } else if let Some(rest) = line.strip_prefix("<word ") {
            let (tag, text) = rest.split_once('>').expect("word tag");
            out.push(Word {
                page,
                x_min: attr(tag, "xMin"),
                x_max: attr(tag, "xMax"),
                y_min: attr(tag, "yMin"),
                text: text.trim_end_matches("</word>").replace("&apos;", "'"),
            });
        }
    }
    out
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() < 1.5
}

#[test]
fn a_feature_script_has_a_title_page_about_120_numbered_pages_and_the_industry_columns() {
    let (_dir, path) = write_pdf("feature.pdf", &script::feature(120));
    let count = page_count(&path);
    assert!(
        (105..=140).contains(&count),
        "a 120-page script printed on {count} pages"
    );

    let pages = pages(&path);
    assert_eq!(pages.len(), count);
    let title = &pages[0];
    for expected in [
        "THE LONG NIGHT",
        "Written by",
        "A. Writer",
        "Studio Lane 5",
        "1/20/2026",
    ] {
        assert!(
            title.contains(expected),
            "title page lacks {expected}: {title}"
        );
    }
    assert!(!title.contains("INT."), "the script starts on its own page");
    // The first script page has no number; the second says "2." in its first line.
    assert!(!pages[1].trim_start().starts_with("1."));
    let first_line = pages[2]
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    assert_eq!(first_line.trim(), "2.", "page 2 starts with its number");

    let words = words(&path);
    let number = words
        .iter()
        .find(|w| w.page == 3 && w.text == "2.")
        .expect("page number on page 2");
    assert!(
        near(number.x_max, 7.5 * INCH),
        "page number ends at 7.5\": {number:?}"
    );
    assert!(
        near(number.y_min, 0.5 * INCH),
        "page number 0.5\" from the top: {number:?}"
    );

    // Where the first word of each kind starts (or, right-aligned, ends) on script pages:
    // Final Draft's columns (cue 3.5", parenthetical 3.0" with its "(" hung a column left,
    // transitions ending at 7.1").
    let columns = [
        ("MARGO", "x_min", 3.5),
        ("INT.", "x_min", 1.5),
        ("TO:", "x_max", 7.1),
        ("Kitchen's", "x_min", 2.5),
        ("(beat)", "x_min", 2.9),
    ];
    for (text, edge, inches) in columns {
        let word = words
            .iter()
            .find(|w| w.page > 1 && w.text == text)
            .unwrap_or_else(|| panic!("{text} is printed"));
        let x = if edge == "x_min" {
            word.x_min
        } else {
            word.x_max
        };
        assert!(
            near(x, inches * INCH),
            "{text} {edge} at {inches}\": {word:?}"
        );
    }
    // Nothing runs past the right margin (7.5", scene numbers stand in the margin).
    let widest = words
        .iter()
        .filter(|w| !w.text.chars().all(|c| c.is_ascii_digit()))
        .map(|w| w.x_max)
        .fold(0.0, f64::max);
    // Final Draft wraps action and headings at 61 characters (jumpcut's "industry" width), so
    // a full line reaches a character past 7.5".
    assert!(widest <= 7.65 * INCH, "text reaches {widest} pt");
    // 54 counted lines end 1" above the bottom; like Final Draft, jumpcut does not count a
    // split speech's "(MORE)" and "(CONT'D)" cue, which may take the rows below.
    let lowest = words.iter().map(|w| w.y_min).fold(0.0, f64::max);
    assert!(
        lowest <= 10.2 * INCH,
        "text reaches {lowest} pt from the top"
    );
}

#[test]
fn notes_sections_synopses_and_boneyard_are_not_printed() {
    let fountain = "# ACT ONE\n\n= A synopsis line\n\nINT. HOUSE - DAY\n\nShe waits. [[a private note]]\n\n/* cut scene */\n\nMARGO\nHello.\n";
    let (_dir, path) = write_pdf("hidden.pdf", fountain);
    let text = pages(&path).concat();
    assert!(text.contains("She waits."));
    assert!(text.contains("Hello."));
    for hidden in ["ACT ONE", "synopsis", "private note", "cut scene"] {
        assert!(!text.contains(hidden), "{hidden} was printed");
    }
}

#[test]
fn long_dialogue_splits_with_more_and_contd() {
    let speech: Vec<String> = (1..=80)
        .map(|i| format!("Line number {i} of a speech."))
        .collect();
    let fountain = format!(
        "INT. HALL - NIGHT\n\nMARGO\n{}\n\nRAY\nDone?\n",
        speech.join("\n")
    );
    let (_dir, path) = write_pdf("split.pdf", &fountain);
    let pages = pages(&path);
    assert_eq!(pages.len(), 2, "{pages:?}");
    let last_line = |p: &str| {
        p.lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim()
            .to_owned()
    };
    let first_line = |p: &str| {
        p.lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim()
            .to_owned()
    };
    assert_eq!(last_line(&pages[0]), "(MORE)");
    let second: Vec<&str> = pages[1].lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(second[0].trim(), "2.");
    assert_eq!(second[1].trim(), "MARGO (CONT'D)");
    assert!(second[2].trim().starts_with("Line number"));
    assert!(first_line(&pages[0]).starts_with("INT. HALL"));
    // Every line of the speech is printed once.
    let all = pages.concat();
    for i in [1, 40, 80] {
        assert_eq!(all.matches(&format!("Line number {i} of")).count(), 1);
    }
}

#[test]
fn a_scene_heading_or_cue_is_never_left_alone_at_a_page_bottom() {
    // 51 action lines fill rows 1-51; the heading would land on row 53 with only row 54
    // under it, so it moves on with its scene.
    let action: Vec<String> = (1..=51).map(|i| format!("Action line {i}.")).collect();
    let fountain = format!(
        "{}\n\nINT. KITCHEN - DAY\n\nThe kettle boils.\nSteam rises.\n",
        action.join("\n")
    );
    let (_dir, path) = write_pdf("heading.pdf", &fountain);
    let pages = pages(&path);
    assert_eq!(pages.len(), 2);
    assert!(!pages[0].contains("KITCHEN"));
    assert!(pages[1].contains("INT. KITCHEN - DAY"));

    let fountain = format!(
        "{}\n\nRAY\nThree lines\nof dialogue\nhere.\n",
        action.join("\n")
    );
    let (_dir, path) = write_pdf("cue.pdf", &fountain);
    let pages = self::pages(&path);
    assert!(!pages[0].contains("RAY"), "the cue moved on: {}", pages[0]);
    assert!(pages[1].contains("RAY"));
}

#[test]
fn title_page_has_title_a_third_down_and_contact_bottom_left() {
    let fountain = "Title: BIG FISH\nCredit: Written by\nAuthor: John August\nContact: Agency Street 1\nDraft date: 1/1/2026\n\nINT. RIVER - DAY\n\nWater.\n";
    let (_dir, path) = write_pdf("title.pdf", fountain);
    assert_eq!(page_count(&path), 2);
    let words = words(&path);
    let title = words
        .iter()
        .find(|w| w.page == 1 && w.text == "BIG")
        .expect("title");
    let center = (title.x_min + words.iter().find(|w| w.text == "FISH").expect("FISH").x_max) / 2.0;
    assert!(near(center, 4.5 * INCH), "title centered: {center}");
    assert!(
        (3.0 * INCH..4.0 * INCH).contains(&title.y_min),
        "title a third down: {title:?}"
    );
    let author = words.iter().find(|w| w.text == "August").expect("author");
    assert!(author.y_min > title.y_min);
    let contact = words.iter().find(|w| w.text == "Agency").expect("contact");
    assert!(
        near(contact.x_min, 1.5 * INCH),
        "contact at the left: {contact:?}"
    );
    assert!(
        contact.y_min > 8.5 * INCH,
        "contact at the bottom: {contact:?}"
    );
}

#[test]
fn dual_dialogue_stands_side_by_side() {
    let fountain = "INT. BAR - NIGHT\n\nBRICK\nScrew retirement.\n\nSTEEL ^\nScrew retirement.\n";
    let (_dir, path) = write_pdf("dual.pdf", fountain);
    let words = words(&path);
    let brick = words.iter().find(|w| w.text == "BRICK").expect("BRICK");
    let steel = words.iter().find(|w| w.text == "STEEL").expect("STEEL");
    assert!(
        near(brick.y_min, steel.y_min),
        "same line: {brick:?} {steel:?}"
    );
    assert!(steel.x_min > brick.x_max + INCH);
}

#[test]
fn emphasis_uses_the_courier_styles_and_markers_are_not_printed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fountain =
        "INT. ROOM - DAY\n\nShe is *very* **angry** and ***loud*** about _this_ \\*thing\\*.\n";
    let bytes = pdf::write(&parse(fountain)).expect("pdf");
    let raw = String::from_utf8_lossy(&bytes);
    for font in [
        "/F2 12 Tf",
        "/F3 12 Tf",
        "/F4 12 Tf",
        "CourierPrime-BoldItalic",
    ] {
        assert!(raw.contains(font), "{font} missing");
    }
    let path = dir.path().join("emphasis.pdf");
    std::fs::write(&path, &bytes).expect("save");
    let text = pages(&path).concat();
    assert!(
        text.contains("She is very angry and loud about this *thing*."),
        "{text}"
    );
}

#[test]
fn the_same_screenplay_gives_the_same_bytes() {
    let fountain = script::feature(10);
    let a = pdf::write(&parse(&fountain)).expect("first");
    let b = pdf::write(&parse(&fountain)).expect("second");
    assert_eq!(a, b);
    let raw = String::from_utf8_lossy(&a);
    assert!(!raw.contains("CreationDate") && !raw.contains("ModDate"));
}

#[test]
fn an_empty_screenplay_is_a_valid_one_page_pdf() {
    let (_dir, path) = write_pdf("empty.pdf", "");
    assert_eq!(page_count(&path), 1);
}

#[test]
fn odd_input_still_gives_a_readable_pdf() {
    let long_cue = "A".repeat(120);
    let long_word = "x".repeat(500);
    let parens: String = (0..70).map(|_| "(aside)\nword\n").collect();
    let fountain = format!(
        "Title:\n\n{long_cue}\n{long_word}\n\nJOSÉ ^\nСлово 日本 🎬 “quoted” — dash…\n\n\
         BOB\n{parens}\n>{long_word}<\n\n***\n\n_unclosed **mixed* markers_\n\n===\n===\n\n> CUT TO:\n"
    );
    let (_dir, path) = write_pdf("odd.pdf", &fountain);
    assert!(page_count(&path) >= 2);
    let text = pages(&path).concat();
    assert!(text.contains("JOSÉ"), "Latin-1 prints as is");
    assert!(
        text.contains("“quoted” — dash…"),
        "WinAnsi punctuation prints as is"
    );
}

fn pdf_options(paper: Paper, watermark: Option<&str>, header: Option<&str>) -> PdfOptions {
    PdfOptions {
        paper,
        watermark: watermark.map(str::to_owned),
        header: header.map(str::to_owned),
    }
}

fn export_to(
    dir: &Path,
    name: &str,
    fountain: &str,
    options: &PdfOptions,
) -> (PathBuf, pdf::PdfExport) {
    let export = pdf::export(&parse(fountain), options).expect("export pdf");
    let path = dir.join(name);
    std::fs::write(&path, &export.bytes).expect("save pdf");
    (path, export)
}

#[test]
fn greek_czech_and_russian_dialogue_print_exactly_in_an_embedded_font() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fountain = "INT. ΤΑΒΕΡΝΑ - NIGHT\n\nELENI\nΚαλησπέρα, φίλε μου· τι νέα;\n\nPAVEL\nŽluťoučký kůň úpěl ďábelské ódy.\n\nNATASHA\nСъешь ещё этих мягких булок.\n\nKENJI\n日本 🎬\n";
    let (path, export) = export_to(
        dir.path(),
        "languages.pdf",
        fountain,
        &PdfOptions::default(),
    );
    let text = pages(&path).concat();
    for line in [
        "Καλησπέρα, φίλε μου· τι νέα;",
        "Žluťoučký kůň úpěl ďábelské ódy.",
        "Съешь ещё этих мягких булок.",
        "INT. ΤΑΒΕΡΝΑ - NIGHT",
    ] {
        assert!(
            text.contains(line),
            "{line} is not printed as written:\n{text}"
        );
    }
    // What no embedded font has is named, not silently replaced.
    assert_eq!(export.missing, vec!['日', '本', '🎬']);
    // The app's fake backend (ui/tests/fakeBackend.ts) reports what lies at or above U+2E80:
    // the same characters.
    let beyond: std::collections::BTreeSet<char> = fountain
        .chars()
        .filter(|c| u32::from(*c) >= 0x2E80)
        .collect();
    assert_eq!(export.missing, beyond.into_iter().collect::<Vec<_>>());
    let fonts = run("pdffonts", &[path.to_str().expect("path")]);
    for face in ["CourierPrime", "LiberationMono"] {
        let row = fonts
            .lines()
            .find(|l| l.contains(face))
            .unwrap_or_else(|| panic!("{face} not in the file:\n{fonts}"));
        // name type encoding emb sub uni
        assert!(row.contains("CID TrueType"), "{row}");
        assert!(
            row.contains("yes yes yes"),
            "embedded, subset, with ToUnicode: {row}"
        );
    }
    assert!(
        !fonts.contains("Courier "),
        "no standard (unembedded) Courier: {fonts}"
    );
}

#[test]
fn every_scene_has_a_bookmark_and_the_title_and_author_are_in_the_metadata() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fountain = script::feature(12);
    let (path, export) = export_to(
        dir.path(),
        "bookmarks.pdf",
        &fountain,
        &PdfOptions::default(),
    );
    let headings = parse(&fountain)
        .elements
        .iter()
        .filter(|e| matches!(e, fountainai::fountain::Element::SceneHeading { .. }))
        .count();
    let raw = String::from_utf8_lossy(&export.bytes);
    assert!(raw.contains("/Type /Outlines"), "an outline");
    assert_eq!(
        raw.matches("/Dest [").count(),
        headings,
        "one bookmark per scene"
    );
    let html = run(
        "pdftohtml",
        &[
            "-stdout",
            "-i",
            "-s",
            "-noframes",
            path.to_str().expect("path"),
        ],
    );
    let first = parse(&fountain)
        .elements
        .iter()
        .find_map(|e| match e {
            fountainai::fountain::Element::SceneHeading { text, .. } => Some(text.to_string()),
            _ => None,
        })
        .expect("a scene");
    assert!(
        html.contains(first.trim_start_matches('.')),
        "the outline names {first}"
    );
    let info = run("pdfinfo", &[path.to_str().expect("path")]);
    assert!(info.contains("THE LONG NIGHT"), "{info}");
    assert!(info.contains("A. Writer"), "{info}");
    assert_eq!(
        page_count(&path),
        export.pages + 1,
        "the title page and the body pages"
    );
}

#[test]
fn a4_watermark_and_header_keep_the_layout_rules() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fountain = script::feature(20);
    let letter = pdf::export(&parse(&fountain), &PdfOptions::default()).expect("letter");
    let options = pdf_options(Paper::A4, Some("DRAFT"), Some("Blue revision"));
    let (path, a4) = export_to(dir.path(), "a4.pdf", &fountain, &options);
    assert!(
        a4.pages < letter.pages,
        "A4 holds more lines: {} vs {}",
        a4.pages,
        letter.pages
    );
    let info = run("pdfinfo", &[path.to_str().expect("path")]);
    assert!(info.contains("(A4)"), "A4 paper: {info}");
    let pages = pages(&path);
    assert!(pages[2].contains("Blue revision"), "{}", pages[2]);
    let raw = String::from_utf8_lossy(&a4.bytes);
    assert_eq!(
        raw.matches("/GS1 gs").count(),
        pages.len(),
        "the watermark is on every page"
    );
    let again = pdf::export(&parse(&fountain), &options).expect("again");
    assert_eq!(a4.bytes, again.bytes, "byte-identical across two exports");
}

#[test]
fn each_page_starts_where_the_paginator_says() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fountain = script::feature(15);
    let sp = parse(&fountain);
    let (path, export) = export_to(dir.path(), "starts.pdf", &fountain, &PdfOptions::default());
    let (count, breaks) = fountainai::screenplay::pages::breaks(&sp, Paper::Letter);
    assert_eq!(export.pages, count);
    let printed = pages(&path);
    assert_eq!(printed.len(), count + 1);
    let lines: Vec<&str> = fountain.lines().collect();
    for b in &breaks {
        // The page's first line after its number, against the source line it starts at.
        let page = &printed[b.page];
        let first = page
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .nth(1)
            .unwrap_or("");
        let source: String = lines[b.line - 1]
            .trim()
            .trim_start_matches(['.', '@', '!', '>'])
            .chars()
            .filter(|c| !matches!(c, '*' | '_'))
            .collect();
        let word = source.split_whitespace().next().unwrap_or("");
        // A page may open inside a paragraph split over two pages, or on a continued cue.
        assert!(
            first.contains(word) || source.contains(first) || first.ends_with("(CONT'D)"),
            "page {} starts with {first:?}, the source line {} is {source:?}",
            b.page,
            b.line
        );
    }
}

#[test]
fn scene_numbers_stand_in_both_margins_when_the_script_has_them() {
    let fountain = "INT. KITCHEN - NIGHT #1#\n\nThe kettle sings.\n\nEXT. GARDEN - DAY #12A#\n\nRain.\n\nINT. HALL - DAY\n\nNobody.\n";
    let (_dir, path) = write_pdf("numbers.pdf", fountain);
    let words = words(&path);
    let heading = |place: &str| {
        words
            .iter()
            .find(|w| w.text == place)
            .unwrap_or_else(|| panic!("{place} is printed"))
    };
    for (number, place) in [("1", "KITCHEN"), ("12A", "GARDEN")] {
        let row = heading(place).y_min;
        let mut beside: Vec<&Word> = words
            .iter()
            .filter(|w| w.text == number && near(w.y_min, row))
            .collect();
        beside.sort_by(|a, b| a.x_min.total_cmp(&b.x_min));
        assert_eq!(beside.len(), 2, "{number} on both sides: {beside:?}");
        // Final Draft: the left number at 0.75", the right one from 7.375", the heading at 1.5".
        assert!(near(beside[0].x_min, 0.75 * INCH), "{:?}", beside[0]);
        assert!(near(beside[1].x_min, 7.375 * INCH), "{:?}", beside[1]);
        assert!(beside[0].x_max < 1.5 * INCH && heading("INT.").x_min >= 1.45 * INCH);
    }
    // A heading without a number gets none invented.
    let row = heading("HALL").y_min;
    let others: Vec<&Word> = words
        .iter()
        .filter(|w| near(w.y_min, row) && !["INT.", "HALL", "-", "DAY"].contains(&w.text.as_str()))
        .collect();
    assert!(others.is_empty(), "{others:?}");
}
