//! Sheet music: the LilyPond back end's source engraves with the real `lilypond` (no errors, no
//! warnings) into a PDF and PNG pages, and says what a musician reads: keys, tempi, cue marks.

mod common;
#[path = "common/score.rs"]
mod score;
#[path = "common/tool.rs"]
mod tool;

use std::path::Path;
use std::process::Command;

use fountainai::document::load_document;
use fountainai::examples;
use fountainai::music::{lilypond, render};
use fountainai::scripts;
use fountainai::story::orchestrate;

/// Engraves `ly` the way the app does and returns lilypond's complaints, if any.
fn complaints(ly: &Path, out_dir: &Path) -> Vec<String> {
    let output = tool::run_ok(
        Command::new("lilypond")
            .args(["--pdf", "-o"])
            .arg(out_dir.join("check"))
            .arg(ly),
        "lilypond (scripts/setup.sh installs it)",
    );
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|l| {
            let l = l.to_lowercase();
            l.contains("warning") || l.contains("error")
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn a_score_engraves_into_pdf_and_png_without_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let ly = dir.path().join("score.ly");
    std::fs::write(&ly, lilypond::write(&score::two_cues())).unwrap();

    assert_eq!(complaints(&ly, dir.path()), Vec::<String>::new());
    let sheet = render::sheet_music(&ly, &dir.path().join("out")).unwrap();
    assert_eq!(sheet.pdf, dir.path().join("out/score.pdf"));
    assert!(std::fs::read(&sheet.pdf).unwrap().starts_with(b"%PDF"));
    assert!(!sheet.pngs.is_empty());
    for png in &sheet.pngs {
        assert!(
            std::fs::read(png).unwrap().starts_with(b"\x89PNG"),
            "{png:?}"
        );
    }
}

#[test]
fn the_sheet_shows_keys_tempi_cues_and_instruments() {
    let ly = lilypond::write(&score::two_cues());
    assert!(ly.starts_with("\\version \"2.24.0\""));
    for expected in [
        "\\key d \\dorian",
        "\\key bes \\major",
        "\\tempo 4 = 90",
        "\\tempo 4 = 120",
        "\\mark \"1M1\"",
        "\\mark \"1M2\"",
        "\\textMark \"INT. FRIAR \\\"LAURENCE'S\\\" CELL - DAY\"",
        "instrumentName = \"JULIET \\\"the sun\\\" \\\\ east\"",
        "midiInstrument = \"flute\"",
        "midiInstrument = \"pad 2 (warm)\"",
        "\\time 4/4",
        "\\layout {}",
        "\\midi {}",
    ] {
        assert!(ly.contains(expected), "missing {expected} in\n{ly}");
    }
    assert_eq!(ly.matches("\\new Staff").count(), 6, "one staff per track");
    // Romeo's D held over the bar line is tied; the Nurse's simultaneous notes are a chord.
    assert!(ly.contains("d''8~ |\n      d''4."), "{ly}");
    assert!(ly.contains("<d~ f~>4 <d f a~>4 a2"), "{ly}");
}

#[test]
fn the_same_score_gives_the_same_source() {
    assert_eq!(
        lilypond::write(&score::two_cues()),
        lilypond::write(&score::two_cues())
    );
}

#[tokio::test]
async fn a_composed_story_engraves_without_complaints() {
    let test = common::TestDb::new().await;
    let loaded = load_document(&test.db, &examples::romeo_and_juliet().unwrap())
        .await
        .unwrap();
    // Quotes and backslashes in a heading must not break the LilyPond source.
    scripts::add_section(
        &test.db,
        loaded.script_id,
        "EXT. \"BALCONY\" \\ ORCHARD - NIGHT",
    )
    .await
    .unwrap();
    let score = orchestrate::score(&test.db, loaded.script_id, Some(loaded.session_ids[0]))
        .await
        .unwrap();
    assert!(
        score.tracks.len() > 2,
        "a track per speaker and the underscore"
    );
    let ly = test.dir.path().join("story.ly");
    std::fs::write(&ly, lilypond::write(&score)).unwrap();

    assert_eq!(complaints(&ly, test.dir.path()), Vec::<String>::new());
}
