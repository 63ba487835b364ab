//! Live MIDI over a real JACK server (the `jack` build): the score played into an independent
//! JACK client, stop and panic, a dense chord passage, a leitmotif recorded from a phrase the
//! client plays, and the client vanishing mid-play. scripts/test.sh starts
//! `jackd --no-realtime -d dummy -r 48000 -p 1024` for these.
#![cfg(feature = "jack")]

#[path = "common/cli.rs"]
mod cli;
mod common;
#[path = "live/peer.rs"]
mod peer;
#[path = "common/score.rs"]
mod score;

use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fountainai::characters::{self, CharacterUpdate};
use fountainai::live::midi_in::{self, RecordOptions};
use fountainai::live::midi_out::MidiOut;
use fountainai::live::player::{self, Command, Player, Report};
use fountainai::live::ports::{self, PortWatch};
use fountainai::live::{self, silence_messages};
use fountainai::music::leitmotif::{Leitmotif, MotifNote};
use fountainai::music::{Note, Score, TempoChange};
use peer::{Arrived, Peer};

const RATE: f64 = 48_000.0;

/// The two-cue test score, four times as fast: about 3.6 seconds.
fn quick_score() -> Score {
    let mut score = score::two_cues();
    for change in &mut score.tempo_map {
        change.micros_per_quarter /= 4;
    }
    let clock = score.clock();
    for cue in &mut score.cues {
        cue.start_seconds = clock.seconds_at(cue.start_tick);
        cue.end_seconds = clock.seconds_at(cue.end_tick);
    }
    score
}

/// Note-ons and note-offs the score should produce, in order: by time, offs before ons.
fn expected_notes(score: &Score) -> Vec<(f64, Vec<u8>)> {
    let mut expected: Vec<(u64, u8, Vec<u8>)> = Vec::new();
    for note in &score.notes {
        expected.push((
            note.onset,
            1,
            vec![0x90 | note.channel, note.pitch, note.velocity],
        ));
        expected.push((
            note.onset + note.length,
            0,
            vec![0x80 | note.channel, note.pitch, 0],
        ));
    }
    expected.sort();
    expected
        .into_iter()
        .map(|(tick, _, bytes)| (score.seconds_at(tick), bytes))
        .collect()
}

fn is_note(bytes: &[u8]) -> bool {
    matches!(bytes.first().map(|b| b & 0xF0), Some(0x80 | 0x90))
}

fn resets() -> Vec<Vec<u8>> {
    silence_messages().iter().map(|m| m.to_vec()).collect()
}

/// Waits for a report the test cares about, failing after `limit`.
fn wait_for(
    reports: &Receiver<Report>,
    limit: Duration,
    wanted: impl Fn(&Report) -> bool,
) -> Report {
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match reports.recv_timeout(left) {
            Ok(report) if wanted(&report) => return report,
            Ok(_) => {}
            Err(e) => panic!("no such report within {limit:?}: {e}"),
        }
    }
}

/// What the peer received once the last period has surely gone by.
fn settled(peer: &mut Peer) -> Vec<Arrived> {
    std::thread::sleep(Duration::from_millis(100));
    peer.received()
}

