//! The practice org as a SAML service provider: SP metadata and certificate downloads,
//! SP-initiated login (signed AuthnRequest, HTTP-Redirect), and the ACS at the root with
//! `?so=<org id>`, which records every attempt in the login history.

pub mod acs;
pub mod authn;
pub mod keys;
pub mod metadata;
pub mod xml;

use crate::org::{LoginAttempt, Org, SsoSettings};
use crate::pages::{escape, page};
use crate::SharedSim;
use axum::extract::{Form, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

/// The SP entity ID in My Domain style.
pub fn entity_id(org: &Org) -> String {
    format!("https://{}", org.my_domain())
}

/// The ACS (Salesforce's "Login URL") of the first SSO configuration: the org's root with
/// `?so=<org id>`.
pub fn acs_url(base_url: &str, org: &Org) -> String {
    format!("{base_url}/?so={}", org.org_id)
}

/// The Login URL of one SSO configuration: the first one's, or `&sc=<id>` for a later one.
pub fn config_acs_url(base_url: &str, org: &Org, config: &SsoSettings) -> String {
    if config.id.is_empty() {
        acs_url(base_url, org)
    } else {
        format!("{}&sc={}", acs_url(base_url, org), config.id)
    }
}

/// Which SSO configuration a request names (`sc`); without it, the first one.
#[derive(Deserialize, Default)]
pub struct ConfigQuery {
    pub sc: Option<String>,
}

/// The answer when `sc` names no configuration: 400 in the login flow, 404 on a setup page.
pub fn unknown_config(sc: Option<&str>, status: StatusCode) -> Response {
    (
        status,
        page(
            "Single Sign-On",
            &format!(
                "<p class=\"error\">Configuration Error: this org has no SAML Single Sign-On configuration {:?}. See <a href=\"/lightning/setup/SingleSignOn/home\">Single Sign-On Settings</a>.</p>",
                escape(sc.unwrap_or(""))
            ),
        ),
    )
        .into_response()
}

fn download(body: String, content_type: &'static str, filename: &str) -> Response {
    let mut res = body.into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

fn missing_keys() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        page(
            "Error",
            "<p class=\"error\">The practice org has no SAML certificate.</p>",
        ),
    )
        .into_response()
}

async fn sp_metadata(State(sim): State<SharedSim>, Query(q): Query<ConfigQuery>) -> Response {
    let org = sim.org();
    let Some(keys) = &org.sp_keys else {
        return missing_keys();
    };
    let Some(config) = org.sso_config(q.sc.as_deref()) else {
        return unknown_config(q.sc.as_deref(), StatusCode::BAD_REQUEST);
    };
    let valid_until = (chrono::Utc::now() + chrono::Duration::days(365))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let xml = metadata::sp_metadata(
        &entity_id(&org),
        &config_acs_url(&sim.base_url, &org, config),
        keys,
        &valid_until,
    );
    download(
        xml,
        "application/samlmetadata+xml",
        &format!("SAMLSP-{}.xml", org.org_id),
    )
}

async fn sp_certificate(State(sim): State<SharedSim>) -> Response {
    let org = sim.org();
    let Some(keys) = &org.sp_keys else {
        return missing_keys();
    };
    download(
        keys.cert_pem.clone(),
        "application/x-x509-ca-cert",
        "SelfSignedCert_practice.crt",
    )
}

#[derive(Deserialize)]
struct StartQuery {
    #[serde(rename = "RelayState")]
    relay_state: Option<String>,
    sc: Option<String>,
}

/// SP-initiated login: redirect to the IdP with a signed AuthnRequest.
async fn start_login(State(sim): State<SharedSim>, Query(q): Query<StartQuery>) -> Response {
    let mut org = sim.org();
    let Some(config) = org.sso_config(q.sc.as_deref()).cloned() else {
        return unknown_config(q.sc.as_deref(), StatusCode::BAD_REQUEST);
    };
    let idp = config.idp_login_url.clone();
    if !config.enabled || idp.is_empty() {
        return (
            StatusCode::BAD_REQUEST,
            page("Single Sign-On", "<p class=\"error\">Configuration Error: fill in the Identity Provider Login URL in <a href=\"/lightning/setup/SingleSignOn/home\">Single Sign-On Settings</a> and enable SAML.</p>"),
        )
            .into_response();
    }
    let Some(keys) = org.sp_keys.clone() else {
        return missing_keys();
    };
    let id = authn::request_id();
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let xml = authn::authn_request_xml(
        &id,
        &now,
        &idp,
        &config_acs_url(&sim.base_url, &org, &config),
        &entity_id(&org),
    );
    match authn::signed_redirect(&idp, &xml, q.relay_state.as_deref().unwrap_or(""), &keys) {
        Ok(url) => {
            org.pending_requests.insert(id, now);
            Redirect::to(&url).into_response()
        }
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            page("Error", &format!("<p class=\"error\">{}</p>", escape(&e))),
        )
            .into_response(),
    }
}

