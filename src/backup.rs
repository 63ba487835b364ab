//! Rotating backups of the database in `backups/` beside it (for the default database, the
//! data directory's `backups/`): one when the app starts, then at most every ten minutes while
//! something changes; the last 20 kept, plus the newest of each of the last 14 days. Each is
//! made by SQLite's `VACUUM INTO` on the open pool, so it is consistent while the app writes,
//! into a temp file renamed when complete. Restoring first saves the current database as a
//! backup, then replaces every row in one transaction, so a kill leaves the old or the new.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};
use tracing::instrument;

use crate::db::{header_problem, Database};
use crate::error::{Error, Result};

/// The folder of backups beside the database file.
pub const FOLDER: &str = "backups";
/// At most one automatic backup in this time.
pub const EVERY: Duration = Duration::from_secs(10 * 60);
/// The newest backups kept whatever their day.
pub const KEEP_LAST: usize = 20;
/// Days back for which the newest backup of the day is kept too.
pub const KEEP_DAYS: i64 = 14;

/// One backup file, as `fountainai backup list` and File → Restore From Backup… show it.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Backup {
    pub path: String,
    /// When it was made, RFC 3339 UTC.
    pub created_at: String,
    pub bytes: u64,
    /// Scripts in it; absent when it cannot be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scripts: Option<i64>,
    /// Why it cannot be read; absent when it can.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// What `restore` did.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Restored {
    /// The backup restored from.
    pub restored: Backup,
    /// The database as it was just before, saved as a backup.
    pub saved_first: Backup,
}

/// The backups folder of a database file.
pub fn folder(db_file: &Path) -> PathBuf {
    db_file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join(FOLDER)
}

fn db_file(db: &Database) -> Result<&Path> {
    db.path()
        .ok_or_else(|| Error::invalid("backups are kept only for a database in a file"))
}

fn stem(db_file: &Path) -> String {
    db_file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "fountainai".into())
}

/// `STEM-20261201T160812123Z.sqlite3` (with `-2`, `-3`… when one is taken).
fn stamp(at: OffsetDateTime) -> String {
    let format = time::macros::format_description!(
        "[year][month][day]T[hour][minute][second][subsecond digits:3]Z"
    );
    at.format(&format).unwrap_or_default()
}

/// The time in a backup's file name, if it is one of `stem`'s backups.
fn parse_name(name: &str, stem: &str) -> Option<OffsetDateTime> {
    let rest = name.strip_prefix(stem)?.strip_prefix('-')?;
    let rest = rest.strip_suffix(".sqlite3")?;
    let text = rest.split('-').next()?;
    let digits = |from: usize, to: usize| text.get(from..to)?.parse::<u32>().ok();
    if text.len() != 19 || text.get(8..9) != Some("T") || text.get(18..19) != Some("Z") {
        return None;
    }
    let month = Month::try_from(u8::try_from(digits(4, 6)?).ok()?).ok()?;
    let date = Date::from_calendar_date(
        i32::try_from(digits(0, 4)?).ok()?,
        month,
        u8::try_from(digits(6, 8)?).ok()?,
    )
    .ok()?;
    let time = Time::from_hms_milli(
        u8::try_from(digits(9, 11)?).ok()?,
        u8::try_from(digits(11, 13)?).ok()?,
        u8::try_from(digits(13, 15)?).ok()?,
        u16::try_from(digits(15, 18)?).ok()?,
    )
    .ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_utc())
}

fn rfc3339(at: OffsetDateTime) -> String {
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    at.format(&format).unwrap_or_default()
}

