//! Test logins through the admin's browser, served on the loopback interface only.
//!
//! * SP-initiated: the IdP endpoint `/saml2/<app>` (HTTP-Redirect and HTTP-POST bindings) decodes
//!   Salesforce's AuthnRequest, verifies its signature with Salesforce's certificate when the SP
//!   signs requests, checks Issuer and ACS against the configuration, lets the admin choose which
//!   authorized directory user signs in, and posts the response with InResponseTo.
//! * IdP-initiated: a one-time page on a random port (single use, gone after 60 s) that posts a
//!   fresh response to the ACS.

use super::authn_request::{self, Arrival, CheckedRequest, Refused, ReplayCache, SpSide};
use super::authorized::{authorized_user, authorized_users};
use super::input::MAX_XML_BYTES;
use super::store;
use super::wire::{base64_lenient, inflate_bounded, param, url_decode};
use super::xml::escape;
use crate::{ApiError, Core, ErrorCode};
use axum::extract::{Form, Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const REQUEST_TTL: Duration = Duration::from_secs(300);
/// How long a one-time IdP-initiated page waits for the browser.
pub const ONE_TIME_TTL: Duration = Duration::from_secs(60);

struct Pending {
    app: String,
    request_id: String,
    acs_url: Option<String>,
    relay_state: Option<String>,
    expires: Instant,
}

/// A one-time login page: its URL, and a handle that ends once it was served or expired.
pub struct OneTimeLogin {
    pub url: String,
    served: tokio::task::JoinHandle<()>,
}

impl OneTimeLogin {
    /// Waits until the page was served (or [`ONE_TIME_TTL`] passed).
    pub async fn wait(self) {
        let _ = self.served.await;
    }
}

#[derive(Clone)]
struct IdpState {
    core: Core,
    port: u16,
    pending: Arc<Mutex<HashMap<String, Pending>>>,
    replays: Arc<Mutex<ReplayCache>>,
}

/// A running loopback IdP endpoint.
pub struct LoopbackIdp {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl LoopbackIdp {
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }
}

fn html(status: StatusCode, title: &str, body: &str, nonce: Option<&str>) -> Response {
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t} · Lanyard</title>\
<style>body{{font-family:system-ui,sans-serif;max-width:640px;margin:3rem auto;color:#1d2330}}\
button{{font:inherit;padding:.5rem 1rem;margin:.3rem 0;display:block;width:100%;text-align:left}}\
.error{{color:#b3261e}}</style></head><body><h1>{t}</h1>{body}</body></html>",
        t = escape(title)
    );
    let mut res = (status, page).into_response();
    let script = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    let csp = format!("default-src 'none'; style-src 'unsafe-inline'; script-src{script}; form-action http: https:; base-uri 'none'; frame-ancestors 'none'");
    if let Ok(v) = HeaderValue::from_str(&csp) {
        res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn deny(title: &str, detail: &str) -> Response {
    html(
        StatusCode::FORBIDDEN,
        title,
        &format!("<p class=\"error\" id=\"result\">{}</p>", escape(detail)),
        None,
    )
}

/// A page that posts the response to the ACS as soon as it loads (with a button without JS).
fn auto_post(acs_url: &str, saml_response: &str, relay_state: Option<&str>) -> Response {
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    let relay = relay_state
        .map(|r| {
            format!(
                "<input type=\"hidden\" name=\"RelayState\" value=\"{}\">",
                escape(r)
            )
        })
        .unwrap_or_default();
    let body = format!(
        "<p id=\"result\">Signing in to Salesforce…</p><form method=\"post\" action=\"{acs}\" id=\"saml\">\
<input type=\"hidden\" name=\"SAMLResponse\" value=\"{resp}\">{relay}<button type=\"submit\">Continue</button></form>\
<script nonce=\"{nonce}\">document.getElementById('saml').submit();</script>",
        acs = escape(acs_url),
        resp = escape(saml_response),
    );
    html(StatusCode::OK, "Signing in", &body, Some(&nonce))
}

/// Records the refusal and renders the page.
async fn refuse(state: &IdpState, app: &str, r: Refused) -> Response {
    let now = state.core.clock.now();
    crate::events::record(
        state.core.store().pool(),
        now,
        Some(app),
        "saml.login_request_refused",
        false,
        &format!("{}: {}", r.title, r.detail),
    )
    .await;
    deny(r.title, &r.detail)
}

/// Reads and checks an AuthnRequest against the application's SP configuration, and remembers
/// its ID so it cannot be played again.
async fn check_request(
    state: &IdpState,
    app_name: &str,
    xml: &[u8],
    redirect_query: Option<&str>,
) -> Result<CheckedRequest, Refused> {
    let core = &state.core;
    let not_set_up = |d: &str| Refused::new("Single sign-on is not set up", d);
    let app = crate::apps::get(core.store().pool(), app_name)
        .await
        .map_err(|_| not_set_up(&format!("Lanyard has no application named {app_name:?}.")))?;
    let sp = store::sp_config(core.store().pool(), &app.id)
        .await
        .ok()
        .flatten()
        .ok_or_else(|| {
            not_set_up(&format!(
                "{} has no Salesforce SP settings yet: import Salesforce's metadata in Lanyard.",
                app.label
            ))
        })?;
    let certs_pem: Vec<String> = store::sp_certs(core.store().pool(), &app.id)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|c| c.cert_pem)
        .collect();
    let rows = store::idp_certs(core.store().pool(), &app.id)
        .await
        .unwrap_or_default();
    let side = SpSide {
        known_acs: super::binding::known_acs(&rows, &sp.acs_url),
        entity_id: sp.entity_id,
        requests_signed: sp.authn_requests_signed,
        certs_pem,
    };
    let now = core.clock.now();
    let arrival = Arrival {
        xml,
        redirect_query,
        port: state.port,
        app: &app.name,
        now,
    };
    let checked = authn_request::check(&side, &arrival)?;
    state
        .replays
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remember(&checked, now)?;
    Ok(checked)
}

async fn chooser(
    state: &IdpState,
    app_name: &str,
    request: CheckedRequest,
    relay_state: Option<String>,
) -> Response {
    let core = &state.core;
    let Ok(app) = crate::apps::get(core.store().pool(), app_name).await else {
        return deny("Unknown application", app_name);
    };
    let users = authorized_users(core.store().pool(), &app.id)
        .await
        .unwrap_or_default();
    if users.is_empty() {
        return deny(
            "No one may sign in yet",
            &format!("No active directory user is authorized for {}: in Lanyard, bind a group to it (User groups) and add members.", app.label),
        );
    }
    let key = uuid::Uuid::new_v4().simple().to_string();
    {
        let mut pending = state.pending.lock().unwrap_or_else(|p| p.into_inner());
        pending.retain(|_, p| p.expires > Instant::now());
        pending.insert(
            key.clone(),
            Pending {
                app: app.name.clone(),
                request_id: request.id,
                acs_url: request.acs_url,
                relay_state,
                expires: Instant::now() + REQUEST_TTL,
            },
        );
    }
    let buttons: String = users
        .iter()
        .map(|u| {
            format!(
                "<button type=\"submit\" name=\"email\" value=\"{e}\">{d} &lt;{e}&gt;</button>",
                e = escape(&u.email),
                d = escape(if u.displayname.is_empty() {
                    &u.email
                } else {
                    &u.displayname
                })
            )
        })
        .collect();
    let body = format!(
        "<p id=\"result\">Salesforce ({}) asks Lanyard to sign someone in. Choose the directory user:</p>\
<form method=\"post\" action=\"/saml2/{}/choose\"><input type=\"hidden\" name=\"key\" value=\"{key}\">{buttons}</form>",
        escape(&app.label),
        escape(&app.name)
    );
    html(StatusCode::OK, "Choose who signs in", &body, None)
}

async fn sso_redirect(
    State(state): State<IdpState>,
    Path(app): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    if query.len() > 2 * MAX_XML_BYTES {
        return deny("Login request refused", "the request is too large");
    }
    let Some(encoded) = param(&query, "SAMLRequest") else {
        return deny(
            "No login request",
            "This is Lanyard's SAML endpoint: open it through Salesforce's login page.",
        );
    };
    let Ok(deflated) = base64_lenient(&url_decode(encoded)) else {
        return deny("Unreadable login request", "SAMLRequest is not base64");
    };
    let Some(xml) = inflate_bounded(&deflated) else {
        return deny(
            "Unreadable login request",
            "SAMLRequest is not deflated XML of at most 1 MiB",
        );
    };
    let relay = param(&query, "RelayState").map(url_decode);
    match check_request(&state, &app, &xml, Some(&query)).await {
        Ok(req) => chooser(&state, &app, req, relay).await,
        Err(r) => refuse(&state, &app, r).await,
    }
}

#[derive(Deserialize)]
struct PostBinding {
    #[serde(rename = "SAMLRequest")]
    saml_request: String,
    #[serde(rename = "RelayState")]
    relay_state: Option<String>,
}

async fn sso_post(
    State(state): State<IdpState>,
    Path(app): Path<String>,
    Form(f): Form<PostBinding>,
) -> Response {
    let Ok(xml) = base64_lenient(&f.saml_request) else {
        return deny("Unreadable login request", "SAMLRequest is not base64");
    };
    match check_request(&state, &app, &xml, None).await {
        Ok(req) => chooser(&state, &app, req, f.relay_state).await,
        Err(r) => refuse(&state, &app, r).await,
    }
}

#[derive(Deserialize)]
struct Choice {
    key: String,
    email: String,
}

async fn choose(
    State(state): State<IdpState>,
    Path(app): Path<String>,
    Form(c): Form<Choice>,
) -> Response {
    let pending = state
        .pending
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&c.key);
    let Some(p) = pending.filter(|p| p.app == app && p.expires > Instant::now()) else {
        return deny(
            "This login request has expired",
            "Start again from Salesforce's login page.",
        );
    };
    let core = &state.core;
    let Ok(application) = crate::apps::get(core.store().pool(), &app).await else {
        return deny("Unknown application", &app);
    };
    if authorized_user(core.store().pool(), &application.id, &c.email)
        .await
        .ok()
        .flatten()
        .is_none()
    {
        let detail = format!(
            "{} was chosen for an SP-initiated login but is not authorized",
            c.email
        );
        crate::events::record(
            core.store().pool(),
            core.clock.now(),
            Some(&app),
            "saml.login_denied",
            false,
            &detail,
        )
        .await;
        return deny(
            "Access denied",
            &format!(
                "{} is not authorized for {} (not in a group bound to it, or suspended).",
                c.email, application.label
            ),
        );
    }
    match core
        .saml_response_to(&app, &c.email, Some(&p.request_id), p.acs_url.as_deref())
        .await
    {
        Ok(signed) => auto_post(
            &signed.acs_url,
            &signed.saml_response,
            p.relay_state.as_deref(),
        ),
        Err(e) => deny("Lanyard could not sign the response", &e.message),
    }
}

impl Core {
    /// Serves the SP-initiated endpoint `/saml2/<app>` on `addr` (127.0.0.1 only).
    pub async fn serve_idp(&self, addr: SocketAddr) -> Result<LoopbackIdp, ApiError> {
        if !addr.ip().is_loopback() {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!("the IdP endpoint listens on the loopback address only, not {addr}"),
            ));
        }
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, format!("cannot listen on {addr} for the IdP endpoint: {e}. Is another Lanyard running? Set LANYARD_IDP_URL to use another port.")))?;
        let addr = listener
            .local_addr()
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        let state = IdpState {
            core: self.clone(),
            port: addr.port(),
            pending: Arc::default(),
            replays: Arc::default(),
        };
        let app = Router::new()
            .route("/saml2/{app}", get(sso_redirect).post(sso_post))
            .route("/saml2/{app}/choose", post(choose))
            .with_state(state);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(LoopbackIdp {
            addr,
            stop: Some(tx),
            task,
        })
    }

    /// IdP-initiated test login: signs a response for `user` now and serves it once, on a random
    /// loopback port, for [`ONE_TIME_TTL`]. Returns the URL to open in the browser.
    pub async fn idp_initiated_login(
        &self,
        app: &str,
        user: &str,
    ) -> Result<OneTimeLogin, ApiError> {
        let signed = self.saml_response(app, user, None).await?;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(|e| {
                ApiError::new(
                    ErrorCode::Internal,
                    format!("cannot open a loopback port: {e}"),
                )
            })?;
        let addr = listener
            .local_addr()
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        let token = uuid::Uuid::new_v4().simple().to_string();
        let page = Arc::new(Mutex::new(Some((signed.acs_url, signed.saml_response))));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let tx = Arc::new(Mutex::new(Some(tx)));
        let want = token.clone();
        let router = Router::new().route(
            "/login/{token}",
            get(move |Path(got): Path<String>| {
                let page = Arc::clone(&page);
                let tx = Arc::clone(&tx);
                async move {
                    if got != want {
                        return deny("Unknown link", "This login link is not valid.");
                    }
                    let taken = page.lock().unwrap_or_else(|p| p.into_inner()).take();
                    if let Some(stop) = tx.lock().unwrap_or_else(|p| p.into_inner()).take() {
                        let _ = stop.send(());
                    }
                    match taken {
                        Some((acs, response)) => auto_post(&acs, &response, None),
                        None => deny(
                            "Link already used",
                            "Each test login link works once: start another test login in Lanyard.",
                        ),
                    }
                }
            }),
        );
        let served = tokio::spawn(async move {
            let serve = axum::serve(listener, router).with_graceful_shutdown(async {
                let _ = tokio::time::timeout(ONE_TIME_TTL, rx).await;
                // Let the page that triggered the stop be written out.
                tokio::time::sleep(Duration::from_millis(200)).await;
            });
            let _ = serve.await;
        });
        Ok(OneTimeLogin {
            url: format!("http://{addr}/login/{token}"),
            served,
        })
    }
}
