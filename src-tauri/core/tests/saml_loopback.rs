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
