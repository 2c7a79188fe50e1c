//! The manual import: the target's users read a page at a time into the listing the core holds
//! (the table asks for the rows in view, and for the ids a query matches), and the import of a
//! selection with progress over a Channel, cancellable, with a desktop notification
//! when a background import ends.

use crate::state::AppState;
use lanyard_core::provisioning::import::{ImportRequest, ImportResult, ListingRead};
use lanyard_core::provisioning::import_view::{ImportIds, ImportQuery, ImportView};
use lanyard_core::provisioning::run::Progress;
use lanyard_core::{ApiError, ErrorCode};
use serde::Serialize;
use std::sync::Arc;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

/// The target's pages of 200 read by one continuing call: 250 round trips for 50,000 users
/// cost the window seconds of IPC; 25 do not (and a Stop still lands within a call).
const PAGES_PER_CALL: usize = 10;

/// What one `import_page` call read.
#[derive(Debug, Serialize, specta::Type)]
pub struct ImportBatch {
    /// Users in the listing now.
    pub listed: u32,
    /// Where the next page starts (None: every user is read).
    pub next: Option<String>,
    /// The target's refusal of a later page: the pages before it are kept, and `next` is the
    /// page that failed (asking again retries it).
    pub error: Option<ApiError>,
}

/// Reads the target's users into the listing the table shows: the first page (200) at once,
/// then up to 2,000 per call; pass `next` back for more. A first page that fails is the call's
/// error.
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
        async move { core.import_read(&app, at.as_deref()).await }
    })
    .await
}

/// Reads pages with `page` from `cursor`: one for a first call (None), up to [`PAGES_PER_CALL`]
/// for a continuing one, stopping at the last page or at a later page's error.
async fn batch<F, Fut>(cursor: Option<String>, page: F) -> Result<ImportBatch, ApiError>
where
    F: Fn(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<ListingRead, ApiError>>,
{
    let first_call = cursor.is_none();
    let ListingRead {
        mut listed,
        mut next,
    } = page(cursor).await?;
    let mut error = None;
    if !first_call {
        for _ in 1..PAGES_PER_CALL {
            let Some(at) = next.clone() else { break };
            match page(Some(at)).await {
                Ok(more) => {
                    listed = more.listed;
                    next = more.next;
                }
                Err(e) => {
                    error = Some(e);
                    break;
                }
            }
        }
    }
    Ok(ImportBatch {
        listed,
        next,
        error,
    })
}

/// The rows of the listing that `query` asks for (search, filters, sort, the slice in view).
#[tauri::command]
#[specta::specta]
pub async fn import_rows(
    state: State<'_, AppState>,
    app: String,
    query: ImportQuery,
) -> Result<ImportView, ApiError> {
    state.core()?.import_view(&app, &query).await
}

/// Every user of the listing that `query` matches, in its order ("select all", shift-ranges).
#[tauri::command]
#[specta::specta]
pub async fn import_ids(
    state: State<'_, AppState>,
    app: String,
    query: ImportQuery,
) -> Result<ImportIds, ApiError> {
    state.core()?.import_ids(&app, &query).await
}

/// Lets the listing go (the import page closed).
#[tauri::command]
#[specta::specta]
pub async fn import_close(state: State<'_, AppState>, app: String) -> Result<(), ApiError> {
    state.core()?.import_close(&app).await?;
    // What the listing held (12 MiB at 50,000 users, unless it holds the last selection
    // imported) is free now: hand it back.
    crate::allocator::give_back_soon();
    Ok(())
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
    // An import's working memory (its parts, SQLite's statements) is free now: hand it back.
    crate::allocator::give_back_soon();
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
    use std::sync::Mutex;

    type Asked = Arc<Mutex<Vec<Option<String>>>>;
    type Answer = std::future::Ready<Result<ListingRead, ApiError>>;

    /// A target of `pages` pages of one user each (cursor = the page's number); `fail` answers
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
                Ok(ListingRead {
                    listed: u32::try_from(n + 1).unwrap(),
                    next: (n + 1 < pages).then(|| (n + 1).to_string()),
                })
            })
        };
        (asked, page)
    }

    /// The cursors asked since the last look.
    fn asked_since(asked: &Asked) -> Vec<Option<String>> {
        std::mem::take(&mut *asked.lock().unwrap())
    }

    fn cursors(list: &[&str]) -> Vec<Option<String>> {
        list.iter().map(|c| Some((*c).to_owned())).collect()
    }

    #[tokio::test]
    async fn a_first_call_reads_one_page_and_a_continuing_one_up_to_ten() {
        let (asked, page) = target(12, None);
        let b = batch(None, &page).await.unwrap();
        assert_eq!((b.listed, b.next.as_deref()), (1, Some("1")));
        assert_eq!(asked_since(&asked), [None]);
        let b = batch(Some("1".into()), &page).await.unwrap();
        assert_eq!(
            asked_since(&asked),
            cursors(&["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"])
        );
        assert_eq!((b.listed, b.next.as_deref()), (11, Some("11")));
        let b = batch(Some("11".into()), &page).await.unwrap();
        assert_eq!(asked_since(&asked), cursors(&["11"]));
        assert_eq!((b.listed, b.next), (12, None), "stops at the last page");
    }

    #[tokio::test]
    async fn a_later_page_that_fails_comes_back_with_the_pages_before_it() {
        let (asked, page) = target(12, Some(3));
        let b = batch(Some("1".into()), &page).await.unwrap();
        assert_eq!(
            asked_since(&asked),
            cursors(&["1", "2", "3"]),
            "nothing asked after the failure"
        );
        assert_eq!(b.listed, 3, "the pages before it are in the listing");
        assert_eq!(
            b.next.as_deref(),
            Some("3"),
            "asking again retries the page that failed"
        );
        assert_eq!(
            b.error.map(|e| e.message).as_deref(),
            Some("page 3 refused")
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
