//! The IdP-initiated test login: a response signed now for a user the admin chose in the window
//! (or named on the CLI), served once, for [`ONE_TIME_TTL`], on a random loopback port.
//!
//! The browser is not handed a URL with a secret in it (a command line such as `xdg-open URL`
//! is readable by every local user in /proc/PID/cmdline): Lanyard writes a small auto-post page,
//! readable only by the admin (0600, in `$XDG_RUNTIME_DIR`, else in a fresh 0700 temporary
//! folder), that posts the one-time token to the loopback page. Only the file's path is opened.
//! The file is deleted once the page was used or expired.

use super::pages::{auto_post, deny};
use super::xml::escape;
use crate::{ApiError, Core, ErrorCode};
use axum::extract::{Form, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a one-time IdP-initiated page waits for the browser.
pub const ONE_TIME_TTL: Duration = Duration::from_secs(60);

/// A one-time login: the page to open, and a handle that ends once it was used or expired.
pub struct OneTimeLogin {
    /// `file://` URL of the auto-post page (no secret in it).
    pub url: String,
    /// The auto-post page itself (0600): open this path in the browser.
    pub path: PathBuf,
    served: tokio::task::JoinHandle<()>,
}

impl OneTimeLogin {
    /// Waits until the page was used (or [`ONE_TIME_TTL`] passed) and its file deleted.
    pub async fn wait(self) {
        let _ = self.served.await;
    }
}

fn internal(what: &str, e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::Internal, format!("{what}: {e}"))
}

/// A folder only this user can read: `$XDG_RUNTIME_DIR/lanyard`, else a new temporary folder.
/// Returns the folder, and whether it is ours to delete afterwards.
fn private_dir() -> std::io::Result<(PathBuf, bool)> {
    let runtime = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute() && p.is_dir());
    if let Some(runtime) = runtime {
        let dir = runtime.join("lanyard");
        match make_private_dir(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let meta = std::fs::symlink_metadata(&dir)?;
                if !meta.is_dir() {
                    return Err(std::io::Error::other(format!(
                        "{} is not a folder",
                        dir.display()
                    )));
                }
                restrict(&dir, 0o700)?;
            }
            Err(e) => return Err(e),
        }
        return Ok((dir, false));
    }
    // A fresh name: creating it fails if anyone made it first.
    let dir = std::env::temp_dir().join(format!("lanyard-{}", uuid::Uuid::new_v4().simple()));
    make_private_dir(&dir)?;
    Ok((dir, true))
}

#[cfg(unix)]
fn make_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new().mode(0o700).create(dir)
}

#[cfg(not(unix))]
fn make_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir(dir)
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn restrict(_path: &Path, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

/// Writes `contents` to a new file readable by this user only.
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    f.write_all(contents.as_bytes())?;
    f.sync_all()
}

fn file_url(path: &Path) -> String {
    url::Url::from_file_path(path)
        .map(|u| u.to_string())
        .unwrap_or_else(|()| format!("file://{}", path.display()))
}

/// The page in the file: posts the token to the loopback page at once.
fn handoff_page(action: &str, token: &str) -> String {
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-{nonce}'; form-action {action}\">\
<title>Test login · Lanyard</title></head><body style=\"font-family:system-ui,sans-serif;max-width:640px;margin:3rem auto\">\
<p>Signing in to Salesforce…</p><form method=\"post\" action=\"{action}\" id=\"go\">\
<input type=\"hidden\" name=\"token\" value=\"{token}\"><button type=\"submit\">Continue</button></form>\
<script nonce=\"{nonce}\">document.getElementById('go').submit();</script></body></html>",
        action = escape(action),
        token = escape(token),
    )
}

#[derive(Deserialize)]
struct TokenForm {
    token: String,
}

struct Page {
    want: String,
    /// (ACS, SAMLResponse) until used.
    response: Mutex<Option<(String, String)>>,
    stop: Mutex<Option<tokio::sync::oneshot::Sender<()>>>,
    port: u16,
}

async fn serve_once(State(page): State<Arc<Page>>, Form(f): Form<TokenForm>) -> Response {
    let same = f.token.len() == page.want.len()
        && openssl::memcmp::eq(f.token.as_bytes(), page.want.as_bytes());
    if !same {
        return deny("Unknown link", "This login link is not valid.");
    }
    let taken = page
        .response
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take();
    if let Some(stop) = page.stop.lock().unwrap_or_else(|p| p.into_inner()).take() {
        let _ = stop.send(());
    }
    match taken {
        Some((acs, response)) => auto_post(&acs, &response, None),
        None => deny(
            "Link already used",
            "Each test login works once: start another test login in Lanyard.",
        ),
    }
}

async fn host_guard(State(page): State<Arc<Page>>, req: Request, next: Next) -> Response {
    if crate::loopback_host::host_allowed(req.headers(), page.port) {
        next.run(req).await
    } else {
        (StatusCode::MISDIRECTED_REQUEST, "wrong Host").into_response()
    }
}

impl Core {
    /// IdP-initiated test login: signs a response for `user` now and serves it once, on a random
    /// loopback port, for [`ONE_TIME_TTL`]. Returns the auto-post file to open in the browser.
    pub async fn idp_initiated_login(
        &self,
        app: &str,
        user: &str,
    ) -> Result<OneTimeLogin, ApiError> {
        let signed = self.saml_response(app, user, None).await?;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(|e| internal("cannot open a loopback port", e))?;
        let addr = listener
            .local_addr()
            .map_err(|e| internal("cannot open a loopback port", e))?;
        let token = format!(
            "{}{}",
            uuid::Uuid::new_v4().simple(),
            uuid::Uuid::new_v4().simple()
        );
        let (dir, own_dir) = private_dir()
            .map_err(|e| internal("cannot make a private folder for the test login page", e))?;
        let path = dir.join(format!("test-login-{}.html", uuid::Uuid::new_v4().simple()));
        let action = format!("http://{addr}/login");
        write_private(&path, &handoff_page(&action, &token))
            .map_err(|e| internal("cannot write the test login page", e))?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let page = Arc::new(Page {
            want: token,
            response: Mutex::new(Some((signed.acs_url, signed.saml_response))),
            stop: Mutex::new(Some(tx)),
            port: addr.port(),
        });
        let router = Router::new()
            .route("/login", post(serve_once))
            .layer(axum::middleware::from_fn_with_state(
                Arc::clone(&page),
                host_guard,
            ))
            .with_state(page);
        let cleanup = path.clone();
        let served = tokio::spawn(async move {
            let serve = axum::serve(listener, router).with_graceful_shutdown(async {
                let _ = tokio::time::timeout(ONE_TIME_TTL, rx).await;
                // Let the page that triggered the stop be written out.
                tokio::time::sleep(Duration::from_millis(200)).await;
            });
            let _ = serve.await;
            let _ = std::fs::remove_file(&cleanup);
            if own_dir {
                if let Some(d) = cleanup.parent() {
                    let _ = std::fs::remove_dir(d);
                }
            }
        });
        Ok(OneTimeLogin {
            url: file_url(&path),
            path,
            served,
        })
    }
}
