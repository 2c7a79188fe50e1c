#![allow(dead_code)]
//! Starts a practice org on a free loopback port and talks to it over real HTTP.

use lanyard_sim::{RunningSim, SimConfig};
use reqwest::{Client, Response};
use serde_json::{json, Value};

pub struct Org {
    pub sim: RunningSim,
    pub base: String,
    pub token: String,
    pub http: Client,
}

pub async fn start(config: SimConfig) -> Org {
    let sim = lanyard_sim::start(config)
        .await
        .expect("start practice org");
    let org_id = sim.sim.org().org_id.clone();
    let token = sim.sim.oauth.issue_tool_token(&org_id);
    let base = sim.base_url().to_owned();
    let http = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    Org {
        sim,
        base,
        token,
        http,
    }
}

pub async fn default_org() -> Org {
    start(SimConfig::default()).await
}

impl Org {
    pub fn scim(&self, path: &str) -> String {
        format!("{}/services/scim/v2{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.http
            .get(self.scim(path))
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("GET")
    }

    pub async fn send(&self, method: reqwest::Method, path: &str, body: &Value) -> Response {
        self.http
            .request(method, self.scim(path))
            .bearer_auth(&self.token)
            .header("content-type", "application/scim+json")
            .body(body.to_string())
            .send()
            .await
            .expect("request")
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.send(reqwest::Method::POST, path, body).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Response {
        self.send(reqwest::Method::PATCH, path, body).await
    }

    /// The id of the profile with this display name, looked up as a client must.
    pub async fn profile_id(&self, name: &str) -> String {
        let filter = format!("displayName eq \"{name}\"");
        let res = self
            .http
            .get(self.scim("/Entitlements"))
            .query(&[("filter", filter.as_str())])
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("entitlements");
        let body: Value = res.json().await.expect("json");
        body["Resources"][0]["id"]
            .as_str()
            .expect("profile found")
            .to_owned()
    }

    pub async fn create_user(&self, user_name: &str, given: &str, family: &str) -> Value {
        let profile = self.profile_id("Standard User").await;
        let res = self
            .post("/Users", &user(user_name, given, family, &profile))
            .await;
        assert_eq!(res.status(), 201, "create {user_name}");
        res.json().await.expect("json")
    }

    pub async fn settings(&self, body: Value) {
        let res = self
            .http
            .post(format!("{}/_sim/settings", self.base))
            .json(&body)
            .send()
            .await
            .expect("settings");
        assert_eq!(res.status(), 204);
    }
}

pub fn user(user_name: &str, given: &str, family: &str, profile: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": user_name,
        "name": {"givenName": given, "familyName": family},
        "emails": [{"value": user_name, "type": "work", "primary": true}],
        "entitlements": [{"value": profile}],
    })
}

pub fn patch_op(ops: Value) -> Value {
    json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": ops})
}
