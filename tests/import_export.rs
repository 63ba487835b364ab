//! Import and export of screenplays: Fountain in, the five services filled, Fountain and FDX
//! out, and back in unchanged.

mod common;

use common::Engine;
use rstest::rstest;
use std::process::Command;

use common::{import_fountain, rejected, TestDb};
use fountainai::document::load_document;
use fountainai::examples::feature_script;
use fountainai::screenplay::{self, Format};
use fountainai::sequence::{self, ElementType};
use fountainai::{Database, Error};

/// Every Fountain element kind, and the cases where plain text would read as another one.
pub const EVERYTHING: &str = "\
Title:
    _**BRICK & STEEL**_
    _**FULL RETIRED**_
Credit: Written by
Author: Stu Maschwitz
Source: Story by KTM
Draft date: 1/20/2012
Contact:
    Next Level Productions
    1588 Mission Dr.

FADE IN:

[[A note before the first scene.]]

# ACT ONE

## The heist

= Brick and Steel get their money back.

EXT. BRICK'S PATIO - DAY #1#

A gorgeous day.  The sun is shining.  But BRICK BRADDOCK, retired police detective, is sitting quietly, contemplating -- something.

    Indented action keeps its indent.
And a second line.

The SCREEN DOOR slides open and DICK STEEL, his former partner and fellow retiree, emerges with two cold beers.

STEEL
Beer's ready!

BRICK
Are they cold?

STEEL
(pause)
Does a bear crap in the woods?
(beat)
Yes.

BRICK
Screw retirement.

STEEL ^
Screw retirement.

@McCLANE (V.O.)
Yippee ki-yay.

HANS (O.S.) (CONT'D)
I am *very* **annoyed** and _underlined_ \\*not emphasis\\*.

SINGER
~Somewhere over the rainbow
~Way up high

FISH
I am a fish
  
that talks.

!BRICK AND STEEL
Lower case words follow: an action forced from a cue.

CUT TO:

> Burn to white.

.SNIPER SCOPE POV #2A#

From what seems like only INCHES AWAY.  _Steel's face FILLS the *Leupold Mark 4* scope_.

> THE END <

He waits[[check this]] here.

/* A cut scene
that nobody sees. */

===

INT. GARAGE - NIGHT

~A lyric on its own.

[[Multi-line
  
note]]

FADE TO BLACK.
";

async fn rows(db: &Database, script_id: i64) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT h.title || '|' || COALESCE(h.scene_number, '') || '|' || \
                CASE WHEN h.untitled THEN 1 ELSE 0 END || '|' || \
                COALESCE(e.kind, '') || '|' || COALESCE(e.text, '') || '|' || COALESCE(c.name, '') || '|' || \
                COALESCE(e.parenthetical, '') || '|' || COALESCE(e.extension, '') || '|' || \
                COALESCE(CAST(CASE WHEN e.dual THEN 1 WHEN NOT e.dual THEN 0 END AS TEXT), '') || '|' || \
                COALESCE(CAST(CASE WHEN e.continues THEN 1 WHEN NOT e.continues THEN 0 END AS TEXT), '') || '|' || \
                COALESCE(CAST(e.depth AS TEXT), '') \
         FROM section_headings h LEFT JOIN elements e USING (heading_id) \
         LEFT JOIN characters c ON c.character_id = e.character_id \
         WHERE h.script_id = $1 ORDER BY h.sequence_number, e.sequence_number",
    )
    .bind(script_id)
    .fetch_all(db.pool())
    .await
    .expect("rows")
}

async fn round_trip(db: &Database, text: &str) -> (i64, i64) {
    let first = screenplay::import_text(db, text, Format::Fountain)
        .await
        .expect("import");
    let exported = screenplay::fountain_text(db, first.script_id)
        .await
        .expect("export");
    let second = screenplay::import_text(db, &exported, Format::Fountain)
        .await
        .expect("re-import");
    assert_eq!(
        rows(db, first.script_id).await,
        rows(db, second.script_id).await,
        "export:\n{exported}"
    );
    (first.script_id, second.script_id)
}

