//! Per-application response settings: lifetime, what is signed, the NameID format, and the
//! attributes sent for Salesforce's just-in-time provisioning (each from a directory field or a
//! constant, renameable, and switched on or off). Off by default: with SCIM provisioning JIT stays off.

use super::response::{NameIdFormat, ResponseSettings, SignWhat};
use serde::{Deserialize, Serialize};
use sqlx::{FromRow, SqlitePool};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AttributeRule {
    /// The attribute's name in the assertion, e.g. "User.FederationIdentifier".
    pub name: String,
    /// A directory field (email, firstname, lastname, displayname, federation_id, job_title,
    /// department, company, employee_identifier, phone) or "constant".
    pub source: String,
    pub constant: Option<String>,
    pub enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SamlSettings {
    pub response: ResponseSettings,
    pub attributes: Vec<AttributeRule>,
}

pub const SOURCES: &[&str] = &[
    "email",
    "firstname",
    "lastname",
    "displayname",
    "federation_id",
    "job_title",
    "department",
    "company",
    "employee_identifier",
    "phone",
];

/// Salesforce's just-in-time attribute names, all off until the admin turns JIT on.
pub fn default_attributes() -> Vec<AttributeRule> {
    let rule = |name: &str, source: &str| AttributeRule {
        name: name.into(),
        source: source.into(),
        constant: None,
        enabled: false,
    };
    vec![
        rule("User.Username", "email"),
        rule("User.Email", "email"),
        rule("User.FirstName", "firstname"),
        rule("User.LastName", "lastname"),
        rule("User.FederationIdentifier", "federation_id"),
        rule("User.Title", "job_title"),
        rule("User.Department", "department"),
        rule("User.CompanyName", "company"),
        AttributeRule {
            name: "User.ProfileId".into(),
            source: "constant".into(),
            constant: Some("Standard User".into()),
            enabled: false,
        },
    ]
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("The assertion lifetime must be between 30 and 3600 seconds, not {0}.")]
    Lifetime(u32),
    #[error("Attribute {0:?}: give it a name of 1 to 128 characters.")]
    Name(String),
    #[error("Two attributes are named {0:?}: names must be unique.")]
    Duplicate(String),
    #[error("Attribute {name:?}: {field:?} is not a directory field; use one of {} or \"constant\".", SOURCES.join(", "))]
    Source { name: String, field: String },
    #[error("Attribute {0:?}: a constant needs a value (at most 256 characters), and only constants have one.")]
    Constant(String),
}

pub fn validate(s: &SamlSettings) -> Result<(), SettingsError> {
    if !(30..=3600).contains(&s.response.lifetime_secs) {
        return Err(SettingsError::Lifetime(s.response.lifetime_secs));
    }
    let mut seen = std::collections::HashSet::new();
    for a in &s.attributes {
        let name = a.name.trim();
        if name.is_empty() || name.chars().count() > 128 {
            return Err(SettingsError::Name(a.name.clone()));
        }
        if !seen.insert(name.to_owned()) {
            return Err(SettingsError::Duplicate(name.into()));
        }
        let is_constant = a.source == "constant";
        if !is_constant && !SOURCES.contains(&a.source.as_str()) {
            return Err(SettingsError::Source {
                name: name.into(),
                field: a.source.clone(),
            });
        }
        let constant_ok = match (&a.constant, is_constant) {
            (Some(c), true) => !c.is_empty() && c.chars().count() <= 256,
            (None, false) => true,
            _ => false,
        };
        if !constant_ok {
            return Err(SettingsError::Constant(name.into()));
        }
    }
    Ok(())
}

pub async fn load(pool: &SqlitePool, app_id: &str) -> sqlx::Result<SamlSettings> {
    let row: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT lifetime_secs, sign, name_id_format FROM saml_settings WHERE app_id = ?",
    )
    .bind(app_id)
    .fetch_optional(pool)
    .await?;
    let has_row = row.is_some();
    let response = match row {
        Some((lifetime, sign, fmt)) => ResponseSettings {
            lifetime_secs: u32::try_from(lifetime).unwrap_or(300),
            sign: match sign.as_str() {
                "assertion" => SignWhat::Assertion,
                "response" => SignWhat::Response,
                _ => SignWhat::Both,
            },
            name_id_format: if fmt == "email_address" {
                NameIdFormat::EmailAddress
            } else {
                NameIdFormat::Unspecified
            },
        },
        None => ResponseSettings::default(),
    };
    let attributes: Vec<AttributeRule> = sqlx::query_as("SELECT name, source, constant, enabled FROM saml_attributes WHERE app_id = ? ORDER BY position")
        .bind(app_id)
        .fetch_all(pool)
        .await?;
    let attributes = if !has_row && attributes.is_empty() {
        default_attributes()
    } else {
        attributes
    };
    Ok(SamlSettings {
        response,
        attributes,
    })
}

pub async fn save(
    pool: &SqlitePool,
    app_id: &str,
    s: &SamlSettings,
    now: chrono::DateTime<chrono::Utc>,
) -> sqlx::Result<()> {
    let sign = match s.response.sign {
        SignWhat::Assertion => "assertion",
        SignWhat::Response => "response",
        SignWhat::Both => "both",
    };
    let fmt = match s.response.name_id_format {
        NameIdFormat::Unspecified => "unspecified",
        NameIdFormat::EmailAddress => "email_address",
    };
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO saml_settings (app_id, lifetime_secs, sign, name_id_format, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(app_id) DO UPDATE SET lifetime_secs = excluded.lifetime_secs, sign = excluded.sign,
           name_id_format = excluded.name_id_format, updated_at = excluded.updated_at",
    )
    .bind(app_id)
    .bind(i64::from(s.response.lifetime_secs))
    .bind(sign)
    .bind(fmt)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM saml_attributes WHERE app_id = ?")
        .bind(app_id)
        .execute(&mut *tx)
        .await?;
    for (i, a) in s.attributes.iter().enumerate() {
        sqlx::query("INSERT INTO saml_attributes (app_id, position, name, source, constant, enabled) VALUES (?, ?, ?, ?, ?, ?)")
            .bind(app_id)
            .bind(i as i64)
            .bind(a.name.trim())
            .bind(&a.source)
            .bind(&a.constant)
            .bind(a.enabled)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}
