//! The SCIM HTTP client: one request at a time as the caller asks, each answer mapped to a typed
//! error the run can act on (retry, wait, look up, give up). Dry-run is enforced here, at the
//! request layer: in dry-run mode every write is refused before it leaves the process, so no
//! other code can leak one.

use super::auth::Auth;
use crate::secrets::Sensitive;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What went wrong with one request.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ScimError {
    #[error("dry run: {method} {path} was not sent")]
    DryRun { method: String, path: String },
    #[error("the target is throttling requests (HTTP {status}): {detail}")]
    Throttled {
        status: u16,
        retry_after: Option<Duration>,
        code: Option<String>,
        detail: String,
    },
    #[error("the target did not answer properly ({}): {detail}", status.map(|s| format!("HTTP {s}")).unwrap_or_else(|| "no response".into()))]
    Transient { status: Option<u16>, detail: String },
    #[error("not found (HTTP 404): {detail}")]
    NotFound { detail: String },
    #[error("conflict (HTTP 409): {detail}")]
    Conflict {
        code: Option<String>,
        detail: String,
    },
    #[error("refused (HTTP {status}): {detail}")]
    Refused {
        status: u16,
        code: Option<String>,
        detail: String,
    },
    #[error(
        "the target refused the credentials (HTTP 401): {detail}. Re-authorize the connection."
    )]
    Unauthorized { detail: String },
    #[error("the answer is not SCIM JSON: {0}")]
    Protocol(String),
}

impl ScimError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ScimError::Throttled { status, .. } | ScimError::Refused { status, .. } => {
                Some(*status)
            }
            ScimError::Transient { status, .. } => *status,
            ScimError::NotFound { .. } => Some(404),
            ScimError::Conflict { .. } => Some(409),
            ScimError::Unauthorized { .. } => Some(401),
            ScimError::DryRun { .. } | ScimError::Protocol(_) => None,
        }
    }

    /// The target's own error code (`DUPLICATE_USERNAME`, a SCIM `scimType`), when it sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ScimError::Throttled { code, .. }
            | ScimError::Conflict { code, .. }
            | ScimError::Refused { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    /// The target's own message, without our framing.
    pub fn detail(&self) -> String {
        match self {
            ScimError::Throttled { detail, .. }
            | ScimError::Transient { detail, .. }
            | ScimError::NotFound { detail }
            | ScimError::Conflict { detail, .. }
            | ScimError::Refused { detail, .. }
            | ScimError::Unauthorized { detail } => detail.clone(),
            other => other.to_string(),
        }
    }

    /// Worth another try (after a wait).
    pub fn retriable(&self) -> bool {
        matches!(
            self,
            ScimError::Throttled { .. } | ScimError::Transient { .. }
        )
    }
}

/// The target's answer to a request that succeeded.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: Option<Value>,
}

/// A SCIM client for one target.
pub struct ScimClient {
    http: reqwest::Client,
    base: String,
    auth: Auth,
    dry_run: bool,
    requests: AtomicU64,
    limit_info: Mutex<Option<String>>,
}

/// The HTTP client every provisioning request uses: the OS certificate store, proxies from the
/// environment, a per-request timeout (a stalled request counts as a timeout and is retried).
pub fn http_client(timeout: Duration) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Lanyard/", env!("CARGO_PKG_VERSION")))
        .pool_max_idle_per_host(32)
        .build()
        .map_err(|e| format!("cannot set up HTTPS: {e}"))
}

const SCIM_JSON: &str = "application/scim+json";

