//! /Users: create, read, list, PATCH, PUT and DELETE (= deactivate), with Salesforce's rules:
//! userName lower-cased and unique across all orgs, exactly one profile entitlement, one email /
//! phone / address kept, defaults filled in on create, email changes held for confirmation,
//! restricted state/country picklists.

use super::error::{self, scim_json};
use super::projection::{Projection, ProjectionQuery};
use super::{authorized, list, patch, ListQuery};
use crate::org::Org;
use crate::SharedSim;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::{json, Map, Value};

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const ENTERPRISE_SCHEMA: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const MAX_BODY: usize = 64 * 1024;
/// Optional attributes a PATCH `remove` clears. The others are filled by Salesforce (names,
/// nickname, locale, language, time zone, active) and keep their value.
const REMOVABLE: [&str; 4] = ["title", "externalId", "roles", ENTERPRISE_SCHEMA];

/// A refusal with the status and text Salesforce would answer.
pub struct Refusal(pub Response);

fn missing(field: &str) -> Refusal {
    Refusal(error::conflict(
        None,
        &format!("REQUIRED_FIELD_MISSING:Required fields are missing: [{field}];"),
    ))
}

fn invalid(detail: &str) -> Refusal {
    Refusal(error::bad_request("invalidValue", detail))
}

/// Parses a request body as a JSON object, refusing oversize or malformed input.
pub fn parse_body(body: &Bytes) -> Result<Map<String, Value>, Response> {
    if body.len() > MAX_BODY {
        return Err(error::response(
            StatusCode::PAYLOAD_TOO_LARGE,
            None,
            &format!(
                "The request body is {} bytes; the limit is {MAX_BODY}.",
                body.len()
            ),
        ));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(error::bad_request(
            "invalidSyntax",
            "The request body must be a JSON object.",
        )),
        Err(e) => Err(error::bad_request(
            "invalidSyntax",
            &format!("The request body is not valid JSON: {e}"),
        )),
    }
}

/// Case-insensitive attribute lookup (SCIM attribute names are case-insensitive).
pub fn get_ci<'a>(obj: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    obj.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

fn str_ci<'a>(obj: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    get_ci(obj, name).and_then(Value::as_str)
}

fn looks_like_email(s: &str) -> bool {
    let mut parts = s.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c == ',' || c == ';' || c == '<' || c == '>')
        && s.len() <= 80
}

fn salesforce_locale(s: &str) -> bool {
    let b = s.as_bytes();
    (b.len() == 2 && b.iter().all(u8::is_ascii_lowercase))
        || (b.len() == 5
            && b[..2].iter().all(u8::is_ascii_lowercase)
            && b[2] == b'_'
            && b[3..].iter().all(u8::is_ascii_uppercase))
}

/// Keeps one element of a multi-valued attribute: the primary one, else the first.
fn keep_one(value: Option<&Value>) -> Option<Value> {
    let items = value?.as_array()?;
    let chosen = items
        .iter()
        .find(|v| v.get("primary").and_then(Value::as_bool) == Some(true))
        .or_else(|| items.first())?;
    let mut one = chosen.clone();
    if let Value::Object(m) = &mut one {
        m.insert("primary".into(), json!(true));
    }
    Some(json!([one]))
}

