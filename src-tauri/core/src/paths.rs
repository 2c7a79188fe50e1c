//! Where Lanyard keeps its state: `--data-dir`, else `LANYARD_DATA_DIR`, else the OS data folder
//! (`$XDG_DATA_HOME/lanyard` on Linux, `~/.local/share/lanyard` when that is unset).

use std::path::PathBuf;

/// The environment variable that overrides the data folder for the GUI and the CLI alike.
pub const DATA_DIR_ENV: &str = "LANYARD_DATA_DIR";

/// The environment variable that says where the practice org runs.
pub const PRACTICE_URL_ENV: &str = "LANYARD_PRACTICE_URL";

/// The practice org's address: `LANYARD_PRACTICE_URL`, else the default port on 127.0.0.1.
pub fn practice_url_from_env() -> String {
    std::env::var(PRACTICE_URL_ENV)
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| crate::apps::DEFAULT_PRACTICE_URL.to_owned())
}

/// The environment variable for the loopback IdP's base URL (SP-initiated logins land there).
pub const IDP_URL_ENV: &str = "LANYARD_IDP_URL";

/// Where the IdP endpoint listens unless the setting or LANYARD_IDP_URL says otherwise.
pub const DEFAULT_IDP_BASE_URL: &str = "http://127.0.0.1:8766";

/// Where the loopback IdP listens when no data folder is read (the CLI's `idp serve`, tests):
/// `LANYARD_IDP_URL`, else the default. The app and the checklist use [`crate::Core::idp_address`],
/// which also reads the setting.
pub fn idp_base_url_from_env() -> String {
    idp_base_url_env().unwrap_or_else(|| DEFAULT_IDP_BASE_URL.to_owned())
}

/// `LANYARD_IDP_URL`, when set.
pub fn idp_base_url_env() -> Option<String> {
    std::env::var(IDP_URL_ENV)
        .ok()
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim_end_matches('/').to_owned())
}

/// The database file's name inside the data folder.
pub const DB_FILE: &str = "lanyard.db";

/// Resolves the data folder. `explicit` is the `--data-dir` flag; `env` is the value of
/// [`DATA_DIR_ENV`] (passed in so tests need not touch the process environment).
pub fn resolve_data_dir(explicit: Option<PathBuf>, env: Option<String>) -> Option<PathBuf> {
    explicit
        .filter(|p| !p.as_os_str().is_empty())
        .or_else(|| env.filter(|s| !s.is_empty()).map(PathBuf::from))
        .or_else(|| dirs::data_dir().map(|d| d.join("lanyard")))
}

/// [`resolve_data_dir`] with the real environment.
pub fn data_dir_from_env(explicit: Option<PathBuf>) -> Option<PathBuf> {
    resolve_data_dir(explicit, std::env::var(DATA_DIR_ENV).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_wins_over_env() {
        let got = resolve_data_dir(Some("/a".into()), Some("/b".into()));
        assert_eq!(
            got,
            Some(PathBuf::from("/a")),
            "--data-dir is the most specific choice"
        );
    }

    #[test]
    fn env_used_when_no_flag() {
        let got = resolve_data_dir(None, Some("/b".into()));
        assert_eq!(got, Some(PathBuf::from("/b")));
    }

    #[test]
    fn empty_values_fall_through_to_os_folder() {
        let got = resolve_data_dir(Some(PathBuf::new()), Some(String::new()));
        let want = dirs::data_dir().map(|d| d.join("lanyard"));
        assert_eq!(
            got, want,
            "an empty flag or variable must not mean the current directory"
        );
    }
}
