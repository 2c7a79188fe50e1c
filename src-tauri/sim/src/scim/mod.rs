//! SCIM 2.0 under `/services/scim/v2`, as Salesforce serves it.

pub mod error;
pub mod filter;
pub mod groups;
pub mod meta;
pub mod patch;
pub mod projection;
pub mod schemas;
pub mod users;

use crate::SharedSim;
use axum::extract::State;
use axum::http::{header, HeaderMap, Uri};
use axum::response::Response;
use axum::routing::{any, get, post};
use axum::Router;
use projection::{Projection, ProjectionQuery};
use serde::Deserialize;
use serde_json::{json, Value};

pub const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/// Salesforce's page size limit.
pub const MAX_PAGE: i64 = 200;
/// Past this startIndex Salesforce refuses and asks for `id gt` paging.
pub const MAX_START_INDEX: i64 = 2000;
/// The daily API allocation the practice org reports (a Developer Edition org's).
pub const DAILY_API_LIMIT: u64 = 15_000;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub filter: Option<String>,
    #[serde(rename = "startIndex")]
    pub start_index: Option<i64>,
    pub count: Option<i64>,
    pub attributes: Option<String>,
    #[serde(rename = "excludedAttributes")]
    pub excluded_attributes: Option<String>,
}

impl ListQuery {
    fn projection(&self) -> Result<Projection, Response> {
        Projection::from_query(&ProjectionQuery {
            attributes: self.attributes.clone(),
            excluded_attributes: self.excluded_attributes.clone(),
        })
    }
}

/// Checks the bearer token.
pub fn authorized(sim: &SharedSim, headers: &HeaderMap) -> Result<(), Response> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    match token {
        Some(t) if sim.oauth.access_token_valid(t) => Ok(()),
        _ => Err(error::unauthorized()),
    }
}

/// The start every single-resource handler shares: the bearer token, then the
/// attributes/excludedAttributes projection.
pub fn begin(
    sim: &SharedSim,
    headers: &HeaderMap,
    pq: &projection::ProjectionQuery,
) -> Result<projection::Projection, Response> {
    authorized(sim, headers)?;
    pq.parse()
}

/// [`begin`], then the JSON body of a write.
pub fn begin_write(
    sim: &SharedSim,
    headers: &HeaderMap,
    pq: &projection::ProjectionQuery,
    body: &axum::body::Bytes,
) -> Result<(projection::Projection, serde_json::Map<String, Value>), Response> {
    let projection = begin(sim, headers, pq)?;
    Ok((projection, users::parse_body(body)?))
}

/// A ListResponse of a page already chosen (filtered and cut to `count` by the caller, who
/// knows `total`), with the projection applied.
pub fn list_page(q: &ListQuery, total: usize, page: Vec<Value>) -> Response {
    let projection = match q.projection() {
        Ok(p) => p,
        Err(r) => return r,
    };
    let page: Vec<Value> = page.into_iter().map(|i| projection.apply(i)).collect();
    list_response(total, 1, page)
}

/// The ListResponse body; the page is moved in (`json!` would copy every resource).
fn list_response(total: usize, start: i64, page: Vec<Value>) -> Response {
    let mut body = json!({
        "schemas": [LIST_SCHEMA],
        "totalResults": total,
        "startIndex": start,
        "itemsPerPage": page.len(),
    });
    body["Resources"] = Value::Array(page);
    error::scim_json(axum::http::StatusCode::OK, &body)
}

/// A ListResponse page of `items` after filtering and paging; `present` makes an item's resource.
/// Without a filter only the items of the page are presented (the others are only counted), as a
/// real org pages first; with one, each item is presented to be tested.
pub fn list<T>(
    q: &ListQuery,
    items: impl Iterator<Item = T>,
    mut present: impl FnMut(T) -> Value,
) -> Response {
    let parsed = match q.filter.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        Some(f) => match filter::parse(f) {
            Ok(p) => Some(p),
            Err(e) => {
                return error::bad_request("invalidFilter", &format!("Invalid filter {f:?}: {e}"))
            }
        },
        None => None,
    };
    let projection = match q.projection() {
        Ok(p) => p,
        Err(r) => return r,
    };
    let start = q.start_index.unwrap_or(1).max(1);
    if start > MAX_START_INDEX {
        return error::bad_request(
            "invalidValue",
            "Start index too big. Consider filtering down your result set, e.g. id gt \"<last id>\"",
        );
    }
    let count = q.count.unwrap_or(MAX_PAGE).clamp(0, MAX_PAGE) as usize;
    let mut total = 0usize;
    let mut page = Vec::new();
    let skip = (start - 1) as usize;
    for item in items {
        let in_page = total >= skip && page.len() < count;
        match &parsed {
            None if in_page => page.push(projection.apply(present(item))),
            None => {}
            Some(f) => {
                let resource = present(item);
                if !f.matches(&resource) {
                    continue;
                }
                if in_page {
                    page.push(projection.apply(resource));
                }
            }
        }
        total += 1;
    }
    list_response(total, start, page)
}

