//! Single Sign-On Settings of the practice org: the first SAML configuration, and more of them
//! the way Salesforce allows ("New" adds one with its own Login URL `?so=<org id>&sc=<id>`, its
//! own IdP certificate and issuer). A second configuration is how an IdP certificate is rolled
//! over without a gap: the IdP keeps posting to the old one until it switches to the new one.

use crate::org::SsoSettings;
use crate::pages::{cert_summary, escape, page};
use crate::saml::{config_acs_url, unknown_config, ConfigQuery};
use crate::SharedSim;
use axum::extract::{Form, Json, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

const HOME: &str = "/lightning/setup/SingleSignOn/home";

fn checked(on: bool) -> &'static str {
    if on {
        " checked"
    } else {
        ""
    }
}

fn edit_link(config: &SsoSettings) -> String {
    if config.id.is_empty() {
        HOME.to_owned()
    } else {
        format!("{HOME}?sc={}", config.id)
    }
}

fn display_name(config: &SsoSettings) -> &str {
    if !config.name.is_empty() {
        &config.name
    } else if config.id.is_empty() {
        "First configuration"
    } else {
        &config.id
    }
}

/// The table of every configuration with its Login URL and certificate.
fn config_list(sim: &SharedSim) -> String {
    let org = sim.org();
    let rows: String = org
        .sso_configs()
        .map(|c| {
            let cert = cert_summary(&c.idp_certificate_pem)
                .map(|(subject, expires, _)| format!("{} (expires {})", escape(&subject), escape(&expires)))
                .unwrap_or_else(|_| "none".into());
            let delete = if c.id.is_empty() {
                String::new()
            } else {
                format!(
                    "<form method=\"post\" action=\"/lightning/setup/SingleSignOn/delete\"><input type=\"hidden\" name=\"_csrf\" value=\"{csrf}\"><input type=\"hidden\" name=\"sc\" value=\"{id}\"><button type=\"submit\">Delete</button></form>",
                    id = escape(&c.id),
                    csrf = escape(sim.csrf_token()),
                )
            };
            format!(
                "<tr><td><a href=\"{edit}\">{name}</a></td><td>{on}</td><td><code>{acs}</code></td><td>{cert}</td><td>{delete}</td></tr>",
                edit = escape(&edit_link(c)),
                name = escape(display_name(c)),
                on = if c.enabled { "Enabled" } else { "Off" },
                acs = escape(&config_acs_url(&sim.base_url, &org, c)),
            )
        })
        .collect();
    format!(
        "<h2>SAML Single Sign-On Configurations</h2><table id=\"sso-configs\"><tr><th>Name</th><th>SAML</th>\
<th>Salesforce Login URL (ACS)</th><th>Identity Provider Certificate</th><th></th></tr>{rows}</table>\
<p><a href=\"/lightning/setup/SingleSignOn/new\">New configuration</a> (each configuration trusts one IdP certificate: \
add one with the IdP's next certificate to roll it over without a gap)</p>"
    )
}

