//! The one database: a SQLite file (or memory), or a writers' room on a PostgreSQL server,
//! behind one `sqlx::Any` pool, migrated on open. The services write their SQL once, with
//! `$1, $2…` placeholders both engines read; where the engines' SQL differs, the module holding
//! the query asks [`Engine::of`] its connection and picks its twin.
//!
//! JSON columns (a version's snapshot, a setting, a title page, a leitmotif) are TEXT on SQLite
//! and PostgreSQL's own `json` on a server, which the Any driver neither reads nor binds. One SQL
//! serves both: they are read as `CAST(col AS TEXT)` and written as `CAST($n AS json_text)`, a
//! domain over `json` on the server and, by SQLite's type-name rule, a cast to TEXT that leaves
//! the text as it is.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::any::{AnyArguments, AnyConnectOptions, AnyPoolOptions, AnyQueryResult};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Any, AnyConnection, AnyPool, Arguments, ConnectOptions, Executor, Transaction};
use tracing::instrument;

use crate::error::{Error, Result};

/// Environment variable naming the database file (overridden by an explicit path).
pub const DB_ENV: &str = "FOUNTAINAI_DB";
/// Environment variable naming the data directory (database and log file).
pub const DATA_DIR_ENV: &str = "FOUNTAINAI_DATA_DIR";

pub type Tx = Transaction<'static, Any>;

/// Which SQL engine a connection talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// The engine behind a connection, for the few statements each engine spells its own way.
    pub fn of(conn: &AnyConnection) -> Engine {
        if conn.backend_name() == "PostgreSQL" {
            Engine::Postgres
        } else {
            Engine::Sqlite
        }
    }

    /// Whether `url` names a PostgreSQL server (a writers' room) rather than a SQLite file.
    pub fn of_url(url: &str) -> Engine {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Engine::Postgres
        } else {
            Engine::Sqlite
        }
    }
}

