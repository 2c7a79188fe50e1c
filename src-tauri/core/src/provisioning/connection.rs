//! An application's SCIM connection: its row (no secrets), its tokens in the keyring, and the
//! target's capabilities, a small named set found from the kind of target and at connect / test
//! time instead of `if salesforce` spread across the engine.

use super::ProvisioningError;
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{FromRow, SqliteConnection};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, sqlx::Type)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "TEXT", rename_all = "snake_case")]
pub enum TargetKind {
    /// A Salesforce org (or the practice org), through OAuth.
    Salesforce,
    /// Any other SCIM 2.0 server, with a bearer token.
    Scim,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, sqlx::Type)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "TEXT", rename_all = "snake_case")]
pub enum ConnectionState {
    Connected,
    /// The refresh token was refused: the admin must authorize again.
    ReauthNeeded,
    /// Disconnected: provisioning stops; links are kept, so reconnecting duplicates nobody.
    Deactivated,
}

/// What leaving scope does on a target that can delete users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, sqlx::Type, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "TEXT", rename_all = "snake_case")]
pub enum Deprovision {
    Deactivate,
    Delete,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Connection {
    pub app_id: String,
    pub kind: TargetKind,
    pub scim_base: String,
    pub login_host: Option<String>,
    pub client_id: Option<String>,
    /// Who authorized (the identity URL of the token response).
    pub account: Option<String>,
    pub state: ConnectionState,
    pub deprovision: Deprovision,
    pub auto_push: bool,
    /// The "Standard User" profile's id, found by Test connection.
    pub profile_id: Option<String>,
    pub has_entitlements: bool,
    pub picklists_on: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What the target can do, found from its kind (Salesforce's documented limits) and by testing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Capabilities {
    /// `ServiceProviderConfigs` (Salesforce's plural) rather than `ServiceProviderConfig`.
    pub plural_config: bool,
    /// The target has Entitlements (profiles): creates carry the Standard User profile.
    pub entitlements: bool,
    /// Groups can be created and deleted (Salesforce: public groups are read and patched only).
    pub group_create_delete: bool,
    /// Lists are paged with `filter=id gt "<last id>"` (Salesforce refuses deep startIndex).
    pub id_paging: bool,
    /// DELETE /Users removes a user (Salesforce: it only deactivates).
    pub user_delete: bool,
}

impl Connection {
    pub fn capabilities(&self) -> Capabilities {
        match self.kind {
            TargetKind::Salesforce => Capabilities {
                plural_config: true,
                entitlements: true,
                group_create_delete: false,
                id_paging: true,
                user_delete: false,
            },
            TargetKind::Scim => Capabilities {
                plural_config: false,
                entitlements: self.has_entitlements,
                group_create_delete: true,
                id_paging: false,
                user_delete: true,
            },
        }
    }

    /// Whether leaving scope deletes (only where the target can and the admin chose it).
    pub fn deletes_users(&self) -> bool {
        self.capabilities().user_delete && self.deprovision == Deprovision::Delete
    }
}

const COLUMNS: &str = "app_id, kind, scim_base, login_host, client_id, account, state, deprovision, auto_push, profile_id, has_entitlements, picklists_on, created_at, updated_at";

pub async fn get(
    conn: &mut SqliteConnection,
    app_id: &str,
) -> Result<Option<Connection>, ProvisioningError> {
    Ok(sqlx::query_as::<_, Connection>(&format!(
        "SELECT {COLUMNS} FROM scim_connections WHERE app_id = ?"
    ))
    .bind(app_id)
    .fetch_optional(conn)
    .await?)
}

/// A new or replaced connection (a re-connect keeps the links and the settings).
pub struct NewConnection<'a> {
    pub app_id: &'a str,
    pub kind: TargetKind,
    pub scim_base: &'a str,
    pub login_host: Option<&'a str>,
    pub client_id: Option<&'a str>,
    pub account: Option<&'a str>,
}

pub async fn upsert(
    conn: &mut SqliteConnection,
    c: &NewConnection<'_>,
    now: DateTime<Utc>,
) -> Result<(), ProvisioningError> {
    sqlx::query(
        "INSERT INTO scim_connections (app_id, kind, scim_base, login_host, client_id, account, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'connected', ?, ?)
         ON CONFLICT (app_id) DO UPDATE SET kind = excluded.kind, scim_base = excluded.scim_base,
           login_host = excluded.login_host, client_id = excluded.client_id, account = excluded.account,
           state = 'connected', updated_at = excluded.updated_at",
    )
    .bind(c.app_id)
    .bind(c.kind)
    .bind(c.scim_base)
    .bind(c.login_host)
    .bind(c.client_id)
    .bind(c.account)
    .bind(now)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_state(
    conn: &mut SqliteConnection,
    app_id: &str,
    state: ConnectionState,
    now: DateTime<Utc>,
) -> Result<(), ProvisioningError> {
    sqlx::query("UPDATE scim_connections SET state = ?, updated_at = ? WHERE app_id = ?")
        .bind(state)
        .bind(now)
        .bind(app_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_discovery(
    conn: &mut SqliteConnection,
    app_id: &str,
    profile_id: Option<&str>,
    has_entitlements: bool,
    now: DateTime<Utc>,
) -> Result<(), ProvisioningError> {
    sqlx::query(
        "UPDATE scim_connections SET profile_id = ?, has_entitlements = ?, updated_at = ? WHERE app_id = ?",
    )
    .bind(profile_id)
    .bind(has_entitlements)
    .bind(now)
    .bind(app_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Settings an admin changes (each None keeps the current value).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConnectionSettings {
    pub deprovision: Option<Deprovision>,
    pub auto_push: Option<bool>,
    pub picklists_on: Option<bool>,
}

pub async fn update_settings(
    conn: &mut SqliteConnection,
    app_id: &str,
    s: &ConnectionSettings,
    now: DateTime<Utc>,
) -> Result<(), ProvisioningError> {
    sqlx::query(
        "UPDATE scim_connections SET deprovision = coalesce(?, deprovision),
           auto_push = coalesce(?, auto_push), picklists_on = coalesce(?, picklists_on),
           updated_at = ? WHERE app_id = ?",
    )
    .bind(s.deprovision)
    .bind(s.auto_push)
    .bind(s.picklists_on)
    .bind(now)
    .bind(app_id)
    .execute(conn)
    .await?;
    Ok(())
}
