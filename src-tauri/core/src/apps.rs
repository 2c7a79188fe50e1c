//! Applications: the service providers (Salesforce orgs) Lanyard signs users in to.

use crate::error::{ErrorCode, HasCode};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::SqlitePool;
use std::fmt;

/// The longest application name accepted.
pub const NAME_MAX: usize = 63;
const LABEL_MAX: usize = 100;
const DESCRIPTION_MAX: usize = 2000;

/// The rule for application names, as shown to people.
pub const NAME_RULE: &str = "an application name is a slug: 1 to 63 lowercase letters (a-z), digits and hyphens, starting and ending with a letter or digit, for example \"salesforce-prod\"";

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{value:?} is not a valid application name: {NAME_RULE}.")]
    InvalidName { value: String },
    #[error("The display label is empty: give the application a label people will recognise, such as \"Salesforce (production)\".")]
    EmptyLabel,
    #[error("The display label is {len} characters long; the limit is {LABEL_MAX}.")]
    LabelTooLong { len: usize },
    #[error("The description is {len} characters long; the limit is {DESCRIPTION_MAX}.")]
    DescriptionTooLong { len: usize },
    #[error(
        "An application named {0:?} already exists: pick another name, or open the existing one."
    )]
    NameTaken(String),
    #[error("There is no application named {0:?}. `lanyard app list` shows the ones that exist.")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Store(e.into())
    }
}

impl HasCode for AppError {
    fn code(&self) -> ErrorCode {
        match self {
            AppError::InvalidName { .. }
            | AppError::EmptyLabel
            | AppError::LabelTooLong { .. }
            | AppError::DescriptionTooLong { .. } => ErrorCode::InvalidInput,
            AppError::NameTaken(_) => ErrorCode::Conflict,
            AppError::NotFound(_) => ErrorCode::NotFound,
            AppError::Store(e) => e.code(),
        }
    }
}

/// A validated application name (see [`NAME_RULE`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct AppName(String);

impl AppName {
    pub fn parse(value: &str) -> Result<Self, AppError> {
        let ok = !value.is_empty()
            && value.len() <= NAME_MAX
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !value.starts_with('-')
            && !value.ends_with('-');
        if ok {
            Ok(Self(value.to_owned()))
        } else {
            Err(AppError::InvalidName {
                value: value.to_owned(),
            })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AppName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a person asks for when creating an application.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewApplication {
    pub name: String,
    /// Defaults to the name when absent or blank.
    pub label: Option<String>,
    pub description: Option<String>,
    pub sandbox: bool,
}

/// A configured application, as every face shows it. Field names are stable (`--json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Application {
    pub id: String,
    pub name: String,
    pub label: String,
    pub description: String,
    /// The kind of service provider; always "salesforce" for now.
    pub kind: String,
    /// True when the application is a Salesforce sandbox (test.salesforce.com) rather than production.
    pub sandbox: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A [`NewApplication`] that passed validation.
#[derive(Debug, Clone)]
pub struct ValidApplication {
    pub name: AppName,
    pub label: String,
    pub description: String,
    pub sandbox: bool,
}

impl NewApplication {
    pub fn validate(&self) -> Result<ValidApplication, AppError> {
        let name = AppName::parse(self.name.trim())?;
        let label = match self.label.as_deref() {
            None | Some("") => name.as_str().to_owned(),
            Some(l) if l.trim().is_empty() => return Err(AppError::EmptyLabel),
            Some(l) => l.trim().to_owned(),
        };
        let label_len = label.chars().count();
        if label_len > LABEL_MAX {
            return Err(AppError::LabelTooLong { len: label_len });
        }
        let description = self.description.as_deref().unwrap_or("").trim().to_owned();
        let description_len = description.chars().count();
        if description_len > DESCRIPTION_MAX {
            return Err(AppError::DescriptionTooLong {
                len: description_len,
            });
        }
        Ok(ValidApplication {
            name,
            label,
            description,
            sandbox: self.sandbox,
        })
    }
}

const COLUMNS: &str = "id, name, label, description, kind, sandbox, created_at, updated_at";

pub async fn insert(
    pool: &SqlitePool,
    app: &ValidApplication,
    now: DateTime<Utc>,
) -> Result<Application, AppError> {
    let id = uuid::Uuid::new_v4().to_string();
    let result = sqlx::query(
        "INSERT INTO applications (id, name, label, description, kind, sandbox, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'salesforce', ?, ?, ?)",
    )
    .bind(&id)
    .bind(app.name.as_str())
    .bind(&app.label)
    .bind(&app.description)
    .bind(app.sandbox)
    .bind(now)
    .bind(now)
    .execute(pool)
    .await;
    match result {
        Ok(_) => {}
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
            return Err(AppError::NameTaken(app.name.to_string()))
        }
        Err(e) => return Err(e.into()),
    }
    get(pool, app.name.as_str()).await
}

pub async fn list(pool: &SqlitePool) -> Result<Vec<Application>, AppError> {
    Ok(sqlx::query_as::<_, Application>(&format!(
        "SELECT {COLUMNS} FROM applications ORDER BY name"
    ))
    .fetch_all(pool)
    .await?)
}

pub async fn get(pool: &SqlitePool, name: &str) -> Result<Application, AppError> {
    sqlx::query_as::<_, Application>(&format!(
        "SELECT {COLUMNS} FROM applications WHERE name = ?"
    ))
    .bind(name)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound(name.to_owned()))
}

pub async fn delete(pool: &SqlitePool, name: &str) -> Result<(), AppError> {
    let done = sqlx::query("DELETE FROM applications WHERE name = ?")
        .bind(name)
        .execute(pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound(name.to_owned()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_rule_accepts_lowercase_digits_hyphens() {
        for ok in [
            "a",
            "salesforce",
            "sf-prod-2",
            "0org",
            &"a".repeat(NAME_MAX),
        ] {
            assert!(AppName::parse(ok).is_ok(), "{ok:?} follows the slug rule");
        }
    }

    #[test]
    fn slug_rule_refuses_everything_else() {
        let long = "a".repeat(NAME_MAX + 1);
        for bad in [
            "",
            "Sales",
            "sales force",
            "sales_force",
            "-sf",
            "sf-",
            "sé",
            "a/b",
            &long,
        ] {
            let err = AppName::parse(bad).expect_err(bad);
            assert!(
                err.to_string().contains("slug"),
                "the message states the rule: {err}"
            );
            assert_eq!(err.code(), ErrorCode::InvalidInput);
        }
    }

    #[test]
    fn label_defaults_to_name_and_is_trimmed() {
        let v = NewApplication {
            name: "sf".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(v.label, "sf");
        let v = NewApplication {
            name: "sf".into(),
            label: Some("  Prod  ".into()),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(v.label, "Prod");
    }

    #[test]
    fn whitespace_only_label_is_refused() {
        let err = NewApplication {
            name: "sf".into(),
            label: Some("   ".into()),
            ..Default::default()
        }
        .validate()
        .expect_err("a label of spaces is a mistake, not a request for the default");
        assert!(matches!(err, AppError::EmptyLabel));
    }
}
