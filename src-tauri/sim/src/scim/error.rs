//! SCIM error responses (RFC 7644 §3.12) as Salesforce shapes them: the Error schema, a numeric
//! status, a `detail` that often starts with Salesforce's error code.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
pub const SCIM_JSON: &str = "application/scim+json";

/// A SCIM JSON body with the SCIM content type.
pub fn scim_json(status: StatusCode, body: &serde_json::Value) -> Response {
    let mut res = (status, body.to_string()).into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON));
    res
}

pub fn response(status: StatusCode, scim_type: Option<&str>, detail: &str) -> Response {
    let mut body = json!({
        "schemas": [ERROR_SCHEMA],
        "detail": detail,
        "status": status.as_u16(),
    });
    if let Some(t) = scim_type {
        body["scimType"] = json!(t);
    }
    scim_json(status, &body)
}

/// 429 with Retry-After (seconds).
pub fn too_many(detail: &str) -> Response {
    let mut res = response(StatusCode::TOO_MANY_REQUESTS, None, detail);
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    res
}

pub fn unauthorized() -> Response {
    let mut res = response(
        StatusCode::UNAUTHORIZED,
        None,
        "INVALID_SESSION_ID: Session expired or invalid. Send a valid OAuth access token as 'Authorization: Bearer <token>'.",
    );
    res.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"Salesforce SCIM\""),
    );
    res
}

pub fn not_found(kind: &str, id: &str) -> Response {
    response(
        StatusCode::NOT_FOUND,
        None,
        &format!("Resource {kind} with id {id} not found"),
    )
}

pub fn bad_request(scim_type: &str, detail: &str) -> Response {
    response(StatusCode::BAD_REQUEST, Some(scim_type), detail)
}

pub fn conflict(scim_type: Option<&str>, detail: &str) -> Response {
    response(StatusCode::CONFLICT, scim_type, detail)
}
