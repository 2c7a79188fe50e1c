//! Where Lanyard's IdP listens, and the guided re-point when that moves. The IdP endpoint is a
//! loopback address (`http://127.0.0.1:PORT`, the trust model: nothing off this computer reaches
//! it); its base is a setting (`LANYARD_IDP_URL` overrides it, for tests and one-off runs), and an
//! application's IdP URL is `<base>/saml2/<idp path>` (the path is its name unless the admin chose
//! another). Changing the base, or an application's path, records for every application whose
//! Salesforce org is set up that Salesforce still has the old Identity Provider Login URL; the
//! next SP-initiated login that reaches the new URL clears it.

use crate::apps::{AppError, AppName, Application};
use crate::error::{ApiError, ErrorCode, HasCode};
use crate::paths::{DEFAULT_IDP_BASE_URL, IDP_URL_ENV};
use crate::Core;
use chrono::{DateTime, Utc};
use serde::Serialize;

const KEY: &str = "idp_base_url";

/// The IdP's address and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct IdpAddress {
    /// What the IdP endpoint listens on (from the environment, the setting, or the default).
    pub base_url: String,
    /// Set by LANYARD_IDP_URL: the setting is not used while it is.
    pub from_env: bool,
    /// The saved setting, if any.
    pub setting: Option<String>,
}

/// An application whose Salesforce org still has the old Identity Provider Login URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Repoint {
    pub app: String,
    pub from_url: String,
    pub to_url: String,
    pub since: DateTime<Utc>,
}

/// `http://127.0.0.1:PORT` or `http://localhost:PORT` (no path), PORT from 1024: the loopback
/// rule. Answers the one spelling kept: `http://127.0.0.1:PORT`.
pub fn parse_base(value: &str) -> Result<String, ApiError> {
    let refuse = || {
        ApiError::new(
            ErrorCode::InvalidInput,
            format!("{value:?} is not a usable IdP address: use http://127.0.0.1:PORT with a port from 1024 (the IdP answers only on this computer), for example {DEFAULT_IDP_BASE_URL}."),
        )
    };
    let trimmed = value.trim().trim_end_matches('/');
    let rest = trimmed.strip_prefix("http://").ok_or_else(refuse)?;
    let (host, port) = rest.rsplit_once(':').ok_or_else(refuse)?;
    if host != "127.0.0.1" && host != "localhost" {
        return Err(refuse());
    }
    let port: u16 = port.parse().map_err(|_| refuse())?;
    if port < 1024 {
        return Err(refuse());
    }
    Ok(format!("http://127.0.0.1:{port}"))
}

/// An application's IdP URL (its Identity Provider Login URL in Salesforce), from its IdP path.
pub fn sso_url(base: &str, idp_path: &str) -> String {
    format!("{}/saml2/{idp_path}", base.trim_end_matches('/'))
}

/// The socket the IdP endpoint binds for a base URL (`localhost` is 127.0.0.1; port 0, from
/// LANYARD_IDP_URL in tests, picks a free port).
pub fn listen_addr(base: &str) -> Result<std::net::SocketAddr, ApiError> {
    let hostport = base
        .trim()
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap_or("");
    let hostport = match hostport.strip_prefix("localhost:") {
        Some(port) => format!("127.0.0.1:{port}"),
        None => hostport.to_owned(),
    };
    hostport
        .parse::<std::net::SocketAddr>()
        .ok()
        .filter(|a| a.ip().is_loopback())
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidInput,
                format!("The IdP address must look like http://127.0.0.1:PORT, not {base:?}: change it in Settings (or LANYARD_IDP_URL)."),
            )
        })
}

fn storage(e: sqlx::Error) -> ApiError {
    crate::store::StoreError::from(e).to_api()
}

impl Core {
    /// The IdP's address: LANYARD_IDP_URL, else the setting, else the default.
    pub async fn idp_address(&self) -> Result<IdpAddress, ApiError> {
        let setting: Option<String> =
            sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
                .bind(KEY)
                .fetch_optional(self.store().pool())
                .await
                .map_err(storage)?;
        let env = crate::paths::idp_base_url_env();
        Ok(IdpAddress {
            from_env: env.is_some(),
            base_url: env
                .or_else(|| setting.clone())
                .unwrap_or_else(|| DEFAULT_IDP_BASE_URL.to_owned()),
            setting,
        })
    }

