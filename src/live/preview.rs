//! The preview voice: the shipped SoundFont played by rustysynth as a `rodio::Source` on the
//! speakers, the player's other `Output`. rustysynth applies a message only at the start of
//! its render block, so the voice splits each block at the sample a message is due.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rodio::mixer::Mixer;
use rodio::{OutputStream, OutputStreamBuilder, Source};
use rustysynth::{SoundFont, Synthesizer, SynthesizerSettings};

use super::player::{self, Report};
use super::Output;
use crate::error::{Error, Result};
use crate::music::{audio, Score};

/// Frames rendered per step: small, so a message waits at most this long on the audio thread.
const BLOCK: usize = 64;
/// What the audio device is asked to buffer (frames); fixed so the delay to sound is known.
const DEVICE_BUFFER: u32 = 512;
/// Messages are handed to the voice this much before they sound, so they are there when the
/// audio thread renders their sample.
pub const LEAD: Duration = Duration::from_millis(30);

/// A MIDI message on its way to the voice, with the instant it should sound.
type Due = (Instant, [u8; 3]);

/// The player's output for the speakers (or any sink that pulls the voice).
#[derive(Clone)]
pub struct Preview {
    voice: Sender<Due>,
}

impl Output for Preview {
    fn send(&mut self, due: Instant, message: &[u8]) -> Result<()> {
        let mut bytes = [0u8; 3];
        let len = message.len().min(3);
        bytes[..len].copy_from_slice(&message[..len]);
        self.voice
            .send((due, bytes))
            .map_err(|_| Error::device("The speakers have closed; playback stopped."))
    }

    fn lead(&self) -> Duration {
        LEAD
    }

    fn describe(&self) -> String {
        "the speakers".into()
    }
}

/// rustysynth pulled in small blocks, stereo, at the device's sample rate. It never ends: it
/// renders silence while nothing plays, so the stream stays open.
pub struct Voice {
    synth: Synthesizer,
    sample_rate: u32,
    incoming: Receiver<Due>,
    /// (frame, message), in arrival order.
    pending: VecDeque<(u64, [u8; 3])>,
    /// The wall-clock instant of a frame, fixed at the first render, mapping instants to frames.
    anchor: Option<(Instant, u64)>,
    /// Frames rendered so far.
    frame: u64,
    left: [f32; BLOCK],
    right: [f32; BLOCK],
    /// Next interleaved sample of the current block to hand out (2 * BLOCK = block done).
    index: usize,
    latency_frames: u64,
}

impl Voice {
    /// A voice at `sample_rate` and the output the player sends to it.
    pub fn new(soundfont: &Arc<SoundFont>, sample_rate: u32) -> Result<(Voice, Preview)> {
        let rate = i32::try_from(sample_rate)
            .map_err(|_| Error::invalid(format!("sample rate {sample_rate} is too high")))?;
        let settings = SynthesizerSettings::new(rate);
        let synth = Synthesizer::new(soundfont, &settings)
            .map_err(|e| Error::invalid(format!("cannot start the synthesizer: {e}")))?;
        let (voice, incoming) = mpsc::channel();
        let voice_source = Voice {
            synth,
            sample_rate,
            incoming,
            pending: VecDeque::new(),
            anchor: None,
            frame: 0,
            left: [0.0; BLOCK],
            right: [0.0; BLOCK],
            index: 2 * BLOCK,
            latency_frames: u64::from(DEVICE_BUFFER),
        };
        Ok((voice_source, Preview { voice }))
    }

    /// The frame at which a message due at `due` sounds.
    fn frame_of(&self, due: Instant) -> u64 {
        let (instant, frame) = self.anchor.unwrap_or((due, self.frame));
        let ahead = due.saturating_duration_since(instant).as_secs_f64();
        let offset = (ahead * f64::from(self.sample_rate)) as u64;
        (frame + offset + self.latency_frames).max(self.frame)
    }

    fn render_block(&mut self) {
        if self.anchor.is_none() {
            self.anchor = Some((Instant::now(), self.frame));
        }
        while let Ok((due, message)) = self.incoming.try_recv() {
            let frame = self.frame_of(due);
            self.pending.push_back((frame, message));
        }
        let mut filled = 0usize;
        while filled < BLOCK {
            let now = self.frame + filled as u64;
            while let Some((_, message)) = self.pending.front().filter(|(at, _)| *at <= now) {
                apply(&mut self.synth, *message);
                self.pending.pop_front();
            }
            let next = self.pending.front().map_or(u64::MAX, |(at, _)| *at);
            let step = (next - now).min((BLOCK - filled) as u64) as usize;
            self.synth.render(
                &mut self.left[filled..filled + step],
                &mut self.right[filled..filled + step],
            );
            filled += step;
        }
        self.frame += BLOCK as u64;
        self.index = 0;
    }
}