#[derive(Clone, Debug)]
pub struct Database {
    pool: AnyPool,
    engine: Engine,
    /// The file, when it is one (backups go beside it).
    path: Option<PathBuf>,
    /// A writers' room's URL, for the connection that listens for other writers' changes.
    url: Option<String>,
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
        // Refused before SQLite touches it: a damaged file must stay as it is for recovery.
        if let Some(problem) = file_problem(path)? {
            return Err(unusable(path, &problem));
        }
        // The pool reaches the file through a URL, which a relative path would not survive.
        let path = std::path::absolute(path)?;
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal);
        // Switching a new file to WAL takes a lock SQLite does not wait for: the pool's
        // connections, opened side by side, could get "database is locked". One goes first.
        let opened = match first_connection(&options).await {
            Ok(()) => Self::connect(&options.to_url_lossy(), Engine::Sqlite, 4).await,
            Err(e) => Err(Error::from(e)),
        };
        let mut db = opened.map_err(|e| match e {
            Error::Database(message) if is_damage(&message) => unusable(&path, &message),
            other => other,
        })?;
        db.path = Some(path);
        Ok(db)
    }

    /// Opens a `sqlite:` URL (`sqlite::memory:` gives a private in-memory database) or a
    /// writers' room at a `postgres://` URL.
    #[instrument(skip_all, err)]
    pub async fn open_url(url: &str) -> Result<Self> {
        let engine = Engine::of_url(url);
        let parsed = url::Url::parse(url)
            .map_err(|e| Error::invalid(format!("invalid database URL: {e}")))?;
        let max = match engine {
            Engine::Postgres => 8,
            // Every connection to ":memory:" is its own database, so memory gets exactly one.
            Engine::Sqlite if url.contains(":memory:") || url.contains("mode=memory") => 1,
            Engine::Sqlite => 4,
        };
        let url = match engine {
            Engine::Sqlite if !url.contains("mode=") => {
                let glue = if parsed.query().is_some() { '&' } else { '?' };
                url::Url::parse(&format!("{url}{glue}mode=rwc"))
                    .map_err(|e| Error::invalid(format!("invalid database URL: {e}")))?
            }
            _ => parsed,
        };
        let opened = Self::connect(&url, engine, max).await;
        let mut db = match (opened, engine) {
            (Ok(db), _) => db,
            // Said with the room's address, never with its password.
            (Err(Error::Io(why) | Error::Database(why)), Engine::Postgres) => {
                let shown = without_password(url.as_str());
                return Err(Error::Database(format!(
                    "cannot open the writers' room at {shown}: {why}"
                )));
            }
            (Err(other), _) => return Err(other),
        };
        if engine == Engine::Postgres {
            db.url = Some(url.to_string());
        }
        Ok(db)
    }

    pub async fn in_memory() -> Result<Self> {
        Self::open_url("sqlite::memory:").await
    }

    /// Opens what `FOUNTAINAI_DB` names, or the default file in the data directory.
    pub async fn open_default() -> Result<Self> {
        match default_file()? {
            Some(path) => Self::open(&path).await,
            None => Self::open_url(&std::env::var(DB_ENV).unwrap_or_default()).await,
        }
    }

    async fn connect(url: &url::Url, engine: Engine, max_connections: u32) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let options = AnyConnectOptions::from_url(url)?;
        if engine == Engine::Postgres {
            // One connection first: a server that is not there, or refuses the user, is said
            // at once instead of after the pool's half a minute of retries.
            let conn = ConnectOptions::connect(&options)
                .await
                .map_err(refused_certificate)?;
            sqlx::Connection::close(conn).await?;
        }
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .after_connect(move |conn, _| Box::pin(async move { prepare(conn, engine).await }))
            .connect_with(options)
            .await
            .map_err(refused_certificate)?;
        let db = Database {
            pool,
            engine,
            path: None,
            url: None,
        };
        db.check().await?;
        db.migrate().await?;
        Ok(db)
    }

    /// Which engine this database runs on.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// SQLite's full integrity check: "ok" when every page and index is sound, else what is
    /// wrong. For tests and recovery that must be sure; opening runs the quicker check. A
    /// PostgreSQL server checks its own pages: "ok".
    #[instrument(skip_all, err)]
    pub async fn integrity(&self) -> Result<String> {
        if self.engine == Engine::Postgres {
            return Ok("ok".into());
        }
        let verdict: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&self.pool)
            .await?;
        Ok(verdict.join("; "))
    }

    /// SQLite's quick check (about 12 ms a megabyte) before anything is written: a damaged
    /// page is refused on open, not met half-way through a change.
    async fn check(&self) -> Result<()> {
        if self.engine == Engine::Postgres {
            return Ok(());
        }
        let verdict: Vec<String> = sqlx::query_scalar("PRAGMA quick_check(3)")
            .fetch_all(&self.pool)
            .await?;
        match verdict.as_slice() {
            [ok] if ok == "ok" => Ok(()),
            problems => Err(Error::Database(format!(
                "database disk image is malformed: {}",
                problems.join("; ")
            ))),
        }
    }

    async fn migrate(&self) -> Result<()> {
        let migrator = match self.engine {
            Engine::Sqlite => sqlx::migrate!("./migrations"),
            Engine::Postgres => sqlx::migrate!("./migrations/postgres"),
        };
        // Up to date: nothing is run, so a room's reader (who may not create tables, not even
        // sqlx's bookkeeping one) opens it too.
        if !self.pending(&migrator).await? {
            return Ok(());
        }
        if let Err(first) = migrator.run(&self.pool).await {
            // Two processes opening a fresh file race to migrate; the loser finds the work
            // done on a second look.
            tracing::warn!(error = %first, "migration failed once, retrying");
            tokio::time::sleep(Duration::from_millis(200)).await;
            migrator.run(&self.pool).await?;
        }
        Ok(())
    }

    /// Whether a migration is still to be applied. A database with a migration this build does
    /// not know was made by a newer version: refused before `migrate!` would fail on it
    /// half-way or change anything.
    async fn pending(&self, migrator: &sqlx::migrate::Migrator) -> Result<bool> {
        let lookup = match self.engine {
            Engine::Sqlite => {
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'"
            }
            Engine::Postgres => {
                "SELECT COUNT(*) FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations'"
            }
        };
        let has_table: i64 = sqlx::query_scalar(lookup).fetch_one(&self.pool).await?;
        if has_table == 0 {
            return Ok(true);
        }
        let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations")
            .fetch_all(&self.pool)
            .await?;
        let known: std::collections::BTreeSet<i64> = migrator.iter().map(|m| m.version).collect();
        match applied.iter().find(|v| !known.contains(v)) {
            Some(version) => Err(Error::conflict(format!(
                "this database was made by a newer version of FountainAI Studio (it has \
                 schema change {version}, which this version does not know); it was left as it \
                 is: open it with the newer version, or restore a backup (`fountainai backup list`)"
            ))),
            None => Ok(known.iter().any(|v| !applied.contains(v))),
        }
    }

    /// A write transaction. On SQLite `BEGIN IMMEDIATE` takes the write lock up front, so
    /// concurrent writers queue on the busy timeout instead of failing on a read-to-write
    /// upgrade. On PostgreSQL writers run side by side; what must not race (sequence numbers)
    /// locks its rows.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self.engine {
            Engine::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Engine::Postgres => self.pool.begin().await?,
        })
    }

    /// A writers' room's URL (with what it says about the user and TLS), when this is one.
    pub fn room_url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// The database file, when it was opened from one by path.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub async fn close(&self) {
        // The last commits go into the file itself, so a copy of the .sqlite3 file alone
        // holds them. Passive: it never waits for another process still reading.
        if self.path.is_some() {
            let _ = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&self.pool)
                .await;
        }
        self.pool.close().await;
    }
}