/// Salesforce's `Sforce-Limit-Info: api-usage=N/M` on every SCIM response: each SCIM request
/// the org handles counts against the daily allocation (faults injected in front of the org do
/// not reach it, so they neither count nor carry the header).
pub async fn api_usage(
    State(sim): State<SharedSim>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let used = sim
        .api_usage
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        + 1;
    let mut res = next.run(req).await;
    if let Ok(v) = header::HeaderValue::from_str(&format!("api-usage={used}/{DAILY_API_LIMIT}")) {
        res.headers_mut().insert("sforce-limit-info", v);
    }
    res
}

pub fn router() -> Router<SharedSim> {
    let base = "/services/scim/v2";
    Router::new()
        .route(
            &format!("{base}/ServiceProviderConfigs"),
            get(meta::service_provider_config),
        )
        .route(
            &format!("{base}/ServiceProviderConfig"),
            get(meta::service_provider_config),
        )
        .route(&format!("{base}/Schemas"), get(meta::schemas))
        .route(&format!("{base}/Schemas/{{id}}"), get(meta::schema))
        .route(&format!("{base}/ResourceTypes"), get(meta::resource_types))
        .route(
            &format!("{base}/ResourceTypes/{{id}}"),
            get(meta::resource_type),
        )
        .route(&format!("{base}/Entitlements"), get(meta::entitlements))
        .route(
            &format!("{base}/Entitlements/{{id}}"),
            get(meta::entitlement_one),
        )
        .route(&format!("{base}/Roles"), get(meta::roles))
        .route(&format!("{base}/Roles/{{id}}"), get(meta::role_one))
        .route(
            &format!("{base}/Users"),
            get(users::list_users).post(users::create),
        )
        .route(
            &format!("{base}/Users/{{id}}"),
            get(users::get_one)
                .put(users::put)
                .patch(users::patch_one)
                .delete(users::delete),
        )
        .route(
            &format!("{base}/Groups"),
            get(groups::list_groups).post(groups::refuse_create),
        )
        .route(
            &format!("{base}/Groups/{{id}}"),
            get(groups::get_one)
                .put(groups::put)
                .patch(groups::patch_one)
                .delete(groups::refuse_delete),
        )
        .route(&format!("{base}/.search"), post(search_unsupported))
        .route(&format!("{base}/Users/.search"), post(search_unsupported))
        .route(&format!("{base}/Groups/.search"), post(search_unsupported))
        .route(&format!("{base}/{{*rest}}"), any(unknown_endpoint))
}

/// POST `.search` (RFC 7644 §3.4.3) is not offered: 501, the RFC's answer for an operation
/// the service provider does not support (§3.12). Lists are queried with GET and `filter`.
async fn search_unsupported(State(sim): State<SharedSim>, headers: HeaderMap) -> Response {
    if let Err(r) = authorized(&sim, &headers) {
        return r;
    }
    error::response(
        axum::http::StatusCode::NOT_IMPLEMENTED,
        None,
        "NOT_IMPLEMENTED: POST .search is not supported. Query with GET /Users or GET /Groups and the filter parameter.",
    )
}

/// Any other path under the SCIM base: a SCIM 404 (RFC 7644 §3.12), not an empty body.
async fn unknown_endpoint(State(sim): State<SharedSim>, headers: HeaderMap, uri: Uri) -> Response {
    if let Err(r) = authorized(&sim, &headers) {
        return r;
    }
    error::response(
        axum::http::StatusCode::NOT_FOUND,
        None,
        &format!(
            "NOT_FOUND: {} is not a SCIM endpoint of this org. Endpoints: Users, Groups, Entitlements, Roles, Schemas, ResourceTypes, ServiceProviderConfigs.",
            uri.path()
        ),
    )
}
