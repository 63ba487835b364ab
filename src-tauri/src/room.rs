//! The writers' room in the app: File → Open Writers' Room… (the password kept only in the OS
//! keyring), the window's title naming the room, other writers' changes to the script the UI
//! shows sent to it as `room-change` events, and File → Open Local Library.
//!
//! Opening a room starts the app again on it (`FOUNTAINAI_DB`), so every part that holds the
//! database (the commands, backups, the linked-file watcher, the transport) works on the room
//! from its start.

use std::sync::Mutex;
use std::time::Duration;

use fountainai::db::{Engine, DB_ENV};
use fountainai::room::{self, Access, Changes};
use fountainai::{Database, Error, Result};
use tauri::{AppHandle, Emitter, Manager, Runtime, State};
use tokio::sync::watch;

/// The keyring's service name; the account is the room's URL without a password.
const KEYRING_SERVICE: &str = "FountainAI Studio";
/// The password handed to the app started on a room when there is no keyring to find it in;
/// read and removed before anything else runs, never logged.
const PASSWORD_ENV: &str = "FOUNTAINAI_ROOM_PASSWORD";
/// The local library to go back to (what `FOUNTAINAI_DB` named before a room was opened).
const LOCAL_ENV: &str = "FOUNTAINAI_LOCAL_DB";

/// The script the UI shows, which the change listener follows.
pub struct Following(watch::Sender<Option<i64>>);

impl Default for Following {
    fn default() -> Self {
        Following(watch::channel(None).0)
    }
}

/// What the writer should hear once about the room (the password could not be kept).
#[derive(Default)]
pub struct Note(pub Mutex<Option<String>>);

/// The library the app opens: a room when `FOUNTAINAI_DB` is a `postgres://` URL (its password
/// from the app that opened it or from the keyring), otherwise the local file.
pub async fn open_library(note: &Note) -> Result<Database> {
    let Some(url) = std::env::var(DB_ENV)
        .ok()
        .filter(|url| Engine::of_url(url) == Engine::Postgres)
    else {
        return Database::open_default().await;
    };
    let handed = std::env::var(PASSWORD_ENV).ok();
    std::env::remove_var(PASSWORD_ENV);
    if handed.is_some() {
        *note.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(
            "There is no keyring here, so the room's password was not stored: you will be asked \
             for it next time."
                .into(),
        );
    }
    let password = handed.or_else(|| kept_password(&url));
    Database::open_url(&room::login_url(&url, "", password.as_deref())?).await
}

/// The keyring's entry for a room; none where there is no keyring (on Linux, no session bus
/// for the secret service, as on a build machine).
fn keyring_entry(url: &str) -> Option<keyring::Entry> {
    if cfg!(target_os = "linux") && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        return None;
    }
    keyring::Entry::new(KEYRING_SERVICE, &room::without_password(url)).ok()
}

/// Keeps a room's password in the keyring; false where there is none (or it refused).
fn keep_password(url: &str, password: &str) -> bool {
    keyring_entry(url).is_some_and(|entry| match entry.set_password(password) {
        Ok(()) => true,
        Err(error) => {
            tracing::warn!(%error, "no keyring: the room's password is not stored");
            false
        }
    })
}

/// The password the keyring keeps for a room, if any.
fn kept_password(url: &str) -> Option<String> {
    keyring_entry(url)?.get_password().ok()
}

/// File → Open Writers' Room…: connects once to check the address, user and password, keeps
/// the password in the keyring (or, with none, only for the app started next), then starts the
/// app again on the room.
pub async fn open<R: Runtime>(
    app: &AppHandle<R>,
    url: &str,
    user: &str,
    password: Option<&str>,
) -> Result<()> {
    let login = room::login_url(url, user, password)?;
    Database::open_url(&login).await?.close().await;
    let shown = room::without_password(&login);
    let kept = match password.filter(|p| !p.is_empty()) {
        None => true,
        Some(password) => keep_password(&shown, password),
    };
    let mut next = restarted()?;
    next.env(DB_ENV, &shown).env(LOCAL_ENV, local_library());
    if let (false, Some(password)) = (kept, password) {
        next.env(PASSWORD_ENV, password);
    }
    start(app, next)
}

/// File → Open Local Library: the app starts again on the library it had before the room.
pub fn open_local<R: Runtime>(app: &AppHandle<R>) -> Result<()> {
    let mut next = restarted()?;
    match local_library() {
        local if local.is_empty() => next.env_remove(DB_ENV),
        local => next.env(DB_ENV, local),
    };
    start(app, next)
}

/// The local library's `FOUNTAINAI_DB` ("" for the data folder's).
fn local_library() -> String {
    std::env::var(LOCAL_ENV)
        .ok()
        .or_else(|| std::env::var(DB_ENV).ok())
        .filter(|db| Engine::of_url(db) != Engine::Postgres)
        .unwrap_or_default()
}

/// The app again, without the command line's file (it was imported already).
fn restarted() -> Result<std::process::Command> {
    let exe = std::env::current_exe().map_err(|e| Error::Io(e.to_string()))?;
    let mut next = std::process::Command::new(exe);
    next.env_remove(PASSWORD_ENV);
    Ok(next)
}

