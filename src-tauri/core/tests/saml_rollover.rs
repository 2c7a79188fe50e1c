//! IdP certificate rollover without a gap, end to end against the practice org.
//!
//! Salesforce trusts one IdP certificate per single sign-on configuration, so the admin adds a
//! second configuration that trusts the next certificate and binds that certificate to the new
//! configuration's Login URL in Lanyard. Through every step (prepare, bind, activate) logins
//! through both configurations must keep reaching "Logged in as …"; after retiring, the old
//! configuration is refused by Lanyard with a message that says what to do.

mod common;

const ADA: &str = "ada@practice.example.com";
const LOGGED_IN: &str = "Logged in as ada@practice.example.com";

/// What an admin does in Salesforce: Single Sign-On Settings → New, with the next certificate.
/// Returns the new configuration's id (the `sc` of its Login URL).
async fn new_configuration(r: &common::Rig, cert_pem: &str, idp_login_url: &str) -> String {
    let res = r
        .sso_form("new", "Lanyard (next certificate)", cert_pem, idp_login_url)
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let location = res.headers()["location"].to_str().unwrap();
    location
        .split("sc=")
        .nth(1)
        .expect("the new configuration's id")
        .to_owned()
}

#[tokio::test]
async fn both_salesforce_configurations_keep_working_through_the_switch() {
    let r = common::rig().await;
    let old_pem = r.ready().await;
    let idp = r
        .core
        .serve_idp("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let idp_login_url = format!("{}/saml2/practice", idp.base_url());
    r.configure_salesforce_at(&old_pem, &idp_login_url).await;
    assert_eq!(r.login(ADA).await, LOGGED_IN);

    // 1. The next certificate, published, not signing yet.
    let certs = r.core.idp_rotate("practice", false, None).await.unwrap();
    let next = certs.iter().find(|c| c.status == "next").unwrap();
    assert_ne!(next.cert_pem, old_pem);
    let next_pem = next.cert_pem.clone();

    // 2. A second configuration in Salesforce trusts it; its Login URL carries &sc=.
    let sc = new_configuration(&r, &next_pem, &idp_login_url).await;
    let first_acs = r.core.sp_config("practice").await.unwrap().config.acs_url;
    let second_acs = format!("{first_acs}&sc={sc}");
    // Not bound yet: a request through the new configuration is refused by Lanyard, clearly.
    let refused = r.sp_login(&format!("sc={sc}")).await;
    assert!(refused.contains("bind the next certificate"), "{refused}");

    // Binding checks the URL: another org's Login URL, or the first configuration's, is refused.
    let err = r
        .core
        .idp_bind_next("practice", Some("https://evil.example.com/?so=00D"))
        .await
        .unwrap_err();
    assert!(
        err.message.contains("same Salesforce org"),
        "{}",
        err.message
    );
    let err = r
        .core
        .idp_bind_next("practice", Some(&first_acs))
        .await
        .unwrap_err();
    assert!(
        err.message.contains("one certificate per configuration"),
        "{}",
        err.message
    );

    // 3. Bound: each configuration gets the certificate it trusts.
    let certs = r
        .core
        .idp_bind_next("practice", Some(&second_acs))
        .await
        .unwrap();
    let next = certs.iter().find(|c| c.status == "next").unwrap();
    assert_eq!(next.acs_url.as_deref(), Some(second_acs.as_str()));
    assert_eq!(
        r.sp_login("").await,
        LOGGED_IN,
        "first configuration, before the switch"
    );
    assert_eq!(
        r.sp_login(&format!("sc={sc}")).await,
        LOGGED_IN,
        "second, before the switch"
    );
    let signed = r.core.saml_response("practice", ADA, None).await.unwrap();
    assert_eq!(
        signed.acs_url, first_acs,
        "IdP-initiated still goes to the first"
    );
    assert_eq!(r.login(ADA).await, LOGGED_IN);

    // 4. Activate: IdP-initiated moves to the second; SP-initiated works through both.
    r.core.idp_rotate("practice", true, None).await.unwrap();
    let signed = r.core.saml_response("practice", ADA, None).await.unwrap();
    assert_eq!(signed.acs_url, second_acs);
    assert_eq!(signed.certificate_sha256, next.info.sha256);
    assert_eq!(
        r.login(ADA).await,
        LOGGED_IN,
        "IdP-initiated after the switch"
    );
    assert_eq!(
        r.sp_login("").await,
        LOGGED_IN,
        "first configuration, after the switch"
    );
    assert_eq!(
        r.sp_login(&format!("sc={sc}")).await,
        LOGGED_IN,
        "second, after the switch"
    );

    // The certificate binding matters: the new key's response posted to the first
    // configuration is refused by Salesforce.
    let form = [("SAMLResponse", signed.saml_response.as_str())];
    let html = common::post_form(&r.http, &first_acs, &form).await;
    assert!(common::heading(&html).starts_with("Login failed"), "{html}");

    // A newer next certificate, not bound yet, does not take the first configuration away from
    // the previous certificate it still trusts.
    r.core.idp_rotate("practice", false, None).await.unwrap();
    assert_eq!(
        r.sp_login("").await,
        LOGGED_IN,
        "first, with a new next certificate waiting"
    );

    // 5. Retire the old certificate: the first configuration is no longer signed for.
    r.core.idp_retire("practice").await.unwrap();
    assert_eq!(r.sp_login(&format!("sc={sc}")).await, LOGGED_IN);
    let refused = r.sp_login("").await;
    assert!(
        refused.contains("delete the configuration in Salesforce"),
        "{refused}"
    );

    // Every step is an event.
    let names: Vec<String> = r
        .core
        .events(100, None)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.name.as_str().to_owned())
        .collect();
    assert!(
        names.iter().any(|n| n == "saml.idp_certificate_bound"),
        "{names:?}"
    );
}

#[tokio::test]
async fn binding_needs_a_next_certificate_and_can_be_undone() {
    let r = common::rig().await;
    r.ready().await;
    let err = r
        .core
        .idp_bind_next("practice", Some("http://127.0.0.1:1/?so=x&sc=y"))
        .await
        .unwrap_err();
    assert!(
        err.message.contains("no next certificate"),
        "{}",
        err.message
    );
    r.core.idp_rotate("practice", false, None).await.unwrap();
    let acs = r.core.sp_config("practice").await.unwrap().config.acs_url;
    let second = format!("{acs}&sc=0LE000000000009");
    r.core
        .idp_bind_next("practice", Some(&second))
        .await
        .unwrap();
    let certs = r.core.idp_bind_next("practice", None).await.unwrap();
    assert!(certs.iter().all(|c| c.acs_url.is_none()), "unbound again");
}
