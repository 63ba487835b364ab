//! Story bundles: a whole story as one `.fountainai` file and back, byte for byte, and every
//! kind of bad file refused with nothing written.

#[path = "common/cli.rs"]
mod cli;
mod common;

use common::Engine;
use rstest::rstest;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use fountainai::bundle::{self, archive, ExportOptions};
use fountainai::characters::{self, CharacterUpdate};
use fountainai::document::load_document;
use fountainai::examples::{feature_script, romeo_and_juliet};
use fountainai::music::leitmotif::{Leitmotif, MotifNote};
use fountainai::screenplay::{self, Format};
use fountainai::scripts::{self, ElementKind};
use fountainai::sequence::{self, ElementType};
use fountainai::sessions;
use fountainai::story::{self, StoryRequest};
use fountainai::Database;
use serde_json::Value;

use common::{dump, rejected, TestDb};

const SCREENPLAY: &str = "\
Title: The Lighthouse
Credit: written by
Author: M. Keeper
Draft date: 1 December 2026

INT. LAMP ROOM - NIGHT #1A#

The lamp turns. *Slowly.*

KEEPER (V.O.)
(quietly)
Another night.

MATE ^
Another night.

> CUT TO: <

EXT. ROCKS - DAWN #2#

= The storm has passed.

KEEPER
We made it.
";

async fn export(db: &Database, script_id: i64, session_id: Option<i64>, path: &Path) -> Vec<u8> {
    let options = ExportOptions {
        session_id,
        render: false,
    };
    bundle::export_file(db, script_id, &options, path, &mut |_| {})
        .await
        .expect("export");
    std::fs::read(path).expect("the bundle")
}

/// A script with what a writer adds beyond the text: music, alts, contexts, versions.
async fn with_everything(db: &Database, script_id: i64) {
    let cast = characters::list_characters(db, script_id).await.unwrap();
    let first = &cast[0];
    characters::update_character(
        db,
        first.character_id,
        CharacterUpdate {
            instrument: Some(Some(71)),
            leitmotif: Some(Some(Leitmotif(vec![
                MotifNote {
                    degree: 0,
                    length: 2,
                },
                MotifNote {
                    degree: 4,
                    length: 1,
                },
            ]))),
            ..CharacterUpdate::default()
        },
    )
    .await
    .unwrap();
    characters::add_paraphrase(
        db,
        ElementType::Character,
        first.character_id,
        "Gruff",
        "older",
    )
    .await
    .unwrap();
    let story = story::get_full_story(db, &request(script_id, None))
        .await
        .unwrap();
    let line = story
        .story
        .iter()
        .find(|i| i.spoken_word.is_some())
        .expect("a line");
    characters::add_paraphrase(db, ElementType::SpokenWord, line.element_id, "Alt line", "")
        .await
        .unwrap();
    let session = common::session(db, script_id).await;
    let target = sessions::ContextTarget {
        heading_id: None,
        character_id: None,
        element_id: Some(line.element_id),
    };
    let data = [("mood".to_string(), "tense".to_string())].into();
    sessions::set_context(db, session.session_id, target, &data, &[])
        .await
        .unwrap();
    sequence::create_version(db, ElementType::Script, script_id, "draft one")
        .await
        .unwrap();
    sequence::create_version(db, ElementType::Character, first.character_id, "music")
        .await
        .unwrap();
}

fn request(script_id: i64, session_id: Option<i64>) -> StoryRequest {
    StoryRequest {
        script_id,
        session_id,
        ..StoryRequest::default()
    }
}

/// JSON without its database ids.
fn ids_aside(mut value: Value) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(fields) => {
                fields.retain(|k, _| !k.ends_with("Id") && !k.ends_with("Path"));
                fields.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut value);
    value
}

/// What a writer would compare: the story under every session, the characters with their
/// music and alts, the sessions with their contexts, the screenplay as Fountain.
async fn everything(db: &Database, script_id: i64) -> Value {
    let sessions = sessions::list_sessions(db, Some(script_id)).await.unwrap();
    let mut stories = vec![serde_json::to_value(
        story::get_full_story(db, &request(script_id, None))
            .await
            .unwrap(),
    )
    .unwrap()];
    let mut contexts = Vec::new();
    for s in &sessions {
        let story = story::get_full_story(db, &request(script_id, Some(s.session_id)))
            .await
            .unwrap();
        stories.push(serde_json::to_value(story).unwrap());
        let context = sessions::get_context(db, s.session_id).await.unwrap();
        contexts.push(serde_json::to_value(context).unwrap());
    }
    let cast = characters::list_characters(db, script_id).await.unwrap();
    let mut alts = Vec::new();
    for c in &cast {
        let list = characters::list_paraphrases(db, ElementType::Character, c.character_id)
            .await
            .unwrap();
        alts.push(serde_json::to_value(list).unwrap());
    }
    let versions = sequence::list_versions(db, ElementType::Script, script_id)
        .await
        .unwrap();
    let fountain = screenplay::fountain_text(db, script_id).await.unwrap();
    ids_aside(serde_json::json!({
        "stories": stories,
        "characters": cast,
        "alts": alts,
        "sessions": sessions,
        "contexts": contexts,
        "versions": versions,
        "fountain": fountain,
    }))
}

