//! The SAML operations both faces call: SP configuration from metadata or by hand, the Salesforce
//! certificate, IdP keys with rollover, IdP metadata and signed responses.

use super::cert::{der_from_file, inspect_der, pem_from_der, sha256_hex, CertInfo};
use super::error::SamlError;
use super::idp_metadata::{self, IdpMetadata};
use super::keys::{self, KeyRequest};
use super::metadata::{parse_sp_metadata, AcsEndpoint, Expectation, SpMetadata, HTTP_POST};
use super::response::{self, ResponseInput, ResponseSettings};
use super::store::{self, IdpCertRow, SpConfig};
use crate::apps::{self, Application, Environment};
use crate::error::{ApiError, HasCode};
use crate::secrets::{SecretKey, Sensitive};
use crate::Core;
use serde::Serialize;
use std::sync::Arc;

/// The SP side as stored, with Salesforce's certificates.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SpView {
    pub config: SpConfig,
    pub certificates: Vec<CertInfo>,
    pub warnings: Vec<String>,
}

/// One IdP certificate, with its expiry warning (60, 30 and 10 days ahead).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct IdpCertView {
    pub id: String,
    pub status: String,
    pub info: CertInfo,
    pub warning: Option<String>,
    /// The Login URL of the Salesforce configuration that trusts it; None: the SP's ACS.
    pub acs_url: Option<String>,
    /// The certificate (PEM, public) to upload to Salesforce.
    pub cert_pem: String,
}

fn api(e: SamlError) -> ApiError {
    e.to_api()
}

/// The IdP's entity ID for an application (stable: names never change).
pub fn idp_entity_id(app: &Application) -> String {
    format!("urn:lanyard:idp:{}", app.name)
}

fn key_account(app: &Application, cert_id: &str) -> SecretKey {
    crate::secrets::SecretName::IdpKey {
        app_id: &app.id,
        cert_id,
    }
    .key()
}

fn expectation(app: &Application) -> Expectation {
    Expectation {
        environment: app.environment,
        login_url: app.login_url.clone(),
    }
}

/// The ACS Lanyard posts to: the default HTTP-POST endpoint, else the lowest index.
fn pick_acs(acs: &[AcsEndpoint]) -> Option<&AcsEndpoint> {
    let post: Vec<&AcsEndpoint> = acs.iter().filter(|a| a.binding == HTTP_POST).collect();
    post.iter()
        .find(|a| a.is_default)
        .or_else(|| post.iter().min_by_key(|a| a.index.unwrap_or(u32::MAX)))
        .copied()
}

fn url_ok(url: &str, env: Environment) -> bool {
    let rest = url.strip_prefix("https://").or_else(|| {
        (env == Environment::Practice)
            .then(|| url.strip_prefix("http://"))
            .flatten()
    });
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/') && !url.contains(char::is_whitespace))
}

impl Core {
    /// Records a named SAML event for an application.
    pub(crate) async fn saml_event<T>(
        &self,
        app: &str,
        name: crate::events::EventName,
        result: &Result<T, ApiError>,
        ok_detail: impl FnOnce(&T) -> String,
    ) {
        let (ok, detail) = match result {
            Ok(v) => (true, ok_detail(v)),
            Err(e) => (false, e.message.clone()),
        };
        crate::events::record(
            self.store.pool(),
            self.clock.now(),
            Some(app),
            name,
            ok,
            &detail,
        )
        .await;
    }

    async fn app(&self, name: &str) -> Result<Application, SamlError> {
        Ok(apps::get(self.store.pool(), name).await?)
    }

