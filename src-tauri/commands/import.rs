//! The manual import: the target's users a page at a time (the table streams them in), and the
//! import of a selection with progress over a Channel.

use crate::state::AppState;
use lanyard_core::provisioning::import::{ImportRequest, ImportResult, RemotePage};
use lanyard_core::provisioning::run::Progress;
use lanyard_core::ApiError;
use std::sync::Arc;
use tauri::ipc::Channel;
use tauri::State;

/// One page (200) of the target's users with their status; pass `next` back for the next one.
#[tauri::command]
#[specta::specta]
pub async fn import_page(
    state: State<'_, AppState>,
    app: String,
    cursor: Option<String>,
) -> Result<RemotePage, ApiError> {
    state.core()?.import_page(&app, cursor.as_deref()).await
}

#[tauri::command]
#[specta::specta]
pub async fn import_users(
    state: State<'_, AppState>,
    app: String,
    request: ImportRequest,
    on_progress: Channel<Progress>,
) -> Result<ImportResult, ApiError> {
    let progress = Arc::new(move |p: Progress| {
        let _ = on_progress.send(p);
    });
    state
        .core()?
        .import_users(&app, request, Some(progress), Default::default())
        .await
}
