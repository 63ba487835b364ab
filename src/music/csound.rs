//! A Csound 6 `.csd` from a Score: one synthesised instrument per timbre family (Csound has no
//! General MIDI), one `i` statement per note in seconds through the tempo map.

use std::fmt::Write;

use super::audio::TAIL_SECONDS;
use super::{Family, Score};

/// Headroom so a dozen simultaneous notes stay under full scale.
const LOUDEST: f64 = 0.2;

/// Instruments 1..=6 in `Family` order. p4 is the MIDI pitch, p5 the peak amplitude; each
/// envelope's release (madsr) ends within the score's tail.
const ORCHESTRA: &str = r#"sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1
seed 1

gisine ftgen 1, 0, 16384, 10, 1

; Keys: two-operator FM, bright on the strike and mellowing as it decays.
instr 1
  icps = cpsmidinn(p4)
  kenv madsr 0.005, 1.2, 0.25, 0.3
  kndx expseg 5, 1, 0.8, 1, 0.8
  asig foscili p5 * kenv, icps, 1, 1, kndx, gisine
  outs asig, asig
endin

; Plucked: a waveguide string plucked near the bridge.
instr 2
  icps = cpsmidinn(p4)
  kenv madsr 0.001, 0.1, 1, 0.2
  asig wgpluck2 0.15, p5 * 1.5, icps, 0.2, 0.995
  asig dcblock2 asig
  outs asig * kenv, asig * kenv
endin

; Strings: two detuned sawtooths with vibrato through a resonant low-pass, bowed in slowly.
instr 3
  icps = cpsmidinn(p4)
  kenv madsr 0.15, 0.2, 0.85, 0.4
  kvib oscili 0.004, 5.5, gisine
  a1 vco2 0.5, icps * (1 + kvib)
  a2 vco2 0.5, icps * 1.003 * (1 - kvib)
  asig moogladder a1 + a2, 2600, 0.2
  asig = asig * kenv * p5
  outs asig, asig * 0.95
endin

; Brass: a sawtooth whose filter opens with the envelope, the brass "blat".
instr 4
  icps = cpsmidinn(p4)
  kenv madsr 0.06, 0.25, 0.75, 0.2
  asaw vco2 1, icps
  kcut limit icps * (1 + 7 * kenv), 100, 12000
  asig moogladder asaw, kcut, 0.1
  asig = asig * kenv * p5
  outs asig * 0.95, asig
endin

; Woodwinds: a triangle with breath noise around the pitch and a late, gentle vibrato.
instr 5
  icps = cpsmidinn(p4)
  kenv madsr 0.04, 0.1, 0.9, 0.15
  kvib linseg 0, 0.3, 0, 0.4, 0.006
  klfo oscili kvib, 5, gisine
  atri vco2 1, icps * (1 + klfo), 12
  anoise rand 0.08
  abreath butbp anoise, icps * 2, icps
  asig = (atri + abreath) * kenv * p5
  outs asig, asig
endin

; Pad: three detuned sawtooths, slow swell and long release, darkly filtered.
instr 6
  icps = cpsmidinn(p4)
  kenv madsr 0.5, 0.3, 0.8, 0.7
  a1 vco2 0.33, icps * 0.995
  a2 vco2 0.33, icps
  a3 vco2 0.33, icps * 1.005
  asig moogladder a1 + a2 + a3, 1400, 0.3
  asig = asig * kenv * p5
  outs asig * 0.9, asig
endin
"#;

pub fn write(score: &Score) -> String {
    let mut csd = String::from("<CsoundSynthesizer>\n<CsOptions>\n-W -d\n</CsOptions>\n");
    let _ = write!(
        csd,
        "<CsInstruments>\n{ORCHESTRA}</CsInstruments>\n<CsScore>\n"
    );
    let _ = writeln!(csd, "; {}", score.title.replace(['\n', '\r'], " "));
    let clock = score.clock();
    for note in &score.notes {
        let family = score
            .tracks
            .get(usize::from(note.track))
            .map_or(Family::Keys, |t| t.family);
        let start = clock.seconds_at(note.onset);
        let length = clock.seconds_at(note.onset + note.length) - start;
        let _ = writeln!(
            csd,
            "i {} {:.6} {:.6} {} {:.6}",
            instrument(family),
            start,
            length.max(0.01),
            note.pitch.min(127),
            LOUDEST * f64::from(note.velocity.min(127)) / 127.0
        );
    }
    // f0 holds the performance open to the end of the score and its tail, even in silence.
    let _ = writeln!(
        csd,
        "f 0 {:.6}\ne\n</CsScore>\n</CsoundSynthesizer>",
        score.duration_seconds() + TAIL_SECONDS
    );
    csd
}

fn instrument(family: Family) -> u8 {
    match family {
        Family::Keys => 1,
        Family::Plucked => 2,
        Family::Strings => 3,
        Family::Brass => 4,
        Family::Woodwinds => 5,
        Family::Pad => 6,
    }
}
