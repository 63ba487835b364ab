//! FountainAI Studio's core: the five FountainAI services as in-process modules over one
//! SQLite database. The CLI and the desktop app are thin layers over these functions.

pub mod backup;
pub mod bundle;
pub mod characters;
pub mod db;
pub mod document;
pub mod drafts;
pub mod error;
pub mod examples;
pub mod files;
mod fnv;
pub mod fountain;
pub mod live;
pub mod logging;
pub mod music;
pub mod progress;
pub mod response;
pub mod room;
pub mod screenplay;
pub mod scripts;
pub mod sequence;
pub mod sessions;
pub mod settings;
pub mod story;
pub mod watch;

pub use db::Database;
pub use error::{Error, Result};
