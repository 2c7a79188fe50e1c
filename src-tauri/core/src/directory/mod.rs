//! The directory: users, groups, memberships and which groups each application authorizes, with
//! CSV import and export and a feed of every change (see [`changes`]).
//!
//! - [`users`]: one person; email = Salesforce username, unique case-insensitively.
//! - [`groups`]: groups, members, and application bindings.
//! - [`import`]: the import pipeline any source shares (plan → preview → commit).
//! - [`csv_import`] / [`csv_export`]: preview-then-commit import, directory and Data Loader exports.
//! - [`access`]: who is authorized for an application (the one query everybody uses).
//! - [`changes`]: the change feed provisioning reads and the window polls.
//! - [`query`]: one sorted, searched, filtered page of users (the users table's source).
//! - [`facade`]: the [`crate::Core`] methods the GUI and the CLI call.

pub mod access;
pub mod changes;
pub mod csv_export;
pub mod csv_import;
mod facade;
pub mod groups;
pub mod import;
pub mod query;
pub mod users;
pub mod validate;

use crate::error::{ErrorCode, HasCode};

pub use access::AuthorizedUser;
pub use changes::{ChangeKind, ChangeSource, DirectoryChange};
pub use csv_import::{ImportPreview, ImportSummary, RowError};
pub use facade::{mark_for_ipc, FederationCsv};
pub use groups::{AppGroupAccess, Group, GroupInput};
pub use query::{DirectoryFacets, UserPage, UserQuery, UserSort, UserSortKey, UserStatus};
pub use users::{Address, Phone, User, UserInput};

#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    #[error("{value:?} is not a valid email / Salesforce username: {reason}.")]
    InvalidEmail { value: String, reason: String },
    #[error("The {field} is {len} characters long; Salesforce accepts at most {max}.")]
    TooLong {
        field: &'static str,
        len: usize,
        max: usize,
    },
    #[error("The last name is empty: Salesforce requires a last name for every user.")]
    MissingLastName,
    #[error("The {field} contains a control character (a tab or line break, say): remove it.")]
    ControlCharacter { field: &'static str },
    #[error("{value:?} is not a valid group name: {rule}.")]
    InvalidGroupName { value: String, rule: &'static str },
    #[error("A user with the email {0:?} already exists (emails compare without regard to case): edit that user instead.")]
    EmailTaken(String),
    #[error("The Federation ID {0:?} already belongs to another user: each Salesforce user needs its own.")]
    FederationIdTaken(String),
    #[error("A group named {0:?} already exists (names compare without regard to case): pick another name.")]
    GroupNameTaken(String),
    #[error("There is no user {0:?}. `lanyard user list` shows the ones that exist.")]
    UserNotFound(String),
    #[error("There is no group named {0:?}. Create it first with `lanyard group add NAME`.")]
    GroupNotFound(String),
    #[error("There is no application named {0:?}. `lanyard app list` shows the ones that exist.")]
    AppNotFound(String),
    #[error("No users were given: name at least one.")]
    NothingGiven,
    #[error("The CSV file is {bytes} bytes; the limit is {limit} bytes. Split it into smaller files and import them one after another.")]
    CsvTooLarge { bytes: u64, limit: u64 },
    #[error("The CSV file has more than {limit} rows. Split it into smaller files and import them one after another.")]
    CsvTooManyRows { limit: usize },
    #[error("The CSV file cannot be read: {0}")]
    CsvHeader(String),
    #[error("The CSV file cannot be read at line {line}: {detail}. Nothing was imported.")]
    CsvSyntax { line: u64, detail: String },
    #[error("{count} row(s) of the CSV file have problems (the first: line {first_line}: {first_message}). Nothing was imported: fix the rows (the preview lists every one) and import again.")]
    CsvHasErrors {
        count: usize,
        first_line: u64,
        first_message: String,
    },
    #[error("Cannot write the CSV text: {0}")]
    CsvWrite(String),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

impl From<sqlx::Error> for DirectoryError {
    fn from(e: sqlx::Error) -> Self {
        DirectoryError::Store(e.into())
    }
}

impl HasCode for DirectoryError {
    fn code(&self) -> ErrorCode {
        use DirectoryError::*;
        match self {
            InvalidEmail { .. }
            | TooLong { .. }
            | MissingLastName
            | ControlCharacter { .. }
            | InvalidGroupName { .. }
            | NothingGiven
            | CsvTooLarge { .. }
            | CsvTooManyRows { .. }
            | CsvHeader(_)
            | CsvSyntax { .. }
            | CsvHasErrors { .. } => ErrorCode::InvalidInput,
            EmailTaken(_) | FederationIdTaken(_) | GroupNameTaken(_) => ErrorCode::Conflict,
            UserNotFound(_) | GroupNotFound(_) | AppNotFound(_) => ErrorCode::NotFound,
            CsvWrite(_) => ErrorCode::Internal,
            Store(e) => e.code(),
        }
    }
}

/// The case-insensitive key of an email (emails are ASCII once validated).
pub fn email_key(email: &str) -> String {
    email.trim().to_ascii_lowercase()
}

/// The case-insensitive key of a group name.
pub fn group_key(name: &str) -> String {
    name.trim().to_lowercase()
}
