//! Desktop notifications (tauri-plugin-notification): the one place the shell raises them. A
//! notification can name a page of the window (`open`); a click on it brings the window to the
//! front on that page.

use std::sync::atomic::{AtomicI32, Ordering};
use tauri::{AppHandle, Emitter, Manager};

/// The event the window follows to show a page a notification named (its payload: the route).
pub const OPEN_ROUTE: &str = "lanyard://open";
const OPEN_KEY: &str = "open";

/// Each notification its own id, so a second one does not replace the first.
static NEXT_ID: AtomicI32 = AtomicI32::new(1);

/// Whether the main window is in front (then the window itself shows what happened).
pub fn window_focused(handle: &AppHandle) -> bool {
    handle
        .get_webview_window("main")
        .and_then(|w| w.is_focused().ok())
        .unwrap_or(false)
}

/// The Events page showing an application's failed attempts (the target's own messages).
pub fn failures_route(app: &str) -> String {
    format!("/events?app={app}&outcome=failed")
}

/// Listens for clicks on Lanyard's notifications (registered once, at start).
pub fn init(handle: &AppHandle) {
    use tauri_plugin_notification::NotificationExt;
    let for_clicks = handle.clone();
    let registered = handle.notification().on_action(move |performed| {
        if performed.action_id() != "tap" {
            return;
        }
        let route = performed
            .notification()
            .and_then(|n| n.extra().get(OPEN_KEY))
            .and_then(|v| v.as_str())
            .filter(|r| r.starts_with('/'));
        if let Some(route) = route {
            open(&for_clicks, route);
        }
    });
    if let Err(e) = registered {
        tracing::warn!("clicks on notifications will not open the window: {e}");
    }
}

/// Brings the window to the front on `route`.
fn open(handle: &AppHandle, route: &str) {
    if let Some(w) = handle.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
    if let Err(e) = handle.emit(OPEN_ROUTE, route) {
        tracing::warn!("cannot tell the window which page to open: {e}");
    }
}

/// Shows a desktop notification; `open`, the page a click on it opens. A desktop without a
/// notification service only loses it (said in the diagnostics log).
pub fn show(handle: &AppHandle, title: &str, body: &str, open: Option<&str>) {
    use tauri_plugin_notification::NotificationExt;
    let mut builder = handle
        .notification()
        .builder()
        .id(NEXT_ID.fetch_add(1, Ordering::Relaxed))
        .title(title)
        .body(body);
    if let Some(route) = open {
        builder = builder.extra(OPEN_KEY, route);
    }
    if let Err(e) = builder.show() {
        tracing::warn!("cannot show a desktop notification: {e}");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_failure_opens_the_applications_failed_events() {
        assert_eq!(
            super::failures_route("acme-prod"),
            "/events?app=acme-prod&outcome=failed"
        );
    }
}