/// sqlx reports a server certificate that TLS did not accept as a bare I/O error
/// ("invalid peer certificate: UnknownIssuer"); the writer is told what to check.
fn refused_certificate(err: sqlx::Error) -> Error {
    match &err {
        sqlx::Error::Io(io) if io.to_string().contains("peer certificate") => Error::Io(format!(
            "The server's TLS certificate was not accepted ({io}): with sslmode=verify-ca or \
             verify-full, sslrootcert must name the certificate of the CA that signed the \
             server's, and verify-full also needs the URL's host to be one the certificate names."
        )),
        _ => Error::from(err),
    }
}

/// What every new connection is set to. SQLite: foreign keys on, a second process writing the
/// same file waits (30 s) for the lock instead of failing, and WAL's normal syncing.
async fn prepare(conn: &mut AnyConnection, engine: Engine) -> std::result::Result<(), sqlx::Error> {
    if engine == Engine::Sqlite {
        for pragma in [
            "PRAGMA foreign_keys = ON",
            "PRAGMA busy_timeout = 30000",
            "PRAGMA synchronous = NORMAL",
        ] {
            conn.execute(pragma).await?;
        }
    }
    Ok(())
}

/// A yes/no column as it reads on either engine: SQLite keeps 0/1 integers, PostgreSQL its own
/// booleans. Row types read one with `#[sqlx(try_from = "Flag")]` into a `bool`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flag(pub bool);

impl From<Flag> for bool {
    fn from(flag: Flag) -> bool {
        flag.0
    }
}

impl sqlx::Type<Any> for Flag {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <bool as sqlx::Type<Any>>::type_info()
    }

    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        <bool as sqlx::Type<Any>>::compatible(ty) || <i64 as sqlx::Type<Any>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, Any> for Flag {
    fn decode(
        value: sqlx::any::AnyValueRef<'r>,
    ) -> std::result::Result<Self, sqlx::error::BoxDynError> {
        use sqlx::ValueRef;
        if value.type_info().kind() == sqlx::any::AnyTypeInfoKind::Bool {
            Ok(Flag(<bool as sqlx::Decode<Any>>::decode(value)?))
        } else {
            Ok(Flag(<i64 as sqlx::Decode<Any>>::decode(value)? != 0))
        }
    }
}