#[rstest]
#[tokio::test]
async fn import_maps_every_element_onto_the_services(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let summary = screenplay::import_text(&t.db, EVERYTHING, Format::Fountain)
        .await
        .unwrap();
    // The untitled opening, three scenes.
    assert_eq!(summary.sections, 4);
    // BRICK, STEEL, McCLANE, HANS, SINGER, FISH: extensions do not make new characters.
    assert_eq!(summary.characters, 6);
    let script = fountainai::scripts::get_script(&t.db, summary.script_id)
        .await
        .unwrap();
    assert_eq!(script.title, "BRICK & STEEL FULL RETIRED");
    assert_eq!(script.author, "Stu Maschwitz");
    assert!(script.description.contains("draftDate: 1/20/2012"));
    let rows = rows(&t.db, summary.script_id).await;
    assert_eq!(rows.len(), summary.elements);
    for needle in [
        "(before the first scene)||1|action|FADE IN:|",
        "|section|ACT ONE||||0|0|1",
        "|section|The heist||||0|0|2",
        "EXT. BRICK'S PATIO - DAY|1|0|dialogue|Does a bear crap in the woods?|STEEL|pause||0|0|",
        "|dialogue|Yes.|STEEL|beat||0|1|",
        "|dialogue|Screw retirement.|STEEL|||1|0|",
        "|dialogue|Yippee ki-yay.|McCLANE||V.O.|0|0|",
        "|lyrics|Way up high|SINGER|||0|1|",
        "|action|BRICK AND STEEL\nLower case words follow: an action forced from a cue.|",
        "SNIPER SCOPE POV|2A|0|",
        "|boneyard|A cut scene\nthat nobody sees.|",
        "|page_break||",
    ] {
        assert!(
            rows.iter().any(|r| r.contains(needle)),
            "no row has {needle:?}"
        );
    }
}

#[rstest]
#[tokio::test]
async fn fountain_round_trip_keeps_every_element_and_is_deterministic(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let (a, b) = round_trip(&t.db, EVERYTHING).await;
    let first = screenplay::export(&t.db, a, Format::Fountain)
        .await
        .unwrap();
    let again = screenplay::export(&t.db, a, Format::Fountain)
        .await
        .unwrap();
    let other = screenplay::export(&t.db, b, Format::Fountain)
        .await
        .unwrap();
    assert_eq!(first, again);
    assert_eq!(first, other, "a re-imported export exports the same bytes");
}

#[rstest]
#[tokio::test]
async fn the_generated_feature_script_round_trips(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let loaded = load_document(&t.db, &feature_script(12)).await.unwrap();
    let text = screenplay::fountain_text(&t.db, loaded.script_id)
        .await
        .unwrap();
    let (a, _) = round_trip(&t.db, &text).await;
    let summary = rows(&t.db, a).await;
    assert_eq!(summary.len(), loaded.elements);
}

#[rstest]
#[tokio::test]
async fn actions_that_look_like_other_elements_are_forced(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let script = common::script(&t.db, "Forcing").await;
    let scene = common::section(&t.db, script.script_id, "Kitchen").await;
    for text in [
        "INT. NOT A HEADING",
        "SHOUTING",
        "SMASH CUT TO:",
        "> not a transition",
        "~ not a lyric",
        "= not a synopsis",
        "# not a section",
    ] {
        common::add(
            &t.db,
            scene.heading_id,
            fountainai::scripts::ElementKind::Action,
            None,
            text,
        )
        .await;
    }
    common::add(
        &t.db,
        scene.heading_id,
        fountainai::scripts::ElementKind::Transition,
        None,
        "Fade out.",
    )
    .await;
    let bob = common::character(&t.db, script.script_id, "Bob").await;
    fountainai::scripts::add_element(
        &t.db,
        scene.heading_id,
        fountainai::scripts::NewElement {
            kind: fountainai::scripts::ElementKind::Dialogue,
            text: "Lower-case name.".into(),
            character_id: Some(bob.character_id),
            parenthetical: Some("softly".into()),
            position: None,
        },
    )
    .await
    .unwrap();
    let text = screenplay::fountain_text(&t.db, script.script_id)
        .await
        .unwrap();
    assert!(text.contains(".Kitchen\n"), "{text}");
    assert!(text.contains("!INT. NOT A HEADING\n"), "{text}");
    assert!(text.contains("> Fade out.\n"), "{text}");
    assert!(
        text.contains("@Bob\n(softly)\nLower-case name.\n"),
        "{text}"
    );
    let again = screenplay::import_text(&t.db, &text, Format::Fountain)
        .await
        .unwrap();
    let mut before = rows(&t.db, script.script_id).await;
    let mut after = rows(&t.db, again.script_id).await;
    // The hand-made scene has no scene heading line of its own, so drop the titles' dot.
    before
        .iter_mut()
        .for_each(|r| *r = r.replacen("Kitchen", "K", 1));
    after
        .iter_mut()
        .for_each(|r| *r = r.replacen("Kitchen", "K", 1));
    assert_eq!(before, after);
}

