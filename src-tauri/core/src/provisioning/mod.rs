//! SCIM 2.0 provisioning to Salesforce (and any SCIM server), one file per part:
//!
//! - [`oauth`] / [`auth`]: OAuth with PKCE through a one-shot loopback listener; token refresh.
//! - [`connection`]: the connection row (no secrets) and the target's capabilities.
//! - [`client`]: the HTTP client with typed errors; dry-run enforced at the request layer.
//! - [`mapping`]: the attribute table as pure functions (and its reverse, for the import).
//! - [`links`]: which remote resource each directory user and group is, and what was last pushed.
//! - [`outbox`]: every operation written before it is sent and marked after.
//! - [`checks`]: per-user errors before any request.
//! - [`plan`]: desired vs last pushed; the deletion guard.
//! - [`remote`]: listing and lookups on the target.
//! - [`run`]: concurrency, retries, events, progress, cancel.
//! - [`import`]: the target's existing users into the directory (the manual import).
//! - [`listing`] / [`import_view`]: the import table's listing, held in the core (the table asks
//!   for the rows in view), its users [`packed`], and reused by the import that follows.
//! - [`sync`] / [`facade`]: the orchestration and the [`crate::Core`] methods.

pub mod auth;
pub mod checks;
pub mod client;
pub mod connection;
mod facade;
pub mod import;
mod import_facade;
pub mod import_view;
pub mod links;
pub(crate) mod listing;
pub mod lock;
pub mod mapping;
pub mod mapping_table;
pub mod oauth;
pub mod outbox;
pub mod packed;
pub mod plan;
pub mod remote;
pub mod run;
pub mod sync;

use crate::error::{ErrorCode, HasCode};

pub use facade::{ConnectionView, PayloadPreview, RunView, TestReport};
pub use sync::{SyncOptions, SyncReport, SyncSummary};

#[derive(Debug, thiserror::Error)]
pub enum ProvisioningError {
    #[error("{0} has no SCIM connection: connect it first (lanyard scim connect {0} …, or Connect on its Identity Management tab).")]
    NotConnected(String),
    #[error("The SCIM connection of {0} is deactivated: connect it again to provision.")]
    Deactivated(String),
    #[error("The SCIM connection of {0} needs re-authorization (Salesforce refused the refresh token): Re-authorize on its Identity Management tab, or run lanyard scim connect {0} --salesforce again.")]
    ReauthNeeded(String),
    #[error("No {what} for {app} is in the keyring: connect again to store a new one.")]
    MissingToken { app: String, what: &'static str },
    #[error("{0} is not a SCIM base URL: give the https address that ends before /Users (http only on 127.0.0.1 or localhost).")]
    BadBaseUrl(String),
    #[error("The environment variable {0} is empty or not set: put the bearer token in it (the token is never taken from an argument, which other users can read).")]
    TokenEnv(String),
    #[error("--concurrency must be between 1 and 25 (Salesforce allows 25 long requests at a time), got {0}.")]
    BadConcurrency(usize),
    #[error("{0}")]
    OAuth(#[from] oauth::OAuthError),
    #[error("The target refused: {0}")]
    Target(#[from] client::ScimError),
    #[error("{0}")]
    Secret(#[from] crate::secrets::SecretError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error("{0}")]
    Internal(String),
    #[error(
        "There is no directory user {0:?} authorized for this application, nor one linked to it."
    )]
    UserNotInScope(String),
    #[error("{0}")]
    Busy(String),
}

impl From<sqlx::Error> for ProvisioningError {
    fn from(e: sqlx::Error) -> Self {
        ProvisioningError::Store(e.into())
    }
}

impl HasCode for ProvisioningError {
    fn code(&self) -> ErrorCode {
        use ProvisioningError::*;
        match self {
            NotConnected(_) | UserNotInScope(_) => ErrorCode::NotFound,
            Deactivated(_) | ReauthNeeded(_) | MissingToken { .. } | Busy(_) => ErrorCode::Conflict,
            BadBaseUrl(_) | TokenEnv(_) | BadConcurrency(_) => ErrorCode::InvalidInput,
            OAuth(oauth::OAuthError::BadLoginHost(_)) => ErrorCode::InvalidInput,
            OAuth(_) | Target(_) => ErrorCode::Remote,
            Secret(e) => e.code(),
            Store(e) => e.code(),
            Internal(_) => ErrorCode::Internal,
        }
    }
}
