//! The desktop shell: opens the core, registers the commands and shows the window. Everything
//! else lives in `lanyard-core`.

mod allocator;
mod autopush;
mod commands;
mod notifications;
mod rendering;
mod running;
mod state;
#[cfg(debug_assertions)]
mod test_hooks;
mod window_memory;

use lanyard_core::clock::SystemClock;
use lanyard_core::secrets::KeyringStore;
use std::path::PathBuf;
use std::sync::Arc;

pub use commands::bindings_builder;

/// `--data-dir DIR` or `--data-dir=DIR` from the command line, if given.
fn data_dir_arg(args: impl IntoIterator<Item = String>) -> Option<PathBuf> {
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--data-dir" {
            return args.next().map(PathBuf::from);
        }
        if let Some(value) = arg.strip_prefix("--data-dir=") {
            return Some(PathBuf::from(value));
        }
    }
    None
}

pub fn run() {
    allocator::configure();
    let started = std::time::Instant::now();
    let data_dir = lanyard_core::paths::data_dir_from_env(data_dir_arg(std::env::args().skip(1)));
    // Diagnostics to <data folder>/logs (and stderr with LANYARD_VERBOSE=1); kept until exit.
    let _log = lanyard_core::diagnostics::init(
        data_dir.as_deref(),
        std::env::var_os("LANYARD_VERBOSE").is_some(),
    );
    let opened = tauri::async_runtime::block_on(state::open_core(
        data_dir,
        Arc::new(KeyringStore::default()),
        Arc::new(SystemClock),
    ));
    if let Err(e) = &opened.core {
        // The window still opens and shows this; the terminal and the log get it too.
        tracing::error!("{}", e.message);
        eprintln!("lanyard: {}", e.message);
    }
    let builder = commands::bindings_builder();
    let core_for_idp = opened.core.as_ref().ok().cloned();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        .manage(state::AppState::new(opened, started))
        .on_window_event(|window, event| {
            use tauri::Manager;
            let Some(state) = window.try_state::<state::AppState>() else {
                return;
            };
            // The only way a path from outside reaches a command: a drop the shell itself saw.
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                state.allow_files(paths.iter().cloned());
            }
            state.window.on_event(window, event);
        })
        .setup(move |app| {
            use tauri::Manager;
            for window in app.webview_windows().values() {
                rendering::apply(window);
                app.state::<state::AppState>().window.restore(window);
            }
            if let Some(core) = core_for_idp.clone() {
                // The first search would otherwise read the directory from disk; after the
                // first paint, so the window does not wait for it. The event log's retention
                // is applied first (it may make the log much smaller).
                tauri::async_runtime::spawn(async move {
                    if let Err(e) = core.apply_event_retention().await {
                        tracing::warn!("the event retention was not applied: {}", e.message);
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
                    if let Err(e) = core.warm_directory().await {
                        tracing::warn!("reading the directory ahead failed: {}", e.message);
                    }
                });
            }
            notifications::init(app.handle());
            #[cfg(debug_assertions)]
            test_hooks::start(app.handle().clone());
            if let Some(core) = core_for_idp.clone() {
                autopush::start(app.handle().clone(), core);
            }
            start_idp_endpoint(app.handle().clone(), core_for_idp);
            Ok(())
        })
        .invoke_handler(builder.invoke_handler())
        .run(tauri::generate_context!());
    if let Err(e) = result {
        tracing::error!("the window could not start: {e}");
        eprintln!("lanyard: the window could not start: {e}");
        std::process::exit(1);
    }
}

/// Starts the loopback IdP endpoint (SP-initiated logins) in the background, at the address the
/// settings name; Settings shows where it listens or why it could not start.
fn start_idp_endpoint(handle: tauri::AppHandle, core: Option<lanyard_core::Core>) {
    use tauri::Manager;
    tauri::async_runtime::spawn(async move {
        let Some(state) = handle.try_state::<state::AppState>() else {
            return;
        };
        let result = match core {
            None => Err("the database did not open".to_owned()),
            Some(core) => match core.idp_address().await {
                Ok(address) => {
                    state.set_idp_target(address.base_url.clone());
                    match lanyard_core::saml::repoint::listen_addr(&address.base_url) {
                        Ok(addr) => core.serve_idp(addr).await.map_err(|e| e.message),
                        Err(e) => Err(e.message),
                    }
                }
                Err(e) => Err(e.message),
            },
        };
        if let Err(e) = &result {
            tracing::warn!("the IdP endpoint is not running: {e}");
        }
        state.set_idp(result);
    });
}

#[cfg(test)]
mod tests {
    use super::data_dir_arg;
    use std::path::PathBuf;

    fn args(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn data_dir_flag_in_both_spellings() {
        assert_eq!(
            data_dir_arg(args(&["--data-dir", "/x"])),
            Some(PathBuf::from("/x"))
        );
        assert_eq!(
            data_dir_arg(args(&["--data-dir=/y"])),
            Some(PathBuf::from("/y"))
        );
        assert_eq!(data_dir_arg(args(&["--other"])), None);
    }
}
