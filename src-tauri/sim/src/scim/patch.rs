//! PATCH (RFC 7644 §3.5.2) on a draft copy of a resource: add / replace / remove with or without
//! a path, sub-attribute paths (`name.givenName`), extension paths
//! (`urn:…:enterprise:2.0:User:department`), value-filtered paths (`emails[type eq "work"].value`,
//! `members[value eq "005…"]`), and Salesforce's `{"members":[…]}` wrapper for group members.
//! The caller validates the result as it would a PUT, so nothing half-applied is ever stored.

use super::error;
use super::filter;
use super::users::{get_ci, ENTERPRISE_SCHEMA};
use axum::response::Response;
use serde_json::{Map, Value};

pub const PATCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const MAX_OPS: usize = 1000;

fn syntax(detail: &str) -> Response {
    error::bad_request("invalidSyntax", detail)
}

/// Splits `urn:…:User:department` into (Some("urn:…:User"), "department").
fn split_urn(path: &str) -> (Option<&str>, &str) {
    if path.to_ascii_lowercase().starts_with("urn:") {
        if let Some(pos) = path.rfind(':') {
            let (urn, attr) = (&path[..pos], &path[pos + 1..]);
            if urn.ends_with(":User") || urn.ends_with(":Group") || urn.contains(":extension:") {
                let core = urn.ends_with("core:2.0:User") || urn.ends_with("core:2.0:Group");
                return (if core { None } else { Some(urn) }, attr);
            }
        }
    }
    (None, path)
}

/// Whether one element of the multi-valued attribute `attr` matches a value-path filter.
fn element_matches(f: &filter::Filter, attr: &str, element: &Value) -> bool {
    let mut wrapper = Map::new();
    wrapper.insert(attr.to_owned(), Value::Array(vec![element.clone()]));
    f.matches(&Value::Object(wrapper))
}

struct Path<'a> {
    urn: Option<&'a str>,
    attr: &'a str,
    filter: Option<filter::Filter>,
    sub: Option<&'a str>,
}

fn parse_path(path: &str) -> Result<Path<'_>, Response> {
    let (urn, rest) = split_urn(path.trim());
    let (head, filter, after) = match rest.find('[') {
        Some(open) => {
            let close = rest.rfind(']').ok_or_else(|| {
                error::bad_request("invalidPath", &format!("path {path:?} has '[' without ']'"))
            })?;
            // Parsed with its attribute (`members[value eq "…"]`) so the comparison knows the
            // context: member ids are case-exact.
            let f = filter::parse(&format!("{}[{}]", &rest[..open], &rest[open + 1..close]))
                .map_err(|e| error::bad_request("invalidPath", &format!("path {path:?}: {e}")))?;
            (
                &rest[..open],
                Some(f),
                rest[close + 1..].trim_start_matches('.'),
            )
        }
        None => match rest.split_once('.') {
            Some((a, s)) => (a, None, s),
            None => (rest, None, ""),
        },
    };
    if head.is_empty() {
        return Err(error::bad_request(
            "invalidPath",
            &format!("path {path:?} names no attribute"),
        ));
    }
    Ok(Path {
        urn,
        attr: head,
        filter,
        sub: (!after.is_empty()).then_some(after),
    })
}

/// The object the path's attribute lives in (the resource, or its extension object).
fn container<'a>(
    draft: &'a mut Map<String, Value>,
    urn: Option<&str>,
) -> &'a mut Map<String, Value> {
    let Some(urn) = urn else { return draft };
    let key = draft
        .keys()
        .find(|k| k.eq_ignore_ascii_case(urn))
        .cloned()
        .unwrap_or_else(|| urn.to_owned());
    let slot = draft
        .entry(key)
        .or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    match slot {
        Value::Object(m) => m,
        _ => unreachable!("just made an object"),
    }
}

fn key_ci(map: &Map<String, Value>, name: &str) -> String {
    map.keys()
        .find(|k| k.eq_ignore_ascii_case(name))
        .cloned()
        .unwrap_or_else(|| name.to_owned())
}

/// Salesforce sends group members as `{"members":[…]}`; the RFC as `[…]`.
fn unwrap_members(attr: &str, value: Value) -> Value {
    if attr.eq_ignore_ascii_case("members") {
        if let Value::Object(m) = &value {
            if let Some(inner) = get_ci(m, "members") {
                return inner.clone();
            }
        }
    }
    value
}

fn merge_into(target: &mut Map<String, Value>, key: &str, value: Value, append: bool) {
    let k = key_ci(target, key);
    match (target.get_mut(&k), value) {
        (Some(Value::Array(existing)), Value::Array(new)) if append => {
            // A set of the values held: adding to a group of thousands stays linear.
            let mut have: std::collections::HashSet<String> = existing
                .iter()
                .filter_map(|e| e.get("value").map(Value::to_string))
                .collect();
            for item in new {
                let fresh = match item.get("value") {
                    Some(v) => have.insert(v.to_string()),
                    None => true,
                };
                if fresh {
                    existing.push(item);
                }
            }
        }
        (Some(Value::Object(existing)), Value::Object(new)) => {
            for (sk, sv) in new {
                let sk = key_ci(existing, &sk);
                existing.insert(sk, sv);
            }
        }
        (_, value) => {
            target.insert(k, value);
        }
    }
}