    async fn secret<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn crate::secrets::SecretStore) -> Result<T, crate::secrets::SecretError>
            + Send
            + 'static,
    ) -> Result<T, SamlError> {
        let secrets = Arc::clone(&self.secrets);
        tokio::task::spawn_blocking(move || f(secrets.as_ref()))
            .await
            .map_err(|e| {
                SamlError::Response(response::ResponseError::Key(format!(
                    "keyring task failed: {e}"
                )))
            })?
            .map_err(SamlError::from)
    }

    /// Reads SP metadata without saving anything. With `app`, adds the Salesforce checks for it.
    pub async fn inspect_metadata(
        &self,
        bytes: &[u8],
        entity: Option<&str>,
        app: Option<&str>,
    ) -> Result<SpMetadata, ApiError> {
        let expect = match app {
            Some(name) => Some(expectation(&self.app(name).await.map_err(api)?)),
            None => None,
        };
        parse_sp_metadata(bytes, entity, self.clock.now(), expect.as_ref())
            .map_err(|e| api(e.into()))
    }

    /// Saves the SP side from metadata. On any refusal nothing saved before is touched.
    pub(crate) async fn set_sp_metadata_attempt(
        &self,
        app: &str,
        bytes: &[u8],
        entity: Option<&str>,
    ) -> Result<SpView, ApiError> {
        let app = self.app(app).await.map_err(api)?;
        let now = self.clock.now();
        let meta = parse_sp_metadata(bytes, entity, now, Some(&expectation(&app)))
            .map_err(|e| api(e.into()))?;
        let acs = pick_acs(&meta.acs).ok_or_else(|| {
            api(SamlError::Invalid {
                field: "AssertionConsumerService",
                value: meta.entity_id.clone(),
                rule: "Salesforce needs an HTTP-POST ACS; this metadata has none",
            })
        })?;
        if let Some(rule) = super::metadata::acs_problem(&acs.location, &meta.entity_id) {
            return Err(api(SamlError::Invalid {
                field: "The metadata's AssertionConsumerService",
                value: acs.location.clone(),
                rule,
            }));
        }
        let config = SpConfig {
            entity_id: meta.entity_id.clone(),
            acs_url: acs.location.clone(),
            acs_binding: acs.binding.clone(),
            authn_requests_signed: meta.authn_requests_signed,
            want_assertions_signed: meta.want_assertions_signed,
            source: "metadata".into(),
            valid_until: meta.valid_until.clone(),
            updated_at: now,
        };
        let mut certs = Vec::new();
        for (info, der) in meta.signing_certs.iter().zip(&meta.signing_certs_der) {
            certs.push((info.clone(), pem_from_der(der).map_err(|e| api(e.into()))?));
        }
        let mut tx = self.store.pool().begin().await.map_err(|e| api(e.into()))?;
        store::replace_sp_config(&mut tx, &app.id, &config, &certs)
            .await
            .map_err(|e| api(e.into()))?;
        tx.commit().await.map_err(|e| api(e.into()))?;
        let mut view = self.sp_view(&app).await.map_err(api)?;
        view.warnings = meta.warnings;
        Ok(view)
    }

    /// Saves the SP side from values typed in by hand.
    pub(crate) async fn set_sp_manual_attempt(
        &self,
        app: &str,
        entity_id: &str,
        acs_url: &str,
        cert: Option<&[u8]>,
    ) -> Result<SpView, ApiError> {
        let app = self.app(app).await.map_err(api)?;
        let entity_id = entity_id.trim();
        let acs_url = acs_url.trim();
        if entity_id.is_empty() || entity_id.len() > 1024 {
            return Err(api(SamlError::Invalid {
                field: "SP entity ID",
                value: entity_id.into(),
                rule: "give Salesforce's entity ID, e.g. https://NAME.my.salesforce.com",
            }));
        }
        if !url_ok(acs_url, app.environment) {
            return Err(api(SamlError::Invalid { field: "ACS URL", value: acs_url.into(), rule: "use Salesforce's Login URL, an https:// address such as https://NAME.my.salesforce.com?so=00D…" }));
        }
        if let Some(rule) = super::metadata::acs_problem(acs_url, entity_id) {
            return Err(api(SamlError::Invalid {
                field: "ACS URL",
                value: acs_url.into(),
                rule,
            }));
        }
        let now = self.clock.now();
        let mut certs = Vec::new();
        if let Some(bytes) = cert {
            let der = der_from_file(bytes).map_err(|e| api(e.into()))?;
            let info =
                inspect_der(&der, "the Salesforce certificate", now).map_err(|e| api(e.into()))?;
            certs.push((info, pem_from_der(&der).map_err(|e| api(e.into()))?));
        }
        let config = SpConfig {
            entity_id: entity_id.into(),
            acs_url: acs_url.into(),
            acs_binding: HTTP_POST.into(),
            authn_requests_signed: !certs.is_empty(),
            want_assertions_signed: true,
            source: "manual".into(),
            valid_until: None,
            updated_at: now,
        };
        let mut tx = self.store.pool().begin().await.map_err(|e| api(e.into()))?;
        store::replace_sp_config(&mut tx, &app.id, &config, &certs)
            .await
            .map_err(|e| api(e.into()))?;
        tx.commit().await.map_err(|e| api(e.into()))?;
        self.sp_view(&app).await.map_err(api)
    }

    /// Imports Salesforce's certificate file (.crt/.pem/.cer, PEM or DER), cross-checked against
    /// the metadata's signing certificate when there is one.
    pub(crate) async fn import_sp_certificate_attempt(
        &self,
        app: &str,
        bytes: &[u8],
    ) -> Result<SpView, ApiError> {
        let app = self.app(app).await.map_err(api)?;
        let existing = store::sp_certs(self.store.pool(), &app.id)
            .await
            .map_err(|e| api(e.into()))?;
        let config = store::sp_config(self.store.pool(), &app.id)
            .await
            .map_err(|e| api(e.into()))?;
        if config.is_none() {
            return Err(api(SamlError::NoSpConfig {
                app: app.name.clone(),
            }));
        }
        let der = der_from_file(bytes).map_err(|e| api(e.into()))?;
        let info = inspect_der(&der, "the Salesforce certificate", self.clock.now())
            .map_err(|e| api(e.into()))?;
        let from_metadata = config.as_ref().is_some_and(|c| c.source == "metadata");
        if from_metadata
            && !existing.is_empty()
            && !existing.iter().any(|c| c.sha256 == info.sha256)
        {
            return Err(api(SamlError::CertMismatch {
                metadata: existing[0].sha256.clone(),
                file: info.sha256,
            }));
        }
        let pem = pem_from_der(&der).map_err(|e| api(e.into()))?;
        let mut conn = self
            .store
            .pool()
            .acquire()
            .await
            .map_err(|e| api(e.into()))?;
        store::add_sp_cert(&mut conn, &app.id, &info, &pem)
            .await
            .map_err(|e| api(e.into()))?;
        drop(conn);
        self.sp_view(&app).await.map_err(api)
    }

    async fn sp_view(&self, app: &Application) -> Result<SpView, SamlError> {
        let config = store::sp_config(self.store.pool(), &app.id)
            .await?
            .ok_or_else(|| SamlError::NoSpConfig {
                app: app.name.clone(),
            })?;
        let now = self.clock.now();
        let mut certificates = Vec::new();
        for row in store::sp_certs(self.store.pool(), &app.id).await? {
            let der = der_from_file(row.cert_pem.as_bytes())?;
            certificates.push(inspect_der(&der, "stored Salesforce certificate", now)?);
        }
        Ok(SpView {
            config,
            certificates,
            warnings: Vec::new(),
        })
    }

    pub async fn sp_config(&self, app: &str) -> Result<SpView, ApiError> {
        let app = self.app(app).await.map_err(api)?;
        self.sp_view(&app).await.map_err(api)
    }

    /// The IdP certificates of an application, active first, with expiry warnings.
    pub async fn idp_certificates(&self, app: &str) -> Result<Vec<IdpCertView>, ApiError> {
        let app = self.app(app).await.map_err(api)?;
        self.idp_views(&app).await.map_err(api)
    }

    async fn idp_views(&self, app: &Application) -> Result<Vec<IdpCertView>, SamlError> {
        let now = self.clock.now();
        let mut out = Vec::new();
        for row in store::idp_certs(self.store.pool(), &app.id).await? {
            let der = der_from_file(row.cert_pem.as_bytes())?;
            let info = inspect_der(&der, "IdP certificate", now)?;
            let warning = (row.status == "active" || row.status == "next")
                .then(|| expiry_warning(&info))
                .flatten();
            out.push(IdpCertView {
                id: row.id,
                status: row.status,
                info,
                warning,
                acs_url: row.acs_url,
                cert_pem: row.cert_pem,
            });
        }
        Ok(out)
    }

    /// Rollover. Without `activate`: the first key becomes active at once; later ones wait as
    /// "next" (published in the metadata next to the active one). With `activate`: next becomes
    /// active and the old active stays published as "previous" until retired.
    pub(crate) async fn idp_rotate_attempt(
        &self,
        app: &str,
        activate: bool,
        request: Option<KeyRequest>,
    ) -> Result<Vec<IdpCertView>, ApiError> {
        let app = self.app(app).await.map_err(api)?;
        let now = self.clock.now();
        let rows = store::idp_certs(self.store.pool(), &app.id)
            .await
            .map_err(|e| api(e.into()))?;
        let has_active = rows.iter().any(|r| r.status == "active");
        let has_next = rows.iter().any(|r| r.status == "next");
        if activate {
            if !store::activate_next(self.store.pool(), &app.id, now)
                .await
                .map_err(|e| api(e.into()))?
            {
                return Err(api(SamlError::NothingToActivate {
                    app: app.name.clone(),
                }));
            }
            return self.idp_views(&app).await.map_err(api);
        }
        if has_next {
            return Err(api(SamlError::NextExists {
                app: app.name.clone(),
            }));
        }
        let req = request.unwrap_or_else(|| KeyRequest {
            bits: 2048,
            common_name: format!("Lanyard IdP ({})", app.name),
            organization: None,
            valid_days: 730,
        });
        let made = keys::generate(&req, now).map_err(|e| api(e.into()))?;
        let cert_der = made.cert_der().map_err(|e| api(e.into()))?;
        let info = inspect_der(&cert_der, "new IdP certificate", now).map_err(|e| api(e.into()))?;
        let id = uuid::Uuid::new_v4().to_string();
        let key_pem = made.key_pem().map_err(|e| api(e.into()))?;
        let account = key_account(&app, &id);
        // The key goes to the keyring first: a certificate is never recorded without its key.
        self.secret(move |s| s.set(&account, &Sensitive::new(key_pem)))
            .await
            .map_err(api)?;
        let row = IdpCertRow {
            id,
            status: if has_active { "next" } else { "active" }.into(),
            cert_pem: made.cert_pem().map_err(|e| api(e.into()))?,
            sha256: info.sha256.clone(),
            subject: info.subject.clone(),
            key_bits: i64::from(req.bits),
            not_before: info.not_before,
            not_after: info.not_after,
            created_at: now,
            activated_at: (!has_active).then_some(now),
            retired_at: None,
            acs_url: None,
        };
        store::insert_idp_cert(self.store.pool(), &app.id, &row)
            .await
            .map_err(|e| api(e.into()))?;
        self.idp_views(&app).await.map_err(api)
    }

    /// Binds the next certificate to the Login URL of the Salesforce single sign-on configuration
    /// that trusts it (see `binding`); `None` unbinds it (it signs for the SP's ACS again).
    pub(crate) async fn idp_bind_next_attempt(
        &self,
        app: &str,
        acs_url: Option<&str>,
    ) -> Result<Vec<IdpCertView>, ApiError> {
        let app = self.app(app).await.map_err(api)?;
        let rows = store::idp_certs(self.store.pool(), &app.id)
            .await
            .map_err(|e| api(e.into()))?;
        if !rows.iter().any(|r| r.status == "next") {
            return Err(api(SamlError::NoNextToBind {
                app: app.name.clone(),
            }));
        }
        let acs_url = acs_url.map(str::trim).filter(|u| !u.is_empty());
        let mut bound = None;
        if let Some(url) = acs_url {
            let sp = self.sp_view(&app).await.map_err(api)?.config;
            let bad = |why: String| {
                api(SamlError::BadLoginUrl {
                    value: url.into(),
                    why,
                })
            };
            if !url_ok(url, app.environment) {
                return Err(bad("use Salesforce's Login URL, an https:// address".into()));
            }
            if let Some(why) = super::binding::login_url_problem(url, &sp.acs_url) {
                return Err(bad(why));
            }
            if let Some(active) = rows.iter().find(|r| r.status == "active") {
                if super::binding::same(super::binding::effective_acs(active, &sp.acs_url), url) {
                    return Err(bad("the active certificate already signs for it, and Salesforce trusts one certificate per configuration: bind the next certificate to a second configuration".into()));
                }
            }
            // Stored even when it is the SP's own ACS: a next certificate signs only once bound.
            bound = Some(super::binding::normalized(url));
        }
        store::bind_next(self.store.pool(), &app.id, bound.as_deref())
            .await
            .map_err(|e| api(e.into()))?;
        self.idp_views(&app).await.map_err(api)
    }

    /// Stops publishing the previous certificate and deletes its key.
    pub(crate) async fn idp_retire_attempt(&self, app: &str) -> Result<Vec<IdpCertView>, ApiError> {
        let app = self.app(app).await.map_err(api)?;
        let ids = store::retire_previous(self.store.pool(), &app.id, self.clock.now())
            .await
            .map_err(|e| api(e.into()))?;
        for id in ids {
            let account = key_account(&app, &id);
            self.secret(move |s| s.delete(&account))
                .await
                .map_err(api)?;
        }
        self.idp_views(&app).await.map_err(api)
    }

    /// certificate.pem of the active IdP certificate.
    pub async fn idp_certificate_pem(&self, app: &str) -> Result<String, ApiError> {
        let app = self.app(app).await.map_err(api)?;
        let rows = store::idp_certs(self.store.pool(), &app.id)
            .await
            .map_err(|e| api(e.into()))?;
        rows.into_iter()
            .find(|r| r.status == "active")
            .map(|r| r.cert_pem)
            .ok_or_else(|| {
                api(SamlError::NoActiveKey {
                    app: app.name.clone(),
                })
            })
    }

    /// IdP metadata publishing every non-retired certificate, active first.
    pub async fn idp_metadata(&self, app: &str, sso_url: &str) -> Result<String, ApiError> {
        let app = self.app(app).await.map_err(api)?;
        let rows = store::idp_certs(self.store.pool(), &app.id)
            .await
            .map_err(|e| api(e.into()))?;
        if !rows.iter().any(|r| r.status == "active") {
            return Err(api(SamlError::NoActiveKey {
                app: app.name.clone(),
            }));
        }
        let mut certs = Vec::new();
        for r in rows.iter().filter(|r| r.status != "retired") {
            use base64::Engine;
            let der = der_from_file(r.cert_pem.as_bytes()).map_err(|e| api(e.into()))?;
            certs.push(base64::engine::general_purpose::STANDARD.encode(der));
        }
        let settings = self.response_settings(&app).await.map_err(api)?;
        Ok(idp_metadata::render(&IdpMetadata {
            entity_id: &idp_entity_id(&app),
            sso_url,
            certs_b64: &certs,
            name_id_format: settings.name_id_format.uri(),
        }))
    }

    async fn response_settings(&self, app: &Application) -> Result<ResponseSettings, SamlError> {
        Ok(super::settings::load(self.store.pool(), &app.id)
            .await?
            .response)
    }

    pub async fn saml_settings(
        &self,
        app: &str,
    ) -> Result<super::settings::SamlSettings, ApiError> {
        let app = self.app(app).await.map_err(api)?;
        super::settings::load(self.store.pool(), &app.id)
            .await
            .map_err(|e| api(e.into()))
    }

    /// Saves response settings and attributes; refused as a whole when any part is invalid.
    pub(crate) async fn set_saml_settings_attempt(
        &self,
        app: &str,
        settings: super::settings::SamlSettings,
    ) -> Result<super::settings::SamlSettings, ApiError> {
        let app = self.app(app).await.map_err(api)?;
        super::settings::validate(&settings)
            .map_err(|e| ApiError::new(crate::ErrorCode::InvalidInput, e.to_string()))?;
        super::settings::save(self.store.pool(), &app.id, &settings, self.clock.now())
            .await
            .map_err(|e| api(e.into()))?;
        super::settings::load(self.store.pool(), &app.id)
            .await
            .map_err(|e| api(e.into()))
    }

    /// A signed SAMLResponse for `username` (the user's Salesforce username), base64-encoded as an
    /// ACS form posts it, plus the ACS URL to post it to.
    pub(crate) async fn saml_response_attempt(
        &self,
        app: &str,
        username: &str,
        in_response_to: Option<&str>,
        requested_acs: Option<&str>,
    ) -> Result<SignedResponse, ApiError> {
        let app = self.app(app).await.map_err(api)?;
        if !app.sso_enabled {
            return Err(api(SamlError::SsoDeactivated {
                app: app.name.clone(),
            }));
        }
        let username = username.trim();
        if !crate::saml::looks_like_username(username) {
            return Err(api(SamlError::Invalid {
                field: "username",
                value: username.into(),
                rule: "a Salesforce username looks like an email address (name@domain.tld)",
            }));
        }
        let authorized = super::authorized::authorized_user(self.store.pool(), &app.id, username)
            .await
            .map_err(|e| api(e.into()))?;
        let Some(user) = authorized else {
            return Err(api(SamlError::NotAuthorized {
                user: username.into(),
                app: app.name.clone(),
            }));
        };
        let sp = self.sp_view(&app).await.map_err(api)?;
        let rows = store::idp_certs(self.store.pool(), &app.id)
            .await
            .map_err(|e| api(e.into()))?;
        let (signer, acs_url) = super::binding::pick(&rows, &sp.config.acs_url, requested_acs)
            .map_err(|e| match e {
                super::binding::PickError::NoActive => api(SamlError::NoActiveKey {
                    app: app.name.clone(),
                }),
                super::binding::PickError::UnknownAcs { requested, known } => {
                    api(SamlError::UnknownAcs {
                        requested,
                        known: known.join(", "),
                    })
                }
            })?;
        let account = key_account(&app, &signer.id);
        let key = self
            .secret(move |s| s.get(&account))
            .await
            .map_err(api)?
            .ok_or_else(|| {
                api(SamlError::KeyMissing {
                    app: app.name.clone(),
                })
            })?;
        let cert_der = der_from_file(signer.cert_pem.as_bytes()).map_err(|e| api(e.into()))?;
        let all = super::settings::load(self.store.pool(), &app.id)
            .await
            .map_err(|e| api(e.into()))?;
        let attributes: Vec<(String, String)> = all
            .attributes
            .iter()
            .filter(|a| a.enabled)
            .filter_map(|a| {
                let value = if a.source == "constant" {
                    a.constant.clone()
                } else {
                    user.field(&a.source).map(str::to_owned)
                };
                value.map(|v| (a.name.clone(), v))
            })
            .collect();
        let settings = all.response;
        let input = ResponseInput {
            idp_entity_id: &idp_entity_id(&app),
            acs_url: &acs_url,
            sp_entity_id: &sp.config.entity_id,
            name_id: &user.email,
            in_response_to,
            attributes: &attributes,
            now: self.clock.now(),
        };
        let xml = response::signed_response(&input, &settings, key.expose(), &cert_der)
            .map_err(|e| api(e.into()))?;
        use base64::Engine;
        Ok(SignedResponse {
            saml_response: base64::engine::general_purpose::STANDARD.encode(xml.as_bytes()),
            acs_url,
            xml,
            certificate_sha256: sha256_hex(&cert_der),
        })
    }
}

