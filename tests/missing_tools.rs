//! Missing tools: without `lilypond` or `csound` on PATH, rendering says `tool_missing` and names
//! the apt package, and the source files it was given stay as they were.
//!
//! The only test in its binary, because it empties PATH for the whole process.

#[path = "common/score.rs"]
mod score;

use fountainai::music::{csound, lilypond, render};
use fountainai::Error;

#[test]
fn rendering_without_the_tools_names_the_packages_to_install() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("bin");
    std::fs::create_dir(&empty).unwrap();
    // SAFETY: no other thread runs in this test binary.
    std::env::set_var("PATH", &empty);
    let score = score::two_cues();
    let (ly, csd) = (dir.path().join("score.ly"), dir.path().join("score.csd"));
    std::fs::write(&ly, lilypond::write(&score)).unwrap();
    std::fs::write(&csd, csound::write(&score)).unwrap();

    let err = render::sheet_music(&ly, &dir.path().join("out")).unwrap_err();
    assert!(
        matches!(&err, Error::ToolMissing { tool, package } if tool == "lilypond" && package == "lilypond"),
        "{err:?}"
    );
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!(json["code"], "tool_missing");
    assert_eq!(
        json["message"],
        "lilypond is not installed (apt package lilypond)"
    );

    let wav = dir.path().join("score.wav");
    let err = render::csound_wav(&csd, &wav).unwrap_err();
    assert_eq!(err.code(), "tool_missing");
    assert!(err.to_string().contains("apt package csound"));

    assert_eq!(
        std::fs::read_to_string(&ly).unwrap(),
        lilypond::write(&score)
    );
    assert_eq!(
        std::fs::read_to_string(&csd).unwrap(),
        csound::write(&score)
    );
    assert!(!wav.exists());
}
