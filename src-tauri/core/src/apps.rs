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
    #[error("{value:?} is not a valid application name ({reason}): {NAME_RULE}.")]
    InvalidName { value: String, reason: String },
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
    #[error("Another application's IdP URL already ends in /saml2/{0}: each application needs its own, so choose another name or IdP URL path.")]
    IdpPathTaken(String),
    #[error("{value:?} is not a usable login URL: use https://login.salesforce.com, https://test.salesforce.com, your My Domain (https://NAME.my.salesforce.com), or for the practice org an http://127.0.0.1:PORT address.")]
    InvalidLoginUrl { value: String },
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
            | AppError::DescriptionTooLong { .. }
            | AppError::InvalidLoginUrl { .. } => ErrorCode::InvalidInput,
            AppError::NameTaken(_) | AppError::IdpPathTaken(_) => ErrorCode::Conflict,
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
        let reason = if value.is_empty() {
            Some("it is empty".to_owned())
        } else if value.len() > NAME_MAX {
            Some(format!("it is {} characters long", value.len()))
        } else if value.bytes().any(|b| b.is_ascii_uppercase()) {
            Some("use lowercase letters only".to_owned())
        } else if value.chars().any(char::is_whitespace) {
            Some("spaces are not allowed; use hyphens".to_owned())
        } else if !value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            Some("only a-z, 0-9 and hyphens are allowed".to_owned())
        } else if value.starts_with('-') || value.ends_with('-') {
            Some("it must start and end with a letter or digit".to_owned())
        } else {
            None
        };
        match reason {
            None => Ok(Self(value.to_owned())),
            Some(reason) => Err(AppError::InvalidName {
                value: value.to_owned(),
                reason,
            }),
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

/// Which kind of Salesforce org an application talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize, sqlx::Type)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
#[sqlx(type_name = "TEXT", rename_all = "lowercase")]
pub enum Environment {
    /// A production org (login.salesforce.com).
    #[default]
    Production,
    /// A sandbox (test.salesforce.com).
    Sandbox,
    /// The practice org: Lanyard's local Salesforce simulator.
    Practice,
}

impl Environment {
    /// Where OAuth starts when no My Domain is given.
    pub fn default_login_url(self, practice_url: &str) -> String {
        match self {
            Environment::Production => "https://login.salesforce.com".into(),
            Environment::Sandbox => "https://test.salesforce.com".into(),
            Environment::Practice => practice_url.trim_end_matches('/').to_owned(),
        }
    }
}

/// The practice org's address when nothing else is configured (`lanyard sim serve --port 8765`).
pub const DEFAULT_PRACTICE_URL: &str = "http://127.0.0.1:8765";

/// What a person asks for when creating an application.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewApplication {
    pub name: String,
    /// Defaults to the name when absent or blank.
    pub label: Option<String>,
    pub description: Option<String>,
    pub environment: Environment,
    /// Defaults to the environment's login host (or the practice org's address).
    pub login_url: Option<String>,
    /// The last part of the IdP URL (`<IdP address>/saml2/<idp_path>`); the name when absent or
    /// blank. The application-name rule applies.
    #[serde(default)]
    pub idp_path: Option<String>,
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
    pub environment: Environment,
    /// True for a Salesforce sandbox (the same as `environment == "sandbox"`).
    #[sqlx(skip)]
    pub sandbox: bool,
    /// Where OAuth starts for this org.
    pub login_url: String,
    /// False once the admin deactivated single sign-on: Lanyard signs nothing for it.
    pub sso_enabled: bool,
    /// The last part of its IdP URL: `<IdP address>/saml2/<idp_path>` (the name unless changed).
    pub idp_path: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A [`NewApplication`] that passed validation.
#[derive(Debug, Clone)]
pub struct ValidApplication {
    pub name: AppName,
    pub label: String,
    pub description: String,
    pub environment: Environment,
    pub login_url: String,
    pub idp_path: AppName,
}

/// https anywhere; plain http only on the loopback address (the practice org). The rule for
/// every web address an admin gives an application or a bookmark.
pub(crate) fn web_url_ok(url: &str) -> bool {
    if url.contains(char::is_whitespace) {
        return false;
    }
    let Ok(u) = url::Url::parse(url) else {
        return false;
    };
    // No user or password in the address: `http://127.0.0.1:1@elsewhere/` is elsewhere.
    if !u.username().is_empty() || u.password().is_some() {
        return false;
    }
    match (u.scheme(), u.host()) {
        ("https", Some(_)) => true,
        ("http", Some(url::Host::Ipv4(ip))) => ip.is_loopback(),
        ("http", Some(url::Host::Ipv6(ip))) => ip.is_loopback(),
        ("http", Some(url::Host::Domain(d))) => d == "localhost",
        _ => false,
    }
}

/// The display label (the name when none is given): the rule applications and bookmarks share.
pub(crate) fn label_or_name(label: Option<&str>, name: &AppName) -> Result<String, AppError> {
    let label = match label {
        None | Some("") => name.as_str().to_owned(),
        Some(l) if l.trim().is_empty() => return Err(AppError::EmptyLabel),
        Some(l) => l.trim().to_owned(),
    };
    let len = label.chars().count();
    if len > LABEL_MAX {
        return Err(AppError::LabelTooLong { len });
    }
    Ok(label)
}

impl NewApplication {
    pub fn validate(&self, practice_url: &str) -> Result<ValidApplication, AppError> {
        let name = AppName::parse(self.name.trim())?;
        let label = label_or_name(self.label.as_deref(), &name)?;
        let idp_path = match self.idp_path.as_deref().map(str::trim) {
            Some(p) if !p.is_empty() => AppName::parse(p)?,
            _ => name.clone(),
        };
        let description = self.description.as_deref().unwrap_or("").trim().to_owned();
        let description_len = description.chars().count();
        if description_len > DESCRIPTION_MAX {
            return Err(AppError::DescriptionTooLong {
                len: description_len,
            });
        }
        let login_url = match self.login_url.as_deref().map(str::trim) {
            Some(u) if !u.is_empty() => u.trim_end_matches('/').to_owned(),
            _ => self.environment.default_login_url(practice_url),
        };
        if !web_url_ok(&login_url) {
            return Err(AppError::InvalidLoginUrl { value: login_url });
        }
        Ok(ValidApplication {
            name,
            label,
            description,
            environment: self.environment,
            login_url,
            idp_path,
        })
    }
}

const COLUMNS: &str =
    "id, name, label, description, kind, environment, login_url, sso_enabled, COALESCE(idp_path, name) AS idp_path, created_at, updated_at";

fn finish(mut app: Application) -> Application {
    app.sandbox = app.environment == Environment::Sandbox;
    app
}

pub async fn insert(
    pool: &SqlitePool,
    app: &ValidApplication,
    now: DateTime<Utc>,
) -> Result<Application, AppError> {
    if path_names_another(pool, app.idp_path.as_str(), app.name.as_str()).await? {
        return Err(AppError::IdpPathTaken(app.idp_path.to_string()));
    }
    let id = uuid::Uuid::new_v4().to_string();
    let result = sqlx::query(
        "INSERT INTO applications (id, name, label, description, kind, environment, login_url, idp_path, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'salesforce', ?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(app.name.as_str())
    .bind(&app.label)
    .bind(&app.description)
    .bind(app.environment)
    .bind(&app.login_url)
    .bind(app.idp_path.as_str())
    .bind(now)
    .bind(now)
    .execute(pool)
    .await;
    match result {
        Ok(_) => {}
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
            // The name, or only the IdP path, belongs to another application.
            return Err(match get(pool, app.name.as_str()).await {
                Ok(_) => AppError::NameTaken(app.name.to_string()),
                Err(AppError::NotFound(_)) => AppError::IdpPathTaken(app.idp_path.to_string()),
                Err(other) => other,
            });
        }
        Err(e) => return Err(e.into()),
    }
    get(pool, app.name.as_str()).await
}

pub async fn list(pool: &SqlitePool) -> Result<Vec<Application>, AppError> {
    let apps = sqlx::query_as::<_, Application>(&format!(
        "SELECT {COLUMNS} FROM applications ORDER BY name"
    ))
    .fetch_all(pool)
    .await?;
    Ok(apps.into_iter().map(finish).collect())
}

/// Whether `path` is another application's name (`self_name` is the one taking the path): its
/// old URL, after it moved, must keep pointing at it.
pub(crate) async fn path_names_another(
    pool: &SqlitePool,
    path: &str,
    self_name: &str,
) -> Result<bool, AppError> {
    Ok(path != self_name
        && sqlx::query_scalar::<_, i64>("SELECT 1 FROM applications WHERE name = ?")
            .bind(path)
            .fetch_optional(pool)
            .await?
            .is_some())
}

/// The application whose IdP URL ends in `/saml2/<path>`, if any.
pub async fn by_idp_path(pool: &SqlitePool, path: &str) -> Result<Option<Application>, AppError> {
    Ok(sqlx::query_as::<_, Application>(&format!(
        "SELECT {COLUMNS} FROM applications WHERE COALESCE(idp_path, name) = ?"
    ))
    .bind(path)
    .fetch_optional(pool)
    .await?
    .map(finish))
}

pub async fn get(pool: &SqlitePool, name: &str) -> Result<Application, AppError> {
    sqlx::query_as::<_, Application>(&format!(
        "SELECT {COLUMNS} FROM applications WHERE name = ?"
    ))
    .bind(name)
    .fetch_optional(pool)
    .await?
    .map(finish)
    .ok_or_else(|| AppError::NotFound(name.to_owned()))
}

/// Activates or deactivates single sign-on for the application.
pub async fn set_sso_enabled(
    pool: &SqlitePool,
    name: &str,
    enabled: bool,
    now: DateTime<Utc>,
) -> Result<Application, AppError> {
    let done =
        sqlx::query("UPDATE applications SET sso_enabled = ?, updated_at = ? WHERE name = ?")
            .bind(enabled)
            .bind(now)
            .bind(name)
            .execute(pool)
            .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound(name.to_owned()));
    }
    get(pool, name).await
}

