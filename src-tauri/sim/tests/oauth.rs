//! The OAuth web-server flow with PKCE, driven like a browser would: consent page, Allow/Deny,
//! redirect to a loopback URI, code exchange, refresh and revocation.

mod common;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use lanyard_sim::oauth::CLIENT_ID;
use lanyard_sim::SimConfig;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::time::Duration;

const REDIRECT: &str = "http://127.0.0.1:53682/callback";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-verifier-of-enough-length";

fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn query_param(url: &str, key: &str) -> Option<String> {
    let q = url.split_once('?')?.1;
    q.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == key).then(|| v.replace("%20", " ").replace('+', " "))
    })
}

/// Runs authorize + the consent decision; returns the redirect Location.
async fn authorize(org: &common::Org, decision: &str, extra: &[(&str, &str)]) -> String {
    let ch = challenge(VERIFIER);
    let mut params = vec![
        ("response_type", "code"),
        ("client_id", CLIENT_ID),
        ("redirect_uri", REDIRECT),
        ("state", "xyz-state"),
        ("scope", "api refresh_token"),
        ("code_challenge", ch.as_str()),
        ("code_challenge_method", "S256"),
    ];
    for (k, v) in extra {
        params.retain(|(pk, _)| pk != k);
        params.push((k, v));
    }
    let res = org
        .http
        .get(format!("{}/services/oauth2/authorize", org.base))
        .query(&params)
        .send()
        .await
        .unwrap();
    if res.status().is_redirection() {
        return res.headers()["location"].to_str().unwrap().to_owned();
    }
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Allow") && html.contains("Deny"),
        "consent page offers both"
    );
    let consent = html
        .split("name=\"consent\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let res = org
        .http
        .post(format!("{}/services/oauth2/authorize", org.base))
        .form(&[("consent", consent.as_str()), ("decision", decision)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "the decision redirects");
    res.headers()["location"].to_str().unwrap().to_owned()
}

async fn exchange(org: &common::Org, code: &str, verifier: Option<&str>) -> (u16, Value) {
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("client_id", CLIENT_ID),
        ("redirect_uri", REDIRECT),
    ];
    if let Some(v) = verifier {
        form.push(("code_verifier", v));
    }
    let res = org
        .http
        .post(format!("{}/services/oauth2/token", org.base))
        .form(&form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap())
}

async fn refresh(org: &common::Org, token: &str) -> (u16, Value) {
    let res = org
        .http
        .post(format!("{}/services/oauth2/token", org.base))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", token),
            ("client_id", CLIENT_ID),
        ])
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

async fn scim_status(org: &common::Org, token: &str) -> u16 {
    org.http
        .get(org.scim("/Users"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn full_flow_with_refresh_and_revoke() {
    let org = common::default_org().await;
    let location = authorize(&org, "allow", &[]).await;
    assert!(
        location.starts_with(REDIRECT),
        "back to the loopback redirect: {location}"
    );
    assert_eq!(
        query_param(&location, "state").as_deref(),
        Some("xyz-state")
    );
    let code = query_param(&location, "code").expect("code");

    let (status, body) = exchange(&org, &code, Some(VERIFIER)).await;
    assert_eq!(status, 200, "{body}");
    for key in [
        "access_token",
        "refresh_token",
        "instance_url",
        "id",
        "token_type",
        "issued_at",
        "signature",
    ] {
        assert!(body.get(key).is_some(), "token response has {key}: {body}");
    }
    assert_eq!(
        body["instance_url"],
        org.base.as_str(),
        "instance_url points at the practice org"
    );
    assert_eq!(body["token_type"], "Bearer");
    let access = body["access_token"].as_str().unwrap().to_owned();
    let refresh_token = body["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(
        scim_status(&org, &access).await,
        200,
        "the access token opens SCIM"
    );

    let (status, again) = exchange(&org, &code, Some(VERIFIER)).await;
    assert_eq!(
        (status, again["error"].as_str()),
        (400, Some("invalid_grant")),
        "a code is single-use"
    );

    let (status, refreshed) = refresh(&org, &refresh_token).await;
    assert_eq!(status, 200);
    assert!(
        refreshed.get("refresh_token").is_none(),
        "a refresh answer carries no new refresh token"
    );
    let access2 = refreshed["access_token"].as_str().unwrap().to_owned();
    assert_eq!(scim_status(&org, &access2).await, 200);

    let res = org
        .http
        .post(format!("{}/services/oauth2/revoke", org.base))
        .form(&[("token", refresh_token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        scim_status(&org, &access2).await,
        401,
        "revoking the refresh token revokes its access tokens"
    );
    let (status, body) = refresh(&org, &refresh_token).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn pkce_errors() {
    let org = common::default_org().await;
    let code = query_param(&authorize(&org, "allow", &[]).await, "code").unwrap();
    let (status, body) = exchange(
        &org,
        &code,
        Some("a-different-verifier-that-is-long-enough-0123456789"),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "wrong verifier"
    );

    let code = query_param(&authorize(&org, "allow", &[]).await, "code").unwrap();
    let (status, body) = exchange(&org, &code, None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request")),
        "missing verifier"
    );

    let location = authorize(&org, "allow", &[("code_challenge_method", "plain")]).await;
    assert_eq!(
        query_param(&location, "error").as_deref(),
        Some("invalid_request"),
        "S256 is required"
    );
    let location = authorize(&org, "allow", &[("code_challenge", "")]).await;
    assert_eq!(
        query_param(&location, "error").as_deref(),
        Some("invalid_request"),
        "PKCE is required"
    );
}

#[tokio::test]
async fn deny_and_bad_clients() {
    let org = common::default_org().await;
    let location = authorize(&org, "deny", &[]).await;
    assert_eq!(
        query_param(&location, "error").as_deref(),
        Some("access_denied")
    );
    assert_eq!(
        query_param(&location, "state").as_deref(),
        Some("xyz-state")
    );

    let res = org
        .http
        .get(format!("{}/services/oauth2/authorize", org.base))
        .query(&[
            ("response_type", "code"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", "https://evil.example.com/cb"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        400,
        "never redirects to a non-loopback address"
    );
    assert!(res.text().await.unwrap().contains("redirect_uri_mismatch"));
    let res = org
        .http
        .get(format!("{}/services/oauth2/authorize", org.base))
        .query(&[
            ("response_type", "code"),
            ("client_id", "someone-else"),
            ("redirect_uri", REDIRECT),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("invalid_client_id"));
}

#[tokio::test]
async fn access_tokens_expire_and_refresh_renews() {
    let org = common::start(SimConfig {
        token_ttl: Duration::from_millis(300),
        ..Default::default()
    })
    .await;
    let code = query_param(&authorize(&org, "allow", &[]).await, "code").unwrap();
    let (_, body) = exchange(&org, &code, Some(VERIFIER)).await;
    let access = body["access_token"].as_str().unwrap();
    assert_eq!(scim_status(&org, access).await, 200);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(scim_status(&org, access).await, 401, "expired");
    let (status, renewed) = refresh(&org, body["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(
        scim_status(&org, renewed["access_token"].as_str().unwrap()).await,
        200
    );
}
