fn main() {
    // Every app command must be declared here and allowed in a capability: nothing is reachable
    // from the webview by default.
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(&[
            "startup_status",
            "list_apps",
            "create_app",
            "get_app",
            "delete_app",
            "storage_info",
            "keyring_status",
            "mark_first_paint",
        ]));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {e:#}");
    }
}