    /// Saves a new IdP address (it takes effect when the endpoint starts again) and records a
    /// re-point for every application whose Salesforce org is set up; answers them.
    pub async fn set_idp_address(&self, value: &str) -> Result<Vec<Repoint>, ApiError> {
        let new_base = parse_base(value)?;
        let old = self.idp_address().await?;
        if old.from_env {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("{IDP_URL_ENV} pins the IdP address to {} for this run: unset it (and start Lanyard again) to change the address.", old.base_url),
            ));
        }
        let old_base = old.base_url;
        let mut tx = self.store().pool().begin().await.map_err(storage)?;
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(KEY)
        .bind(&new_base)
        .execute(&mut *tx)
        .await
        .map_err(storage)?;
        if new_base != old_base {
            let apps: Vec<(String, String)> = sqlx::query_as(
                "SELECT a.id, COALESCE(a.idp_path, a.name) FROM applications a
                 JOIN sp_configs s ON s.app_id = a.id",
            )
            .fetch_all(&mut *tx)
            .await
            .map_err(storage)?;
            for (id, path) in apps {
                let (from, to) = (sso_url(&old_base, &path), sso_url(&new_base, &path));
                record_repoint(&mut tx, &id, &from, &to, self.now()).await?;
            }
        }
        tx.commit().await.map_err(storage)?;
        self.repoints().await
    }

    /// Moves an application's IdP URL to `<IdP address>/saml2/<path>` (the application-name rule
    /// applies; another application's path is refused). When its Salesforce org is set up, a
    /// re-point is recorded: Salesforce's Identity Provider Login URL must change too.
    pub async fn set_idp_path(&self, app: &str, path: &str) -> Result<Application, ApiError> {
        let path = AppName::parse(path.trim()).map_err(|e| e.to_api())?;
        let current = self.get_app(app).await?;
        if current.idp_path == path.as_str() {
            return Ok(current);
        }
        if crate::apps::path_names_another(self.store().pool(), path.as_str(), &current.name)
            .await
            .map_err(|e| e.to_api())?
        {
            return Err(AppError::IdpPathTaken(path.to_string()).to_api());
        }
        let base = self.idp_address().await?.base_url;
        let (from, to) = (
            sso_url(&base, &current.idp_path),
            sso_url(&base, path.as_str()),
        );
        let mut tx = self.store().pool().begin().await.map_err(storage)?;
        let moved =
            sqlx::query("UPDATE applications SET idp_path = ?, updated_at = ? WHERE id = ?")
                .bind(path.as_str())
                .bind(self.now())
                .bind(&current.id)
                .execute(&mut *tx)
                .await;
        match moved {
            Ok(_) => {}
            Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
                return Err(AppError::IdpPathTaken(path.to_string()).to_api())
            }
            Err(e) => return Err(storage(e)),
        }
        let set_up: Option<i64> = sqlx::query_scalar("SELECT 1 FROM sp_configs WHERE app_id = ?")
            .bind(&current.id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(storage)?;
        if set_up.is_some() {
            record_repoint(&mut tx, &current.id, &from, &to, self.now()).await?;
        }
        tx.commit().await.map_err(storage)?;
        crate::events::record(
            self.store().pool(),
            self.now(),
            Some(app),
            crate::events::EventName::SamlSettingsSaved,
            true,
            &format!("IdP URL moved from {from} to {to}"),
        )
        .await;
        self.get_app(app).await
    }

    /// The applications whose Salesforce org still has the old Identity Provider Login URL.
    pub async fn repoints(&self) -> Result<Vec<Repoint>, ApiError> {
        sqlx::query_as::<_, Repoint>(
            "SELECT a.name AS app, r.from_url, r.to_url, r.since
             FROM idp_repoints r JOIN applications a ON a.id = r.app_id ORDER BY a.name",
        )
        .fetch_all(self.store().pool())
        .await
        .map_err(storage)
    }

    /// An SP-initiated login reached the IdP at its current address: Salesforce was re-pointed.
    pub(crate) async fn repoint_confirmed(&self, app_id: &str, app_name: &str) {
        let done = sqlx::query("DELETE FROM idp_repoints WHERE app_id = ?")
            .bind(app_id)
            .execute(self.store().pool())
            .await;
        if matches!(&done, Ok(r) if r.rows_affected() > 0) {
            crate::events::record(
                self.store().pool(),
                self.now(),
                Some(app_name),
                crate::events::EventName::SamlIdpRepointed,
                true,
                "an SP-initiated login reached the IdP's new address: Salesforce was re-pointed",
            )
            .await;
        }
    }
}

/// Records that Salesforce has `from` while the IdP now answers at `to`. A re-point already
/// pending keeps the URL Salesforce really has; back where Salesforce points, none is left.
async fn record_repoint(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    app_id: &str,
    from: &str,
    to: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    sqlx::query(
        "INSERT INTO idp_repoints (app_id, from_url, to_url, since) VALUES (?, ?, ?, ?)
         ON CONFLICT (app_id) DO UPDATE SET to_url = excluded.to_url",
    )
    .bind(app_id)
    .bind(from)
    .bind(to)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(storage)?;
    sqlx::query("DELETE FROM idp_repoints WHERE app_id = ? AND from_url = to_url")
        .bind(app_id)
        .execute(&mut **tx)
        .await
        .map_err(storage)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{listen_addr, parse_base};

    #[test]
    fn the_listening_socket_is_on_loopback() {
        assert_eq!(listen_addr("http://127.0.0.1:0").unwrap().port(), 0);
        assert_eq!(
            listen_addr("http://localhost:9000").unwrap().to_string(),
            "127.0.0.1:9000"
        );
        assert!(listen_addr("http://10.0.0.1:9000").is_err());
        assert!(listen_addr("http://idp.example.com:9000").is_err());
    }

    #[test]
    fn only_a_loopback_http_address_with_a_port() {
        for ok in [
            "http://127.0.0.1:8766",
            "http://localhost:9000/",
            "http://127.0.0.1:18766",
        ] {
            assert!(parse_base(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            parse_base("http://127.0.0.1:9000/").unwrap(),
            "http://127.0.0.1:9000"
        );
        assert_eq!(
            parse_base("http://localhost:9000").unwrap(),
            "http://127.0.0.1:9000",
            "one spelling, so the same socket is never taken for a move"
        );
        for bad in [
            "https://idp.example.com",
            "http://192.168.1.5:8766",
            "http://127.0.0.1",
            "http://127.0.0.1:80",
            "http://127.0.0.1:8766/saml2",
            "127.0.0.1:8766",
            "http://127.1:9000",
            "HTTP://LOCALHOST:9000",
            "http://127.0.0.2:9000",
            "http://127.0.0.1:1@evil.example:9000",
            "",
        ] {
            let e = parse_base(bad).unwrap_err();
            assert!(
                e.message.contains("http://127.0.0.1:PORT"),
                "{bad}: {}",
                e.message
            );
        }
    }
}
