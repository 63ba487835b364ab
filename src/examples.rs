//! Example stories: the seed's Romeo and Juliet, and a deterministic generator of realistic
//! feature-length scripts for benchmarks and tests.

use std::collections::BTreeMap;

use crate::document::{
    DocCharacter, DocContext, DocElement, DocSection, DocSession, ScriptDocument,
};
use crate::error::{Error, Result};
use crate::scripts::ElementKind;

const ROMEO_AND_JULIET: &str = include_str!("../assets/examples/romeo-and-juliet.json");

/// The names `fountainai example NAME` accepts.
pub const NAMES: [&str; 2] = ["romeo-and-juliet", "feature"];

pub fn romeo_and_juliet() -> Result<ScriptDocument> {
    ScriptDocument::from_json(ROMEO_AND_JULIET)
}

pub fn by_name(name: &str) -> Result<ScriptDocument> {
    match name {
        "romeo-and-juliet" => romeo_and_juliet(),
        "feature" => feature(120),
        _ => Err(Error::not_found(format!(
            "no example named {name:?}; try one of {}",
            NAMES.join(", ")
        ))),
    }
}

/// The most pages `fountainai example feature --pages N` generates: a script ten times
/// longer than any feature film, still a few hundred megabytes in memory.
pub const MAX_PAGES: usize = 10_000;

/// The generated feature script of `pages` pages, 1 to [`MAX_PAGES`].
pub fn feature(pages: usize) -> Result<ScriptDocument> {
    if !(1..=MAX_PAGES).contains(&pages) {
        return Err(Error::invalid(format!(
            "a generated feature script has 1 to {MAX_PAGES} pages, not {pages}"
        )));
    }
    Ok(feature_script(pages))
}

/// A small linear congruential generator: the same seed gives the same script on every
/// machine, with no dependency to pin.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const FIRST: [&str; 30] = [
    "ADA",
    "BRUNO",
    "CLARA",
    "DMITRI",
    "ELENA",
    "FELIX",
    "GRETA",
    "HUGO",
    "IRIS",
    "JONAS",
    "KATYA",
    "LEON",
    "MAYA",
    "NILS",
    "OLGA",
    "PAVEL",
    "QUINN",
    "ROSA",
    "SAMIR",
    "TESSA",
    "UMAR",
    "VERA",
    "WES",
    "XENIA",
    "YUSUF",
    "ZOE",
    "MARLOW",
    "SUNNY",
    "DETECTIVE REYES",
    "OLD WOMAN",
];
const PLACES: [&str; 15] = [
    "KITCHEN",
    "POLICE STATION",
    "ROOFTOP",
    "TRAIN PLATFORM",
    "DINER",
    "HOSPITAL CORRIDOR",
    "CAR",
    "OFFICE",
    "HARBOUR",
    "APARTMENT",
    "FOREST ROAD",
    "CHURCH",
    "BAR",
    "SCHOOL GYM",
    "MOTEL ROOM",
];
const TIMES: [&str; 5] = ["DAY", "NIGHT", "DAWN", "DUSK", "LATER"];
const MOODS: [&str; 8] = [
    "joy",
    "tenderness",
    "longing",
    "sadness",
    "fear",
    "anger",
    "anticipation",
    "trust",
];
const WORDS: [&str; 48] = [
    "the", "rain", "never", "told", "you", "about", "her", "we", "should", "leave", "before",
    "morning", "light", "keys", "door", "money", "river", "promise", "again", "look", "at", "me",
    "nothing", "left", "burning", "quiet", "tonight", "someone", "knows", "what", "happened",
    "there", "truth", "late", "train", "letter", "window", "cold", "hands", "father", "listen",
    "why", "still", "here", "wait", "run", "home", "now",
];
const PARENTHETICALS: [&str; 5] = ["beat", "quietly", "to herself", "smiling", "off his look"];

