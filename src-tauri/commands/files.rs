//! Files the admin chose in a native dialog or dropped on the window: read with a size check
//! first, written with an error that names the path and says what to do.

use lanyard_core::{ApiError, ErrorCode};

/// Files an admin picks or drops are read here, with a size check before reading.
pub fn read_file(path: &str, limit: u64) -> Result<Vec<u8>, ApiError> {
    let p = std::path::Path::new(path);
    let meta = std::fs::metadata(p)
        .map_err(|e| ApiError::new(ErrorCode::InvalidInput, format!("Cannot read {path}: {e}")))?;
    if !meta.is_file() {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!("{path} is not a file."),
        ));
    }
    if meta.len() > limit {
        let size = usize::try_from(meta.len()).unwrap_or(usize::MAX);
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            lanyard_core::saml::input::InputError::TooLarge { size }.to_string(),
        ));
    }
    std::fs::read(p)
        .map_err(|e| ApiError::new(ErrorCode::InvalidInput, format!("Cannot read {path}: {e}")))
}

pub fn write_file(path: &str, text: &str) -> Result<(), ApiError> {
    std::fs::write(path, text).map_err(|e| {
        ApiError::new(
            ErrorCode::Internal,
            format!("Cannot write {path}: {e}. Choose another folder."),
        )
    })
}
