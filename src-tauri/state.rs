//! What the window shares between commands: the opened core, or why it could not be opened.

use lanyard_core::clock::SharedClock;
use lanyard_core::secrets::SecretStore;
use lanyard_core::{ApiError, Core, ErrorCode};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

pub struct Opened {
    pub core: Result<Core, ApiError>,
    pub data_dir: Option<PathBuf>,
}

pub async fn open_core(
    data_dir: Option<PathBuf>,
    secrets: Arc<dyn SecretStore>,
    clock: SharedClock,
) -> Opened {
    let core = match &data_dir {
        Some(dir) => Core::open(dir, secrets, clock)
            .await
            .map(|core| core.with_practice_url(lanyard_core::paths::practice_url_from_env())),
        None => Err(ApiError::new(
            ErrorCode::Storage,
            "Cannot find the OS data folder: start Lanyard with --data-dir DIR or set LANYARD_DATA_DIR.",
        )),
    };
    Opened { core, data_dir }
}

/// How long a dropped or picked file stays readable.
const READABLE_FOR: std::time::Duration = std::time::Duration::from_secs(600);

pub struct AppState {
    opened: Opened,
    pub started: Instant,
    /// The SP-initiated IdP endpoint (kept here: dropping it stops it), or why it did not start.
    idp: std::sync::Mutex<Result<lanyard_core::saml::loopback::LoopbackIdp, String>>,
    /// The address the endpoint is meant to listen on (the setting), known before it runs.
    idp_target: std::sync::Mutex<Option<String>>,
    /// Files the admin dropped on the window or picked in a dialog the shell opened: the only
    /// paths a command reads (the page cannot name one), each for a while.
    readable: std::sync::Mutex<std::collections::HashMap<PathBuf, Instant>>,
    /// The running sync of each application, so Cancel can reach it.
    pub syncs: crate::running::Running,
    /// The running manual import of each application.
    pub imports: crate::running::Running,
    /// The window's size and the last application, kept in the data folder.
    pub window: crate::window_memory::WindowMemory,
    /// What the automatic push last did, per application.
    pushes: std::sync::Mutex<std::collections::HashMap<String, crate::autopush::PushState>>,
}

impl AppState {
    pub fn new(opened: Opened, started: Instant) -> Self {
        Self {
            window: crate::window_memory::WindowMemory::load(opened.data_dir.as_deref()),
            opened,
            started,
            idp: std::sync::Mutex::new(Err("starting".into())),
            idp_target: std::sync::Mutex::new(None),
            syncs: Default::default(),
            imports: Default::default(),
            readable: std::sync::Mutex::new(std::collections::HashMap::new()),
            pushes: std::sync::Mutex::new(std::collections::HashMap::new()),
        }
    }

    pub fn set_idp(&self, idp: Result<lanyard_core::saml::loopback::LoopbackIdp, String>) {
        *self.idp.lock().unwrap_or_else(|p| p.into_inner()) = idp;
    }

    /// Where the endpoint will listen (the settings' address), while it starts or if it failed.
    pub fn set_idp_target(&self, base_url: String) {
        *self.idp_target.lock().unwrap_or_else(|p| p.into_inner()) = Some(base_url);
    }

    pub fn idp_endpoint(&self) -> crate::commands::IdpEndpoint {
        let guard = self.idp.lock().unwrap_or_else(|p| p.into_inner());
        crate::commands::IdpEndpoint {
            url: match guard.as_ref() {
                Ok(idp) => idp.base_url(),
                Err(_) => self
                    .idp_target
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .clone()
                    .unwrap_or_else(lanyard_core::paths::idp_base_url_from_env),
            },
            error: guard.as_ref().err().cloned(),
        }
    }

    /// The IdP login URL of an application (its IdP path), at the address the endpoint really
    /// listens on.
    pub async fn idp_sso_url(&self, app: &str) -> Result<String, ApiError> {
        let application = self.core()?.get_app(app).await?;
        Ok(lanyard_core::saml::repoint::sso_url(
            &self.idp_endpoint().url,
            &application.idp_path,
        ))
    }

    /// The core, or the error that kept it from opening (every command reports the same one).
    pub fn core(&self) -> Result<&Core, ApiError> {
        self.opened.core.as_ref().map_err(Clone::clone)
    }

    /// The shell saw these files dropped, or the admin picked one in a dialog it opened.
    pub fn allow_files(&self, paths: impl IntoIterator<Item = PathBuf>) {
        let mut map = self.readable.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        map.retain(|_, at| now.duration_since(*at) < READABLE_FOR);
        for p in paths {
            map.insert(p, now);
        }
    }

    /// Whether a command may read `path` (dropped or picked in the last ten minutes).
    pub fn file_allowed(&self, path: &std::path::Path) -> bool {
        let map = self.readable.lock().unwrap_or_else(|p| p.into_inner());
        map.get(path).is_some_and(|at| at.elapsed() < READABLE_FOR)
    }

    pub fn push_state(&self, app: &str) -> Option<crate::autopush::PushState> {
        self.pushes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(app)
            .cloned()
    }

    pub fn set_push_state(&self, state: crate::autopush::PushState) {
        self.pushes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(state.app.clone(), state);
    }

    pub fn data_dir(&self) -> Option<&PathBuf> {
        self.opened.data_dir.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_dropped_or_picked_files_are_readable() {
        let state = AppState::new(
            Opened {
                core: Err(ApiError::new(ErrorCode::Storage, "not opened")),
                data_dir: None,
            },
            Instant::now(),
        );
        let dropped = PathBuf::from("/home/admin/SAMLSP-0LE.xml");
        assert!(
            !state.file_allowed(&dropped),
            "a path the page names is not readable"
        );
        state.allow_files([dropped.clone()]);
        assert!(
            state.file_allowed(&dropped),
            "a file the shell saw dropped is"
        );
        assert!(!state.file_allowed(std::path::Path::new("/etc/shadow")));
    }
}
