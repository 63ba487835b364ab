//! Property tests over generated input: the Fountain writer and parser agree on any
//! screenplay; any sequence of edits keeps the sequence numbers gap-free and the FullStory in
//! step with a plain in-memory model; an editor sync keeps the ids of the lines it did not touch.

mod common;

use std::borrow::Cow;
use std::collections::HashMap;

use common::TestDb;
use fountainai::fountain::{self, Element, Screenplay};
use fountainai::screenplay::{self, write_fountain, Format};
use fountainai::scripts::{
    self, ElementKind, MoveElement, NewElement, RemovedElement, RemovedSection,
};
use fountainai::story::{self, StoryRequest};
use fountainai::{Database, Result};
use proptest::prelude::*;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

// ---- Fountain write → parse ------------------------------------------------------------

/// A word a writer might type, forcing characters and punctuation included.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[A-Za-z]{1,8}",
        1 => "[0-9]{1,3}",
        1 => prop::sample::select(vec![
            "INT.", "EXT.", "TO:", "!", "@", "~", ">", "<", "=", "#", ".", "(", ")", ":", "-",
            "'", "\"", "*", "_", "^", "&", "é", "ß", "—", "CUT", "FADE", "I/E",
        ])
        .prop_map(str::to_string),
    ]
}

fn words(min: usize, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(word(), min..=max).prop_map(|w| w.join(" "))
}

/// Words that start with a letter: a dialogue line starting with `~` reads as lyrics, one
/// in parentheses as a parenthetical, and Fountain has no mark that forces dialogue.
fn spoken(min: usize, max: usize) -> impl Strategy<Value = String> {
    ("[A-Za-z]{1,8}", words(min.saturating_sub(1), max - 1))
        .prop_map(|(first, rest)| format!("{first} {rest}").trim_end().to_string())
}

fn upper_words(min: usize, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec("[A-Z]{1,8}", min..=max).prop_map(|w| w.join(" "))
}

fn owned(text: String) -> Cow<'static, str> {
    Cow::Owned(text)
}

/// One paragraph of a screenplay: a single element, or a dialogue block.
fn paragraph() -> impl Strategy<Value = Vec<Element<'static>>> {
    let heading = (
        prop::sample::select(vec!["INT.", "EXT.", "INT./EXT.", "EST."]),
        upper_words(1, 4),
        prop::option::of("[1-9][0-9]?[A-C]?"),
    )
        .prop_map(|(prefix, place, number)| {
            vec![Element::SceneHeading {
                text: owned(format!("{prefix} {place}")),
                scene_number: number.map(owned),
                line: 0,
            }]
        });
    let action = prop::collection::vec(words(1, 10), 1..=3).prop_map(|lines| {
        vec![Element::Action {
            text: owned(lines.join("\n")),
            line: 0,
        }]
    });
    let block = (
        upper_words(1, 2),
        prop::option::of(prop::sample::select(vec!["V.O.", "O.S.", "CONT'D"])),
        // The parser's shape of a block: (parenthetical)? dialogue, repeated.
        prop::collection::vec(
            (
                prop::option::of("[a-z]{1,8}( [a-z]{1,8}){0,2}".prop_map(|t| format!("({t})"))),
                spoken(1, 6),
            ),
            1..=3,
        ),
    )
        .prop_map(|(name, extension, parts)| {
            let text = match extension {
                Some(e) => format!("{name} ({e})"),
                None => name.clone(),
            };
            let mut out = vec![Element::Character {
                text: owned(text),
                name: owned(name),
                extension: extension.map(|e| owned(e.to_string())),
                dual: false,
                line: 0,
            }];
            for (i, (parenthetical, dialogue)) in parts.into_iter().enumerate() {
                // Dialogue right after dialogue is one element: a parenthetical parts them.
                let parenthetical = parenthetical.or_else(|| (i > 0).then(|| "(beat)".into()));
                if let Some(text) = parenthetical {
                    out.push(Element::Parenthetical {
                        text: owned(text),
                        line: 0,
                    });
                }
                out.push(Element::Dialogue {
                    text: owned(dialogue),
                    line: 0,
                });
            }
            out
        });
    let transition = upper_words(1, 3).prop_map(|w| {
        vec![Element::Transition {
            text: owned(format!("{w} TO:")),
            line: 0,
        }]
    });
    let centered = words(1, 5).prop_map(|t| {
        vec![Element::Centered {
            text: owned(t),
            line: 0,
        }]
    });
    let lyrics = words(1, 6).prop_map(|t| {
        vec![Element::Lyrics {
            text: owned(t),
            line: 0,
        }]
    });
    let section = (1usize..=3, words(1, 4)).prop_map(|(depth, t)| {
        vec![Element::Section {
            text: owned(t),
            depth,
            line: 0,
        }]
    });
    let synopsis = words(1, 6).prop_map(|t| {
        vec![Element::Synopsis {
            text: owned(t),
            line: 0,
        }]
    });
    let page_break = Just(vec![Element::PageBreak {
        text: owned(String::new()),
        line: 0,
    }]);
    prop_oneof![
        3 => heading,
        4 => action,
        4 => block,
        1 => transition,
        1 => centered,
        1 => lyrics,
        1 => section,
        1 => synopsis,
        1 => page_break,
    ]
}

