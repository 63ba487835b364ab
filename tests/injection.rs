//! Text a writer typed never becomes code in a file another program runs: Scheme in LilyPond,
//! Csound markup and orchestra code in the .csd, XML markup and external entities in FDX,
//! PDF string escapes. Each payload goes into a story (title, scene heading, character name,
//! dialogue), the real `lilypond` and `csound` render it, and no file a payload names appears
//! while the output shows the text as typed.

mod common;
#[path = "common/tool.rs"]
mod tool;

use std::path::Path;
use std::process::Command;

use common::TestDb;
use fountainai::characters::{self, NewCharacter};
use fountainai::screenplay::{self, Format};
use fountainai::scripts::{self, ElementKind, NewElement, NewScript};
use fountainai::sessions::{self, ContextTarget, NewSession};
use fountainai::story::orchestrate::{self, Options};

/// Payloads that would run `touch <dir>/<name>` if a tool ever read them as code.
fn payloads(dir: &Path) -> Vec<String> {
    let touch = |name: &str| format!("touch {}", dir.join(name).display());
    vec![
        format!("#(system \"{}\")", touch("pwned-scheme")),
        format!("$(system \"{}\")", touch("pwned-dollar")),
        format!("\" #(system \"{}\") \"", touch("pwned-quote")),
        format!("\\\" }} #(system \"{}\") \\header {{ title = \"", touch("pwned-brace")),
        format!("x\n#(system \"{}\")\n", touch("pwned-newline")),
        format!("#{{ #(system \"{}\") #}}", touch("pwned-embedded")),
        format!(
            "</CsScore></CsoundSynthesizer><CsInstruments> instr 9 ires system_i 1, \"{}\" endin </CsInstruments><CsScore> i 9 0 1",
            touch("pwned-csound")
        ),
        format!("a\u{b}</CsScore>\u{c}<CsInstruments>\u{85}instr 9\rires system_i 1, \"{}\"\nendin", touch("pwned-csound-lines")),
        format!("#include \"{}\" \\", dir.join("pwned-include").display()),
        "*/ /* ) Tj ET BT (\\) \\\\ (".to_string(),
    ]
}

