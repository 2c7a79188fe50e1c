//! /Groups: Salesforce public groups. Read, list (filter by displayName) and update membership;
//! Salesforce does not create or delete groups over SCIM, so POST and DELETE are refused.

use super::error::{self, scim_json};
use super::projection::{Projection, ProjectionQuery};
use super::users::get_ci;
use super::{authorized, list, patch, ListQuery};
use crate::SharedSim;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

pub const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";

pub fn new_group(id: &str, name: &str) -> Value {
    json!({
        "schemas": [GROUP_SCHEMA],
        "id": id,
        "displayName": name,
        "members": [],
        "meta": {"resourceType": "Group", "created": "2026-01-05T09:00:00.000Z", "lastModified": "2026-01-05T09:00:00.000Z"},
    })
}

/// The group as returned: its location, and each member's `$ref` and `type` (RFC 7643 §4.2).
fn present(sim: &SharedSim, group: &Value) -> Value {
    let mut g = group.clone();
    if let Some(members) = g["members"].as_array_mut() {
        for m in members {
            let id = m["value"].as_str().unwrap_or("").to_owned();
            m["$ref"] = json!(format!("{}/Users/{id}", sim.scim_base()));
            m["type"] = json!("User");
        }
    }
    g["meta"]["location"] = json!(format!(
        "{}/Groups/{}",
        sim.scim_base(),
        group["id"].as_str().unwrap_or("")
    ));
    g
}

pub async fn list_groups(
    State(sim): State<SharedSim>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    if let Err(r) = authorized(&sim, &headers) {
        return r;
    }
    let org = sim.org();
    list(&q, org.groups.values(), |g| present(&sim, g))
}

pub async fn get_one(
    State(sim): State<SharedSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(pq): Query<ProjectionQuery>,
) -> Response {
    let projection = match super::begin(&sim, &headers, &pq) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let org = sim.org();
    match org.groups.get(&id) {
        Some(g) => scim_json(StatusCode::OK, &projection.apply(present(&sim, g))),
        None => error::not_found("Group", &id),
    }
}

/// Applies a change to a group's members, checking that every member is a user of this org.
fn update(
    sim: &SharedSim,
    id: &str,
    projection: &Projection,
    change: impl FnOnce(&mut serde_json::Map<String, Value>) -> Result<(), Response>,
) -> Response {
    let mut org = sim.org();
    let Some(existing) = org.groups.get(id).cloned() else {
        return error::not_found("Group", id);
    };
    let mut draft = existing.as_object().cloned().unwrap_or_default();
    if let Err(r) = change(&mut draft) {
        return r;
    }
    let mut members = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for m in draft
        .get("members")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
    {
        let member_id = m.get("value").and_then(Value::as_str).unwrap_or("");
        let Some(user) = org.users.get(member_id) else {
            return error::bad_request(
                "invalidValue",
                &format!(
                    "INVALID_CROSS_REFERENCE_KEY: member {member_id:?} is not a user of this org"
                ),
            );
        };
        if seen.insert(member_id.to_owned()) {
            members.push(json!({"value": member_id, "display": user["displayName"]}));
        }
    }
    let name = draft
        .get("displayName")
        .cloned()
        .unwrap_or_else(|| existing["displayName"].clone());
    let mut group = existing;
    group["members"] = json!(members);
    group["displayName"] = name;
    match get_ci(&draft, "externalId").filter(|v| !v.is_null()) {
        Some(ext) => group["externalId"] = ext.clone(),
        None => {
            if let Some(g) = group.as_object_mut() {
                g.remove("externalId");
            }
        }
    }
    group["meta"]["lastModified"] =
        json!(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
    org.groups.insert(id.to_owned(), group.clone());
    scim_json(StatusCode::OK, &projection.apply(present(sim, &group)))
}

pub async fn patch_one(
    State(sim): State<SharedSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(pq): Query<ProjectionQuery>,
    body: Bytes,
) -> Response {
    let (projection, input) = match super::begin_write(&sim, &headers, &pq, &body) {
        Ok(x) => x,
        Err(r) => return r,
    };
    update(&sim, &id, &projection, |draft| patch::apply(draft, &input))
}

pub async fn put(
    State(sim): State<SharedSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(pq): Query<ProjectionQuery>,
    body: Bytes,
) -> Response {
    let (projection, input) = match super::begin_write(&sim, &headers, &pq, &body) {
        Ok(x) => x,
        Err(r) => return r,
    };
    update(&sim, &id, &projection, |draft| {
        draft.insert(
            "members".into(),
            input.get("members").cloned().unwrap_or_else(|| json!([])),
        );
        if let Some(n) = input.get("displayName") {
            draft.insert("displayName".into(), n.clone());
        }
        draft.remove("externalId");
        if let Some(ext) = get_ci(&input, "externalId") {
            draft.insert("externalId".into(), ext.clone());
        }
        Ok(())
    })
}

pub async fn refuse_create(State(sim): State<SharedSim>, headers: HeaderMap) -> Response {
    if let Err(r) = authorized(&sim, &headers) {
        return r;
    }
    error::response(
        StatusCode::METHOD_NOT_ALLOWED,
        None,
        "METHOD_NOT_ALLOWED: Groups can't be created through SCIM. Create the public group in Setup (Public Groups), then manage its members with PATCH.",
    )
}

pub async fn refuse_delete(
    State(sim): State<SharedSim>,
    headers: HeaderMap,
    Path(_id): Path<String>,
) -> Response {
    if let Err(r) = authorized(&sim, &headers) {
        return r;
    }
    error::response(
        StatusCode::METHOD_NOT_ALLOWED,
        None,
        "METHOD_NOT_ALLOWED: Groups can't be deleted through SCIM. Delete the public group in Setup (Public Groups).",
    )
}
