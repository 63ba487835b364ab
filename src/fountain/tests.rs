use super::*;
use std::borrow::Cow;

fn els(text: &str) -> Vec<Element<'_>> {
    parse(text).elements
}

/// (type, text) pairs: enough to check classification without restating every field.
fn kinds(text: &str) -> Vec<(String, String)> {
    els(text)
        .iter()
        .map(|e| {
            let v = serde_json::to_value(e).unwrap_or_default();
            let t = v["type"].as_str().unwrap_or_default().to_owned();
            (t, e.text().to_owned())
        })
        .collect()
}

fn k(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn scene_headings() {
    assert_eq!(
        kinds("INT. HOUSE - DAY\n\next. yard\n\nI/E CAR\n\nEST. CITY\n\nINT./EXT. DOOR"),
        k(&[
            ("scene_heading", "INT. HOUSE - DAY"),
            ("scene_heading", "ext. yard"),
            ("scene_heading", "I/E CAR"),
            ("scene_heading", "EST. CITY"),
            ("scene_heading", "INT./EXT. DOOR"),
        ])
    );
    // Needs a blank line before it.
    assert_eq!(
        kinds("He waits.\nINT. HOUSE"),
        k(&[("action", "He waits.\nINT. HOUSE")])
    );
    // "INTERIOR" is not a prefix followed by a dot or space.
    assert_eq!(kinds("INTERIOR DESIGN\n\nx")[0].0, "action");
}

#[test]
fn forced_heading_and_scene_numbers() {
    assert_eq!(
        els(".SNIPER SCOPE POV #1A#"),
        vec![Element::SceneHeading {
            text: "SNIPER SCOPE POV".into(),
            scene_number: Some("1A".into()),
            line: 1
        }]
    );
    assert_eq!(
        kinds("..not forced")[0],
        ("action".into(), "..not forced".into())
    );
    assert_eq!(kinds(". NOT")[0].0, "action");
    let e = els("INT. HALL #I-1-A#");
    assert!(matches!(&e[0], Element::SceneHeading { scene_number: Some(n), .. } if n == "I-1-A"));
    let e = els("INT. HALL #bad number#");
    assert!(
        matches!(&e[0], Element::SceneHeading { scene_number: None, text, .. } if text == "INT. HALL #bad number#")
    );
}

#[test]
fn action_paragraphs_keep_indentation_and_tabs() {
    assert_eq!(
        kinds("One.\n\tTabbed.\n    Spaced.\n\nTwo."),
        k(&[
            ("action", "One.\n    Tabbed.\n    Spaced."),
            ("action", "Two.")
        ])
    );
    assert_eq!(
        kinds("!INT. FORCED ACTION")[0],
        ("action".into(), "INT. FORCED ACTION".into())
    );
}

#[test]
fn character_and_dialogue() {
    let e = els("\nSTEEL (V.O.) (CONT'D)\nHello.\nAgain.");
    assert_eq!(
        e[0],
        Element::Character {
            text: "STEEL (V.O.) (CONT'D)".into(),
            name: "STEEL".into(),
            extension: Some("V.O.) (CONT'D".into()),
            dual: false,
            line: 2
        }
    );
    assert_eq!(
        e[1],
        Element::Dialogue {
            text: "Hello.\nAgain.".into(),
            line: 3
        }
    );
    assert_eq!(
        kinds("@McCLANE\nYippee")[0],
        ("character".into(), "McCLANE".into())
    );
    // Needs a non-blank line after it; needs a letter.
    assert_eq!(kinds("BOB\n\nHi")[0].0, "action");
    assert_eq!(kinds("23\nHi")[0].0, "action");
    assert_eq!(kinds("R2D2\nBeep")[0].0, "character");
    assert_eq!(kinds("Bob\nHi")[0].0, "action");
}

#[test]
fn two_spaces_continue_dialogue() {
    assert_eq!(
        kinds("FISH\nI am\n  \na fish.\n\nAction."),
        k(&[
            ("character", "FISH"),
            ("dialogue", "I am\n\na fish."),
            ("action", "Action.")
        ])
    );
}

#[test]
fn dual_dialogue_marks_both_cues() {
    let e = els("BRICK\nScrew retirement.\n\nSTEEL ^\nScrew retirement.");
    let duals: Vec<bool> = e
        .iter()
        .filter_map(|e| match e {
            Element::Character { dual, .. } => Some(*dual),
            _ => None,
        })
        .collect();
    assert_eq!(duals, vec![true, true]);
    // An element in between breaks the pair.
    let e = els("BRICK\nHi.\n\nHe leaves.\n\nSTEEL ^\nHi.");
    assert!(matches!(e[0], Element::Character { dual: false, .. }));
}

#[test]
fn parentheticals() {
    assert_eq!(
        kinds("STEEL\n(starting)\nGo!\n(pause)\n(again)\nNo."),
        k(&[
            ("character", "STEEL"),
            ("parenthetical", "(starting)"),
            ("dialogue", "Go!"),
            ("parenthetical", "(pause)"),
            ("dialogue", "(again)\nNo."),
        ])
    );
}

#[test]
fn transitions() {
    assert_eq!(
        kinds("CUT TO:\n\n> fade out\n\nCUT TO:  \n\nNOT TO:\nx"),
        k(&[
            ("transition", "CUT TO:"),
            ("transition", "fade out"),
            ("action", "CUT TO:  "),
            ("character", "NOT TO:"),
            ("dialogue", "x"),
        ])
    );
}

#[test]
fn centered_lyrics_sections_synopses_page_breaks() {
    assert_eq!(
        kinds("> THE END <\n\n~La la\n\n## Act *two*\n\n= Sum up\n\n====\n"),
        k(&[
            ("centered", "THE END"),
            ("lyrics", "La la"),
            ("section", "Act *two*"),
            ("synopsis", "Sum up"),
            ("page_break", ""),
        ])
    );
    assert!(matches!(
        els("### Deep")[0],
        Element::Section { depth: 3, .. }
    ));
}

#[test]
fn emphasis_and_escapes_are_kept() {
    let t = "He **dials** \\*69 and _waits_.";
    assert_eq!(kinds(t), k(&[("action", t)]));
}

#[test]
fn notes_inline_standalone_and_multiline() {
    assert_eq!(
        kinds("He waits[[check this]] here.\n\n[[Alone]]\n\nShe[[a\n  \nb]] goes."),
        k(&[
            ("action", "He waits here."),
            ("note", "check this"),
            ("note", "Alone"),
            ("action", "She goes."),
            ("note", "a\n  \nb"),
        ])
    );
    // A blank line ends a note (only a two-space line continues it); the stray `]]` after
    // it is text. An opener with no `]]` anywhere after it is text too.
    assert_eq!(
        kinds("A [[b\n\nc]] d"),
        k(&[("action", "A "), ("note", "b"), ("action", "c]] d")])
    );
    assert_eq!(kinds("A [[b")[0].1, "A [[b");
}

#[test]
fn boneyard_removed_even_across_lines() {
    // Cut from the text, kept as `boneyard` elements after the element they sat in.
    assert_eq!(
        kinds("One /* hidden */two.\n/*\nGONE\n*/\nThree."),
        k(&[
            ("action", "One two.\nThree."),
            ("boneyard", "hidden"),
            ("boneyard", "GONE")
        ])
    );
    // The spec's example: the removed lines count as the blank line before the heading,
    // but `CUT TO:` needs a real blank line after it (as fountain-tools reads it).
    assert_eq!(
        kinds("CUT TO:\n/*\nINT. GARAGE\n*/\nEXT. MANSION - DAY\n\nBeer."),
        k(&[
            ("action", "CUT TO:"),
            ("boneyard", "INT. GARAGE"),
            ("scene_heading", "EXT. MANSION - DAY"),
            ("action", "Beer.")
        ])
    );
    // Unclosed: literal text.
    assert_eq!(kinds("a /* b")[0].1, "a /* b");
}

#[test]
fn text_borrows_from_the_source_unless_rewritten() {
    let sp = parse("INT. A\n\nOne.\nTwo.\n\nBOB (V.O.)\nHi.\nThere.\n\nTab\there.");
    let borrowed = |c: &Cow<'_, str>| matches!(c, Cow::Borrowed(_));
    assert!(borrowed(sp.elements[1].text_cow()), "multi-line action");
    assert!(
        matches!(&sp.elements[2], Element::Character { text, name, extension: Some(e), .. }
        if borrowed(text) && borrowed(name) && borrowed(e))
    );
    assert!(borrowed(sp.elements[3].text_cow()), "multi-line dialogue");
    assert!(!borrowed(sp.elements[4].text_cow()), "tab expanded");
    // CRLF lines cannot be joined by borrowing, but the text is the same.
    assert_eq!(parse("One.\r\nTwo.").elements[0].text(), "One.\nTwo.");
    let owned = parse("INT. A").into_owned();
    assert_eq!(owned.elements[0].text(), "INT. A");
}

#[test]
fn tags_extension_is_opt_in() {
    let text = "INT. HALL #3# #night\n\nShe types #blessed #tag2\n\nDAVE #t\nHi. #d";
    // Plain Fountain keeps the words.
    assert_eq!(parse(text).elements[1].text(), "She types #blessed #tag2");
    let sp = parse_with(text, Options { tags: true });
    assert!(matches!(&sp.elements[0],
        Element::SceneHeading { text, scene_number: Some(n), .. } if text == "INT. HALL" && n == "3"));
    assert_eq!(sp.elements[1].text(), "She types");
    assert_eq!(sp.elements[2].text(), "DAVE");
    assert_eq!(sp.elements[3].text(), "Hi.");
    let tags: Vec<(usize, &str)> = sp
        .tags
        .iter()
        .map(|t| (t.element, t.text.as_ref()))
        .collect();
    assert_eq!(
        tags,
        vec![
            (0, "night"),
            (1, "blessed"),
            (1, "tag2"),
            (2, "t"),
            (3, "d")
        ]
    );
    let json = serde_json::to_string(&sp).unwrap_or_default();
    assert!(
        json.contains(r#""tags":[{"element":0,"text":"night"}"#),
        "{json}"
    );
    // No tags, no key: default output is unchanged.
    assert!(!serde_json::to_string(&parse(text))
        .unwrap_or_default()
        .contains("tags"));
}

#[test]
fn title_page() {
    let sp = parse(
        "Title:\n    _**BRICK**_\n    _**STEEL**_\nCredit: Written by\nDraft date: 1/20/2012\nAuthor: A\nAuthor: B\n\nINT. X",
    );
    assert_eq!(
        sp.title_page,
        vec![
            ("title".into(), "_**BRICK**_\n_**STEEL**_".into()),
            ("credit".into(), "Written by".into()),
            ("draftDate".into(), "1/20/2012".into()),
            ("author".into(), "A\nB".into()),
        ]
    );
    assert_eq!(sp.elements.len(), 1);
    // "FADE IN:" alone is not a title page.
    let sp = parse("FADE IN:\n\nINT. X");
    assert!(sp.title_page.is_empty());
    assert_eq!(sp.elements[0].text(), "FADE IN:");
    // A title page only at the very start.
    assert!(parse("\nTitle: X").title_page.is_empty());
}

#[test]
fn line_endings_bom_and_line_numbers() {
    let a = parse("\u{feff}INT. A\r\n\r\nText.\rMore.\n");
    let b = parse("INT. A\n\nText.\nMore.");
    assert_eq!(a, b);
    assert_eq!(b.elements[1].line(), 3);
}

#[test]
fn parse_bytes_reports_offset() {
    assert_eq!(
        parse_bytes(b"\xEF\xBB\xBFok\xFF"),
        Err(ParseError::InvalidUtf8 { offset: 5 })
    );
    let msg = ParseError::InvalidUtf8 { offset: 5 }.to_string();
    assert!(msg.contains("offset 5"), "{msg}");
    assert!(parse_bytes(b"INT. A").is_ok());
}

#[test]
fn json_shape() {
    let sp = parse("Title: T\nDraft date: D\n\nINT. A #1#\n\nBOB (V.O.)\nHi.");
    let v = serde_json::to_value(&sp).unwrap_or_default();
    assert_eq!(v["titlePage"]["draftDate"], "D");
    assert_eq!(v["elements"][0]["type"], "scene_heading");
    assert_eq!(v["elements"][0]["sceneNumber"], "1");
    assert_eq!(v["elements"][1]["extension"], "V.O.");
    assert_eq!(v["elements"][1]["dual"], false);
    assert!(v["elements"][2].get("extension").is_none());
    // Through a string: `Value` sorts keys, the string keeps title page order.
    let json = serde_json::to_string(&sp).unwrap_or_default();
    assert!(json.starts_with(r#"{"titlePage":{"title":"T","draftDate":"D"},"elements":[{"type":"scene_heading","text":"INT. A","sceneNumber":"1","line":4}"#), "{json}");
    let back: Screenplay = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(back, sp);
}

/// xorshift: deterministic and dependency-free.
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn never_panics_on_noise() {
    const PIECES: [&str; 24] = [
        "\n", "\r", "\r\n", "  ", "\t", "INT. ", ".", "!", "@", ">", "<", "~", "#", "=", "===",
        "[[", "]]", "/*", "*/", "^", "(", ")", "BOB", "é😆",
    ];
    let mut s = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..3000 {
        let mut text = String::new();
        for _ in 0..next(&mut s) % 40 {
            text.push_str(PIECES[(next(&mut s) % PIECES.len() as u64) as usize]);
        }
        let sp = parse(&text);
        assert!(serde_json::to_string(&sp).is_ok());
        let bytes: Vec<u8> = (0..next(&mut s) % 64).map(|_| next(&mut s) as u8).collect();
        let _ = parse_bytes(&bytes);
    }
}
