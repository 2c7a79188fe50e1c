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
    batch(cursor, |at| {
        let (core, app) = (core.clone(), app.clone());
        async move { core.import_page(&app, at.as_deref()).await }
    })
    .await
}

/// Reads pages with `page` from `cursor`: one for a first call (None), up to [`PAGES_PER_CALL`]
/// for a continuing one, stopping at the last page or at a later page's error.
async fn batch<F, Fut>(cursor: Option<String>, page: F) -> Result<ImportBatch, ApiError>
where
    F: Fn(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<RemotePage, ApiError>>,
{
    let first_call = cursor.is_none();
    let RemotePage { mut rows, mut next } = page(cursor).await?;
    let mut error = None;
    if !first_call {
        for _ in 1..PAGES_PER_CALL {
            let Some(at) = next.clone() else { break };
            match page(Some(at)).await {
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
    use lanyard_core::provisioning::import::ImportStatus;
    use std::sync::Mutex;

    type Asked = Arc<Mutex<Vec<Option<String>>>>;
    type Answer = std::future::Ready<Result<RemotePage, ApiError>>;

    /// A target of `pages` pages of one row each (cursor = the page's number); `fail` answers
    /// that page with an error. Records the cursors asked.
    fn target(pages: usize, fail: Option<usize>) -> (Asked, impl Fn(Option<String>) -> Answer) {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = asked.clone();
        let page = move |at: Option<String>| {
            log.lock().unwrap().push(at.clone());
            let n: usize = at.as_deref().map_or(0, |a| a.parse().unwrap());
            std::future::ready(if Some(n) == fail {
                Err(ApiError::new(
                    ErrorCode::Remote,
                    format!("page {n} refused"),
                ))
            } else {
                Ok(RemotePage {
                    rows: vec![RemoteRow {
                        remote_id: n.to_string(),
                        username: format!("u{n}@example.com"),
                        name: String::new(),
                        email: String::new(),
                        active: true,
                        profile: None,
                        title: String::new(),
                        department: String::new(),
                        status: ImportStatus::New,
                        differences: Vec::new(),
                    }],
                    next: (n + 1 < pages).then(|| (n + 1).to_string()),
                })
            })
        };
        (asked, page)
    }

    fn ids(b: &ImportBatch) -> Vec<&str> {
        b.rows.iter().map(|r| r.remote_id.as_str()).collect()
    }

    #[tokio::test]
    async fn a_first_call_reads_one_page_and_a_continuing_one_up_to_five() {
        let (asked, page) = target(12, None);
        let b = batch(None, &page).await.unwrap();
        assert_eq!((ids(&b), b.next.as_deref()), (vec!["0"], Some("1")));
        let b = batch(Some("1".into()), &page).await.unwrap();
        assert_eq!(ids(&b), ["1", "2", "3", "4", "5"]);
        assert_eq!(b.next.as_deref(), Some("6"));
        let b = batch(Some("10".into()), &page).await.unwrap();
        assert_eq!(ids(&b), ["10", "11"]);
        assert_eq!(b.next, None, "stops at the last page");
        assert_eq!(
            asked.lock().unwrap().len(),
            1 + 5 + 2,
            "no page asked twice"
        );
    }

    #[tokio::test]
    async fn a_later_page_that_fails_comes_back_with_the_rows_before_it() {
        let (asked, page) = target(12, Some(3));
        let b = batch(Some("1".into()), &page).await.unwrap();
        assert_eq!(ids(&b), ["1", "2"]);
        assert_eq!(
            b.next.as_deref(),
            Some("3"),
            "asking again retries the page that failed"
        );
        assert_eq!(
            b.error.map(|e| e.message).as_deref(),
            Some("page 3 refused")
        );
        assert_eq!(
            asked.lock().unwrap().len(),
            3,
            "nothing asked after the failure"
        );
        let e = batch(Some("3".into()), &page)
            .await
            .expect_err("a first page that fails is the call's error");
        assert_eq!(e.message, "page 3 refused");
    }

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
