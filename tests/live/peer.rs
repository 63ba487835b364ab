//! The other end of the live tests: an independent JACK client (tests/live/jack_peer.py on
//! Debian's python3-jack-client) that records what reaches its input and plays phrases.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

pub struct Peer {
    pub name: String,
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

/// A phrase a keyboard plays at 120 bpm (an eighth = 250 ms), a little off the grid: C,
/// E-flat, G (held), high C, as (seconds, bytes).
pub fn phrase() -> Vec<(f64, Vec<u8>)> {
    [
        (0.0, 0.2, 60u8),
        (0.26, 0.2, 63),
        (0.49, 0.45, 67),
        (1.02, 0.9, 72),
    ]
    .iter()
    .flat_map(|&(at, length, pitch)| {
        [
            (at, vec![0x90, pitch, 100]),
            (at + length, vec![0x80, pitch, 0]),
        ]
    })
    .collect()
}

/// [`phrase`] quantised to eighths, as the Characters view writes a leitmotif.
pub const PHRASE_TAKE: &str = "0:1, 2:1, 4:2, 7:4";

/// A message as it arrived: (JACK frame, bytes).
pub type Arrived = (u64, Vec<u8>);

impl Peer {
    pub fn start(name: &str) -> Peer {
        // Next to this file, whether the core's tests or the app's (in src-tauri/) include it.
        let script = [".", ".."]
            .iter()
            .map(|up| {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join(up)
                    .join("tests/live/jack_peer.py")
            })
            .find(|path| path.exists())
            .expect("tests/live/jack_peer.py");
        // Debian's python3 (where python3-jack-client lives), whatever python3 is on PATH.
        let mut child = Command::new("/usr/bin/python3")
            .arg(script)
            .arg(name)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the JACK peer (scripts/setup.sh installs python3-jack-client)");
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().expect("peer stdout"));
        let mut peer = Peer {
            name: name.into(),
            child,
            stdin,
            stdout,
        };
        assert_eq!(
            peer.line(),
            "ready",
            "the JACK peer did not start (is jackd running?)"
        );
        peer
    }

    pub fn input(&self) -> String {
        format!("{}:input", self.name)
    }

    pub fn output(&self) -> String {
        format!("{}:output", self.name)
    }

    fn line(&mut self) -> String {
        let mut line = String::new();
        self.stdout
            .read_line(&mut line)
            .expect("read from the peer");
        line.trim().to_string()
    }

    fn say(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("peer stdin");
        writeln!(stdin, "{line}").expect("write to the peer");
        stdin.flush().expect("flush to the peer");
    }

    /// Plays (seconds, bytes) messages frame-exactly on the peer's output; returns when done.
    pub fn play(&mut self, phrase: &[(f64, Vec<u8>)]) {
        let json = serde_json::to_string(phrase).expect("phrase as JSON");
        self.say(&format!("play {json}"));
        assert_eq!(self.line(), "played");
    }

    /// Everything the peer's input received so far, in arrival order.
    pub fn received(&mut self) -> Vec<Arrived> {
        self.say("dump");
        serde_json::from_str(&self.line()).expect("the peer's JSON")
    }

    /// Kills the client abruptly, as unplugging a synth would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}
