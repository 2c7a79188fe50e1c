//! The attribute mapping, exactly as the integration guide states it (Salesforce ← directory), as
//! pure functions: a directory user → the managed attributes ([`Managed`]) → a create body or an
//! update PatchOp; and back, a SCIM resource → [`Managed`] (for matching and for the import).
//!
//! | SCIM attribute | directory | rule |
//! |---|---|---|
//! | externalId | id | |
//! | name.givenName / name.familyName | firstname / lastname | |
//! | displayName | displayname | |
//! | nickName | — | never sent |
//! | entitlements[primary] | the "Standard User" profile | create only |
//! | userName | email, lower-cased | never changed on an existing user |
//! | password | what the admin typed for that push | create only, never stored |
//! | emails[type=work, primary] | email | never changed on an existing user (warning) |
//! | active | !suspended && !passwordExpired | |
//! | userType / title | employeeType / jobTitle | |
//! | locale / preferredLanguage | "en_US" | create only |
//! | addresses[0] | the address | |
//! | phoneNumbers[0] | the phone | |
//! | enterprise employeeNumber / department / organization | employeeIdentifier / department / company | |

use crate::directory::access::AuthorizedUser;
use crate::directory::{Address, Phone};
use crate::secrets::Sensitive;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
pub const PATCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
pub const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
pub const LOCALE: &str = "en_US";

/// The attributes Lanyard manages on a remote user, in a canonical form: what is compared, hashed
/// and remembered as "last pushed".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Managed {
    pub external_id: String,
    pub user_name: String,
    pub given_name: String,
    pub family_name: String,
    pub display_name: String,
    pub email: String,
    pub active: bool,
    pub user_type: String,
    pub title: String,
    pub address: Option<Address>,
    pub phone: Option<Phone>,
    pub employee_number: String,
    pub department: String,
    pub organization: String,
}

/// One attribute that differs between what the target has (or was last sent) and what it should have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AttributeChange {
    /// The SCIM attribute, e.g. `name.familyName`.
    pub attribute: String,
    pub before: String,
    pub after: String,
}

fn nonempty_address(a: &Address) -> Option<Address> {
    let empty = a.street_address.is_empty()
        && a.locality.is_empty()
        && a.region.is_empty()
        && a.postal_code.is_empty()
        && a.country.is_empty();
    (!empty).then(|| a.clone())
}

/// The managed attributes a directory user should have in the target.
pub fn managed(u: &AuthorizedUser) -> Managed {
    Managed {
        external_id: u.id.clone(),
        user_name: u.email.to_lowercase(),
        given_name: u.firstname.clone(),
        family_name: u.lastname.clone(),
        display_name: u.displayname.clone(),
        email: u.email.clone(),
        active: u.can_sign_in(),
        user_type: u.employee_type.clone(),
        title: u.job_title.clone(),
        address: nonempty_address(&u.address),
        phone: (!u.phone.value.is_empty()).then(|| u.phone.clone()),
        employee_number: u.employee_identifier.clone(),
        department: u.department.clone(),
        organization: u.company.clone(),
    }
}

/// The SHA-256 of the canonical JSON: equal hashes, nothing to push.
pub fn hash(m: &Managed) -> String {
    let bytes = serde_json::to_vec(m).unwrap_or_default();
    hex::encode(Sha256::digest(&bytes))
}

fn address_json(a: &Address) -> Value {
    json!({
        "type": if a.kind.is_empty() { "work" } else { a.kind.as_str() },
        "streetAddress": a.street_address,
        "locality": a.locality,
        "region": a.region,
        "postalCode": a.postal_code,
        "country": a.country,
    })
}

fn phone_json(p: &Phone) -> Value {
    json!({"type": if p.kind.is_empty() { "work" } else { p.kind.as_str() }, "value": p.value})
}

fn enterprise_json(m: &Managed) -> Value {
    json!({
        "employeeNumber": m.employee_number,
        "department": m.department,
        "organization": m.organization,
    })
}

/// Whether addresses are sent (the target's country/state picklists may refuse them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyOptions {
    pub send_addresses: bool,
}

impl Default for BodyOptions {
    fn default() -> Self {
        Self {
            send_addresses: true,
        }
    }
}

