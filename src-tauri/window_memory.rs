//! The window remembers its size and the last application the admin had open, in
//! `<data folder>/window.json` (never a secret), and comes back that way at the next start.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

const FILE: &str = "window.json";
/// The smallest size restored (tauri.conf.json's minWidth / minHeight).
const MIN: (f64, f64) = (820.0, 520.0);
/// Larger than any screen: a damaged file cannot open a window nobody can resize.
const MAX: f64 = 16_384.0;
/// A resize is written once the admin stopped dragging for this long (a drag reports dozens of
/// sizes a second), and at once when the window closes.
const SETTLE: Duration = Duration::from_millis(400);

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Remembered {
    /// Logical pixels, as tauri.conf.json states the default size.
    pub width: Option<f64>,
    pub height: Option<f64>,
    #[serde(default)]
    pub maximized: bool,
    pub last_app: Option<String>,
}

impl Remembered {
    /// The size to restore, inside sane bounds; none when nothing usable was kept.
    pub fn size(&self) -> Option<(f64, f64)> {
        let (w, h) = (self.width?, self.height?);
        (w.is_finite() && h.is_finite()).then(|| (w.clamp(MIN.0, MAX), h.clamp(MIN.1, MAX)))
    }
}

pub struct WindowMemory {
    path: Option<PathBuf>,
    now: Mutex<Remembered>,
    /// Counts resizes not written yet: a delayed write goes ahead only if none came after it.
    resizes: AtomicU64,
    /// What the file holds.
    written: Mutex<Remembered>,
}

