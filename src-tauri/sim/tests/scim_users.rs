//! /Users against the practice org over HTTP, one Salesforce behaviour per test.

mod common;
use common::{default_org, patch_op, user};
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn bearer_token_is_required() {
    let org = default_org().await;
    let res = org.http.get(org.scim("/Users")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    assert!(
        res.headers().get("www-authenticate").is_some(),
        "401 names the scheme"
    );
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body["schemas"][0],
        "urn:ietf:params:scim:api:messages:2.0:Error"
    );
    let res = org
        .http
        .get(org.scim("/Users"))
        .bearer_auth("00Dfake!nope")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401, "an unknown token is refused too");
}

#[tokio::test]
async fn create_fills_salesforce_defaults() {
    let org = default_org().await;
    let profile = org.profile_id("Standard User").await;
    assert!(
        profile.starts_with("00e"),
        "profile ids start with 00e: {profile}"
    );
    let res = org
        .post(
            "/Users",
            &user("Ada.Lovelace@Example.COM", "Ada", "Lovelace", &profile),
        )
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(res.headers()["content-type"], "application/scim+json");
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let u: Value = res.json().await.unwrap();
    let id = u["id"].as_str().unwrap();
    assert!(id.starts_with("005") && id.len() == 18, "user id {id}");
    assert_eq!(
        u["userName"], "ada.lovelace@example.com",
        "userName is lower-cased"
    );
    assert_eq!(u["nickName"], "ada.lovelace@example.com");
    assert_eq!(u["displayName"], "Ada Lovelace");
    assert_eq!(u["locale"], "en_US");
    assert_eq!(u["preferredLanguage"], "en_US");
    assert!(u["timezone"].is_string());
    assert_eq!(u["userType"], "Standard");
    assert_eq!(u["active"], true);
    assert_eq!(u["entitlements"][0]["display"], "Standard User");
    assert_eq!(u["entitlements"][0]["type"], "Profile");
    assert_eq!(u["meta"]["resourceType"], "User");
    assert_eq!(
        u["meta"]["location"],
        location.as_str(),
        "Location header = meta.location"
    );
    assert!(u["schemas"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s == "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"));
    let fetched: Value = org
        .http
        .get(&location)
        .bearer_auth(&org.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(fetched["id"], u["id"]);
}

#[tokio::test]
async fn create_without_profile_is_refused_like_salesforce() {
    let org = default_org().await;
    let mut body = user("noprofile@example.com", "No", "Profile", "x");
    body.as_object_mut().unwrap().remove("entitlements");
    let res = org.post("/Users", &body).await;
    assert_eq!(res.status(), 409);
    let err: Value = res.json().await.unwrap();
    assert_eq!(
        err["detail"],
        "REQUIRED_FIELD_MISSING:user_must_have_one_entitlement_which_must_be_a_profileid;"
    );
    assert_eq!(err["status"], 409);
}

#[tokio::test]
async fn required_fields_and_username_shape() {
    let org = default_org().await;
    let profile = org.profile_id("Standard User").await;
    let mut no_last = user("x@example.com", "X", "", &profile);
    no_last["name"] = json!({"givenName": "X"});
    let res = org.post("/Users", &no_last).await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("REQUIRED_FIELD_MISSING"));
    let res = org
        .post("/Users", &user("not-an-email", "A", "B", &profile))
        .await;
    assert_eq!(res.status(), 400);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("form of an email address"));
    let res = org.send(Method::POST, "/Users", &json!("nope")).await;
    assert_eq!(res.status(), 400);
    let res = org
        .http
        .post(org.scim("/Users"))
        .bearer_auth(&org.token)
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let err: Value = res.json().await.unwrap();
    assert_eq!(err["scimType"], "invalidSyntax");
}

#[tokio::test]
async fn duplicate_usernames_here_and_in_other_orgs() {
    let org = default_org().await;
    org.create_user("grace@example.com", "Grace", "Hopper")
        .await;
    let profile = org.profile_id("Standard User").await;
    let res = org
        .post("/Users", &user("GRACE@example.com", "G", "H", &profile))
        .await;
    assert_eq!(res.status(), 409, "unique regardless of case");
    let err: Value = res.json().await.unwrap();
    assert!(err["detail"]
        .as_str()
        .unwrap()
        .starts_with("DUPLICATE_USERNAME"));
    org.settings(json!({"taken_usernames": ["Elsewhere@Example.com"]}))
        .await;
    let res = org
        .post("/Users", &user("elsewhere@example.com", "E", "W", &profile))
        .await;
    assert_eq!(res.status(), 409, "usernames are unique across all orgs");
}