/// `SELECT` of many rows as one JSON array of arrays (one row crosses from the database instead
/// of thousands): SQLite's `json_group_array`, PostgreSQL's `json_agg`; an empty set is `[]`.
pub fn json_rows(conn: &AnyConnection, columns: &str) -> String {
    match Engine::of(conn) {
        Engine::Sqlite => format!("json_group_array(json_array({columns}))"),
        Engine::Postgres => {
            format!("CAST(COALESCE(json_agg(json_build_array({columns})), '[]') AS TEXT)")
        }
    }
}

/// Where a value goes in a batch's SQL until it is executed on an engine.
const PLACEHOLDER: char = '\0';

/// A statement with many rows of values, bound in the order pushed: `$1, $2…` on PostgreSQL
/// (sqlx's own builder writes `?`, which PostgreSQL does not read) and `?` on SQLite, where
/// binding a value by its `$N` name looks the name up among all of the statement's (thousands
/// here: a 500-row insert of 11 columns), which made an import five times slower.
pub struct Batch<'a> {
    sql: String,
    args: AnyArguments<'a>,
    count: usize,
    first_in_row: bool,
    failed: Option<String>,
}

impl<'a> Batch<'a> {
    pub fn new(sql: impl Into<String>) -> Self {
        Batch {
            sql: sql.into(),
            args: AnyArguments::default(),
            count: 0,
            first_in_row: true,
            failed: None,
        }
    }

    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    /// A placeholder for `value`, after a comma unless it opens a row.
    pub fn bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'a + sqlx::Encode<'a, Any> + sqlx::Type<Any>,
    {
        if !std::mem::take(&mut self.first_in_row) {
            self.sql.push_str(", ");
        }
        self.count += 1;
        self.sql.push(PLACEHOLDER);
        if let Err(e) = self.args.add(value) {
            self.failed.get_or_insert(e.to_string());
        }
        self
    }

    /// `VALUES (…), (…)`: one row per item, its values bound by `row`.
    pub fn values<I: IntoIterator>(
        &mut self,
        items: I,
        mut row: impl FnMut(&mut Self, I::Item),
    ) -> &mut Self {
        self.sql.push_str("VALUES ");
        for (i, item) in items.into_iter().enumerate() {
            self.sql.push_str(if i == 0 { "(" } else { ", (" });
            self.first_in_row = true;
            row(self, item);
            self.sql.push(')');
        }
        self.first_in_row = true;
        self
    }

    /// A comma-separated list of placeholders, one per item.
    pub fn list<T, I>(&mut self, items: I) -> &mut Self
    where
        I: IntoIterator<Item = T>,
        T: 'a + sqlx::Encode<'a, Any> + sqlx::Type<Any>,
    {
        self.first_in_row = true;
        for item in items {
            self.bind(item);
        }
        self.first_in_row = true;
        self
    }

    pub async fn execute(self, conn: &mut AnyConnection) -> Result<AnyQueryResult> {
        if let Some(e) = self.failed {
            return Err(Error::Database(format!("cannot bind a value: {e}")));
        }
        let sql = placeholders(&self.sql, Engine::of(conn));
        Ok(sqlx::query_with(&sql, self.args).execute(conn).await?)
    }
}

