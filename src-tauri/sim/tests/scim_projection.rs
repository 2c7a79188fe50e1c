//! `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9) on reads and writes.

mod common;
use common::{default_org, patch_op};
use serde_json::{json, Value};

const EXT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

async fn get(org: &common::Org, query: &[(&str, &str)], path: String) -> Value {
    let req = org.http.get(org.scim(&path)).query(query);
    let res = req.bearer_auth(&org.token).send().await.unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[tokio::test]
async fn attributes_and_excluded_attributes_shape_responses() {
    // Bug: both parameters were ignored, so every response carried every attribute.
    let org = default_org().await;
    let id = org.create_user("proj@example.com", "Pro", "Jection").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let u = get(
        &org,
        &[("attributes", "userName,name.familyName")],
        format!("/Users/{id}"),
    )
    .await;
    let keys: Vec<&String> = u.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 4, "id, schemas and the two asked: {keys:?}");
    assert_eq!(u["name"], json!({"familyName": "Jection"}));

    let u = get(
        &org,
        &[("excludedAttributes", "displayName,emails")],
        format!("/Users/{id}"),
    )
    .await;
    assert!(u.get("displayName").is_none() && u.get("emails").is_none());
    assert_eq!(u["userName"], "proj@example.com");

    let page = get(
        &org,
        &[
            ("filter", "userName eq \"proj@example.com\""),
            ("attributes", "userName"),
        ],
        "/Users".into(),
    )
    .await;
    assert_eq!(
        page["totalResults"], 1,
        "the filter still sees every attribute"
    );
    assert!(page["Resources"][0].get("displayName").is_none());

    let groups = get(&org, &[("excludedAttributes", "members")], "/Groups".into()).await;
    assert!(groups["Resources"][0].get("members").is_none());

    let both = &[("attributes", "userName"), ("excludedAttributes", "title")];
    let res = org
        .http
        .get(org.scim(&format!("/Users/{id}")))
        .query(both)
        .bearer_auth(&org.token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400, "the two are mutually exclusive");

    // Writes answer projected too.
    let ops = patch_op(json!([{"op": "replace", "path": "title", "value": "CTO"}]));
    let res = org
        .http
        .patch(org.scim(&format!("/Users/{id}")))
        .query(&[("attributes", &format!("title,{EXT}:department"))])
        .bearer_auth(&org.token)
        .json(&ops)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let u: Value = res.json().await.unwrap();
    assert_eq!(u["title"], "CTO");
    assert!(u.get("userName").is_none());
}
