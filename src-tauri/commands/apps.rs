use crate::state::AppState;
use lanyard_core::apps::{Application, NewApplication};
use lanyard_core::ApiError;
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn list_apps(state: State<'_, AppState>) -> Result<Vec<Application>, ApiError> {
    state.core()?.list_apps().await
}

#[tauri::command]
#[specta::specta]
pub async fn create_app(
    state: State<'_, AppState>,
    request: NewApplication,
) -> Result<Application, ApiError> {
    state.core()?.create_app(request).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_app(state: State<'_, AppState>, name: String) -> Result<Application, ApiError> {
    state.core()?.get_app(&name).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_app(state: State<'_, AppState>, name: String) -> Result<(), ApiError> {
    state.core()?.delete_app(&name).await
}

/// Activates or deactivates single sign-on (deactivated: Lanyard signs nothing for it).
#[tauri::command]
#[specta::specta]
pub async fn set_sso_enabled(
    state: State<'_, AppState>,
    name: String,
    enabled: bool,
) -> Result<Application, ApiError> {
    state.core()?.set_sso_enabled(&name, enabled).await
}

/// Moves the application's IdP URL to `<IdP address>/saml2/<path>`; when its Salesforce org is
/// set up, `idp_repoints` then lists what to change there.
#[tauri::command]
#[specta::specta]
pub async fn set_idp_path(
    state: State<'_, AppState>,
    name: String,
    path: String,
) -> Result<Application, ApiError> {
    state.core()?.set_idp_path(&name, &path).await
}
