//! The log file (`fountainai.log` in the data directory), shared by the CLI and the app.

/// Starts logging to the data directory. A missing or read-only directory only means no log,
/// never a failed start. `FOUNTAINAI_LOG` sets the filter (default `info`).
pub fn init() {
    let Ok(dir) = crate::db::data_dir() else {
        return;
    };
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let Ok(file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("fountainai.log"))
    else {
        return;
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("FOUNTAINAI_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init();
}
