//! The pages the loopback IdP shows the browser: refusals, the page that waits for the admin's
//! approval, and the page that posts the response to Salesforce. Each carries a strict CSP; the
//! one script that runs is the auto-post's, by its nonce.

use super::xml::escape;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

pub(crate) fn html(
    status: StatusCode,
    title: &str,
    head: &str,
    body: &str,
    nonce: Option<&str>,
) -> Response {
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t} · Lanyard</title>{head}\
<style>body{{font-family:system-ui,sans-serif;max-width:640px;margin:3rem auto;color:#1d2330}}\
button{{font:inherit;padding:.5rem 1rem;margin:.3rem 0}}.code{{font:700 2.5rem ui-monospace,monospace;letter-spacing:.2em}}\
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
    res.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    res
}

/// A refusal page (403) whose detail says what to do.
pub(crate) fn deny(title: &str, detail: &str) -> Response {
    deny_with(StatusCode::FORBIDDEN, title, detail)
}

pub(crate) fn deny_with(status: StatusCode, title: &str, detail: &str) -> Response {
    html(
        status,
        title,
        "",
        &format!("<p class=\"error\" id=\"result\">{}</p>", escape(detail)),
        None,
    )
}

/// The body of a page that posts the response to the ACS as soon as it loads (with a button
/// without JS), and the nonce its script runs under.
pub(crate) fn auto_post_body(
    acs_url: &str,
    saml_response: &str,
    relay_state: Option<&str>,
) -> (String, String) {
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
    (body, nonce)
}

/// A page that posts the response to the ACS as soon as it loads.
pub(crate) fn auto_post(acs_url: &str, saml_response: &str, relay_state: Option<&str>) -> Response {
    let (body, nonce) = auto_post_body(acs_url, saml_response, relay_state);
    html(StatusCode::OK, "Signing in", "", &body, Some(&nonce))
}

/// Seconds between two looks of the waiting page.
pub(crate) const POLL_SECONDS: u32 = 2;

/// The page the browser shows while the admin decides: the request's code, and a refresh every
/// [`POLL_SECONDS`] until it was approved (then it posts the response), denied or expired.
pub(crate) fn waiting(code: &str, app_label: &str, seconds_left: i64) -> Response {
    let head = format!("<meta http-equiv=\"refresh\" content=\"{POLL_SECONDS}\">");
    let body = format!(
        "<p id=\"result\">Waiting for approval in Lanyard.</p>\
<p>Salesforce ({app}) asked Lanyard to sign someone in. In the Lanyard window (or the terminal running \
<code>lanyard idp serve</code>), check that the request shows this code, choose who signs in, and approve it:</p>\
<p class=\"code\" id=\"code\">{code}</p>\
<p>This page continues by itself once the request is approved. It expires in {left} seconds.</p>",
        app = escape(app_label),
        code = escape(code),
        left = seconds_left.max(0),
    );
    html(StatusCode::OK, "Waiting for approval", &head, &body, None)
}
