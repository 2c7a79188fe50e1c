//! OAuth 2.0 to Salesforce (or the practice org): the web-server flow with PKCE (S256) through the
//! `oauth2` crate, in the system browser, with the redirect to a one-shot loopback listener on a
//! random port (RFC 8252: the state is checked, the listener takes one redirect and stops, and
//! gives up after five minutes). Refresh and revocation too.

use crate::secrets::Sensitive;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, CsrfToken, EndpointNotSet, EndpointSet, ExtraTokenFields,
    PkceCodeChallenge, RedirectUrl, RefreshToken, RequestTokenError, Scope, StandardRevocableToken,
    StandardTokenResponse, TokenResponse, TokenUrl,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The practice org's connected app (its consumer key is public, like any native app's).
pub const PRACTICE_CLIENT_ID: &str = "lanyard-practice-connected-app";
/// How long the loopback listener waits for the browser.
pub const REDIRECT_TIMEOUT: Duration = Duration::from_secs(300);
const SCOPES: [&str; 2] = ["api", "refresh_token"];

#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    #[error("{0} is not a valid login host URL: use https://login.salesforce.com, https://test.salesforce.com or your My Domain (https://NAME.my.salesforce.com).")]
    BadLoginHost(String),
    #[error("Cannot listen for the browser's redirect on 127.0.0.1: {0}")]
    Listen(String),
    #[error("Nobody finished the login in the browser within {} minutes. Start Connect again.", REDIRECT_TIMEOUT.as_secs() / 60)]
    TimedOut,
    #[error("The browser came back with a state that does not match this login (another tab's login, or a forged redirect). Start Connect again.")]
    StateMismatch,
    #[error("Salesforce refused the authorization: {error}{}. Check the consumer key and that the connected app allows this user, then try again.", description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    Denied {
        error: String,
        description: Option<String>,
    },
    #[error("Salesforce refused the token request: {error}{}. Start Connect again.", description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    TokenRefused {
        error: String,
        description: Option<String>,
    },
    #[error("Cannot reach the login host: {0}. Check the network (and HTTPS_PROXY when behind a proxy) and try again.")]
    Network(String),
    #[error("The token response has no instance_url, so the SCIM address is unknown.")]
    NoInstanceUrl,
}

/// What a Salesforce token response carries beyond the standard fields.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SalesforceFields {
    pub instance_url: Option<String>,
    /// The identity URL of the user who authorized.
    pub id: Option<String>,
}
impl ExtraTokenFields for SalesforceFields {}

type SfTokenResponse = StandardTokenResponse<SalesforceFields, BasicTokenType>;
type SfClient = oauth2::Client<
    BasicErrorResponse,
    SfTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// The tokens of a finished login.
#[derive(Debug)]
pub struct Tokens {
    pub access: Sensitive<String>,
    pub refresh: Option<Sensitive<String>>,
    pub instance_url: String,
    pub account: Option<String>,
}

