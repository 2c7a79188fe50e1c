//! SQL for the SAML tables (see migrations/0003_saml.sql).

use super::cert::CertInfo;
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{FromRow, SqliteConnection, SqlitePool};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SpConfig {
    pub entity_id: String,
    pub acs_url: String,
    pub acs_binding: String,
    pub authn_requests_signed: bool,
    pub want_assertions_signed: bool,
    /// "metadata" or "manual".
    pub source: String,
    pub valid_until: Option<String>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, FromRow)]
pub struct SpCertRow {
    pub sha256: String,
    pub cert_pem: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct IdpCertRow {
    pub id: String,
    /// next, active, previous or retired.
    pub status: String,
    pub cert_pem: String,
    pub sha256: String,
    pub subject: String,
    pub key_bits: i64,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub activated_at: Option<DateTime<Utc>>,
    pub retired_at: Option<DateTime<Utc>>,
    /// The Login URL of the Salesforce configuration that trusts it; None: the SP's ACS.
    pub acs_url: Option<String>,
}

pub async fn sp_config(pool: &SqlitePool, app_id: &str) -> sqlx::Result<Option<SpConfig>> {
    sqlx::query_as::<_, SpConfig>(
        "SELECT entity_id, acs_url, acs_binding, authn_requests_signed, want_assertions_signed, source, valid_until, updated_at
         FROM sp_configs WHERE app_id = ?",
    )
    .bind(app_id)
    .fetch_optional(pool)
    .await
}

pub async fn sp_certs(pool: &SqlitePool, app_id: &str) -> sqlx::Result<Vec<SpCertRow>> {
    sqlx::query_as::<_, SpCertRow>(
        "SELECT sha256, cert_pem FROM sp_certificates WHERE app_id = ? ORDER BY not_after DESC",
    )
    .bind(app_id)
    .fetch_all(pool)
    .await
}

/// Replaces the SP configuration and its certificates in one transaction.
pub async fn replace_sp_config(
    conn: &mut SqliteConnection,
    app_id: &str,
    config: &SpConfig,
    certs: &[(CertInfo, String)],
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sp_configs WHERE app_id = ?")
        .bind(app_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO sp_configs (app_id, entity_id, acs_url, acs_binding, authn_requests_signed, want_assertions_signed, source, valid_until, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(app_id)
    .bind(&config.entity_id)
    .bind(&config.acs_url)
    .bind(&config.acs_binding)
    .bind(config.authn_requests_signed)
    .bind(config.want_assertions_signed)
    .bind(&config.source)
    .bind(&config.valid_until)
    .bind(config.updated_at)
    .execute(&mut *conn)
    .await?;
    for (info, pem) in certs {
        add_sp_cert(conn, app_id, info, pem).await?;
    }
    Ok(())
}

pub async fn add_sp_cert(
    conn: &mut SqliteConnection,
    app_id: &str,
    info: &CertInfo,
    pem: &str,
) -> sqlx::Result<()> {
    sqlx::query("INSERT OR REPLACE INTO sp_certificates (app_id, sha256, cert_pem, not_after) VALUES (?, ?, ?, ?)")
        .bind(app_id)
        .bind(&info.sha256)
        .bind(pem)
        .bind(info.not_after)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

const IDP_COLUMNS: &str = "id, status, cert_pem, sha256, subject, key_bits, not_before, not_after, created_at, activated_at, retired_at, acs_url";

pub async fn idp_certs(pool: &SqlitePool, app_id: &str) -> sqlx::Result<Vec<IdpCertRow>> {
    sqlx::query_as::<_, IdpCertRow>(&format!(
        "SELECT {IDP_COLUMNS} FROM idp_certificates WHERE app_id = ?
         ORDER BY CASE status WHEN 'active' THEN 0 WHEN 'next' THEN 1 WHEN 'previous' THEN 2 ELSE 3 END, created_at DESC"
    ))
    .bind(app_id)
    .fetch_all(pool)
    .await
}

pub async fn insert_idp_cert(
    pool: &SqlitePool,
    app_id: &str,
    row: &IdpCertRow,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO idp_certificates (id, app_id, status, cert_pem, sha256, subject, key_bits, not_before, not_after, created_at, activated_at, acs_url)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&row.id)
    .bind(app_id)
    .bind(&row.status)
    .bind(&row.cert_pem)
    .bind(&row.sha256)
    .bind(&row.subject)
    .bind(row.key_bits)
    .bind(row.not_before)
    .bind(row.not_after)
    .bind(row.created_at)
    .bind(row.activated_at)
    .bind(&row.acs_url)
    .execute(pool)
    .await?;
    Ok(())
}

/// Binds the next certificate to a Login URL (None: the SP's ACS); false when there is none.
pub async fn bind_next(
    pool: &SqlitePool,
    app_id: &str,
    acs_url: Option<&str>,
) -> sqlx::Result<bool> {
    let done =
        sqlx::query("UPDATE idp_certificates SET acs_url = ? WHERE app_id = ? AND status = 'next'")
            .bind(acs_url)
            .bind(app_id)
            .execute(pool)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// next → active and active → previous, atomically.
pub async fn activate_next(
    pool: &SqlitePool,
    app_id: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "UPDATE idp_certificates SET status = 'previous' WHERE app_id = ? AND status = 'active'",
    )
    .bind(app_id)
    .execute(&mut *tx)
    .await?;
    let done = sqlx::query("UPDATE idp_certificates SET status = 'active', activated_at = ? WHERE app_id = ? AND status = 'next'")
        .bind(now)
        .bind(app_id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    tx.commit().await?;
    Ok(true)
}

/// previous → retired; returns the ids retired (their keys are then deleted from the keyring).
pub async fn retire_previous(
    pool: &SqlitePool,
    app_id: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<String>> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM idp_certificates WHERE app_id = ? AND status = 'previous'",
    )
    .bind(app_id)
    .fetch_all(pool)
    .await?;
    sqlx::query("UPDATE idp_certificates SET status = 'retired', retired_at = ? WHERE app_id = ? AND status = 'previous'")
        .bind(now)
        .bind(app_id)
        .execute(pool)
        .await?;
    Ok(ids)
}