/// POST /Users: every managed attribute, plus the create-only ones (entitlement, locale,
/// preferredLanguage, and the password when the admin typed one for this push).
pub fn create_body(
    m: &Managed,
    profile_id: Option<&str>,
    password: Option<&Sensitive<String>>,
    opts: BodyOptions,
) -> Value {
    let mut body = Map::new();
    body.insert("schemas".into(), json!([USER_SCHEMA, ENTERPRISE]));
    body.insert("externalId".into(), json!(m.external_id));
    body.insert("userName".into(), json!(m.user_name));
    body.insert(
        "name".into(),
        json!({"givenName": m.given_name, "familyName": m.family_name}),
    );
    body.insert("displayName".into(), json!(m.display_name));
    body.insert(
        "emails".into(),
        json!([{"type": "work", "primary": true, "value": m.email}]),
    );
    body.insert("active".into(), json!(m.active));
    body.insert("userType".into(), json!(m.user_type));
    body.insert("title".into(), json!(m.title));
    body.insert("locale".into(), json!(LOCALE));
    body.insert("preferredLanguage".into(), json!(LOCALE));
    if let Some(id) = profile_id {
        body.insert(
            "entitlements".into(),
            json!([{"value": id, "primary": true}]),
        );
    }
    if let (Some(a), true) = (&m.address, opts.send_addresses) {
        body.insert("addresses".into(), json!([address_json(a)]));
    }
    if let Some(p) = &m.phone {
        body.insert("phoneNumbers".into(), json!([phone_json(p)]));
    }
    body.insert(ENTERPRISE.into(), enterprise_json(m));
    if let Some(pw) = password {
        body.insert("password".into(), json!(pw.expose()));
    }
    Value::Object(body)
}

fn opt_text<T>(v: &Option<T>, f: impl Fn(&T) -> String) -> String {
    v.as_ref().map(f).unwrap_or_default()
}

fn address_text(a: &Address) -> String {
    [
        a.street_address.as_str(),
        &a.locality,
        &a.region,
        &a.postal_code,
        &a.country,
    ]
    .iter()
    .filter(|s| !s.is_empty())
    .copied()
    .collect::<Vec<_>>()
    .join(", ")
}

/// Every attribute that differs, as a person reads it.
pub fn diff(before: &Managed, after: &Managed) -> Vec<AttributeChange> {
    let mut out = Vec::new();
    let mut cmp = |attribute: &str, b: String, a: String| {
        if a != b {
            out.push(AttributeChange {
                attribute: attribute.to_owned(),
                before: b,
                after: a,
            });
        }
    };
    cmp(
        "externalId",
        before.external_id.clone(),
        after.external_id.clone(),
    );
    cmp(
        "userName",
        before.user_name.clone(),
        after.user_name.clone(),
    );
    cmp(
        "name.givenName",
        before.given_name.clone(),
        after.given_name.clone(),
    );
    cmp(
        "name.familyName",
        before.family_name.clone(),
        after.family_name.clone(),
    );
    cmp(
        "displayName",
        before.display_name.clone(),
        after.display_name.clone(),
    );
    cmp(
        "emails[type eq \"work\"].value",
        before.email.clone(),
        after.email.clone(),
    );
    cmp(
        "active",
        before.active.to_string(),
        after.active.to_string(),
    );
    cmp(
        "userType",
        before.user_type.clone(),
        after.user_type.clone(),
    );
    cmp("title", before.title.clone(), after.title.clone());
    if before.address != after.address {
        let (b, a) = (
            opt_text(&before.address, address_text),
            opt_text(&after.address, address_text),
        );
        // Same text, another type: still a change, shown by its type.
        let (b, a) = if a == b {
            (
                opt_text(&before.address, |x| x.kind.clone()),
                opt_text(&after.address, |x| x.kind.clone()),
            )
        } else {
            (b, a)
        };
        cmp("addresses", b, a);
    }
    cmp(
        "phoneNumbers",
        opt_text(&before.phone, |p| format!("{} ({})", p.value, p.kind)),
        opt_text(&after.phone, |p| format!("{} ({})", p.value, p.kind)),
    );
    cmp(
        "employeeNumber",
        before.employee_number.clone(),
        after.employee_number.clone(),
    );
    cmp(
        "department",
        before.department.clone(),
        after.department.clone(),
    );
    cmp(
        "organization",
        before.organization.clone(),
        after.organization.clone(),
    );
    out
}