/// The login host without a trailing slash; https only, except a loopback host (the practice org).
pub fn normalize_login_host(raw: &str) -> Result<String, OAuthError> {
    let parsed =
        url::Url::parse(raw.trim()).map_err(|_| OAuthError::BadLoginHost(raw.to_owned()))?;
    let host = parsed.host_str().unwrap_or("");
    let loopback = matches!(host, "127.0.0.1" | "localhost" | "[::1]");
    let scheme_ok = parsed.scheme() == "https" || (parsed.scheme() == "http" && loopback);
    if !scheme_ok || host.is_empty() || parsed.query().is_some() {
        return Err(OAuthError::BadLoginHost(raw.to_owned()));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

fn client(
    login_host: &str,
    client_id: &str,
    redirect: Option<&str>,
) -> Result<SfClient, OAuthError> {
    let bad = |_| OAuthError::BadLoginHost(login_host.to_owned());
    let c = oauth2::Client::new(ClientId::new(client_id.to_owned()))
        .set_auth_uri(AuthUrl::new(format!("{login_host}/services/oauth2/authorize")).map_err(bad)?)
        .set_token_uri(TokenUrl::new(format!("{login_host}/services/oauth2/token")).map_err(bad)?);
    Ok(match redirect {
        Some(r) => c.set_redirect_uri(
            RedirectUrl::new(r.to_owned()).map_err(|e| OAuthError::Listen(e.to_string()))?,
        ),
        None => c,
    })
}

fn token_error(
    e: RequestTokenError<oauth2::HttpClientError<reqwest::Error>, BasicErrorResponse>,
) -> OAuthError {
    match e {
        RequestTokenError::ServerResponse(r) => OAuthError::TokenRefused {
            error: r.error().to_string(),
            description: r.error_description().cloned(),
        },
        RequestTokenError::Request(inner) => OAuthError::Network(inner.to_string()),
        RequestTokenError::Parse(inner, _) => OAuthError::TokenRefused {
            error: "unreadable token response".into(),
            description: Some(inner.to_string()),
        },
        RequestTokenError::Other(s) => OAuthError::Network(s),
    }
}

/// A login in progress: the URL to open in the browser, and the wait for its redirect.
pub struct PendingLogin {
    pub authorize_url: String,
    redirect_uri: String,
    verifier: oauth2::PkceCodeVerifier,
    state: CsrfToken,
    client: SfClient,
    callback: tokio::sync::oneshot::Receiver<HashMap<String, String>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    server: tokio::task::JoinHandle<()>,
}

/// The one redirect's query, handed from the listener to the waiting login.
type Redirected = tokio::sync::oneshot::Sender<HashMap<String, String>>;

#[derive(Clone)]
struct Listener {
    port: u16,
    /// The state this login sent; a redirect without it is refused and does not use the listener up.
    state: Arc<String>,
    tx: Arc<Mutex<Option<Redirected>>>,
}

/// Compares without stopping at the first difference.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn callback(
    State(l): State<Listener>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    if !crate::loopback_host::host_allowed(&headers, l.port) {
        return (StatusCode::MISDIRECTED_REQUEST, "wrong Host").into_response();
    }
    let state_ok = params
        .get("state")
        .is_some_and(|s| same(s.as_bytes(), l.state.as_bytes()));
    if !state_ok {
        return (
            StatusCode::BAD_REQUEST,
            Html("<p>This redirect is not from the login Lanyard started. Return to Lanyard.</p>"),
        )
            .into_response();
    }
    let Some(tx) = l.tx.lock().unwrap_or_else(|p| p.into_inner()).take() else {
        return (
            StatusCode::GONE,
            Html("<p>This login was already used. Start Connect again in Lanyard.</p>"),
        )
            .into_response();
    };
    let ok = params.contains_key("code");
    let _ = tx.send(params);
    let text = if ok {
        "Lanyard received the authorization. You can close this tab and return to Lanyard."
    } else {
        "The authorization did not go through. Return to Lanyard to see why."
    };
    (
        [(header::CACHE_CONTROL, "no-store")],
        Html(format!(
            "<!doctype html><meta charset=utf-8><title>Lanyard</title><p>{text}</p>"
        )),
    )
        .into_response()
}

/// Starts a login: binds the loopback listener and builds the authorize URL (PKCE S256, state).
pub async fn start_login(login_host: &str, client_id: &str) -> Result<PendingLogin, OAuthError> {
    let login_host = normalize_login_host(login_host)?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .map_err(|e| OAuthError::Listen(e.to_string()))?;
    let port = listener
        .local_addr()
        .map_err(|e| OAuthError::Listen(e.to_string()))?
        .port();
    let redirect_uri = format!("http://127.0.0.1:{port}/callback");
    let client = client(&login_host, client_id, Some(&redirect_uri))?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client.authorize_url(CsrfToken::new_random);
    for s in SCOPES {
        request = request.add_scope(Scope::new(s.to_owned()));
    }
    let (url, state) = request.set_pkce_challenge(challenge).url();
    let (tx, rx) = tokio::sync::oneshot::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let app = Router::new()
        .route("/callback", get(callback))
        .with_state(Listener {
            port,
            state: Arc::new(state.secret().clone()),
            tx: Arc::new(Mutex::new(Some(tx))),
        });
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stop_rx.await;
            })
            .await;
    });
    Ok(PendingLogin {
        authorize_url: url.to_string(),
        redirect_uri,
        verifier,
        state,
        client,
        callback: rx,
        stop: Some(stop_tx),
        server,
    })
}

