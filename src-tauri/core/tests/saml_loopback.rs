//! Both test logins end to end, with an HTTP client standing in for the browser: the
//! IdP-initiated one-time page and the SP-initiated flow through the loopback IdP endpoint, each
//! reaching "Logged in as …" on the practice org.

mod common;
use common::{attr, follow_auto_post};
use lanyard_core::directory::users::UserInput;
use lanyard_core::saml::loopback::LoopbackIdp;

/// The common rig, plus the loopback IdP endpoint that Salesforce's settings point at, and a
/// directory user (Eve) who is not in any group bound to the application.
struct Rig {
    base: common::Rig,
    idp: LoopbackIdp,
}

impl std::ops::Deref for Rig {
    type Target = common::Rig;
    fn deref(&self) -> &common::Rig {
        &self.base
    }
}

async fn rig() -> Rig {
    rig_with(common::rig().await).await
}

async fn rig_with(base: common::Rig) -> Rig {
    let pem = base.ready().await;
    base.core
        .create_user(UserInput {
            email: "eve@practice.example.com".into(),
            firstname: "Eve".into(),
            lastname: "Test".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let idp = base
        .core
        .serve_idp("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    base.configure_salesforce_at(&pem, &format!("{}/saml2/practice", idp.base_url()))
        .await;
    Rig { base, idp }
}

const ADA: &str = "ada@practice.example.com";

#[tokio::test]
async fn idp_initiated_login_reaches_salesforce_once() {
    let r = rig().await;
    let link = r.core.idp_initiated_login("practice", ADA).await.unwrap();
    assert!(
        link.url.starts_with("file://"),
        "a file is opened: {}",
        link.url
    );
    let file = std::fs::read_to_string(&link.path).unwrap();
    let token = attr(&file, "value", "name=\"token\"").unwrap().to_owned();
    assert!(
        !link.url.contains(&token),
        "the secret is not in what goes on a command line"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&link.path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "only the admin can read the file");
        let dir = std::fs::metadata(link.path.parent().unwrap()).unwrap();
        assert_eq!(dir.permissions().mode() & 0o077, 0, "nor list its folder");
    }
    let action = attr(&file, "action", "<form").unwrap().to_owned();
    assert!(
        action.starts_with("http://127.0.0.1:"),
        "loopback only: {action}"
    );

    let res = r
        .http
        .post(&action)
        .header("host", "evil.example.com")
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        421,
        "a rebinding page is refused, and the token not used up"
    );

    let res = r.open_test_login(&link).await;
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("script-src 'nonce-"),
        "only the page's own script runs: {csp}"
    );
    let page = res.text().await.unwrap();
    assert_eq!(
        common::heading(&follow_auto_post(&r.http, &page).await),
        "Logged in as ada@practice.example.com"
    );
    let again = r
        .http
        .post(&action)
        .form(&[("token", token.as_str())])
        .send()
        .await;
    assert!(
        again.map(|res| res.status() != 200).unwrap_or(true),
        "the link is single-use"
    );
    let path = link.path.clone();
    link.wait().await;
    assert!(!path.exists(), "the file is deleted once used");

    let err = r
        .core
        .idp_initiated_login("practice", "eve@practice.example.com")
        .await
        .err()
        .expect("refused");
    assert!(
        err.message.contains("may not sign in"),
        "unauthorized users get no link: {}",
        err.message
    );
}