fn sentence(rng: &mut Lcg, min: usize, max: usize) -> String {
    let n = min + rng.below(max - min + 1);
    let mut words: Vec<&str> = (0..n).map(|_| rng.pick(&WORDS)).collect();
    let mut text = words.remove(0).to_string();
    if let Some(first) = text.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    for w in words {
        text.push(' ');
        text.push_str(w);
    }
    text.push(if rng.below(5) == 0 { '?' } else { '.' });
    text
}

/// A feature script of about `pages` pages: at 120 pages, 150 scenes, 1,500 dialogue lines,
/// about 1,200 actions and 30 characters (about 146 KB as Fountain), with one session giving
/// every scene a mood, a location and a time of day.
pub fn feature_script(pages: usize) -> ScriptDocument {
    let mut rng = Lcg(0xF004_17A1_u64.wrapping_add(pages as u64));
    let scenes = (pages * 5).div_ceil(4).max(1);
    let characters: Vec<DocCharacter> = FIRST
        .iter()
        .map(|name| DocCharacter {
            name: name.to_string(),
            description: sentence(&mut rng, 6, 12),
            ..DocCharacter::default()
        })
        .collect();
    let mut sections = Vec::with_capacity(scenes);
    let mut contexts = Vec::with_capacity(scenes);
    for scene in 0..scenes {
        let place = rng.pick(&PLACES);
        let time = rng.pick(&TIMES);
        let inside = if rng.below(3) == 0 { "EXT." } else { "INT." };
        sections.push(DocSection {
            title: format!("{inside} {place} - {time}"),
            elements: scene_elements(&mut rng, scene),
            ..DocSection::default()
        });
        let mut data = BTreeMap::new();
        data.insert("mood".to_string(), rng.pick(&MOODS).to_string());
        data.insert("location".to_string(), place.to_lowercase());
        data.insert("time".to_string(), time.to_lowercase());
        contexts.push(DocContext {
            section: Some(scene + 1),
            element: None,
            character: None,
            data,
        });
    }
    ScriptDocument {
        title: format!("The Long Night ({pages} pages)"),
        author: "FountainAI generator".into(),
        description: "A generated feature script for benchmarks and tests.".into(),
        characters,
        sections,
        sessions: vec![DocSession {
            user_id: 1,
            context: "Generated interpretation".into(),
            contexts,
            ..DocSession::default()
        }],
        ..ScriptDocument::default()
    }
}

/// Ten lines and about eight actions, two or three speakers per scene (every character speaks
/// somewhere), a transition at the end of every fifth scene.
fn scene_elements(rng: &mut Lcg, scene: usize) -> Vec<DocElement> {
    let cast: Vec<&str> = (0..3)
        .map(|i| FIRST[(scene * 3 + i + rng.below(2)) % FIRST.len()])
        .collect();
    let mut elements = vec![action(sentence(rng, 12, 30))];
    for line in 0..10 {
        let speaker = cast[(line + rng.below(2)) % cast.len()];
        let parenthetical = (rng.below(6) == 0).then(|| rng.pick(&PARENTHETICALS).to_string());
        elements.push(DocElement {
            kind: ElementKind::Dialogue,
            character: Some(speaker.to_string()),
            text: sentence(rng, 4, 22),
            parenthetical,
            ..DocElement::default()
        });
        if line % 4 == 3 || rng.below(3) == 0 {
            elements.push(action(sentence(rng, 8, 24)));
        }
    }
    if scene % 5 == 4 {
        elements.push(DocElement {
            kind: ElementKind::Transition,
            character: None,
            text: "CUT TO:".into(),
            ..DocElement::default()
        });
    }
    elements
}

fn action(text: String) -> DocElement {
    DocElement {
        kind: ElementKind::Action,
        character: None,
        text,
        ..DocElement::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_many_pages_is_invalid_input_not_an_allocation_abort() {
        for pages in [0, MAX_PAGES + 1, 99_999_999_999] {
            let err = feature(pages).unwrap_err();
            assert_eq!(err.code(), "invalid_input", "{pages}");
            assert!(err.to_string().contains("10000"), "{err}");
        }
        assert_eq!(feature(2).unwrap().title, "The Long Night (2 pages)");
    }
}
