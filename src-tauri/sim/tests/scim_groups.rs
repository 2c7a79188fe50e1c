//! /Groups and the discovery endpoints.

mod common;
use common::{default_org, patch_op};
use reqwest::Method;
use serde_json::{json, Value};

async fn group_id(org: &common::Org, name: &str) -> String {
    let f = format!("displayName eq \"{name}\"");
    let body: Value = org
        .http
        .get(org.scim("/Groups"))
        .query(&[("filter", f.as_str())])
        .bearer_auth(&org.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["totalResults"], 1, "public group {name} is preloaded");
    body["Resources"][0]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn members_are_added_and_removed_with_patch() {
    let org = default_org().await;
    let sales = group_id(&org, "All Sales").await;
    assert!(sales.starts_with("00G"));
    let a = org.create_user("a@example.com", "A", "A").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let b = org.create_user("b@example.com", "B", "B").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = org
        .patch(&format!("/Groups/{sales}"), &patch_op(json!([{"op": "add", "path": "members", "value": {"members": [{"value": a}, {"value": b}]}}])))
        .await;
    assert_eq!(res.status(), 200);
    let g: Value = res.json().await.unwrap();
    assert_eq!(g["members"].as_array().unwrap().len(), 2);
    let u: Value = org.get(&format!("/Users/{a}")).await.json().await.unwrap();
    assert_eq!(
        u["groups"][0]["display"], "All Sales",
        "a user lists its groups"
    );

    let res = org
        .patch(
            &format!("/Groups/{sales}"),
            &patch_op(
                json!([{"op": "remove", "path": "members", "value": {"members": [{"value": a}]}}]),
            ),
        )
        .await;
    let g: Value = res.json().await.unwrap();
    assert_eq!(g["members"].as_array().unwrap().len(), 1);
    let wrong_case = b.to_lowercase();
    let res = org
        .patch(
            &format!("/Groups/{sales}"),
            &patch_op(
                json!([{"op": "remove", "path": format!("members[value eq \"{wrong_case}\"]")}]),
            ),
        )
        .await;
    let g: Value = res.json().await.unwrap();
    assert_eq!(
        g["members"].as_array().unwrap().len(),
        1,
        "member ids are case-exact"
    );
    let res = org
        .patch(
            &format!("/Groups/{sales}"),
            &patch_op(json!([{"op": "remove", "path": format!("members[value eq \"{b}\"]")}])),
        )
        .await;
    assert_eq!(
        res.json::<Value>().await.unwrap()["members"]
            .as_array()
            .unwrap()
            .len(),
        0,
        "RFC filtered remove works too"
    );

    let res = org
        .patch(&format!("/Groups/{sales}"), &patch_op(json!([{"op": "add", "path": "members", "value": [{"value": "005000000000000NOPE"}]}])))
        .await;
    assert_eq!(res.status(), 400, "members must be users of this org");
}

#[tokio::test]
async fn groups_cannot_be_created_or_deleted() {
    let org = default_org().await;
    let res = org.post("/Groups", &json!({"displayName": "New"})).await;
    assert_eq!(res.status(), 405);
    assert!(res.text().await.unwrap().contains("Public Groups"));
    let support = group_id(&org, "Support").await;
    let res = org
        .send(Method::DELETE, &format!("/Groups/{support}"), &json!({}))
        .await;
    assert_eq!(res.status(), 405);
    assert_eq!(
        org.get(&format!("/Groups/{support}")).await.status(),
        200,
        "still there"
    );
}

#[tokio::test]
async fn discovery_endpoints() {
    let org = default_org().await;
    for path in ["/ServiceProviderConfigs", "/ServiceProviderConfig"] {
        let res = org.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        let c: Value = res.json().await.unwrap();
        assert_eq!(c["patch"]["supported"], true);
        assert_eq!(c["bulk"]["supported"], false);
        assert_eq!(c["filter"]["maxResults"], 200);
        assert_eq!(c["authenticationSchemes"][0]["type"], "oauthbearertoken");
    }
    let schemas: Value = org.get("/Schemas").await.json().await.unwrap();
    assert_eq!(schemas["totalResults"], 3);
    let rt: Value = org.get("/ResourceTypes").await.json().await.unwrap();
    assert_eq!(rt["Resources"][0]["endpoint"], "/Users");
    let ents: Value = org.get("/Entitlements").await.json().await.unwrap();
    let profiles: Vec<&str> = ents["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "Profile")
        .map(|e| e["displayName"].as_str().unwrap())
        .collect();
    for p in ["Standard User", "System Administrator", "Read Only"] {
        assert!(profiles.contains(&p), "profile {p} listed");
    }
    let roles: Value = org.get("/Roles").await.json().await.unwrap();
    assert!(roles["Resources"][0]["id"]
        .as_str()
        .unwrap()
        .starts_with("00E"));
}

#[tokio::test]
async fn external_id_is_kept_and_members_carry_ref_and_type() {
    // Bugs: a group's externalId was accepted with 200 and dropped; members came back without
    // `$ref` and `type` (RFC 7643 §4.2).
    let org = default_org().await;
    let support = group_id(&org, "Support").await;
    let a = org.create_user("ref@example.com", "Re", "F").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ops = json!([
        {"op": "add", "path": "externalId", "value": "okta-42"},
        {"op": "add", "path": "members", "value": [{"value": a}]},
    ]);
    let res = org
        .patch(&format!("/Groups/{support}"), &patch_op(ops))
        .await;
    assert_eq!(res.status(), 200);
    let g: Value = org
        .get(&format!("/Groups/{support}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(g["externalId"], "okta-42");
    assert_eq!(g["members"][0]["type"], "User");
    assert_eq!(g["members"][0]["$ref"], org.scim(&format!("/Users/{a}")));

    let put = json!({"displayName": "Support", "members": [{"value": a}]});
    let res = org
        .send(Method::PUT, &format!("/Groups/{support}"), &put)
        .await;
    let g: Value = res.json().await.unwrap();
    assert!(
        g.get("externalId").is_none(),
        "PUT replaces: no externalId given, none kept"
    );
}
