//! A deterministic, realistic Fountain feature script for benches and tests.
//!
//! `feature(pages)` writes about 1.2 KB per page (a 120-page script is about 146 KB), with
//! the mix a real script has: scene headings (some numbered, some forced), action
//! paragraphs, dialogue with parentheticals and extensions, dual dialogue, transitions,
//! emphasis, notes, a boneyard, sections, synopses, lyrics, centered text and tabs. The
//! choices come from a fixed linear congruential generator, so every run gives the same text.

// Each user of this file (a bench, a test) uses only part of it.
#![allow(dead_code)]

/// Bytes of Fountain text per printed page in a typical script.
pub const BYTES_PER_PAGE: usize = 1220;

const PLACES: [&str; 12] = [
    "DINER",
    "POLICE STATION - BULLPEN",
    "MARGO'S APARTMENT - KITCHEN",
    "HIGHWAY",
    "MOTEL ROOM",
    "PARKING GARAGE - LEVEL 3",
    "CITY HALL - RECORDS OFFICE",
    "RAY'S CAR",
    "ROOFTOP",
    "HOSPITAL CORRIDOR",
    "BUS DEPOT",
    "WAREHOUSE",
];
const TIMES: [&str; 6] = ["DAY", "NIGHT", "CONTINUOUS", "LATER", "MORNING", "DUSK"];
const PEOPLE: [&str; 8] = [
    "MARGO",
    "RAY",
    "DETECTIVE LOPEZ",
    "EDDIE",
    "SHERIFF HOLT",
    "MRS. KOWALSKI",
    "THE CLERK",
    "JUNE",
];
const EXTENSIONS: [&str; 4] = [" (V.O.)", " (O.S.)", " (CONT'D)", " (on the phone)"];
const ACTION: [&str; 14] = [
    "Rain lashes the windows. The neon sign outside buzzes and flickers, throwing red light across the counter.",
    "A bell over the door. Someone shakes off a wet coat and takes the stool nearest the exit.",
    "She wipes the same spot on the counter for the hundredth time, never taking her eyes off him.",
    "He slides a photograph across the table. It is old, creased, and shows a much younger woman.",
    "Headlights sweep the room. Somewhere below, a car door slams and an engine idles.",
    "The phone rings. Nobody moves. It rings again.",
    "A long silence. The radiator ticks. Outside, a siren rises and fades.",
    "He checks his watch, then the door, then his watch again.",
    "Files everywhere. Coffee cups stacked like a skyline. A map pinned with red string.",
    "She pockets the key before anyone can see it. *Almost* anyone.",
    "The elevator doors open on an empty floor. Fluorescent lights hum.",
    "He reads the letter twice, folds it along its old creases and puts it away.",
    "_Nobody_ notices the man in the grey coat leave through the kitchen.",
    "Thunder. The lights dip, come back. Everyone pretends they did not flinch.",
];
const LINES: [&str; 16] = [
    "Kitchen's closed.",
    "I'm not here for the pie.",
    "Then you're wasting both our time, and I get paid by the hour.",
    "You knew her. Don't tell me you didn't, I can see it on your face.",
    "Everybody knew her. That was the problem.",
    "Where were you on the night of the fourteenth?",
    "Working. Same as every night. Same as tonight.",
    "I need a name. Just one name, and I walk out of here.",
    "You don't want that name. Trust me, **nobody** wants that name.",
    "Sit down. Please.",
    "It was raining. It's always raining in this town.",
    "Is that a threat?",
    "It's a forecast.",
    "I should have left this place ten years ago.",
    "Then why didn't you?",
    "Somebody had to keep the coffee hot.",
];
const PARENS: [&str; 6] = [
    "(not looking up)",
    "(beat)",
    "(quietly)",
    "(to Ray)",
    "(lighting a cigarette)",
    "(re: the photo)",
];
const TRANSITIONS: [&str; 4] = ["CUT TO:", "SMASH CUT TO:", "DISSOLVE TO:", "MATCH CUT TO:"];

struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// A feature script of about `pages` pages.
pub fn feature(pages: usize) -> String {
    let mut rng = Lcg(0x5eed);
    let mut out = String::from(
        "Title:\n    _**THE LONG NIGHT**_\nCredit: Written by\nAuthor: A. Writer\n\
         Source: Based on a story by Someone Else\nDraft date: 1/20/2026\n\
         Contact:\n    Studio Lane 5\n    Springfield\n    555-0100\n\n",
    );
    let target = pages * BYTES_PER_PAGE;
    let mut scene = 0;
    while out.len() < target {
        scene += 1;
        if scene % 15 == 1 {
            out.push_str(&format!("# ACT {}\n\n", scene / 15 + 1));
        }
        push_scene(&mut out, &mut rng, scene);
    }
    out.push_str("> THE END <\n");
    out
}

fn push_scene(out: &mut String, rng: &mut Lcg, scene: usize) {
    let place = rng.pick(&PLACES);
    let time = rng.pick(&TIMES);
    let prefix = ["INT.", "EXT.", "INT./EXT."][rng.below(3)];
    match scene % 9 {
        0 => out.push_str(&format!(".{place} - FLASHBACK\n\n")),
        4 => out.push_str(&format!("{prefix} {place} - {time} #{scene}#\n\n")),
        _ => out.push_str(&format!("{prefix} {place} - {time}\n\n")),
    }
    if matches!(scene % 5, 0) {
        out.push_str("= The truth about the photograph starts to come out.\n\n");
    }
    let beats = 4 + rng.below(5);
    for beat in 0..beats {
        match rng.below(10) {
            0..=2 => push_action(out, rng),
            3 if beat > 0 => push_dual(out, rng),
            _ => push_dialogue(out, rng),
        }
    }
    match scene % 12 {
        3 => out.push_str("/* An older version of this scene:\nRAY leaves without a word.\n*/\n"),
        7 => out.push_str("~Sweet dreams are made of this\n~Who am I to disagree\n\n"),
        10 => out.push_str("\tThe engine ticks as it cools.\n\n===\n\n"),
        _ => {}
    }
    if rng.below(3) == 0 {
        out.push_str(rng.pick(&TRANSITIONS));
        out.push_str("\n\n");
    }
}

fn push_action(out: &mut String, rng: &mut Lcg) {
    let sentences = 1 + rng.below(3);
    for i in 0..sentences {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(rng.pick(&ACTION));
    }
    if rng.below(6) == 0 {
        out.push_str(" [[Check continuity with the earlier scene.]]");
    }
    out.push_str("\n\n");
}

fn push_dialogue(out: &mut String, rng: &mut Lcg) {
    out.push_str(rng.pick(&PEOPLE));
    if rng.below(5) == 0 {
        out.push_str(rng.pick(&EXTENSIONS));
    }
    out.push('\n');
    if rng.below(3) == 0 {
        out.push_str(rng.pick(&PARENS));
        out.push('\n');
    }
    let lines = 1 + rng.below(3);
    for i in 0..lines {
        out.push_str(rng.pick(&LINES));
        out.push(if i + 1 == lines { '\n' } else { ' ' });
    }
    if rng.below(4) == 0 {
        out.push_str(rng.pick(&PARENS));
        out.push('\n');
        out.push_str(rng.pick(&LINES));
        out.push('\n');
    }
    out.push('\n');
}

fn push_dual(out: &mut String, rng: &mut Lcg) {
    out.push_str(&format!("{}\n{}\n\n", rng.pick(&PEOPLE), rng.pick(&LINES)));
    out.push_str(&format!(
        "{} ^\n{}\n\n",
        rng.pick(&PEOPLE),
        rng.pick(&LINES)
    ));
}
