//! The credentials a SCIM client sends: a bearer token, or an OAuth access token that is
//! refreshed once when the target answers 401 (concurrent requests share one refresh).

use super::oauth;
use crate::secrets::{SecretName, Secrets, Sensitive};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// How to get a new access token.
pub struct Refresher {
    pub http: reqwest::Client,
    pub login_host: String,
    pub client_id: String,
    pub refresh_token: Sensitive<String>,
    pub secrets: Secrets,
    pub app_id: String,
}

pub struct Auth {
    current: Mutex<Sensitive<String>>,
    refresher: Option<Refresher>,
    refreshing: tokio::sync::Mutex<()>,
    reauth_needed: AtomicBool,
}

impl Auth {
    pub fn bearer(token: Sensitive<String>) -> Self {
        Self {
            current: Mutex::new(token),
            refresher: None,
            refreshing: tokio::sync::Mutex::new(()),
            reauth_needed: AtomicBool::new(false),
        }
    }

    pub fn oauth(access: Sensitive<String>, refresher: Refresher) -> Self {
        Self {
            refresher: Some(refresher),
            ..Self::bearer(access)
        }
    }

    pub async fn token(&self) -> Sensitive<String> {
        self.current
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Whether a refresh was tried and refused: the admin must authorize again.
    pub fn reauth_needed(&self) -> bool {
        self.reauth_needed.load(Ordering::Relaxed)
    }

    /// Replaces `stale` with a fresh access token (stored in the keyring). When another request
    /// already refreshed it, this returns at once.
    pub async fn refresh(&self, stale: &Sensitive<String>) -> Result<(), String> {
        let Some(r) = &self.refresher else {
            self.reauth_needed.store(true, Ordering::Relaxed);
            return Err("the bearer token was refused".into());
        };
        let _one_at_a_time = self.refreshing.lock().await;
        if self.token().await != *stale {
            return Ok(());
        }
        if self.reauth_needed() {
            return Err("re-authorization needed".into());
        }
        match oauth::refresh(&r.http, &r.login_host, &r.client_id, &r.refresh_token).await {
            Ok(fresh) => {
                if let Err(e) = r
                    .secrets
                    .set(
                        SecretName::OAuthAccessToken { app_id: &r.app_id },
                        fresh.clone(),
                    )
                    .await
                {
                    tracing::warn!(error = %e, "the refreshed access token could not be stored");
                }
                *self.current.lock().unwrap_or_else(|p| p.into_inner()) = fresh;
                Ok(())
            }
            Err(e) => {
                // Only Salesforce's own refusal (invalid_grant, a revoked token) needs the admin;
                // a network failure is tried again by the next request or run.
                if matches!(e, oauth::OAuthError::TokenRefused { .. }) {
                    self.reauth_needed.store(true, Ordering::Relaxed);
                }
                Err(e.to_string())
            }
        }
    }
}
