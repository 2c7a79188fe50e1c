//! OAuth 2.0 as a Salesforce connected app answers it: the web-server flow with PKCE (S256
//! required) to a loopback redirect URI (RFC 8252), refresh tokens, and revocation.

use crate::pages::{escape, page};
use crate::SharedSim;
use axum::extract::{Form, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The consumer key of the practice org's connected app.
pub const CLIENT_ID: &str = "lanyard-practice-connected-app";
const CODE_TTL: Duration = Duration::from_secs(600);

struct CodeGrant {
    client_id: String,
    redirect_uri: String,
    challenge: String,
    scope: String,
    expires: Instant,
}

struct RefreshGrant {
    client_id: String,
    scope: String,
    access_tokens: Vec<String>,
}

#[derive(Default)]
struct Tokens {
    consents: HashMap<String, AuthorizeParams>,
    codes: HashMap<String, CodeGrant>,
    access: HashMap<String, Option<Instant>>,
    refresh: HashMap<String, RefreshGrant>,
}

#[derive(Default)]
pub struct TokenStore {
    inner: Mutex<Tokens>,
}

fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

impl TokenStore {
    fn lock(&self) -> std::sync::MutexGuard<'_, Tokens> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn access_token_valid(&self, token: &str) -> bool {
        match self.lock().access.get(token) {
            Some(None) => true,
            Some(Some(expires)) => Instant::now() < *expires,
            None => false,
        }
    }

    /// A token that never expires, for tools that cannot run the browser flow (conformance
    /// suites, load tests). Printed by `lanyard sim serve`.
    pub fn issue_tool_token(&self, org_id: &str) -> String {
        let token = format!("{org_id}!{}", random_token(48));
        self.lock().access.insert(token.clone(), None);
        token
    }

    fn issue_access(&self, org_id: &str, ttl: Duration) -> String {
        let token = format!("{org_id}!{}", random_token(48));
        self.lock()
            .access
            .insert(token.clone(), Some(Instant::now() + ttl));
        token
    }
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct AuthorizeParams {
    response_type: Option<String>,
    client_id: Option<String>,
    redirect_uri: Option<String>,
    state: Option<String>,
    scope: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
}

/// Loopback redirect URIs only (RFC 8252 §7.3): http on 127.0.0.1, [::1] or localhost.
fn loopback(uri: &str) -> bool {
    let Some(rest) = uri.strip_prefix("http://") else {
        return false;
    };
    let host_port = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = if host_port.starts_with('[') {
        host_port
            .split(']')
            .next()
            .map(|h| format!("{h}]"))
            .unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or("").to_owned()
    };
    matches!(host.as_str(), "127.0.0.1" | "localhost" | "[::1]")
}

fn with_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    let mut out = uri.to_owned();
    let mut sep = if uri.contains('?') { '&' } else { '?' };
    for (k, v) in pairs {
        out.push(sep);
        out.push_str(k);
        out.push('=');
        out.push_str(&urlencode(v));
        sep = '&';
    }
    out
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn error_page(status: StatusCode, error: &str, description: &str) -> Response {
    let body = format!(
        "<h1>Authorization error</h1><p class=\"error\"><b>error={}</b>: {}</p>",
        escape(error),
        escape(description)
    );
    (status, page("Authorization error", &body)).into_response()
}

async fn authorize(State(sim): State<SharedSim>, Query(p): Query<AuthorizeParams>) -> Response {
    if p.client_id.as_deref() != Some(CLIENT_ID) {
        return error_page(
            StatusCode::BAD_REQUEST,
            "invalid_client_id",
            &format!("client identifier invalid: this org's connected app has the consumer key {CLIENT_ID}"),
        );
    }
    let Some(redirect) = p.redirect_uri.clone().filter(|r| loopback(r)) else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "redirect_uri_mismatch",
            "redirect_uri must be a loopback address such as http://127.0.0.1:PORT/callback",
        );
    };
    let state = p.state.clone().unwrap_or_default();
    let fail = |error: &str, description: &str| {
        Redirect::to(&with_query(
            &redirect,
            &[
                ("error", error),
                ("error_description", description),
                ("state", &state),
            ],
        ))
        .into_response()
    };
    if p.response_type.as_deref() != Some("code") {
        return fail("unsupported_response_type", "response_type must be code");
    }
    if p.code_challenge.as_deref().unwrap_or("").len() < 43 {
        return fail(
            "invalid_request",
            "missing or invalid code_challenge: PKCE is required",
        );
    }
    if p.code_challenge_method.as_deref() != Some("S256") {
        return fail("invalid_request", "code_challenge_method must be S256");
    }
    let consent = random_token(24);
    sim.oauth.lock().consents.insert(consent.clone(), p.clone());
    let scope = p
        .scope
        .clone()
        .unwrap_or_else(|| "api refresh_token".into());
    let body = format!(
        r#"<div class="consent"><h1>Allow Access?</h1>
<p><b>Lanyard</b> is asking to:</p>
<ul>{}</ul>
<p>Do you want to allow access for <b>admin@{org}.example</b>? (<a href="/">Not you?</a>)</p>
<form method="post" action="/services/oauth2/authorize">
<input type="hidden" name="consent" value="{consent}">
<button type="submit" name="decision" value="deny" id="oaapprove-deny">Deny</button>
<button type="submit" name="decision" value="allow" id="oaapprove" class="primary">Allow</button>
</form></div>"#,
        scope
            .split_whitespace()
            .map(|s| format!("<li>{}</li>", escape(scope_text(s))))
            .collect::<String>(),
        org = escape(&sim.org().name),
    );
    page("Allow Access?", &body).into_response()
}