#[tokio::test]
async fn sp_initiated_login_waits_for_the_admin() {
    let r = rig().await;
    let res = r
        .http
        .get(format!(
            "{}/saml/login?RelayState=%2Fhome",
            r.sim.base_url()
        ))
        .send()
        .await
        .unwrap();
    let to_idp = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        to_idp.starts_with(&format!("{}/saml2/practice?SAMLRequest=", r.idp.base_url())),
        "{to_idp}"
    );
    let res = r.http.get(&to_idp).send().await.unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let wait = format!(
        "{}{}",
        r.idp.base_url(),
        res.headers()["location"].to_str().unwrap()
    );

    // A plain HTTP client that keeps following the flow gets no response, and cannot choose.
    for _ in 0..3 {
        let page = r
            .http
            .get(&wait)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Waiting for approval in Lanyard"), "{page}");
        assert!(
            !page.contains("SAMLResponse"),
            "nothing signed before approval"
        );
        assert!(
            !page.contains(ADA) && !page.contains("<form"),
            "the page offers no user and no form: {page}"
        );
    }
    let crafted = r
        .http
        .post(format!("{}/saml2/practice/choose", r.idp.base_url()))
        .form(&[("email", ADA)])
        .send()
        .await
        .unwrap();
    assert!(
        !crafted.text().await.unwrap().contains("SAMLResponse"),
        "no chooser endpoint exists"
    );

    let code = common::by_id(
        &r.http
            .get(&wait)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "code",
    )
    .unwrap();
    let pending = r.core.pending_logins();
    assert_eq!(pending.len(), 1, "{pending:?}");
    let p = &pending[0];
    assert_eq!(p.code, code, "the window shows the browser's code");
    assert_eq!(p.app, "practice");
    assert!(p.login_url.contains("?so=00D"), "{}", p.login_url);
    assert_eq!(p.expires_at - p.received_at, chrono::Duration::minutes(2));

    // Approving someone who is not authorized is refused; the request keeps waiting.
    let err = r
        .core
        .approve_login(&p.id, "eve@practice.example.com")
        .await
        .unwrap_err();
    assert_eq!(
        err.code,
        lanyard_core::ErrorCode::Forbidden,
        "{}",
        err.message
    );
    assert_eq!(r.core.pending_logins().len(), 1);
    let page = r
        .http
        .get(&wait)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("SAMLResponse"));

    r.core.approve_login(&p.id, ADA).await.unwrap();
    assert!(
        r.core.pending_logins().is_empty(),
        "approved: no longer listed"
    );
    let res = r.http.get(&wait).send().await.unwrap();
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("script-src 'nonce-"), "{csp}");
    let page = res.text().await.unwrap();
    assert!(
        page.contains("name=\"RelayState\" value=\"/home\""),
        "RelayState travels back"
    );
    let result = follow_auto_post(&r.http, &page).await;
    assert_eq!(
        common::heading(&result),
        "Logged in as ada@practice.example.com"
    );
    let again = r.http.get(&wait).send().await.unwrap();
    assert_eq!(again.status(), 404, "the response is handed out once");
    assert!(
        r.core.approve_login(&p.id, ADA).await.is_err(),
        "and approved once"
    );

    let history: Vec<serde_json::Value> = r
        .http
        .get(format!("{}/_sim/login-history", r.sim.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(history.last().unwrap()["status"], "Success");
    let events = r.core.events(50, None).await.unwrap();
    assert!(
        events.iter().any(|e| e.name == "saml.login_approved"),
        "{events:?}"
    );
}

#[tokio::test]
async fn a_denied_or_expired_request_gets_no_response() {
    let clock = std::sync::Arc::new(common::MovableClock::default());
    let r = rig_with(common::rig_with_clock(clock.clone()).await).await;
    let wait = r.start_sp_login("").await.unwrap();
    let p = r.pending_for(&wait).await;
    r.core.deny_login(&p.id).await.unwrap();
    let res = r.http.get(&wait).send().await.unwrap();
    assert_eq!(res.status(), 403);
    assert!(res.text().await.unwrap().contains("denied"));
    assert!(
        r.core.approve_login(&p.id, ADA).await.is_err(),
        "denied stays denied"
    );

    let wait = r.start_sp_login("").await.unwrap();
    let p = r.pending_for(&wait).await;
    clock.advance(chrono::Duration::seconds(121));
    assert!(
        r.core.pending_logins().is_empty(),
        "expired after 2 minutes"
    );
    let err = r.core.approve_login(&p.id, ADA).await.unwrap_err();
    assert!(err.message.contains("no longer waiting"), "{}", err.message);
    let res = r.http.get(&wait).send().await.unwrap();
    assert_eq!(res.status(), 403);
    assert!(res.text().await.unwrap().contains("expired"));
}

#[tokio::test]
async fn a_wrong_host_is_refused() {
    let r = rig().await;
    let res = r
        .http
        .get(format!("{}/saml/login", r.sim.base_url()))
        .send()
        .await
        .unwrap();
    let to_idp = res.headers()["location"].to_str().unwrap().to_owned();
    for host in [
        "attacker.example.com",
        "attacker.example.com:80",
        "127.0.0.1:1",
    ] {
        let res = r
            .http
            .get(&to_idp)
            .header("host", host)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 421, "Host {host}");
        assert!(!res.text().await.unwrap().contains("Waiting"));
    }
    assert!(r.core.pending_logins().is_empty(), "nothing was held");
    let events = r.core.events(20, None).await.unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.name == "saml.login_request_refused" && e.detail.contains("Wrong Host")),
        "{events:?}"
    );
    let port = r.idp.addr.port();
    let ok = to_idp.replace("127.0.0.1", "localhost");
    let res = r
        .http
        .get(&ok)
        .header("host", format!("localhost:{port}"))
        .send()
        .await
        .unwrap();
    assert!(
        res.status().is_redirection(),
        "localhost:PORT is this endpoint too"
    );
}