/// Turns a requested user (create, PUT, or the result of PATCH ops) into the stored resource.
/// `existing` is the stored user for updates.
pub fn normalize(
    org: &mut Org,
    base_url: &str,
    input: &Map<String, Value>,
    existing: Option<&Value>,
    now: &str,
) -> Result<Value, Refusal> {
    let existing_id = existing
        .and_then(|e| e.get("id"))
        .and_then(Value::as_str)
        .map(String::from);

    // userName
    let user_name = str_ci(input, "userName")
        .ok_or_else(|| missing("Username"))?
        .trim()
        .to_lowercase();
    if !looks_like_email(&user_name) {
        return Err(invalid(&format!(
            "INVALID_NEW_USERNAME: {user_name:?} is not a valid username: it must be in the form of an email address (for example, jane@acme.com)."
        )));
    }
    let holder = org.user_id_by_name(&user_name);
    if (holder.is_some() && holder != existing_id) || org.taken_elsewhere.contains(&user_name) {
        return Err(Refusal(error::conflict(
            Some("uniqueness"),
            "DUPLICATE_USERNAME:Duplicate Username.The username already exists in this or another Salesforce organization. Usernames must be unique across all Salesforce organizations. To resolve, use a different username (it doesn't need to match the user's email address).",
        )));
    }

    // name
    let name = get_ci(input, "name").and_then(Value::as_object);
    let family = name
        .and_then(|n| str_ci(n, "familyName"))
        .map(str::trim)
        .unwrap_or("");
    if family.is_empty() {
        return Err(missing("LastName"));
    }
    let given = name
        .and_then(|n| str_ci(n, "givenName"))
        .map(str::trim)
        .unwrap_or("");
    let formatted = if given.is_empty() {
        family.to_owned()
    } else {
        format!("{given} {family}")
    };

    // emails: one kept; a change on an existing user waits for confirmation.
    let emails = keep_one(get_ci(input, "emails")).ok_or_else(|| missing("Email"))?;
    let requested_email = emails[0]
        .get("value")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim()
        .to_owned();
    if !looks_like_email(&requested_email) {
        return Err(invalid(&format!(
            "INVALID_EMAIL_ADDRESS: Email: invalid email address: {requested_email}"
        )));
    }
    let emails = match existing.and_then(|e| e["emails"][0]["value"].as_str()) {
        Some(current) if !current.eq_ignore_ascii_case(&requested_email) => {
            if let Some(id) = &existing_id {
                org.pending_emails
                    .insert(id.clone(), requested_email.clone());
            }
            existing.map(|e| e["emails"].clone()).unwrap_or(emails)
        }
        _ => emails,
    };

    // entitlements: exactly one profile, plus any permission sets.
    let mut profiles = Vec::new();
    let mut entitlements = Vec::new();
    let requested = get_ci(input, "entitlements")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for e in &requested {
        let id = e.get("value").and_then(Value::as_str).unwrap_or("");
        if let Some(p) = org.profile_by_id(id) {
            profiles.push(p.clone());
            entitlements.push(
                json!({"value": p.id, "display": p.name, "type": "Profile", "primary": true}),
            );
        } else if let Some(ps) = org.permission_sets.iter().find(|p| p.id == id) {
            entitlements.push(json!({"value": ps.id, "display": ps.name, "type": "PermissionSet", "primary": false}));
        } else {
            return Err(invalid(&format!(
                "INVALID_CROSS_REFERENCE_KEY: entitlement {id:?} is not a profile or permission set id in this org; GET /Entitlements lists them."
            )));
        }
    }
    if profiles.len() != 1 {
        if requested.is_empty() {
            if let Some(prev) = existing.and_then(|e| e.get("entitlements")) {
                entitlements = prev.as_array().cloned().unwrap_or_default();
            }
        }
        if entitlements
            .iter()
            .filter(|e| e["type"] == "Profile")
            .count()
            != 1
        {
            return Err(Refusal(error::conflict(
                None,
                "REQUIRED_FIELD_MISSING:user_must_have_one_entitlement_which_must_be_a_profileid;",
            )));
        }
    }

    // addresses: one kept; restricted picklists refuse state/country.
    let addresses = keep_one(get_ci(input, "addresses"));
    if let (true, Some(addr)) = (
        org.picklists_enabled,
        addresses.as_ref().and_then(|a| a.get(0)),
    ) {
        for (field, label) in [("region", "State/Province"), ("country", "Country")] {
            if let Some(v) = addr
                .get(field)
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty())
            {
                return Err(invalid(&format!(
                    "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: {label}: bad value for restricted picklist field: {v}"
                )));
            }
        }
    }
    let phones = keep_one(get_ci(input, "phoneNumbers"));

    for field in ["locale", "preferredLanguage"] {
        if let Some(v) = str_ci(input, field) {
            if !salesforce_locale(v) {
                return Err(invalid(&format!(
                    "INVALID_LANGUAGE_LOCALE: {field} {v:?} is not a Salesforce locale code; use codes such as en_US or fr_FR."
                )));
            }
        }
    }

    let id = match &existing_id {
        Some(id) => id.clone(),
        None => org.next_id("005"),
    };
    let prev = |k: &str| existing.and_then(|e| e.get(k)).cloned();
    let text = |k: &str, default: Value| {
        str_ci(input, k)
            .map(|s| json!(s))
            .or_else(|| prev(k))
            .unwrap_or(default)
    };
    let created = existing
        .and_then(|e| e["meta"]["created"].as_str())
        .unwrap_or(now)
        .to_owned();
    let location = format!("{base_url}/services/scim/v2/Users/{id}");
    let mut enterprise = get_ci(input, ENTERPRISE_SCHEMA)
        .cloned()
        .or_else(|| prev(ENTERPRISE_SCHEMA))
        .unwrap_or_else(|| json!({}));
    if let Value::Object(e) = &mut enterprise {
        // An extension object holds attributes only; its schema is listed in `schemas`.
        e.retain(|k, _| !k.eq_ignore_ascii_case("schemas"));
    }
    if enterprise.get("organization").is_none() {
        enterprise["organization"] = json!(org.name);
    }
    let mut user = json!({
        "schemas": [USER_SCHEMA, ENTERPRISE_SCHEMA],
        "id": id,
        "userName": user_name,
        "name": name_of(name, given, family, &formatted),
        "displayName": text("displayName", json!(formatted)),
        "nickName": text("nickName", json!(user_name.chars().take(40).collect::<String>())),
        "title": text("title", Value::Null),
        "userType": "Standard",
        "preferredLanguage": text("preferredLanguage", json!("en_US")),
        "locale": text("locale", json!("en_US")),
        "timezone": text("timezone", json!("America/Los_Angeles")),
        "emailEncodingKey": "UTF-8",
        "active": get_ci(input, "active").and_then(Value::as_bool).or_else(|| prev("active").and_then(|v| v.as_bool())).unwrap_or(true),
        "emails": emails,
        "entitlements": entitlements,
        "photos": [
            {"type": "photo", "value": format!("{base_url}/profilephoto/005/F")},
            {"type": "thumbnail", "value": format!("{base_url}/profilephoto/005/T")}
        ],
        ENTERPRISE_SCHEMA: enterprise,
        "meta": {
            "resourceType": "User",
            "created": created,
            "lastModified": now,
            "location": location,
        },
    });
    if let Some(ext) = str_ci(input, "externalId")
        .map(|s| json!(s))
        .or_else(|| prev("externalId"))
    {
        user["externalId"] = ext;
    }
    if let Some(p) = phones {
        user["phoneNumbers"] = p;
    }
    if let Some(a) = addresses {
        user["addresses"] = a;
    }
    if let Some(roles) = get_ci(input, "roles").cloned().or_else(|| prev("roles")) {
        user["roles"] = roles;
    }
    if user["title"].is_null() {
        if let Value::Object(m) = &mut user {
            m.remove("title");
        }
    }
    let version = version_of(&user);
    user["meta"]["version"] = json!(version);
    Ok(user)
}

