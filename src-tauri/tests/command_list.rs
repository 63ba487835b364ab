//! The app's commands come from one list, `commands.rs`: `generate_handler!` in main.rs, the
//! permissions build.rs makes and the capability file allowing them. A command missing from
//! one of them fails only at run time in the UI, so it is checked here.

use std::collections::BTreeSet;

include!("../commands.rs");
include!("../capability.rs");

/// Each entry's module and function.
macro_rules! command_paths {
    ($($module:ident :: $name:ident),* $(,)?) => {
        [$((stringify!($module), stringify!($name))),*]
    };
}

fn source(path: &str) -> String {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("read {}: {e}", full.display()))
}

#[test]
fn every_command_is_listed_registered_and_allowed() {
    let listed: BTreeSet<String> = COMMANDS.iter().map(|c| c.to_string()).collect();
    assert_eq!(listed.len(), COMMANDS.len(), "a command is listed twice");

    let main = source("src/main.rs");
    assert!(
        main.contains(".invoke_handler(app_commands!(handler))")
            && main.contains("tauri::generate_handler![$($module::$name),*]"),
        "main.rs registers the commands of commands.rs"
    );
    for (module, name) in app_commands!(command_paths) {
        let file = source(&format!("src/{module}.rs"));
        let command = file.split("#[tauri::command]").skip(1).any(|after| {
            let signature = after.split('{').next().unwrap_or_default();
            signature.contains(&format!("fn {name}(")) || signature.contains(&format!("fn {name}<"))
        });
        assert!(
            command,
            "{module}::{name} is a #[tauri::command] in src/{module}.rs"
        );
    }

    let text = source("capabilities/main.json");
    assert_eq!(
        text,
        capability(COMMANDS),
        "capabilities/main.json is written by build.rs"
    );
    let capability: serde_json::Value = serde_json::from_str(&text).expect("capability JSON");
    let allowed: BTreeSet<String> = capability["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect();
    assert_eq!(allowed, listed, "allow-<kebab> in capabilities/main.json");
}
