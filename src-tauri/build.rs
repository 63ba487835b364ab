fn main() {
    // The capability file allows exactly the listed commands; written from the list (only when
    // it changed, so a build does not touch it otherwise) before Tauri reads it.
    let capability = capability(COMMANDS);
    let path = std::path::Path::new("capabilities/main.json");
    if std::fs::read_to_string(path).ok().as_deref() != Some(capability.as_str()) {
        if let Err(error) = std::fs::write(path, &capability) {
            panic!("write {}: {error}", path.display());
        }
    }
    // Listing the commands makes Tauri generate one permission per command.
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(manifest);
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build failed: {error:#}");
    }
}

include!("commands.rs");
include!("capability.rs");