#[tokio::test]
async fn one_email_one_phone_and_email_changes_wait_for_confirmation() {
    let org = default_org().await;
    let profile = org.profile_id("Standard User").await;
    let mut body = user("multi@example.com", "Multi", "Value", &profile);
    body["emails"] =
        json!([{"value": "first@example.com"}, {"value": "multi@example.com", "primary": true}]);
    body["phoneNumbers"] =
        json!([{"value": "+1 1", "type": "work"}, {"value": "+1 2", "type": "mobile"}]);
    let res = org.post("/Users", &body).await;
    assert_eq!(res.status(), 201);
    let u: Value = res.json().await.unwrap();
    assert_eq!(u["emails"].as_array().unwrap().len(), 1);
    assert_eq!(
        u["emails"][0]["value"], "multi@example.com",
        "the primary one is kept"
    );
    assert_eq!(u["phoneNumbers"].as_array().unwrap().len(), 1);

    let id = u["id"].as_str().unwrap();
    let res = org
        .patch(&format!("/Users/{id}"), &patch_op(json!([{"op": "replace", "path": "emails", "value": [{"value": "new@example.com"}]}])))
        .await;
    assert_eq!(res.status(), 200);
    let u: Value = res.json().await.unwrap();
    assert_eq!(
        u["emails"][0]["value"], "multi@example.com",
        "an email change needs the user's confirmation"
    );
}

#[tokio::test]
async fn restricted_picklists_refuse_state_and_country() {
    let org = default_org().await;
    let profile = org.profile_id("Standard User").await;
    let mut body = user("addr@example.com", "Ad", "Dress", &profile);
    body["addresses"] =
        json!([{"type": "work", "locality": "Austin", "region": "TX", "country": "US"}]);
    org.settings(json!({"picklists_enabled": true})).await;
    let res = org.post("/Users", &body).await;
    assert_eq!(res.status(), 400);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"));
    org.settings(json!({"picklists_enabled": false})).await;
    assert_eq!(
        org.post("/Users", &body).await.status(),
        201,
        "accepted with the switch off"
    );
}