impl Core {
    /// Directory users who may sign in to the application (for the test-login picker).
    pub async fn authorized_users(
        &self,
        app: &str,
    ) -> Result<Vec<super::authorized::AuthorizedUser>, ApiError> {
        let app = self.app(app).await.map_err(api)?;
        super::authorized::authorized_users(self.store.pool(), &app.id)
            .await
            .map_err(|e| api(e.into()))
    }

    /// Decodes a pasted SAML message; with `app`, checks it against that application's settings.
    pub async fn decode_saml(
        &self,
        input: &str,
        app: Option<&str>,
    ) -> Result<super::decode::Decoded, ApiError> {
        let mut expected = super::decode::Expected::default();
        if let Some(name) = app {
            let app = self.app(name).await.map_err(api)?;
            expected.idp_entity_id = Some(idp_entity_id(&app));
            let rows = store::idp_certs(self.store.pool(), &app.id)
                .await
                .map_err(|e| api(e.into()))?;
            if let Some(sp) = store::sp_config(self.store.pool(), &app.id)
                .await
                .map_err(|e| api(e.into()))?
            {
                expected.acs_urls = super::binding::known_acs(&rows, &sp.acs_url);
                expected.sp_entity_id = Some(sp.entity_id);
            }
            for row in rows {
                if row.status != "retired" {
                    expected
                        .idp_certs_der
                        .push(der_from_file(row.cert_pem.as_bytes()).map_err(|e| api(e.into()))?);
                }
            }
        }
        super::decode::decode(input, &expected, self.clock.now())
            .map_err(|e| ApiError::new(crate::ErrorCode::InvalidInput, e.to_string()))
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SignedResponse {
    /// Base64 of the XML: the value of the SAMLResponse form field.
    pub saml_response: String,
    pub acs_url: String,
    pub xml: String,
    pub certificate_sha256: String,
}

fn expiry_warning(info: &CertInfo) -> Option<String> {
    let days = info.days_left;
    let level = [10, 30, 60].into_iter().find(|&l| days <= l)?;
    Some(if info.expired {
        "This certificate has expired: Salesforce refuses responses signed with it. Rotate now."
            .to_owned()
    } else {
        format!("This certificate expires in {days} days (within {level}): start a rollover.")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::saml::cert::KeyInfo;

    fn info(days_left: i32) -> CertInfo {
        let now = chrono::Utc::now();
        CertInfo {
            subject: "CN=x".into(),
            issuer: "CN=x".into(),
            serial: "01".into(),
            not_before: now,
            not_after: now + chrono::Duration::days(i64::from(days_left)),
            sha256: "00".into(),
            key: KeyInfo {
                kind: "RSA".into(),
                bits: 2048,
            },
            expired: days_left < 0,
            days_left,
        }
    }

    #[test]
    fn expiry_warnings_at_60_30_and_10_days() {
        assert_eq!(expiry_warning(&info(61)), None, "quiet before 60 days");
        for (days, level) in [
            (60, "within 60"),
            (31, "within 60"),
            (30, "within 30"),
            (11, "within 30"),
            (10, "within 10"),
            (1, "within 10"),
        ] {
            let w = expiry_warning(&info(days)).unwrap_or_default();
            assert!(w.contains(level), "{days} days: {w}");
        }
        assert!(expiry_warning(&info(-1))
            .unwrap_or_default()
            .contains("expired"));
    }
}
