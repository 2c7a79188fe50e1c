//! SP-initiated logins waiting for the admin: the window lists them, approves one for a user it
//! picks, or denies it. Nothing on the HTTP side chooses who signs in.

use crate::state::AppState;
use lanyard_core::saml::approval::PendingLogin;
use lanyard_core::ApiError;
use std::sync::atomic::{AtomicBool, Ordering};
use tauri::{AppHandle, Emitter, Manager, State};

/// Emitted (with no payload) whenever a request arrives, is approved or denied.
pub const PENDING_CHANGED: &str = "saml://pending-logins";

static WATCHING: AtomicBool = AtomicBool::new(false);

#[tauri::command]
#[specta::specta]
pub async fn pending_logins(state: State<'_, AppState>) -> Result<Vec<PendingLogin>, ApiError> {
    Ok(state.core()?.pending_logins())
}

#[tauri::command]
#[specta::specta]
pub async fn approve_login(
    state: State<'_, AppState>,
    id: String,
    user: String,
) -> Result<PendingLogin, ApiError> {
    state.core()?.approve_login(&id, &user).await
}

#[tauri::command]
#[specta::specta]
pub async fn deny_login(state: State<'_, AppState>, id: String) -> Result<(), ApiError> {
    state.core()?.deny_login(&id).await
}

/// Starts telling the window about the queue (once); a new request also asks for attention.
#[tauri::command]
#[specta::specta]
pub async fn watch_pending_logins(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<(), ApiError> {
    let core = state.core()?.clone();
    if WATCHING.swap(true, Ordering::SeqCst) {
        return Ok(());
    }
    let mut rx = core.watch_pending_logins();
    tauri::async_runtime::spawn(async move {
        let mut waiting = core.pending_logins().len();
        while rx.changed().await.is_ok() {
            let now = core.pending_logins().len();
            if now > waiting {
                if let Some(w) = app.get_webview_window("main") {
                    let _ = w.request_user_attention(Some(tauri::UserAttentionType::Informational));
                }
            }
            waiting = now;
            if let Err(e) = app.emit(PENDING_CHANGED, ()) {
                tracing::warn!("cannot tell the window about a login request: {e}");
            }
        }
    });
    Ok(())
}
