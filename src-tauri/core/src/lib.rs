//! Lanyard's engine. It knows nothing about windows or terminals: the Tauri shell and the
//! `lanyard` CLI are two thin faces over [`Core`].

pub mod apps;
pub mod clock;
pub mod core;
pub mod diagnostics;
pub mod directory;
pub mod error;
pub mod events;
pub mod forms;
#[cfg(feature = "specta")]
pub mod json_type;
pub mod loopback_host;
pub mod paths;
pub mod portal;
pub mod provisioning;
pub mod saml;
pub mod secrets;
pub mod settings;
pub mod setup;
pub mod store;

pub use crate::core::Core;
pub use error::{ApiError, ErrorCode};
