//! Printing results: JSON for `--json`, aligned text otherwise.

use lanyard_core::{ApiError, ErrorCode};
use serde::Serialize;

pub fn print_json<T: Serialize>(value: &T) -> Result<(), ApiError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("cannot encode JSON: {e}")))?;
    println!("{text}");
    Ok(())
}
