//! `--state` persistence and the setup pages.

mod common;
use lanyard_sim::SimConfig;
use serde_json::Value;

#[tokio::test]
async fn state_file_is_saved_at_stop_and_loaded_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("org.json");
    let config = SimConfig {
        state_file: Some(state.clone()),
        ..Default::default()
    };
    let org = common::start(config.clone()).await;
    let created = org.create_user("kept@example.com", "Kept", "User").await;
    org.sim.stop().await.unwrap();
    assert!(state.exists(), "state saved on stop");

    let org = common::start(config).await;
    let f = "userName eq \"kept@example.com\"";
    let body: Value = org
        .http
        .get(org.scim("/Users"))
        .query(&[("filter", f)])
        .bearer_auth(&org.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        body["Resources"][0]["id"], created["id"],
        "same user after a restart"
    );
    let profile = org.profile_id("Standard User").await;
    let res = org
        .post(
            "/Users",
            &common::user("kept@example.com", "K", "U", &profile),
        )
        .await;
    assert_eq!(
        res.status(),
        409,
        "the username index is rebuilt from the state file"
    );

    std::fs::write(&state, "not json").unwrap();
    let err = lanyard_sim::start(SimConfig {
        state_file: Some(state.clone()),
        ..Default::default()
    })
    .await
    .err()
    .expect("refused");
    assert!(
        err.to_string().contains("not a practice-org state file"),
        "{err}"
    );
}

#[tokio::test]
async fn setup_pages_are_served_and_sso_settings_save() {
    let org = common::default_org().await;
    for (path, title) in [
        ("/", "Practice org"),
        ("/lightning/setup/OrgDomain/home", "My Domain"),
        (
            "/lightning/setup/CertificatesAndKeysManagement/home",
            "Certificate and Key Management",
        ),
        (
            "/lightning/setup/SingleSignOn/home",
            "Single Sign-On Settings",
        ),
        (
            "/lightning/setup/AuthenticationConfiguration/home",
            "Authentication Configuration",
        ),
        ("/lightning/setup/OrgLoginHistory/home", "Login History"),
    ] {
        let res = org
            .http
            .get(format!("{}{path}", org.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{path}");
        assert!(
            res.text().await.unwrap().contains(title),
            "{path} shows {title}"
        );
    }
    let res = org
        .http
        .post(format!("{}/lightning/setup/SingleSignOn/home", org.base))
        .form(&[
            ("_csrf", org.sim.sim.csrf_token()),
            ("enabled", "on"),
            ("issuer", "https://idp.lanyard.local/<script>"),
            ("idp_login_url", "http://127.0.0.1:9/saml2/sf"),
            ("idp_certificate_pem", ""),
            ("identity_type", "federation_id"),
        ])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection());
    let html = org
        .http
        .get(format!("{}/lightning/setup/SingleSignOn/home", org.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("https://idp.lanyard.local/&lt;script&gt;"),
        "saved and escaped"
    );
    assert!(!html.contains("<script>"));
    assert!(html.contains("value=\"federation_id\" selected"));
    // A certificate that is not PEM is refused and nothing is saved.
    let res = org
        .http
        .post(format!("{}/lightning/setup/SingleSignOn/home", org.base))
        .form(&[
            ("_csrf", org.sim.sim.csrf_token()),
            ("issuer", "changed"),
            ("idp_login_url", ""),
            ("idp_certificate_pem", "not a certificate"),
            ("identity_type", "username"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("Nothing was saved"));
    let html = org
        .http
        .get(format!("{}/lightning/setup/SingleSignOn/home", org.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("https://idp.lanyard.local/&lt;script&gt;"),
        "the earlier settings are kept"
    );
    let certs = org
        .http
        .get(format!(
            "{}/lightning/setup/CertificatesAndKeysManagement/home",
            org.base
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(certs.contains("SelfSignedCert_practice") && certs.contains("Download Certificate"));
    let history: Vec<Value> = org
        .http
        .get(format!("{}/_sim/login-history", org.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(history.is_empty());
}

#[tokio::test]
async fn a_cross_site_post_to_sso_settings_is_refused() {
    let org = common::default_org().await;
    let page = org
        .http
        .get(format!("{}/lightning/setup/SingleSignOn/home", org.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&format!(
            "name=\"_csrf\" value=\"{}\"",
            org.sim.sim.csrf_token()
        )),
        "the settings form carries the token"
    );
    let evil = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
    // What a web page's hidden auto-submitting form sends: everything but the token.
    for token in [
        None,
        Some("0123456789abcdef0123456789abcdef0123456789abcdef"),
    ] {
        let mut form = vec![
            ("enabled", "on"),
            ("issuer", "https://attacker.example.com"),
            ("idp_login_url", "https://attacker.example.com/sso"),
            ("idp_certificate_pem", ""),
            ("identity_type", "username"),
        ];
        if let Some(t) = token {
            form.push(("_csrf", t));
        }
        for path in ["home", "new"] {
            let res = org
                .http
                .post(format!("{}/lightning/setup/SingleSignOn/{path}", org.base))
                .header("origin", "https://attacker.example.com")
                .form(&form)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 403, "{path} with token {token:?}");
        }
    }
    let res = org
        .http
        .post(format!("{}/lightning/setup/SingleSignOn/delete", org.base))
        .form(&[("sc", "0LE000000000001")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "delete needs the token too");
    let after = org
        .http
        .get(format!("{}/lightning/setup/SingleSignOn/home", org.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!after.contains("attacker.example.com"), "nothing was saved");
    assert!(!after.contains(evil));
    let res = org
        .http
        .post(format!("{}/_sim/reset", org.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("x=1")
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error(), "/_sim/* takes JSON only");
}

#[tokio::test]
async fn a_wrong_host_is_refused_by_the_practice_org() {
    let org = common::default_org().await;
    for path in [
        "/lightning/setup/SingleSignOn/home",
        "/_sim/saml/metadata",
        "/_sim/stats",
    ] {
        let res = org
            .http
            .get(format!("{}{path}", org.base))
            .header("host", "rebind.attacker.example.com")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 421, "{path}");
        let ok = org
            .http
            .get(format!("{}{path}", org.base))
            .send()
            .await
            .unwrap();
        assert_eq!(ok.status(), 200, "{path} at 127.0.0.1:PORT");
    }
}