fn scope_text(scope: &str) -> &str {
    match scope {
        "api" => "Manage user data via APIs (api)",
        "refresh_token" | "offline_access" => {
            "Perform requests at any time (refresh_token, offline_access)"
        }
        "openid" => "Access unique user identifiers (openid)",
        "full" => "Full access (full)",
        other => other,
    }
}

#[derive(Deserialize)]
struct Decision {
    consent: String,
    decision: String,
}

async fn decide(State(sim): State<SharedSim>, Form(d): Form<Decision>) -> Response {
    let Some(p) = sim.oauth.lock().consents.remove(&d.consent) else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "this consent page was already used or has expired; start the login again",
        );
    };
    let redirect = p.redirect_uri.clone().unwrap_or_default();
    let state = p.state.clone().unwrap_or_default();
    if d.decision != "allow" {
        return Redirect::to(&with_query(
            &redirect,
            &[
                ("error", "access_denied"),
                ("error_description", "end-user denied authorization"),
                ("state", &state),
            ],
        ))
        .into_response();
    }
    let code = random_token(32);
    sim.oauth.lock().codes.insert(
        code.clone(),
        CodeGrant {
            client_id: p.client_id.unwrap_or_default(),
            redirect_uri: redirect.clone(),
            challenge: p.code_challenge.unwrap_or_default(),
            scope: p.scope.unwrap_or_else(|| "api refresh_token".into()),
            expires: Instant::now() + CODE_TTL,
        },
    );
    Redirect::to(&with_query(
        &redirect,
        &[("code", &code), ("state", &state)],
    ))
    .into_response()
}

#[derive(Debug, Deserialize)]
struct TokenRequest {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    client_id: Option<String>,
    code_verifier: Option<String>,
    refresh_token: Option<String>,
}

fn oauth_error(error: &str, description: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}

fn token_response(sim: &SharedSim, access: &str, refresh: Option<&str>, scope: &str) -> Response {
    let issued_at = chrono::Utc::now().timestamp_millis().to_string();
    let (org_id, admin) = {
        let org = sim.org();
        (org.org_id.clone(), crate::ids::make("005", 1))
    };
    let id_url = format!("{}/id/{org_id}/{admin}", sim.base_url);
    let signature = {
        use hmac::{Hmac, Mac};
        let mut mac = match Hmac::<Sha256>::new_from_slice(org_id.as_bytes()) {
            Ok(m) => m,
            Err(_) => return oauth_error("server_error", "cannot sign the response"),
        };
        mac.update(id_url.as_bytes());
        mac.update(issued_at.as_bytes());
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    };
    let mut body = json!({
        "access_token": access,
        "signature": signature,
        "scope": scope,
        "instance_url": sim.base_url,
        "id": id_url,
        "token_type": "Bearer",
        "issued_at": issued_at,
    });
    if let Some(r) = refresh {
        body["refresh_token"] = json!(r);
    }
    let mut res = Json(body).into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    res
}

