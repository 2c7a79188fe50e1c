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
    let base = common::rig().await;
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

#[tokio::test]
async fn idp_initiated_login_reaches_salesforce_once() {
    let r = rig().await;
    let url = r
        .core
        .idp_initiated_login("practice", "ada@practice.example.com")
        .await
        .unwrap()
        .url;
    assert!(url.starts_with("http://127.0.0.1:"), "loopback only: {url}");
    let res = r.http.get(&url).send().await.unwrap();
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
    let again = r.http.get(&url).send().await;
    assert!(
        again.map(|res| res.status() != 200).unwrap_or(true),
        "the link is single-use"
    );

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
async fn sp_initiated_login_goes_through_the_loopback_idp() {
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

    let chooser = r
        .http
        .get(&to_idp)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        chooser.contains("ada@practice.example.com"),
        "authorized users are offered"
    );
    assert!(
        !chooser.contains("eve@practice.example.com"),
        "users outside bound groups are not"
    );
    let key = attr(&chooser, "value", "name=\"key\"").unwrap().to_owned();
    let action = format!(
        "{}{}",
        r.idp.base_url(),
        attr(&chooser, "action", "<form").unwrap()
    );

    // Choosing someone who is not authorized (a crafted form) is denied.
    let denied = r
        .http
        .post(&action)
        .form(&[("key", key.as_str()), ("email", "eve@practice.example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 403);
    assert!(denied.text().await.unwrap().contains("not authorized"));

    // The request was used up by that attempt: start again, then choose Ada.
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
    let chooser = r
        .http
        .get(&to_idp)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let key = attr(&chooser, "value", "name=\"key\"").unwrap().to_owned();
    let form = [("key", key.as_str()), ("email", "ada@practice.example.com")];
    let page = common::post_form(&r.http, &action, &form).await;
    assert!(
        page.contains("name=\"RelayState\" value=\"/home\""),
        "RelayState travels back"
    );
    let result = follow_auto_post(&r.http, &page).await;
    assert_eq!(
        common::heading(&result),
        "Logged in as ada@practice.example.com"
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
    assert_eq!(first.status(), 200, "the request itself is fine");
    let again = r.http.get(&to_idp).send().await.unwrap();
    assert_eq!(again.status(), 403, "the same signed URL a second time");
    assert!(
        again.text().await.unwrap().contains("already used"),
        "says it is a replay"
    );

    // The same for the POST binding.
    let sf = salesforce(&r).await;
    let xml = sf.signed_post("_post-replay");
    assert_eq!(post_request(&r, &xml).await.status(), 200);
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
    assert_eq!(res.status(), 200, "4 minutes is within the window");
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
    assert_eq!(
        post_request(&r, &sf.signed_post("_plain")).await.status(),
        200,
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
    assert_eq!(post_request(&r, &inner).await.status(), 200);
}
