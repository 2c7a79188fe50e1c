//! The `/Schemas` documents (RFC 7643 §7): the attributes the practice org's User, enterprise
//! extension and Group resources hold, published with the requiredness and mutability the
//! handlers enforce, so a client reading them knows what Salesforce will accept.

use super::groups::GROUP_SCHEMA;
use super::users::{ENTERPRISE_SCHEMA, USER_SCHEMA};
use serde_json::{json, Value};

/// The schema of a Schema resource (RFC 7643 §7).
pub const SCHEMA_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";

/// Locale and language codes Salesforce takes (a sample: any `xx_YY` code is accepted).
const LOCALES: &[&str] = &["en_US", "en_GB", "fr_FR", "de_DE", "es_ES", "ja_JP"];
const TIMEZONES: &[&str] = &[
    "America/Los_Angeles",
    "America/New_York",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Tokyo",
];

/// One attribute definition (RFC 7643 §7), built with chained setters from the RFC's defaults.
struct Attr(Value);

impl Attr {
    fn new(name: &str, kind: &str) -> Self {
        Attr(json!({
            "name": name, "type": kind, "multiValued": false, "required": false,
            "caseExact": false, "mutability": "readWrite", "returned": "default",
            "uniqueness": "none",
        }))
    }
    fn set(mut self, key: &str, value: Value) -> Self {
        self.0[key] = value;
        self
    }
    fn required(self) -> Self {
        self.set("required", json!(true))
    }
    fn multi(self) -> Self {
        self.set("multiValued", json!(true))
    }
    fn case_exact(self) -> Self {
        self.set("caseExact", json!(true))
    }
    fn mutability(self, m: &str) -> Self {
        self.set("mutability", json!(m))
    }
    fn canonical(self, values: &[&str]) -> Self {
        self.set("canonicalValues", json!(values))
    }
    fn subs(self, subs: Vec<Attr>) -> Self {
        let subs: Vec<Value> = subs.into_iter().map(|a| a.0).collect();
        self.set("subAttributes", json!(subs))
    }
}

fn string(name: &str) -> Attr {
    Attr::new(name, "string")
}

fn boolean(name: &str) -> Attr {
    Attr::new(name, "boolean")
}

fn complex(name: &str, subs: Vec<Attr>) -> Attr {
    Attr::new(name, "complex").subs(subs)
}

/// A reference (`$ref`) to resources of the given types.
fn reference(types: &[&str]) -> Attr {
    Attr::new("$ref", "reference")
        .case_exact()
        .set("referenceTypes", json!(types))
}

/// A multi-valued attribute with the RFC's value / display / type / primary sub-attributes.
fn multi(name: &str, types: &[&str]) -> Attr {
    multi_with(name, string("value"), types)
}

fn multi_with(name: &str, value: Attr, types: &[&str]) -> Attr {
    let kind = string("type");
    let kind = if types.is_empty() {
        kind
    } else {
        kind.canonical(types)
    };
    let subs = vec![value, string("display"), kind, boolean("primary")];
    complex(name, subs).multi()
}

fn user() -> Vec<Attr> {
    let read_only = |a: Attr| a.mutability("readOnly");
    let name = complex(
        "name",
        vec![
            read_only(string("formatted")),
            string("familyName").required(),
            string("givenName"),
            string("middleName"),
            string("honorificPrefix"),
            string("honorificSuffix"),
        ],
    );
    let entitlements = complex(
        "entitlements",
        vec![
            string("value").case_exact().required(),
            read_only(string("display")),
            read_only(string("type").canonical(&["Profile", "PermissionSet"])),
            read_only(boolean("primary")),
        ],
    );
    let groups = complex(
        "groups",
        vec![
            string("value").case_exact(),
            reference(&["Group"]),
            string("display"),
            string("type").canonical(&["direct", "indirect"]),
        ],
    );
    let address_parts = [
        "streetAddress",
        "locality",
        "region",
        "postalCode",
        "country",
        "formatted",
    ];
    let mut address: Vec<Attr> = address_parts.into_iter().map(string).collect();
    address.push(string("type").canonical(&["work", "home", "other"]));
    address.push(boolean("primary"));
    vec![
        string("userName")
            .required()
            .set("uniqueness", json!("global")),
        // Salesforce refuses a user without a last name, an email and a profile.
        name.required(),
        string("displayName"),
        string("nickName"),
        string("title"),
        read_only(string("userType")),
        string("preferredLanguage").canonical(LOCALES),
        string("locale").canonical(LOCALES),
        string("timezone").canonical(TIMEZONES),
        read_only(string("emailEncodingKey")),
        boolean("active"),
        multi_with(
            "emails",
            string("value").required(),
            &["work", "home", "other"],
        )
        .required(),
        multi("phoneNumbers", &["work", "mobile", "fax", "home", "other"]),
        read_only(multi("photos", &["photo", "thumbnail"])),
        entitlements.multi().required(),
        multi("roles", &[]),
        read_only(groups.multi()),
        complex("addresses", address).multi(),
        string("externalId").case_exact(),
    ]
}

fn enterprise() -> Vec<Attr> {
    let manager = complex(
        "manager",
        vec![
            string("value").case_exact(),
            reference(&["User"]),
            // Salesforce's name for the manager's user id.
            string("managerId").case_exact(),
            string("displayName"),
        ],
    );
    let parts = [
        "employeeNumber",
        "costCenter",
        "organization",
        "division",
        "department",
    ];
    let mut attrs: Vec<Attr> = parts.into_iter().map(string).collect();
    attrs.push(manager);
    attrs
}

fn group() -> Vec<Attr> {
    let immutable = |a: Attr| a.mutability("immutable");
    let members = complex(
        "members",
        vec![
            immutable(string("value").case_exact()),
            immutable(reference(&["User"])),
            immutable(string("type").canonical(&["User"])),
            string("display").mutability("readOnly"),
        ],
    );
    vec![
        string("displayName")
            .required()
            .set("uniqueness", json!("server")),
        members.multi(),
        string("externalId").case_exact(),
    ]
}

/// Every schema the org publishes, with its location under `scim_base`.
pub fn all(scim_base: &str) -> Vec<Value> {
    let doc = |id: &str, name: &str, description: &str, attrs: Vec<Attr>| {
        let attributes: Vec<Value> = attrs.into_iter().map(|a| a.0).collect();
        json!({
            "schemas": [SCHEMA_SCHEMA],
            "id": id, "name": name, "description": description,
            "attributes": attributes,
            "meta": {"resourceType": "Schema", "location": format!("{scim_base}/Schemas/{id}")},
        })
    };
    vec![
        doc(USER_SCHEMA, "User", "Salesforce User", user()),
        doc(
            ENTERPRISE_SCHEMA,
            "EnterpriseUser",
            "Enterprise User",
            enterprise(),
        ),
        doc(GROUP_SCHEMA, "Group", "Salesforce public group", group()),
    ]
}
