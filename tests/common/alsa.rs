//! ALSA's default device routed through the `file` plugin (which writes what is played to a
//! WAV) in front of ALSA's JACK plugin, so the device consumes audio in real time like a sound
//! card (ALSA's `null` would swallow it instantly). Needs a JACK server running. Point
//! `ALSA_CONFIG_PATH` at the file this writes.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub const RATE: u32 = 48_000;

/// Writes `asound.conf` into `dir`; what is played lands in `dir/played.wav`.
pub fn file_plugin_config(dir: &Path) -> PathBuf {
    let wav = dir.join("played.wav");
    let config = dir.join("asound.conf");
    let text = format!(
        "</usr/share/alsa/alsa.conf>\n\
         pcm.!default {{ type plug slave {{ pcm \"captured\" format S16_LE rate {RATE} channels 2 }} }}\n\
         pcm.captured {{ type file slave.pcm \"paced\" file \"{}\" format \"wav\" }}\n\
         pcm.paced {{ type plug slave.pcm \"jack\" }}\n\
         pcm.jack {{ type jack playback_ports {{ 0 system:playback_1 1 system:playback_2 }} }}\n",
        wav.display()
    );
    std::fs::write(&config, text).expect("write the ALSA configuration");
    config
}