#[tokio::test]
async fn patch_put_and_delete_deactivates() {
    let org = default_org().await;
    let u = org.create_user("pat@example.com", "Pat", "Smith").await;
    let id = u["id"].as_str().unwrap();
    let res = org
        .patch(
            &format!("/Users/{id}"),
            &patch_op(json!([
                {"op": "replace", "path": "name.givenName", "value": "Patricia"},
                {"op": "replace", "value": {"title": "CTO"}},
                {"op": "add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "IT"}
            ])),
        )
        .await;
    assert_eq!(res.status(), 200);
    let u: Value = res.json().await.unwrap();
    assert_eq!(u["name"]["givenName"], "Patricia");
    assert_eq!(u["title"], "CTO");
    assert_eq!(
        u["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["department"],
        "IT"
    );

    let mut replacement = u.clone();
    replacement["title"] = json!("CEO");
    let res = org
        .send(Method::PUT, &format!("/Users/{id}"), &replacement)
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["title"], "CEO");

    let res = org
        .patch(
            &format!("/Users/{id}"),
            &patch_op(json!([{"op": "replace", "value": {"active": false}}])),
        )
        .await;
    assert_eq!(
        res.json::<Value>().await.unwrap()["active"],
        false,
        "the Salesforce deactivation PATCH"
    );
    org.patch(
        &format!("/Users/{id}"),
        &patch_op(json!([{"op": "replace", "path": "active", "value": true}])),
    )
    .await;

    let res = org
        .send(Method::DELETE, &format!("/Users/{id}"), &json!({}))
        .await;
    assert_eq!(res.status(), 204);
    let u: Value = org.get(&format!("/Users/{id}")).await.json().await.unwrap();
    assert_eq!(
        u["active"], false,
        "DELETE deactivates; the user still exists"
    );

    let res = org
        .patch(&format!("/Users/{id}"), &json!({"Operations": []}))
        .await;
    assert_eq!(
        res.status(),
        400,
        "PatchOp schema and operations are required"
    );
    assert_eq!(org.get("/Users/005000000000000XXX").await.status(), 404);
}

#[tokio::test]
async fn list_filters_and_paging() {
    let org = default_org().await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let u = org
            .create_user(&format!("user{i}@example.com"), "U", &format!("N{i}"))
            .await;
        ids.push(u["id"].as_str().unwrap().to_owned());
    }
    let profile = org.profile_id("Standard User").await;
    let mut with_ext = user("ext@example.com", "E", "X", &profile);
    with_ext["externalId"] = json!("EXT-42");
    assert_eq!(org.post("/Users", &with_ext).await.status(), 201);

    let q = |f: &str| {
        let org = &org;
        let f = f.to_owned();
        async move {
            let res = org
                .http
                .get(org.scim("/Users"))
                .query(&[("filter", f.as_str())])
                .bearer_auth(&org.token)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200, "filter {f}");
            res.json::<Value>().await.unwrap()
        }
    };
    assert_eq!(
        q("userName eq \"USER3@example.com\"").await["totalResults"],
        1,
        "userName compares case-insensitively"
    );
    assert_eq!(q("externalId eq \"EXT-42\"").await["totalResults"], 1);
    assert_eq!(
        q("emails.value eq \"user1@example.com\"").await["totalResults"],
        1
    );
    assert_eq!(
        q(&format!("id gt \"{}\"", ids[2])).await["totalResults"],
        3,
        "two created after ids[2] plus ext"
    );
    assert_eq!(
        q("userName eq \"user0@example.com\" or userName eq \"user1@example.com\"").await
            ["totalResults"],
        2
    );
    // No precedence: (a or b) and c.
    let f = "userName eq \"user0@example.com\" or userName eq \"user1@example.com\" and name.familyName eq \"N1\"";
    assert_eq!(
        q(f).await["totalResults"],
        1,
        "and does not bind tighter than or"
    );

    let page: Value = org
        .http
        .get(org.scim("/Users"))
        .query(&[("count", "2"), ("startIndex", "2")])
        .bearer_auth(&org.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        page["schemas"][0],
        "urn:ietf:params:scim:api:messages:2.0:ListResponse"
    );
    assert_eq!(page["itemsPerPage"], 2);
    assert_eq!(page["startIndex"], 2);
    assert_eq!(page["totalResults"], 6);
    assert_eq!(page["Resources"][0]["id"], ids[1].as_str());

    let res = org
        .http
        .get(org.scim("/Users"))
        .query(&[("startIndex", "2001")])
        .bearer_auth(&org.token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("Start index too big"));
    let res = org
        .http
        .get(org.scim("/Users"))
        .query(&[("filter", "userName eqq \"x\"")])
        .bearer_auth(&org.token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400, "a bad filter is refused");
    assert_eq!(
        res.json::<Value>().await.unwrap()["scimType"],
        "invalidFilter"
    );
}

#[tokio::test]
async fn pages_hold_at_most_200() {
    let org = common::start(lanyard_sim::SimConfig {
        users: 450,
        ..Default::default()
    })
    .await;
    let page: Value = org
        .http
        .get(org.scim("/Users"))
        .query(&[("count", "1000")])
        .bearer_auth(&org.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["totalResults"], 450);
    assert_eq!(page["itemsPerPage"], 200, "Salesforce caps a page at 200");
    let first = &page["Resources"][0];
    assert!(
        first["title"].is_string() && first["addresses"].is_array(),
        "preloaded users look real: {first}"
    );
}

#[tokio::test]
async fn optional_name_parts_are_kept() {
    // Bug: name.middleName, honorificPrefix and honorificSuffix were published in /Schemas but
    // dropped when a user was stored.
    let org = default_org().await;
    let profile = org.profile_id("Standard User").await;
    let mut body = user("parts@example.com", "Grace", "Hopper", &profile);
    body["name"]["middleName"] = json!("Brewster");
    body["name"]["honorificPrefix"] = json!("Rear Admiral");
    body["name"]["honorificSuffix"] = json!("PhD");
    let res = org.post("/Users", &body).await;
    assert_eq!(res.status(), 201);
    let u: Value = res.json().await.unwrap();
    assert_eq!(u["name"]["middleName"], "Brewster");
    assert_eq!(u["name"]["honorificPrefix"], "Rear Admiral");
    assert_eq!(u["name"]["honorificSuffix"], "PhD");
    assert_eq!(
        u["name"]["formatted"], "Grace Hopper",
        "built from first and last name"
    );
}
