fn main() {
    // Listing the commands makes Tauri generate one permission per command, so the capability
    // file can allow exactly these and nothing else.
    let manifest = tauri_build::AppManifest::new().commands(&COMMANDS);
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(manifest);
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build failed: {error:#}");
    }
}

include!("commands.rs");
