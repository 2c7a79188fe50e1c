//! Automatic push: while the app runs, a change in the directory (an edit, a suspension, a
//! membership, a binding, a CSV import) is pushed after a short debounce to every application
//! whose connection is connected with auto push on; one push also runs at start. Changes the
//! provisioning itself made (a sync, a Salesforce import) trigger nothing. Each push is told to
//! the window as `provisioning://<app>/state`; a failure while the window is not in front also
//! raises a desktop notification.

use crate::state::AppState;
use lanyard_core::directory::ChangeSource;
use lanyard_core::provisioning::connection::ConnectionState;
use lanyard_core::provisioning::run::Failure;
use lanyard_core::provisioning::{SyncOptions, SyncSummary};
use lanyard_core::Core;
use serde::Serialize;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager};

/// How often the change feed is read.
const POLL: Duration = Duration::from_millis(250);
/// Quiet time after the last change before a push starts (a bulk edit is one push).
const DEBOUNCE: Duration = Duration::from_millis(1000);
/// A push that found a sync of the same application running tries again after this.
const BUSY_RETRY: Duration = Duration::from_secs(2);

/// What the automatic push last did for one application, as the Identity Management tab shows it.
#[derive(Debug, Clone, Default, Serialize, specta::Type)]
pub struct PushState {
    pub app: String,
    /// A push is running now.
    pub pushing: bool,
    /// When the last push finished (RFC 3339).
    pub last_push_at: Option<String>,
    pub last_summary: Option<SyncSummary>,
    pub failures: Vec<Failure>,
    /// Why the last push could not run at all (the target unreachable, say); empty when it ran.
    pub error: String,
}

/// The event the window listens to for `app`.
pub fn state_event(app: &str) -> String {
    format!("provisioning://{app}/state")
}

/// The changes not pushed: those the provisioning made itself (every other change triggers a
/// push).
const QUIET: [ChangeSource; 2] = [ChangeSource::SalesforceImport, ChangeSource::Sync];

pub fn start(handle: AppHandle, core: Core) {
    tauri::async_runtime::spawn(async move {
        let mut last = core.directory_change_mark().await.unwrap_or(0);
        let mut due = push_all(&handle, &core).await;
        loop {
            tokio::time::sleep(if due { BUSY_RETRY } else { POLL }).await;
            let (moved, relevant) = read_changes(&core, &mut last).await;
            if !moved && !due {
                continue;
            }
            if relevant || due {
                // Debounce: wait until the feed has been quiet for DEBOUNCE.
                loop {
                    tokio::time::sleep(DEBOUNCE).await;
                    let (moved, _) = read_changes(&core, &mut last).await;
                    if !moved {
                        break;
                    }
                }
                due = push_all(&handle, &core).await;
            }
        }
    });
}

/// Reads the change feed past `last`; answers (anything new, anything that triggers a push).
async fn read_changes(core: &Core, last: &mut i64) -> (bool, bool) {
    match core.directory_newest_since(*last, &QUIET).await {
        Ok((Some(newest), relevant)) => {
            *last = newest;
            (true, relevant)
        }
        // Nothing new, or a read that failed (tried again on the next tick).
        _ => (false, false),
    }
}

/// Pushes every application with auto push on; answers whether one was busy (try again soon).
async fn push_all(handle: &AppHandle, core: &Core) -> bool {
    let Ok(apps) = core.list_apps().await else {
        return false;
    };
    let mut busy = false;
    for app in apps {
        let Ok(view) = core.scim_status(&app.name).await else {
            continue; // no connection
        };
        let c = &view.connection;
        if c.state != ConnectionState::Connected || !c.auto_push {
            continue;
        }
        busy |= !push_one(handle, core, &app.name).await;
    }
    busy
}

/// One application's push; false when a sync of it was already running.
async fn push_one(handle: &AppHandle, core: &Core, app: &str) -> bool {
    let state = handle.state::<AppState>();
    let Some(cancel) = state.syncs.try_start(app) else {
        return false;
    };
    let mut now = state.push_state(app).unwrap_or_default();
    now.app = app.to_owned();
    now.pushing = true;
    tell(handle, &state, now.clone());
    let result = core.sync(app, SyncOptions::default(), None, cancel).await;
    state.syncs.end(app);
    now.pushing = false;
    now.last_push_at = Some(chrono_now());
    match result {
        Ok(report) => {
            now.failures = report.failures;
            now.error.clear();
            now.last_summary = Some(report.summary);
        }
        Err(e) => {
            now.failures.clear();
            now.error = e.message;
        }
    }
    let failed = !now.failures.is_empty() || !now.error.is_empty();
    tell(handle, &state, now.clone());
    if failed {
        notify_unless_focused(handle, app, &now);
    }
    true
}

fn chrono_now() -> String {
    lanyard_core::clock::Clock::now(&lanyard_core::clock::SystemClock).to_rfc3339()
}

fn tell(handle: &AppHandle, state: &AppState, now: PushState) {
    let event = state_event(&now.app);
    state.set_push_state(now.clone());
    if let Err(e) = handle.emit(&event, now) {
        tracing::warn!("cannot tell the window about the automatic push: {e}");
    }
}

/// A desktop notification, only while the window is not in front (in front, the tab shows it).
fn notify_unless_focused(handle: &AppHandle, app: &str, now: &PushState) {
    if crate::notifications::window_focused(handle) {
        return;
    }
    let body = if now.error.is_empty() {
        format!(
            "{} change(s) could not be pushed to {app}. Open Identity Management to see why.",
            now.failures.len()
        )
    } else {
        format!("The automatic push to {app} failed: {}", now.error)
    };
    crate::notifications::show(
        handle,
        "Lanyard: automatic push failed",
        &body,
        Some(&crate::notifications::failures_route(app)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changes_made_outside_provisioning_trigger_a_push() {
        let triggers = |s| !QUIET.contains(&s);
        assert!(triggers(ChangeSource::Admin));
        assert!(triggers(ChangeSource::CsvImport));
        assert!(
            !triggers(ChangeSource::Sync),
            "a sync's own writes would loop"
        );
        assert!(!triggers(ChangeSource::SalesforceImport));
        assert_eq!(state_event("acme"), "provisioning://acme/state");
    }
}