fn screenplay() -> impl Strategy<Value = Screenplay<'static>> {
    let title_page = prop::collection::vec(
        (
            prop::sample::select(vec!["title", "credit", "author", "source", "draftDate"]),
            words(1, 5),
        ),
        0..=4,
    )
    .prop_map(|pairs| {
        let mut seen = Vec::new();
        pairs
            .into_iter()
            .filter(|(k, _)| {
                let fresh = !seen.contains(k);
                seen.push(*k);
                fresh
            })
            .map(|(k, v)| (k.to_string(), v))
            .collect::<Vec<_>>()
    });
    (title_page, prop::collection::vec(paragraph(), 1..=12)).prop_map(|(title_page, parts)| {
        Screenplay {
            title_page,
            elements: parts.into_iter().flatten().collect(),
            tags: Vec::new(),
        }
    })
}

/// The elements without their source lines, which the writer is free to choose.
fn without_lines(screenplay: &Screenplay<'_>) -> Vec<serde_json::Value> {
    screenplay
        .elements
        .iter()
        .map(|e| {
            let mut v = serde_json::to_value(e).expect("an element as JSON");
            if let Some(map) = v.as_object_mut() {
                map.remove("line");
            }
            v
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn fountain_written_then_parsed_is_the_same_screenplay(original in screenplay()) {
        let text = write_fountain(&original);
        let parsed = fountain::parse(&text);
        prop_assert_eq!(&parsed.title_page, &original.title_page, "title page of:\n{}", text);
        prop_assert_eq!(without_lines(&parsed), without_lines(&original), "elements of:\n{}", text);
    }
}

// ---- Edits against a model -------------------------------------------------------------

#[derive(Clone, Debug)]
enum Op {
    AddSection,
    AddElement {
        section: usize,
        position: Option<i64>,
    },
    DeleteElement {
        pick: usize,
    },
    DeleteSection {
        pick: usize,
    },
    Move {
        pick: usize,
        section: usize,
        position: i64,
    },
    Reorder {
        order: Vec<usize>,
    },
    Restore,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => Just(Op::AddSection),
        5 => (any::<usize>(), prop::option::of(-2i64..12)).prop_map(|(section, position)| Op::AddElement { section, position }),
        2 => any::<usize>().prop_map(|pick| Op::DeleteElement { pick }),
        1 => any::<usize>().prop_map(|pick| Op::DeleteSection { pick }),
        3 => (any::<usize>(), any::<usize>(), -2i64..12).prop_map(|(pick, section, position)| Op::Move { pick, section, position }),
        1 => prop::collection::vec(any::<usize>(), 0..6).prop_map(|order| Op::Reorder { order }),
        2 => Just(Op::Restore),
    ]
}

/// The script's FullStory without a session or filter.
async fn full_story(db: &Database, script_id: i64) -> story::FullStory {
    let request = StoryRequest {
        script_id,
        session_id: None,
        filter_by_character: None,
        filter_by_context: None,
    };
    story::get_full_story(db, &request)
        .await
        .expect("the full story")
}

/// What was removed, most recent last, for undo.
enum Removed {
    Element(Box<RemovedElement>),
    Section(Box<RemovedSection>),
}

/// The script as the model sees it: sections in order, each with its element ids in order.
#[derive(Default)]
struct Model {
    sections: Vec<(i64, Vec<i64>)>,
    texts: HashMap<i64, String>,
    removed: Vec<Removed>,
    next_text: usize,
}

/// Where `position` (1-based, clamped as the services clamp it) puts an item in a list that
/// will hold `len` items.
fn place(position: i64, len: usize) -> usize {
    let len = i64::try_from(len).unwrap_or(i64::MAX).max(1);
    usize::try_from(position.clamp(1, len) - 1).unwrap_or(0)
}

impl Model {
    fn elements(&self) -> Vec<(usize, usize)> {
        self.sections
            .iter()
            .enumerate()
            .flat_map(|(s, (_, es))| (0..es.len()).map(move |i| (s, i)))
            .collect()
    }

    async fn apply(&mut self, db: &Database, script_id: i64, op: &Op) -> Result<()> {
        match op {
            Op::AddSection => {
                let s = scripts::add_section(db, script_id, "INT. ROOM - DAY").await?;
                self.sections.push((s.heading_id, Vec::new()));
            }
            Op::AddElement { section, position } => {
                if self.sections.is_empty() {
                    return Ok(());
                }
                let s = section % self.sections.len();
                self.next_text += 1;
                let text = format!("Line {}", self.next_text);
                let new = NewElement {
                    kind: ElementKind::Action,
                    text: text.clone(),
                    character_id: None,
                    parenthetical: None,
                    position: *position,
                };
                let e = scripts::add_element(db, self.sections[s].0, new).await?;
                let list = &mut self.sections[s].1;
                let at = position.map_or(list.len(), |p| place(p, list.len() + 1));
                list.insert(at, e.element_id);
                self.texts.insert(e.element_id, text);
            }
            Op::DeleteElement { pick } => {
                let all = self.elements();
                if all.is_empty() {
                    return Ok(());
                }
                let (s, i) = all[pick % all.len()];
                let id = self.sections[s].1[i];
                let removed = scripts::remove_element_whole(db, id).await?;
                self.sections[s].1.remove(i);
                self.removed.push(Removed::Element(Box::new(removed)));
            }
            Op::DeleteSection { pick } => {
                if self.sections.is_empty() {
                    return Ok(());
                }
                let s = pick % self.sections.len();
                let removed = scripts::remove_section(db, self.sections[s].0).await?;
                self.sections.remove(s);
                self.removed.push(Removed::Section(Box::new(removed)));
            }
            Op::Move {
                pick,
                section,
                position,
            } => {
                let all = self.elements();
                if all.is_empty() {
                    return Ok(());
                }
                let (s, i) = all[pick % all.len()];
                let to = section % self.sections.len();
                let id = self.sections[s].1[i];
                let target = MoveElement {
                    heading_id: Some(self.sections[to].0),
                    position: *position,
                };
                scripts::move_element(db, id, target).await?;
                self.sections[s].1.remove(i);
                let list = &mut self.sections[to].1;
                list.insert(place(*position, list.len() + 1), id);
            }
            Op::Reorder { order } => {
                let mut ids: Vec<i64> = Vec::new();
                for pick in order {
                    if self.sections.is_empty() {
                        break;
                    }
                    let id = self.sections[pick % self.sections.len()].0;
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                if ids.is_empty() {
                    return Ok(());
                }
                scripts::reorder_sections(db, script_id, &ids).await?;
                let mut reordered: Vec<(i64, Vec<i64>)> = Vec::new();
                for id in &ids {
                    let i = self.sections.iter().position(|(h, _)| h == id).unwrap_or(0);
                    reordered.push(self.sections.remove(i));
                }
                reordered.append(&mut self.sections);
                self.sections = reordered;
            }
            Op::Restore => match self.removed.pop() {
                None => {}
                Some(Removed::Element(removed)) => {
                    let e = &removed.element;
                    let Some(s) = self.sections.iter().position(|(h, _)| *h == e.heading_id) else {
                        // Its scene went since: refused with `conflict`, nothing changes.
                        let refused = scripts::restore_element(db, &removed).await;
                        assert_eq!(refused.map(|_| ()).map_err(|e| e.code()), Err("conflict"));
                        return Ok(());
                    };
                    scripts::restore_element(db, &removed).await?;
                    let list = &mut self.sections[s].1;
                    let at = place(e.sequence_number.unwrap_or(i64::MAX), list.len() + 1);
                    list.insert(at, e.element_id);
                }
                Some(Removed::Section(removed)) => {
                    scripts::restore_section(db, &removed).await?;
                    let ids = removed.elements.iter().map(|e| e.element_id).collect();
                    let at = place(
                        removed.section.sequence_number.unwrap_or(i64::MAX),
                        self.sections.len() + 1,
                    );
                    self.sections.insert(at, (removed.section.heading_id, ids));
                }
            },
        }
        Ok(())
    }

    /// The database agrees with the model: every scope numbered 1..n in the model's order,
    /// and the FullStory lists the same elements with the same text, numbered 1..N.
    async fn check(&self, db: &Database, script_id: i64) {
        let sections = scripts::list_sections(db, script_id)
            .await
            .expect("sections");
        let ids: Vec<i64> = sections.iter().map(|s| s.heading_id).collect();
        let want: Vec<i64> = self.sections.iter().map(|(h, _)| *h).collect();
        assert_eq!(ids, want, "section order");
        let numbers: Vec<Option<i64>> = sections.iter().map(|s| s.sequence_number).collect();
        assert_eq!(
            numbers,
            (1..=want.len() as i64).map(Some).collect::<Vec<_>>()
        );
        for (heading_id, elements) in &self.sections {
            let stored = scripts::list_elements(db, *heading_id)
                .await
                .expect("elements");
            let ids: Vec<i64> = stored.iter().map(|e| e.element_id).collect();
            assert_eq!(&ids, elements, "element order in section {heading_id}");
            let numbers: Vec<Option<i64>> = stored.iter().map(|e| e.sequence_number).collect();
            assert_eq!(
                numbers,
                (1..=elements.len() as i64).map(Some).collect::<Vec<_>>()
            );
        }
        let full = full_story(db, script_id).await;
        let sections: Vec<i64> = full.sections.iter().map(|s| s.heading_id).collect();
        assert_eq!(sections, want, "FullStory sections");
        let items: Vec<(i64, i64, i64, &str)> = full
            .story
            .iter()
            .map(|i| (i.sequence, i.heading_id, i.element_id, i.text.as_str()))
            .collect();
        let expected: Vec<(i64, i64, i64, &str)> = self
            .sections
            .iter()
            .flat_map(|(h, es)| es.iter().map(move |e| (*h, *e)))
            .enumerate()
            .map(|(n, (h, e))| (n as i64 + 1, h, e, self.texts[&e].as_str()))
            .collect();
        assert_eq!(items, expected, "FullStory items");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn any_edits_keep_sequences_gap_free_and_the_story_in_step(ops in prop::collection::vec(op(), 1..40)) {
        runtime().block_on(async {
            let t = TestDb::new().await;
            let script = common::script(&t.db, "Model").await;
            let mut model = Model::default();
            for op in &ops {
                model.apply(&t.db, script.script_id, op).await.expect("the edit");
                model.check(&t.db, script.script_id).await;
            }
        });
    }
}

// ---- Editor sync keeps ids -------------------------------------------------------------

#[derive(Clone, Debug)]
enum Edit {
    Keep,
    Change,
    Delete,
    InsertAfter,
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        6 => Just(Edit::Keep),
        1 => Just(Edit::Change),
        1 => Just(Edit::Delete),
        1 => Just(Edit::InsertAfter),
    ]
}

/// A script of `scenes` scenes of numbered, unique action lines, as Fountain.
fn scene_text(scenes: &[Vec<String>]) -> String {
    let mut out = String::new();
    for (n, lines) in scenes.iter().enumerate() {
        out.push_str(&format!("INT. ROOM {} - DAY\n\n", n + 1));
        for line in lines {
            out.push_str(line);
            out.push_str("\n\n");
        }
    }
    out
}

/// Every element's id by its text (texts are unique in these scripts).
async fn ids_by_text(db: &Database, script_id: i64) -> HashMap<String, i64> {
    let full = full_story(db, script_id).await;
    full.story
        .into_iter()
        .map(|i| (i.text, i.element_id))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn editor_sync_keeps_the_ids_of_unchanged_lines(
        shape in prop::collection::vec(1usize..6, 1..6),
        edits in prop::collection::vec(edit(), 30),
    ) {
        let scenes: Vec<Vec<String>> = shape
            .iter()
            .enumerate()
            .map(|(s, n)| (0..*n).map(|i| format!("Scene {s} line {i} stays here.")).collect())
            .collect();
        runtime().block_on(async {
            let t = TestDb::new().await;
            let original = scene_text(&scenes);
            let script_id = screenplay::import_text(&t.db, &original, Format::Fountain)
                .await
                .expect("import")
                .script_id;
            let before = ids_by_text(&t.db, script_id).await;
            let mut kept = Vec::new();
            let mut edits = edits.iter().cycle();
            let edited: Vec<Vec<String>> = scenes
                .iter()
                .map(|lines| {
                    let mut out = Vec::new();
                    for line in lines {
                        match edits.next().unwrap_or(&Edit::Keep) {
                            Edit::Keep => {
                                kept.push(line.clone());
                                out.push(line.clone());
                            }
                            Edit::Change => out.push(format!("A new thought replaces {}", line.len())),
                            Edit::Delete => {}
                            Edit::InsertAfter => {
                                kept.push(line.clone());
                                out.push(line.clone());
                                out.push(format!("Inserted after {line}"));
                            }
                        }
                    }
                    out
                })
                .collect();
            screenplay::sync(&t.db, script_id, &scene_text(&edited)).await.expect("sync");
            let after = ids_by_text(&t.db, script_id).await;
            for line in &kept {
                assert_eq!(after.get(line), before.get(line), "the id of {line:?}");
            }
        });
    }
}

#[test]
fn action_lines_that_start_with_a_forcing_mark_stay_action() {
    for text in [
        "a\n!",
        "a\n~sung?",
        "a\n@who",
        "a\n=x",
        "a\n.X",
        "a\n#x",
        "a\n>x",
    ] {
        let original = Screenplay {
            title_page: Vec::new(),
            elements: vec![Element::Action {
                text: owned(text.to_string()),
                line: 1,
            }],
            tags: Vec::new(),
        };
        let written = write_fountain(&original);
        assert_eq!(
            without_lines(&fountain::parse(&written)),
            without_lines(&original),
            "{written:?}"
        );
    }
}
