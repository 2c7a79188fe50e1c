//! Files the admin chose in a native dialog or dropped on the window: read with a size check
//! first; exports saved where the admin chose in a save dialog this side opens (the webview never
//! names a path to write), with an error that names the path and says what to do.

use lanyard_core::{ApiError, ErrorCode};
use std::path::PathBuf;
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

/// The most a file may hold, and what it is (for the message when it holds more).
pub struct Limit {
    pub bytes: u64,
    pub what: &'static str,
}

pub const METADATA: Limit = Limit {
    bytes: lanyard_core::saml::input::MAX_XML_BYTES as u64,
    what: "SAML metadata",
};
pub const CERTIFICATE: Limit = Limit {
    bytes: 64 * 1024,
    what: "a certificate",
};
pub const PORTAL_IMAGE: Limit = Limit {
    bytes: lanyard_core::portal::image::MAX_BYTES,
    what: "a portal image",
};

/// Files an admin picks or drops are read here, with a size check before reading.
/// Reads a file the admin dropped on the window or picked in a dialog the shell opened; any
/// other path the page names is refused. Errors name the file, never its contents.
pub fn read_file(
    state: &crate::state::AppState,
    path: &str,
    limit: Limit,
) -> Result<Vec<u8>, ApiError> {
    let p = std::path::Path::new(path);
    if !state.file_allowed(p) {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "Lanyard reads only a file you drop on its window or choose in its file dialog: drop the file again, or choose it with the button.",
        ));
    }
    let meta = std::fs::metadata(p)
        .map_err(|e| ApiError::new(ErrorCode::InvalidInput, format!("Cannot read {path}: {e}")))?;
    if !meta.is_file() {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!("{path} is not a file."),
        ));
    }
    if meta.len() > limit.bytes {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!(
                "{path} is {} KB; {} is at most {} KB. Check that you picked the right file.",
                meta.len().div_ceil(1024),
                limit.what,
                limit.bytes / 1024
            ),
        ));
    }
    std::fs::read(p)
        .map_err(|e| ApiError::new(ErrorCode::InvalidInput, format!("Cannot read {path}: {e}")))
}

pub fn write_file(path: &std::path::Path, text: &str) -> Result<(), ApiError> {
    std::fs::write(path, text).map_err(|e| {
        ApiError::new(
            ErrorCode::Internal,
            format!(
                "Cannot write {}: {e}. Choose another folder.",
                path.display()
            ),
        )
    })
}

/// What the save dialog offers.
pub struct SaveAs<'a> {
    pub title: &'a str,
    pub file_name: &'a str,
    pub filter: (&'a str, &'a [&'a str]),
}

/// Opens the native save dialog; `None` when the admin cancelled.
pub async fn ask_save_path(
    app: &AppHandle,
    offer: SaveAs<'_>,
) -> Result<Option<PathBuf>, ApiError> {
    let dialog = app
        .dialog()
        .file()
        .set_title(offer.title)
        .set_file_name(offer.file_name)
        .add_filter(offer.filter.0, offer.filter.1);
    let chosen = tauri::async_runtime::spawn_blocking(move || dialog.blocking_save_file())
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("The save dialog failed: {e}")))?;
    chosen
        .map(|c| {
            c.into_path().map_err(|e| {
                ApiError::new(
                    ErrorCode::InvalidInput,
                    format!("The chosen place is not a file on this computer: {e}. Choose a folder on disk."),
                )
            })
        })
        .transpose()
}

/// What a file is for: the title and the filter of the open dialog.
#[derive(Debug, Clone, Copy, serde::Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum FilePurpose {
    SpMetadata,
    SpCertificate,
    PortalImage,
}

/// Opens the native file dialog on the Rust side; the chosen file becomes readable by the
/// commands that take a path. Answers the path, or None when the admin cancelled.
#[tauri::command]
#[specta::specta]
pub async fn choose_file(
    app: AppHandle,
    state: tauri::State<'_, crate::state::AppState>,
    purpose: FilePurpose,
) -> Result<Option<String>, ApiError> {
    let (title, filter, extensions): (&str, &str, &[&str]) = match purpose {
        FilePurpose::SpMetadata => ("Salesforce SP metadata", "SAML metadata", &["xml"]),
        FilePurpose::SpCertificate => (
            "Salesforce certificate",
            "Certificate",
            &["crt", "pem", "cer"],
        ),
        FilePurpose::PortalImage => (
            "Portal image (PNG, JPEG or SVG, up to 1 MB)",
            "Image",
            &["png", "jpg", "jpeg", "svg"],
        ),
    };
    let dialog = app
        .dialog()
        .file()
        .set_title(title)
        .add_filter(filter, extensions);
    let chosen = tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_file())
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("The file dialog failed: {e}")))?;
    let Some(chosen) = chosen else {
        return Ok(None);
    };
    let path = chosen.into_path().map_err(|e| {
        ApiError::new(
            ErrorCode::InvalidInput,
            format!("The chosen file is not on this computer's disk: {e}. Choose a file on disk."),
        )
    })?;
    state.allow_files([path.clone()]);
    Ok(Some(path.display().to_string()))
}