async fn round_trip(t: &TestDb, script_id: i64) {
    let session = sessions::list_sessions(&t.db, Some(script_id))
        .await
        .unwrap()
        .iter()
        .map(|s| s.session_id)
        .min();
    let to = |name: &str| t.dir.path().join(name);
    let first = export(&t.db, script_id, session, &to("a.fountainai")).await;
    let again = export(&t.db, script_id, session, &to("b.fountainai")).await;
    assert_eq!(first, again, "the same story gives the same bytes");
    let loaded = bundle::import_file(&t.db, &to("a.fountainai"))
        .await
        .expect("import");
    assert_ne!(loaded.script_id, script_id, "a new script");
    assert_eq!(
        everything(&t.db, loaded.script_id).await,
        everything(&t.db, script_id).await
    );
    let new_session = loaded.session_ids.first().copied();
    let second = export(&t.db, loaded.script_id, new_session, &to("c.fountainai")).await;
    for (a, b) in entries_of(&first).iter().zip(entries_of(&second).iter()) {
        assert_eq!(
            String::from_utf8_lossy(&a.bytes),
            String::from_utf8_lossy(&b.bytes),
            "{} after export → import → export",
            a.name
        );
    }
    assert!(
        first == second,
        "export → import → export gives the same bundle"
    );
}

#[rstest]
#[tokio::test]
async fn the_feature_script_comes_back_whole_and_byte_identical(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let loaded = load_document(&t.db, &feature_script(12)).await.unwrap();
    with_everything(&t.db, loaded.script_id).await;
    round_trip(&t, loaded.script_id).await;
}

#[rstest]
#[tokio::test]
async fn romeo_and_juliet_comes_back_whole_and_byte_identical(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let loaded = load_document(&t.db, &romeo_and_juliet().unwrap())
        .await
        .unwrap();
    with_everything(&t.db, loaded.script_id).await;
    round_trip(&t, loaded.script_id).await;
}

/// The id a snapshot gives the row with `text`, wherever in the snapshot it is.
fn id_of_text(value: &Value, text: &str) -> Option<i64> {
    match value {
        Value::Object(fields) if fields.get("text").and_then(Value::as_str) == Some(text) => {
            fields.get("elementId").and_then(Value::as_i64)
        }
        Value::Object(fields) => fields.values().find_map(|v| id_of_text(v, text)),
        Value::Array(items) => items.iter().find_map(|v| id_of_text(v, text)),
        _ => None,
    }
}

/// A version saved before a line was deleted still holds it. Through a bundle, that line gets
/// an id of its own, one no row of the library is given later, and restoring the version in
/// the imported script brings the line back.
#[rstest]
#[tokio::test]
async fn a_version_holding_a_deleted_line_brings_it_back_after_a_round_trip(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let script_id = common::import_fountain(&t.db, SCREENPLAY).await;
    sequence::create_version(&t.db, ElementType::Script, script_id, "before the cut")
        .await
        .unwrap();
    let saved = sequence::get_version(&t.db, ElementType::Script, script_id, 1)
        .await
        .unwrap();
    let cut = id_of_text(&saved.data, "We made it.").expect("the line in the version");
    scripts::delete_element(&t.db, cut).await.unwrap();
    let path = t.dir.path().join("cut.fountainai");
    export(&t.db, script_id, None, &path).await;
    let loaded = bundle::import_file(&t.db, &path).await.expect("import");

    let version = sequence::get_version(&t.db, ElementType::Script, loaded.script_id, 1)
        .await
        .unwrap();
    let fresh = id_of_text(&version.data, "We made it.").expect("the line in the imported version");
    assert_ne!(fresh, cut, "a new id in the imported version");
    let sections = scripts::list_sections(&t.db, loaded.script_id)
        .await
        .unwrap();
    let added = common::add(
        &t.db,
        sections[0].heading_id,
        ElementKind::Action,
        None,
        "The lamp goes dark.",
    )
    .await;
    assert_ne!(added.element_id, fresh, "a later line takes another id");

    sequence::restore_version(&t.db, ElementType::Script, loaded.script_id, 1)
        .await
        .expect("restore the version");
    let text = screenplay::fountain_text(&t.db, loaded.script_id)
        .await
        .unwrap();
    assert!(
        text.contains("We made it."),
        "the deleted line is back:\n{text}"
    );
    let story = story::get_full_story(&t.db, &request(loaded.script_id, None))
        .await
        .unwrap();
    assert!(
        story.story.iter().any(|i| i.element_id == fresh),
        "under the id its version gave it"
    );
}

