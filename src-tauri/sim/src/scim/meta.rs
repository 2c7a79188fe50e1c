//! Discovery endpoints: ServiceProviderConfigs (and the RFC's singular name), Schemas,
//! ResourceTypes, Entitlements (profiles and permission sets) and Roles.

use super::error::{self, scim_json};
use super::users::{ENTERPRISE_SCHEMA, USER_SCHEMA};
use super::{authorized, list, ListQuery};
use crate::org::Named;
use crate::SharedSim;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

pub async fn service_provider_config(State(sim): State<SharedSim>, headers: HeaderMap) -> Response {
    if let Err(r) = authorized(&sim, &headers) {
        return r;
    }
    scim_json(
        StatusCode::OK,
        &json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "documentationUri": format!("{}/help/scim", sim.base_url),
            "patch": {"supported": true},
            "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": true, "maxResults": 200},
            "changePassword": {"supported": false},
            "sort": {"supported": false},
            "etag": {"supported": false},
            "authenticationSchemes": [{
                "type": "oauthbearertoken",
                "name": "OAuth Bearer Token",
                "description": "Authentication scheme using the OAuth 2.0 Bearer Token standard",
                "specUri": "http://www.rfc-editor.org/info/rfc6750",
                "primary": true
            }],
            "meta": {"resourceType": "ServiceProviderConfig", "location": format!("{}/ServiceProviderConfigs", sim.scim_base())},
        }),
    )
}

fn resource_types_list(sim: &SharedSim) -> Vec<Value> {
    vec![
        json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"], "id": "User", "name": "User",
               "endpoint": "/Users", "schema": USER_SCHEMA,
               "schemaExtensions": [{"schema": ENTERPRISE_SCHEMA, "required": false}],
               "meta": {"resourceType": "ResourceType", "location": format!("{}/ResourceTypes/User", sim.scim_base())}}),
        json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"], "id": "Group", "name": "Group",
               "endpoint": "/Groups", "schema": super::groups::GROUP_SCHEMA,
               "meta": {"resourceType": "ResourceType", "location": format!("{}/ResourceTypes/Group", sim.scim_base())}}),
    ]
}

fn entitlement(sim: &SharedSim, n: &Named, kind: &str) -> Value {
    json!({
        "schemas": ["urn:salesforce:schemas:extension:2.0:Entitlement"],
        "id": n.id, "displayName": n.name, "type": kind,
        "meta": {"resourceType": "Entitlement", "location": format!("{}/Entitlements/{}", sim.scim_base(), n.id)},
    })
}

fn entitlements_list(sim: &SharedSim) -> Vec<Value> {
    let org = sim.org();
    org.profiles
        .iter()
        .map(|p| entitlement(sim, p, "Profile"))
        .chain(
            org.permission_sets
                .iter()
                .map(|p| entitlement(sim, p, "PermissionSet")),
        )
        .collect()
}

fn roles_list(sim: &SharedSim) -> Vec<Value> {
    let org = sim.org();
    org.roles
        .iter()
        .map(|r| json!({
            "schemas": ["urn:salesforce:schemas:extension:2.0:Role"],
            "id": r.id, "displayName": r.name,
            "meta": {"resourceType": "Role", "location": format!("{}/Roles/{}", sim.scim_base(), r.id)},
        }))
        .collect()
}

fn schemas_list(sim: &SharedSim) -> Vec<Value> {
    super::schemas::all(&sim.scim_base())
}

/// A read-only catalogue endpoint (Schemas, ResourceTypes, Entitlements, Roles).
type Catalogue = fn(&SharedSim) -> Vec<Value>;

fn list_catalogue(
    sim: &SharedSim,
    headers: &HeaderMap,
    q: &ListQuery,
    catalogue: Catalogue,
) -> Response {
    if let Err(r) = authorized(sim, headers) {
        return r;
    }
    list(q, catalogue(sim).into_iter(), |v| v)
}

fn one_of_catalogue(
    sim: &SharedSim,
    headers: &HeaderMap,
    id: &str,
    kind: &str,
    catalogue: Catalogue,
) -> Response {
    if let Err(r) = authorized(sim, headers) {
        return r;
    }
    match catalogue(sim).into_iter().find(|e| e["id"] == id) {
        Some(e) => scim_json(StatusCode::OK, &e),
        None => error::not_found(kind, id),
    }
}

pub async fn schemas(
    State(sim): State<SharedSim>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    list_catalogue(&sim, &headers, &q, schemas_list)
}

pub async fn schema(
    State(sim): State<SharedSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    one_of_catalogue(&sim, &headers, &id, "Schema", schemas_list)
}

pub async fn resource_types(
    State(sim): State<SharedSim>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    list_catalogue(&sim, &headers, &q, resource_types_list)
}

pub async fn resource_type(
    State(sim): State<SharedSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    one_of_catalogue(&sim, &headers, &id, "ResourceType", resource_types_list)
}

pub async fn entitlements(
    State(sim): State<SharedSim>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    list_catalogue(&sim, &headers, &q, entitlements_list)
}

pub async fn entitlement_one(
    State(sim): State<SharedSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    one_of_catalogue(&sim, &headers, &id, "Entitlement", entitlements_list)
}

pub async fn roles(
    State(sim): State<SharedSim>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    list_catalogue(&sim, &headers, &q, roles_list)
}

pub async fn role_one(
    State(sim): State<SharedSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    one_of_catalogue(&sim, &headers, &id, "Role", roles_list)
}
