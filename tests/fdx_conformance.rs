//! FDX reading against other tools' samples (`tests/conformance/fdx/`, origins and licenses in
//! its README): Final Draft's and Fade In's exports open, and afterwriting's FDX → Fountain
//! pairs match.
//!
//! The pairs are compared as parsed element lists (type, text and attributes; not line
//! numbers): our FDX reader's elements against `fountain::parse` of the expected Fountain.
//! Comparing text would test blank-line and spacing conventions of afterwriting's writer,
//! which are not part of what the file means.

use std::path::PathBuf;

use fountainai::fountain::{self, Element, Screenplay};
use fountainai::screenplay::{read_fdx, write_fdx, write_fountain};

fn sample(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/conformance/fdx")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Elements without their source line numbers. Trailing spaces are dropped: the parser
/// keeps the space that stood before an inline note cut from an action (`Action. [[note]]`
/// gives `Action. `), which is layout, not content, and FDX has no such space.
fn elements(screenplay: &Screenplay<'_>) -> Vec<serde_json::Value> {
    screenplay
        .elements
        .iter()
        .map(|e| {
            let mut v = serde_json::to_value(e).unwrap();
            let o = v.as_object_mut().unwrap();
            o.remove("line");
            if let Some(serde_json::Value::String(t)) = o.get_mut("text") {
                *t = t.trim_end().to_string();
            }
            v
        })
        .collect()
}

fn assert_same_elements(fdx: &str, fountain_file: &str) {
    let ours = read_fdx(&sample(fdx)).unwrap();
    let text = sample(fountain_file);
    let expected = fountain::parse(&text);
    assert_eq!(
        elements(&ours),
        elements(&expected),
        "{fdx} vs {fountain_file}"
    );
}

#[test]
fn afterwriting_note_in_a_scene_heading() {
    assert_same_elements("header_note.fdx", "header_note.fountain");
}

#[test]
fn afterwriting_note_in_action() {
    assert_same_elements("note.fdx", "note.fountain");
}

#[test]
fn afterwriting_synopsis() {
    assert_same_elements("synopsis.fdx", "synopsis.fountain");
}

#[test]
fn final_draft_sample_opens_as_its_fountain() {
    assert_same_elements("TestFDX-FD.fdx", "TestFDX-FD.fountain");
    let title = read_fdx(&sample("TestFDX-FD.fdx")).unwrap().title_page;
    assert_eq!(title[0], ("title".into(), "_FDX Test Script_".into()));
    assert!(title.contains(&("author".into(), "Ian".into())));
}

#[test]
fn fade_in_sample_opens_as_its_fountain() {
    assert_same_elements("TestFDX-FI.fdx", "TestFDX-FI.fountain");
    let title = read_fdx(&sample("TestFDX-FI.fdx")).unwrap().title_page;
    assert!(title.contains(&("author".into(), "Ian".into())));
}

#[test]
fn another_writers_fdx_opens() {
    let sp = read_fdx(&sample("TestFDX-FD-Write-py.fdx")).unwrap();
    let kinds: Vec<&str> = sp
        .elements
        .iter()
        .map(|e| match e {
            Element::SceneHeading { .. } => "heading",
            Element::Character { .. } => "character",
            Element::Dialogue { .. } => "dialogue",
            Element::Action { .. } => "action",
            Element::Parenthetical { .. } => "parenthetical",
            Element::Transition { .. } => "transition",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "heading").count(), 2);
    assert_eq!(kinds.iter().filter(|k| **k == "character").count(), 4);
    assert!(!kinds.contains(&"other"));
}

#[test]
fn styled_runs_become_emphasis_and_back() {
    let fdx = r#"<?xml version="1.0" encoding="UTF-8"?>
<FinalDraft DocumentType="Script" Template="No" Version="5"><Content>
<Paragraph Type="Action"><Text>He is </Text><Text Style="Bold">very</Text><Text> </Text><Text Style="Italic+Underline">tired</Text><Text> of 5*3 &amp; snake_case.</Text></Paragraph>
<Paragraph><DualDialogue>
<Paragraph Type="Character"><Text>BRICK</Text></Paragraph><Paragraph Type="Dialogue"><Text>Screw retirement.</Text></Paragraph>
<Paragraph Type="Character"><Text>STEEL</Text></Paragraph><Paragraph Type="Dialogue"><Text>Screw retirement.</Text></Paragraph>
</DualDialogue></Paragraph>
<Paragraph Type="Shot"><Text>ANGLE ON THE DOOR</Text></Paragraph>
<Paragraph Type="Action" StartsNewPage="Yes"><Text>New page.</Text></Paragraph>
</Content></FinalDraft>"#;
    let sp = read_fdx(fdx).unwrap();
    assert_eq!(
        sp.elements[0].text(),
        "He is **very** _*tired*_ of 5\\*3 & snake\\_case."
    );
    let duals: Vec<bool> = sp
        .elements
        .iter()
        .filter_map(|e| match e {
            Element::Character { dual, .. } => Some(*dual),
            _ => None,
        })
        .collect();
    assert_eq!(duals, vec![true, true]);
    assert!(matches!(sp.elements[5], Element::Action { .. }));
    assert!(matches!(sp.elements[6], Element::PageBreak { .. }));
    // Written back as FDX and read again: the same elements.
    let written = write_fdx(&sp).unwrap();
    assert!(
        written.contains(r#"<Text Style="Bold">very</Text>"#),
        "{written}"
    );
    assert_eq!(elements(&read_fdx(&written).unwrap()), elements(&sp));
    // As Fountain, the same elements too (the `^` pairs the two cues).
    let text = write_fountain(&sp);
    assert!(text.contains("STEEL ^\n"), "{text}");
    assert_eq!(elements(&fountain::parse(&text)), elements(&sp));
}

#[test]
fn not_fdx_is_rejected() {
    assert_eq!(
        read_fdx("<html></html>").unwrap_err().code(),
        "invalid_input"
    );
    assert_eq!(
        read_fdx("<FinalDraft><Content></Paragraph>")
            .unwrap_err()
            .code(),
        "invalid_input"
    );
    assert_eq!(read_fdx("plain text").unwrap_err().code(), "invalid_input");
}