/// The rotation: which of the backups made at `made` to delete at `now`. Keeps the
/// [`KEEP_LAST`] newest, and the newest of each of the last [`KEEP_DAYS`] days (today included).
pub fn to_delete(made: &[OffsetDateTime], now: OffsetDateTime) -> Vec<OffsetDateTime> {
    let mut newest_first = made.to_vec();
    newest_first.sort_unstable_by(|a, b| b.cmp(a));
    newest_first.dedup();
    let today = now.date();
    let mut days_kept = std::collections::BTreeSet::new();
    newest_first
        .into_iter()
        .enumerate()
        .filter(|(rank, at)| {
            let age_days = (today - at.date()).whole_days();
            let day_kept = (0..KEEP_DAYS).contains(&age_days) && days_kept.insert(at.date());
            *rank >= KEEP_LAST && !day_kept
        })
        .map(|(_, at)| at)
        .collect()
}

/// The backups of the open database, newest first.
pub async fn list_of(db: &Database) -> Result<Vec<Backup>> {
    list(db_file(db)?).await
}

/// The backups of the database file, newest first, each with its time and what it holds.
/// Reads only the backups, so it works while the database itself cannot be opened.
#[instrument(skip_all, err)]
pub async fn list(file: &Path) -> Result<Vec<Backup>> {
    let mut backups = Vec::new();
    for (at, path) in files(file)? {
        backups.push(describe(&path, at).await);
    }
    Ok(backups)
}

/// The backup files of `db_file` with their times, newest first.
fn files(db_file: &Path) -> Result<Vec<(OffsetDateTime, PathBuf)>> {
    let stem = stem(db_file);
    let entries = match std::fs::read_dir(folder(db_file)) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let mut found: Vec<(OffsetDateTime, PathBuf)> = entries
        .flatten()
        .filter_map(|entry| {
            let at = parse_name(&entry.file_name().to_string_lossy(), &stem)?;
            Some((at, entry.path()))
        })
        .collect();
    found.sort_by(|a, b| b.cmp(a));
    Ok(found)
}

async fn describe(path: &Path, at: OffsetDateTime) -> Backup {
    let (scripts, problem) = match count_scripts(path, false).await {
        Ok(n) => (Some(n), None),
        Err(e) => (None, Some(e.to_string())),
    };
    Backup {
        path: path.display().to_string(),
        created_at: rfc3339(at),
        bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        scripts,
        problem,
    }
}

/// Scripts in a backup, read without changing it; with `check`, after SQLite's integrity check.
async fn count_scripts(path: &Path, check: bool) -> Result<i64> {
    let len = std::fs::metadata(path)?.len();
    let mut header = std::fs::read(path)?;
    header.truncate(100);
    if let Some(problem) = header_problem(&header, len, false) {
        return Err(Error::Database(problem));
    }
    let options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .immutable(true);
    let mut conn = SqliteConnection::connect_with(&options).await?;
    if check {
        let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&mut conn)
            .await?;
        if verdict != "ok" {
            return Err(Error::Database(format!("damaged: {verdict}")));
        }
    }
    let n = sqlx::query_scalar("SELECT count(*) FROM scripts")
        .fetch_one(&mut conn)
        .await?;
    conn.close().await?;
    Ok(n)
}

/// The newest backup that passes SQLite's integrity check: what the app offers when the
/// database itself cannot be opened.
pub async fn latest_good(db_file: &Path) -> Result<Option<Backup>> {
    for (at, path) in files(db_file)? {
        if count_scripts(&path, true).await.is_ok() {
            return Ok(Some(describe(&path, at).await));
        }
    }
    Ok(None)
}

/// Makes a backup now, then rotates.
#[instrument(skip_all, err)]
pub async fn create(db: &Database) -> Result<Backup> {
    let file = db_file(db)?;
    let dir = folder(file);
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::Io(format!("cannot create {}: {e}", dir.display())))?;
    let now = OffsetDateTime::now_utc();
    let (at, path) = free_name(&dir, &stem(file), now);
    let temp = crate::files::temp_beside(&path)?;
    let vacuumed = sqlx::query("VACUUM INTO $1")
        .bind(temp.display().to_string())
        .execute(db.pool())
        .await;
    if let Err(e) = vacuumed {
        let _ = std::fs::remove_file(&temp);
        return Err(e.into());
    }
    crate::files::finish(&temp, &path)?;
    rotate(file, now)?;
    Ok(describe(&path, at).await)
}