#[tokio::test]
async fn an_imported_screenplay_keeps_its_title_page_scene_numbers_and_own_text() {
    let t = TestDb::new().await;
    let summary = screenplay::import_text(&t.db, SCREENPLAY, Format::Fountain)
        .await
        .unwrap();
    with_everything(&t.db, summary.script_id).await;
    round_trip(&t, summary.script_id).await;
    let path = t.dir.path().join("a.fountainai");
    let loaded = bundle::import_file(&t.db, &path).await.unwrap();
    let text = screenplay::fountain_text(&t.db, loaded.script_id)
        .await
        .unwrap();
    assert_eq!(text, SCREENPLAY, "the writer's own text, byte for byte");
}

#[tokio::test]
async fn the_manifest_lists_every_entry_with_the_scripts_date() {
    let t = TestDb::new().await;
    let loaded = load_document(&t.db, &romeo_and_juliet().unwrap())
        .await
        .unwrap();
    let path = t.dir.path().join("r.fountainai");
    export(&t.db, loaded.script_id, None, &path).await;
    let inspection = bundle::inspect(&path).unwrap();
    assert!(inspection.verified, "{:?}", inspection.problem);
    let manifest = inspection.manifest.unwrap();
    let script = fountainai::scripts::get_script(&t.db, loaded.script_id)
        .await
        .unwrap();
    assert_eq!(manifest.date, script.updated_at);
    assert_eq!(manifest.format_version, bundle::FORMAT_VERSION);
    let names: Vec<&str> = manifest.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "story.json",
            "document.json",
            "script.fountain",
            "script.fdx",
            "script.pdf",
            "score.mid",
            "score.ly",
            "score.csd"
        ]
    );
    let entries = archive::read(Cursor::new(std::fs::read(&path).unwrap())).unwrap();
    assert_eq!(entries[0].name, "manifest.json");
}

#[tokio::test]
async fn render_adds_the_engraved_score_and_the_preview_or_says_why_not() {
    let t = TestDb::new().await;
    let loaded = load_document(&t.db, &romeo_and_juliet().unwrap())
        .await
        .unwrap();
    let options = ExportOptions {
        session_id: None,
        render: true,
    };
    let path = t.dir.path().join("r.fountainai");
    let done = bundle::export_file(&t.db, loaded.script_id, &options, &path, &mut |_| {})
        .await
        .unwrap();
    for name in ["score.pdf", "preview.wav"] {
        let included = done.entries.iter().any(|e| e == name);
        let skipped = done.skipped.iter().find(|s| s.name == name);
        assert!(
            included != skipped.is_some(),
            "{name} is either in the bundle or skipped with a reason"
        );
    }
    assert!(
        done.entries.iter().any(|e| e == "preview.wav"),
        "{:?}",
        done.skipped
    );
    assert!(bundle::inspect(&path).unwrap().verified);
}

// --- refusals -----------------------------------------------------------------------------

/// The database and the folder around the bundle, to show a refusal changed neither.
async fn state(t: &TestDb) -> (String, Vec<(PathBuf, u64)>) {
    let mut db = dump(&t.db).await;
    for table in ["sessions", "contexts", "versions", "linked_files"] {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(t.db.pool())
            .await
            .unwrap();
        db.push_str(&format!("{table}: {n}\n"));
    }
    let mut files = Vec::new();
    let mut folders = vec![t.dir.path().to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path.clone());
            }
            let name = path.to_string_lossy();
            if !name.contains("sqlite3") {
                files.push((path.clone(), path.metadata().unwrap().len()));
            }
        }
    }
    files.sort();
    (db, files)
}