/// An update: the PatchOp that brings `before` to `after`, and the email change it leaves out.
#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    /// None when nothing but the email (or userName) differs.
    pub body: Option<Value>,
    pub changes: Vec<AttributeChange>,
    /// The email or username changed in the directory: never pushed to an existing user
    /// (Salesforce needs the user's own confirmation).
    pub email_not_pushed: Option<(String, String)>,
}

/// PATCH /Users/{id}: `replace` of every managed attribute that changed, except the email and the
/// userName (never changed on an existing user) and the create-only ones.
pub fn update(before: &Managed, after: &Managed, opts: BodyOptions) -> Update {
    let changes = diff(before, after);
    let mut value = Map::new();
    let mut enterprise = Map::new();
    for c in &changes {
        match c.attribute.as_str() {
            "externalId" => {
                value.insert("externalId".into(), json!(after.external_id));
            }
            "name.givenName" | "name.familyName" => {
                value.insert(
                    "name".into(),
                    json!({"givenName": after.given_name, "familyName": after.family_name}),
                );
            }
            "displayName" => {
                value.insert("displayName".into(), json!(after.display_name));
            }
            "active" => {
                value.insert("active".into(), json!(after.active));
            }
            "userType" => {
                value.insert("userType".into(), json!(after.user_type));
            }
            "title" => {
                value.insert("title".into(), json!(after.title));
            }
            "addresses" if opts.send_addresses => {
                let list: Vec<Value> = after.address.iter().map(address_json).collect();
                value.insert("addresses".into(), Value::Array(list));
            }
            "phoneNumbers" => {
                let list: Vec<Value> = after.phone.iter().map(phone_json).collect();
                value.insert("phoneNumbers".into(), Value::Array(list));
            }
            "employeeNumber" => {
                enterprise.insert("employeeNumber".into(), json!(after.employee_number));
            }
            "department" => {
                enterprise.insert("department".into(), json!(after.department));
            }
            "organization" => {
                enterprise.insert("organization".into(), json!(after.organization));
            }
            _ => {}
        }
    }
    if !enterprise.is_empty() {
        value.insert(ENTERPRISE.into(), Value::Object(enterprise));
    }
    let email_not_pushed = (before.email.to_lowercase() != after.email.to_lowercase()
        || before.user_name != after.user_name)
        .then(|| (before.email.clone(), after.email.clone()));
    let body = (!value.is_empty()).then(|| {
        json!({
            "schemas": [PATCH_SCHEMA],
            "Operations": [{"op": "replace", "value": Value::Object(value)}],
        })
    });
    Update {
        body,
        changes,
        email_not_pushed,
    }
}

/// PATCH that deactivates (Salesforce's documented form).
pub fn deactivate_body() -> Value {
    json!({"schemas": [PATCH_SCHEMA], "Operations": [{"op": "replace", "value": {"active": false}}]})
}

fn text(v: &Value, path: &[&str]) -> String {
    let mut cur = v;
    for p in path {
        match cur.get(p) {
            Some(next) => cur = next,
            None => return String::new(),
        }
    }
    cur.as_str().unwrap_or_default().to_owned()
}

/// The first element of a multi-valued attribute, preferring the primary one.
fn primary<'a>(v: &'a Value, attr: &str) -> Option<&'a Value> {
    let list = v.get(attr)?.as_array()?;
    list.iter()
        .find(|e| e.get("primary").and_then(Value::as_bool) == Some(true))
        .or_else(|| list.first())
}

/// The managed attributes of a remote SCIM user (the mapping read backwards).
pub fn from_remote(r: &Value) -> Managed {
    let address = primary(r, "addresses").and_then(|a| {
        nonempty_address(&Address {
            kind: text(a, &["type"]),
            street_address: text(a, &["streetAddress"]),
            locality: text(a, &["locality"]),
            region: text(a, &["region"]),
            postal_code: text(a, &["postalCode"]),
            country: text(a, &["country"]),
        })
    });
    let phone = primary(r, "phoneNumbers")
        .map(|p| Phone {
            kind: text(p, &["type"]),
            value: text(p, &["value"]),
        })
        .filter(|p| !p.value.is_empty());
    let ent = r.get(ENTERPRISE).cloned().unwrap_or(Value::Null);
    Managed {
        external_id: text(r, &["externalId"]),
        user_name: text(r, &["userName"]).to_lowercase(),
        given_name: text(r, &["name", "givenName"]),
        family_name: text(r, &["name", "familyName"]),
        display_name: text(r, &["displayName"]),
        email: primary(r, "emails")
            .map(|e| text(e, &["value"]))
            .unwrap_or_default(),
        active: r.get("active").and_then(Value::as_bool).unwrap_or(true),
        user_type: text(r, &["userType"]),
        title: text(r, &["title"]),
        address,
        phone,
        employee_number: text(&ent, &["employeeNumber"]),
        department: text(&ent, &["department"]),
        organization: text(&ent, &["organization"]),
    }
}