fn start<R: Runtime>(app: &AppHandle<R>, mut next: std::process::Command) -> Result<()> {
    next.spawn().map_err(|e| Error::Io(e.to_string()))?;
    app.exit(0);
    Ok(())
}

/// "FountainAI Studio — room story on db.example.org (as alice)"; the app's name alone for a
/// local library.
pub fn window_title(access: &Access) -> String {
    let Some(room) = access.room.as_deref().and_then(|r| url::Url::parse(r).ok()) else {
        return "FountainAI Studio".into();
    };
    let database = room.path().trim_matches('/');
    let host = room.host_str().unwrap_or_default();
    let user = access.user.as_deref().unwrap_or_default();
    let reader = if access.may_write { "" } else { ", read-only" };
    format!("FountainAI Studio \u{2014} room {database} on {host} (as {user}{reader})")
}

/// Names the room in the window's title; started in the app's one `setup`.
pub fn show_in_title<R: Runtime>(app: &AppHandle<R>) {
    let db = app.state::<Database>().inner().clone();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        if db.room_url().is_none() {
            return;
        }
        match room::access(&db).await {
            Ok(access) => {
                if let Some(window) = app.get_webview_window("main") {
                    let _ = window.set_title(&window_title(&access));
                }
            }
            Err(error) => tracing::warn!(%error, "the room's access is not known"),
        }
    });
}

/// Other writers' changes to the script the UI follows (and to the room's list of scripts),
/// sent as the event `room-change`; started in the app's one `setup`, idle outside a room.
pub fn follow_changes<R: Runtime>(app: &AppHandle<R>) {
    let db = app.state::<Database>().inner().clone();
    let mut following = app.state::<Following>().0.subscribe();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut changes = match Changes::open(&db).await {
            Ok(Some(changes)) => changes,
            Ok(None) => return,
            Err(error) => {
                tracing::warn!(%error, "other writers' changes are not followed");
                return;
            }
        };
        loop {
            let script = *following.borrow_and_update();
            if let Err(error) = changes.follow(script).await {
                tracing::warn!(%error, "the room's script is not followed");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
            tokio::select! {
                changed = following.changed() => if changed.is_err() { return },
                change = changes.next() => match change {
                    Ok(change) => {
                        if let Err(error) = app.emit("room-change", change) {
                            tracing::warn!(%error, "room-change event not sent");
                        }
                    }
                    Err(error) => {
                        tracing::warn!(%error, "the room's changes stopped for a moment");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                },
            }
        }
    });
}

// ---- commands ----------------------------------------------------------------------------

/// Who the writer is in the library open, and whether they may change it.
#[tauri::command]
pub async fn room_access(db: State<'_, Database>) -> Result<Access> {
    room::access(&db).await
}

/// The script the UI shows now (none: the library), whose changes the room announces.
#[tauri::command]
pub fn room_follow(following: State<'_, Following>, script_id: Option<i64>) {
    following.0.send_replace(script_id);
}

/// File → Open Writers' Room…
#[tauri::command]
pub async fn room_open<R: Runtime>(
    app: AppHandle<R>,
    url: String,
    user: String,
    password: Option<String>,
) -> Result<()> {
    open(&app, &url, &user, password.as_deref()).await
}

/// File → Open Local Library.
#[tauri::command]
pub fn room_open_local<R: Runtime>(app: AppHandle<R>) -> Result<()> {
    open_local(&app)
}

/// What the writer should hear once about the room, if anything.
#[tauri::command]
pub fn room_note(note: State<'_, Note>) -> Option<String> {
    note.0.lock().ok().and_then(|mut n| n.take())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_names_the_room_host_and_user() {
        let access = Access {
            room: Some("postgres://alice@db.example.org:5433/story?sslmode=require".into()),
            user: Some("alice".into()),
            may_write: true,
        };
        assert_eq!(
            window_title(&access),
            "FountainAI Studio \u{2014} room story on db.example.org (as alice)"
        );
        let reader = Access {
            may_write: false,
            ..access
        };
        assert!(window_title(&reader).ends_with("(as alice, read-only)"));
        let local = Access {
            room: None,
            user: None,
            may_write: true,
        };
        assert_eq!(window_title(&local), "FountainAI Studio");
    }

    /// On a real secret service (gnome-keyring on a D-Bus session of the test run's own:
    /// `scripts/with-keyring.sh`, the keyring stage of `scripts/test.sh`).
    #[test]
    #[ignore = "needs a secret service: scripts/with-keyring.sh cargo test ... -- --ignored"]
    fn a_rooms_password_is_kept_in_the_keyring_for_the_next_start_and_can_be_changed() {
        let url = "postgres://alice@db.example.org:5433/story";
        assert_eq!(kept_password(url), None, "nothing kept yet");
        assert!(keep_password(url, "first s3cret"), "a keyring is there");
        assert_eq!(kept_password(url).as_deref(), Some("first s3cret"));
        assert!(keep_password(url, "second"));
        assert_eq!(kept_password(url).as_deref(), Some("second"), "the new one");
        let other = "postgres://bob@db.example.org:5433/story";
        assert_eq!(kept_password(other), None, "each user's own");
        let entry = keyring_entry(url).expect("the keyring");
        entry.delete_credential().expect("forgotten");
        assert_eq!(kept_password(url), None);
    }
}
