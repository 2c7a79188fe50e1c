//! Small but real HTML pages of the practice org, so the setup checklist's deep links land
//! somewhere: My Domain, Certificate and Key Management and Login History (Single Sign-On
//! Settings and Authentication Configuration are in sso_pages); plus the home page and a JSON
//! login history.

use crate::SharedSim;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#181818;background:#f3f3f3}\
header{background:#032d60;color:#fff;padding:.7rem 1.2rem;font-weight:600}header a{color:#fff;text-decoration:none}\
nav{padding:.5rem 1.2rem;background:#fff;border-bottom:1px solid #ddd}nav a{margin-right:1rem;color:#0b5cab}\
main{max-width:960px;margin:1.2rem auto;background:#fff;border:1px solid #ddd;border-radius:6px;padding:1rem 1.5rem}\
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e5e5e5;padding:.35rem .5rem;text-align:left}\
label{display:block;margin:.6rem 0 .2rem;font-weight:600}input[type=text],textarea,select{width:100%;padding:.35rem}\
button{padding:.4rem .9rem;margin:.6rem .4rem 0 0}.primary{background:#0176d3;color:#fff;border:1px solid #0176d3}\
.error{color:#ba0517}.ok{color:#2e844a}code{background:#f3f3f3;padding:0 .2rem}";

/// A page in the practice org's frame.
pub fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t} | Practice org</title>\
<style>{STYLE}</style></head><body><header><a href=\"/\">Practice org</a> · Setup</header>\
<nav><a href=\"/lightning/setup/OrgDomain/home\">My Domain</a>\
<a href=\"/lightning/setup/CertificatesAndKeysManagement/home\">Certificate and Key Management</a>\
<a href=\"/lightning/setup/SingleSignOn/home\">Single Sign-On Settings</a>\
<a href=\"/lightning/setup/AuthenticationConfiguration/home\">Authentication Configuration</a>\
<a href=\"/lightning/setup/OrgLoginHistory/home\">Login History</a></nav>\
<main>{body}</main></body></html>",
        t = escape(title)
    ))
}

async fn home(State(sim): State<SharedSim>) -> Html<String> {
    let org = sim.org();
    page(
        "Home",
        &format!(
            "<h1>Practice org <code>{name}</code></h1>\
<p>A local stand-in for a Salesforce org: rehearse single sign-on and provisioning without a Salesforce account.</p>\
<table><tr><th>Org ID</th><td><code>{id}</code></td></tr>\
<tr><th>My Domain</th><td><code>https://{domain}</code> (served here at <code>{base}</code>)</td></tr>\
<tr><th>SCIM base URL</th><td><code>{base}/services/scim/v2</code></td></tr>\
<tr><th>OAuth authorize</th><td><code>{base}/services/oauth2/authorize</code></td></tr>\
<tr><th>OAuth token</th><td><code>{base}/services/oauth2/token</code></td></tr>\
<tr><th>Connected app consumer key</th><td><code>{client}</code></td></tr>\
<tr><th>Users</th><td>{users}</td></tr><tr><th>Public groups</th><td>{groups}</td></tr></table>",
            name = escape(&org.name),
            id = escape(&org.org_id),
            domain = escape(&org.my_domain()),
            base = escape(&sim.base_url),
            client = crate::oauth::CLIENT_ID,
            users = org.users.len(),
            groups = org.groups.len(),
        ),
    )
}

async fn my_domain(State(sim): State<SharedSim>) -> Html<String> {
    let org = sim.org();
    page(
        "My Domain",
        &format!(
            "<h1>My Domain</h1><table><tr><th>Current My Domain URL</th><td><code>https://{d}</code></td></tr>\
<tr><th>Domain status</th><td class=\"ok\">Deployed to users</td></tr>\
<tr><th>Login policy</th><td>Prevent login from https://login.salesforce.com: off</td></tr></table>\
<p>Single sign-on through an identity provider needs a deployed My Domain: the SP entity ID and the \
login URL Salesforce publishes are built on it.</p>\
<p><a href=\"/lightning/setup/AuthenticationConfiguration/home\">Authentication Configuration</a></p>",
            d = escape(&org.my_domain())
        ),
    )
}

/// Subject, expiry and SHA-256 fingerprint of a PEM certificate, for display.
pub(crate) fn cert_summary(pem: &str) -> Result<(String, String, String), String> {
    let cert = openssl::x509::X509::from_pem(pem.as_bytes()).map_err(|e| e.to_string())?;
    let subject = cert
        .subject_name()
        .entries()
        .filter_map(|e| e.data().to_string().ok())
        .collect::<Vec<_>>()
        .join(", ");
    let expires = cert.not_after().to_string();
    let der = cert.to_der().map_err(|e| e.to_string())?;
    let digest = openssl::sha::sha256(&der);
    let fingerprint = digest
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":");
    Ok((subject, expires, fingerprint))
}

async fn certificates(State(sim): State<SharedSim>) -> Html<String> {
    let org = sim.org();
    let row = match org.sp_keys.as_ref().map(|k| cert_summary(&k.cert_pem)) {
        Some(Ok((subject, expires, fp))) => format!(
            "<tr><td>SelfSignedCert_practice</td><td>Self-Signed</td><td>2048</td><td>{}</td><td>{}</td><td><code>{}</code></td>\
<td><a href=\"/_sim/saml/certificate\">Download Certificate</a></td></tr>",
            escape(&subject),
            escape(&expires),
            escape(&fp)
        ),
        _ => "<tr><td colspan=\"7\">No certificates yet.</td></tr>".into(),
    };
    page(
        "Certificate and Key Management",
        &format!(
            "<h1>Certificate and Key Management</h1><table><tr><th>Label</th><th>Type</th><th>Key Size</th>\
<th>Subject</th><th>Expiration</th><th>SHA-256 fingerprint</th><th></th></tr>{row}</table>"
        ),
    )
}

async fn login_history(State(sim): State<SharedSim>) -> Html<String> {
    let org = sim.org();
    let rows: String = org
        .login_history
        .iter()
        .rev()
        .map(|a| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&a.at),
                escape(&a.username),
                escape(&a.login_type),
                escape(&a.status)
            )
        })
        .collect();
    let rows = if rows.is_empty() {
        "<tr><td colspan=\"4\">No logins yet.</td></tr>".to_owned()
    } else {
        rows
    };
    page(
        "Login History",
        &format!("<h1>Login History</h1><table><tr><th>Login Time</th><th>Username</th><th>Login Type</th><th>Status</th></tr>{rows}</table>"),
    )
}

async fn login_history_json(State(sim): State<SharedSim>) -> Response {
    let history = sim.org().login_history.clone();
    let mut res = Json(history).into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    res
}

pub fn router() -> Router<SharedSim> {
    Router::new()
        .route("/", get(home))
        .route("/lightning/setup/OrgDomain/home", get(my_domain))
        .route(
            "/lightning/setup/CertificatesAndKeysManagement/home",
            get(certificates),
        )
        .route("/lightning/setup/OrgLoginHistory/home", get(login_history))
        .route("/_sim/login-history", get(login_history_json))
}
