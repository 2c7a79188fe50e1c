//! Hooks for the WebDriver tests, compiled into debug builds only (the tests' build) and off
//! unless their variable is set:
//! `LANYARD_TEST_DROP_FILE` names a file the shell watches; when a path is written into it, the
//! shell drops that file on the window as the desktop would (the file becomes readable and the
//! window gets the same drop event), then deletes the request. WebDriver cannot drag a file from
//! the desktop, and this keeps the window's real drop path under test.

use std::path::PathBuf;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager};

pub fn start(handle: AppHandle) {
    let Some(request) = std::env::var_os("LANYARD_TEST_DROP_FILE")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
    else {
        return;
    };
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(200)).await;
            let Ok(text) = std::fs::read_to_string(&request) else {
                continue;
            };
            let _ = std::fs::remove_file(&request);
            let path = PathBuf::from(text.trim());
            if let Some(state) = handle.try_state::<crate::state::AppState>() {
                state.allow_files([path.clone()]);
            }
            let payload = serde_json::json!({ "paths": [path], "position": { "x": 10, "y": 10 } });
            if let Err(e) = handle.emit("tauri://drag-drop", payload) {
                tracing::warn!("the test drop was not delivered: {e}");
            }
        }
    });
}
