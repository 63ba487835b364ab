//! The one error type of the core. It crosses every boundary (CLI, Tauri) as `{code, message}`.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    InvalidInput(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Io(String),
    #[error("database error: {0}")]
    Database(String),
    #[error("{tool} is not installed (apt package {package})")]
    ToolMissing { tool: String, package: String },
    /// A MIDI system, a MIDI port or an audio device that is not there (or went away).
    #[error("{0}")]
    DeviceUnavailable(String),
    /// The writers' room's server does not let this user do that (a reader writing).
    #[error("{0}")]
    Forbidden(String),
}

impl Error {
    /// Stable, machine-readable codes: clients switch on these, so never rename one.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound(_) => "not_found",
            Error::InvalidInput(_) => "invalid_input",
            Error::Conflict(_) => "conflict",
            Error::Io(_) => "io",
            Error::Database(_) => "database",
            Error::ToolMissing { .. } => "tool_missing",
            Error::DeviceUnavailable(_) => "device_unavailable",
            Error::Forbidden(_) => "forbidden",
        }
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        Error::NotFound(what.into())
    }

    pub fn invalid(why: impl Into<String>) -> Self {
        Error::InvalidInput(why.into())
    }

    pub fn conflict(why: impl Into<String>) -> Self {
        Error::Conflict(why.into())
    }

    pub fn device(why: impl Into<String>) -> Self {
        Error::DeviceUnavailable(why.into())
    }
}

impl From<sqlx::Error> for Error {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::RowNotFound => Error::NotFound("Not found.".into()),
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                Error::Conflict(format!("That already exists ({}).", db.message()))
            }
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => Error::Conflict(format!(
                "That is still referenced or refers to something missing ({}).",
                db.message()
            )),
            sqlx::Error::Database(db) => from_server(db.code().as_deref(), db.message())
                .unwrap_or_else(|| Error::Database(err.to_string())),
            sqlx::Error::Io(io) => Error::Io(io.to_string()),
            _ => Error::Database(err.to_string()),
        }
    }
}

/// What a PostgreSQL server's SQLSTATE means to a writer in the room.
fn from_server(code: Option<&str>, message: &str) -> Option<Error> {
    Some(match code? {
        "42501" => Error::Forbidden(format!(
            "You may read this writers' room but not change it (the server said: {message}). \
             Ask the room's owner to add you to its writers."
        )),
        "40001" | "40P01" => Error::Conflict(format!(
            "Another writer changed the same part at the same moment; nothing of this change \
             was saved, so try it again ({message})."
        )),
        "22P02" | "22023" => Error::InvalidInput(format!("The server refused a value: {message}")),
        _ => return None,
    })
}

impl From<sqlx::migrate::MigrateError> for Error {
    fn from(err: sqlx::migrate::MigrateError) -> Self {
        Error::Database(format!("migration failed: {err}"))
    }
}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Self {
        Error::Io(err.to_string())
    }
}

impl From<serde_json::Error> for Error {
    fn from(err: serde_json::Error) -> Self {
        Error::InvalidInput(format!("invalid JSON: {err}"))
    }
}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Error", 2)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", &self.to_string())?;
        s.end()
    }
}
