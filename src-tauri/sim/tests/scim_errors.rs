//! Error answers outside the resource handlers: unknown endpoints and unsupported operations.

mod common;
use common::default_org;
use serde_json::{json, Value};

const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

#[tokio::test]
async fn unknown_endpoints_answer_a_scim_404() {
    // Bug: a path under the SCIM base that names no endpoint answered 404 with an empty body;
    // RFC 7644 §3.12 wants the SCIM error body.
    let org = default_org().await;
    for path in ["/Nope", "/Users/005000000000001IAA/extra", "/services"] {
        let res = org.get(path).await;
        assert_eq!(res.status(), 404, "{path}");
        assert_eq!(res.headers()["content-type"], "application/scim+json");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["schemas"][0], ERROR);
        assert_eq!(body["status"], 404);
    }
    let res = org.http.get(org.scim("/Nope")).send().await.unwrap();
    assert_eq!(res.status(), 401, "the token is checked first");
}

#[tokio::test]
async fn post_search_is_not_implemented() {
    // Bug: POST /.search answered 404 as if the org did not exist there; an unsupported
    // operation is 501 (RFC 7644 §3.4.3, §3.12), which tells a client to query with GET.
    let org = default_org().await;
    let search = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]});
    for path in ["/.search", "/Users/.search", "/Groups/.search"] {
        let res = org.post(path, &search).await;
        assert_eq!(res.status(), 501, "{path}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["schemas"][0], ERROR);
        assert_eq!(body["status"], 501);
    }
}
