//! The SP-initiated IdP endpoint `/saml2/<app>` (HTTP-Redirect and HTTP-POST bindings), on the
//! loopback interface only.
//!
//! A request is checked ([`super::authn_request`]) and then held in the approval queue
//! ([`super::approval`]): the browser is sent to a page that shows a short code and waits; the
//! admin approves it in the Lanyard window (or the terminal of `lanyard idp serve`), choosing
//! who signs in, or denies it. Only then does the page post the response. Nothing reachable
//! over HTTP chooses the user.
//!
//! Every request must name this listener in its Host header ([`crate::loopback_host`]); what is
//! kept is bounded (pending requests, remembered IDs, RelayState at 80 bytes); refusals are
//! recorded as events at most [`REFUSAL_EVENTS_PER_MINUTE`] a minute.

use super::approval::{BrowserView, NewRequest};
use super::authn_request::{self, Arrival, CheckedRequest, Refused, ReplayCache, SpSide};
use super::authorized::authorized_users;
use super::input::MAX_XML_BYTES;
use super::pages::{auto_post, deny, deny_with, waiting};
use super::store;
use super::wire::{base64_lenient, inflate_bounded, param, url_decode};
use crate::{ApiError, Core, ErrorCode};
use axum::extract::{Form, Path, RawQuery, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

pub use super::test_login::{OneTimeLogin, ONE_TIME_TTL};

/// SAML's limit for RelayState (bindings §3.4.3, §3.5.3).
pub const MAX_RELAY_STATE: usize = 80;
/// Refused requests recorded as events per minute at most; the rest are counted in one event.
pub const REFUSAL_EVENTS_PER_MINUTE: u32 = 20;

/// What the endpoint does with SP-initiated requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SpInitiated {
    /// Hold each for the admin's approval (the window, or `lanyard idp serve`'s terminal).
    #[default]
    AskAdmin,
    /// Refuse them all (`lanyard idp serve --deny-sp-initiated`).
    Refuse,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct IdpOptions {
    pub sp_initiated: SpInitiated,
}

/// Counts refusals per minute so a flood of bad requests cannot fill the event log.
#[derive(Debug, Default)]
pub(crate) struct RefusalLog {
    window_start: Option<DateTime<Utc>>,
    recorded: u32,
    suppressed: u32,
}

impl RefusalLog {
    /// Whether to record this refusal, and how many earlier ones went unrecorded.
    pub(crate) fn admit(&mut self, now: DateTime<Utc>) -> (bool, u32) {
        let new_window = self
            .window_start
            .is_none_or(|s| now - s >= chrono::Duration::minutes(1));
        if new_window {
            let carried = std::mem::take(&mut self.suppressed);
            self.window_start = Some(now);
            self.recorded = 1;
            return (true, carried);
        }
        if self.recorded < REFUSAL_EVENTS_PER_MINUTE {
            self.recorded += 1;
            (true, 0)
        } else {
            self.suppressed += 1;
            (false, 0)
        }
    }
}

#[derive(Clone)]
struct IdpState {
    core: Core,
    port: u16,
    options: IdpOptions,
    replays: Arc<Mutex<ReplayCache>>,
    refusals: Arc<Mutex<RefusalLog>>,
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

/// Records a refusal as an event (rate-limited).
pub(crate) async fn record_refusal(
    core: &Core,
    log: &Mutex<RefusalLog>,
    app: Option<&str>,
    detail: &str,
) {
    let now = core.clock.now();
    let (record, suppressed) = log.lock().unwrap_or_else(|p| p.into_inner()).admit(now);
    let pool = core.store().pool();
    if suppressed > 0 {
        let note = format!("{suppressed} more refused login requests were not recorded (at most {REFUSAL_EVENTS_PER_MINUTE} a minute)");
        crate::events::record(
            pool,
            now,
            None,
            crate::events::EventName::SamlLoginRequestRefused,
            false,
            &note,
        )
        .await;
    }
    if record {
        crate::events::record(
            pool,
            now,
            app,
            crate::events::EventName::SamlLoginRequestRefused,
            false,
            detail,
        )
        .await;
    }
}

/// Records the refusal and renders the page.
async fn refuse(state: &IdpState, app: &str, r: Refused) -> Response {
    let detail = format!("{}: {}", r.title, r.detail);
    record_refusal(&state.core, &state.refusals, Some(app), &detail).await;
    deny(r.title, &r.detail)
}

/// Refuses any request whose Host header does not name this listener (DNS rebinding).
async fn host_guard(State(state): State<IdpState>, req: Request, next: Next) -> Response {
    if crate::loopback_host::host_allowed(req.headers(), state.port) {
        return next.run(req).await;
    }
    let host = req
        .headers()
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("none")
        .chars()
        .take(100)
        .collect::<String>();
    let detail = format!(
        "Wrong Host header: a request named {host:?}, not 127.0.0.1:{port} or localhost:{port} (a web page reaching this endpoint through DNS rebinding does that)",
        port = state.port
    );
    record_refusal(&state.core, &state.refusals, None, &detail).await;
    deny_with(
        StatusCode::MISDIRECTED_REQUEST,
        "Wrong address",
        &format!(
            "Lanyard's IdP endpoint answers only at http://127.0.0.1:{}/.",
            state.port
        ),
    )
}

/// A checked request, with what the window shows about it.
struct Held {
    request: CheckedRequest,
    app_label: String,
    login_url: String,
}

/// Reads and checks an AuthnRequest against the application's SP configuration, and remembers
/// its ID so it cannot be played again.
async fn check_request(
    state: &IdpState,
    app_name: &str,
    path: &str,
    xml: &[u8],
    redirect_query: Option<&str>,
) -> Result<Held, Refused> {
    let core = &state.core;
    let pool = core.store().pool();
    let not_set_up = |d: &str| Refused::new("Single sign-on is not set up", d);
    let app = crate::apps::get(pool, app_name)
        .await
        .map_err(|_| not_set_up(&format!("Lanyard has no application named {app_name:?}.")))?;
    if !app.sso_enabled {
        return Err(Refused::new(
            "Single sign-on is deactivated",
            format!("Lanyard signs no login to {} while its single sign-on is deactivated: activate it on the application's Overview tab, or log in another way.", app.label),
        ));
    }
    // The application answers at its own path only: after a move, a login at the old URL is
    // refused with the URL Salesforce must have now (and does not confirm the re-point).
    if path != app.idp_path {
        return Err(Refused::new(
            "Salesforce has an old IdP URL",
            format!("{}'s IdP URL is now http://127.0.0.1:{}/saml2/{}, but this login came to /saml2/{path}: in Salesforce's Single Sign-On Settings, change the Identity Provider Login URL to the new one.", app.label, state.port, app.idp_path),
        ));
    }
    let sp = store::sp_config(pool, &app.id)
        .await
        .ok()
        .flatten()
        .ok_or_else(|| {
            not_set_up(&format!(
                "{} has no Salesforce SP settings yet: import Salesforce's metadata in Lanyard.",
                app.label
            ))
        })?;
    let certs_pem: Vec<String> = store::sp_certs(pool, &app.id)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|c| c.cert_pem)
        .collect();
    let rows = store::idp_certs(pool, &app.id).await.unwrap_or_default();
    let known_acs = super::binding::known_acs(&rows, &sp.acs_url);
    let side = SpSide {
        known_acs: known_acs.clone(),
        entity_id: sp.entity_id,
        requests_signed: sp.authn_requests_signed,
        certs_pem,
    };
    let now = core.clock.now();
    let arrival = Arrival {
        xml,
        redirect_query,
        port: state.port,
        app: &app.idp_path,
        now,
    };
    let request = authn_request::check(&side, &arrival)?;
    // Salesforce sent it to this address (its Destination was checked): any re-point is done.
    core.repoint_confirmed(&app.id, &app.name).await;
    if authorized_users(pool, &app.id)
        .await
        .unwrap_or_default()
        .is_empty()
    {
        return Err(Refused::new(
            "No one may sign in yet",
            format!("No active directory user is authorized for {}: in Lanyard, bind a group to it (User groups) and add members.", app.label),
        ));
    }
    state
        .replays
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remember(&request, now)?;
    let login_url = request
        .acs_url
        .clone()
        .or_else(|| known_acs.first().cloned())
        .unwrap_or(sp.acs_url);
    Ok(Held {
        request,
        app_label: app.label,
        login_url,
    })
}

/// Holds a request for the admin and sends the browser to its waiting page.
async fn hold(
    state: &IdpState,
    app: &str,
    path: &str,
    xml: &[u8],
    redirect_query: Option<&str>,
    relay_state: Option<String>,
) -> Response {
    if state.options.sp_initiated == SpInitiated::Refuse {
        let r = Refused::new("SP-initiated logins are turned off", "This Lanyard IdP endpoint does not answer logins started on Salesforce's login page (lanyard idp serve --deny-sp-initiated). Start a test login from Lanyard instead.");
        return refuse(state, app, r).await;
    }
    if relay_state
        .as_ref()
        .is_some_and(|r| r.len() > MAX_RELAY_STATE)
    {
        let r = Refused::new(
            "Login request refused",
            format!("the RelayState is longer than {MAX_RELAY_STATE} bytes, SAML's limit"),
        );
        return refuse(state, app, r).await;
    }
    let held = match check_request(state, app, path, xml, redirect_query).await {
        Ok(h) => h,
        Err(r) => return refuse(state, app, r).await,
    };
    let new = NewRequest {
        app: app.to_owned(),
        app_label: held.app_label,
        login_url: held.login_url,
        request_id: held.request.id,
        requested_acs: held.request.acs_url,
        relay_state,
    };
    match state.core.approvals.add(new, state.core.clock.now()) {
        Ok((key, view)) => {
            crate::events::record(
                state.core.store().pool(),
                state.core.clock.now(),
                Some(app),
                crate::events::EventName::SamlLoginRequestWaiting,
                true,
                &format!(
                    "SP-initiated request for {} waits for approval (code {})",
                    view.login_url, view.code
                ),
            )
            .await;
            Redirect::to(&format!("/saml2/{app}/wait/{key}")).into_response()
        }
        Err(r) => refuse(state, app, r).await,
    }
}

/// The application an IdP path names (`/saml2/<path>`; the path is the name unless the admin
/// moved it). A path no application has is taken as a name, so that a login at a moved
/// application's old URL is refused naming the new one.
async fn app_at(state: &IdpState, path: &str) -> String {
    match crate::apps::by_idp_path(state.core.store().pool(), path).await {
        Ok(Some(app)) => app.name,
        _ => path.to_owned(),
    }
}

async fn sso_redirect(
    State(state): State<IdpState>,
    Path(path): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let app = app_at(&state, &path).await;
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
        return refuse(
            &state,
            &app,
            Refused::new("Unreadable login request", "SAMLRequest is not base64"),
        )
        .await;
    };
    let Some(xml) = inflate_bounded(&deflated) else {
        return refuse(
            &state,
            &app,
            Refused::new(
                "Unreadable login request",
                "SAMLRequest is not deflated XML of at most 1 MiB",
            ),
        )
        .await;
    };
    let relay = param(&query, "RelayState").map(url_decode);
    hold(&state, &app, &path, &xml, Some(&query), relay).await
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
    Path(path): Path<String>,
    Form(f): Form<PostBinding>,
) -> Response {
    let app = app_at(&state, &path).await;
    let Ok(xml) = base64_lenient(&f.saml_request) else {
        return refuse(
            &state,
            &app,
            Refused::new("Unreadable login request", "SAMLRequest is not base64"),
        )
        .await;
    };
    hold(&state, &app, &path, &xml, None, f.relay_state).await
}

