//! IPC commands, one module per area. Each command is a few lines: take the state, call the
//! core, return `{code, message}` on error.

mod approvals;
mod apps;
mod directory;
mod events;
mod files;
mod forms;
mod import;
mod portal;
mod provisioning;
mod saml;
mod setup;
mod system;

pub use saml::IdpEndpoint;
use tauri_specta::{collect_commands, Builder};

/// The runtime helper the generated bindings use: a command's own error comes back as a typed
/// value, never as `any`.
const TYPED_ERROR_IMPL: &str = r#"async function typedError<T, E>(result: Promise<T>): Promise<{ status: "ok"; data: T } | { status: "error"; error: E }> {
    try {
        return { status: "ok", data: await result };
    } catch (e: unknown) {
        if (e instanceof Error) throw e;
        return { status: "error", error: e as E };
    }
}"#;

/// The command list; also what the TypeScript bindings are generated from.
pub fn bindings_builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new()
        .disable_serde_phases()
        .typed_error_impl(TYPED_ERROR_IMPL)
        .commands(collect_commands![
            system::startup_status,
            system::storage_info,
            system::keyring_status,
            system::get_settings,
            system::set_settings,
            system::idp_address,
            system::set_idp_address,
            system::idp_repoints,
            system::mark_first_paint,
            system::remember_app,
            apps::list_apps,
            apps::create_app,
            apps::get_app,
            apps::delete_app,
            apps::set_sso_enabled,
            apps::set_idp_path,
            portal::portal_settings,
            portal::set_show_in_portal,
            portal::set_portal_image,
            portal::list_bookmarks,
            portal::create_bookmark,
            portal::set_bookmark_shown,
            portal::set_bookmark_groups,
            portal::set_bookmark_image,
            portal::delete_bookmark,
            portal::portal_tiles,
            portal::open_bookmark,
            directory::query_users,
            directory::query_user_ids,
            directory::directory_facets,
            directory::create_user,
            directory::update_user,
            directory::delete_users,
            directory::set_users_suspended,
            directory::create_group,
            directory::update_group,
            directory::delete_group,
            directory::add_group_members,
            directory::remove_group_members,
            directory::list_app_groups,
            directory::set_app_group,
            directory::preview_csv_import,
            directory::import_csv,
            directory::email_owner,
            forms::check_form,
            directory::export_directory_file,
            directory::save_federation_file,
            directory::watch_directory,
            saml::sp_config,
            saml::inspect_metadata,
            saml::save_sp_metadata,
            saml::save_sp_manual,
            saml::import_sp_certificate,
            saml::idp_certificates,
            saml::idp_rotate,
            saml::idp_bind_next,
            saml::idp_retire,
            saml::idp_exports,
            saml::export_idp_file,
            saml::authorized_users,
            saml::test_login,
            saml::decode_saml,
            saml::idp_endpoint,
            events::list_events,
            saml::saml_settings,
            saml::save_saml_settings,
            approvals::pending_logins,
            approvals::approve_login,
            approvals::deny_login,
            approvals::watch_pending_logins,
            provisioning::scim_status,
            provisioning::scim_connect_bearer,
            provisioning::scim_connect_salesforce,
            provisioning::scim_test,
            provisioning::scim_settings,
            provisioning::scim_disconnect,
            provisioning::sync_plan,
            provisioning::sync_run,
            provisioning::sync_cancel,
            provisioning::deprovision_all,
            provisioning::provision_user,
            provisioning::payload_preview,
            events::query_events,
            setup::setup_status,
            setup::setup_mark,
            setup::setup_fill_practice_sso,
            import::import_page,
            import::import_rows,
            import::import_ids,
            import::import_close,
            import::import_users,
            import::import_cancel,
            files::choose_file,
            events::export_events,
            provisioning::scim_mapping,
            provisioning::autopush_state,
        ])
}
