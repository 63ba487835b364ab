//! The one database: a SQLite file (or memory) behind a pool, migrated on open.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use tracing::instrument;

use crate::error::{Error, Result};

/// Environment variable naming the database file (overridden by an explicit path).
pub const DB_ENV: &str = "FOUNTAINAI_DB";
/// Environment variable naming the data directory (database and log file).
pub const DATA_DIR_ENV: &str = "FOUNTAINAI_DATA_DIR";

pub type Tx = Transaction<'static, Sqlite>;

#[derive(Clone, Debug)]
pub struct Database {
    pool: SqlitePool,
}

impl Database {
    /// Opens (creating if needed) the database file at `path` and applies pending migrations.
    #[instrument(skip_all, err, fields(path = %path.display()))]
    pub async fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                Error::Io(format!("cannot create the folder {}: {e}", dir.display()))
            })?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal);
        Self::connect(options, 4).await
    }

    /// Opens a `sqlite:` URL; `sqlite::memory:` gives a private in-memory database.
    #[instrument(skip_all, err)]
    pub async fn open_url(url: &str) -> Result<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| Error::invalid(format!("invalid database URL {url:?}: {e}")))?
            .create_if_missing(true);
        // Every connection to ":memory:" is its own database, so memory gets exactly one.
        let max = if url.contains(":memory:") || url.contains("mode=memory") {
            1
        } else {
            4
        };
        Self::connect(options, max).await
    }

    pub async fn in_memory() -> Result<Self> {
        Self::open_url("sqlite::memory:").await
    }

    /// Opens what `FOUNTAINAI_DB` names, or the default file in the data directory.
    pub async fn open_default() -> Result<Self> {
        match std::env::var(DB_ENV) {
            Ok(value) if value.starts_with("sqlite:") => Self::open_url(&value).await,
            Ok(value) if !value.is_empty() => Self::open(Path::new(&value)).await,
            _ => Self::open(&data_dir()?.join("fountainai.sqlite3")).await,
        }
    }

    async fn connect(options: SqliteConnectOptions, max_connections: u32) -> Result<Self> {
        // A second process writing the same file waits for the lock instead of failing.
        let options = options
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30));
        let pool = SqlitePoolOptions::new()
            .max_connections(max_connections)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await?;
        let db = Database { pool };
        db.migrate().await?;
        Ok(db)
    }

    async fn migrate(&self) -> Result<()> {
        let migrator = sqlx::migrate!("./migrations");
        if let Err(first) = migrator.run(&self.pool).await {
            // Two processes opening a fresh file race to migrate; the loser finds the work
            // done on a second look.
            tracing::warn!(error = %first, "migration failed once, retrying");
            tokio::time::sleep(Duration::from_millis(200)).await;
            migrator.run(&self.pool).await?;
        }
        Ok(())
    }

    /// A write transaction. `BEGIN IMMEDIATE` takes the write lock up front, so concurrent
    /// writers queue on the busy timeout instead of failing on a read-to-write upgrade.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The application's data directory: `FOUNTAINAI_DATA_DIR`, or the OS convention
/// (`~/.local/share/fountainai` on Linux).
pub fn data_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "fountainai")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .ok_or_else(|| Error::Io("no home directory to keep the database in".into()))
}

/// Timestamps are RFC 3339 UTC strings so they sort as text and survive any SQL engine.
pub fn now() -> String {
    let now = time::OffsetDateTime::now_utc();
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    now.format(&format)
        .unwrap_or_else(|_| now.unix_timestamp().to_string())
}
