//! The directory over IPC: users, groups, memberships, application bindings, CSV import and
//! exports, and the live-update watch that tells the window when the directory changed.

use super::files::{ask_save_path, write_file, SaveAs};
use crate::state::AppState;
use lanyard_core::directory::{
    mark_for_ipc, AppGroupAccess, DirectoryFacets, Group, GroupInput, ImportPreview, ImportSummary,
    User, UserInput, UserPage, UserQuery,
};
use lanyard_core::ApiError;
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tauri::{AppHandle, Emitter, State};

/// Emitted (payload: the change-feed mark, a number) when the directory changed, whoever changed it.
pub const DIRECTORY_CHANGED: &str = "directory://changed";

/// How often the watch looks at the change feed.
const POLL: Duration = Duration::from_secs(1);

/// One page of the users table, searched, filtered and sorted by the core (at most 500 rows).
#[tauri::command]
#[specta::specta]
pub async fn query_users(
    state: State<'_, AppState>,
    query: UserQuery,
) -> Result<UserPage, ApiError> {
    state.core()?.query_users(&query).await
}

/// The ids of every user a query matches (for "select all shown").
#[tauri::command]
#[specta::specta]
pub async fn query_user_ids(
    state: State<'_, AppState>,
    query: UserQuery,
) -> Result<Vec<String>, ApiError> {
    state.core()?.query_user_ids(&query).await
}

/// How many users there are, the departments and the groups: what the Directory page loads.
#[tauri::command]
#[specta::specta]
pub async fn directory_facets(state: State<'_, AppState>) -> Result<DirectoryFacets, ApiError> {
    state.core()?.directory_facets().await
}

#[tauri::command]
#[specta::specta]
pub async fn create_user(state: State<'_, AppState>, input: UserInput) -> Result<User, ApiError> {
    state.core()?.create_user(input).await
}