#[tokio::test]
async fn a_long_relay_state_is_refused_and_refusals_are_rate_limited() {
    let r = rig().await;
    let long = "x".repeat(81);
    let refused = r
        .start_sp_login(&format!("RelayState={long}"))
        .await
        .unwrap_err();
    assert!(refused.contains("80 bytes"), "{refused}");
    assert!(r
        .start_sp_login(&format!("RelayState={}", "x".repeat(80)))
        .await
        .is_ok());

    for _ in 0..40 {
        let res = r
            .http
            .get(format!("{}/saml2/nope?SAMLRequest=AAAA", r.idp.base_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
    }
    let events = r.core.events(200, None).await.unwrap();
    let refused = events
        .iter()
        .filter(|e| e.name == "saml.login_request_refused")
        .count();
    assert!(
        refused <= lanyard_core::saml::loopback::REFUSAL_EVENTS_PER_MINUTE as usize,
        "at most {} refusals a minute reach the log, got {refused}",
        lanyard_core::saml::loopback::REFUSAL_EVENTS_PER_MINUTE
    );
}

#[tokio::test]
async fn sp_initiated_requests_can_be_refused_outright() {
    use lanyard_core::saml::loopback::{IdpOptions, SpInitiated};
    let r = rig().await;
    let strict = r
        .core
        .serve_idp_with(
            "127.0.0.1:0".parse().unwrap(),
            IdpOptions {
                sp_initiated: SpInitiated::Refuse,
            },
        )
        .await
        .unwrap();
    let pem = r.core.idp_certificate_pem("practice").await.unwrap();
    r.configure_salesforce_at(&pem, &format!("{}/saml2/practice", strict.base_url()))
        .await;
    let refused = r.start_sp_login("").await.unwrap_err();
    assert!(
        refused.contains("SP-initiated logins are turned off"),
        "{refused}"
    );
    assert!(r.core.pending_logins().is_empty());
}

#[tokio::test]
async fn tampered_or_foreign_requests_are_refused() {
    let r = rig().await;
    let res = r
        .http
        .get(format!("{}/saml/login", r.sim.base_url()))
        .send()
        .await
        .unwrap();
    let to_idp = res.headers()["location"].to_str().unwrap().to_owned();
    // Drop the signature: Salesforce signs every request, so Lanyard insists.
    let unsigned = to_idp.split("&SigAlg=").next().unwrap().to_owned();
    let res = r.http.get(&unsigned).send().await.unwrap();
    assert_eq!(res.status(), 403);
    assert!(res.text().await.unwrap().contains("not signed"));
    // Change one character of the signature.
    let (head, sig) = to_idp.rsplit_once("&Signature=").unwrap();
    let flipped = format!(
        "{head}&Signature={}{}",
        if sig.starts_with('A') { "B" } else { "A" },
        &sig[1..]
    );
    let res = r.http.get(&flipped).send().await.unwrap();
    assert_eq!(res.status(), 403);
    assert!(res.text().await.unwrap().contains("does not verify"));
    // An unknown application.
    let other = to_idp.replace("/saml2/practice?", "/saml2/nope?");
    assert_eq!(r.http.get(&other).send().await.unwrap().status(), 403);
    let events = r.core.events(20, None).await.unwrap();
    let refused: Vec<_> = events
        .iter()
        .filter(|e| e.name == "saml.login_request_refused")
        .collect();
    assert_eq!(
        refused.len(),
        3,
        "each refused request is an event: {events:?}"
    );
    assert!(refused.iter().all(|e| e.outcome == "failed"));
    assert!(refused.iter().any(|e| e.detail.contains("does not verify")));
}

/// The practice org's key and names, to sign AuthnRequests the way Salesforce does.
struct Salesforce {
    keys: lanyard_sim::saml::keys::SpKeys,
    entity_id: String,
    acs_url: String,
    idp_url: String,
}

async fn salesforce(r: &Rig) -> Salesforce {
    let (keys, entity_id) = {
        let org = r.sim.sim.org();
        (
            org.sp_keys.clone().expect("the practice org has keys"),
            lanyard_sim::saml::entity_id(&org),
        )
    };
    Salesforce {
        keys,
        entity_id,
        acs_url: r.core.sp_config("practice").await.unwrap().config.acs_url,
        idp_url: format!("{}/saml2/practice", r.idp.base_url()),
    }
}

fn saml_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Salesforce {
    /// A signed HTTP-Redirect URL for a request issued at `at`.
    fn redirect(&self, id: &str, at: chrono::DateTime<chrono::Utc>) -> String {
        let xml = lanyard_sim::saml::authn::authn_request_xml(
            id,
            &saml_time(at),
            &self.idp_url,
            &self.acs_url,
            &self.entity_id,
        );
        lanyard_sim::saml::authn::signed_redirect(&self.idp_url, &xml, "", &self.keys).unwrap()
    }

    /// An AuthnRequest with an enveloped signature (HTTP-POST binding) over its own ID.
    fn signed_post(&self, id: &str) -> String {
        use samael::crypto::{CryptoProvider, XmlSec};
        let template = format!(
            r##"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#{id}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue></ds:SignatureValue></ds:Signature>"##
        );
        let xml = format!(
            r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" IssueInstant="{now}" Destination="{dest}" AssertionConsumerServiceURL="{acs}"><saml:Issuer>{issuer}</saml:Issuer>{template}</samlp:AuthnRequest>"#,
            now = saml_time(chrono::Utc::now()),
            dest = self.idp_url,
            acs = self.acs_url.replace('&', "&amp;"),
            issuer = self.entity_id,
        );
        let key = self.keys.private_key().unwrap().rsa().unwrap();
        let signed = XmlSec::sign_xml(&xml, &key.private_key_to_der().unwrap()).unwrap();
        signed
            .trim_start_matches(|c| c != '>')
            .strip_prefix('>')
            .filter(|_| signed.starts_with("<?xml"))
            .unwrap_or(&signed)
            .trim()
            .to_owned()
    }
}

async fn post_request(r: &Rig, xml: &str) -> reqwest::Response {
    use base64::Engine;
    r.http
        .post(format!("{}/saml2/practice", r.idp.base_url()))
        .form(&[(
            "SAMLRequest",
            base64::engine::general_purpose::STANDARD.encode(xml),
        )])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_replayed_request_is_refused() {
    let r = rig().await;
    let res = r
        .http
        .get(format!("{}/saml/login", r.sim.base_url()))
        .send()
        .await
        .unwrap();
    let to_idp = res.headers()["location"].to_str().unwrap().to_owned();
    let first = r.http.get(&to_idp).send().await.unwrap();
    assert!(
        first.status().is_redirection(),
        "the request itself is fine"
    );
    let again = r.http.get(&to_idp).send().await.unwrap();
    assert_eq!(again.status(), 403, "the same signed URL a second time");
    assert!(
        again.text().await.unwrap().contains("already used"),
        "says it is a replay"
    );

    // The same for the POST binding.
    let sf = salesforce(&r).await;
    let xml = sf.signed_post("_post-replay");
    assert!(post_request(&r, &xml).await.status().is_redirection());
    let again = post_request(&r, &xml).await;
    assert_eq!(again.status(), 403);
    assert!(again.text().await.unwrap().contains("already used"));
}

#[tokio::test]
async fn a_stale_or_future_request_is_refused() {
    let r = rig().await;
    let sf = salesforce(&r).await;
    let now = chrono::Utc::now();
    for (id, at) in [
        ("_stale", now - chrono::Duration::minutes(6)),
        ("_future", now + chrono::Duration::minutes(6)),
    ] {
        let res = r.http.get(sf.redirect(id, at)).send().await.unwrap();
        assert_eq!(
            res.status(),
            403,
            "{id}: validly signed, but issued 6 minutes off"
        );
        assert!(res.text().await.unwrap().contains("more than 5 minutes"));
    }
    let res = r
        .http
        .get(sf.redirect("_fresh", now - chrono::Duration::minutes(4)))
        .send()
        .await
        .unwrap();
    assert!(
        res.status().is_redirection(),
        "4 minutes is within the window"
    );
}

#[tokio::test]
async fn a_request_for_another_destination_is_refused() {
    let r = rig().await;
    let mut sf = salesforce(&r).await;
    sf.idp_url = sf.idp_url.replace("/saml2/practice", "/saml2/other");
    let url = sf
        .redirect("_elsewhere", chrono::Utc::now())
        .replace("/saml2/other?", "/saml2/practice?");
    let res = r.http.get(url).send().await.unwrap();
    assert_eq!(res.status(), 403);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("not to this IdP endpoint"));
}

#[tokio::test]
async fn a_signature_wrapped_request_is_refused() {
    let r = rig().await;
    let sf = salesforce(&r).await;
    assert!(
        post_request(&r, &sf.signed_post("_plain"))
            .await
            .status()
            .is_redirection(),
        "a request signed over its own ID is accepted"
    );

    // A validly signed request, nested inside a forged one with another ID.
    let inner = sf.signed_post("_genuine");
    let forged = |signature: &str| {
        format!(
            r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_forged" Version="2.0" IssueInstant="{now}" AssertionConsumerServiceURL="{acs}"><saml:Issuer>{issuer}</saml:Issuer>{signature}<samlp:Extensions>{inner}</samlp:Extensions></samlp:AuthnRequest>"#,
            now = saml_time(chrono::Utc::now()),
            acs = sf.acs_url.replace('&', "&amp;"),
            issuer = sf.entity_id,
        )
    };
    let res = post_request(&r, &forged("")).await;
    assert_eq!(
        res.status(),
        403,
        "the outer request carries no signature of its own"
    );
    assert!(res.text().await.unwrap().contains("not signed"));

    // The genuine signature copied up to the outer request: it references the nested element.
    let sig_start = inner.find("<ds:Signature").unwrap();
    let sig_end = inner.find("</ds:Signature>").unwrap() + "</ds:Signature>".len();
    let res = post_request(&r, &forged(&inner[sig_start..sig_end])).await;
    assert_eq!(res.status(), 403, "a signature over another element");
    let page = res.text().await.unwrap();
    assert!(page.contains("does not cover the request itself"), "{page}");

    // Nothing of the forged ID was remembered or answered; the genuine one still works.
    assert!(post_request(&r, &inner).await.status().is_redirection());
}
