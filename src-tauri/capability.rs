/// `capabilities/main.json`: the main window may call these commands and listen to events,
/// nothing else. Shared by build.rs (which writes it) and the test that checks it.
pub fn capability(commands: &[&str]) -> String {
    let mut permissions = vec![
        "core:event:allow-listen".to_string(),
        "core:event:allow-unlisten".to_string(),
    ];
    permissions.extend(
        commands
            .iter()
            .map(|name| format!("allow-{}", name.replace('_', "-"))),
    );
    let permissions: Vec<String> = permissions.iter().map(|p| format!("    \"{p}\"")).collect();
    format!(
        "{{\n  \"$schema\": \"../gen/schemas/desktop-schema.json\",\n  \"identifier\": \"main\",\n  \
         \"description\": \"The main window may call FountainAI Studio's own commands and listen \
         to its events; nothing else.\",\n  \"windows\": [\n    \"main\"\n  ],\n  \
         \"permissions\": [\n{}\n  ]\n}}\n",
        permissions.join(",\n")
    )
}
