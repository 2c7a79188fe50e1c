//! Errors of the SAML engine, each with the code the UI and the CLI branch on.

use super::cert::CertError;
use super::keys::KeyError;
use super::metadata::MetadataError;
use super::response::ResponseError;
use crate::error::{ErrorCode, HasCode};

#[derive(Debug, thiserror::Error)]
pub enum SamlError {
    #[error(transparent)]
    Metadata(#[from] MetadataError),
    #[error(transparent)]
    Certificate(#[from] CertError),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error(transparent)]
    Response(#[from] ResponseError),
    #[error(transparent)]
    App(#[from] crate::apps::AppError),
    #[error(transparent)]
    Secret(#[from] crate::secrets::SecretError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error("{app:?} has no Salesforce SP configuration yet: import Salesforce's SP metadata (lanyard app set-sp-metadata) or enter it by hand (lanyard app set-sp).")]
    NoSpConfig { app: String },
    #[error("{app:?} has no active IdP signing certificate yet: create one with `lanyard idp rotate {app}`.")]
    NoActiveKey { app: String },
    #[error("{app:?} already has a next certificate waiting: upload it to Salesforce, then switch with `lanyard idp rotate {app} --activate`.")]
    NextExists { app: String },
    #[error("{app:?} has no next certificate to activate: first run `lanyard idp rotate {app}` and upload the new certificate to Salesforce.")]
    NothingToActivate { app: String },
    #[error("{app:?} has no next certificate to bind: create one with `lanyard idp rotate {app}`, add a second single sign-on configuration in Salesforce that trusts it, then bind it to that configuration's Login URL.")]
    NoNextToBind { app: String },
    #[error("The Login URL {value:?} cannot be bound: {why}. Copy the Salesforce Login URL shown on the new configuration in Single Sign-On Settings (it ends with &sc=…).")]
    BadLoginUrl { value: String, why: String },
    #[error("Salesforce asked for a response to {requested:?}, a Login URL no published Lanyard certificate signs for (Lanyard signs for: {known}). If that single sign-on configuration was retired, delete it in Salesforce; if it is new, bind the next certificate to it (lanyard idp bind).")]
    UnknownAcs { requested: String, known: String },
    #[error("The private key of the active certificate of {app:?} is missing from the OS keyring: rotate to a new key with `lanyard idp rotate {app}` then `--activate`.")]
    KeyMissing { app: String },
    #[error("{user} may not sign in to {app:?}: no active directory user with that email is in a group bound to the application. Add them to such a group (lanyard group members add), bind a group (lanyard group bind), or unsuspend them.")]
    NotAuthorized { user: String, app: String },
    #[error("Single sign-on to {app:?} is deactivated: Lanyard signs no login for it. Activate it on the application's Overview tab (or `lanyard app sso {app} --on`) to sign users in again.")]
    SsoDeactivated { app: String },
    #[error("{field} {value:?} is not valid: {rule}")]
    Invalid {
        field: &'static str,
        value: String,
        rule: &'static str,
    },
    #[error("The Salesforce certificate does not match the signing certificate in the SP metadata (SHA-256 {metadata}); this file has {file}. Check you exported the certificate of the same org, or import fresh metadata.")]
    CertMismatch { metadata: String, file: String },
}

impl From<sqlx::Error> for SamlError {
    fn from(e: sqlx::Error) -> Self {
        SamlError::Store(e.into())
    }
}

impl HasCode for SamlError {
    fn code(&self) -> ErrorCode {
        match self {
            SamlError::Metadata(_)
            | SamlError::Certificate(_)
            | SamlError::Key(_)
            | SamlError::Invalid { .. }
            | SamlError::CertMismatch { .. }
            | SamlError::BadLoginUrl { .. }
            | SamlError::UnknownAcs { .. } => ErrorCode::InvalidInput,
            SamlError::NoSpConfig { .. }
            | SamlError::NoActiveKey { .. }
            | SamlError::KeyMissing { .. } => ErrorCode::NotFound,
            SamlError::NextExists { .. }
            | SamlError::NothingToActivate { .. }
            | SamlError::NoNextToBind { .. } => ErrorCode::Conflict,
            SamlError::NotAuthorized { .. } | SamlError::SsoDeactivated { .. } => {
                ErrorCode::Forbidden
            }
            SamlError::Response(_) => ErrorCode::Internal,
            SamlError::App(e) => e.code(),
            SamlError::Secret(e) => e.code(),
            SamlError::Store(e) => e.code(),
        }
    }
}
