//! A screenplay as the services store it: sections (scenes) holding ordered element rows,
//! and the mapping between that and the parser's flat [`Screenplay`] in both directions.

use std::borrow::Cow;

use sqlx::AnyConnection;

use crate::error::Result;
use crate::fountain::{Element, Screenplay};
use crate::scripts::ElementKind;

/// The title of the section that holds what comes before the first scene heading.
pub const UNTITLED: &str = "(before the first scene)";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scene {
    pub title: String,
    pub scene_number: Option<String>,
    /// No heading line: the content before the first scene heading.
    pub untitled: bool,
    pub lines: Vec<Line>,
}

/// One element row. Dialogue and lyrics under a cue carry the speaker's name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Line {
    pub kind: ElementKind,
    pub text: String,
    pub character: Option<String>,
    /// Without its brackets, as the services keep it.
    pub parenthetical: Option<String>,
    pub extension: Option<String>,
    pub dual: bool,
    /// Continues the dialogue block above (no cue of its own).
    pub continues: bool,
    pub depth: Option<i64>,
}

impl Line {
    pub fn plain(kind: ElementKind, text: &str) -> Self {
        Line {
            kind,
            text: text.to_string(),
            character: None,
            parenthetical: None,
            extension: None,
            dual: false,
            continues: false,
            depth: None,
        }
    }
}

/// The dialogue block being read: its cue, and whether a row has been written under it.
struct Cue {
    name: String,
    extension: Option<String>,
    dual: bool,
    started: bool,
    parenthetical: Option<String>,
    /// The source line the next row starts on (its cue's or its parenthetical's).
    start: Option<usize>,
}

impl Cue {
    /// The row and the source line it starts on (`at`, unless its cue or parenthetical is
    /// above it).
    fn row(&mut self, kind: ElementKind, text: &str, at: usize) -> (Line, usize) {
        let start = self.start.take().unwrap_or(at);
        let line = Line {
            kind,
            text: text.to_string(),
            character: Some(self.name.clone()),
            parenthetical: self.parenthetical.take(),
            extension: self.extension.clone(),
            dual: self.dual,
            continues: self.started,
            depth: None,
        };
        self.started = true;
        (line, start)
    }
}

/// Where a scene and its lines start in the source text (1-based lines; the untitled scene's
/// heading is 0, it has no line).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Starts {
    pub heading: usize,
    pub lines: Vec<usize>,
}

/// Splits a screenplay into scenes. Content before the first heading goes into an untitled
/// scene; a parenthetical attaches to the dialogue below it (or stands as an empty line of
/// dialogue when nothing follows under the same cue).
pub fn from_screenplay(screenplay: &Screenplay<'_>) -> Vec<Scene> {
    read(screenplay).0
}

/// [`from_screenplay`], with where each scene and line starts in the source.
pub fn read(screenplay: &Screenplay<'_>) -> (Vec<Scene>, Vec<Starts>) {
    let mut read = Read::default();
    for element in &screenplay.elements {
        read.element(element);
    }
    read.end_block();
    (read.scenes, read.starts)
}

/// Scenes being read, with where they start, and the dialogue block being read.
#[derive(Default)]
struct Read {
    scenes: Vec<Scene>,
    starts: Vec<Starts>,
    cue: Option<Cue>,
}

