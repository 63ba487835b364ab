//! The three lists of the app's commands agree: `commands.rs` (from which build.rs makes one
//! permission each), `generate_handler!` in main.rs, and the capability file. A command missing
//! from one of them fails only at run time in the UI, so it is checked here.

use std::collections::BTreeSet;

include!("../commands.rs");

fn source(path: &str) -> String {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("read {}: {e}", full.display()))
}

#[test]
fn every_command_is_listed_registered_and_allowed() {
    let listed: BTreeSet<String> = COMMANDS.iter().map(|c| c.to_string()).collect();
    assert_eq!(listed.len(), COMMANDS.len(), "a command is listed twice");

    let main = source("src/main.rs");
    let handler = main
        .split("generate_handler![")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .expect("generate_handler! in main.rs");
    let registered: BTreeSet<String> = handler
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<String>()
        .split(',')
        .filter_map(|path| path.trim().rsplit("::").next())
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .collect();
    assert_eq!(registered, listed, "generate_handler! in main.rs");

    let capability: serde_json::Value =
        serde_json::from_str(&source("capabilities/main.json")).expect("capability JSON");
    let allowed: BTreeSet<String> = capability["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect();
    assert_eq!(allowed, listed, "allow-<kebab> in capabilities/main.json");
}
