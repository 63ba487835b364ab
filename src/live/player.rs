//! The player: one scheduler thread (not an async task, whose wake-ups a busy runtime delays)
//! that turns the Score into timed MIDI messages and hands each to the output at its absolute
//! instant (start instant + the tempo map's seconds): a timed wait on the command channel to
//! about 1.5 ms before, then `spin_sleep` the rest. Commands arrive over a channel; position
//! reports go out about 20 times a second.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::{silence_messages, Output};
use crate::error::{Error, Result};
use crate::music::Score;

pub const REPORT_INTERVAL: Duration = Duration::from_millis(50);
pub const CHECK_INTERVAL: Duration = Duration::from_secs(1);
/// How long before an instant the thread stops waiting on its channel and spins.
const SPIN: Duration = Duration::from_micros(1500);
/// MIDI clock: 24 pulses per quarter note; Song Position Pointer counts sixteenths.
const CLOCK_PER_QUARTER: u64 = 24;
const CLOCK: u8 = 0xF8;
const CLOCK_START: u8 = 0xFA;
const CLOCK_CONTINUE: u8 = 0xFB;
const CLOCK_STOP: u8 = 0xFC;
const SONG_POSITION: u8 = 0xF2;

#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Also send MIDI clock, start, stop, continue and song position on the output.
    pub clock: bool,
}

/// A stretch of the score in seconds (a cue, or what the writer selected).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Span {
    pub from: f64,
    pub to: f64,
}

pub enum Command {
    /// Plays from this many seconds into the score.
    Play(f64),
    Pause,
    Resume,
    Stop,
    Seek(f64),
    /// Repeats this span while playing; None plays on.
    Loop(Option<Span>),
    /// Stops and resets every channel.
    Panic,
    /// Goes on with another output (speakers or a port) without composing again.
    Switch(Box<dyn Output>),
    /// Turns MIDI clock on or off, at once if playing (a following sequencer is told where).
    Clock(bool),
}

/// What the player tells its owner; the app forwards these as events.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Report {
    /// Where the music is: seconds and the score's tick there (for the bar and the line).
    #[serde(rename_all = "camelCase")]
    Position {
        seconds: f64,
        tick: u64,
        cue: Option<String>,
    },
    /// Played to the end of the score.
    Ended,
    /// Stopped by a command.
    Stopped,
    /// The output failed (e.g. the port vanished): the player has stopped for good.
    Failed { code: String, message: String },
}

/// One MIDI message at its place in the score.
#[derive(Clone, Copy, Debug)]
struct Timed {
    seconds: f64,
    message: Message,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Message {
    bytes: [u8; 3],
    len: u8,
}

impl Message {
    fn three(bytes: [u8; 3]) -> Message {
        Message { bytes, len: 3 }
    }

    fn one(byte: u8) -> Message {
        Message {
            bytes: [byte, 0, 0],
            len: 1,
        }
    }