#[rstest]
#[tokio::test]
async fn fdx_export_re_imports_identically_and_is_deterministic(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let first = screenplay::import_text(&t.db, EVERYTHING, Format::Fountain)
        .await
        .unwrap();
    let fdx = screenplay::export(&t.db, first.script_id, Format::Fdx)
        .await
        .unwrap();
    assert_eq!(
        fdx,
        screenplay::export(&t.db, first.script_id, Format::Fdx)
            .await
            .unwrap()
    );
    let fdx = String::from_utf8(fdx).unwrap();
    let second = screenplay::import_text(&t.db, &fdx, Format::Fdx)
        .await
        .unwrap();
    assert_eq!(
        rows(&t.db, first.script_id).await,
        rows(&t.db, second.script_id).await,
        "{fdx}"
    );
    // The script part comes back byte for byte; the title page is laid out, not keyed, in
    // FDX, so its keys are read back by position (title, credit, author, contact).
    let again = screenplay::export(&t.db, second.script_id, Format::Fdx)
        .await
        .unwrap();
    let again = String::from_utf8(again).unwrap();
    let content = |s: &str| {
        s.split("<TitlePage>")
            .next()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(content(&fdx), content(&again));
}

#[tokio::test]
async fn import_file_reads_fountain_and_fdx_and_names_bad_bytes() {
    let t = TestDb::new().await;
    let dir = t.dir.path();
    let fountain = dir.join("Night Shift.fountain");
    std::fs::write(&fountain, "INT. HALL - NIGHT\n\nQuiet.\n").unwrap();
    let s = screenplay::import_file(&t.db, &fountain).await.unwrap();
    let script = fountainai::scripts::get_script(&t.db, s.script_id)
        .await
        .unwrap();
    assert_eq!(script.title, "Night Shift");
    let fdx = dir.join("sample.xml");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/conformance/fdx/TestFDX-FI.fdx"
        ),
        &fdx,
    )
    .unwrap();
    let s = screenplay::import_file(&t.db, &fdx).await.unwrap();
    assert_eq!((s.sections, s.characters), (2, 4));
    let bad = dir.join("bad.fountain");
    std::fs::write(&bad, b"INT. HALL\n\nCaf\xe9.\n").unwrap();
    let err = rejected(screenplay::import_file(&t.db, &bad).await, "invalid_input");
    assert!(err.to_string().contains("byte offset 14"), "{err}");
    rejected(
        screenplay::import_file(&t.db, &dir.join("nope.fountain")).await,
        "io",
    );
    let broken = screenplay::import_text(&t.db, "<FinalDraft><Content>", Format::Fdx).await;
    assert!(matches!(broken, Err(Error::InvalidInput(_))), "{broken:?}");
}

