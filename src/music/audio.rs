//! The audio preview: the Score played on a General MIDI SoundFont with rustysynth, written as a
//! stereo 16-bit WAV. The synthesizer is driven note by note from the Score (not through a MIDI
//! file), so the live player can feed it the same events.

use std::fs::File;
use std::io::BufReader;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;

use rustysynth::{SoundFont, Synthesizer, SynthesizerSettings};
use tracing::instrument;

use super::Score;
use crate::error::{Error, Result};

pub const SAMPLE_RATE: u32 = 44_100;
/// Silence after the last note so releases and reverb ring out instead of being cut off.
pub const TAIL_SECONDS: f64 = 1.0;
pub const SOUNDFONT_FILE: &str = "sf_GMbank.sf2";

/// Samples rendered per step between events; bounds memory for scores of any length.
const CHUNK: usize = 4096;

/// The SoundFont to use when none is given: $FOUNTAINAI_SOUNDFONT, else the installed copy in
/// `<prefix>/share/fountainai/soundfonts` next to the executable, else the repository's assets.
pub fn default_soundfont() -> PathBuf {
    if let Some(path) = std::env::var_os("FOUNTAINAI_SOUNDFONT") {
        return PathBuf::from(path);
    }
    let installed = std::env::current_exe().ok().and_then(|exe| {
        let prefix = exe.parent()?.parent()?;
        Some(
            prefix
                .join("share/fountainai/soundfonts")
                .join(SOUNDFONT_FILE),
        )
    });
    installed.filter(|p| p.is_file()).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets/soundfonts")
            .join(SOUNDFONT_FILE)
    })
}

#[instrument(skip_all, err, fields(path = %path.display()))]
pub fn load_soundfont(path: &Path) -> Result<Arc<SoundFont>> {
    let file = File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            Error::not_found(format!("SoundFont {} not found.", path.display()))
        }
        _ => Error::Io(format!("cannot read SoundFont {}: {e}", path.display())),
    })?;
    let invalid = |why: String| {
        Error::invalid(format!(
            "{} is not a usable SoundFont (.sf2) file: {why}",
            path.display()
        ))
    };
    // rustysynth panics on some malformed files (e.g. names that are not UTF-8): contain it.
    let loaded = catch_unwind(AssertUnwindSafe(|| {
        SoundFont::new(&mut BufReader::new(file))
    }))
    .map_err(|_| invalid("its structure is corrupt".into()))?;
    Ok(Arc::new(loaded.map_err(|e| invalid(e.to_string()))?))
}

/// What the synthesizer is told, in the order it must hear things at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Message {
    Program {
        channel: u8,
        program: u8,
    },
    NoteOff {
        channel: u8,
        pitch: u8,
    },
    NoteOn {
        channel: u8,
        pitch: u8,
        velocity: u8,
    },
}

impl Message {
    pub fn channel(self) -> u8 {
        match self {
            Message::Program { channel, .. }
            | Message::NoteOff { channel, .. }
            | Message::NoteOn { channel, .. } => channel,
        }
    }

    pub fn send(self, synth: &mut Synthesizer) {
        match self {
            Message::Program { channel, program } => {
                synth.process_midi_message(i32::from(channel), 0xC0, i32::from(program), 0)
            }
            Message::NoteOff { channel, pitch } => {
                synth.note_off(i32::from(channel), i32::from(pitch))
            }
            Message::NoteOn {
                channel,
                pitch,
                velocity,
            } => synth.note_on(i32::from(channel), i32::from(pitch), i32::from(velocity)),
        }
    }
}

/// Every message of the score at its sample, sorted: programs first, then notes through the
/// tempo map, a note-off before a note-on at the same instant so re-struck notes sound.
pub fn events(score: &Score, sample_rate: u32) -> Vec<(u64, Message)> {
    let clock = score.clock();
    let at = |tick| (clock.seconds_at(tick) * f64::from(sample_rate)).round() as u64;
    let mut events: Vec<(u64, Message)> = score
        .tracks
        .iter()
        .map(|t| {
            let program = Message::Program {
                channel: t.channel & 0x0f,
                program: t.program & 0x7f,
            };
            (0, program)
        })
        .collect();
    for note in &score.notes {
        let (channel, pitch) = (note.channel & 0x0f, note.pitch & 0x7f);
        let velocity = note.velocity.clamp(1, 127);
        events.push((
            at(note.onset),
            Message::NoteOn {
                channel,
                pitch,
                velocity,
            },
        ));
        events.push((
            at(note.onset + note.length),
            Message::NoteOff { channel, pitch },
        ));
    }
    events.sort_unstable();
    events
}