impl ScimClient {
    pub fn new(http: reqwest::Client, base: &str, auth: Auth, dry_run: bool) -> Self {
        Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
            auth,
            dry_run,
            requests: AtomicU64::new(0),
            limit_info: Mutex::new(None),
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn auth(&self) -> &Auth {
        &self.auth
    }

    pub fn dry_run(&self) -> bool {
        self.dry_run
    }

    /// HTTP requests sent so far (refused dry-run writes are not sent, so not counted).
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// The last `Sforce-Limit-Info` header (Salesforce's daily API usage, `api-usage=N/M`).
    pub fn limit_info(&self) -> Option<String> {
        self.limit_info
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub async fn get(&self, path: &str, query: &[(&str, &str)]) -> Result<Value, ScimError> {
        let answer = self.send(Method::GET, path, query, None).await?;
        answer
            .body
            .ok_or_else(|| ScimError::Protocol(format!("GET {path} answered with no body")))
    }

    pub async fn post(&self, path: &str, body: &Value) -> Result<Answer, ScimError> {
        self.send(Method::POST, path, &[], Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Result<Answer, ScimError> {
        self.send(Method::PATCH, path, &[], Some(body)).await
    }

    /// A group membership PATCH, asking for the answer without the members (RFC 7644 §3.9:
    /// excludedAttributes applies to any answer that carries the resource): a group of thousands
    /// is otherwise sent back whole after every change.
    pub async fn patch_group(&self, path: &str, body: &Value) -> Result<Answer, ScimError> {
        self.send(
            Method::PATCH,
            path,
            &[("excludedAttributes", "members")],
            Some(body),
        )
        .await
    }

    pub async fn delete(&self, path: &str) -> Result<Answer, ScimError> {
        self.send(Method::DELETE, path, &[], None).await
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<Answer, ScimError> {
        if self.dry_run && method != Method::GET {
            return Err(ScimError::DryRun {
                method: method.to_string(),
                path: path.to_owned(),
            });
        }
        let mut refreshed = false;
        loop {
            let token = self.auth.token().await;
            let response = self.once(&method, path, query, body, &token).await?;
            if response.status() == StatusCode::UNAUTHORIZED && !refreshed {
                // One refresh, then the same request once more.
                refreshed = true;
                if self.auth.refresh(&token).await.is_ok() {
                    continue;
                }
            }
            return self.answer(response).await;
        }
    }

    async fn once(
        &self,
        method: &Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
        token: &Sensitive<String>,
    ) -> Result<reqwest::Response, ScimError> {
        let url = format!("{}/{}", self.base, path.trim_start_matches('/'));
        let mut request = self
            .http
            .request(method.clone(), &url)
            .bearer_auth(token.expose())
            .header(reqwest::header::ACCEPT, SCIM_JSON);
        if !query.is_empty() {
            request = request.query(query);
        }
        if let Some(b) = body {
            request = request
                .header(reqwest::header::CONTENT_TYPE, SCIM_JSON)
                .body(b.to_string());
        }
        self.requests.fetch_add(1, Ordering::Relaxed);
        request.send().await.map_err(|e| ScimError::Transient {
            status: None,
            detail: describe_transport(&e),
        })
    }

    async fn answer(&self, response: reqwest::Response) -> Result<Answer, ScimError> {
        let status = response.status();
        if let Some(v) = response
            .headers()
            .get("sforce-limit-info")
            .and_then(|v| v.to_str().ok())
        {
            *self.limit_info.lock().unwrap_or_else(|p| p.into_inner()) = Some(v.to_owned());
        }
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let text = response.text().await.map_err(|e| ScimError::Transient {
            status: Some(status.as_u16()),
            detail: describe_transport(&e),
        })?;
        let json: Option<Value> = if text.trim().is_empty() {
            None
        } else {
            serde_json::from_str(&text).ok()
        };
        if status.is_success() {
            if json.is_none() && !text.trim().is_empty() {
                return Err(ScimError::Protocol(format!(
                    "HTTP {} with a body that is not JSON: {}",
                    status.as_u16(),
                    snippet(&text)
                )));
            }
            return Ok(Answer {
                status: status.as_u16(),
                body: json,
            });
        }
        let (code, detail) = error_parts(json.as_ref(), &text, status);
        let s = status.as_u16();
        Err(match status {
            StatusCode::TOO_MANY_REQUESTS => ScimError::Throttled {
                status: s,
                retry_after,
                code,
                detail,
            },
            StatusCode::UNAUTHORIZED => ScimError::Unauthorized { detail },
            StatusCode::NOT_FOUND => ScimError::NotFound { detail },
            StatusCode::CONFLICT => ScimError::Conflict { code, detail },
            // Salesforce answers REQUEST_LIMIT_EXCEEDED with 403 in some paths: a throttle.
            _ if code.as_deref() == Some("REQUEST_LIMIT_EXCEEDED") => ScimError::Throttled {
                status: s,
                retry_after,
                code,
                detail,
            },
            _ if status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT => {
                ScimError::Transient {
                    status: Some(s),
                    detail,
                }
            }
            _ => ScimError::Refused {
                status: s,
                code,
                detail,
            },
        })
    }
}

fn snippet(text: &str) -> String {
    let t: String = text.chars().take(300).collect();
    t.replace(['\n', '\r'], " ")
}

/// The target's error code and message from a SCIM error body (`scimType`, or Salesforce's
/// `CODE:message` detail), else the raw text.
fn error_parts(json: Option<&Value>, text: &str, status: StatusCode) -> (Option<String>, String) {
    let detail = json
        .and_then(|j| j.get("detail"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| {
            json.and_then(|j| j.get("error_description"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .unwrap_or_else(|| {
            if text.trim().is_empty() {
                status.canonical_reason().unwrap_or("no message").to_owned()
            } else {
                snippet(text)
            }
        });
    let scim_type = json
        .and_then(|j| j.get("scimType"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let prefix = detail
        .split_once(':')
        .map(|(c, _)| c)
        .filter(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'))
        .map(str::to_owned);
    (prefix.or(scim_type), detail)
}

fn describe_transport(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "the request timed out".into()
    } else if e.is_connect() {
        format!("cannot connect: {}", root_cause(e))
    } else {
        format!("the connection failed: {}", root_cause(e))
    }
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

/// A shared client.
pub type SharedClient = Arc<ScimClient>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salesforce_error_detail_gives_its_code() {
        let body = serde_json::json!({"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],
            "detail":"DUPLICATE_USERNAME:Duplicate Username.","status":409});
        let (code, detail) = error_parts(Some(&body), "", StatusCode::CONFLICT);
        assert_eq!(code.as_deref(), Some("DUPLICATE_USERNAME"));
        assert_eq!(detail, "DUPLICATE_USERNAME:Duplicate Username.");
    }

    #[test]
    fn scim_type_is_the_code_when_the_detail_has_none() {
        let body = serde_json::json!({"detail":"userName is taken","scimType":"uniqueness","status":"409"});
        let (code, _) = error_parts(Some(&body), "", StatusCode::CONFLICT);
        assert_eq!(code.as_deref(), Some("uniqueness"));
    }

    #[tokio::test]
    async fn dry_run_refuses_every_write_before_it_is_sent() {
        let http = http_client(Duration::from_secs(1)).unwrap();
        // Nothing listens on port 9 of the loopback: a request that left would fail differently.
        let c = ScimClient::new(
            http,
            "http://127.0.0.1:9/scim",
            Auth::bearer(Sensitive::new("t".into())),
            true,
        );
        let body = serde_json::json!({});
        for r in [
            c.post("Users", &body).await,
            c.patch("Users/1", &body).await,
            c.delete("Users/1").await,
        ] {
            assert!(matches!(r, Err(ScimError::DryRun { .. })), "{r:?}");
        }
        assert_eq!(c.requests(), 0, "no request left the process");
    }
}
