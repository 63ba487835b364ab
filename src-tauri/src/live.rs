//! Live playing in the app: one transport for the app's life (its speakers stay open), its
//! reports forwarded to the UI as `live-report` events, and the MIDI port list re-read every
//! second, sent as `midi-ports` when a port comes or goes. The commands are async so that what
//! blocks (opening the speakers, a count-in) runs off the main thread.

use fountainai::live::midi_in::RecordOptions;
use fountainai::live::player::{Report, StartAt};
use fountainai::live::ports::{self, PortWatch, Ports};
use fountainai::live::transport::{
    OutputChoice, Recorded, Transport, TransportCommand, TransportState,
};
use fountainai::music::audio;
use fountainai::music::leitmotif::Leitmotif;
use fountainai::story::play::{self, Playing};
use fountainai::{Database, Error};
use tauri::{AppHandle, Emitter, Manager, State};

type Result<T> = std::result::Result<T, Error>;
type Db<'a> = State<'a, Database>;
type Live<'a> = State<'a, Transport>;

/// Kept for the app's life: dropping it stops the watch. None without a MIDI system.
pub struct Watch(#[allow(dead_code)] pub Option<PortWatch>);

/// Makes the transport (with the remembered output) and starts watching the ports.
pub fn setup(app: &tauri::App) {
    let handle = app.handle().clone();
    let transport = Transport::new(audio::default_soundfont(), move |report: &Report| {
        // A closed window is no reason to stop the music's own bookkeeping.
        let _ = handle.emit("live-report", report);
    });
    let db = app.state::<Database>().inner().clone();
    if let Err(error) = tauri::async_runtime::block_on(play::restore_output(&db, &transport)) {
        tracing::warn!(%error, "the remembered output could not be read");
    }
    app.manage(transport);
    let handle = app.handle().clone();
    let watch = PortWatch::start(ports::WATCH_INTERVAL, move |ports: &Ports| {
        let _ = handle.emit("midi-ports", ports);
    });
    if let Err(error) = &watch {
        tracing::info!(%error, "no MIDI port watch");
    }
    app.manage(Watch(watch.ok()));
}

#[tauri::command]
pub async fn live_ports() -> Result<Ports> {
    ports::list()
}

#[tauri::command]
pub fn live_state(live: Live<'_>) -> TransportState {
    live.state()
}

#[tauri::command]
pub async fn live_output_choose(
    db: Db<'_>,
    live: Live<'_>,
    output: OutputChoice,
) -> Result<TransportState> {
    play::choose_output(&db, &live, output).await
}

#[tauri::command]
pub async fn live_play(
    db: Db<'_>,
    live: Live<'_>,
    script_id: i64,
    session_id: Option<i64>,
    start: StartAt,
) -> Result<Playing> {
    play::play(&db, &live, script_id, session_id, &start).await
}

#[tauri::command]
pub async fn live_transport(live: Live<'_>, command: TransportCommand) -> Result<TransportState> {
    live.obey(command)
}

/// Blocks for the count-in, so it runs off the main thread.
#[tauri::command]
pub async fn live_record_start(
    app: AppHandle,
    input: String,
    options: RecordOptions,
) -> Result<TransportState> {
    let work = move || app.state::<Transport>().record(&input, options);
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| Error::device(format!("recording stopped: {e}")))?
}

#[tauri::command]
pub async fn live_record_stop(live: Live<'_>) -> Result<Recorded> {
    live.finish_recording()
}

#[tauri::command]
pub async fn live_audition(live: Live<'_>, leitmotif: Leitmotif, program: u8) -> Result<f64> {
    live.audition(&leitmotif, program)
}