/// The stored `name`: Salesforce's first and last name, the formatted full name, and the
/// optional parts when given.
fn name_of(
    input: Option<&Map<String, Value>>,
    given: &str,
    family: &str,
    formatted: &str,
) -> Value {
    let mut name = json!({"givenName": given, "familyName": family, "formatted": formatted});
    for part in ["middleName", "honorificPrefix", "honorificSuffix"] {
        if let Some(v) = input
            .and_then(|n| str_ci(n, part))
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            name[part] = json!(v);
        }
    }
    name
}

fn version_of(user: &Value) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(user.to_string().as_bytes());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("W/\"{hex}\"")
}

/// The resource as returned: the stored user plus its groups.
fn present(org: &Org, base_url: &str, user: &Value) -> Value {
    let id = user["id"].as_str().unwrap_or("");
    let groups: Vec<Value> = org
        .groups
        .values()
        .filter(|g| {
            g["members"]
                .as_array()
                .is_some_and(|m| m.iter().any(|x| x["value"] == id))
        })
        .map(group_ref)
        .collect();
    present_with(base_url, user, groups)
}

fn group_ref(g: &Value) -> Value {
    json!({"value": g["id"], "display": g["displayName"], "$ref": g["meta"]["location"]})
}

/// Each user's groups, found once for a whole list (a scan per user is users × members).
fn groups_by_member(org: &Org) -> std::collections::HashMap<String, Vec<Value>> {
    let mut out: std::collections::HashMap<String, Vec<Value>> = std::collections::HashMap::new();
    for g in org.groups.values() {
        for m in g["members"].as_array().into_iter().flatten() {
            if let Some(id) = m["value"].as_str() {
                let refs = out.entry(id.to_owned()).or_default();
                // A member listed twice is one membership.
                if !refs.iter().any(|r| r["value"] == g["id"]) {
                    refs.push(group_ref(g));
                }
            }
        }
    }
    out
}