pub async fn delete(pool: &SqlitePool, name: &str) -> Result<(), AppError> {
    let mut conn = pool.acquire().await?;
    delete_in(&mut conn, name).await
}

/// [`delete`] on a connection (inside the caller's transaction).
pub async fn delete_in(conn: &mut sqlx::SqliteConnection, name: &str) -> Result<(), AppError> {
    let done = sqlx::query("DELETE FROM applications WHERE name = ?")
        .bind(name)
        .execute(conn)
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
        .validate(DEFAULT_PRACTICE_URL)
        .unwrap();
        assert_eq!(v.label, "sf");
        let v = NewApplication {
            name: "sf".into(),
            label: Some("  Prod  ".into()),
            ..Default::default()
        }
        .validate(DEFAULT_PRACTICE_URL)
        .unwrap();
        assert_eq!(v.label, "Prod");
    }

    #[test]
    fn login_url_follows_the_environment_and_refuses_plain_http_elsewhere() {
        let v = |env, url: Option<&str>| {
            NewApplication {
                name: "sf".into(),
                environment: env,
                login_url: url.map(String::from),
                ..Default::default()
            }
            .validate("http://127.0.0.1:9999/")
        };
        assert_eq!(
            v(Environment::Production, None).unwrap().login_url,
            "https://login.salesforce.com"
        );
        assert_eq!(
            v(Environment::Sandbox, None).unwrap().login_url,
            "https://test.salesforce.com"
        );
        assert_eq!(
            v(Environment::Practice, None).unwrap().login_url,
            "http://127.0.0.1:9999"
        );
        assert_eq!(
            v(
                Environment::Production,
                Some("https://acme.my.salesforce.com/")
            )
            .unwrap()
            .login_url,
            "https://acme.my.salesforce.com"
        );
        for bad in [
            "http://acme.my.salesforce.com",
            "ftp://x",
            "https://",
            "login.salesforce.com",
        ] {
            let err = v(Environment::Production, Some(bad)).expect_err(bad);
            assert_eq!(err.code(), ErrorCode::InvalidInput, "{bad}");
        }
    }

    #[test]
    fn whitespace_only_label_is_refused() {
        let err = NewApplication {
            name: "sf".into(),
            label: Some("   ".into()),
            ..Default::default()
        }
        .validate(DEFAULT_PRACTICE_URL)
        .expect_err("a label of spaces is a mistake, not a request for the default");
        assert!(matches!(err, AppError::EmptyLabel));
    }

    #[test]
    fn web_addresses_https_anywhere_http_only_on_loopback() {
        for ok in [
            "https://login.salesforce.com",
            "https://acme.my.salesforce.com/x?y=1",
            "http://127.0.0.1:8765",
            "http://localhost:8765/path",
            "http://[::1]:8765",
        ] {
            assert!(web_url_ok(ok), "{ok}");
        }
        for bad in [
            "http://127.0.0.1:1@evil.example/",
            "https://user:pw@acme.my.salesforce.com",
            "http://intranet.example.com",
            "javascript:alert(1)",
            "ftp://files.example.com",
            "https://acme.my.salesforce .com",
            "",
        ] {
            assert!(!web_url_ok(bad), "{bad}");
        }
    }
}