impl Read {
    fn element(&mut self, element: &Element<'_>) {
        let at = element.line();
        if !matches!(
            element,
            Element::Parenthetical { .. } | Element::Dialogue { .. } | Element::Lyrics { .. }
        ) {
            self.end_block();
        }
        match element {
            Element::SceneHeading {
                text, scene_number, ..
            } => self.heading(text, scene_number.as_deref(), at),
            Element::Character {
                name,
                text,
                extension,
                dual,
                ..
            } => self.cue(text, name, extension.as_deref(), *dual, at),
            Element::Parenthetical { text, .. } => self.parenthetical(text, at),
            Element::Dialogue { text, .. } => self.spoken(ElementKind::Dialogue, text, at),
            Element::Lyrics { text, .. } => {
                self.unspoken_parenthetical(at);
                self.spoken(ElementKind::Lyrics, text, at)
            }
            Element::Action { text, .. } => self.plain(ElementKind::Action, text, at),
            Element::Transition { text, .. } => self.plain(ElementKind::Transition, text, at),
            Element::Centered { text, .. } => self.plain(ElementKind::Centered, text, at),
            Element::Section { text, depth, .. } => {
                let line = Line {
                    depth: Some(*depth as i64),
                    ..Line::plain(ElementKind::Section, text)
                };
                self.push(line, at)
            }
            Element::Synopsis { text, .. } => self.plain(ElementKind::Synopsis, text, at),
            Element::Note { text, .. } => self.plain(ElementKind::Note, text, at),
            Element::Boneyard { text, .. } => self.plain(ElementKind::Boneyard, text, at),
            Element::PageBreak { .. } => self.plain(ElementKind::PageBreak, "", at),
        }
    }

    fn heading(&mut self, text: &str, scene_number: Option<&str>, at: usize) {
        self.scenes.push(Scene {
            title: text.to_string(),
            scene_number: scene_number.map(str::to_string),
            untitled: false,
            lines: Vec::new(),
        });
        self.starts.push(Starts {
            heading: at,
            lines: Vec::new(),
        });
    }

    fn cue(&mut self, text: &str, name: &str, extension: Option<&str>, dual: bool, at: usize) {
        if name.trim().is_empty() {
            // A cue that names nobody (`@` alone): it and its lines stay as action, no
            // character without a name.
            self.cue = None;
            if !text.trim().is_empty() {
                self.plain(ElementKind::Action, text, at);
            }
            return;
        }
        self.cue = Some(Cue {
            name: name.trim().to_string(),
            extension: extension.map(str::to_string),
            dual,
            started: false,
            parenthetical: None,
            start: Some(at),
        });
    }

    fn parenthetical(&mut self, text: &str, at: usize) {
        if self.cue.is_none() {
            return self.plain(ElementKind::Action, text, at);
        }
        self.unspoken_parenthetical(at);
        if let Some(c) = self.cue.as_mut() {
            c.start.get_or_insert(at);
            c.parenthetical = Some(unbracket(text).to_string());
        }
    }

    /// Dialogue or lyrics: under the cue being read, or action (lyrics) without one.
    fn spoken(&mut self, kind: ElementKind, text: &str, at: usize) {
        let (row, start) = match self.cue.as_mut() {
            Some(c) => c.row(kind, text, at),
            None if kind == ElementKind::Lyrics => (Line::plain(kind, text), at),
            None => (Line::plain(ElementKind::Action, text), at),
        };
        self.push(row, start);
    }

    /// A parenthetical that no dialogue took stands as a line of dialogue with no words.
    fn unspoken_parenthetical(&mut self, at: usize) {
        if let Some(c) = self.cue.as_mut().filter(|c| c.parenthetical.is_some()) {
            let (row, start) = c.row(ElementKind::Dialogue, "", at);
            self.push(row, start);
        }
    }

    /// A parenthetical left at the end of a block, or a cue with nothing under it, becomes a
    /// line of dialogue with no words.
    fn end_block(&mut self) {
        if let Some(mut c) = self.cue.take() {
            if c.parenthetical.is_some() || !c.started {
                let (row, start) = c.row(ElementKind::Dialogue, "", 0);
                self.push(row, start);
            }
        }
    }

    fn plain(&mut self, kind: ElementKind, text: &str, at: usize) {
        self.push(Line::plain(kind, text), at);
    }

