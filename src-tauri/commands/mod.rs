//! IPC commands, one module per area. Each command is a few lines: take the state, call the
//! core, return `{code, message}` on error.

mod apps;
mod system;

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
            system::mark_first_paint,
            apps::list_apps,
            apps::create_app,
            apps::get_app,
            apps::delete_app,
        ])
}