/// A path naming a whole extension (`urn:…:enterprise:2.0:User`) targets its object: add and
/// replace merge the given sub-attributes into it (RFC 7644 §3.5.2.1, §3.5.2.3), remove drops it.
fn apply_to_extension(
    draft: &mut Map<String, Value>,
    op: &str,
    urn: &str,
    value: Option<Value>,
) -> Result<(), Response> {
    let key = key_ci(draft, urn);
    if op == "remove" {
        draft.remove(&key);
        return Ok(());
    }
    match value {
        Some(Value::Object(v)) => {
            merge_into(draft, &key, Value::Object(v), false);
            Ok(())
        }
        _ => Err(syntax(&format!("{op} on {urn:?} needs an object value"))),
    }
}

fn apply_one(
    draft: &mut Map<String, Value>,
    op: &str,
    path: Option<&str>,
    value: Option<Value>,
) -> Result<(), Response> {
    let Some(path) = path.filter(|p| !p.trim().is_empty()) else {
        if op == "remove" {
            return Err(error::bad_request("noTarget", "remove needs a path"));
        }
        let Some(Value::Object(values)) = value else {
            return Err(syntax("an operation without a path needs an object value"));
        };
        for (k, v) in values {
            let (urn, attr) = split_urn(&k);
            if urn.is_some() && v.is_object() {
                merge_into(draft, &k, v, false);
            } else {
                merge_into(
                    container(draft, urn),
                    attr,
                    unwrap_members(attr, v),
                    op == "add",
                );
            }
        }
        return Ok(());
    };
    if path.trim().eq_ignore_ascii_case(ENTERPRISE_SCHEMA) {
        return apply_to_extension(draft, op, path.trim(), value);
    }
    let p = parse_path(path)?;
    let target = container(draft, p.urn);
    let key = key_ci(target, p.attr);
    match (op, &p.filter, p.sub) {
        ("remove", None, None) => match value {
            // Remove listed members / values from a multi-valued attribute.
            Some(v) => {
                let v = unwrap_members(p.attr, v);
                let gone: Vec<Value> = v.as_array().cloned().unwrap_or_else(|| vec![v.clone()]);
                let gone: std::collections::HashSet<String> = gone
                    .iter()
                    .filter_map(|g| g.get("value").map(Value::to_string))
                    .collect();
                if let Some(Value::Array(items)) = target.get_mut(&key) {
                    items.retain(|i| {
                        !i.get("value")
                            .is_some_and(|v| gone.contains(&v.to_string()))
                    });
                }
            }
            None => {
                target.remove(&key);
            }
        },
        ("remove", Some(f), None) => {
            if let Some(Value::Array(items)) = target.get_mut(&key) {
                items.retain(|i| !element_matches(f, p.attr, i));
            }
        }
        (_, None, None) => {
            let v = value.ok_or_else(|| syntax(&format!("{op} on {path:?} needs a value")))?;
            merge_into(target, p.attr, unwrap_members(p.attr, v), op == "add");
        }
        (_, None, Some(sub)) => {
            let obj = target
                .entry(key)
                .or_insert_with(|| Value::Object(Map::new()));
            if !obj.is_object() {
                *obj = Value::Object(Map::new());
            }
            if let Value::Object(m) = obj {
                let sk = key_ci(m, sub);
                match (op, value) {
                    ("remove", _) => {
                        m.remove(&sk);
                    }
                    (_, Some(v)) => {
                        m.insert(sk, v);
                    }
                    (_, None) => return Err(syntax(&format!("{op} on {path:?} needs a value"))),
                }
            }
        }
        (_, Some(f), sub) => {
            let Some(Value::Array(items)) = target.get_mut(&key) else {
                return Err(error::bad_request(
                    "noTarget",
                    &format!("{path:?} matches nothing"),
                ));
            };
            let mut hit = false;
            for item in items.iter_mut().filter(|i| element_matches(f, p.attr, i)) {
                hit = true;
                match (sub, item) {
                    (Some(sub), Value::Object(m)) => {
                        let sk = key_ci(m, sub);
                        if op == "remove" {
                            m.remove(&sk);
                        } else if let Some(v) = value.clone() {
                            m.insert(sk, v);
                        }
                    }
                    (None, item) => {
                        if let Some(v) = value.clone() {
                            *item = v;
                        }
                    }
                    _ => {}
                }
            }
            if !hit {
                return Err(error::bad_request(
                    "noTarget",
                    &format!("{path:?} matches nothing"),
                ));
            }
        }
    }
    Ok(())
}

/// Applies a PatchOp body to `draft`.
pub fn apply(draft: &mut Map<String, Value>, body: &Map<String, Value>) -> Result<(), Response> {
    let schemas_ok = get_ci(body, "schemas")
        .and_then(Value::as_array)
        .is_some_and(|s| s.iter().any(|x| x.as_str() == Some(PATCH_SCHEMA)));
    if !schemas_ok {
        return Err(syntax(&format!(
            "a PATCH body must list the schema {PATCH_SCHEMA}"
        )));
    }
    let ops = get_ci(body, "Operations")
        .and_then(Value::as_array)
        .filter(|o| !o.is_empty())
        .ok_or_else(|| syntax("a PATCH body needs a non-empty Operations array"))?;
    if ops.len() > MAX_OPS {
        return Err(syntax(&format!("at most {MAX_OPS} operations per PATCH")));
    }
    for op in ops {
        let Some(obj) = op.as_object() else {
            return Err(syntax("each operation must be an object"));
        };
        let name = get_ci(obj, "op")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_ascii_lowercase();
        if !matches!(name.as_str(), "add" | "replace" | "remove") {
            return Err(syntax(&format!(
                "op {name:?} is not add, replace or remove"
            )));
        }
        let path = get_ci(obj, "path").and_then(Value::as_str);
        apply_one(draft, &name, path, get_ci(obj, "value").cloned())?;
    }
    Ok(())
}
