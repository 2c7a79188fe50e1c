//! The manual import: the target's users a page at a time (the table streams them in), and the
//! import of a selection with progress over a Channel, cancellable, with a desktop notification
//! when a background import ends.

use crate::state::AppState;
use lanyard_core::provisioning::import::{ImportRequest, ImportResult, RemotePage, RemoteRow};
use lanyard_core::provisioning::run::Progress;
use lanyard_core::{ApiError, ErrorCode};
use serde::Serialize;
use std::sync::Arc;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

/// The target's pages of 200 answered by one continuing call: 250 round trips for 50,000 users
/// cost the window seconds of IPC and parsing; 50 do not.
const PAGES_PER_CALL: usize = 5;

/// What one `import_page` call read.
#[derive(Debug, Serialize, specta::Type)]
pub struct ImportBatch {
    pub rows: Vec<RemoteRow>,
    /// Where the next page starts (None: every user is read).
    pub next: Option<String>,
    /// The target's refusal of a later page: the rows before it are kept, and `next` is the page
    /// that failed (asking again retries it).
    pub error: Option<ApiError>,
}

/// The target's users with their status: the first page (200) at once, then up to 1,000 per
/// call; pass `next` back for more. A first page that fails is the call's error.
#[tauri::command]
#[specta::specta]
pub async fn import_page(
    state: State<'_, AppState>,
    app: String,
    cursor: Option<String>,
) -> Result<ImportBatch, ApiError> {
    let core = state.core()?;
    let RemotePage { mut rows, mut next } = core.import_page(&app, cursor.as_deref()).await?;
    let mut error = None;
    if cursor.is_some() {
        for _ in 1..PAGES_PER_CALL {
            let Some(at) = next.clone() else { break };
            match core.import_page(&app, Some(&at)).await {
                Ok(more) => {
                    rows.extend(more.rows);
                    next = more.next;
                }
                Err(e) => {
                    error = Some(e);
                    break;
                }
            }
        }
    }
    Ok(ImportBatch { rows, next, error })
}

/// Imports a selection; `import_cancel` stops it (nothing is written then). `notify`: raise a
/// desktop notification with the counts when it ends (the window asks for it on background
/// imports, which the admin may have left).
#[tauri::command]
#[specta::specta]
pub async fn import_users(
    handle: AppHandle,
    state: State<'_, AppState>,
    app: String,
    request: ImportRequest,
    notify: bool,
    on_progress: Channel<Progress>,
) -> Result<ImportResult, ApiError> {
    let core = state.core()?.clone();
    let Some(cancel) = state.imports.try_start(&app) else {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("An import into {app} is already running: wait for it to finish, or cancel it, then try again."),
        ));
    };
    let progress = Arc::new(move |p: Progress| {
        let _ = on_progress.send(p);
    });
    let result = core
        .import_users(&app, request, Some(progress), cancel)
        .await;
    state.imports.end(&app);
    if notify {
        let (title, body) = notification_text(&app, &result);
        let page = format!("/applications/{app}/import");
        crate::notifications::show(&handle, &title, &body, Some(&page));
    }
    result
}

/// Cancels the running import of `app`; false when none runs.
#[tauri::command]
#[specta::specta]
pub fn import_cancel(state: State<'_, AppState>, app: String) -> bool {
    state.imports.cancel(&app)
}

/// The notification's title and body: the counts, or why it stopped.
fn notification_text(app: &str, result: &Result<ImportResult, ApiError>) -> (String, String) {
    match result {
        Ok(r) => {
            let mut body = format!(
                "{} created, {} updated, {} linked, {} already imported",
                r.created, r.updated, r.linked, r.already_imported
            );
            if r.skipped_inactive > 0 {
                body.push_str(&format!(", {} inactive skipped", r.skipped_inactive));
            }
            if !r.errors.is_empty() {
                body.push_str(&format!(", {} refused", r.errors.len()));
            }
            if !r.not_found.is_empty() {
                body.push_str(&format!(", {} not found", r.not_found.len()));
            }
            body.push_str(". Details are in the event log.");
            (format!("Lanyard: import into {app} finished"), body)
        }
        Err(e) => (
            format!("Lanyard: import into {app} stopped"),
            e.message.clone(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notification_reports_the_counts_or_the_reason() {
        let r = ImportResult {
            created: 120,
            linked: 3,
            skipped_inactive: 2,
            errors: vec![lanyard_core::directory::RowError {
                line: 4,
                email: "bad@".into(),
                message: "not an email".into(),
            }],
            ..Default::default()
        };
        let (title, body) = notification_text("acme", &Ok(r));
        assert_eq!(title, "Lanyard: import into acme finished");
        assert_eq!(
            body,
            "120 created, 0 updated, 3 linked, 0 already imported, 2 inactive skipped, 1 refused. Details are in the event log."
        );
        let (title, body) = notification_text(
            "acme",
            &Err(ApiError::new(
                ErrorCode::Conflict,
                "cancelled: nothing written",
            )),
        );
        assert_eq!(title, "Lanyard: import into acme stopped");
        assert_eq!(body, "cancelled: nothing written");
    }
}