/// One channel message into the synthesizer; system messages (the MIDI clock) mean nothing here.
fn apply(synth: &mut Synthesizer, [status, data1, data2]: [u8; 3]) {
    if status < 0xF0 {
        synth.process_midi_message(
            i32::from(status & 0x0f),
            i32::from(status & 0xF0),
            i32::from(data1),
            i32::from(data2),
        );
    }
}

impl Iterator for Voice {
    type Item = f32;

    fn next(&mut self) -> Option<f32> {
        if self.index >= 2 * BLOCK {
            self.render_block();
        }
        let frame = self.index / 2;
        let sample = if self.index % 2 == 0 {
            self.left[frame]
        } else {
            self.right[frame]
        };
        self.index += 1;
        Some(sample)
    }
}

impl Source for Voice {
    fn current_span_len(&self) -> Option<usize> {
        None
    }

    fn channels(&self) -> rodio::ChannelCount {
        2
    }

    fn sample_rate(&self) -> rodio::SampleRate {
        self.sample_rate
    }

    fn total_duration(&self) -> Option<Duration> {
        None
    }
}

/// The default audio device, opened once with the voice playing on it; keep this for the
/// app's lifetime (dropping it closes the stream and the sound stops).
pub struct Speakers {
    preview: Preview,
    sample_rate: u32,
    keep_open: Option<SyncSender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Speakers {
    pub fn open(soundfont: &Path) -> Result<Speakers> {
        let soundfont = audio::load_soundfont(soundfont)?;
        let (opened, answer) = mpsc::sync_channel(1);
        let (keep_open, closed) = mpsc::sync_channel::<()>(0);
        // rodio's stream may not move between threads: one thread owns it until we close.
        let thread = std::thread::Builder::new()
            .name("speakers".into())
            .spawn(move || hold_stream(&opened, &closed))?;
        let (mixer, sample_rate) = answer
            .recv()
            .map_err(|_| Error::device("The audio thread stopped while opening the device."))??;
        let (voice, preview) = Voice::new(&soundfont, sample_rate)?;
        mixer.add(voice);
        Ok(Speakers {
            preview,
            sample_rate,
            keep_open: Some(keep_open),
            thread: Some(thread),
        })
    }

    /// The player's output for these speakers.
    pub fn output(&self) -> Preview {
        self.preview.clone()
    }

    /// The device's own sample rate, at which the voice renders.
    pub fn sample_rate(&self) -> u32 {
        self.sample_rate
    }
}

impl Drop for Speakers {
    fn drop(&mut self) {
        drop(self.keep_open.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn hold_stream(opened: &SyncSender<Result<(Mixer, u32)>>, closed: &Receiver<()>) {
    match open_stream() {
        Ok(stream) => {
            let mixer = stream.mixer().clone();
            let rate = stream.config().sample_rate();
            if opened.send(Ok((mixer, rate))).is_ok() {
                // Returns when the Speakers are dropped.
                let _ = closed.recv();
            }
        }
        Err(err) => {
            let _ = opened.send(Err(err));
        }
    }
}

fn open_stream() -> Result<OutputStream> {
    let no_device = |e: rodio::StreamError| {
        Error::device(format!("No audio output device on this machine: {e}."))
    };
    let fixed = OutputStreamBuilder::from_default_device().and_then(|builder| {
        builder
            .with_buffer_size(rodio::cpal::BufferSize::Fixed(DEVICE_BUFFER))
            .open_stream()
    });
    let mut stream = fixed
        .or_else(|_| OutputStreamBuilder::open_default_stream())
        .map_err(no_device)?;
    stream.log_on_drop(false);
    Ok(stream)
}

/// What `preview` played.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Played {
    pub from_seconds: f64,
    pub seconds: f64,
    pub sample_rate: u32,
}

/// Plays `score` through the speakers from `from` seconds, for at most `seconds`, and returns
/// when it has ended and its last notes have rung out.
pub fn play(
    score: &Score,
    soundfont: &Path,
    from: f64,
    seconds: Option<f64>,
    report: &mut dyn FnMut(&Report),
) -> Result<Played> {
    let speakers = Speakers::open(soundfont)?;
    let (player, reports) = player::Player::start(
        score,
        Box::new(speakers.output()),
        player::Options::default(),
    )?;
    let started = Instant::now();
    player.send(player::Command::Play(from))?;
    let mut limit = seconds.map(|s| started + Duration::from_secs_f64(s.max(0.0)));
    loop {
        let wait = limit.map_or(Duration::from_secs(3600), |l| {
            l.saturating_duration_since(Instant::now())
        });
        match reports.recv_timeout(wait) {
            Ok(received) => {
                report(&received);
                match received {
                    Report::Ended | Report::Stopped => break,
                    Report::Failed { message, .. } => return Err(Error::device(message)),
                    Report::Position { .. } => {}
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                limit = None;
                player.send(player::Command::Stop)?;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    drop(player);
    // Releases and reverb ring out before the stream closes.
    std::thread::sleep(Duration::from_secs_f64(audio::TAIL_SECONDS) + LEAD);
    Ok(Played {
        from_seconds: from,
        seconds,
        sample_rate: speakers.sample_rate(),
    })
}
