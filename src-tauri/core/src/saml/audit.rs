//! The public SAML operations: each runs its attempt and records a named event with the outcome
//! (shown on the Events page and by `lanyard events`).

use super::keys::KeyRequest;
use super::service::{IdpCertView, SignedResponse, SpView};
use super::settings::SamlSettings;
use crate::{ApiError, Core};

fn statuses(certs: &[IdpCertView]) -> String {
    certs
        .iter()
        .filter(|c| c.status != "retired")
        .map(|c| {
            format!(
                "{} {}…",
                c.status,
                &c.info.sha256[..c.info.sha256.len().min(12)]
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl Core {
    pub async fn set_sp_metadata(
        &self,
        app: &str,
        bytes: &[u8],
        entity: Option<&str>,
    ) -> Result<SpView, ApiError> {
        let r = self.set_sp_metadata_attempt(app, bytes, entity).await;
        self.saml_event(
            app,
            crate::events::EventName::SamlSpMetadataSaved,
            &r,
            |v| format!("entity ID {}, ACS {}", v.config.entity_id, v.config.acs_url),
        )
        .await;
        r
    }

    pub async fn set_sp_manual(
        &self,
        app: &str,
        entity_id: &str,
        acs_url: &str,
        cert: Option<&[u8]>,
    ) -> Result<SpView, ApiError> {
        let r = self
            .set_sp_manual_attempt(app, entity_id, acs_url, cert)
            .await;
        self.saml_event(
            app,
            crate::events::EventName::SamlSpSettingsEntered,
            &r,
            |v| format!("entity ID {}, ACS {}", v.config.entity_id, v.config.acs_url),
        )
        .await;
        r
    }

    pub async fn import_sp_certificate(&self, app: &str, bytes: &[u8]) -> Result<SpView, ApiError> {
        let r = self.import_sp_certificate_attempt(app, bytes).await;
        self.saml_event(
            app,
            crate::events::EventName::SamlSpCertificateImported,
            &r,
            |v| format!("{} Salesforce certificate(s) on file", v.certificates.len()),
        )
        .await;
        r
    }

    pub async fn idp_rotate(
        &self,
        app: &str,
        activate: bool,
        request: Option<KeyRequest>,
    ) -> Result<Vec<IdpCertView>, ApiError> {
        let r = self.idp_rotate_attempt(app, activate, request).await;
        let name = if activate {
            crate::events::EventName::SamlIdpCertificateActivated
        } else {
            crate::events::EventName::SamlIdpKeyCreated
        };
        self.saml_event(app, name, &r, |v| statuses(v)).await;
        r
    }

    /// Binds the next certificate to a Salesforce configuration's Login URL (None: unbinds).
    pub async fn idp_bind_next(
        &self,
        app: &str,
        acs_url: Option<&str>,
    ) -> Result<Vec<IdpCertView>, ApiError> {
        let r = self.idp_bind_next_attempt(app, acs_url).await;
        self.saml_event(
            app,
            crate::events::EventName::SamlIdpCertificateBound,
            &r,
            |_| match acs_url {
                Some(url) if !url.trim().is_empty() => {
                    format!("next certificate signs for {}", url.trim())
                }
                _ => "next certificate signs for the SP metadata's ACS".to_owned(),
            },
        )
        .await;
        r
    }

    pub async fn idp_retire(&self, app: &str) -> Result<Vec<IdpCertView>, ApiError> {
        let r = self.idp_retire_attempt(app).await;
        self.saml_event(
            app,
            crate::events::EventName::SamlIdpCertificateRetired,
            &r,
            |v| statuses(v),
        )
        .await;
        r
    }

    pub async fn set_saml_settings(
        &self,
        app: &str,
        settings: SamlSettings,
    ) -> Result<SamlSettings, ApiError> {
        let r = self.set_saml_settings_attempt(app, settings).await;
        self.saml_event(app, crate::events::EventName::SamlSettingsSaved, &r, |s| {
            let on = s.attributes.iter().filter(|a| a.enabled).count();
            format!(
                "lifetime {} s, sign {:?}, {on} attribute(s) on",
                s.response.lifetime_secs, s.response.sign
            )
        })
        .await;
        r
    }

    /// Signs a response for a user with the active certificate, to its Login URL; every attempt
    /// (including refusals) becomes an event.
    pub async fn saml_response(
        &self,
        app: &str,
        username: &str,
        in_response_to: Option<&str>,
    ) -> Result<SignedResponse, ApiError> {
        self.saml_response_to(app, username, in_response_to, None)
            .await
    }

    /// Signs a response to the Login URL a login request asked for (`requested_acs`), with the
    /// certificate the Salesforce configuration behind it trusts (see `binding`).
    pub async fn saml_response_to(
        &self,
        app: &str,
        username: &str,
        in_response_to: Option<&str>,
        requested_acs: Option<&str>,
    ) -> Result<SignedResponse, ApiError> {
        let r = self
            .saml_response_attempt(app, username, in_response_to, requested_acs)
            .await;
        let flow = if in_response_to.is_some() {
            "SP-initiated"
        } else {
            "IdP-initiated"
        };
        let r2 = r
            .as_ref()
            .map(|_| ())
            .map_err(|e| ApiError::new(e.code, format!("{username}: {}", e.message)));
        self.saml_event(
            app,
            crate::events::EventName::SamlResponseSigned,
            &r2,
            |_| format!("{flow} response for {username}"),
        )
        .await;
        r
    }
}
