//! How far a long task is (orchestration, import, export), for a progress bar: the app sends
//! it to the UI as the event `progress`, the CLI logs it.

use serde::Serialize;

/// `done` of `total` steps of `task`; the last report has `done == total`.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub task: String,
    pub step: String,
    pub done: u32,
    pub total: u32,
}

impl Progress {
    pub fn new(task: &str, step: &str, done: u32, total: u32) -> Self {
        Progress {
            task: task.into(),
            step: step.into(),
            done,
            total,
        }
    }
}
