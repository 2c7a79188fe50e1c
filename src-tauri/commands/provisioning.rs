//! The Identity Management tab: the SCIM connection, the sync plan, the run with progress over a
//! Channel, one user on demand, and the mapping's payload preview.

use crate::state::AppState;
use lanyard_core::provisioning::connection::ConnectionSettings;
use lanyard_core::provisioning::run::Progress;
use lanyard_core::provisioning::{
    ConnectionView, PayloadPreview, SyncOptions, SyncReport, TestReport,
};
use lanyard_core::secrets::Sensitive;
use lanyard_core::{ApiError, ErrorCode};
use std::sync::Arc;
use tauri::ipc::Channel;
use tauri::State;

/// The connection, or None when the application has none yet.
#[tauri::command]
#[specta::specta]
pub async fn scim_status(
    state: State<'_, AppState>,
    app: String,
) -> Result<Option<ConnectionView>, ApiError> {
    match state.core()?.scim_status(&app).await {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.code == ErrorCode::NotFound => {
            // The application itself must exist.
            state.core()?.get_app(&app).await?;
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Another SCIM server: its base URL and a bearer token the admin typed (stored in the keyring).
#[tauri::command]
#[specta::specta]
pub async fn scim_connect_bearer(
    state: State<'_, AppState>,
    app: String,
    base_url: String,
    token: String,
) -> Result<TestReport, ApiError> {
    state
        .core()?
        .scim_connect_bearer(&app, &base_url, Sensitive::new(token))
        .await
}

/// Salesforce: OAuth in the system browser; answers once the browser came back (or 5 minutes).
#[tauri::command]
#[specta::specta]
pub async fn scim_connect_salesforce(
    app_handle: tauri::AppHandle,
    state: State<'_, AppState>,
    app: String,
    login_host: Option<String>,
    client_id: Option<String>,
) -> Result<TestReport, ApiError> {
    use tauri_plugin_opener::OpenerExt;
    let core = state.core()?;
    let login = core
        .scim_connect_start(&app, login_host.as_deref(), client_id.as_deref())
        .await?;
    // The authorize URL carries no secret (the PKCE verifier stays in this process).
    if let Some(path) = test_oauth_url_file() {
        // Tests only (off unless the variable is set): the test plays the browser's part.
        write_private(&path, &login.authorize_url)?;
    } else {
        app_handle
            .opener()
            .open_url(&login.authorize_url, None::<&str>)
            .map_err(|e| {
                ApiError::new(
                    ErrorCode::Internal,
                    format!("Cannot open the browser ({e}); try again, or connect with `lanyard scim connect {app} --salesforce`."),
                )
            })?;
    }
    core.scim_connect_finish(
        &app,
        login,
        login_host.as_deref(),
        client_id.as_deref(),
        lanyard_core::provisioning::oauth::REDIRECT_TIMEOUT,
    )
    .await
}

/// `LANYARD_TEST_OAUTH_URL_FILE`: where a WebDriver test wants the authorize URL written instead
/// of a browser being opened. Unset (always, outside tests): the system browser opens.
fn test_oauth_url_file() -> Option<std::path::PathBuf> {
    std::env::var_os("LANYARD_TEST_OAUTH_URL_FILE")
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from)
}

/// Writes `text` readable by this user only.
fn write_private(path: &std::path::Path, text: &str) -> Result<(), ApiError> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| {
            ApiError::new(
                ErrorCode::Internal,
                format!("Cannot write {}: {e}", path.display()),
            )
        })
}

#[tauri::command]
#[specta::specta]
pub async fn scim_test(state: State<'_, AppState>, app: String) -> Result<TestReport, ApiError> {
    state.core()?.scim_test(&app).await
}

#[tauri::command]
#[specta::specta]
pub async fn scim_settings(
    state: State<'_, AppState>,
    app: String,
    settings: ConnectionSettings,
) -> Result<ConnectionView, ApiError> {
    state.core()?.scim_settings(&app, settings).await
}

#[tauri::command]
#[specta::specta]
pub async fn scim_disconnect(state: State<'_, AppState>, app: String) -> Result<(), ApiError> {
    state.core()?.scim_disconnect(&app).await
}

/// The plan of a sync (a dry run: no write leaves the process).
#[tauri::command]
#[specta::specta]
pub async fn sync_plan(state: State<'_, AppState>, app: String) -> Result<SyncReport, ApiError> {
    let opts = SyncOptions {
        dry_run: true,
        ..Default::default()
    };
    state
        .core()?
        .sync(&app, opts, None, Default::default())
        .await
}

/// Runs a sync; progress arrives on `on_progress`; `sync_cancel` stops it.
#[tauri::command]
#[specta::specta]
pub async fn sync_run(
    state: State<'_, AppState>,
    app: String,
    allow_deactivations: bool,
    on_progress: Channel<Progress>,
) -> Result<SyncReport, ApiError> {
    let opts = SyncOptions {
        allow_deactivations,
        ..Default::default()
    };
    run_sync(&state, &app, opts, on_progress).await
}

/// One sync of `app` at a time (an automatic push waits its turn); `sync_cancel` reaches it.
async fn run_sync(
    state: &AppState,
    app: &str,
    opts: SyncOptions,
    on_progress: Channel<Progress>,
) -> Result<SyncReport, ApiError> {
    let core = state.core()?.clone();
    let Some(cancel) = state.syncs.try_start(app) else {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("A sync of {app} is already running (an automatic push, say): wait for it to finish, then try again."),
        ));
    };
    let progress = Arc::new(move |p: Progress| {
        let _ = on_progress.send(p);
    });
    let result = core.sync(app, opts, Some(progress), cancel).await;
    state.syncs.end(app);
    result
}

/// Before an application is deleted: deactivates every user Lanyard provisioned to it and takes
/// them out of its groups (the admin asked, so the deletion guard lets it through).
#[tauri::command]
#[specta::specta]
pub async fn deprovision_all(
    state: State<'_, AppState>,
    app: String,
    on_progress: Channel<Progress>,
) -> Result<SyncReport, ApiError> {
    let opts = SyncOptions {
        deprovision_all: true,
        allow_deactivations: true,
        ..Default::default()
    };
    run_sync(&state, &app, opts, on_progress).await
}

#[tauri::command]
#[specta::specta]
pub fn sync_cancel(state: State<'_, AppState>, app: String) -> bool {
    state.syncs.cancel(&app)
}

/// "Provision now" in a user's drawer: this user alone, with its groups.
#[tauri::command]
#[specta::specta]
pub async fn provision_user(
    state: State<'_, AppState>,
    app: String,
    email: String,
) -> Result<SyncReport, ApiError> {
    let opts = SyncOptions {
        only_user: Some(email),
        ..Default::default()
    };
    state
        .core()?
        .sync(&app, opts, None, Default::default())
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn payload_preview(
    state: State<'_, AppState>,
    app: String,
    email: String,
) -> Result<PayloadPreview, ApiError> {
    state.core()?.payload_preview(&app, &email).await
}

/// The attribute mapping as a read-only table (the Identity Management tab shows it).
#[tauri::command]
#[specta::specta]
pub fn scim_mapping() -> Vec<lanyard_core::provisioning::mapping_table::MappingRow> {
    lanyard_core::provisioning::mapping_table::mapping_table()
}

/// What the automatic push last did for `app` (None: it has not run for it yet).
#[tauri::command]
#[specta::specta]
pub fn autopush_state(
    state: State<'_, AppState>,
    app: String,
) -> Option<crate::autopush::PushState> {
    state.push_state(&app)
}
