//! [`Core`]: the one entry point the GUI and the CLI share. Every method returns
//! [`ApiError`] so both faces report failures the same way.

use crate::apps::{self, Application, NewApplication};
use crate::clock::SharedClock;
use crate::error::{ApiError, ErrorCode, HasCode};
use crate::secrets::SecretStore;
use crate::store::Store;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Clone)]
pub struct Core {
    pub(crate) store: Store,
    pub(crate) secrets: Arc<dyn SecretStore>,
    pub(crate) clock: SharedClock,
    /// SP-initiated login requests waiting for the admin (see `saml::approval`).
    pub(crate) approvals: Arc<crate::saml::approval::ApprovalQueue>,
    /// The import table's last listing of each target (see `provisioning::listing`).
    pub(crate) listings: Arc<crate::provisioning::listing::Listings>,
    data_dir: PathBuf,
    practice_url: String,
}

/// Where this instance keeps its state, for the Settings page and `lanyard info`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StorageInfo {
    pub data_dir: String,
    pub database: String,
    pub schema_version: i32,
    pub app_version: String,
}

/// Whether the OS keyring answers; `message` says what to do when it does not.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct KeyringStatus {
    pub available: bool,
    pub message: String,
}

impl Core {
    /// Opens the database in `data_dir` (see [`crate::paths`]).
    pub async fn open(
        data_dir: &Path,
        secrets: Arc<dyn SecretStore>,
        clock: SharedClock,
    ) -> Result<Self, ApiError> {
        let store = Store::open_in(data_dir).await.map_err(|e| e.to_api())?;
        Ok(Self {
            store,
            secrets,
            clock,
            approvals: Arc::default(),
            listings: Arc::default(),
            data_dir: data_dir.to_path_buf(),
            practice_url: apps::DEFAULT_PRACTICE_URL.to_owned(),
        })
    }

    /// Where the practice org runs (new practice applications point there).
    pub fn with_practice_url(mut self, url: impl Into<String>) -> Self {
        self.practice_url = url.into();
        self
    }

