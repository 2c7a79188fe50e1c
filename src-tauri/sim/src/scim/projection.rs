//! `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5 and §3.9): which attributes a
//! returned resource carries. Names are case-insensitive and may be `name.givenName`, a
//! URN-prefixed `urn:…:enterprise:2.0:User:department`, or a whole extension URN. `id` and
//! `schemas` are always returned.

use super::error;
use super::groups::GROUP_SCHEMA;
use super::users::{ENTERPRISE_SCHEMA, USER_SCHEMA};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Map, Value};

/// Attributes returned whatever is asked (RFC 7643 §3.1: `returned: always`).
const ALWAYS: [&str; 2] = ["id", "schemas"];

/// The two query parameters, as given.
#[derive(Debug, Default, Deserialize)]
pub struct ProjectionQuery {
    pub attributes: Option<String>,
    #[serde(rename = "excludedAttributes")]
    pub excluded_attributes: Option<String>,
}

impl ProjectionQuery {
    /// See [`Projection::from_query`].
    pub fn parse(&self) -> Result<Projection, Response> {
        Projection::from_query(self)
    }
}

/// One requested attribute: the extension holding it (None for core attributes) and its
/// name with at most one sub-attribute; no names means the whole extension.
#[derive(Debug, Clone, PartialEq)]
struct Wanted {
    extension: Option<String>,
    names: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Projection {
    include: Option<Vec<Wanted>>,
    exclude: Vec<Wanted>,
}

fn parse_one(text: &str) -> Option<Wanted> {
    let lower = text.to_ascii_lowercase();
    let mut extension = None;
    let mut rest = text;
    for urn in [USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE_SCHEMA] {
        let urn_lower = urn.to_ascii_lowercase();
        if lower == urn_lower || lower.starts_with(&format!("{urn_lower}:")) {
            if urn == ENTERPRISE_SCHEMA {
                extension = Some(urn.to_owned());
            }
            rest = text.get(urn.len()..).unwrap_or("").trim_start_matches(':');
            break;
        }
    }
    if rest.is_empty() && extension.is_none() {
        return None;
    }
    let names: Vec<String> = if rest.is_empty() {
        Vec::new()
    } else {
        rest.split('.').map(str::to_owned).collect()
    };
    (names.len() <= 2 && names.iter().all(|n| !n.is_empty())).then_some(Wanted { extension, names })
}

fn parse_list(text: &str) -> Result<Vec<Wanted>, Response> {
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            parse_one(t).ok_or_else(|| {
                error::bad_request(
                    "invalidPath",
                    &format!("{t:?} is not an attribute name (write name, name.sub or urn:…:name)"),
                )
            })
        })
        .collect()
}

impl Projection {
    /// Reads the query parameters; both at once is refused (they are mutually exclusive).
    pub fn from_query(q: &ProjectionQuery) -> Result<Self, Response> {
        let (inc, exc) = (q.attributes.as_deref(), q.excluded_attributes.as_deref());
        if inc.is_some() && exc.is_some() {
            return Err(error::bad_request(
                "invalidSyntax",
                "attributes and excludedAttributes are mutually exclusive: send one of them",
            ));
        }
        Ok(Projection {
            include: inc.map(parse_list).transpose()?,
            exclude: exc.map(parse_list).transpose()?.unwrap_or_default(),
        })
    }

    /// The resource as this projection returns it.
    pub fn apply(&self, resource: Value) -> Value {
        if self.include.is_none() && self.exclude.is_empty() {
            // Nothing asked: every attribute, as it is.
            return resource;
        }
        let Value::Object(map) = resource else {
            return resource;
        };
        let mut out = Map::new();
        for (key, value) in map {
            if ALWAYS.iter().any(|a| a.eq_ignore_ascii_case(&key)) {
                out.insert(key, value);
                continue;
            }
            let (extension, top) = if key.eq_ignore_ascii_case(ENTERPRISE_SCHEMA) {
                (Some(key.as_str()), None)
            } else {
                (None, Some(key.as_str()))
            };
            // The requested names below this key; None: not requested at all.
            let below = |list: &[Wanted]| -> Option<Vec<Vec<String>>> {
                let hits: Vec<Vec<String>> = list
                    .iter()
                    .filter(|w| match (extension, &w.extension) {
                        (Some(held), Some(ext)) => ext.eq_ignore_ascii_case(held),
                        (None, None) => top.is_some_and(|t| {
                            w.names.first().is_some_and(|n| n.eq_ignore_ascii_case(t))
                        }),
                        _ => false,
                    })
                    .map(|w| w.names.iter().skip(top.map_or(0, |_| 1)).cloned().collect())
                    .collect();
                (!hits.is_empty()).then_some(hits)
            };
            let kept = match &self.include {
                Some(include) => match below(include) {
                    None => None,
                    Some(subs) if subs.iter().any(Vec::is_empty) => Some(value),
                    Some(subs) => Some(keep_only(value, &subs)),
                },
                None => match below(&self.exclude) {
                    Some(subs) if subs.iter().any(Vec::is_empty) => None,
                    Some(subs) => Some(drop_these(value, &subs)),
                    None => Some(value),
                },
            };
            if let Some(v) = kept {
                out.insert(key, v);
            }
        }
        Value::Object(out)
    }
}