/// The statement with each placeholder written as `engine` reads it best.
fn placeholders(sql: &str, engine: Engine) -> String {
    let mut out = String::with_capacity(sql.len() + sql.len() / 4);
    let mut n = 0usize;
    for c in sql.chars() {
        match (c, engine) {
            (PLACEHOLDER, Engine::Sqlite) => out.push('?'),
            (PLACEHOLDER, Engine::Postgres) => {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

/// Opens and closes one connection: a new file is then in WAL mode before the pool opens more.
async fn first_connection(options: &SqliteConnectOptions) -> std::result::Result<(), sqlx::Error> {
    let conn = sqlx::ConnectOptions::connect(options).await?;
    sqlx::Connection::close(conn).await
}

/// The file `open_default` opens: what `FOUNTAINAI_DB` names, or the data directory's
/// `fountainai.sqlite3`; None when `FOUNTAINAI_DB` is a `sqlite:` or `postgres:` URL.
pub fn default_file() -> Result<Option<PathBuf>> {
    match std::env::var(DB_ENV) {
        Ok(value) if value.starts_with("sqlite:") || Engine::of_url(&value) == Engine::Postgres => {
            Ok(None)
        }
        Ok(value) if !value.is_empty() => Ok(Some(PathBuf::from(value))),
        _ => Ok(Some(data_dir()?.join("fountainai.sqlite3"))),
    }
}

/// The `database` error for a file SQLite cannot use, saying it was left alone.
fn unusable(path: &Path, problem: &str) -> Error {
    Error::Database(format!(
        "{} is damaged or not a FountainAI database ({problem}); it was left as it is. \
         `fountainai backup list` shows the backups to restore",
        path.display()
    ))
}

/// SQLite's words for a file that is not a database or is damaged.
fn is_damage(message: &str) -> bool {
    ["file is not a database", "malformed", "corrupt"]
        .iter()
        .any(|words| message.contains(words))
}

/// What is wrong with the file at `path` before SQLite opens it: not a SQLite file, or
/// shorter than its header says (truncated). A missing or empty file is a new database.
fn file_problem(path: &Path) -> Result<Option<String>> {
    use std::io::Read;
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::Io(format!("cannot open {}: {e}", path.display()))),
    };
    let len = file.metadata()?.len();
    let mut header = Vec::with_capacity(100);
    file.by_ref().take(100).read_to_end(&mut header)?;
    // A crash during a checkpoint can leave the header ahead of the file; the WAL then holds
    // the rest, so the length says nothing while a WAL is there.
    let wal = path.with_file_name(format!(
        "{}-wal",
        path.file_name().unwrap_or_default().to_string_lossy()
    ));
    let has_wal = std::fs::metadata(wal).is_ok_and(|m| m.len() > 0);
    Ok(header_problem(&header, len, has_wal))
}

/// The check of [`file_problem`] on the first 100 bytes and the length of a file.
pub fn header_problem(header: &[u8], len: u64, has_wal: bool) -> Option<String> {
    if len == 0 {
        return None;
    }
    if header.len() < 100 || !header.starts_with(b"SQLite format 3\0") {
        return Some("it does not start with a SQLite header".into());
    }
    let be16 = |at: usize| u64::from(u16::from_be_bytes([header[at], header[at + 1]]));
    let be32 = |at: usize| {
        u64::from(u32::from_be_bytes([
            header[at],
            header[at + 1],
            header[at + 2],
            header[at + 3],
        ]))
    };
    let page_size = match be16(16) {
        1 => 65_536,
        size => size,
    };
    // The page count in the header counts only while its change counter is current.
    let pages = be32(28);
    let current = be32(24) == be32(92);
    let expected = pages.saturating_mul(page_size);
    (current && !has_wal && pages > 0 && len < expected).then(|| {
        format!("it is {len} bytes long but its header counts {pages} pages of {page_size} bytes: it was cut short")
    })
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

/// A room's URL as it may be shown and remembered: never with a password.
pub fn without_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            let _ = parsed.set_password(None);
            parsed.to_string()
        }
        Err(_) => String::new(),
    }
}

/// Who is writing on this computer, for the versions they save: the login name, else "".
pub fn user_name() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|key| {
            std::env::var(key)
                .ok()
                .filter(|name| !name.trim().is_empty())
        })
        .unwrap_or_default()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_writes_placeholders_as_each_engine_reads_them() {
        let sql = "INSERT INTO t (a, b) VALUES (\0, \0), (\0, \0)";
        assert_eq!(
            placeholders(sql, Engine::Sqlite),
            "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"
        );
        assert_eq!(
            placeholders(sql, Engine::Postgres),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"
        );
    }
}
