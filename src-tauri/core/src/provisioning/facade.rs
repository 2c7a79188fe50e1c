//! The provisioning [`Core`] methods the GUI and the CLI call: connect (OAuth or bearer token),
//! test, status, settings, disconnect, sync, and the events query.

use super::auth::{Auth, Refresher};
use super::client::{http_client, ScimClient};
use super::connection::{
    self, Connection, ConnectionSettings, ConnectionState, NewConnection, TargetKind,
};
use super::oauth::{self, PendingLogin};
use super::run::{Cancel, ProgressFn};
use super::sync::{self, SyncOptions, SyncReport, SyncTarget};
use super::ProvisioningError;
use crate::apps::Application;
use crate::error::{ApiError, HasCode};
use crate::events::{EventName, NewEvent, Outcome};
use crate::secrets::{SecretName, Sensitive};
use crate::Core;
use serde::Serialize;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// Per-request timeout of provisioning (a stalled request is retried after it).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A connection as the window and `lanyard scim status` show it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConnectionView {
    pub app: String,
    pub connection: Connection,
    pub capabilities: super::connection::Capabilities,
    pub linked_users: u32,
    pub linked_groups: u32,
    pub last_run: Option<RunView>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RunView {
    pub id: String,
    pub started_at: chrono::DateTime<chrono::Utc>,
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
    pub status: String,
    pub created: u32,
    pub updated: u32,
    pub deactivated: u32,
    pub failed: u32,
    pub held: u32,
    pub message: String,
}

/// The exact bodies a create and an update would send for one directory user.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PayloadPreview {
    pub user_name: String,
    #[cfg_attr(feature = "specta", specta(type = crate::json_type::JsonValue))]
    pub create: Value,
    /// The PatchOp of an update that sets every managed attribute (create-only ones left out).
    #[cfg_attr(feature = "specta", specta(type = crate::json_type::JsonValue))]
    pub update: Value,
    /// The attributes as they would be after the push.
    pub attributes: Vec<super::mapping::AttributeChange>,
}

/// What "Test connection" found.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TestReport {
    pub scim_base: String,
    /// `ServiceProviderConfigs` or `ServiceProviderConfig`.
    pub config_endpoint: String,
    pub patch: bool,
    pub filter: bool,
    pub max_results: Option<u32>,
    pub entitlements: bool,
    /// The "Standard User" profile: its id and name.
    pub profile_id: Option<String>,
    pub profile_name: Option<String>,
    /// Salesforce's daily API usage (`api-usage=N/M`), when the target reports it.
    pub api_usage: Option<String>,
    pub notes: Vec<String>,
}

fn api(e: ProvisioningError) -> ApiError {
    e.to_api()
}

const STANDARD_USER: &str = "Standard User";

