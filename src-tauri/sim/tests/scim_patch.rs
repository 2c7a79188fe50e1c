//! PATCH paths and removals that scim2-tester found wrong (RFC 7644 §3.5.2).

mod common;
use common::{default_org, patch_op};
use serde_json::{json, Value};

const EXT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

async fn patched(org: &common::Org, id: &str, ops: Value) -> Value {
    let res = org.patch(&format!("/Users/{id}"), &patch_op(ops)).await;
    assert_eq!(res.status(), 200);
    let answer: Value = res.json().await.unwrap();
    let stored: Value = org.get(&format!("/Users/{id}")).await.json().await.unwrap();
    assert_eq!(answer, stored, "the answer is what is stored");
    answer
}

#[tokio::test]
async fn a_path_naming_the_whole_extension_targets_its_object() {
    // Bug: `"path": "urn:…:enterprise:2.0:User"` was split as attribute `User` of a schema
    // `urn:…:enterprise:2.0`, so add and replace were silently dropped.
    let org = default_org().await;
    let u = org.create_user("ext@example.com", "Ex", "Tension").await;
    let id = u["id"].as_str().unwrap();
    let value = json!({"schemas": [EXT], "department": "IT", "costCenter": "42"});
    let u = patched(
        &org,
        id,
        json!([{"op": "add", "path": EXT, "value": value}]),
    )
    .await;
    assert_eq!(u[EXT]["department"], "IT");
    assert_eq!(u[EXT]["costCenter"], "42");
    assert!(
        u[EXT].get("schemas").is_none(),
        "an extension holds attributes only"
    );

    let value = json!({"department": "Sales"});
    let u = patched(
        &org,
        id,
        json!([{"op": "replace", "path": EXT, "value": value}]),
    )
    .await;
    assert_eq!(u[EXT]["department"], "Sales");
    assert_eq!(
        u[EXT]["costCenter"], "42",
        "sub-attributes not given are left alone"
    );

    let u = patched(&org, id, json!([{"op": "remove", "path": EXT}])).await;
    assert!(u[EXT].get("department").is_none() && u[EXT].get("costCenter").is_none());
    let res = org
        .patch(
            &format!("/Users/{id}"),
            &patch_op(json!([{"op": "add", "path": EXT, "value": "x"}])),
        )
        .await;
    assert_eq!(res.status(), 400, "the value must be an object");
}

#[tokio::test]
async fn remove_clears_optional_attributes() {
    // Bug: remove of title, externalId, roles or the enterprise extension answered 200 and the
    // value came back from the stored user.
    let org = default_org().await;
    let u = org.create_user("rm@example.com", "Re", "Move").await;
    let id = u["id"].as_str().unwrap();
    let set = json!([
        {"op": "add", "path": "title", "value": "CEO"},
        {"op": "add", "path": "externalId", "value": "ext-1"},
        {"op": "add", "path": "roles", "value": [{"value": "00E000000000001IAA"}]},
        {"op": "add", "path": format!("{EXT}:department"), "value": "IT"},
    ]);
    let u = patched(&org, id, set).await;
    assert_eq!(u["title"], "CEO");
    let remove = |path: &str| json!([{"op": "remove", "path": path}]);
    for path in ["title", "externalId", "roles"] {
        let u = patched(&org, id, remove(path)).await;
        assert!(u.get(path).is_none(), "{path} removed: {u}");
    }
    let u = patched(&org, id, remove(EXT)).await;
    assert!(u[EXT].get("department").is_none());
    assert_eq!(
        u[EXT]["organization"], "practice",
        "Salesforce fills the company name"
    );

    // What Salesforce fills on every user keeps its value (an expected deviation).
    for path in ["locale", "timezone", "nickName", "active"] {
        let u = patched(&org, id, remove(path)).await;
        assert!(u.get(path).is_some(), "{path} is kept");
    }
}