    fn push(&mut self, line: Line, start: usize) {
        if self.scenes.is_empty() {
            self.scenes.push(Scene {
                title: UNTITLED.to_string(),
                scene_number: None,
                untitled: true,
                lines: Vec::new(),
            });
            self.starts.push(Starts::default());
        }
        if let (Some(scene), Some(starts)) = (self.scenes.last_mut(), self.starts.last_mut()) {
            scene.lines.push(line);
            starts.lines.push(start);
        }
    }
}

fn unbracket(text: &str) -> &str {
    let t = text.trim();
    t.strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .unwrap_or(t)
        .trim()
}

/// The cue as written: `NAME (EXTENSION)`.
pub fn cue_text(name: &str, extension: Option<&str>) -> String {
    match extension {
        Some(ext) => format!("{name} ({ext})"),
        None => name.to_string(),
    }
}

/// Scenes back to the parser's model (line numbers are 0: there is no source).
pub fn to_screenplay(title_page: Vec<(String, String)>, scenes: &[Scene]) -> Screenplay<'static> {
    to_screenplay_marked(title_page, scenes).0
}

/// [`to_screenplay`], with the index of the first element of each heading and line (in
/// reading order, a heading before its lines; the untitled scene's heading has none of its
/// own, so it marks where its first line starts).
pub fn to_screenplay_marked(
    title_page: Vec<(String, String)>,
    scenes: &[Scene],
) -> (Screenplay<'static>, Vec<usize>) {
    let mut elements = Vec::new();
    let mut marks = Vec::with_capacity(scenes.iter().map(|s| s.lines.len() + 1).sum());
    for scene in scenes {
        marks.push(elements.len());
        if !scene.untitled {
            elements.push(Element::SceneHeading {
                text: owned(&scene.title),
                scene_number: scene.scene_number.as_deref().map(owned),
                line: 0,
            });
        }
        let mut speaker: Option<&str> = None;
        for line in &scene.lines {
            marks.push(elements.len());
            push_elements(&mut elements, line, &mut speaker);
        }
    }
    let screenplay = Screenplay {
        title_page,
        elements,
        tags: Vec::new(),
    };
    (screenplay, marks)
}

fn owned(s: &str) -> Cow<'static, str> {
    Cow::Owned(s.to_string())
}

fn push_elements<'l>(
    out: &mut Vec<Element<'static>>,
    line: &'l Line,
    speaker: &mut Option<&'l str>,
) {
    let text = owned(&line.text);
    let under_cue = matches!(line.kind, ElementKind::Dialogue | ElementKind::Lyrics);
    let name = line.character.as_deref().filter(|_| under_cue);
    let Some(name) = name else {
        *speaker = None;
        out.push(plain(line, text));
        return;
    };
    if !(line.continues && *speaker == Some(name)) {
        out.push(Element::Character {
            text: owned(&cue_text(name, line.extension.as_deref())),
            name: owned(name),
            extension: line.extension.as_deref().map(owned),
            dual: line.dual,
            line: 0,
        });
    }
    *speaker = Some(name);
    if let Some(p) = &line.parenthetical {
        out.push(Element::Parenthetical {
            text: owned(&format!("({p})")),
            line: 0,
        });
    }
    match line.kind {
        ElementKind::Lyrics => out.push(Element::Lyrics { text, line: 0 }),
        _ if line.text.is_empty() => {}
        _ => out.push(Element::Dialogue { text, line: 0 }),
    }
}

