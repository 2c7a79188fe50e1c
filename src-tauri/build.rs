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
            "query_users",
            "query_user_ids",
            "directory_facets",
            "create_user",
            "update_user",
            "delete_users",
            "set_users_suspended",
            "create_group",
            "update_group",
            "delete_group",
            "add_group_members",
            "remove_group_members",
            "list_app_groups",
            "set_app_group",
            "preview_csv_import",
            "import_csv",
            "email_owner",
            "export_directory_file",
            "save_federation_file",
            "watch_directory",
            "sp_config",
            "inspect_metadata",
            "save_sp_metadata",
            "save_sp_manual",
            "import_sp_certificate",
            "idp_certificates",
            "idp_rotate",
            "idp_bind_next",
            "idp_retire",
            "idp_exports",
            "export_idp_file",
            "authorized_users",
            "test_login",
            "decode_saml",
            "idp_endpoint",
            "list_events",
            "saml_settings",
            "save_saml_settings",
        ]));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {e:#}");
    }
}