impl PendingLogin {
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// Waits for the redirect (at most `timeout`), checks it, and exchanges the code.
    pub async fn finish(
        mut self,
        http: &reqwest::Client,
        timeout: Duration,
    ) -> Result<Tokens, OAuthError> {
        let got = tokio::time::timeout(timeout, &mut self.callback).await;
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.server).await;
        let params = match got {
            Ok(Ok(p)) => p,
            _ => return Err(OAuthError::TimedOut),
        };
        let state_ok = params
            .get("state")
            .is_some_and(|s| same(s.as_bytes(), self.state.secret().as_bytes()));
        if !state_ok {
            return Err(OAuthError::StateMismatch);
        }
        if let Some(error) = params.get("error") {
            return Err(OAuthError::Denied {
                error: error.clone(),
                description: params.get("error_description").cloned(),
            });
        }
        let code = params.get("code").cloned().unwrap_or_default();
        let token = self
            .client
            .exchange_code(AuthorizationCode::new(code))
            .set_pkce_verifier(self.verifier)
            .request_async(http)
            .await
            .map_err(token_error)?;
        let extra = token.extra_fields();
        Ok(Tokens {
            access: Sensitive::new(token.access_token().secret().clone()),
            refresh: token
                .refresh_token()
                .map(|r| Sensitive::new(r.secret().clone())),
            instance_url: extra
                .instance_url
                .clone()
                .ok_or(OAuthError::NoInstanceUrl)?,
            account: extra.id.clone(),
        })
    }
}

/// A new access token from the refresh token (Salesforce sends no new refresh token).
pub async fn refresh(
    http: &reqwest::Client,
    login_host: &str,
    client_id: &str,
    refresh_token: &Sensitive<String>,
) -> Result<Sensitive<String>, OAuthError> {
    let token = client(login_host, client_id, None)?
        .exchange_refresh_token(&RefreshToken::new(refresh_token.expose().clone()))
        .request_async(http)
        .await
        .map_err(token_error)?;
    Ok(Sensitive::new(token.access_token().secret().clone()))
}

/// Revokes a token at `/services/oauth2/revoke` (revoking the refresh token revokes its access
/// tokens too). Answers the target's message when it refuses.
pub async fn revoke(
    http: &reqwest::Client,
    login_host: &str,
    token: &Sensitive<String>,
) -> Result<(), OAuthError> {
    let response = http
        .post(format!("{login_host}/services/oauth2/revoke"))
        .form(&[("token", token.expose().as_str())])
        .send()
        .await
        .map_err(|e| OAuthError::Network(e.to_string()))?;
    if response.status().is_success() {
        return Ok(());
    }
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    Err(OAuthError::TokenRefused {
        error: body["error"]
            .as_str()
            .unwrap_or("revoke refused")
            .to_owned(),
        description: body["error_description"].as_str().map(str::to_owned),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_hosts_are_https_or_loopback() {
        assert_eq!(
            normalize_login_host("https://login.salesforce.com/").unwrap(),
            "https://login.salesforce.com"
        );
        assert!(normalize_login_host("http://127.0.0.1:8765").is_ok());
        for bad in [
            "http://login.salesforce.com",
            "login.salesforce.com",
            "https://x?y=1",
        ] {
            assert!(normalize_login_host(bad).is_err(), "{bad} refused");
        }
    }

    #[tokio::test]
    async fn the_listener_refuses_a_foreign_host_and_takes_one_redirect() {
        let login = start_login("http://127.0.0.1:1", PRACTICE_CLIENT_ID)
            .await
            .unwrap();
        assert!(login.authorize_url.contains("code_challenge_method=S256"));
        let url = url::Url::parse(&login.authorize_url).unwrap();
        let state = url
            .query_pairs()
            .find(|(k, _)| k == "state")
            .map(|(_, v)| v.into_owned())
            .unwrap();
        let redirect = login.redirect_uri().to_owned();
        let http = reqwest::Client::new();
        let port = url::Url::parse(&redirect).unwrap().port().unwrap();
        let foreign = http
            .get(format!("{redirect}?code=x&state={state}"))
            .header("Host", format!("evil.example:{port}"))
            .send()
            .await
            .unwrap();
        assert_eq!(foreign.status(), 421, "a rebinding page's Host is refused");
        let forged = http
            .get(format!("{redirect}?code=x&state=not-the-state"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            forged.status(),
            400,
            "a redirect without this login's state is refused"
        );
        let denied = http
            .get(format!("{redirect}?error=access_denied&state={state}"))
            .send()
            .await
            .unwrap();
        assert!(denied.status().is_success());
        let err = login
            .finish(&http, Duration::from_secs(5))
            .await
            .unwrap_err();
        assert!(matches!(err, OAuthError::Denied { .. }), "{err}");
        assert!(
            http.get(&redirect).send().await.is_err(),
            "the listener is gone after one redirect"
        );
    }
}
