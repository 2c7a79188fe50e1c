//! /Schemas as a strict SCIM client (scim2-tester) reads them: each schema is a resource with its
//! own `schemas`, and what it declares matches what the org returns and enforces.

mod common;
use common::default_org;
use serde_json::Value;

const SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";
const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";

fn attr<'a>(attrs: &'a Value, name: &str) -> &'a Value {
    attrs
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .unwrap_or_else(|| panic!("attribute {name} is published"))
}

#[tokio::test]
async fn schema_resources_list_the_schema_schema() {
    // Bug: GET /Schemas/{id} answered a schema without `schemas` (RFC 7643 §3 and §7), which a
    // strict client cannot read as a Schema resource.
    let org = default_org().await;
    let list: Value = org.get("/Schemas").await.json().await.unwrap();
    for s in list["Resources"].as_array().unwrap() {
        assert_eq!(s["schemas"][0], SCHEMA, "{}", s["id"]);
        let one: Value = org
            .get(&format!("/Schemas/{}", s["id"].as_str().unwrap()))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(one["schemas"][0], SCHEMA);
    }
}

#[tokio::test]
async fn user_schema_declares_what_the_org_returns_and_enforces() {
    // Bug: users came back with attributes the schema did not declare (emailEncodingKey,
    // addresses.primary), required fields the org enforces were published as optional, and
    // `groups` was published writable though membership changes only through /Groups.
    let org = default_org().await;
    let user: Value = org
        .get(&format!("/Schemas/{USER}"))
        .await
        .json()
        .await
        .unwrap();
    let attrs = &user["attributes"];
    assert_eq!(attr(attrs, "emailEncodingKey")["mutability"], "readOnly");
    let addresses = &attr(attrs, "addresses")["subAttributes"];
    assert_eq!(attr(addresses, "primary")["type"], "boolean");
    for required in ["userName", "name", "emails", "entitlements"] {
        assert_eq!(attr(attrs, required)["required"], true, "{required}");
    }
    assert_eq!(
        attr(&attr(attrs, "emails")["subAttributes"], "value")["required"],
        true
    );
    assert_eq!(attr(attrs, "groups")["mutability"], "readOnly");
    let locales = attr(attrs, "locale")["canonicalValues"].as_array().unwrap();
    assert!(locales.iter().any(|l| l == "en_US"), "Salesforce codes");

    let created = org.create_user("schema@example.com", "Sam", "Schema").await;
    let declared: Vec<&str> = attrs
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    let common = ["schemas", "id", "meta", "externalId"];
    for key in created.as_object().unwrap().keys() {
        let ext = key.starts_with("urn:");
        assert!(
            ext || common.contains(&key.as_str()) || declared.contains(&key.as_str()),
            "returned attribute {key} is declared"
        );
    }
}

#[tokio::test]
async fn group_members_carry_ref_and_type() {
    // Bug: the Group schema lacked members.$ref and members.type (RFC 7643 §4.2).
    let org = default_org().await;
    let group: Value = org
        .get(&format!("/Schemas/{GROUP}"))
        .await
        .json()
        .await
        .unwrap();
    let members = &attr(&group["attributes"], "members")["subAttributes"];
    assert_eq!(attr(members, "$ref")["referenceTypes"][0], "User");
    assert_eq!(attr(members, "type")["canonicalValues"][0], "User");
    assert_eq!(attr(members, "display")["mutability"], "readOnly");
}