/// Imports `bytes` as a bundle file (or `.highland`), which must be refused as invalid input
/// with nothing written; the refusal's message.
async fn refused(t: &TestDb, name: &str, bytes: &[u8]) -> String {
    let inbox = t.dir.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let path = inbox.join(name);
    std::fs::write(&path, bytes).unwrap();
    let before = state(t).await;
    let err = rejected(bundle::import_file(&t.db, &path).await, "invalid_input");
    assert_eq!(
        state(t).await,
        before,
        "{name}: a refused bundle writes nothing"
    );
    assert!(!t.dir.path().join("x").exists() && !Path::new("/etc/x").exists());
    if !bundle::is_highland(&path) {
        assert!(!bundle::inspect(&path).unwrap().verified);
    }
    err.to_string()
}

async fn good_bundle(t: &TestDb) -> Vec<u8> {
    let loaded = load_document(&t.db, &romeo_and_juliet().unwrap())
        .await
        .unwrap();
    export(
        &t.db,
        loaded.script_id,
        None,
        &t.dir.path().join("good.fountainai"),
    )
    .await
}

fn entries_of(bytes: &[u8]) -> Vec<archive::Entry> {
    archive::read(Cursor::new(bytes.to_vec())).unwrap()
}

/// A zip as a hostile tool might write it: any names, any options.
fn raw_zip(entries: &[(&str, &[u8])], options: zip::write::SimpleFileOptions) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The good bundle's entries plus one more, listed in the manifest like the others.
fn with_entry(good: &[u8], name: &str, bytes: &[u8]) -> Vec<u8> {
    let entries = entries_of(good);
    let mut manifest: Value = serde_json::from_slice(&entries[0].bytes).unwrap();
    manifest["entries"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "name": name,
            "size": bytes.len(),
            "sha256": sha256_hex(bytes),
        }));
    let mut raw: Vec<(String, Vec<u8>)> = vec![(
        "manifest.json".into(),
        serde_json::to_vec(&manifest).unwrap(),
    )];
    raw.extend(
        entries[1..]
            .iter()
            .map(|e| (e.name.clone(), e.bytes.clone())),
    );
    raw.push((name.to_string(), bytes.to_vec()));
    let refs: Vec<(&str, &[u8])> = raw
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    raw_zip(&refs, deflated())
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn deflated() -> zip::write::SimpleFileOptions {
    zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)
}

#[rstest]
#[tokio::test]
async fn names_outside_the_folder_are_refused(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let good = good_bundle(&t).await;
    for name in ["../x", "/etc/x", "a/../../x", "C:/x", "a\\..\\x"] {
        let message = refused(&t, "slip.fountainai", &with_entry(&good, name, b"boom")).await;
        assert!(message.contains("outside the folder"), "{name}: {message}");
    }
}

#[rstest]
#[tokio::test]
async fn a_symbolic_link_is_refused(#[values(Engine::Sqlite, Engine::Postgres)] engine: Engine) {
    let t = TestDb::on(engine).await;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.add_symlink("story.json", "/etc/passwd", deflated())
        .unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    let message = refused(&t, "link.fountainai", &bytes).await;
    assert!(message.contains("symbolic link"), "{message}");
}

#[rstest]
#[tokio::test]
async fn a_zip_bomb_is_refused_whatever_it_declares(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let zeros = vec![0u8; 16 * 1024 * 1024];
    let bomb = raw_zip(&[("story.json", &zeros)], deflated());
    let message = refused(&t, "bomb.fountainai", &bomb).await;
    assert!(message.contains("zip bomb"), "{message}");

    // The same small entry declaring 10 GB (a zip64 size) is refused before it is read.
    let small = b"twelve bytes";
    let mut bytes = raw_zip(&[("story.json", small)], deflated().large_file(true));
    let declared = 10_000_000_000u64.to_le_bytes();
    let actual = (small.len() as u64).to_le_bytes();
    let mut patched = 0;
    let mut at = 0;
    while at + 12 <= bytes.len() {
        // The zip64 extra field: tag 0x0001, its length, then the uncompressed size.
        if bytes[at..at + 2] == [1, 0] && bytes[at + 4..at + 12] == actual {
            bytes[at + 4..at + 12].copy_from_slice(&declared);
            patched += 1;
        }
        at += 1;
    }
    assert!(patched >= 1, "the test found the zip64 size to patch");
    refused(&t, "declared.fountainai", &bytes).await;
}

/// The good bundle with its entries edited, which must be refused; the refusal's message.
async fn refused_edited(name: &str, edit: impl FnOnce(&mut Vec<archive::Entry>)) -> String {
    let t = TestDb::new().await;
    let mut entries = entries_of(&good_bundle(&t).await);
    edit(&mut entries);
    refused(&t, name, &archive::write(&entries).unwrap()).await
}