async fn token(State(sim): State<SharedSim>, Form(t): Form<TokenRequest>) -> Response {
    let org_id = sim.org().org_id.clone();
    match t.grant_type.as_deref() {
        Some("authorization_code") => {
            let Some(verifier) = t.code_verifier.as_deref().filter(|v| !v.is_empty()) else {
                return oauth_error("invalid_request", "missing code_verifier: PKCE is required");
            };
            let grant = sim
                .oauth
                .lock()
                .codes
                .remove(t.code.as_deref().unwrap_or(""));
            let Some(grant) = grant.filter(|g| Instant::now() < g.expires) else {
                return oauth_error("invalid_grant", "invalid authorization code");
            };
            if t.client_id.as_deref() != Some(grant.client_id.as_str()) {
                return oauth_error("invalid_client_id", "client identifier invalid");
            }
            if t.redirect_uri.as_deref() != Some(grant.redirect_uri.as_str()) {
                return oauth_error(
                    "redirect_uri_mismatch",
                    "redirect_uri must match the one used to authorize",
                );
            }
            let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
            if computed != grant.challenge {
                return oauth_error("invalid_grant", "invalid code verifier");
            }
            let access = sim.oauth.issue_access(&org_id, sim.config.token_ttl);
            let wants_refresh = grant
                .scope
                .split_whitespace()
                .any(|s| s == "refresh_token" || s == "offline_access");
            let refresh = wants_refresh.then(|| {
                let r = format!("5Aep{}", random_token(60));
                sim.oauth.lock().refresh.insert(
                    r.clone(),
                    RefreshGrant {
                        client_id: grant.client_id.clone(),
                        scope: grant.scope.clone(),
                        access_tokens: vec![access.clone()],
                    },
                );
                r
            });
            token_response(&sim, &access, refresh.as_deref(), &grant.scope)
        }
        Some("refresh_token") => {
            let key = t.refresh_token.unwrap_or_default();
            let scope = {
                let tokens = sim.oauth.lock();
                match tokens.refresh.get(&key) {
                    Some(g) if t.client_id.as_deref() == Some(g.client_id.as_str()) => {
                        g.scope.clone()
                    }
                    Some(_) => {
                        return oauth_error("invalid_client_id", "client identifier invalid")
                    }
                    None => return oauth_error("invalid_grant", "expired access/refresh token"),
                }
            };
            let access = sim.oauth.issue_access(&org_id, sim.config.token_ttl);
            if let Some(g) = sim.oauth.lock().refresh.get_mut(&key) {
                g.access_tokens.push(access.clone());
            }
            token_response(&sim, &access, None, &scope)
        }
        Some(other) => oauth_error(
            "unsupported_grant_type",
            &format!("grant type {other:?} is not supported"),
        ),
        None => oauth_error("invalid_request", "grant_type is required"),
    }
}

#[derive(Deserialize)]
struct RevokeRequest {
    token: Option<String>,
}

/// Revoking a refresh token also revokes the access tokens issued from it.
async fn revoke(State(sim): State<SharedSim>, Form(r): Form<RevokeRequest>) -> Response {
    let token = r.token.unwrap_or_default();
    let mut tokens = sim.oauth.lock();
    if let Some(grant) = tokens.refresh.remove(&token) {
        for a in grant.access_tokens {
            tokens.access.remove(&a);
        }
        return StatusCode::OK.into_response();
    }
    if tokens.access.remove(&token).is_some() {
        return StatusCode::OK.into_response();
    }
    oauth_error("unsupported_token_type", "this token type is not supported")
}

pub fn router() -> Router<SharedSim> {
    Router::new()
        .route("/services/oauth2/authorize", get(authorize).post(decide))
        .route("/services/oauth2/token", post(token))
        .route("/services/oauth2/revoke", post(revoke))
}