fn cli(db: &std::path::Path, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_fountainai"))
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run fountainai");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn cli_imports_and_exports() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    let out = cli(&db, &["import", "-"], Some(EVERYTHING));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["sections"], 4);
    assert_eq!(summary["characters"], 6);
    let id = summary["scriptId"].to_string();
    let out = cli(
        &db,
        &["export", &id, "--format", "fountain", "-o", "-"],
        None,
    );
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("Title:\n    _**BRICK & STEEL**_"),
        "{text}"
    );
    let file = dir.path().join("out.fdx");
    let out = cli(
        &db,
        &[
            "export",
            &id,
            "--format",
            "fdx",
            "-o",
            file.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success());
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .contains("<FinalDraft"));
    let out = cli(&db, &["export", &id, "--format", "docx", "-o", "-"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid_input"));
    let out = cli(
        &db,
        &[
            "import",
            dir.path().join("missing.fountain").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"io\""));
    let bad = dir.path().join("bad.fountain");
    std::fs::write(&bad, b"\xff").unwrap();
    let out = cli(&db, &["import", bad.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("byte offset 0"));
}

/// EVERYTHING imported into a database of its own: the script's id and its Fountain export.
async fn imported() -> (TestDb, i64, String) {
    let t = TestDb::new().await;
    let id = import_fountain(&t.db, EVERYTHING).await;
    let saved = fountain(&t.db, id).await;
    (t, id, saved)
}

/// Takes a version of what `ty` and `id` name.
async fn version(db: &Database, ty: ElementType, id: i64, comment: &str) {
    sequence::create_version(db, ty, id, comment)
        .await
        .expect("take a version");
}

/// Restores the first version of what `ty` and `id` name; `what` says which in a failure.
async fn restore_first(db: &Database, ty: ElementType, id: i64, what: &str) {
    sequence::restore_version(db, ty, id, 1)
        .await
        .unwrap_or_else(|e| panic!("{what}: {e}"));
}

async fn fountain(db: &Database, script_id: i64) -> String {
    screenplay::fountain_text(db, script_id)
        .await
        .expect("export")
}

async fn element_with_text(db: &Database, script_id: i64, text: &str) -> (i64, i64) {
    sqlx::query_as(
        "SELECT e.element_id, e.heading_id FROM elements e JOIN section_headings h USING (heading_id) \
         WHERE h.script_id = $1 AND e.text = $2",
    )
    .bind(script_id)
    .bind(text)
    .fetch_one(db.pool())
    .await
    .expect("the element")
}

/// The text with the formatting Fountain adds beyond the services' fields changed: title page,
/// scene number, section depth, dual dialogue, cue extensions.
fn reformatted(text: &str) -> String {
    let edited = text
        .replace("Author: Stu Maschwitz", "Author: Someone Else")
        .replace("#1#", "#9#")
        .replace("## The heist", "# The heist")
        .replace("STEEL ^", "STEEL")
        .replace("McCLANE (V.O.)", "McCLANE (O.S.)")
        .replace("HANS (O.S.) (CONT'D)", "HANS");
    assert_ne!(edited, text, "the edit must change something");
    edited
}

#[tokio::test]
async fn a_restored_version_exports_the_screenplay_it_saved() {
    let (t, id, saved) = imported().await;
    let (_, patio) = element_with_text(&t.db, id, "Yippee ki-yay.").await;
    version(&t.db, ElementType::Script, id, "draft").await;
    version(&t.db, ElementType::Section, patio, "scene").await;

    // The whole script.
    screenplay::sync(&t.db, id, &reformatted(&saved))
        .await
        .expect("edit");
    assert_ne!(fountain(&t.db, id).await, saved);
    restore_first(&t.db, ElementType::Script, id, "restore the script").await;
    assert_eq!(fountain(&t.db, id).await, saved);

    // One scene: its dual dialogue, extensions and scene number come back.
    screenplay::sync(&t.db, id, &reformatted(&saved))
        .await
        .expect("edit again");
    restore_first(&t.db, ElementType::Section, patio, "restore the scene").await;
    let restored = fountain(&t.db, id).await;
    for kept in ["#1#", "STEEL ^", "McCLANE (V.O.)", "HANS (O.S.) (CONT'D)"] {
        assert!(
            restored.contains(kept),
            "{kept:?} not restored:\n{restored}"
        );
    }
    assert!(
        restored.contains("Author: Someone Else"),
        "outside the scene stays"
    );
}

#[tokio::test]
async fn a_restored_line_gets_its_cue_extension_back() {
    let (t, id, saved) = imported().await;
    let (line, _) = element_with_text(&t.db, id, "Yippee ki-yay.").await;
    version(&t.db, ElementType::Element, line, "line").await;
    screenplay::sync(
        &t.db,
        id,
        &saved.replace("McCLANE (V.O.)", "McCLANE (O.S.)"),
    )
    .await
    .expect("edit");
    assert_eq!(
        element_with_text(&t.db, id, "Yippee ki-yay.").await.0,
        line,
        "the edit keeps the line"
    );
    restore_first(&t.db, ElementType::Element, line, "restore the line").await;
    assert_eq!(fountain(&t.db, id).await, saved);
}

/// Removes every `format` key, as in versions saved before formats were kept.
fn without_formats(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.remove("format");
            map.values_mut().for_each(without_formats);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(without_formats),
        _ => {}
    }
}

#[tokio::test]
async fn an_older_version_without_formats_restores_its_text_and_keeps_the_formatting() {
    let (t, id, saved) = imported().await;
    let mut old = sequence::create_version(&t.db, ElementType::Script, id, "old")
        .await
        .expect("version")
        .data;
    without_formats(&mut old);
    sqlx::query("UPDATE versions SET data = CAST($1 AS json_text) WHERE element_type = 'script' AND element_id = $2")
        .bind(old.to_string())
        .bind(id)
        .execute(t.db.pool())
        .await
        .expect("make the version an old one");
    let edited = saved
        .replace("STEEL ^", "STEEL")
        .replace("Yippee ki-yay.", "Yippee.");
    screenplay::sync(&t.db, id, &edited).await.expect("edit");
    restore_first(&t.db, ElementType::Script, id, "restore").await;
    let restored = fountain(&t.db, id).await;
    assert!(restored.contains("Yippee ki-yay."), "the text comes back");
    assert!(
        !restored.contains("STEEL ^"),
        "the formatting stays as it is now"
    );
}

#[rstest]
#[tokio::test]
async fn forced_headings_stay_headings_after_an_unchanged_save(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    // The parser reads neither as a heading without the `.`; the writer must keep it.
    let text =
        "FADE IN:\n\n.EXT/INT. CAR - DAY\n\nThey drive.\n\n.E/I. DOOR - NIGHT\n\nIt opens.\n";
    let (id, _) = round_trip(&t.db, text).await;
    let before = rows(&t.db, id).await;
    let saved = fountain(&t.db, id).await;
    screenplay::sync(&t.db, id, &saved)
        .await
        .expect("save unchanged");
    assert_eq!(rows(&t.db, id).await, before, "saved:\n{saved}");
}

#[rstest]
#[tokio::test]
async fn a_cue_that_names_nobody_makes_no_nameless_character(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let id = screenplay::import_text(&t.db, "INT. ROOM - DAY\n\n@\nHello?\n", Format::Fountain)
        .await
        .expect("import")
        .script_id;
    let cast = fountainai::characters::list_characters(&t.db, id)
        .await
        .expect("characters");
    assert!(cast.iter().all(|c| !c.name.trim().is_empty()), "{cast:?}");
    assert!(
        fountain(&t.db, id).await.contains("Hello?"),
        "the line is kept"
    );
}

#[rstest]
#[tokio::test]
async fn a_line_of_only_a_parenthetical_can_be_edited(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let id = screenplay::import_text(&t.db, "INT. ROOM - DAY\n\nBOB\n(beat)\n", Format::Fountain)
        .await
        .expect("import")
        .script_id;
    let (line, _) = element_with_text(&t.db, id, "").await;
    let updated = fountainai::scripts::update_element(
        &t.db,
        line,
        fountainai::scripts::ElementUpdate {
            parenthetical: Some("long beat".into()),
            ..Default::default()
        },
    )
    .await
    .expect("edit the parenthetical");
    assert_eq!(updated.parenthetical.as_deref(), Some("long beat"));
    assert!(fountain(&t.db, id).await.contains("(long beat)"));
}

/// Every `.fountain` file under a folder, in name order.
fn fountain_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            fountain_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "fountain") {
            out.push(path);
        }
    }
}