/// The settings page for one configuration (`sc`), or the "new configuration" form.
fn sso_page(sim: &SharedSim, sc: Option<&str>, new: bool, error: Option<&str>) -> Response {
    let blank = SsoSettings {
        identity_type: "username".into(),
        ..SsoSettings::default()
    };
    let (s, action) = {
        let org = sim.org();
        if new {
            (blank, "/lightning/setup/SingleSignOn/new".to_owned())
        } else {
            match org.sso_config(sc) {
                Some(c) => (c.clone(), HOME.to_owned()),
                None => return unknown_config(sc, StatusCode::NOT_FOUND),
            }
        }
    };
    let org = sim.org();
    let error = error
        .map(|e| format!("<p class=\"error\" id=\"sso-error\">{}</p>", escape(e)))
        .unwrap_or_default();
    let cert = match cert_summary(&s.idp_certificate_pem) {
        Ok((subject, expires, _)) => format!(
            "<p>Uploaded: {} (expires {})</p>",
            escape(&subject),
            escape(&expires)
        ),
        Err(_) => String::new(),
    };
    let (title, acs) = if new {
        (
            "New SAML Single Sign-On Configuration".to_owned(),
            "given when saved".to_owned(),
        )
    } else {
        (
            format!("Single Sign-On Settings: {}", display_name(&s)),
            config_acs_url(&sim.base_url, &org, &s),
        )
    };
    let metadata = if s.id.is_empty() {
        "/_sim/saml/metadata".to_owned()
    } else {
        format!("/_sim/saml/metadata?sc={}", s.id)
    };
    let body = format!(
        "<h1>{title}</h1>{error}\
<table><tr><th>Entity ID</th><td><code>{entity}</code></td></tr>\
<tr><th>Salesforce Login URL (ACS)</th><td><code id=\"sso-acs\">{acs}</code></td></tr>\
<tr><th>Metadata</th><td><a href=\"{metadata}\">Download Metadata</a></td></tr>\
<tr><th>Login page</th><td><a href=\"/login\">/login</a></td></tr></table>\
<form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"_csrf\" value=\"{csrf}\"><input type=\"hidden\" name=\"sc\" value=\"{sc}\">\
<label for=\"name\">Name</label><input type=\"text\" id=\"name\" name=\"name\" value=\"{name}\">\
<label><input type=\"checkbox\" name=\"enabled\" value=\"on\"{en}> SAML Enabled</label>\
<label for=\"issuer\">Issuer</label><input type=\"text\" id=\"issuer\" name=\"issuer\" value=\"{issuer}\">\
<label for=\"login\">Identity Provider Login URL</label><input type=\"text\" id=\"login\" name=\"idp_login_url\" value=\"{login}\">\
<label for=\"cert\">Identity Provider Certificate (PEM)</label>{cert}<textarea id=\"cert\" name=\"idp_certificate_pem\" rows=\"6\">{pem}</textarea>\
<label for=\"idtype\">SAML Identity Type</label><select id=\"idtype\" name=\"identity_type\">\
<option value=\"username\"{u}>Assertion contains the User's Salesforce username</option>\
<option value=\"federation_id\"{f}>Assertion contains the Federation ID from the User object</option></select>\
<label><input type=\"checkbox\" name=\"jit_enabled\" value=\"on\"{jit}> User Provisioning Enabled (just-in-time)</label>\
<p>Service Provider Initiated Request Binding: <b>HTTP POST</b></p>\
<button class=\"primary\" type=\"submit\">Save</button></form>{list}",
        title = escape(&title),
        entity = escape(&crate::saml::entity_id(&org)),
        acs = escape(&acs),
        metadata = escape(&metadata),
        action = escape(&action),
        csrf = escape(sim.csrf_token()),
        sc = escape(&s.id),
        name = escape(&s.name),
        en = checked(s.enabled),
        issuer = escape(&s.issuer),
        login = escape(&s.idp_login_url),
        pem = escape(&s.idp_certificate_pem),
        u = if s.identity_type == "federation_id" { "" } else { " selected" },
        f = if s.identity_type == "federation_id" { " selected" } else { "" },
        jit = checked(s.jit_enabled),
        list = {
            drop(org);
            config_list(sim)
        },
    );
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    (status, page("Single Sign-On Settings", &body)).into_response()
}

async fn show(State(sim): State<SharedSim>, Query(q): Query<ConfigQuery>) -> Response {
    sso_page(&sim, q.sc.as_deref(), false, None)
}

async fn show_new(State(sim): State<SharedSim>) -> Response {
    sso_page(&sim, None, true, None)
}

#[derive(Deserialize)]
struct SsoForm {
    /// The page's CSRF token (see `guard`).
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    sc: String,
    #[serde(default)]
    name: String,
    enabled: Option<String>,
    issuer: String,
    idp_login_url: String,
    idp_certificate_pem: String,
    identity_type: String,
    jit_enabled: Option<String>,
}

const BAD_CERT: &str = "The Identity Provider Certificate is not a PEM certificate (-----BEGIN CERTIFICATE-----). Nothing was saved.";

fn certificate_ok(f: &SsoForm) -> bool {
    let pem = f.idp_certificate_pem.trim();
    pem.is_empty() || openssl::x509::X509::from_pem(pem.as_bytes()).is_ok()
}

fn apply(config: &mut SsoSettings, f: SsoForm) {
    config.name = f.name.trim().to_owned();
    config.enabled = f.enabled.is_some();
    config.issuer = f.issuer.trim().to_owned();
    config.idp_login_url = f.idp_login_url.trim().to_owned();
    config.idp_certificate_pem = f.idp_certificate_pem.trim().to_owned();
    config.identity_type = if f.identity_type == "federation_id" {
        "federation_id".into()
    } else {
        "username".into()
    };
    config.jit_enabled = f.jit_enabled.is_some();
}

async fn save(State(sim): State<SharedSim>, Form(f): Form<SsoForm>) -> Response {
    if !sim.csrf_ok(&f.csrf) {
        return crate::guard::csrf_refused();
    }
    let sc = (!f.sc.is_empty()).then(|| f.sc.clone());
    if !certificate_ok(&f) {
        // Nothing is saved: the admin fixes the certificate and saves again.
        return sso_page(&sim, sc.as_deref(), false, Some(BAD_CERT));
    }
    {
        let mut org = sim.org();
        let Some(config) = org.sso_config_mut(sc.as_deref()) else {
            return unknown_config(sc.as_deref(), StatusCode::NOT_FOUND);
        };
        apply(config, f);
    }
    match sc {
        Some(id) => Redirect::to(&format!("{HOME}?sc={id}")).into_response(),
        None => Redirect::to(HOME).into_response(),
    }
}

