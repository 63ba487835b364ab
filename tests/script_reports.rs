//! Reports: a small script's figures counted by hand, the CSV tables, the CLI.

#[path = "common/cli.rs"]
mod cli;
mod common;

use common::Engine;
use common::TestDb;
use fountainai::screenplay::{self, Format};
use fountainai::sessions;
use fountainai::story::moods::{self, MoodDecision, MoodReview, SESSION_NAME};
use fountainai::story::report::{self, ReportTable};
use fountainai::Error;
use rstest::rstest;

/// Counted by hand as the PDF prints it (Letter, 54 rows a page; one blank row between
/// elements, two before a heading; Ben's long line wraps at 35 characters onto two rows):
/// DINER - NIGHT rows 0–10 (heading, blank, action, blank, cue, line, blank, cue, line, two
/// blanks) = 11 rows → 11 × 8 / 54 = 1.6 → 2 eighths; STREET rows 11–18 (heading, blank, cue,
/// parenthetical, two rows of line, two blanks) = 8 → 1.2 → 1; DINER - DAY rows 19–22 = 4 →
/// 0.6 → 1 (a scene is at least an eighth). Ana: 2 lines, 4 words, scenes 1 and 3; Ben: 2
/// lines, 13 words, scenes 1 and 2; 17 words in all.
const COUNTED: &str = "Title: Counted\n\nINT. DINER - NIGHT\n\nAna waits.\n\nANA\nWhere were \
you?\n\nBEN\nOut.\n\nEXT. STREET - DAY\n\nBEN\n(quietly)\nI was looking for the letter you \
never sent me last winter.\n\nINT. DINER - DAY\n\nANA\nCoffee?\n";

#[rstest]
#[tokio::test]
async fn a_small_scripts_figures_match_the_hand_count(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let summary = screenplay::import_text(&t.db, COUNTED, Format::Fountain)
        .await
        .unwrap();
    let session = sessions::list_sessions(&t.db, Some(summary.script_id))
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.context == SESSION_NAME)
        .unwrap();
    let first = report::report(&t.db, summary.script_id, None)
        .await
        .unwrap();
    let review = MoodReview {
        session_id: session.session_id,
        heading_id: Some(first.scenes[0].heading_id),
        decision: MoodDecision::Set,
        mood: Some("sadness".into()),
    };
    moods::review(&t.db, &review).await.unwrap();
    let r = report::report(&t.db, summary.script_id, Some(session.session_id))
        .await
        .unwrap();
    let totals = &r.totals;
    assert_eq!(
        (
            totals.eighths,
            totals.pages,
            totals.scenes,
            totals.speaking_parts
        ),
        (4, 0.5, 3, 2)
    );
    assert_eq!(
        (
            totals.dialogue_lines,
            totals.dialogue_words,
            totals.runtime_minutes
        ),
        (4, 17, 1)
    );
    let eighths: Vec<u64> = r.scenes.iter().map(|s| s.eighths).collect();
    assert_eq!(eighths, [2, 1, 1]);
    let scene = &r.scenes[0];
    assert_eq!(
        (
            scene.number,
            scene.location.as_str(),
            scene.time_of_day.as_str()
        ),
        (1, "DINER", "NIGHT")
    );
    assert_eq!(scene.speakers, ["ANA", "BEN"]);
    assert_eq!(scene.mood.as_deref(), Some("sadness"));
    assert_eq!(r.scenes[1].speakers, ["BEN"]);
    let ben = &r.characters[0];
    assert_eq!(
        (
            ben.name.as_str(),
            ben.lines,
            ben.words,
            ben.scenes,
            ben.first_scene,
            ben.last_scene
        ),
        ("BEN", 2, 13, 2, 1, 2)
    );
    assert_eq!(ben.dialogue_share, 76.5);
    let ana = &r.characters[1];
    assert_eq!(
        (
            ana.words,
            ana.first_scene,
            ana.last_scene,
            ana.dialogue_share
        ),
        (4, 1, 3, 23.5)
    );
    let places: Vec<(&str, usize, u64)> = r
        .locations
        .iter()
        .map(|l| (l.location.as_str(), l.scenes, l.eighths))
        .collect();
    assert_eq!(places, [("DINER", 2, 3), ("STREET", 1, 1)]);
    assert_eq!(
        report::csv(&r, ReportTable::Locations),
        "location,scenes,eighths\r\nDINER,2,3\r\nSTREET,1,1\r\n"
    );
    assert!(report::csv(&r, ReportTable::Scenes)
        .contains("1,INT. DINER - NIGHT,2,ANA; BEN,DINER,NIGHT,sadness\r\n"));
}

#[rstest]
#[tokio::test]
async fn the_opening_is_no_scene_and_a_missing_script_is_not_found(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let text = "FADE IN:\n\nINT. ROOM - DAY\n\nANA\nHi.\n";
    let summary = screenplay::import_text(&t.db, text, Format::Fountain)
        .await
        .unwrap();
    let r = report::report(&t.db, summary.script_id, None)
        .await
        .unwrap();
    assert_eq!(r.totals.scenes, 1);
    assert!(r.scenes[0].opening && r.scenes[0].number == 0);
    assert_eq!(r.scenes[1].number, 1);
    assert!(matches!(
        report::report(&t.db, 999, None).await,
        Err(Error::NotFound(_))
    ));
}

#[test]
fn the_cli_prints_the_report_and_its_tables_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("counted.fountain");
    std::fs::write(&file, COUNTED).unwrap();
    let imported = cli::ok(dir.path(), &["import", file.to_str().unwrap()]);
    let script = imported["scriptId"].to_string();
    let r = cli::ok(dir.path(), &["report", &script]);
    assert_eq!(r["totals"]["eighths"], 4);
    assert_eq!(r["characters"][0]["name"], "BEN");
    let out = cli::run(dir.path(), &["report", &script, "--csv", "characters"]);
    assert!(out.status.success());
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.starts_with("name,lines,words,scenes,dialogue share %,first scene,last scene\r\nBEN,2,13,2,76.5,1,2\r\n"), "{csv}");
}

/// The scenes' lengths add up to the pages the PDF prints: they come from the same paginator.
#[rstest]
#[tokio::test]
async fn a_features_scene_lengths_add_up_to_its_printed_pages(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let loaded =
        fountainai::document::load_document(&t.db, &fountainai::examples::feature_script(12))
            .await
            .unwrap();
    let printed = screenplay::pages(&t.db, loaded.script_id, Default::default())
        .await
        .unwrap()
        .count as f64;
    let r = report::report(&t.db, loaded.script_id, None).await.unwrap();
    assert!(printed >= 15.0, "{printed} pages");
    // Each scene rounds to its nearest eighth, so the sum may stray by half an eighth a scene.
    let slack = r.scenes.len() as f64 / 16.0 + 1.0;
    assert!(
        (r.totals.eighths as f64 / 8.0 - printed).abs() <= slack,
        "{} eighths for {printed} printed pages",
        r.totals.eighths
    );
    assert!(r
        .scenes
        .iter()
        .filter(|s| !s.opening)
        .all(|s| s.eighths >= 1));
}