/// A remote user read back through the mapping: what matching and the import keep of a listed
/// user (its JSON is dropped once read).
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteUser {
    pub id: String,
    pub managed: Managed,
    /// The first entitlement (Salesforce's profile), by its display name, else its id.
    pub profile: Option<String>,
}

/// Reads a remote SCIM user back: its id, its managed attributes ([`from_remote`]) and its profile.
pub fn remote_user(r: &Value) -> RemoteUser {
    let profile = r
        .get("entitlements")
        .and_then(Value::as_array)
        .and_then(|l| l.first())
        .and_then(|e| e.get("display").or_else(|| e.get("value")))
        .and_then(Value::as_str)
        .map(str::to_owned);
    RemoteUser {
        id: text(r, &["id"]),
        managed: from_remote(r),
        profile,
    }
}

/// What is compared with a remote user found by matching: the target fills some attributes on
/// its own (Salesforce's displayName "Given Family", userType "Standard"), so only the ones the
/// directory sets are compared.
pub fn comparable(remote: &Managed, desired: &Managed) -> Managed {
    let mut r = remote.clone();
    if desired.user_type.is_empty() {
        r.user_type.clear();
    }
    if desired.display_name.is_empty() {
        r.display_name.clear();
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> AuthorizedUser {
        AuthorizedUser {
            id: "u-1".into(),
            email: "Ada.Lovelace@Example.com".into(),
            firstname: "Ada".into(),
            lastname: "Lovelace".into(),
            displayname: "Ada L.".into(),
            employee_type: "Employee".into(),
            job_title: "Analyst".into(),
            employee_identifier: "E-42".into(),
            department: "Research".into(),
            company: "Engines Ltd".into(),
            address: Address {
                kind: "work".into(),
                street_address: "1 Main St".into(),
                locality: "London".into(),
                region: "LDN".into(),
                postal_code: "N1".into(),
                country: "GB".into(),
            },
            phone: Phone {
                kind: "mobile".into(),
                value: "+44 1".into(),
            },
            suspended: false,
            password_expired: false,
            federation_id: None,
        }
    }

    fn body() -> Value {
        create_body(
            &managed(&user()),
            Some("00e000000000001"),
            None,
            BodyOptions::default(),
        )
    }

    #[test]
    fn external_id_is_the_directory_id() {
        assert_eq!(body()["externalId"], "u-1");
    }
    #[test]
    fn given_name_is_firstname() {
        assert_eq!(body()["name"]["givenName"], "Ada");
    }
    #[test]
    fn family_name_is_lastname() {
        assert_eq!(body()["name"]["familyName"], "Lovelace");
    }
    #[test]
    fn display_name_is_displayname() {
        assert_eq!(body()["displayName"], "Ada L.");
    }
    #[test]
    fn nick_name_is_never_sent() {
        assert!(body().get("nickName").is_none());
        let mut after = managed(&user());
        after.title = "Lead".into();
        let u = update(&managed(&user()), &after, BodyOptions::default());
        assert!(!u.body.unwrap().to_string().contains("nickName"));
    }
    #[test]
    fn entitlement_is_the_standard_user_profile_on_create_only() {
        assert_eq!(body()["entitlements"][0]["value"], "00e000000000001");
        assert_eq!(body()["entitlements"][0]["primary"], true);
        let mut after = managed(&user());
        after.title = "Lead".into();
        let u = update(&managed(&user()), &after, BodyOptions::default());
        assert!(!u.body.unwrap().to_string().contains("entitlements"));
        let none = create_body(&managed(&user()), None, None, BodyOptions::default());
        assert!(
            none.get("entitlements").is_none(),
            "no Entitlements, none sent"
        );
    }
    #[test]
    fn user_name_is_the_email_lower_cased() {
        assert_eq!(body()["userName"], "ada.lovelace@example.com");
    }
    #[test]
    fn password_only_when_typed_for_this_push() {
        assert!(body().get("password").is_none());
        let pw = Sensitive::new("Initial-1".to_string());
        let b = create_body(&managed(&user()), None, Some(&pw), BodyOptions::default());
        assert_eq!(b["password"], "Initial-1");
    }
    #[test]
    fn work_email_is_primary() {
        assert_eq!(
            body()["emails"],
            json!([{"type":"work","primary":true,"value":"Ada.Lovelace@Example.com"}])
        );
    }
    #[test]
    fn active_is_neither_suspended_nor_password_expired() {
        assert_eq!(body()["active"], true);
        let mut u = user();
        u.suspended = true;
        assert!(!managed(&u).active);
        let mut u = user();
        u.password_expired = true;
        assert!(!managed(&u).active);
    }
    #[test]
    fn user_type_is_employee_type() {
        assert_eq!(body()["userType"], "Employee");
    }
    #[test]
    fn title_is_job_title() {
        assert_eq!(body()["title"], "Analyst");
    }
    #[test]
    fn locale_and_language_are_en_us_on_create_only() {
        assert_eq!(body()["locale"], "en_US");
        assert_eq!(body()["preferredLanguage"], "en_US");
        let mut after = managed(&user());
        after.department = "Ops".into();
        let b = update(&managed(&user()), &after, BodyOptions::default())
            .body
            .unwrap()
            .to_string();
        assert!(!b.contains("locale") && !b.contains("preferredLanguage"));
    }
    #[test]
    fn addresses_hold_the_one_address() {
        assert_eq!(
            body()["addresses"],
            json!([{"type":"work","streetAddress":"1 Main St","locality":"London","region":"LDN","postalCode":"N1","country":"GB"}])
        );
        let off = create_body(
            &managed(&user()),
            None,
            None,
            BodyOptions {
                send_addresses: false,
            },
        );
        assert!(off.get("addresses").is_none(), "picklists on: not sent");
    }
    #[test]
    fn phone_numbers_hold_the_one_phone() {
        assert_eq!(
            body()["phoneNumbers"],
            json!([{"type":"mobile","value":"+44 1"}])
        );
    }
    #[test]
    fn enterprise_extension_carries_number_department_organization() {
        assert_eq!(
            body()[ENTERPRISE],
            json!({"employeeNumber":"E-42","department":"Research","organization":"Engines Ltd"})
        );
    }
    #[test]
    fn the_email_of_an_existing_user_is_never_changed() {
        let before = managed(&user());
        let mut u = user();
        u.email = "ada@new.example".into();
        let after = managed(&u);
        let up = update(&before, &after, BodyOptions::default());
        assert!(up.body.is_none(), "nothing else changed, nothing to send");
        assert_eq!(
            up.email_not_pushed,
            Some(("Ada.Lovelace@Example.com".into(), "ada@new.example".into()))
        );
    }
    #[test]
    fn reading_a_created_body_back_gives_the_same_attributes() {
        let m = managed(&user());
        let back = from_remote(&create_body(&m, None, None, BodyOptions::default()));
        assert_eq!(back, m, "the reverse mapping is the same table");
    }
    #[test]
    fn a_remote_user_reads_back_with_its_id_and_profile() {
        let mut r = create_body(
            &managed(&user()),
            Some("00e1"),
            None,
            BodyOptions::default(),
        );
        r["id"] = json!("005x");
        let u = remote_user(&r);
        assert_eq!(u.id, "005x");
        assert_eq!(u.managed, managed(&user()), "the same reverse mapping");
        assert_eq!(
            u.profile.as_deref(),
            Some("00e1"),
            "no display name: the id"
        );
        r["entitlements"][0]["display"] = json!("Standard User");
        assert_eq!(remote_user(&r).profile.as_deref(), Some("Standard User"));
    }
    #[test]
    fn an_unchanged_user_hashes_the_same_and_a_change_does_not() {
        let a = managed(&user());
        let mut b = a.clone();
        assert_eq!(hash(&a), hash(&b));
        b.title = "Lead".into();
        assert_ne!(hash(&a), hash(&b));
        let up = update(&a, &b, BodyOptions::default());
        assert_eq!(
            up.body.unwrap()["Operations"][0]["value"],
            json!({"title": "Lead"})
        );
    }
}