fn valid_base(raw: &str) -> Result<String, ProvisioningError> {
    let parsed =
        url::Url::parse(raw.trim()).map_err(|_| ProvisioningError::BadBaseUrl(raw.into()))?;
    let host = parsed.host_str().unwrap_or("");
    let loopback = matches!(host, "127.0.0.1" | "localhost" | "[::1]");
    if !(parsed.scheme() == "https" || (parsed.scheme() == "http" && loopback)) || host.is_empty() {
        return Err(ProvisioningError::BadBaseUrl(raw.into()));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

impl Core {
    async fn prov_app(&self, name: &str) -> Result<Application, ApiError> {
        self.get_app(name).await
    }

    async fn prov_event(&self, e: NewEvent) {
        crate::events::record_event(self.store().pool(), self.now(), e).await;
    }

    pub(crate) async fn connection_of(&self, app: &Application) -> Result<Connection, ApiError> {
        let mut conn = self.conn().await?;
        connection::get(&mut conn, &app.id)
            .await
            .map_err(api)?
            .ok_or_else(|| api(ProvisioningError::NotConnected(app.name.clone())))
    }

    /// A client for the application's target (its tokens from the keyring).
    pub(crate) async fn scim_client(
        &self,
        app: &Application,
        c: &Connection,
        dry_run: bool,
        timeout: Duration,
    ) -> Result<ScimClient, ApiError> {
        match c.state {
            ConnectionState::Deactivated => {
                return Err(api(ProvisioningError::Deactivated(app.name.clone())))
            }
            ConnectionState::ReauthNeeded => {
                return Err(api(ProvisioningError::ReauthNeeded(app.name.clone())))
            }
            ConnectionState::Connected => {}
        }
        let http = http_client(timeout).map_err(|e| api(ProvisioningError::Internal(e)))?;
        let secrets = self.secrets_async();
        let missing = |what| {
            api(ProvisioningError::MissingToken {
                app: app.name.clone(),
                what,
            })
        };
        let auth = match c.kind {
            TargetKind::Scim => {
                let token = secrets
                    .get(SecretName::BearerToken { app_id: &app.id })
                    .await
                    .map_err(|e| api(e.into()))?
                    .ok_or_else(|| missing("bearer token"))?;
                Auth::bearer(token)
            }
            TargetKind::Salesforce => {
                let access = secrets
                    .get(SecretName::OAuthAccessToken { app_id: &app.id })
                    .await
                    .map_err(|e| api(e.into()))?
                    .ok_or_else(|| missing("OAuth access token"))?;
                let refresh = secrets
                    .get(SecretName::OAuthRefreshToken { app_id: &app.id })
                    .await
                    .map_err(|e| api(e.into()))?;
                match (refresh, &c.login_host, &c.client_id) {
                    (Some(r), Some(host), Some(id)) => Auth::oauth(
                        access,
                        Refresher {
                            http: http.clone(),
                            login_host: host.clone(),
                            client_id: id.clone(),
                            refresh_token: r,
                            secrets: secrets.clone(),
                            app_id: app.id.clone(),
                        },
                    ),
                    _ => Auth::bearer(access),
                }
            }
        };
        Ok(ScimClient::new(http, &c.scim_base, auth, dry_run))
    }

    /// After a request refused the credentials for good: the connection needs re-authorization.
    async fn note_reauth(&self, app: &Application, client: &ScimClient) {
        if client.auth().reauth_needed() {
            if let Ok(mut conn) = self.store().pool().acquire().await {
                let _ = connection::set_state(
                    &mut conn,
                    &app.id,
                    ConnectionState::ReauthNeeded,
                    self.now(),
                )
                .await;
            }
        }
    }

    /// Connects an application to a SCIM server with a bearer token: tested first, then the
    /// token goes to the keyring and the connection is saved.
    pub async fn scim_connect_bearer(
        &self,
        app: &str,
        base_url: &str,
        token: Sensitive<String>,
    ) -> Result<TestReport, ApiError> {
        let app = self.prov_app(app).await?;
        let base = valid_base(base_url).map_err(api)?;
        let http = http_client(REQUEST_TIMEOUT).map_err(|e| api(ProvisioningError::Internal(e)))?;
        let client = ScimClient::new(http, &base, Auth::bearer(token.clone()), false);
        let probe = Connection {
            app_id: app.id.clone(),
            kind: TargetKind::Scim,
            scim_base: base.clone(),
            login_host: None,
            client_id: None,
            account: None,
            state: ConnectionState::Connected,
            deprovision: connection::Deprovision::Deactivate,
            auto_push: true,
            profile_id: None,
            has_entitlements: false,
            picklists_on: false,
            created_at: self.now(),
            updated_at: self.now(),
        };
        let report = match test_target(&client, &probe).await {
            Ok(r) => r,
            Err(e) => {
                self.prov_event(
                    NewEvent::new(
                        Some(&app.name),
                        EventName::IdmIntegrationActivate,
                        Outcome::Failed,
                    )
                    .detail(e.to_string())
                    .http(e.status(), e.code()),
                )
                .await;
                return Err(api(e.into()));
            }
        };
        let app_id = app.id.clone();
        self.save_connection(
            &app,
            &NewConnection {
                app_id: &app.id,
                kind: TargetKind::Scim,
                scim_base: &base,
                login_host: None,
                client_id: None,
                account: None,
            },
            &report,
            |s| async move {
                s.set(SecretName::BearerToken { app_id: &app_id }, token)
                    .await
            },
        )
        .await?;
        Ok(report)
    }

    async fn save_connection<F, Fut>(
        &self,
        app: &Application,
        new: &NewConnection<'_>,
        report: &TestReport,
        store_secrets: F,
    ) -> Result<(), ApiError>
    where
        F: FnOnce(crate::secrets::Secrets) -> Fut,
        Fut: std::future::Future<Output = Result<(), crate::secrets::SecretError>>,
    {
        store_secrets(self.secrets_async())
            .await
            .map_err(|e| api(e.into()))?;
        let mut conn = self.conn().await?;
        let before = connection::get(&mut conn, &app.id).await.map_err(api)?;
        let existed = before.is_some();
        // Another target (a sandbox replaced by production, another server): the links name
        // users of the old one, so they go; the next sync matches users by userName again.
        let moved = before
            .as_ref()
            .is_some_and(|b| b.scim_base != new.scim_base || b.kind != new.kind);
        if moved {
            for table in ["scim_user_links", "scim_group_links", "scim_group_members"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE app_id = ?"))
                    .bind(&app.id)
                    .execute(&mut *conn)
                    .await
                    .map_err(|e| api(e.into()))?;
            }
        }
        connection::upsert(&mut conn, new, self.now())
            .await
            .map_err(api)?;
        connection::set_discovery(
            &mut conn,
            &app.id,
            report.profile_id.as_deref(),
            report.entitlements,
            self.now(),
        )
        .await
        .map_err(api)?;
        // New credentials or a new target: a listing read before is not this connection's.
        self.listings.forget(&app.id);
        let name = if existed {
            EventName::IdmIntegrationReauth
        } else {
            EventName::IdmIntegrationActivate
        };
        self.prov_event(
            NewEvent::new(Some(&app.name), name, Outcome::Ok).detail(if moved {
                format!("connected to {} (another target than before: its links were dropped, and the next sync matches users by userName)", new.scim_base)
            } else {
                format!("connected to {}", new.scim_base)
            }),
        )
        .await;
        Ok(())
    }

    /// Starts the OAuth login for a Salesforce connection: open `authorize_url` in the browser,
    /// then call [`Core::scim_connect_finish`].
    pub async fn scim_connect_start(
        &self,
        app: &str,
        login_host: Option<&str>,
        client_id: Option<&str>,
    ) -> Result<PendingLogin, ApiError> {
        let app = self.prov_app(app).await?;
        let host = login_host.unwrap_or(&app.login_url);
        let id = match client_id {
            Some(id) => id,
            None if app.environment == crate::apps::Environment::Practice => oauth::PRACTICE_CLIENT_ID,
            None => {
                return Err(ApiError::new(
                    crate::ErrorCode::InvalidInput,
                    "Give the consumer key of your Salesforce connected app (--client-id, or the Consumer Key field): Setup → App Manager → the app → View → Consumer Key.",
                ))
            }
        };
        oauth::start_login(host, id)
            .await
            .map_err(|e| api(e.into()))
    }

    /// Waits for the browser's redirect, exchanges the code, tests the target, and saves the
    /// connection (tokens in the keyring only).
    pub async fn scim_connect_finish(
        &self,
        app: &str,
        login: PendingLogin,
        login_host: Option<&str>,
        client_id: Option<&str>,
        timeout: Duration,
    ) -> Result<TestReport, ApiError> {
        let app = self.prov_app(app).await?;
        let host = oauth::normalize_login_host(login_host.unwrap_or(&app.login_url))
            .map_err(|e| api(e.into()))?;
        let client_id = client_id.unwrap_or(oauth::PRACTICE_CLIENT_ID).to_owned();
        let http = http_client(REQUEST_TIMEOUT).map_err(|e| api(ProvisioningError::Internal(e)))?;
        let tokens = match login.finish(&http, timeout).await {
            Ok(t) => t,
            Err(e) => {
                self.prov_event(
                    NewEvent::new(
                        Some(&app.name),
                        EventName::IdmIntegrationActivate,
                        Outcome::Failed,
                    )
                    .detail(e.to_string()),
                )
                .await;
                return Err(api(e.into()));
            }
        };
        let base = format!(
            "{}/services/scim/v2",
            tokens.instance_url.trim_end_matches('/')
        );
        let client = ScimClient::new(http, &base, Auth::bearer(tokens.access.clone()), false);
        let probe = Connection {
            app_id: app.id.clone(),
            kind: TargetKind::Salesforce,
            scim_base: base.clone(),
            login_host: Some(host.clone()),
            client_id: Some(client_id.clone()),
            account: tokens.account.clone(),
            state: ConnectionState::Connected,
            deprovision: connection::Deprovision::Deactivate,
            auto_push: true,
            profile_id: None,
            has_entitlements: true,
            picklists_on: false,
            created_at: self.now(),
            updated_at: self.now(),
        };
        let report = test_target(&client, &probe)
            .await
            .map_err(|e| api(e.into()))?;
        let access = tokens.access;
        let refresh = tokens.refresh;
        let app_id = app.id.clone();
        self.save_connection(
            &app,
            &NewConnection {
                app_id: &app.id,
                kind: TargetKind::Salesforce,
                scim_base: &base,
                login_host: Some(&host),
                client_id: Some(&client_id),
                account: tokens.account.as_deref(),
            },
            &report,
            |s| async move {
                s.set(SecretName::OAuthAccessToken { app_id: &app_id }, access)
                    .await?;
                if let Some(r) = refresh {
                    s.set(SecretName::OAuthRefreshToken { app_id: &app_id }, r)
                        .await?;
                }
                Ok(())
            },
        )
        .await?;
        Ok(report)
    }

    /// "Test connection": the service provider config, the Standard User profile, API usage.
    pub async fn scim_test(&self, app: &str) -> Result<TestReport, ApiError> {
        let app = self.prov_app(app).await?;
        let c = self.connection_of(&app).await?;
        let client = self.scim_client(&app, &c, true, REQUEST_TIMEOUT).await?;
        let r = test_target(&client, &c).await;
        self.note_reauth(&app, &client).await;
        let report = r.map_err(|e| api(e.into()))?;
        let mut conn = self.conn().await?;
        connection::set_discovery(
            &mut conn,
            &app.id,
            report.profile_id.as_deref(),
            report.entitlements,
            self.now(),
        )
        .await
        .map_err(api)?;
        Ok(report)
    }

    pub async fn scim_status(&self, app: &str) -> Result<ConnectionView, ApiError> {
        let app = self.prov_app(app).await?;
        let c = self.connection_of(&app).await?;
        let pool = self.store().pool();
        let storage = |e: sqlx::Error| api(e.into());
        let linked_users: i64 =
            sqlx::query_scalar("SELECT count(*) FROM scim_user_links WHERE app_id = ?")
                .bind(&app.id)
                .fetch_one(pool)
                .await
                .map_err(storage)?;
        let linked_groups: i64 =
            sqlx::query_scalar("SELECT count(*) FROM scim_group_links WHERE app_id = ?")
                .bind(&app.id)
                .fetch_one(pool)
                .await
                .map_err(storage)?;
        let last_run = sqlx::query_as::<_, RunView>(
            "SELECT id, started_at, finished_at, status, created, updated, deactivated, failed, held, message
             FROM sync_runs WHERE app_id = ? ORDER BY started_at DESC LIMIT 1",
        )
        .bind(&app.id)
        .fetch_optional(pool)
        .await
        .map_err(storage)?;
        Ok(ConnectionView {
            app: app.name.clone(),
            capabilities: c.capabilities(),
            connection: c,
            linked_users: u32::try_from(linked_users).unwrap_or(0),
            linked_groups: u32::try_from(linked_groups).unwrap_or(0),
            last_run,
        })
    }

    pub async fn scim_settings(
        &self,
        app: &str,
        s: ConnectionSettings,
    ) -> Result<ConnectionView, ApiError> {
        let a = self.prov_app(app).await?;
        self.connection_of(&a).await?;
        let mut conn = self.conn().await?;
        connection::update_settings(&mut conn, &a.id, &s, self.now())
            .await
            .map_err(api)?;
        self.prov_event(
            NewEvent::new(Some(&a.name), EventName::IdmIntegrationUpdate, Outcome::Ok)
                .detail(format!("settings changed: {s:?}")),
        )
        .await;
        drop(conn);
        self.scim_status(app).await
    }

    /// Disconnects: revokes the OAuth token, deletes the tokens from the keyring, and stops
    /// provisioning (links are kept, so a later connect duplicates nobody).
    pub async fn scim_disconnect(&self, app: &str) -> Result<(), ApiError> {
        let app = self.prov_app(app).await?;
        let c = self.connection_of(&app).await?;
        let secrets = self.secrets_async();
        let mut notes = Vec::new();
        if let (TargetKind::Salesforce, Some(host)) = (c.kind, &c.login_host) {
            let token = match secrets
                .get(SecretName::OAuthRefreshToken { app_id: &app.id })
                .await
            {
                Ok(Some(t)) => Some(t),
                _ => secrets
                    .get(SecretName::OAuthAccessToken { app_id: &app.id })
                    .await
                    .ok()
                    .flatten(),
            };
            if let Some(t) = token {
                let http = http_client(REQUEST_TIMEOUT)
                    .map_err(|e| api(ProvisioningError::Internal(e)))?;
                if let Err(e) = oauth::revoke(&http, host, &t).await {
                    notes.push(format!("the token could not be revoked ({e}); revoke it in Salesforce Setup → Connected Apps OAuth Usage"));
                }
            }
        }
        for name in SecretName::connection(&app.id) {
            secrets.delete(name).await.map_err(|e| api(e.into()))?;
        }
        let mut conn = self.conn().await?;
        connection::set_state(&mut conn, &app.id, ConnectionState::Deactivated, self.now())
            .await
            .map_err(api)?;
        let detail = if notes.is_empty() {
            "disconnected; tokens revoked and removed from the keyring".to_owned()
        } else {
            notes.join("; ")
        };
        self.listings.forget(&app.id);
        self.prov_event(
            NewEvent::new(
                Some(&app.name),
                EventName::IdmIntegrationDelete,
                Outcome::Ok,
            )
            .detail(detail),
        )
        .await;
        Ok(())
    }

    /// Runs a sync (or, with `dry_run`, answers its plan and sends no write).
    pub async fn sync(
        &self,
        app: &str,
        opts: SyncOptions,
        progress: Option<ProgressFn>,
        cancel: Cancel,
    ) -> Result<SyncReport, ApiError> {
        self.sync_with_timeout(app, opts, progress, cancel, REQUEST_TIMEOUT)
            .await
    }

    /// [`Core::sync`] with another per-request timeout (tests of stalls).
    pub async fn sync_with_timeout(
        &self,
        app: &str,
        opts: SyncOptions,
        progress: Option<ProgressFn>,
        cancel: Cancel,
        timeout: Duration,
    ) -> Result<SyncReport, ApiError> {
        if opts.deprovision_all && opts.only_user.is_some() {
            return Err(ApiError::new(
                crate::ErrorCode::InvalidInput,
                "Deactivating every provisioned user and pushing one user are two different runs: choose one.",
            ));
        }
        let app = self.prov_app(app).await?;
        let c = self.connection_of(&app).await?;
        let deprovision = opts.deprovision_all && !opts.dry_run;
        let client = Arc::new(self.scim_client(&app, &c, opts.dry_run, timeout).await?);
        let r = sync::sync(
            SyncTarget {
                app_id: &app.id,
                app_name: &app.name,
                connection: &c,
                client: Arc::clone(&client),
                pool: self.store().pool(),
                clock: self.clock.clone(),
            },
            opts,
            progress,
            cancel,
        )
        .await;
        self.note_reauth(&app, &client).await;
        let mut r = r.map_err(api)?;
        if deprovision {
            // The automatic push would put the users back at the next directory change.
            let off = super::connection::ConnectionSettings {
                auto_push: Some(false),
                ..Default::default()
            };
            let mut conn = self.conn().await?;
            super::connection::update_settings(&mut conn, &app.id, &off, self.now())
                .await
                .map_err(api)?;
            if r.summary.message.is_empty() {
                r.summary.message = "Automatic push is now off for this application, so nothing puts these users back; a sync you start yourself still would.".into();
            }
        }
        Ok(r)
    }

    /// The create and update bodies for one authorized directory user (the mapping, applied).
    pub async fn payload_preview(
        &self,
        app: &str,
        email: &str,
    ) -> Result<PayloadPreview, ApiError> {
        let app = self.prov_app(app).await?;
        let user = crate::directory::access::authorized_user(self.store().pool(), &app.id, email)
            .await
            .map_err(|e| api(e.into()))?
            .ok_or_else(|| api(ProvisioningError::UserNotInScope(email.to_owned())))?;
        let profile = match self.connection_of(&app).await {
            Ok(c) => c.profile_id,
            Err(_) => None,
        };
        let desired = super::mapping::managed(&user);
        let opts = super::mapping::BodyOptions::default();
        let blank = super::mapping::Managed {
            email: desired.email.clone(),
            user_name: desired.user_name.clone(),
            active: !desired.active,
            ..Default::default()
        };
        let update = super::mapping::update(&blank, &desired, opts);
        Ok(PayloadPreview {
            user_name: desired.user_name.clone(),
            create: super::mapping::create_body(&desired, profile.as_deref(), None, opts),
            update: update.body.unwrap_or(Value::Null),
            attributes: super::mapping::diff(&super::mapping::Managed::default(), &desired),
        })
    }

    /// Events matching a filter, newest first.
    pub async fn query_events(
        &self,
        f: &crate::events::EventFilter,
    ) -> Result<Vec<crate::events::Event>, ApiError> {
        crate::events::query(self.store().pool(), f)
            .await
            .map_err(|e| crate::store::StoreError::from(e).to_api())
    }
}

/// Reads the target's service provider config and, where it has them, its Entitlements.
async fn test_target(
    client: &ScimClient,
    c: &Connection,
) -> Result<TestReport, super::client::ScimError> {
    use super::client::ScimError;
    let caps = c.capabilities();
    let order: [&str; 2] = if caps.plural_config {
        ["ServiceProviderConfigs", "ServiceProviderConfig"]
    } else {
        ["ServiceProviderConfig", "ServiceProviderConfigs"]
    };
    let mut found = None;
    let mut last_err = None;
    for ep in order {
        match client.get(ep, &[]).await {
            Ok(v) => {
                found = Some((ep, v));
                break;
            }
            Err(e @ ScimError::Unauthorized { .. }) => return Err(e),
            Err(e) => last_err = Some(e),
        }
    }
    let Some((endpoint, config)) = found else {
        return Err(last_err.unwrap_or(ScimError::Protocol("no service provider config".into())));
    };
    let mut notes = Vec::new();
    let flag = |k: &str| {
        config
            .get(k)
            .and_then(|v| v.get("supported"))
            .and_then(Value::as_bool)
            .unwrap_or(false)
    };
    let max_results = config
        .get("filter")
        .and_then(|f| f.get("maxResults"))
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok());
    // Looked up by name first (an org has more profiles than the 200 a list returns), then listed.
    let by_name = format!("displayName eq \"{STANDARD_USER}\"");
    let lookup = match client
        .get("Entitlements", &[("filter", by_name.as_str())])
        .await
    {
        Ok(l)
            if l.get("Resources")
                .and_then(Value::as_array)
                .is_some_and(|r| !r.is_empty()) =>
        {
            Ok(l)
        }
        _ => client.get("Entitlements", &[("count", "200")]).await,
    };
    let (entitlements, profile_id, profile_name) = match lookup {
        Ok(list) => {
            let standard = list
                .get("Resources")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .find(|e| e.get("displayName").and_then(Value::as_str) == Some(STANDARD_USER));
            match standard {
                Some(e) => (
                    true,
                    e.get("id").and_then(Value::as_str).map(str::to_owned),
                    Some(STANDARD_USER.to_owned()),
                ),
                None => {
                    notes.push(format!("The target has Entitlements but no profile named \"{STANDARD_USER}\": creates will be refused until it has one."));
                    (true, None, None)
                }
            }
        }
        Err(ScimError::NotFound { .. }) | Err(ScimError::Refused { .. }) => {
            notes.push("The target has no Entitlements endpoint: users are created without a profile entitlement.".into());
            (false, None, None)
        }
        Err(e) => return Err(e),
    };
    if !flag("patch") {
        notes.push("The target does not say it supports PATCH; updates use PATCH.".into());
    }
    Ok(TestReport {
        scim_base: client.base().to_owned(),
        config_endpoint: endpoint.to_owned(),
        patch: flag("patch"),
        filter: flag("filter"),
        max_results,
        entitlements,
        profile_id,
        profile_name,
        api_usage: client.limit_info(),
        notes,
    })
}

#[cfg(test)]
mod send_check {
    /// The shell runs these futures on a multi-threaded runtime: they must be Send.
    #[allow(dead_code)]
    fn futures_are_send(core: &crate::Core) {
        fn is_send<T: Send>(_: &T) {}
        is_send(&core.sync("a", Default::default(), None, Default::default()));
    }
}