#[tokio::test]
async fn a_wrong_checksum_is_refused() {
    let message = refused_edited("sum.fountainai", |entries| {
        let doc = entries
            .iter_mut()
            .find(|e| e.name == "document.json")
            .unwrap();
        let text = String::from_utf8(doc.bytes.clone()).unwrap();
        doc.bytes = text.replacen("Romeo", "Romeq", 1).into_bytes();
    })
    .await;
    assert!(message.contains("checksum"), "{message}");
}

#[tokio::test]
async fn a_bundle_without_a_manifest_is_refused() {
    let message = refused_edited("bare.fountainai", |entries| {
        entries.remove(0);
    })
    .await;
    assert!(message.contains("manifest.json"), "{message}");
}

#[tokio::test]
async fn a_newer_format_version_is_refused_naming_both() {
    let message = refused_edited("future.fountainai", |entries| {
        let mut manifest: Value = serde_json::from_slice(&entries[0].bytes).unwrap();
        manifest["formatVersion"] = 999.into();
        entries[0].bytes = serde_json::to_vec(&manifest).unwrap();
    })
    .await;
    assert!(
        message.contains("999") && message.contains("format version 1"),
        "{message}"
    );
}

#[rstest]
#[tokio::test]
async fn a_truncated_or_foreign_file_is_a_clear_error(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let good = good_bundle(&t).await;
    for cut in [
        0,
        10,
        good.len() / 3,
        good.len() / 2,
        good.len() - 23,
        good.len() - 1,
    ] {
        let message = refused(&t, "cut.fountainai", &good[..cut]).await;
        assert!(
            message.contains("zip") || message.contains("damaged"),
            "cut at {cut}: {message}"
        );
    }
    refused(&t, "text.fountainai", b"INT. HOUSE - DAY\n\nNot a zip.\n").await;
}

#[rstest]
#[tokio::test]
async fn too_many_entries_are_refused(#[values(Engine::Sqlite, Engine::Postgres)] engine: Engine) {
    let t = TestDb::on(engine).await;
    let names: Vec<String> = (0..65).map(|i| format!("e{i}.txt")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
    let message = refused(&t, "many.fountainai", &raw_zip(&entries, deflated())).await;
    assert!(message.contains("64"), "{message}");
}

// --- Highland 2 -----------------------------------------------------------------------------

#[tokio::test]
async fn a_highland_file_comes_in_as_a_script() {
    let t = TestDb::new().await;
    let bytes = raw_zip(
        &[
            ("The Lighthouse.textbundle/info.json", br#"{"version":2}"#),
            (
                "The Lighthouse.textbundle/text.fountain",
                SCREENPLAY.as_bytes(),
            ),
        ],
        deflated(),
    );
    let path = t.dir.path().join("The Lighthouse.highland");
    std::fs::write(&path, bytes).unwrap();
    let loaded = bundle::import_file(&t.db, &path).await.unwrap();
    assert_eq!(loaded.sections, 2);
    let text = screenplay::fountain_text(&t.db, loaded.script_id)
        .await
        .unwrap();
    assert_eq!(text, SCREENPLAY);
}

#[rstest]
#[tokio::test]
async fn a_highland_file_gets_the_same_checks(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let slip = raw_zip(&[("../text.fountain", SCREENPLAY.as_bytes())], deflated());
    refused(&t, "slip.highland", &slip).await;
    let empty = raw_zip(&[("info.json", b"{}")], deflated());
    let message = refused(&t, "empty.highland", &empty).await;
    assert!(message.contains("text.fountain"), "{message}");
}

// --- the command line ---------------------------------------------------------------------

#[test]
fn the_cli_exports_inspects_and_imports_a_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (loaded, id) = cli::example(d);
    let file = d.join("rj.fountainai");
    let file = file.to_str().unwrap();
    let exported = cli::ok(d, &["bundle", "export", &id, "-o", file]);
    assert_eq!(exported["entries"].as_array().unwrap().len(), 8);
    let inspected = cli::ok(d, &["bundle", "inspect", file]);
    assert_eq!(inspected["verified"], true);
    assert_eq!(inspected["manifest"]["formatVersion"], 1);
    let imported = cli::ok(d, &["bundle", "import", file]);
    assert_ne!(imported["scriptId"], loaded["scriptId"]);
    std::fs::write(d.join("bad.fountainai"), b"nope").unwrap();
    let (code, error) = cli::err(
        d,
        &[
            "bundle",
            "import",
            d.join("bad.fountainai").to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(2));
    assert_eq!(error["code"], "invalid_input");
}