#[tauri::command]
#[specta::specta]
pub async fn update_user(
    state: State<'_, AppState>,
    id: String,
    input: UserInput,
) -> Result<User, ApiError> {
    state.core()?.update_user(&id, input).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_users(state: State<'_, AppState>, ids: Vec<String>) -> Result<u32, ApiError> {
    state.core()?.delete_users(&ids).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_users_suspended(
    state: State<'_, AppState>,
    ids: Vec<String>,
    suspended: bool,
) -> Result<u32, ApiError> {
    state.core()?.set_users_suspended(&ids, suspended).await
}

#[tauri::command]
#[specta::specta]
pub async fn create_group(
    state: State<'_, AppState>,
    input: GroupInput,
) -> Result<Group, ApiError> {
    state.core()?.create_group(input).await
}

#[tauri::command]
#[specta::specta]
pub async fn update_group(
    state: State<'_, AppState>,
    id: String,
    input: GroupInput,
) -> Result<Group, ApiError> {
    state.core()?.update_group(&id, input).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_group(state: State<'_, AppState>, id: String) -> Result<(), ApiError> {
    state.core()?.delete_group(&id).await
}

#[tauri::command]
#[specta::specta]
pub async fn add_group_members(
    state: State<'_, AppState>,
    group: String,
    users: Vec<String>,
) -> Result<u32, ApiError> {
    state.core()?.add_group_members(&group, &users).await
}

#[tauri::command]
#[specta::specta]
pub async fn remove_group_members(
    state: State<'_, AppState>,
    group: String,
    users: Vec<String>,
) -> Result<u32, ApiError> {
    state.core()?.remove_group_members(&group, &users).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_app_groups(
    state: State<'_, AppState>,
    app: String,
) -> Result<Vec<AppGroupAccess>, ApiError> {
    state.core()?.app_groups(&app).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_app_group(
    state: State<'_, AppState>,
    app: String,
    group: String,
    bound: bool,
) -> Result<bool, ApiError> {
    state.core()?.set_app_group(&app, &group, bound).await
}

/// Checks CSV text (the file's contents, read by the window) and says what importing it would do.
#[tauri::command]
#[specta::specta]
pub async fn preview_csv_import(
    state: State<'_, AppState>,
    text: String,
) -> Result<ImportPreview, ApiError> {
    state.core()?.preview_csv_import(&text).await
}

/// Imports CSV text: every row, or none when any is bad.
#[tauri::command]
#[specta::specta]
pub async fn import_csv(
    state: State<'_, AppState>,
    text: String,
) -> Result<ImportSummary, ApiError> {
    state.core()?.import_csv(&text).await
}

/// The id of the user who has `email` (any case), if anyone does: the user drawer's "taken" hint.
#[tauri::command]
#[specta::specta]
pub async fn email_owner(
    state: State<'_, AppState>,
    email: String,
) -> Result<Option<String>, ApiError> {
    match state.core()?.get_user(email.trim()).await {
        Ok(u) if u.email.eq_ignore_ascii_case(email.trim()) => Ok(Some(u.id)),
        Ok(_) => Ok(None),
        Err(e) if e.code == lanyard_core::ErrorCode::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Saves the directory's CSV export where the admin chooses in the save dialog; answers the
/// path, or nothing when the admin cancelled.
#[tauri::command]
#[specta::specta]
pub async fn export_directory_file(
    handle: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<String>, ApiError> {
    let core = state.core()?;
    let offer = SaveAs {
        title: "Export the directory",
        file_name: "lanyard-directory.csv",
        filter: ("CSV", &["csv"]),
    };
    let Some(path) = ask_save_path(&handle, offer).await? else {
        return Ok(None);
    };
    write_file(&path, &core.export_directory_csv().await?)?;
    Ok(Some(path.display().to_string()))
}

/// Where an application's Data Loader file was saved, and how many users it holds.
#[derive(Debug, Serialize, specta::Type)]
pub struct SavedFederationFile {
    pub path: String,
    pub users: u32,
}

/// Saves an application's Data Loader file (Username, FederationIdentifier) where the admin
/// chooses in the save dialog; nothing when the admin cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_federation_file(
    handle: AppHandle,
    state: State<'_, AppState>,
    app: String,
) -> Result<Option<SavedFederationFile>, ApiError> {
    let core = state.core()?;
    let file_name = format!("{app}-federation-ids.csv");
    let offer = SaveAs {
        title: "Save the Data Loader file",
        file_name: &file_name,
        filter: ("CSV", &["csv"]),
    };
    let Some(path) = ask_save_path(&handle, offer).await? else {
        return Ok(None);
    };
    let file = core.federation_csv(&app).await?;
    write_file(&path, &file.csv)?;
    Ok(Some(SavedFederationFile {
        path: path.display().to_string(),
        users: file.users,
    }))
}

static WATCHING: AtomicBool = AtomicBool::new(false);

/// Starts (once per process) a background task that polls the change feed's newest id every
/// second and emits [`DIRECTORY_CHANGED`] when it moved, so the window reloads when the CLI or a
/// sync changed the directory. Returns the current mark.
#[tauri::command]
#[specta::specta]
pub async fn watch_directory(app: AppHandle, state: State<'_, AppState>) -> Result<u32, ApiError> {
    let core = state.core()?.clone();
    let mut last = core.directory_change_mark().await?;
    if !WATCHING.swap(true, Ordering::SeqCst) {
        tauri::async_runtime::spawn(async move {
            loop {
                tokio::time::sleep(POLL).await;
                // A failed read (database busy, say) is tried again on the next tick.
                if let Ok(mark) = core.directory_change_mark().await {
                    if mark != last {
                        last = mark;
                        if let Err(e) = app.emit(DIRECTORY_CHANGED, mark_for_ipc(mark)) {
                            tracing::warn!("cannot tell the window the directory changed: {e}");
                        }
                    }
                }
            }
        });
    }
    Ok(mark_for_ipc(last))
}