/// Imports a file and exports it unchanged: the bytes it had (a BOM aside).
async fn assert_exports_as_written(db: &Database, name: &str, bytes: &[u8], id: i64) {
    let out = screenplay::export(db, id, Format::Fountain).await.unwrap();
    let written = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    assert_eq!(
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(written),
        "{name} came back rewritten"
    );
    assert_eq!(
        screenplay::fountain_text(db, id).await.unwrap().as_bytes(),
        written,
        "{name}: the editor shows what was written"
    );
}

#[rstest]
#[tokio::test]
async fn an_unchanged_fountain_file_exports_byte_for_byte(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let mut files = Vec::new();
    fountain_files(std::path::Path::new("tests/conformance"), &mut files);
    assert!(files.len() >= 20, "{files:?}");
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let id = screenplay::import_file(&t.db, path)
            .await
            .unwrap()
            .script_id;
        assert_exports_as_written(&t.db, &path.display().to_string(), &bytes, id).await;
    }
    for (name, text) in [
        ("EVERYTHING", EVERYTHING),
        ("tabs and ====", TABS_AND_BREAKS),
    ] {
        let id = import_fountain(&t.db, text).await;
        assert_exports_as_written(&t.db, name, text.as_bytes(), id).await;
    }
}

/// What the writer of Big Fish's file did and the export used to rewrite: tab-indented title
/// page values, a long page break, capitals and bold transitions that need no forcing mark.
const TABS_AND_BREAKS: &str = "Title:\n\tBIG FISH\nCredit:\twritten by\nAuthor:\tJohn August\n\n\
**FADE IN:**\n\nA RIVER.\n\nWe're underwater, watching a fat catfish swim along.\n\n====\n\n\
INT. WILL'S BEDROOM - NIGHT (1973)\n\nWILL (V.O.)\nThere are some fish that cannot be caught.\n";

