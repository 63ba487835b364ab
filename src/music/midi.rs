//! The Score as a Standard MIDI File, type 1: track 0 holds the title, tempo map, time
//! signature, a key signature, a marker (the scene heading) and a cue point (the cue's name)
//! at every cue; then one named track per Score track with its program change and notes.
//! The bytes depend on the Score alone.

use midly::num::{u15, u24, u28, u4, u7};
use midly::{Format, Header, MetaMessage, MidiMessage, Smf, Timing, TrackEvent, TrackEventKind};

use super::Score;
use crate::error::{Error, Result};

pub fn write(score: &Score) -> Result<Vec<u8>> {
    let mut smf = Smf::new(Header::new(
        Format::Parallel,
        Timing::Metrical(u15::new(score.ppq)),
    ));
    smf.tracks.push(conductor(score));
    let mut by_track: Vec<Vec<&super::Note>> = vec![Vec::new(); score.tracks.len()];
    for note in &score.notes {
        if let Some(notes) = by_track.get_mut(usize::from(note.track)) {
            notes.push(note);
        }
    }
    for (track, notes) in score.tracks.iter().zip(by_track) {
        let mut events = Vec::with_capacity(2 * notes.len() + 2);
        events.extend([
            (0, 0, meta(MetaMessage::TrackName(track.name.as_bytes()))),
            (
                0,
                1,
                TrackEventKind::Midi {
                    channel: u4::new(track.channel),
                    message: MidiMessage::ProgramChange {
                        program: u7::new(track.program),
                    },
                },
            ),
        ]);
        for note in notes {
            let channel = u4::new(note.channel);
            let key = u7::new(note.pitch);
            // At one tick, releases come before new notes, so a repeated pitch sounds again.
            events.push((
                note.onset.saturating_add(note.length),
                2,
                TrackEventKind::Midi {
                    channel,
                    message: MidiMessage::NoteOff {
                        key,
                        vel: u7::new(0),
                    },
                },
            ));
            events.push((
                note.onset,
                3,
                TrackEventKind::Midi {
                    channel,
                    message: MidiMessage::NoteOn {
                        key,
                        vel: u7::new(note.velocity.max(1)),
                    },
                },
            ));
        }
        smf.tracks.push(timed(events));
    }
    let mut bytes = Vec::new();
    smf.write_std(&mut bytes)
        .map_err(|e| Error::Io(format!("cannot write the MIDI file: {e}")))?;
    Ok(bytes)
}

fn conductor(score: &Score) -> Vec<TrackEvent<'_>> {
    let (beats, unit) = score.time_signature;
    let mut events = vec![
        (0, 0, meta(MetaMessage::TrackName(score.title.as_bytes()))),
        (
            0,
            1,
            meta(MetaMessage::TimeSignature(
                beats,
                unit.max(1).trailing_zeros() as u8,
                24,
                8,
            )),
        ),
    ];
    for change in &score.tempo_map {
        let micros = u24::new(change.micros_per_quarter.min(0xff_ffff));
        events.push((change.tick, 2, meta(MetaMessage::Tempo(micros))));
    }
    for cue in &score.cues {
        let signature = cue.mode.key_signature(cue.tonic);
        events.push((
            cue.start_tick,
            3,
            meta(MetaMessage::KeySignature(signature, cue.mode.is_minor())),
        ));
        events.push((
            cue.start_tick,
            5,
            meta(MetaMessage::CuePoint(cue.name.as_bytes())),
        ));
    }
    for marker in &score.markers {
        events.push((
            marker.tick,
            4,
            meta(MetaMessage::Marker(marker.text.as_bytes())),
        ));
    }
    timed(events)
}

fn meta(message: MetaMessage<'_>) -> TrackEventKind<'_> {
    TrackEventKind::Meta(message)
}

/// Sorts events by (tick, rank) — stable, so equal keys keep the Score's order — and turns
/// absolute ticks into deltas, ending the track.
fn timed(mut events: Vec<(u64, u8, TrackEventKind<'_>)>) -> Vec<TrackEvent<'_>> {
    events.sort_by_key(|(tick, rank, _)| (*tick, *rank));
    let mut last = 0;
    let mut track: Vec<TrackEvent> = events
        .into_iter()
        .map(|(tick, _, kind)| {
            let delta = (tick - last).min(u64::from(u28::max_value().as_int()));
            last = tick;
            TrackEvent {
                delta: u28::new(delta as u32),
                kind,
            }
        })
        .collect();
    track.push(TrackEvent {
        delta: u28::new(0),
        kind: meta(MetaMessage::EndOfTrack),
    });
    track
}