#[derive(Deserialize)]
struct AcsQuery {
    so: Option<String>,
    sc: Option<String>,
}

#[derive(Deserialize)]
struct AcsForm {
    #[serde(rename = "SAMLResponse")]
    saml_response: Option<String>,
    #[serde(rename = "RelayState")]
    relay_state: Option<String>,
}

async fn consume(
    State(sim): State<SharedSim>,
    Query(q): Query<AcsQuery>,
    Form(f): Form<AcsForm>,
) -> Response {
    let mut org = sim.org();
    if q.so.as_deref() != Some(org.org_id.as_str()) {
        return (StatusCode::BAD_REQUEST, page("Login", "<p class=\"error\">Configuration Error: the login URL must carry ?so= with this org's id.</p>")).into_response();
    }
    let Some(config) = org.sso_config(q.sc.as_deref()).cloned() else {
        return unknown_config(q.sc.as_deref(), StatusCode::BAD_REQUEST);
    };
    let acs = config_acs_url(&sim.base_url, &org, &config);
    let entity = entity_id(&org);
    let saml_response = f.saml_response.unwrap_or_default();
    let outcome = acs::validate(
        &mut org,
        &acs::Acs {
            sso: &config,
            entity_id: &entity,
            acs_url: &acs,
            now: chrono::Utc::now(),
        },
        &saml_response,
    );
    let login_type = if saml_response.is_empty() || org.pending_requests.is_empty() {
        "SAML Idp Initiated SSO"
    } else {
        "SAML SSO"
    };
    let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let relay = f.relay_state.unwrap_or_default();
    match outcome {
        acs::Outcome::Success {
            username,
            display_name,
        } => {
            org.login_history.push(LoginAttempt {
                at,
                username: username.clone(),
                status: "Success".into(),
                login_type: login_type.into(),
                detail: String::new(),
            });
            let relay_line = if relay.is_empty() {
                String::new()
            } else {
                format!("<p>RelayState: <code>{}</code></p>", escape(&relay))
            };
            page(
                "Logged in",
                &format!("<h1 id=\"login-result\" class=\"ok\">Logged in as {}</h1><p>{}</p>{relay_line}", escape(&username), escape(&display_name)),
            )
            .into_response()
        }
        acs::Outcome::Failure {
            reason,
            detail,
            username,
        } => {
            org.login_history.push(LoginAttempt {
                at,
                username,
                status: format!("Failed: {reason}"),
                login_type: login_type.into(),
                detail: detail.clone(),
            });
            (
                StatusCode::FORBIDDEN,
                page(
                    "Login failed",
                    &format!("<h1 id=\"login-result\" class=\"error\">Login failed: {}</h1><p>{}</p><p>See <a href=\"/lightning/setup/OrgLoginHistory/home\">Login History</a>.</p>", escape(reason), escape(&detail)),
                ),
            )
                .into_response()
        }
    }
}

async fn login_page(State(sim): State<SharedSim>) -> Response {
    let org = sim.org();
    // One button per enabled configuration, as Authentication Configuration lists them.
    let sso: String = org
        .sso_configs()
        .filter(|c| c.enabled && !c.idp_login_url.is_empty())
        .map(|c| {
            let (id, href) = if c.id.is_empty() {
                ("sso-login".to_owned(), "/saml/login".to_owned())
            } else {
                (
                    format!("sso-login-{}", c.id),
                    format!("/saml/login?sc={}", c.id),
                )
            };
            format!(
                "<p><a class=\"primary\" id=\"{id}\" href=\"{href}\">Log In with {}</a></p>",
                escape(c.label())
            )
        })
        .collect();
    let sso = if sso.is_empty() {
        "<p class=\"muted\">No identity provider is set up for this org yet.</p>".into()
    } else {
        sso
    };
    page(
        "Login",
        &format!("<h1>Log in to {}</h1>{sso}", escape(&org.my_domain())),
    )
    .into_response()
}

pub fn router() -> Router<SharedSim> {
    Router::new()
        .route("/", post(consume))
        .route("/login", get(login_page))
        .route("/saml/login", get(start_login))
        .route("/_sim/saml/metadata", get(sp_metadata))
        .route("/_sim/saml/certificate", get(sp_certificate))
}