    pub fn practice_url(&self) -> &str {
        &self.practice_url
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn secrets(&self) -> &Arc<dyn SecretStore> {
        &self.secrets
    }

    /// The injected clock's time (for the area facades, such as the directory's).
    pub(crate) fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    pub async fn create_app(&self, request: NewApplication) -> Result<Application, ApiError> {
        let valid = request
            .validate(&self.practice_url)
            .map_err(|e| e.to_api())?;
        apps::insert(self.store.pool(), &valid, self.clock.now())
            .await
            .map_err(|e| e.to_api())
    }

    pub async fn list_apps(&self) -> Result<Vec<Application>, ApiError> {
        apps::list(self.store.pool()).await.map_err(|e| e.to_api())
    }

    pub async fn get_app(&self, name: &str) -> Result<Application, ApiError> {
        apps::get(self.store.pool(), name)
            .await
            .map_err(|e| e.to_api())
    }

    /// Activates or deactivates single sign-on for the application (an event says which).
    pub async fn set_sso_enabled(
        &self,
        name: &str,
        enabled: bool,
    ) -> Result<Application, ApiError> {
        let result = apps::set_sso_enabled(self.store.pool(), name, enabled, self.clock.now())
            .await
            .map_err(|e| e.to_api());
        if result.is_ok() {
            let (event, detail) = if enabled {
                (
                    crate::events::EventName::SamlSsoActivated,
                    "single sign-on activated",
                )
            } else {
                (
                    crate::events::EventName::SamlSsoDeactivated,
                    "single sign-on deactivated: Lanyard signs no login for this application",
                )
            };
            crate::events::record(
                self.store.pool(),
                self.clock.now(),
                Some(name),
                event,
                true,
                detail,
            )
            .await;
        }
        result
    }

    /// Deletes an application: its group bindings are recorded as removed in the change feed (in
    /// the same transaction), then its secrets (IdP keys, SCIM tokens) leave the keyring.
    pub async fn delete_app(&self, name: &str) -> Result<(), ApiError> {
        let app = self.get_app(name).await?;
        let storage = |e: sqlx::Error| crate::store::StoreError::from(e).to_api();
        let mut tx = self.store.pool().begin().await.map_err(storage)?;
        let cert_ids: Vec<String> =
            sqlx::query_scalar("SELECT id FROM idp_certificates WHERE app_id = ?")
                .bind(&app.id)
                .fetch_all(&mut *tx)
                .await
                .map_err(storage)?;
        let connected: i64 =
            sqlx::query_scalar("SELECT count(*) FROM scim_connections WHERE app_id = ?")
                .bind(&app.id)
                .fetch_one(&mut *tx)
                .await
                .map_err(storage)?;
        let bindings: Vec<(String, String)> = sqlx::query_as(
            "SELECT g.id, g.name FROM app_group_bindings b JOIN groups g ON g.id = b.group_id
             WHERE b.app_id = ?",
        )
        .bind(&app.id)
        .fetch_all(&mut *tx)
        .await
        .map_err(storage)?;
        let feed: Vec<_> = bindings
            .iter()
            .map(|(gid, gname)| {
                crate::directory::changes::Change::binding(
                    crate::directory::ChangeKind::BindingRemoved,
                    &app.id,
                    gid,
                    gname,
                )
            })
            .collect();
        crate::directory::changes::record(&mut tx, self.clock.now(), &feed)
            .await
            .map_err(|e| e.to_api())?;
        apps::delete_in(&mut tx, &app.name)
            .await
            .map_err(|e| e.to_api())?;
        tx.commit().await.map_err(storage)?;
        let secrets = self.secrets_async();
        let names = cert_ids
            .iter()
            .map(|cert_id| crate::secrets::SecretName::IdpKey {
                app_id: &app.id,
                cert_id,
            })
            // Only what can exist: the keyring is not asked about an application that never
            // had a key or a connection.
            .chain(
                crate::secrets::SecretName::connection(&app.id)
                    .into_iter()
                    .filter(|_| connected > 0),
            );
        let mut failures = Vec::new();
        for secret in names {
            if let Err(e) = secrets.delete(secret).await {
                failures.push(e.to_string());
            }
        }
        if let Some(first) = failures.first() {
            tracing::warn!(app = %app.name, failures = failures.len(), "secrets left in the keyring");
            return Err(ApiError::new(
                ErrorCode::KeyringUnavailable,
                format!(
                    "The application {} was deleted, but {} of its secrets could not be removed from the keyring ({first}). Unlock the keyring and remove the entries under the service \"lanyard\" named app/{}/… by hand.",
                    app.name,
                    failures.len(),
                    app.id
                ),
            ));
        }
        Ok(())
    }

    /// The secret store, with async calls.
    pub fn secrets_async(&self) -> crate::secrets::Secrets {
        crate::secrets::Secrets(Arc::clone(&self.secrets))
    }

    /// Named events, newest first (`before` pages back by id).
    pub async fn events(
        &self,
        limit: u32,
        before: Option<i64>,
    ) -> Result<Vec<crate::events::Event>, ApiError> {
        crate::events::list(self.store.pool(), limit, before)
            .await
            .map_err(|e| crate::store::StoreError::from(e).to_api())
    }

    pub async fn storage_info(&self) -> Result<StorageInfo, ApiError> {
        let schema_version = self.store.schema_version().await.map_err(|e| e.to_api())?;
        Ok(StorageInfo {
            data_dir: self.data_dir.display().to_string(),
            database: self.store.path().display().to_string(),
            schema_version: i32::try_from(schema_version).unwrap_or(i32::MAX),
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
        })
    }

    /// Asks the keyring whether it is reachable (on a blocking thread: D-Bus calls block).
    pub async fn keyring_status(&self) -> KeyringStatus {
        let secrets = Arc::clone(&self.secrets);
        let probed = tokio::task::spawn_blocking(move || secrets.probe()).await;
        match probed {
            Ok(Ok(())) => KeyringStatus {
                available: true,
                message: "The OS keyring is reachable; private keys and tokens are stored there."
                    .into(),
            },
            Ok(Err(e)) => KeyringStatus {
                available: false,
                message: e.to_string(),
            },
            Err(join) => KeyringStatus {
                available: false,
                message: ApiError::new(
                    ErrorCode::Internal,
                    format!("The keyring check stopped unexpectedly: {join}"),
                )
                .message,
            },
        }
    }

    pub async fn close(self) {
        self.store.close().await;
    }
}
