use crate::state::AppState;
use lanyard_core::core::{KeyringStatus, StorageInfo};
use lanyard_core::ApiError;
use serde::Serialize;
use tauri::State;

/// Whether the core opened; when not, `error` says why (a damaged database, say) and the UI
/// shows it instead of the pages.
#[derive(Debug, Serialize, specta::Type)]
pub struct StartupStatus {
    pub error: Option<ApiError>,
    pub data_dir: Option<String>,
    /// Where the practice org (the local Salesforce simulator) runs.
    pub practice_url: String,
}

#[tauri::command]
#[specta::specta]
pub fn startup_status(state: State<'_, AppState>) -> StartupStatus {
    StartupStatus {
        error: state.core().err(),
        data_dir: state.data_dir().map(|d| d.display().to_string()),
        practice_url: lanyard_core::paths::practice_url_from_env(),
    }
}

#[tauri::command]
#[specta::specta]
pub async fn storage_info(state: State<'_, AppState>) -> Result<StorageInfo, ApiError> {
    state.core()?.storage_info().await
}

#[tauri::command]
#[specta::specta]
pub async fn keyring_status(state: State<'_, AppState>) -> Result<KeyringStatus, ApiError> {
    Ok(state.core()?.keyring_status().await)
}

/// Called by the UI once its first screen has rendered. With LANYARD_TRACE_STARTUP=1 the time
/// since process start is printed, for the start-up benchmark.
#[tauri::command]
#[specta::specta]
pub fn mark_first_paint(state: State<'_, AppState>) {
    if std::env::var_os("LANYARD_TRACE_STARTUP").is_some() {
        println!(
            "lanyard: first paint {} ms after start",
            state.started.elapsed().as_millis()
        );
    }
}