fn free_name(dir: &Path, stem: &str, now: OffsetDateTime) -> (OffsetDateTime, PathBuf) {
    let base = format!("{stem}-{}", stamp(now));
    let path = dir.join(format!("{base}.sqlite3"));
    let mut n = 2;
    let mut free = path;
    while free.exists() {
        free = dir.join(format!("{base}-{n}.sqlite3"));
        n += 1;
    }
    (now, free)
}

fn rotate(db_file: &Path, now: OffsetDateTime) -> Result<()> {
    let found = files(db_file)?;
    let made: Vec<OffsetDateTime> = found.iter().map(|(at, _)| *at).collect();
    let old = to_delete(&made, now);
    for (at, path) in found {
        if old.contains(&at) {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}

/// The automatic backup: made when the database changed since the newest backup and that
/// is at least `every` old (`Duration::ZERO` at the app's start). An empty database is not
/// worth one. Databases not in a file have none.
pub async fn auto(db: &Database, every: Duration) -> Result<Option<Backup>> {
    let Some(file) = db.path() else {
        return Ok(None);
    };
    let newest = files(file)?.first().map(|(at, _)| *at);
    if let Some(newest) = newest {
        let changed = last_change(file).is_some_and(|at| at > newest);
        if !changed || OffsetDateTime::now_utc() - newest < every {
            return Ok(None);
        }
    }
    let scripts: i64 = sqlx::query_scalar("SELECT count(*) FROM scripts")
        .fetch_one(db.pool())
        .await?;
    if scripts == 0 {
        return Ok(None);
    }
    create(db).await.map(Some)
}

/// The app's automatic backups while it runs: one at the start when the database changed
/// since the newest backup, then every minute a look whether one is due ([`auto`]).
pub async fn keep_automatic(db: Database) {
    let mut every = Duration::ZERO;
    loop {
        if let Err(error) = auto(&db, every).await {
            tracing::warn!(%error, "no automatic backup");
        }
        every = EVERY;
        tokio::time::sleep(Duration::from_secs(60)).await;
    }
}

/// When the database file or its WAL was last written.
fn last_change(file: &Path) -> Option<OffsetDateTime> {
    let wal = file.with_file_name(format!(
        "{}-wal",
        file.file_name().unwrap_or_default().to_string_lossy()
    ));
    [file.to_path_buf(), wal]
        .iter()
        .filter_map(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
        .max()
        .map(OffsetDateTime::from)
}

/// Replaces the database's contents with the backup at `from`, after saving the current
/// database as a backup. The backup is checked and brought to this version's schema on a
/// copy first; the rows change in one transaction.
#[instrument(skip(db), err)]
pub async fn restore(db: &Database, from: &Path) -> Result<Restored> {
    let file = db_file(db)?;
    let source = checked_copy(file, from).await?;
    let result = async {
        let saved_first = create(db).await?;
        replace_rows(db, &source).await?;
        let at = parse_name(
            &from.file_name().unwrap_or_default().to_string_lossy(),
            &stem(file),
        )
        .unwrap_or_else(OffsetDateTime::now_utc);
        let mut restored = describe(&source, at).await;
        restored.path = from.display().to_string();
        Ok(Restored {
            restored,
            saved_first,
        })
    }
    .await;
    remove_database_files(&source);
    result
}

/// A migrated, checked copy of the backup at `from`, beside the backups.
async fn checked_copy(db_file: &Path, from: &Path) -> Result<PathBuf> {
    if !from.is_file() {
        return Err(Error::not_found(format!(
            "no backup file {}",
            from.display()
        )));
    }
    let dir = folder(db_file);
    std::fs::create_dir_all(&dir)?;
    let copy = dir.join(format!(".restoring-{}.sqlite3.tmp", std::process::id()));
    std::fs::copy(from, &copy)
        .map_err(|e| Error::Io(format!("cannot read {}: {e}", from.display())))?;
    let checked = async {
        let backup = Database::open(&copy).await?;
        let verdict = backup.integrity().await?;
        backup.close().await;
        if verdict != "ok" {
            return Err(Error::Database(format!(
                "{} is damaged: {verdict}",
                from.display()
            )));
        }
        Ok(())
    }
    .await;
    if let Err(e) = checked {
        remove_database_files(&copy);
        return Err(match e {
            Error::Database(message) => Error::Database(
                message.replace(&copy.display().to_string(), &from.display().to_string()),
            ),
            other => other,
        });
    }
    Ok(copy)
}

/// What `recover` did.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Recovered {
    /// The backup now in the database's place.
    pub restored: Backup,
    /// Where the database that could not be opened was moved (never deleted).
    pub kept_aside: String,
}

/// For a database that cannot be opened (damaged, or made by a newer version): moves it
/// aside into the backups folder as `STEM.unopened-TIME.sqlite3` (its WAL beside it) and puts
/// a checked copy of the backup `from` in its place. Only while no process has it open.
#[instrument(err)]
pub async fn recover(file: &Path, from: &Path) -> Result<Recovered> {
    let source = checked_copy(file, from).await?;
    let now = OffsetDateTime::now_utc();
    let aside = folder(file).join(format!("{}.unopened-{}.sqlite3", stem(file), stamp(now)));
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    let aside_name = aside.file_name().unwrap_or_default().to_string_lossy();
    let moved = ["", "-wal", "-shm"].iter().try_for_each(|suffix| {
        let from = file.with_file_name(format!("{name}{suffix}"));
        match std::fs::rename(&from, aside.with_file_name(format!("{aside_name}{suffix}"))) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::Io(format!(
                "cannot move {} aside: {e}",
                from.display()
            ))),
            _ => Ok(()),
        }
    });
    let placed = moved.and_then(|()| {
        crate::files::write_through(file, |temp| {
            std::fs::copy(&source, temp)
                .map(|_| ())
                .map_err(|e| Error::Io(format!("cannot write {}: {e}", file.display())))
        })
    });
    let at = parse_name(
        &from.file_name().unwrap_or_default().to_string_lossy(),
        &stem(file),
    )
    .unwrap_or(now);
    let mut restored = describe(&source, at).await;
    remove_database_files(&source);
    placed?;
    restored.path = from.display().to_string();
    Ok(Recovered {
        restored,
        kept_aside: aside.display().to_string(),
    })
}