/// Every file in `dir` whose name starts with `pwned`.
fn pwned(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("the folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("pwned"))
        .collect()
}

/// One line of a payload, as a title or a name takes it.
fn one_line(payload: &str) -> String {
    payload.trim().replace('\n', " ")
}

/// A story titled `title` with, for each payload, a scene headed by it, a character named by
/// it, an action and a line of it, and it as the scene's mood.
async fn story(db: &fountainai::Database, title: &str, payloads: &[String]) -> (i64, i64) {
    let script = scripts::create_script(
        db,
        NewScript {
            title: one_line(title),
            ..Default::default()
        },
    )
    .await
    .expect("a script named by the payload");
    let id = script.script_id;
    let session = sessions::create_session(
        db,
        NewSession {
            script_id: Some(id),
            ..Default::default()
        },
    )
    .await
    .expect("a session")
    .session_id;
    for payload in payloads {
        let heading = scripts::add_section(db, id, &format!("INT. {}", one_line(payload)))
            .await
            .expect("a heading")
            .heading_id;
        let speaker = characters::create_character(
            db,
            id,
            NewCharacter {
                name: one_line(payload).to_uppercase(),
                description: Some(payload.to_string()),
            },
        )
        .await
        .expect("a character named by the payload")
        .character_id;
        for kind in [ElementKind::Action, ElementKind::Dialogue] {
            let new = NewElement {
                kind,
                text: payload.to_string(),
                character_id: (kind == ElementKind::Dialogue).then_some(speaker),
                parenthetical: None,
                position: None,
            };
            scripts::add_element(db, heading, new)
                .await
                .expect("a line");
        }
        let data = [("mood".to_string(), payload.to_string())].into();
        let target = ContextTarget {
            heading_id: Some(heading),
            character_id: None,
            element_id: None,
        };
        sessions::set_context(db, session, target, &data, &[])
            .await
            .expect("a mood");
    }
    (id, session)
}

fn pdf_text(pdf: &Path) -> String {
    let out = tool::run_ok(
        Command::new("pdftotext").arg(pdf).arg("-"),
        "pdftotext (apt package poppler-utils)",
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What a PDF text extraction keeps of a line: its words, whitespace collapsed.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn scheme_and_csound_code_in_a_story_stay_text_in_the_rendered_score() {
    let t = TestDb::new().await;
    let dir = t.dir.path();
    let payloads = payloads(dir);
    // Two renders: a Scheme payload as the title (short enough to fit the sheet's width),
    // then a Csound one; every payload is in both stories' headings, names, lines and moods.
    for (n, title) in [&payloads[0], &payloads[6]].into_iter().enumerate() {
        let (script, session) = story(&t.db, title, &payloads).await;
        let out = dir.join(format!("score-{n}"));
        let files = orchestrate::orchestrate(
            &t.db,
            script,
            Some(session),
            &out,
            &Options { render: true },
            &mut |_| {},
        )
        .await
        .unwrap_or_else(|e| panic!("{title:?}: the score renders: {e:?}"));
        assert_eq!(pwned(dir), Vec::<String>::new(), "a payload ran");
        let title = one_line(title);
        if n == 0 {
            // LilyPond engraved the title as text: the sheet shows what the writer typed.
            let pdf = files.pdf_file_path.as_deref().expect("the engraved score");
            let sheet = words(&pdf_text(Path::new(pdf)));
            assert!(sheet.contains(&words(&title)), "the sheet reads {sheet:?}");
        }
        // The title is one comment line of the .csd, and Csound rendered the whole score.
        let csd = std::fs::read_to_string(&files.csound_file_path).expect("the .csd");
        let comment = format!("; {}", title.replace(['\n', '\r'], " "));
        assert!(
            csd.lines().any(|l| l == comment),
            "{title:?} is not one comment line of the .csd"
        );
        let wav = files.wav_file_path.as_deref().expect("the rendered audio");
        assert!(std::fs::metadata(wav).expect("the WAV").len() > 44);
    }
}

#[tokio::test]
async fn fdx_markup_and_external_entities_stay_text() {
    let t = TestDb::new().await;
    let dir = t.dir.path();
    let secret = dir.join("secret.txt");
    std::fs::write(&secret, "THE SECRET CONTENTS").expect("a secret file");
    // An FDX file declaring an external entity: its file must never be read into the script.
    let fdx = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE FinalDraft [<!ENTITY xxe SYSTEM "file://{}"> <!ENTITY lol "lol">]>
<FinalDraft DocumentType="Script" Template="No" Version="1">
<Content>
<Paragraph Type="Scene Heading"><Text>INT. HOUSE - DAY</Text></Paragraph>
<Paragraph Type="Action"><Text>Before &xxe; after &lol; and &amp;.</Text></Paragraph>
</Content>
</FinalDraft>"#,
        secret.display()
    );
    if let Ok(summary) = screenplay::import_text(&t.db, &fdx, Format::Fdx).await {
        let text = screenplay::fountain_text(&t.db, summary.script_id)
            .await
            .expect("the script as Fountain");
        assert!(
            !text.contains("SECRET"),
            "the entity's file was read: {text}"
        );
    }
    // Markup a writer typed is escaped on the way out and reads back as the same text.
    let typed = "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]> &e; </Text></Paragraph><Paragraph Type=\"Action\"><Text>&amp;lt; ]]> <![CDATA[";
    let script = common::script(&t.db, typed).await.script_id;
    let heading = common::section(&t.db, script, &format!("INT. {typed}"))
        .await
        .heading_id;
    common::add(&t.db, heading, ElementKind::Action, None, typed).await;
    let xml = String::from_utf8(
        screenplay::export(&t.db, script, Format::Fdx)
            .await
            .expect("FDX"),
    )
    .expect("UTF-8");
    assert!(!xml.contains("<!DOCTYPE x"), "markup passed through: {xml}");
    let back = screenplay::read_fdx(&xml).expect("our FDX reads back");
    assert!(
        back.elements.iter().any(|e| e.text() == typed),
        "the action reads back as typed: {:?}",
        back.elements
    );
}

#[tokio::test]
async fn pdf_string_escapes_in_a_story_print_as_typed() {
    let t = TestDb::new().await;
    let typed = "A (paren) \\ backslash ) Tj ET BT /F1 99 Tf (x) Tj \\) end";
    let script = common::script(&t.db, "Escapes").await.script_id;
    let heading = common::section(&t.db, script, "INT. HOUSE - DAY")
        .await
        .heading_id;
    common::add(&t.db, heading, ElementKind::Action, None, typed).await;
    let pdf = screenplay::export(&t.db, script, Format::Pdf)
        .await
        .expect("PDF");
    let path = t.dir.path().join("escapes.pdf");
    std::fs::write(&path, pdf).expect("write the PDF");
    let text = words(&pdf_text(&path));
    assert!(text.contains(&words(typed)), "the page reads {text:?}");
}