/// The browser's waiting page: the code while the admin decides, then the auto-post (once).
async fn wait_page(
    State(state): State<IdpState>,
    Path((app, key)): Path<(String, String)>,
) -> Response {
    match state
        .core
        .approvals
        .for_browser(&app, &key, state.core.clock.now())
    {
        BrowserView::Waiting {
            code,
            app_label,
            seconds_left,
        } => waiting(&code, &app_label, seconds_left),
        BrowserView::Post {
            acs_url,
            saml_response,
            relay_state,
        } => auto_post(&acs_url, &saml_response, relay_state.as_deref()),
        BrowserView::Denied => deny(
            "Login denied",
            "The Lanyard admin denied this login request.",
        ),
        BrowserView::Expired => deny(
            "This login request has expired",
            "It was not approved in Lanyard within 2 minutes: start again from Salesforce's login page.",
        ),
        BrowserView::Gone => deny_with(
            StatusCode::NOT_FOUND,
            "Unknown login request",
            "This login request is unknown or was already used: start again from Salesforce's login page.",
        ),
    }
}

impl Core {
    /// Serves the SP-initiated endpoint `/saml2/<app>` on `addr` (127.0.0.1 only), holding
    /// each request for the admin's approval.
    pub async fn serve_idp(&self, addr: SocketAddr) -> Result<LoopbackIdp, ApiError> {
        self.serve_idp_with(addr, IdpOptions::default()).await
    }

    pub async fn serve_idp_with(
        &self,
        addr: SocketAddr,
        options: IdpOptions,
    ) -> Result<LoopbackIdp, ApiError> {
        if addr.ip() != Ipv4Addr::LOCALHOST {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!("the IdP endpoint listens on 127.0.0.1 only, not {addr}"),
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
            options,
            replays: Arc::default(),
            refusals: Arc::default(),
        };
        let app = Router::new()
            .route("/saml2/{app}", get(sso_redirect).post(sso_post))
            .route("/saml2/{app}/wait/{key}", get(wait_page))
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                host_guard,
            ))
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusal_events_are_rate_limited() {
        let t0 = Utc::now();
        let mut log = RefusalLog::default();
        let recorded = (0..50).filter(|_| log.admit(t0).0).count();
        assert_eq!(recorded, REFUSAL_EVENTS_PER_MINUTE as usize);
        let next = t0 + chrono::Duration::seconds(61);
        assert_eq!(
            log.admit(next),
            (true, 30),
            "the next minute records again, and counts what was left out"
        );
    }
}
