//! How the window renders. Lanyard shows forms and tables, for which WebKitGTK's CPU rendering is
//! plenty; GPU compositing would cost the web process about 120 MiB more (tests/e2e/app/
//! bench-directory.js with 100,000 users: 281 MiB PSS with it, 160 MiB without, same scroll and
//! search timings) and is where WebKitGTK's blank-window problems with some GPU drivers live.
//! `LANYARD_GPU=1` turns hardware acceleration back on.

/// Applies the rendering choice to a window's webview (Linux; nothing to do elsewhere).
pub fn apply(window: &tauri::WebviewWindow) {
    if gpu_requested(std::env::var("LANYARD_GPU").ok().as_deref()) {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        let done = window.with_webview(|webview| {
            use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
            if let Some(settings) = WebViewExt::settings(&webview.inner()) {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        });
        if let Err(e) = done {
            tracing::warn!("the window's rendering settings were not applied: {e}");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

fn gpu_requested(value: Option<&str>) -> bool {
    matches!(value.map(str::trim), Some("1" | "true" | "yes" | "on"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn gpu_only_when_asked_for() {
        assert!(super::gpu_requested(Some("1")));
        assert!(super::gpu_requested(Some("yes")));
        assert!(!super::gpu_requested(Some("0")));
        assert!(!super::gpu_requested(Some("")));
        assert!(!super::gpu_requested(None));
    }
}
