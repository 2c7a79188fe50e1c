//! The practice org's shortcut for step 4 of the checklist: one click fills its Single Sign-On
//! Settings with Lanyard's values (issuer, Identity Provider Login URL, the active certificate,
//! username as the identity, just-in-time off), what an admin types by hand in a real org.

use crate::apps::Environment;
use crate::error::{ApiError, ErrorCode};
use crate::Core;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// What the practice org answered.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PracticeSsoFilled {
    /// The configuration's Salesforce Login URL (the ACS the metadata will carry).
    pub login_url: String,
}

#[derive(Serialize)]
struct Fill<'a> {
    name: String,
    issuer: String,
    idp_login_url: &'a str,
    idp_certificate_pem: String,
}

impl Core {
    /// Fills the practice org's first SSO configuration for `app` (a practice application), with
    /// `sso_url` as the Identity Provider Login URL (the shell knows where its IdP listens).
    pub async fn fill_practice_sso(
        &self,
        app: &str,
        sso_url: &str,
    ) -> Result<PracticeSsoFilled, ApiError> {
        let application = self.get_app(app).await?;
        if application.environment != Environment::Practice {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!("{app} talks to a real Salesforce org: type the values into its Single Sign-On Settings (each has a copy button); only the practice org can be filled in one click."),
            ));
        }
        let body = Fill {
            name: format!("Lanyard {}", application.label),
            issuer: crate::saml::service::idp_entity_id(&application),
            idp_login_url: sso_url,
            idp_certificate_pem: self.idp_certificate_pem(app).await?,
        };
        let base = application.login_url.trim_end_matches('/');
        let unreachable = |e: reqwest::Error| {
            ApiError::new(
                ErrorCode::Remote,
                format!("The practice org at {base} did not answer ({e}): start it with `lanyard sim serve` (the app's launch script starts it), then try again."),
            )
        };
        let http = crate::provisioning::client::http_client(Duration::from_secs(10))
            .map_err(|e| ApiError::new(ErrorCode::Internal, e))?;
        let res = http
            .post(format!("{base}/_sim/saml/sso-settings"))
            .json(&body)
            .send()
            .await
            .map_err(unreachable)?;
        let status = res.status();
        if !status.is_success() {
            let said = res.text().await.unwrap_or_default();
            return Err(ApiError::new(
                ErrorCode::Remote,
                format!(
                    "The practice org refused the settings ({status}): {}",
                    said.trim()
                ),
            ));
        }
        res.json::<PracticeSsoFilled>().await.map_err(unreachable)
    }
}