async fn create(State(sim): State<SharedSim>, Form(f): Form<SsoForm>) -> Response {
    if !sim.csrf_ok(&f.csrf) {
        return crate::guard::csrf_refused();
    }
    if !certificate_ok(&f) {
        return sso_page(&sim, None, true, Some(BAD_CERT));
    }
    if f.name.trim().is_empty() {
        return sso_page(
            &sim,
            None,
            true,
            Some("Name: give the configuration a name. Nothing was saved."),
        );
    }
    let id = {
        let mut org = sim.org();
        let mut config = SsoSettings {
            id: org.next_id("0LE"),
            ..SsoSettings::default()
        };
        apply(&mut config, f);
        let id = config.id.clone();
        org.sso_more.push(config);
        id
    };
    Redirect::to(&format!("{HOME}?sc={id}")).into_response()
}

#[derive(Deserialize)]
struct DeleteForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    sc: String,
}

async fn delete(State(sim): State<SharedSim>, Form(f): Form<DeleteForm>) -> Response {
    if !sim.csrf_ok(&f.csrf) {
        return crate::guard::csrf_refused();
    }
    let removed = {
        let mut org = sim.org();
        let before = org.sso_more.len();
        org.sso_more.retain(|c| c.id != f.sc);
        before != org.sso_more.len()
    };
    if removed {
        Redirect::to(HOME).into_response()
    } else {
        unknown_config(Some(&f.sc), StatusCode::NOT_FOUND)
    }
}

/// What an IdP fills in the first configuration in one step (`POST /_sim/saml/sso-settings`): the
/// same values an admin types in the form, as JSON. A web page cannot send it (a JSON body needs a
/// CORS preflight the org never answers, and the Host guard stands before it).
#[derive(Deserialize)]
struct SsoFill {
    #[serde(default)]
    name: String,
    issuer: String,
    idp_login_url: String,
    idp_certificate_pem: String,
}

#[derive(serde::Serialize)]
struct SsoFilled {
    /// The configuration's Salesforce Login URL (the ACS).
    login_url: String,
}

async fn fill(State(sim): State<SharedSim>, Json(f): Json<SsoFill>) -> Response {
    // The same values the form takes, checked and applied the same way.
    let form = SsoForm {
        csrf: String::new(),
        sc: String::new(),
        name: f.name,
        enabled: Some("on".into()),
        issuer: f.issuer,
        idp_login_url: f.idp_login_url,
        idp_certificate_pem: f.idp_certificate_pem,
        identity_type: "username".into(),
        jit_enabled: None,
    };
    if form.idp_certificate_pem.trim().is_empty() || !certificate_ok(&form) {
        return (StatusCode::BAD_REQUEST, BAD_CERT).into_response();
    }
    if form.issuer.trim().is_empty() || form.idp_login_url.trim().is_empty() {
        return (
            StatusCode::BAD_REQUEST,
            "Issuer and Identity Provider Login URL are required. Nothing was saved.",
        )
            .into_response();
    }
    let mut org = sim.org();
    apply(&mut org.sso, form);
    let login_url = config_acs_url(&sim.base_url, &org, &org.sso);
    Json(SsoFilled { login_url }).into_response()
}

/// The Authentication Configuration page: the login form and every enabled identity provider.
async fn auth_config(State(sim): State<SharedSim>) -> Html<String> {
    let org = sim.org();
    let idps: String = org
        .sso_configs()
        .filter(|c| c.enabled && !c.idp_login_url.is_empty())
        .map(|c| {
            format!(
                "<label><input type=\"checkbox\" checked disabled> {}</label>",
                escape(c.label())
            )
        })
        .collect();
    let idps = if idps.is_empty() {
        "<p>No identity provider is configured yet: fill in Single Sign-On Settings first.</p>"
            .into()
    } else {
        idps
    };
    page(
        "Authentication Configuration",
        &format!("<h1>Authentication Configuration</h1><label><input type=\"checkbox\" checked disabled> Login Form</label>{idps}"),
    )
}

pub fn router() -> Router<SharedSim> {
    Router::new()
        .route(HOME, get(show).post(save))
        .route(
            "/lightning/setup/SingleSignOn/new",
            get(show_new).post(create),
        )
        .route("/lightning/setup/SingleSignOn/delete", post(delete))
        .route("/_sim/saml/sso-settings", post(fill))
        .route(
            "/lightning/setup/AuthenticationConfiguration/home",
            get(auth_config),
        )
}