fn plain(line: &Line, text: Cow<'static, str>) -> Element<'static> {
    match line.kind {
        ElementKind::Action => Element::Action { text, line: 0 },
        // A line of dialogue that lost its speaker is still words on the page.
        ElementKind::Dialogue => Element::Action { text, line: 0 },
        ElementKind::Transition => Element::Transition { text, line: 0 },
        ElementKind::Lyrics => Element::Lyrics { text, line: 0 },
        ElementKind::Centered => Element::Centered { text, line: 0 },
        ElementKind::Note => Element::Note { text, line: 0 },
        ElementKind::Synopsis => Element::Synopsis { text, line: 0 },
        ElementKind::PageBreak => Element::PageBreak { text, line: 0 },
        ElementKind::Section => Element::Section {
            text,
            depth: line
                .depth
                .and_then(|d| usize::try_from(d).ok())
                .unwrap_or(1)
                .max(1),
            line: 0,
        },
        ElementKind::Boneyard => Element::Boneyard { text, line: 0 },
    }
}

/// A stored scene with its ids, as sync and export read it.
#[derive(Clone, Debug)]
pub struct StoredScene {
    pub heading_id: i64,
    pub scene: Scene,
    pub element_ids: Vec<i64>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct SectionRow {
    pub(crate) heading_id: i64,
    pub(crate) title: String,
    pub(crate) scene_number: Option<String>,
    #[sqlx(try_from = "crate::db::Flag")]
    pub(crate) untitled: bool,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ElementRow {
    pub(crate) element_id: i64,
    pub(crate) heading_id: i64,
    #[sqlx(try_from = "String")]
    pub(crate) kind: ElementKind,
    pub(crate) text: String,
    pub(crate) name: Option<String>,
    pub(crate) parenthetical: Option<String>,
    pub(crate) extension: Option<String>,
    #[sqlx(try_from = "crate::db::Flag")]
    pub(crate) dual: bool,
    #[sqlx(try_from = "crate::db::Flag")]
    pub(crate) continues: bool,
    pub(crate) depth: Option<i64>,
}

/// Reads a script's scenes in order, in two queries.
pub async fn load(conn: &mut AnyConnection, script_id: i64) -> Result<Vec<StoredScene>> {
    let sections: Vec<SectionRow> = sqlx::query_as(
        "SELECT heading_id, title, scene_number, untitled FROM section_headings \
         WHERE script_id = $1 ORDER BY sequence_number IS NULL, sequence_number, heading_id",
    )
    .bind(script_id)
    .fetch_all(&mut *conn)
    .await?;
    let rows: Vec<ElementRow> = sqlx::query_as(
        "SELECT e.element_id, e.heading_id, e.kind, e.text, c.name, e.parenthetical, e.extension, \
                e.dual, e.continues, e.depth \
         FROM elements e JOIN section_headings h USING (heading_id) \
         LEFT JOIN characters c ON c.character_id = e.character_id \
         WHERE h.script_id = $1 \
         ORDER BY e.heading_id, e.sequence_number IS NULL, e.sequence_number, e.element_id",
    )
    .bind(script_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut scenes: Vec<StoredScene> = sections
        .into_iter()
        .map(|s| StoredScene {
            heading_id: s.heading_id,
            scene: Scene {
                title: s.title,
                scene_number: s.scene_number,
                untitled: s.untitled,
                lines: Vec::new(),
            },
            element_ids: Vec::new(),
        })
        .collect();
    let index: std::collections::HashMap<i64, usize> = scenes
        .iter()
        .enumerate()
        .map(|(i, s)| (s.heading_id, i))
        .collect();
    for row in rows {
        let Some(scene) = index.get(&row.heading_id).and_then(|i| scenes.get_mut(*i)) else {
            continue;
        };
        scene.element_ids.push(row.element_id);
        scene.scene.lines.push(Line {
            kind: row.kind,
            text: row.text,
            character: row.name,
            parenthetical: row.parenthetical,
            extension: row.extension,
            dual: row.dual,
            continues: row.continues,
            depth: row.depth,
        });
    }
    Ok(scenes)
}

/// A new script's scenes are as of its first revision: what the writers' saves will compare
/// against (the triggers stamp each change with the revision it is about to make, and a new
/// script's rows are written without one).
pub(crate) async fn settle_revisions(conn: &mut AnyConnection, script_id: i64) -> Result<()> {
    sqlx::query(
        "UPDATE section_headings SET revision = \
         (SELECT revision FROM scripts WHERE script_id = $1) WHERE script_id = $1",
    )
    .bind(script_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