#[test]
fn the_score_arrives_note_for_note_in_order_and_in_time() {
    let mut synth = Peer::start("synth-in-order");
    let score = quick_score();
    let output = MidiOut::connect(&synth.input()).expect("connect to the peer");
    let mut positions = Vec::new();
    player::play_through(
        &score,
        Box::new(output),
        0.0,
        player::Options::default(),
        &mut |r| {
            if let Report::Position { seconds, .. } = r {
                positions.push(*seconds);
            }
        },
    )
    .expect("play to the end");

    let arrived = settled(&mut synth);
    let programs: Vec<&Vec<u8>> = arrived
        .iter()
        .map(|(_, b)| b)
        .take(score.tracks.len())
        .collect();
    let wanted: Vec<Vec<u8>> = score
        .tracks
        .iter()
        .map(|t| vec![0xC0 | t.channel, t.program])
        .collect();
    assert_eq!(
        programs,
        wanted.iter().collect::<Vec<_>>(),
        "programs first"
    );
    let notes: Vec<&Arrived> = arrived.iter().filter(|(_, b)| is_note(b)).collect();
    let expected = expected_notes(&score);
    let heard: Vec<&Vec<u8>> = notes.iter().map(|(_, b)| b).collect();
    assert_eq!(heard, expected.iter().map(|(_, b)| b).collect::<Vec<_>>());
    // In time: each message within two periods (43 ms) of where the tempo map puts it.
    let (first_frame, first_due) = (notes[0].0 as f64, expected[0].0);
    for ((frame, bytes), (due, _)) in notes.iter().zip(&expected) {
        let (heard_at, seconds) = ((*frame as f64 - first_frame) / RATE, due - first_due);
        assert!(
            (heard_at - seconds).abs() < 0.045,
            "{bytes:?} at {heard_at:.3} s, due at {seconds:.3} s"
        );
    }
    let tail: Vec<Vec<u8>> = arrived[arrived.len() - 64..]
        .iter()
        .map(|(_, b)| b.clone())
        .collect();
    assert_eq!(tail, resets(), "the end resets every channel");
    // About 20 position reports a second, rising.
    let rate = positions.len() as f64 / score.duration_seconds();
    assert!(
        (15.0..=25.0).contains(&rate),
        "{rate} position reports a second"
    );
    assert!(positions.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn stop_and_panic_release_held_notes_then_reset_every_channel() {
    let mut synth = Peer::start("synth-stop");
    let mut score = quick_score();
    // A held chord that the stop cuts into.
    score.notes = [48u8, 55, 64]
        .map(|pitch| Note {
            onset: 0,
            length: 480 * 40,
            track: 0,
            channel: 0,
            pitch,
            velocity: 80,
        })
        .to_vec();
    let output = MidiOut::connect(&synth.input()).expect("connect");
    let (player, reports) =
        Player::start(&score, Box::new(output), player::Options::default()).unwrap();
    player.send(Command::Play(0.0)).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    player.send(Command::Stop).unwrap();
    wait_for(&reports, Duration::from_secs(2), |r| *r == Report::Stopped);

    let arrived = settled(&mut synth);
    let after_ons: Vec<Vec<u8>> = arrived
        .iter()
        .map(|(_, b)| b.clone())
        .skip_while(|b| b[0] & 0xF0 != 0x90)
        .skip(3)
        .collect();
    let mut expected = vec![vec![0x80, 48, 0], vec![0x80, 55, 0], vec![0x80, 64, 0]];
    expected.extend(resets());
    assert_eq!(
        after_ons, expected,
        "note-offs for the held chord, then the resets"
    );

    // Panic on a player at rest, and on a port without one: the resets and nothing else.
    player.send(Command::Panic).unwrap();
    let mut port = MidiOut::connect(&synth.input()).expect("connect again");
    live::panic(&mut port).expect("panic");
    let arrived = settled(&mut synth);
    let last: Vec<Vec<u8>> = arrived[arrived.len() - 128..]
        .iter()
        .map(|(_, b)| b.clone())
        .collect();
    assert_eq!(last, [resets(), resets()].concat());
}

#[test]
fn a_dense_chord_passage_arrives_whole() {
    let mut synth = Peer::start("synth-dense");
    let mut score = quick_score();
    score.tempo_map = vec![TempoChange {
        tick: 0,
        micros_per_quarter: 250_000,
    }];
    // Sixteenth-note chords of 40 notes over six channels: 80 messages at each step (every
    // 62.5 ms), far below what JACK's midir output drops (about 2,000 a period).
    let mut notes = Vec::new();
    for step in 0..32u64 {
        for pitch in 40u8..80 {
            let channel = pitch % 6;
            notes.push(Note {
                onset: step * 120,
                length: 120,
                track: u16::from(channel),
                channel,
                pitch,
                velocity: 40 + (pitch % 80),
            });
        }
    }
    notes.sort_by_key(|n| (n.onset, n.track, n.pitch));
    score.notes = notes;
    score.cues.clear();
    let output = MidiOut::connect(&synth.input()).expect("connect");
    player::play_through(
        &score,
        Box::new(output),
        0.0,
        player::Options::default(),
        &mut |_| {},
    )
    .expect("play");
    let arrived = settled(&mut synth);
    let heard: Vec<Vec<u8>> = arrived
        .into_iter()
        .map(|(_, b)| b)
        .filter(|b| is_note(b))
        .collect();
    let expected: Vec<Vec<u8>> = expected_notes(&score).into_iter().map(|(_, b)| b).collect();
    assert_eq!(heard.len(), 32 * 80);
    assert_eq!(heard, expected);
}

#[test]
fn the_midi_clock_follows_the_tempo_map() {
    let mut drum_machine = Peer::start("drum-machine");
    let score = quick_score();
    let output = MidiOut::connect(&drum_machine.input()).expect("connect");
    let options = player::Options { clock: true };
    player::play_through(&score, Box::new(output), 0.0, options, &mut |_| {}).expect("play");
    let arrived = settled(&mut drum_machine);
    let system: Vec<&Arrived> = arrived.iter().filter(|(_, b)| b[0] >= 0xF0).collect();
    assert_eq!(
        system.first().map(|(_, b)| b.clone()),
        Some(vec![0xFA]),
        "Start first"
    );
    assert_eq!(
        system.last().map(|(_, b)| b.clone()),
        Some(vec![0xFC]),
        "Stop last"
    );
    let pulses: Vec<u64> = system
        .iter()
        .filter(|(_, b)| b[0] == 0xF8)
        .map(|(f, _)| *f)
        .collect();
    // 24 a quarter over 32 quarters, plus the one on the final beat.
    assert_eq!(pulses.len(), 32 * 24 + 1);
    // First cue 360 bpm (a pulse each 6.9 ms), second 480 bpm (5.2 ms): within a period.
    let span = |from: usize, to: usize| (pulses[to] - pulses[from]) as f64 / RATE;
    assert!((span(0, 16 * 24) - 16.0 * 60.0 / 360.0).abs() < 0.045);
    assert!((span(16 * 24, 32 * 24) - 16.0 * 60.0 / 480.0).abs() < 0.045);
}

#[test]
fn the_midi_clock_turned_on_while_playing_tells_the_drum_machine_where_and_keeps_every_note() {
    let mut drum_machine = Peer::start("drum-machine-late");
    let score = quick_score();
    let output = MidiOut::connect(&drum_machine.input()).expect("connect");
    let (player, reports) =
        Player::start(&score, Box::new(output), player::Options::default()).expect("start");
    player.send(Command::Play(0.0)).expect("play");
    std::thread::sleep(Duration::from_millis(1200));
    player.send(Command::Clock(true)).expect("clock on");
    wait_for(&reports, Duration::from_secs(10), |r| *r == Report::Ended);
    let arrived = settled(&mut drum_machine);
    let system: Vec<Vec<u8>> = arrived
        .iter()
        .filter(|(_, b)| b[0] >= 0xF0)
        .map(|(_, b)| b.clone())
        .collect();
    assert_eq!(
        system.first(),
        Some(&vec![0xFC]),
        "Stop first (the sequencer was idle)"
    );
    assert_eq!(system.get(1).map(|m| m[0]), Some(0xF2), "then where we are");
    assert_eq!(system.get(2), Some(&vec![0xFB]), "then Continue");
    assert_eq!(system.last(), Some(&vec![0xFC]), "Stop at the end");
    let pulses = system.iter().filter(|m| m[..] == [0xF8]).count();
    // About 2.4 of the 3.6 seconds were left: two thirds of the pulses, none from before.
    let all = 32 * 24 + 1;
    assert!(pulses > all / 2 && pulses < all * 4 / 5, "{pulses} pulses");
    let heard: Vec<Vec<u8>> = arrived
        .iter()
        .filter(|(_, b)| is_note(b))
        .map(|(_, b)| b.clone())
        .collect();
    let expected: Vec<Vec<u8>> = expected_notes(&score).into_iter().map(|(_, b)| b).collect();
    assert_eq!(heard, expected, "every note once, in order");
}

#[test]
fn ports_are_listed_with_id_and_name_and_chosen_by_either() {
    let synth = Peer::start("synth-listed");
    let listed = ports::list().expect("list ports");
    let output = listed
        .outputs
        .iter()
        .find(|p| p.id == synth.input())
        .expect("the peer's input is an output port for us");
    assert_eq!(output.name, synth.input());
    assert!(listed.inputs.iter().any(|p| p.id == synth.output()));
    assert!(MidiOut::connect(&output.name).is_ok());
    let missing = MidiOut::connect("no such synth").err().expect("refused");
    assert_eq!(missing.code(), "not_found");
    assert!(missing.to_string().contains(&synth.input()), "{missing}");
}

#[test]
fn a_synth_that_vanishes_mid_play_stops_the_player_with_a_clear_message() {
    let mut synth = Peer::start("synth-unplugged");
    let score = quick_score();
    let changes: Arc<Mutex<Vec<ports::Ports>>> = Arc::default();
    let seen = Arc::clone(&changes);
    let watch = PortWatch::start(Duration::from_millis(200), move |now| {
        seen.lock().unwrap().push(now.clone());
    })
    .expect("watch ports");
    let output = MidiOut::connect(&synth.input()).expect("connect");
    let (player, reports) =
        Player::start(&score, Box::new(output), player::Options::default()).unwrap();
    player.send(Command::Play(0.0)).unwrap();
    std::thread::sleep(Duration::from_millis(400));
    let killed = Instant::now();
    synth.kill();

    let failed = wait_for(&reports, Duration::from_secs(3), |r| {
        matches!(r, Report::Failed { .. })
    });
    let Report::Failed { code, message } = failed else {
        unreachable!()
    };
    assert_eq!(code, "device_unavailable");
    assert!(
        message.contains("synth-unplugged:input") && message.contains("gone"),
        "{message}"
    );
    assert!(
        killed.elapsed() < Duration::from_millis(2500),
        "noticed within the check interval"
    );
    let deadline = Instant::now() + Duration::from_secs(1);
    while player.is_running() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(!player.is_running(), "the player's thread has ended");
    assert_eq!(
        player.send(Command::Play(0.0)).err().map(|e| e.code()),
        Some("device_unavailable")
    );
    // The player may notice first; the port list drops the synth at the watch's next look.
    let listed = || {
        let changes = changes.lock().unwrap();
        let last = changes.last().expect("the watch saw the port list change");
        last.outputs.iter().any(|p| p.id == "synth-unplugged:input")
    };
    let deadline = Instant::now() + Duration::from_secs(2);
    while listed() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(watch);
    assert!(!listed(), "the port list still shows the unplugged synth");
}

#[tokio::test]
async fn a_phrase_played_on_a_keyboard_becomes_the_characters_leitmotif() {
    let test = common::TestDb::new().await;
    let script = common::script(&test.db, "Recording").await;
    let romeo = common::character(&test.db, script.script_id, "ROMEO").await;
    let mut keyboard = Peer::start("keyboard");
    let monitor = Peer::start("monitor");

    let phrase = peer::phrase();
    let options = RecordOptions::default();
    let thru = MidiOut::connect(&monitor.input()).expect("thru port");
    let recording = midi_in::Recording::start(&keyboard.output(), &options, Some(Box::new(thru)))
        .expect("listen to the keyboard");
    std::thread::sleep(Duration::from_millis(100));
    keyboard.play(&phrase);
    std::thread::sleep(Duration::from_millis(100));
    let take = recording.finish();
    assert_eq!(take.thru_error, None);
    let motif = midi_in::quantise(&take, &options).expect("a leitmotif");
    let expected = Leitmotif(
        [(0, 1), (2, 1), (4, 2), (7, 4)]
            .map(|(degree, length)| MotifNote { degree, length })
            .to_vec(),
    );
    assert_eq!(motif, expected);

    // Saved through the character's own update, and undone the same way.
    let before = characters::get_character(&test.db, romeo.character_id)
        .await
        .unwrap()
        .leitmotif;
    let update = |leitmotif| CharacterUpdate {
        leitmotif: Some(leitmotif),
        ..CharacterUpdate::default()
    };
    let saved = characters::update_character(&test.db, romeo.character_id, update(Some(motif)))
        .await
        .expect("save the take");
    assert_eq!(saved.leitmotif, Some(expected));
    let undone = characters::update_character(&test.db, romeo.character_id, update(before.clone()))
        .await
        .expect("undo");
    assert_eq!(undone.leitmotif, before);

    // Thru delivered the phrase to the monitor as it was played.
    let mut monitor = monitor;
    let heard: Vec<Vec<u8>> = settled(&mut monitor).into_iter().map(|(_, b)| b).collect();
    let played: Vec<Vec<u8>> = {
        let mut sorted = phrase.clone();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
        sorted.into_iter().map(|(_, b)| b).collect()
    };
    assert_eq!(heard, played);
}

#[test]
fn the_command_line_lists_the_synth_and_plays_the_score_into_it() {
    let mut synth = Peer::start("synth-cli");
    let dir = tempfile::tempdir().unwrap();
    let listed = cli::ok(dir.path(), &["midi", "ports"]);
    let outputs = listed["outputs"].as_array().expect("outputs");
    assert!(
        outputs
            .iter()
            .any(|p| p["id"] == synth.input().as_str() && p["name"] == synth.input().as_str()),
        "{listed}"
    );
    assert!(listed["inputs"]
        .as_array()
        .is_some_and(|inputs| inputs.iter().any(|p| p["id"] == synth.output().as_str())));

    let loaded = cli::ok(dir.path(), &["example", "romeo-and-juliet"]);
    let (script, session) = (
        loaded["scriptId"].to_string(),
        loaded["sessionIds"][0].to_string(),
    );
    // The last few seconds of the example's score, to keep the test short.
    let played = cli::ok(
        dir.path(),
        &[
            "midi",
            "play",
            &script,
            "--session",
            &session,
            "--port",
            &synth.input(),
            "--from",
            "15",
        ],
    );
    assert_eq!(played["port"]["name"], synth.input().as_str(), "{played}");
    assert_eq!(played["fromSeconds"], 15.0);

    let arrived = settled(&mut synth);
    let notes: Vec<&Vec<u8>> = arrived
        .iter()
        .map(|(_, b)| b)
        .filter(|b| is_note(b))
        .collect();
    let struck = notes
        .iter()
        .filter(|b| b[0] & 0xF0 == 0x90 && b[2] > 0)
        .count();
    assert!(struck > 0, "no notes arrived: {arrived:?}");
    let released = notes.len() - struck;
    assert!(released >= struck, "every note is released: {notes:?}");
    let tail: Vec<Vec<u8>> = arrived[arrived.len() - 64..]
        .iter()
        .map(|(_, b)| b.clone())
        .collect();
    assert_eq!(tail, resets(), "the end resets every channel");
}