/// Within an object (or each object of an array), keeps the first-level names listed.
fn keep_only(value: Value, subs: &[Vec<String>]) -> Value {
    map_objects(value, &|m: Map<String, Value>| {
        m.into_iter()
            .filter(|(k, _)| subs.iter().any(|s| s[0].eq_ignore_ascii_case(k)))
            .map(|(k, v)| {
                let deeper: Vec<Vec<String>> = subs
                    .iter()
                    .filter(|s| s[0].eq_ignore_ascii_case(&k) && s.len() > 1)
                    .map(|s| s[1..].to_vec())
                    .collect();
                let whole = subs
                    .iter()
                    .any(|s| s.len() == 1 && s[0].eq_ignore_ascii_case(&k));
                let v = if whole || deeper.is_empty() {
                    v
                } else {
                    keep_only(v, &deeper)
                };
                (k, v)
            })
            .collect()
    })
}

/// Within an object (or each object of an array), drops the names listed.
fn drop_these(value: Value, subs: &[Vec<String>]) -> Value {
    map_objects(value, &|m: Map<String, Value>| {
        m.into_iter()
            .filter(|(k, _)| {
                !subs
                    .iter()
                    .any(|s| s.len() == 1 && s[0].eq_ignore_ascii_case(k))
            })
            .map(|(k, v)| {
                let deeper: Vec<Vec<String>> = subs
                    .iter()
                    .filter(|s| s.len() > 1 && s[0].eq_ignore_ascii_case(&k))
                    .map(|s| s[1..].to_vec())
                    .collect();
                let v = if deeper.is_empty() {
                    v
                } else {
                    drop_these(v, &deeper)
                };
                (k, v)
            })
            .collect()
    })
}

fn map_objects(value: Value, f: &dyn Fn(Map<String, Value>) -> Map<String, Value>) -> Value {
    match value {
        Value::Object(m) => Value::Object(f(m)),
        Value::Array(items) => Value::Array(items.into_iter().map(|v| map_objects(v, f)).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn project(attributes: Option<&str>, excluded: Option<&str>) -> Value {
        let q = ProjectionQuery {
            attributes: attributes.map(String::from),
            excluded_attributes: excluded.map(String::from),
        };
        let user = json!({
            "schemas": [USER_SCHEMA], "id": "005x", "userName": "a@example.com",
            "name": {"givenName": "A", "familyName": "B"}, "title": "CEO",
            "emails": [{"value": "a@example.com", "type": "work"}],
            ENTERPRISE_SCHEMA: {"department": "IT", "organization": "practice"},
            "meta": {"resourceType": "User"},
        });
        Projection::from_query(&q).expect("valid").apply(user)
    }

    #[test]
    fn attributes_keep_only_what_is_asked_plus_id_and_schemas() {
        let got = project(Some("userName,name.familyName,EMAILS.value"), None);
        let want = json!({
            "schemas": [USER_SCHEMA], "id": "005x", "userName": "a@example.com",
            "name": {"familyName": "B"}, "emails": [{"value": "a@example.com"}],
        });
        assert_eq!(got, want);
        let ext = format!("{ENTERPRISE_SCHEMA}:department");
        let got = project(Some(&ext), None);
        assert_eq!(got[ENTERPRISE_SCHEMA], json!({"department": "IT"}));
        assert!(got.get("userName").is_none());
        let got = project(
            Some(&format!("{USER_SCHEMA}:title,{ENTERPRISE_SCHEMA}")),
            None,
        );
        assert_eq!(got["title"], "CEO");
        assert_eq!(got[ENTERPRISE_SCHEMA]["organization"], "practice");
    }

    #[test]
    fn excluded_attributes_drop_what_is_named_but_never_id() {
        let ext = format!("{ENTERPRISE_SCHEMA}:department");
        let got = project(None, Some(&format!("title, name.givenName,id,{ext}")));
        assert!(got.get("title").is_none());
        assert_eq!(got["name"], json!({"familyName": "B"}));
        assert_eq!(got["id"], "005x");
        assert_eq!(got[ENTERPRISE_SCHEMA], json!({"organization": "practice"}));
        let got = project(None, Some(ENTERPRISE_SCHEMA));
        assert!(got.get(ENTERPRISE_SCHEMA).is_none() && got.get("meta").is_some());
    }

    #[test]
    fn both_at_once_or_bad_names_are_refused() {
        let both = ProjectionQuery {
            attributes: Some("title".into()),
            excluded_attributes: Some("title".into()),
        };
        assert!(Projection::from_query(&both).is_err());
        for bad in ["name..x", "a.b.c.d", USER_SCHEMA] {
            let q = ProjectionQuery {
                attributes: Some(bad.into()),
                excluded_attributes: None,
            };
            assert!(Projection::from_query(&q).is_err(), "{bad}");
        }
    }
}
