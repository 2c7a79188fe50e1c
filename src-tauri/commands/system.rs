use crate::state::AppState;
use lanyard_core::core::{KeyringStatus, StorageInfo};
use lanyard_core::saml::repoint::{IdpAddress, Repoint};
use lanyard_core::settings::Settings;
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
    /// The application the admin had open last time (the window opens on it).
    pub last_app: Option<String>,
}

#[tauri::command]
#[specta::specta]
pub fn startup_status(state: State<'_, AppState>) -> StartupStatus {
    StartupStatus {
        error: state.core().err(),
        data_dir: state.data_dir().map(|d| d.display().to_string()),
        practice_url: lanyard_core::paths::practice_url_from_env(),
        last_app: state.window.get().last_app,
    }
}

/// Kept for the next start: the application the admin has open.
#[tauri::command]
#[specta::specta]
pub fn remember_app(state: State<'_, AppState>, app: String) {
    state.window.update(|r| r.last_app = Some(app));
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

/// The installation's settings (the event log's retention).
#[tauri::command]
#[specta::specta]
pub async fn get_settings(state: State<'_, AppState>) -> Result<Settings, ApiError> {
    state.core()?.settings().await
}

/// Saves the settings; the retention is applied at once, as on every start.
#[tauri::command]
#[specta::specta]
pub async fn set_settings(
    state: State<'_, AppState>,
    settings: Settings,
) -> Result<Settings, ApiError> {
    let core = state.core()?;
    let saved = core.set_settings(settings).await?;
    core.apply_event_retention().await?;
    Ok(saved)
}

/// Where the IdP endpoint listens and where that comes from.
#[tauri::command]
#[specta::specta]
pub async fn idp_address(state: State<'_, AppState>) -> Result<IdpAddress, ApiError> {
    state.core()?.idp_address().await
}

/// Moves the IdP endpoint (a loopback address) and answers the applications whose Salesforce
/// org must be re-pointed. The endpoint answers on the new address at once (unless
/// LANYARD_IDP_URL pins it, which the answer says).
#[tauri::command]
#[specta::specta]
pub async fn set_idp_address(
    state: State<'_, AppState>,
    url: String,
) -> Result<Vec<Repoint>, ApiError> {
    use lanyard_core::saml::repoint::{listen_addr, parse_base};
    let core = state.core()?;
    let current = core.idp_address().await?;
    let new_base = parse_base(&url)?;
    if current.from_env || listen_addr(&new_base)? == listen_addr(&current.base_url)? {
        // Nothing to move (or the environment pins it: the core says so).
        return core.set_idp_address(&url).await;
    }
    // The new address is taken first: a port in use is an error and nothing is saved; the
    // running endpoint stops only once the new one answers.
    let moved = core.serve_idp(listen_addr(&new_base)?).await?;
    let repoints = core.set_idp_address(&url).await?;
    state.set_idp(Ok(moved));
    Ok(repoints)
}

/// The applications whose Salesforce org still has the IdP's old address.
#[tauri::command]
#[specta::specta]
pub async fn idp_repoints(state: State<'_, AppState>) -> Result<Vec<Repoint>, ApiError> {
    state.core()?.repoints().await
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
