//! How a JSON value (a SCIM request body) looks to TypeScript: numbers as `number`, which is what
//! JSON.parse gives. Only a type description; the values themselves stay `serde_json::Value`.

/// Any JSON value.
#[derive(serde::Serialize, specta::Type)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum JsonValue {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<JsonValue>),
    Object(std::collections::BTreeMap<String, JsonValue>),
}