/// Samples per channel of the rendered score: its length plus the tail.
pub fn length_in_samples(score: &Score) -> u64 {
    ((score.duration_seconds() + TAIL_SECONDS) * f64::from(SAMPLE_RATE)).round() as u64
}

/// Two synthesizers, each playing half the channels, render side by side on their own threads
/// and are mixed. A SoundFont synthesizer (reverb and chorus included) is linear in its voices,
/// so the mix is the same music; on two or more cores the preview takes about half the time.
#[instrument(skip_all, err, fields(wav = %wav.display()))]
pub fn render_wav(score: &Score, soundfont: &Path, wav: &Path) -> Result<()> {
    let soundfont = load_soundfont(soundfont)?;
    let settings = SynthesizerSettings::new(SAMPLE_RATE as i32);
    let synth = || {
        Synthesizer::new(&soundfont, &settings)
            .map_err(|e| Error::invalid(format!("cannot start the synthesizer: {e}")))
    };
    let synths = [synth()?, synth()?];
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: SAMPLE_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    // A preview killed half-way leaves no half WAV under its name.
    crate::files::write_through(wav, |temp| {
        let wav_error = |e: hound::Error| Error::Io(format!("cannot write {}: {e}", wav.display()));
        let mut writer = hound::WavWriter::create(temp, spec).map_err(wav_error)?;
        let total = length_in_samples(score);
        let (even, odd): (Vec<_>, Vec<_>) = events(score, SAMPLE_RATE)
            .into_iter()
            .partition(|(_, message)| message.channel() % 2 == 0);
        std::thread::scope(|scope| {
            let parts: Vec<Receiver<Chunk>> = synths
                .into_iter()
                .zip([even, odd])
                .map(|(synth, part)| {
                    let (chunks, received) = sync_channel(2);
                    scope.spawn(move || play(synth, &part, total, &chunks));
                    received
                })
                .collect();
            let stopped = || Error::Io("the synthesizer stopped".into());
            let mut position = 0u64;
            while position < total {
                let (mut left, mut right) = parts[0].recv().map_err(|_| stopped())?;
                let (other_left, other_right) = parts[1].recv().map_err(|_| stopped())?;
                for (mixed, other) in left.iter_mut().zip(&other_left) {
                    *mixed += other;
                }
                for (mixed, other) in right.iter_mut().zip(&other_right) {
                    *mixed += other;
                }
                let mut samples = writer.get_i16_writer(2 * left.len() as u32);
                for (l, r) in left.iter().zip(&right) {
                    samples.write_sample(to_i16(*l));
                    samples.write_sample(to_i16(*r));
                }
                samples.flush().map_err(wav_error)?;
                position += left.len() as u64;
            }
            Ok::<(), Error>(())
        })?;
        writer.finalize().map_err(wav_error)
    })
}

/// Left and right samples of one stretch of the score.
type Chunk = (Vec<f32>, Vec<f32>);

/// Plays `events` on `synth` from the start to `total` samples, sending CHUNK-sized stretches;
/// each event starts exactly at its sample. Stops early when nobody listens any more.
fn play(mut synth: Synthesizer, events: &[(u64, Message)], total: u64, out: &SyncSender<Chunk>) {
    let mut pending = events.iter().peekable();
    let mut position = 0u64;
    while position < total {
        let size = (total - position).min(CHUNK as u64) as usize;
        let (mut left, mut right) = (vec![0f32; size], vec![0f32; size]);
        let mut filled = 0;
        while filled < size {
            let now = position + filled as u64;
            while let Some((_, message)) = pending.next_if(|(at, _)| *at <= now) {
                message.send(&mut synth);
            }
            let next = pending.peek().map_or(u64::MAX, |(at, _)| *at);
            let step = (next - now).min((size - filled) as u64) as usize;
            synth.render(
                &mut left[filled..filled + step],
                &mut right[filled..filled + step],
            );
            filled += step;
        }
        if out.send((left, right)).is_err() {
            return;
        }
        position += size as u64;
    }
}

fn to_i16(sample: f32) -> i16 {
    (sample * 32767.0).round().clamp(-32768.0, 32767.0) as i16
}