impl WindowMemory {
    /// What the last run kept; a missing or unreadable file starts from the defaults (said in
    /// the diagnostics log, never an error the admin has to deal with).
    pub fn load(data_dir: Option<&Path>) -> Self {
        let path = data_dir.map(|d| d.join(FILE));
        let now = match path.as_deref().map(std::fs::read) {
            Some(Ok(bytes)) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                tracing::warn!("{FILE} is unreadable ({e}); the window opens at its default size");
                Remembered::default()
            }),
            _ => Remembered::default(),
        };
        Self {
            path,
            written: Mutex::new(now.clone()),
            now: Mutex::new(now),
            resizes: AtomicU64::new(0),
        }
    }

    pub fn get(&self) -> Remembered {
        self.now.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Changes what is kept and writes it when it changed.
    pub fn update(&self, change: impl FnOnce(&mut Remembered)) {
        change(&mut self.now.lock().unwrap_or_else(|p| p.into_inner()));
        self.flush();
    }

    /// Writes what is kept, when the file holds something else.
    pub fn flush(&self) {
        // The file's lock first: two writers cannot put an older snapshot after a newer one.
        let mut written = self.written.lock().unwrap_or_else(|p| p.into_inner());
        let now = self.get();
        if *written != now {
            self.save(&now);
            *written = now;
        }
    }

    fn save(&self, now: &Remembered) {
        let Some(path) = &self.path else { return };
        // Written beside, then renamed: a crash mid-write leaves the old file whole.
        let tmp = path.with_extension("json.tmp");
        let written = serde_json::to_vec_pretty(now)
            .map_err(std::io::Error::other)
            .and_then(|bytes| std::fs::write(&tmp, bytes))
            .and_then(|()| std::fs::rename(&tmp, path));
        if let Err(e) = written {
            tracing::warn!("the window's size was not kept in {}: {e}", path.display());
        }
    }

    /// Puts the window back as it was (before it is shown to the admin).
    pub fn restore(&self, window: &tauri::WebviewWindow) {
        let now = self.get();
        if let Some((w, h)) = now.size() {
            if let Err(e) = window.set_size(tauri::LogicalSize::new(w, h)) {
                tracing::warn!("the window's size was not restored: {e}");
            }
        }
        if now.maximized {
            if let Err(e) = window.maximize() {
                tracing::warn!("the window was not maximized again: {e}");
            }
        }
    }

    /// Follows the admin's resizing (a maximized window keeps the size it had before), written
    /// once the resizing settles; everything is written when the window closes.
    pub fn on_event(&self, window: &tauri::Window, event: &tauri::WindowEvent) {
        match event {
            tauri::WindowEvent::Resized(size) => {
                let maximized = window.is_maximized().unwrap_or(false);
                let logical = size.to_logical::<f64>(window.scale_factor().unwrap_or(1.0));
                // A minimized window reports 0×0 on some desktops: nothing to keep.
                if logical.width < 1.0 || logical.height < 1.0 {
                    return;
                }
                {
                    let mut r = self.now.lock().unwrap_or_else(|p| p.into_inner());
                    r.maximized = maximized;
                    if !maximized {
                        r.width = Some(logical.width.round());
                        r.height = Some(logical.height.round());
                    }
                }
                let this = self.resizes.fetch_add(1, Ordering::SeqCst) + 1;
                let handle = tauri::Manager::app_handle(window).clone();
                tauri::async_runtime::spawn(async move {
                    tokio::time::sleep(SETTLE).await;
                    if let Some(state) =
                        tauri::Manager::try_state::<crate::state::AppState>(&handle)
                    {
                        state.window.settled(this);
                    }
                });
            }
            tauri::WindowEvent::CloseRequested { .. } | tauri::WindowEvent::Destroyed => {
                self.flush()
            }
            _ => {}
        }
    }

    /// A delayed write: goes ahead when no resize came after the one that asked for it.
    fn settled(&self, resize: u64) {
        if self.resizes.load(Ordering::SeqCst) == resize {
            self.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_across_a_restart_and_a_damaged_file_starts_from_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let m = WindowMemory::load(Some(dir.path()));
        assert_eq!(m.get(), Remembered::default(), "nothing kept yet");
        m.update(|r| {
            r.width = Some(1024.0);
            r.height = Some(700.0);
            r.last_app = Some("acme".into());
        });
        let again = WindowMemory::load(Some(dir.path()));
        assert_eq!(again.get().size(), Some((1024.0, 700.0)));
        assert_eq!(again.get().last_app.as_deref(), Some("acme"));

        std::fs::write(dir.path().join(FILE), b"{not json").unwrap();
        assert_eq!(
            WindowMemory::load(Some(dir.path())).get(),
            Remembered::default()
        );
    }

    #[test]
    fn a_resize_is_written_once_it_settles() {
        let dir = tempfile::tempdir().unwrap();
        let m = WindowMemory::load(Some(dir.path()));
        let resize = |w: f64| {
            m.now.lock().unwrap().width = Some(w);
            m.now.lock().unwrap().height = Some(700.0);
            m.resizes.fetch_add(1, Ordering::SeqCst) + 1
        };
        let first = resize(900.0);
        let second = resize(1000.0);
        m.settled(first);
        assert!(
            !dir.path().join(FILE).exists(),
            "another resize came after: not yet"
        );
        m.settled(second);
        let kept = WindowMemory::load(Some(dir.path())).get();
        assert_eq!(kept.size(), Some((1000.0, 700.0)));
        let modified = std::fs::metadata(dir.path().join(FILE))
            .unwrap()
            .modified()
            .unwrap();
        m.flush();
        assert_eq!(
            std::fs::metadata(dir.path().join(FILE))
                .unwrap()
                .modified()
                .unwrap(),
            modified,
            "nothing new: not written again"
        );
    }

    #[test]
    fn a_size_out_of_bounds_is_brought_back_inside() {
        let r = Remembered {
            width: Some(10.0),
            height: Some(1e9),
            ..Default::default()
        };
        assert_eq!(r.size(), Some((MIN.0, MAX)));
        let r = Remembered {
            width: Some(f64::NAN),
            height: Some(700.0),
            ..Default::default()
        };
        assert_eq!(r.size(), None);
        assert_eq!(Remembered::default().size(), None);
    }
}