fn remove_database_files(path: &Path) {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(path.with_file_name(format!("{name}{suffix}")));
    }
}

/// Every table's rows from `source` in place of the database's, in one transaction. Every
/// script's revision moves past all the old ones, so an editor open on the old text gets a
/// `conflict` instead of overwriting the restored script.
async fn replace_rows(db: &Database, source: &Path) -> Result<()> {
    let mut conn = db.pool().acquire().await?;
    sqlx::query("ATTACH DATABASE $1 AS restore_source")
        .bind(source.display().to_string())
        .execute(&mut *conn)
        .await?;
    // Rows go in table by table, so references are checked once all are in (a RESTRICT
    // reference would refuse the deletes even deferred); off only outside a transaction.
    let copied = match sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut *conn)
        .await
    {
        Ok(_) => copy_tables(&mut conn).await,
        Err(e) => Err(e.into()),
    };
    let reset = sqlx::query("PRAGMA foreign_keys = ON; DETACH DATABASE restore_source")
        .execute(&mut *conn)
        .await;
    if reset.is_err() {
        // A pooled connection must not keep the source attached or its references unchecked.
        conn.detach().close().await.ok();
    }
    copied
}

async fn copy_tables(conn: &mut sqlx::AnyConnection) -> Result<()> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM main.sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    let old_max: i64 = sqlx::query_scalar("SELECT coalesce(max(revision), 0) FROM main.scripts")
        .fetch_one(&mut *tx)
        .await?;
    for table in &tables {
        sqlx::query(&format!("DELETE FROM main.\"{table}\""))
            .execute(&mut *tx)
            .await?;
    }
    for table in &tables {
        let columns: Vec<String> =
            sqlx::query_scalar("SELECT name FROM pragma_table_info($1, 'main') ORDER BY cid")
                .bind(table)
                .fetch_all(&mut *tx)
                .await?;
        let columns = columns
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        sqlx::query(&format!(
            "INSERT INTO main.\"{table}\" ({columns}) SELECT {columns} FROM restore_source.\"{table}\""
        ))
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("DELETE FROM main.sqlite_sequence")
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO main.sqlite_sequence SELECT * FROM restore_source.sqlite_sequence")
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE main.scripts SET revision = revision + $1 + 1")
        .bind(old_max)
        .execute(&mut *tx)
        .await?;
    let dangling: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
        .fetch_all(&mut *tx)
        .await?;
    if let Some((table,)) = dangling.first() {
        return Err(Error::Database(format!(
            "the backup's {table} refer to rows it does not hold; nothing was restored"
        )));
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn rotation_keeps_the_last_twenty_and_one_a_day_for_fourteen_days() {
        let now = datetime!(2026-12-01 12:00 UTC);
        // Every 10 minutes over the last 6 hours, and at 09:00 and 18:00 of each of 30 days before.
        let mut made: Vec<OffsetDateTime> = (0..36)
            .map(|i| now - time::Duration::minutes(10 * i))
            .collect();
        for day in 1..=30 {
            for hour in [9, 18] {
                made.push(
                    datetime!(2026-12-01 00:00 UTC) - time::Duration::days(day)
                        + time::Duration::hours(hour),
                );
            }
        }
        let gone = to_delete(&made, now);
        let kept: Vec<_> = made.iter().filter(|at| !gone.contains(at)).collect();
        // 20 newest (all today) + the 18:00 of each of the 13 days before today.
        assert_eq!(kept.len(), 20 + 13, "{kept:?}");
        assert!(kept.contains(&&(now - time::Duration::minutes(190))));
        assert!(!kept.contains(&&(now - time::Duration::minutes(200))));
        assert!(kept.contains(&&datetime!(2026-11-18 18:00 UTC)));
        assert!(!kept.contains(&&datetime!(2026-11-18 09:00 UTC)));
        assert!(!kept.contains(&&datetime!(2026-11-17 18:00 UTC)));
        // Nothing new to delete once rotated.
        let kept: Vec<OffsetDateTime> = kept.into_iter().copied().collect();
        assert!(to_delete(&kept, now).is_empty());
    }

    #[test]
    fn fewer_than_twenty_backups_are_all_kept_however_old() {
        let now = datetime!(2026-12-01 12:00 UTC);
        let made: Vec<_> = (0..20)
            .map(|i| now - time::Duration::days(100 * i))
            .collect();
        assert!(to_delete(&made, now).is_empty());
    }

    #[test]
    fn a_backup_name_carries_its_time() {
        let at = datetime!(2026-12-01 16:08:12.123 UTC);
        let name = format!("studio-{}.sqlite3", stamp(at));
        assert_eq!(name, "studio-20261201T160812123Z.sqlite3");
        assert_eq!(parse_name(&name, "studio"), Some(at));
        assert_eq!(
            parse_name("studio-20261201T160812123Z-2.sqlite3", "studio"),
            Some(at)
        );
        assert_eq!(parse_name(&name, "other"), None);
        assert_eq!(parse_name("studio-2026.sqlite3", "studio"), None);
        assert_eq!(rfc3339(at), "2026-12-01T16:08:12.123Z");
    }
}