fn present_with(base_url: &str, user: &Value, groups: Vec<Value>) -> Value {
    let id = user["id"].as_str().unwrap_or("");
    let mut out = user.clone();
    out["meta"]["location"] = json!(format!("{base_url}/services/scim/v2/Users/{id}"));
    if !groups.is_empty() {
        out["groups"] = json!(groups);
    }
    out
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The user as a response: Location and ETag headers, the body projected as asked.
fn with_location(status: StatusCode, user: &Value, projection: &Projection) -> Response {
    let mut res = scim_json(status, &projection.apply(user.clone()));
    if let Some(loc) = user["meta"]["location"]
        .as_str()
        .and_then(|l| HeaderValue::from_str(l).ok())
    {
        res.headers_mut().insert(header::LOCATION, loc);
    }
    if let Some(v) = user["meta"]["version"]
        .as_str()
        .and_then(|l| HeaderValue::from_str(l).ok())
    {
        res.headers_mut().insert(header::ETAG, v);
    }
    res
}

pub async fn create(
    State(sim): State<SharedSim>,
    headers: HeaderMap,
    Query(pq): Query<ProjectionQuery>,
    body: Bytes,
) -> Response {
    let (projection, input) = match super::begin_write(&sim, &headers, &pq, &body) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let mut org = sim.org();
    let active_users = org.users.values().filter(|u| u["active"] == true).count();
    if active_users >= org.license_limit {
        return error::conflict(None, "LICENSE_LIMIT_EXCEEDED:License Limit Exceeded");
    }
    match normalize(&mut org, &sim.base_url, &input, None, &now()) {
        Ok(user) => {
            org.put_user(user.clone());
            with_location(
                StatusCode::CREATED,
                &present(&org, &sim.base_url, &user),
                &projection,
            )
        }
        Err(Refusal(r)) => r,
    }
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
    match org.users.get(&id) {
        Some(u) => with_location(
            StatusCode::OK,
            &present(&org, &sim.base_url, u),
            &projection,
        ),
        None => error::not_found("User", &id),
    }
}

pub async fn list_users(
    State(sim): State<SharedSim>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    if let Err(r) = authorized(&sim, &headers) {
        return r;
    }
    let org = sim.org();
    // The two filters clients page and look up with are answered from the indexes (users are
    // kept in id order, and by username), as a real org answers them: not by presenting every
    // user. Each user's groups come from one pass over the groups.
    match super::filter::simple(q.filter.as_deref()) {
        Some(super::filter::Simple::IdGt(after)) if q.start_index.unwrap_or(1) <= 1 => {
            use std::ops::Bound::{Excluded, Unbounded};
            let range = || {
                org.users
                    .range::<str, _>((Excluded(after.as_str()), Unbounded))
            };
            let count = q.count.unwrap_or(super::MAX_PAGE).clamp(0, super::MAX_PAGE) as usize;
            let mut groups = groups_by_member(&org);
            let page: Vec<Value> = range()
                .take(count)
                .map(|(id, u)| {
                    present_with(
                        &sim.base_url,
                        u,
                        groups.remove(id.as_str()).unwrap_or_default(),
                    )
                })
                .collect();
            super::list_page(&q, range().count(), page)
        }
        Some(super::filter::Simple::UserNameEq(name)) => list(
            &q,
            org.user_id_by_name(&name)
                .and_then(|id| org.users.get(&id))
                .into_iter(),
            |u| present(&org, &sim.base_url, u),
        ),
        _ => {
            let mut groups = groups_by_member(&org);
            // Paged first: only the users of the page are presented (unless a filter tests each).
            list(&q, org.users.values(), |u| {
                let mine = u["id"]
                    .as_str()
                    .and_then(|id| groups.remove(id))
                    .unwrap_or_default();
                present_with(&sim.base_url, u, mine)
            })
        }
    }
}

/// PUT and PATCH: authorize, read the body, build the new draft from the stored user, validate it
/// as a whole (nothing half-applied is stored) and answer with the result.
fn update_user(
    sim: &SharedSim,
    headers: &HeaderMap,
    id: &str,
    pq: &ProjectionQuery,
    body: &Bytes,
    draft: impl FnOnce(&Value, Map<String, Value>) -> Result<(Map<String, Value>, Value), Response>,
) -> Response {
    let (projection, input) = match super::begin_write(sim, headers, pq, body) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let mut org = sim.org();
    let Some(existing) = org.users.get(id).cloned() else {
        return error::not_found("User", id);
    };
    // `previous` is what normalize may fall back to for attributes the draft lacks.
    let (draft, previous) = match draft(&existing, input) {
        Ok(d) => d,
        Err(r) => return r,
    };
    match normalize(&mut org, &sim.base_url, &draft, Some(&previous), &now()) {
        Ok(user) => {
            org.put_user(user.clone());
            with_location(
                StatusCode::OK,
                &present(&org, &sim.base_url, &user),
                &projection,
            )
        }
        Err(Refusal(r)) => r,
    }
}

pub async fn put(
    State(sim): State<SharedSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(pq): Query<ProjectionQuery>,
    body: Bytes,
) -> Response {
    update_user(&sim, &headers, &id, &pq, &body, |existing, input| {
        Ok((input, existing.clone()))
    })
}

pub async fn patch_one(
    State(sim): State<SharedSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(pq): Query<ProjectionQuery>,
    body: Bytes,
) -> Response {
    update_user(&sim, &headers, &id, &pq, &body, |existing, input| {
        let mut draft = existing.as_object().cloned().unwrap_or_default();
        patch::apply(&mut draft, &input)?;
        // The draft is the whole resource: an optional attribute it lacks was removed and must
        // not come back from the stored user. What Salesforce fills in itself stays filled.
        let mut previous = existing.clone();
        if let Value::Object(p) = &mut previous {
            for key in REMOVABLE {
                if get_ci(&draft, key).is_none() {
                    p.remove(key);
                }
            }
        }
        Ok((draft, previous))
    })
}

/// Salesforce users cannot be deleted: DELETE deactivates.
pub async fn delete(
    State(sim): State<SharedSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(r) = authorized(&sim, &headers) {
        return r;
    }
    let mut org = sim.org();
    let stamp = now();
    match org.users.get_mut(&id) {
        Some(u) => {
            u["active"] = json!(false);
            u["meta"]["lastModified"] = json!(stamp);
            let mut res = Response::new(axum::body::Body::empty());
            *res.status_mut() = StatusCode::NO_CONTENT;
            res
        }
        None => error::not_found("User", &id),
    }
}