#[rstest]
#[tokio::test]
async fn the_generated_feature_script_exports_byte_for_byte(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let loaded = load_document(&t.db, &feature_script(40)).await.unwrap();
    let text = screenplay::fountain_text(&t.db, loaded.script_id)
        .await
        .unwrap();
    let id = import_fountain(&t.db, &text).await;
    assert_exports_as_written(&t.db, "feature", text.as_bytes(), id).await;
}

/// The lines of `a` that `b` does not have at the same place, and the other way round.
fn changed_lines(a: &str, b: &str) -> Vec<String> {
    let diff = similar::TextDiff::from_lines(a, b);
    diff.iter_all_changes()
        .filter(|c| c.tag() != similar::ChangeTag::Equal)
        .map(|c| format!("{}{}", c.tag(), c.value()))
        .collect()
}

#[rstest]
#[tokio::test]
async fn editing_one_line_changes_only_that_line_of_the_export(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let db = &t.db;
    let id = import_fountain(db, TABS_AND_BREAKS).await;
    // A structured edit (the Script view's line editor).
    let sections = fountainai::scripts::list_sections(db, id).await.unwrap();
    let last = sections.last().unwrap().heading_id;
    let line = fountainai::scripts::list_elements(db, last).await.unwrap()[0].clone();
    fountainai::scripts::update_element(
        db,
        line.element_id,
        fountainai::scripts::ElementUpdate {
            text: Some("There are some fish that will not be caught.".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let out = screenplay::fountain_text(db, id).await.unwrap();
    assert_eq!(
        changed_lines(TABS_AND_BREAKS, &out),
        [
            "-There are some fish that cannot be caught.\n",
            "+There are some fish that will not be caught.\n"
        ]
    );
    // An edit in the editor: the export is the editor's text.
    let edited = out.replace("A RIVER.", "A WIDE RIVER.");
    screenplay::sync(db, id, &edited).await.unwrap();
    assert_eq!(screenplay::fountain_text(db, id).await.unwrap(), edited);
}

#[tokio::test]
async fn an_export_into_a_file_says_its_pages_and_what_the_font_cannot_print() {
    let t = TestDb::new().await;
    let id = import_fountain(
        &t.db,
        "INT. KITCHEN - NIGHT\n\nELENI\nΚαλησπέρα, Čapek, Жизнь. 你好!\n",
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("kitchen.pdf");
    let options = screenplay::pdf::PdfOptions::default();
    let exported = screenplay::export_to(&t.db, id, Format::Pdf, &options, &pdf)
        .await
        .unwrap();
    assert_eq!(exported.pages, Some(1));
    // Greek, Czech and Russian print; the app names the two it cannot.
    assert_eq!(exported.missing, ["你", "好"]);
    assert_eq!(std::fs::read(&pdf).unwrap().len(), exported.bytes);

    let text = dir.path().join("kitchen.fountain");
    let exported = screenplay::export_to(&t.db, id, Format::Fountain, &options, &text)
        .await
        .unwrap();
    assert_eq!((exported.pages, exported.missing.len()), (None, 0));
    assert_eq!(
        std::fs::read_to_string(&text).unwrap(),
        fountain(&t.db, id).await
    );
    // Written through a temp file and renamed: only the two exports are left.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

/// A title page and a version's snapshot as the database keeps them: spacing, key order,
/// escapes and unicode come back as they were written, on both engines (PostgreSQL stores them
/// in its own `json` type, which keeps the text; `jsonb` would not).
#[rstest]
#[tokio::test]
async fn a_title_page_and_a_version_keep_their_json_byte_for_byte(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let title_page = "[ [\"Title\" , \"Caf\\u00e9 \u{2615} \u{201c}Noir\u{201d}\"],\n  [\"Author\",\"Zo\u{eb}\"] ]";
    let doc = fountainai::document::ScriptDocument {
        title: "Noir".into(),
        title_page: Some(title_page.into()),
        ..Default::default()
    };
    let id = load_document(&t.db, &doc).await.expect("load").script_id;
    let read = fountainai::document::read_document(&t.db, id)
        .await
        .expect("read");
    assert_eq!(read.title_page.as_deref(), Some(title_page));
    let version = sequence::create_version(&t.db, ElementType::Script, id, "first")
        .await
        .expect("a version");
    let snapshot = "{ \"zeta\" :1,\"alpha\":  [2 ,3], \"\u{e9}t\u{e9}\":\"\\u00e9 \u{1f3ac}\" }";
    sqlx::query(
        "UPDATE versions SET data = CAST($1 AS json_text) \
         WHERE element_type = 'script' AND element_id = $2 AND version_number = $3",
    )
    .bind(snapshot)
    .bind(id)
    .bind(version.version_number)
    .execute(t.db.pool())
    .await
    .expect("store the snapshot as written");
    let stored: String = sqlx::query_scalar(
        "SELECT CAST(data AS TEXT) FROM versions WHERE element_type = 'script' AND element_id = $1",
    )
    .bind(id)
    .fetch_one(t.db.pool())
    .await
    .expect("the stored snapshot");
    assert_eq!(stored, snapshot);
    let got = sequence::get_version(&t.db, ElementType::Script, id, version.version_number)
        .await
        .expect("the version");
    assert_eq!(
        serde_json::to_string(&got.data).unwrap(),
        "{\"zeta\":1,\"alpha\":[2,3],\"\u{e9}t\u{e9}\":\"\u{e9} \u{1f3ac}\"}",
        "the keys in the order written"
    );
    if engine == Engine::Postgres {
        let types: Vec<(String, String)> = sqlx::query_as(
            "SELECT CAST(table_name || '.' || column_name AS TEXT), CAST(data_type AS TEXT) \
             FROM information_schema.columns WHERE table_schema = current_schema() \
             AND (table_name, column_name) IN (('versions', 'data'), ('settings', 'value'), \
             ('scripts', 'title_page'), ('characters', 'leitmotif')) ORDER BY 1",
        )
        .fetch_all(t.db.pool())
        .await
        .expect("the columns' types");
        let json = |column: &str| (column.to_string(), "json".to_string());
        assert_eq!(
            types,
            [
                json("characters.leitmotif"),
                json("scripts.title_page"),
                json("settings.value"),
                json("versions.data"),
            ]
        );
    }
}
