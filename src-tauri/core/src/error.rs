//! The error shape that crosses every boundary (IPC, CLI `--json`): a small code the caller can
//! branch on, and a message a person can act on. Each module keeps its own `thiserror` enum and
//! says which code it maps to.

use serde::Serialize;

/// What kind of failure happened. Stable: the UI branches on it and scripts read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input was refused; the message says the rule. Nothing was changed.
    InvalidInput,
    /// The named thing does not exist.
    NotFound,
    /// The operation clashes with what exists (a name already taken, say).
    Conflict,
    /// The user is not allowed to do this (not authorized for the application, say).
    Forbidden,
    /// The local database could not be opened or used.
    Storage,
    /// No OS keyring is reachable.
    KeyringUnavailable,
    /// A remote (Salesforce, a SCIM server, a login host) refused or failed; the message
    /// carries its own words and what to try.
    Remote,
    /// Anything else; the message still says what failed.
    Internal,
}

/// `{code, message}`: how every error leaves the core.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

/// Implemented by each module's error enum.
pub trait HasCode: std::fmt::Display {
    fn code(&self) -> ErrorCode;

    fn to_api(&self) -> ApiError {
        ApiError::new(self.code(), self.to_string())
    }
}
