//! What keeps a web page in the admin's browser from driving the practice org: every request
//! must name the org in its Host header (`127.0.0.1:PORT` or `localhost:PORT`; a DNS-rebinding
//! page sends its own name), and every setup form carries a token the page cannot read.

use crate::SharedSim;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::RngCore;

pub fn new_token() -> String {
    let mut buf = [0u8; 24];
    rand::rng().fill_bytes(&mut buf);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares without stopping at the first difference.
pub fn same_token(got: &str, want: &str) -> bool {
    got.len() == want.len()
        && got
            .bytes()
            .zip(want.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// Whether the Host header names this org's listener.
pub fn host_allowed(headers: &axum::http::HeaderMap, port: u16) -> bool {
    let mut hosts = headers.get_all(header::HOST).iter();
    let (Some(host), None) = (hosts.next(), hosts.next()) else {
        return false;
    };
    let Some((name, p)) = host.to_str().ok().and_then(|h| h.rsplit_once(':')) else {
        return false;
    };
    p == port.to_string() && (name == "127.0.0.1" || name.eq_ignore_ascii_case("localhost"))
}

pub async fn host_guard(State(sim): State<SharedSim>, req: Request, next: Next) -> Response {
    if host_allowed(req.headers(), sim.port) {
        next.run(req).await
    } else {
        (
            StatusCode::MISDIRECTED_REQUEST,
            crate::pages::page(
                "Wrong address",
                &format!(
                    "<p class=\"error\">The practice org answers only at http://127.0.0.1:{}/.</p>",
                    sim.port
                ),
            ),
        )
            .into_response()
    }
}

/// The page for a setup form posted without this org's token.
pub fn csrf_refused() -> Response {
    (
        StatusCode::FORBIDDEN,
        crate::pages::page(
            "Request refused",
            "<p class=\"error\" id=\"sso-error\">The form's security token is missing or wrong (was it sent from another site?). Reload the setup page and save again. Nothing was saved.</p>",
        ),
    )
        .into_response()
}