    fn as_slice(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

/// The seconds where the cue with this name (e.g. "1M2") starts and ends.
pub fn cue_span(score: &Score, name: &str) -> Result<Span> {
    score
        .cues
        .iter()
        .find(|cue| cue.name.eq_ignore_ascii_case(name.trim()))
        .map(|cue| Span {
            from: cue.start_seconds,
            to: cue.end_seconds,
        })
        .ok_or_else(|| {
            let names: Vec<&str> = score.cues.iter().map(|c| c.name.as_str()).collect();
            Error::not_found(format!(
                "No cue {name:?} in this score (cues: {}).",
                names.join(", ")
            ))
        })
}

/// Where the writer asked the music to start.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum StartAt {
    /// This many seconds into the score.
    Seconds { seconds: f64 },
    /// The cue with this name, e.g. "1M2".
    Cue { name: String },
    /// The scene with this heading id, at its first line.
    #[serde(rename_all = "camelCase")]
    Scene { heading_id: i64 },
    /// The line (an element of the script) with this id.
    #[serde(rename_all = "camelCase")]
    Line { element_id: i64 },
}

/// The second of `score` where playing from `start` begins.
pub fn start_seconds(score: &Score, start: &StartAt) -> Result<f64> {
    match start {
        StartAt::Seconds { seconds } if seconds.is_finite() && *seconds >= 0.0 => Ok(*seconds),
        StartAt::Seconds { seconds } => Err(Error::invalid(format!(
            "start at a number of seconds from 0, not {seconds}"
        ))),
        StartAt::Cue { name } => Ok(cue_span(score, name)?.from),
        StartAt::Scene { heading_id } => scene_start(score, *heading_id),
        StartAt::Line { element_id } => score
            .lines
            .iter()
            .find(|line| line.element_id == *element_id)
            .map(|line| score.seconds_at(line.start_tick))
            .ok_or_else(|| {
                Error::not_found(format!(
                    "Line {element_id} is not in this score (compose again after adding it)."
                ))
            }),
    }
}

/// A scene starts where its first line sounds; a scene without lines where its cue starts.
fn scene_start(score: &Score, heading_id: i64) -> Result<f64> {
    let cue = score
        .cues
        .iter()
        .position(|cue| cue.section_id == heading_id)
        .ok_or_else(|| Error::not_found(format!("Scene {heading_id} is not in this score.")))?;
    let first_line = score.lines.iter().find(|line| line.cue == cue);
    let tick = first_line.map_or(score.cues[cue].start_tick, |line| line.start_tick);
    Ok(score.seconds_at(tick))
}

/// Every message of the score in the order it is sent: by tick, and at one tick note-offs
/// first (a re-struck note sounds), then clock pulses, then note-ons.
fn timeline(score: &Score, options: Options) -> Vec<Timed> {
    let clock = score.clock();
    // (tick, order at that tick, message)
    let mut events: Vec<(u64, u8, Message)> = Vec::with_capacity(score.notes.len() * 2);
    for note in &score.notes {
        let (channel, pitch) = (note.channel & 0x0f, note.pitch & 0x7f);
        let velocity = note.velocity.clamp(1, 127);
        events.push((
            note.onset,
            2,
            Message::three([0x90 | channel, pitch, velocity]),
        ));
        let end = note.onset.saturating_add(note.length);
        events.push((end, 0, Message::three([0x80 | channel, pitch, 0])));
    }
    if options.clock {
        let step = (u64::from(score.ppq) / CLOCK_PER_QUARTER).max(1);
        let pulses = (0..=score.end_tick()).step_by(step as usize);
        events.extend(pulses.map(|tick| (tick, 1, Message::one(CLOCK))));
    }
    events.sort_unstable();
    events
        .into_iter()
        .map(|(tick, _, message)| Timed {
            seconds: clock.seconds_at(tick),
            message,
        })
        .collect()
}

/// The tick sounding at `seconds` (the tempo map inverted by bisection).
fn tick_at(score: &Score, seconds: f64) -> u64 {
    let clock = score.clock();
    let (mut low, mut high) = (0u64, score.end_tick());
    while low < high {
        let middle = low + (high - low) / 2;
        if clock.seconds_at(middle) < seconds {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    low
}

/// The player's handle: commands go in, reports come out of the receiver returned by `start`.
/// Dropping it stops the music (with every note released) and ends the thread.
pub struct Player {
    commands: Option<Sender<Command>>,
    thread: Option<JoinHandle<()>>,
}

impl Player {
    pub fn start(
        score: &Score,
        output: Box<dyn Output>,
        options: Options,
    ) -> Result<(Player, Receiver<Report>)> {
        let (commands, received) = mpsc::channel();
        let (reports, reported) = mpsc::channel();
        let scheduler = Scheduler::new(score, output, options, reports);
        let thread = std::thread::Builder::new()
            .name("live-player".into())
            .spawn(move || scheduler.run(&received))?;
        Ok((
            Player {
                commands: Some(commands),
                thread: Some(thread),
            },
            reported,
        ))
    }

    pub fn send(&self, command: Command) -> Result<()> {
        self.commands
            .as_ref()
            .and_then(|commands| commands.send(command).ok())
            .ok_or_else(|| Error::device("The player has stopped (its output failed)."))
    }

    /// True while the scheduler thread is alive.
    pub fn is_running(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }
}

impl Drop for Player {
    fn drop(&mut self) {
        drop(self.commands.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Plays `score` on `output` from `from` seconds to the end, calling `report` with each
/// report; returns when the music ended, or the output's error.
pub fn play_through(
    score: &Score,
    output: Box<dyn Output>,
    from: f64,
    options: Options,
    report: &mut dyn FnMut(&Report),
) -> Result<()> {
    let (player, reports) = Player::start(score, output, options)?;
    player.send(Command::Play(from))?;
    for received in reports {
        report(&received);
        match received {
            Report::Ended | Report::Stopped => return Ok(()),
            Report::Failed { message, .. } => return Err(Error::device(message)),
            Report::Position { .. } => {}
        }
    }
    Err(Error::device("The player stopped without a word."))
}

enum State {
    Idle,
    /// `origin` is the instant of the score's second 0; `next` the next message to send.
    Playing {
        origin: Instant,
        next: usize,
    },
    Paused {
        at: f64,
    },
}

struct Scheduler {
    timeline: Vec<Timed>,
    /// Program changes, sent whenever playing starts (also from the middle of the score).
    programs: Vec<Message>,
    cues: Vec<(String, Span)>,
    end: f64,
    ticks_per_sixteenth: u64,
    score: Score,
    options: Options,
    output: Box<dyn Output>,
    reports: Sender<Report>,
    held: Held,
    state: State,
    span: Option<Span>,
    next_report: Instant,
    next_check: Instant,
}

impl Scheduler {
    fn new(
        score: &Score,
        output: Box<dyn Output>,
        options: Options,
        reports: Sender<Report>,
    ) -> Scheduler {
        let programs = score
            .tracks
            .iter()
            .map(|t| Message {
                bytes: [0xC0 | (t.channel & 0x0f), t.program & 0x7f, 0],
                len: 2,
            })
            .collect();
        let cues = score
            .cues
            .iter()
            .map(|cue| {
                let span = Span {
                    from: cue.start_seconds,
                    to: cue.end_seconds,
                };
                (cue.name.clone(), span)
            })
            .collect();
        let now = Instant::now();
        Scheduler {
            timeline: timeline(score, options),
            programs,
            cues,
            end: score.duration_seconds(),
            ticks_per_sixteenth: (u64::from(score.ppq) / 4).max(1),
            score: score.clone(),
            options,
            output,
            reports,
            held: Held::default(),
            state: State::Idle,
            span: None,
            next_report: now,
            next_check: now,
        }
    }

    fn run(mut self, commands: &Receiver<Command>) {
        if let Err(err) = self.serve(commands) {
            // The output may be gone; still try so a synth that is there is not left hanging.
            let _ = self.silence();
            self.report(Report::Failed {
                code: err.code().into(),
                message: err.to_string(),
            });
        }
    }

    fn serve(&mut self, commands: &Receiver<Command>) -> Result<()> {
        loop {
            let command = match self.wake_at() {
                None => match commands.recv() {
                    Ok(command) => Some(command),
                    Err(_) => return self.silence(),
                },
                Some(at) => match wait(commands, at) {
                    Ok(command) => command,
                    Err(()) => return self.silence(),
                },
            };
            match command {
                Some(command) => self.obey(command)?,
                None => self.step()?,
            }
        }
    }

    /// When the thread has something to do without a command; None when idle or paused.
    fn wake_at(&self) -> Option<Instant> {
        let State::Playing { origin, next } = self.state else {
            return None;
        };
        let lead = self.output.lead();
        let stop_at = self.span.map_or(self.end, |span| span.to);
        let message = self
            .timeline
            .get(next)
            .filter(|t| self.in_play(t.seconds))
            .map_or(stop_at, |t| t.seconds);
        let due = at(origin, message).checked_sub(lead).unwrap_or(origin);
        Some(due.min(self.next_report).min(self.next_check))
    }

    fn obey(&mut self, command: Command) -> Result<()> {
        match command {
            Command::Play(from) => {
                self.output.check()?;
                self.send_all(&self.programs.clone())?;
                if self.options.clock && from <= 0.0 {
                    self.send_now(Message::one(CLOCK_START))?;
                } else {
                    self.send_position(from)?;
                }
                self.jump(from)
            }
            Command::Seek(to) => match self.state {
                State::Playing { .. } => {
                    self.send_position(to)?;
                    self.jump(to)
                }
                State::Paused { .. } => {
                    self.state = State::Paused { at: to };
                    Ok(())
                }
                State::Idle => Ok(()),
            },
            Command::Pause => self.pause(),
            Command::Resume => self.resume(),
            Command::Stop | Command::Panic => {
                let was_playing = !matches!(self.state, State::Idle);
                self.halt()?;
                if was_playing {
                    self.report(Report::Stopped);
                }
                Ok(())
            }
            Command::Loop(span) => {
                let end = self.end;
                self.span = span
                    .map(|s| Span {
                        from: s.from.max(0.0),
                        to: s.to.min(end),
                    })
                    .filter(|s| s.to > s.from);
                Ok(())
            }
            Command::Switch(output) => self.switch(output),
            Command::Clock(on) => self.clock(on),
        }
    }

    fn clock(&mut self, on: bool) -> Result<()> {
        if on == self.options.clock {
            return Ok(());
        }
        if !on && !matches!(self.state, State::Idle) {
            self.send_now(Message::one(CLOCK_STOP))?;
        }
        self.options.clock = on;
        let State::Playing { origin, next } = self.state else {
            self.timeline = timeline(&self.score, self.options);
            return Ok(());
        };
        let at = self.position(origin);
        let next = self.retime(next, at);
        self.state = State::Playing { origin, next };
        self.send_position(at)
    }

    /// Rebuilds the timeline (pulses added or taken out) and finds where playing goes on: after
    /// the notes already sent (some are sent ahead of time), skipping pulses already past.
    fn retime(&mut self, next: usize, at: f64) -> usize {
        let is_pulse = |t: &Timed| t.message.as_slice() == [CLOCK];
        let sent = self
            .timeline
            .get(..next)
            .map_or(0, |sent| sent.iter().filter(|t| !is_pulse(t)).count());
        self.timeline = timeline(&self.score, self.options);
        let mut notes = 0;
        let mut next = self.timeline.len();
        for (index, timed) in self.timeline.iter().enumerate() {
            if notes == sent && !(is_pulse(timed) && timed.seconds < at) {
                next = index;
                break;
            }
            if !is_pulse(timed) {
                notes += 1;
            }
        }
        next
    }

    fn pause(&mut self) -> Result<()> {
        if let State::Playing { origin, .. } = self.state {
            let at = self.position(origin);
            self.halt()?;
            self.state = State::Paused { at };
        }
        Ok(())
    }

    fn resume(&mut self) -> Result<()> {
        if let State::Paused { at } = self.state {
            self.send_all(&self.programs.clone())?;
            self.send_position(at)?;
            self.jump(at)?;
        }
        Ok(())
    }

    /// Releases every note, resets every channel and stops the clock.
    fn halt(&mut self) -> Result<()> {
        self.silence()?;
        if self.options.clock {
            self.send_now(Message::one(CLOCK_STOP))?;
        }
        self.state = State::Idle;
        Ok(())
    }

    fn switch(&mut self, output: Box<dyn Output>) -> Result<()> {
        // The old output may already be gone: that must not keep the writer from the new one.
        let _ = self.silence();
        self.output = output;
        self.output.check()?;
        self.send_all(&self.programs.clone())?;
        if let State::Playing { origin, .. } = self.state {
            let at = self.position(origin);
            self.jump(at)?;
        }
        Ok(())
    }

    /// Goes on playing from `seconds`; notes sounding there are released, not re-struck.
    fn jump(&mut self, seconds: f64) -> Result<()> {
        self.release_held()?;
        let seconds = seconds.clamp(0.0, self.end);
        let now = Instant::now();
        let origin = now
            .checked_sub(Duration::from_secs_f64(seconds))
            .unwrap_or(now);
        let next = self.timeline.partition_point(|t| t.seconds < seconds);
        self.state = State::Playing { origin, next };
        self.next_report = now;
        self.next_check = now + CHECK_INTERVAL;
        Ok(())
    }

    /// Sends what is due, reports the position, checks the output, loops or ends.
    fn step(&mut self) -> Result<()> {
        let State::Playing { origin, mut next } = self.state else {
            return Ok(());
        };
        let now = Instant::now();
        let lead = self.output.lead();
        let stop_at = self.span.map_or(self.end, |span| span.to);
        while let Some(timed) = self.timeline.get(next).copied() {
            let due = at(origin, timed.seconds);
            if !self.in_play(timed.seconds) || due.checked_sub(lead).unwrap_or(origin) > now {
                break;
            }
            self.output.send(due, timed.message.as_slice())?;
            self.held.note(timed.message.as_slice());
            next += 1;
        }
        self.state = State::Playing { origin, next };
        if now >= self.next_check {
            self.next_check = now + CHECK_INTERVAL;
            self.output.check()?;
        }
        let position = self.position(origin);
        if now >= self.next_report {
            self.next_report = now + REPORT_INTERVAL;
            let cue = self.cue_at(position);
            self.report(Report::Position {
                seconds: position,
                tick: tick_at(&self.score, position),
                cue,
            });
        }
        if position >= stop_at {
            match self.span {
                Some(span) => {
                    self.send_position(span.from)?;
                    self.jump(span.from)?;
                }
                None => {
                    self.halt()?;
                    self.report(Report::Ended);
                }
            }
        }
        Ok(())
    }

    /// Whether a message at `seconds` is played before the loop (if any) goes round; without a
    /// loop the last note-offs, at the very end, are played too.
    fn in_play(&self, seconds: f64) -> bool {
        self.span.is_none_or(|span| seconds < span.to)
    }

    fn position(&self, origin: Instant) -> f64 {
        Instant::now()
            .saturating_duration_since(origin)
            .as_secs_f64()
            .min(self.end)
    }

    fn cue_at(&self, seconds: f64) -> Option<String> {
        self.cues
            .iter()
            .find(|(_, span)| span.from <= seconds && seconds < span.to)
            .map(|(name, _)| name.clone())
    }

    /// With the clock on, tells a following sequencer where we are now (stop, position, continue).
    fn send_position(&mut self, seconds: f64) -> Result<()> {
        if !self.options.clock {
            return Ok(());
        }
        let sixteenths = tick_at(&self.score, seconds) / self.ticks_per_sixteenth;
        let sixteenths = sixteenths.min(0x3FFF) as u16;
        let (low, high) = ((sixteenths & 0x7f) as u8, (sixteenths >> 7) as u8);
        self.send_now(Message::one(CLOCK_STOP))?;
        self.send_now(Message::three([SONG_POSITION, low, high]))?;
        self.send_now(Message::one(CLOCK_CONTINUE))
    }

    fn release_held(&mut self) -> Result<()> {
        for message in self.held.take() {
            self.send_now(Message::three(message))?;
        }
        Ok(())
    }

    fn silence(&mut self) -> Result<()> {
        self.release_held()?;
        for message in silence_messages() {
            self.send_now(Message::three(message))?;
        }
        Ok(())
    }

    fn send_all(&mut self, messages: &[Message]) -> Result<()> {
        messages.iter().try_for_each(|m| self.send_now(*m))
    }

    fn send_now(&mut self, message: Message) -> Result<()> {
        self.output.send(Instant::now(), message.as_slice())
    }

    fn report(&self, report: Report) {
        // Nobody listening is fine: the music goes on (or stops) the same.
        let _ = self.reports.send(report);
    }
}

fn at(origin: Instant, seconds: f64) -> Instant {
    origin + Duration::from_secs_f64(seconds.max(0.0))
}

/// Waits for a command until `deadline`: on the channel to shortly before, then spinning.
/// Ok(None) at the deadline; Err when the handle is gone.
fn wait(
    commands: &Receiver<Command>,
    deadline: Instant,
) -> std::result::Result<Option<Command>, ()> {
    let now = Instant::now();
    if let Some(coarse) = deadline.checked_sub(SPIN).filter(|c| *c > now) {
        match commands.recv_timeout(coarse - now) {
            Ok(command) => return Ok(Some(command)),
            Err(RecvTimeoutError::Disconnected) => return Err(()),
            Err(RecvTimeoutError::Timeout) => {}
        }
    }
    spin_sleep::SpinSleeper::new(SPIN.as_nanos() as u32).sleep_until(deadline);
    Ok(None)
}

/// Notes sounding now, per channel and pitch, so none is left hanging.
struct Held([[u8; 128]; 16]);

impl Default for Held {
    fn default() -> Self {
        Held([[0; 128]; 16])
    }
}

impl Held {
    fn note(&mut self, message: &[u8]) {
        let [status, pitch, velocity] = message else {
            return;
        };
        let (kind, channel) = (status & 0xF0, usize::from(status & 0x0f));
        let Some(count) = self.0[channel].get_mut(usize::from(*pitch)) else {
            return;
        };
        match kind {
            0x90 if *velocity > 0 => *count = count.saturating_add(1),
            0x80 | 0x90 => *count = count.saturating_sub(1),
            _ => {}
        }
    }

    /// Note-offs for every sounding note, forgetting them.
    fn take(&mut self) -> Vec<[u8; 3]> {
        let mut offs = Vec::new();
        for (channel, pitches) in self.0.iter_mut().enumerate() {
            for (pitch, count) in pitches.iter_mut().enumerate() {
                if *count > 0 {
                    *count = 0;
                    offs.push([0x80 | channel as u8, pitch as u8, 0]);
                }
            }
        }
        offs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_notes_are_released_once_each() {
        let mut held = Held::default();
        held.note(&[0x90, 60, 100]);
        held.note(&[0x91, 64, 100]);
        held.note(&[0x91, 64, 0]);
        held.note(&[0x92, 67, 90]);
        held.note(&[0x82, 67, 0]);
        assert_eq!(held.take(), vec![[0x80, 60, 0]]);
        assert!(held.take().is_empty());
    }
}
