//! The user portal: an application's tile (shown or not, its image), bookmarks, and the tiles a
//! chosen directory user sees. Images are read only from a file the admin chose in the shell's
//! dialog or dropped on the window; a bookmark opens only the address stored for it.

use crate::commands::files::{read_file, PORTAL_IMAGE};
use crate::state::AppState;
use lanyard_core::portal::{Bookmark, NewBookmark, PortalSettings, PortalTile};
use lanyard_core::{ApiError, ErrorCode};
use tauri::State;

fn image_bytes(state: &AppState, path: Option<String>) -> Result<Option<Vec<u8>>, ApiError> {
    path.map(|p| read_file(state, &p, PORTAL_IMAGE)).transpose()
}

#[tauri::command]
#[specta::specta]
pub async fn portal_settings(
    state: State<'_, AppState>,
    app: String,
) -> Result<PortalSettings, ApiError> {
    state.core()?.portal_settings(&app).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_show_in_portal(
    state: State<'_, AppState>,
    app: String,
    show: bool,
) -> Result<PortalSettings, ApiError> {
    state.core()?.set_show_in_portal(&app, show).await
}

/// The tile's image from the file at `path` (chosen or dropped); none removes it.
#[tauri::command]
#[specta::specta]
pub async fn set_portal_image(
    state: State<'_, AppState>,
    app: String,
    path: Option<String>,
) -> Result<PortalSettings, ApiError> {
    let bytes = image_bytes(&state, path)?;
    state.core()?.set_portal_image(&app, bytes).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_bookmarks(state: State<'_, AppState>) -> Result<Vec<Bookmark>, ApiError> {
    state.core()?.list_bookmarks().await
}

#[tauri::command]
#[specta::specta]
pub async fn create_bookmark(
    state: State<'_, AppState>,
    bookmark: NewBookmark,
) -> Result<Bookmark, ApiError> {
    state.core()?.create_bookmark(bookmark).await
}

/// Shows a bookmark in the portal, or deactivates it (kept, hidden).
#[tauri::command]
#[specta::specta]
pub async fn set_bookmark_shown(
    state: State<'_, AppState>,
    name: String,
    show: bool,
) -> Result<Bookmark, ApiError> {
    state.core()?.set_bookmark_shown(&name, show).await
}

/// Who sees a bookmark: the members of these groups (by name), or every user when none.
#[tauri::command]
#[specta::specta]
pub async fn set_bookmark_groups(
    state: State<'_, AppState>,
    name: String,
    groups: Vec<String>,
) -> Result<Bookmark, ApiError> {
    state.core()?.set_bookmark_groups(&name, &groups).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_bookmark_image(
    state: State<'_, AppState>,
    name: String,
    path: Option<String>,
) -> Result<Bookmark, ApiError> {
    let bytes = image_bytes(&state, path)?;
    state.core()?.set_bookmark_image(&name, bytes).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_bookmark(state: State<'_, AppState>, name: String) -> Result<(), ApiError> {
    state.core()?.delete_bookmark(&name).await
}

/// The tiles the directory user `email` sees in the portal.
#[tauri::command]
#[specta::specta]
pub async fn portal_tiles(
    state: State<'_, AppState>,
    email: String,
) -> Result<Vec<PortalTile>, ApiError> {
    state.core()?.portal_tiles(&email).await
}

/// Opens a bookmark's stored address in the system browser (the page names the bookmark, never
/// an address).
#[tauri::command]
#[specta::specta]
pub async fn open_bookmark(
    handle: tauri::AppHandle,
    state: State<'_, AppState>,
    name: String,
) -> Result<(), ApiError> {
    use tauri_plugin_opener::OpenerExt;
    let url = state.core()?.get_bookmark(&name).await?.url;
    handle.opener().open_url(&url, None::<&str>).map_err(|e| {
        ApiError::new(
            ErrorCode::Internal,
            format!("Cannot open the browser ({e}); open {url} by hand."),
        )
    })
}
