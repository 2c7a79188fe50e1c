//! The practice org as a SAML SP: metadata, SP-initiated AuthnRequest, and an ACS that accepts
//! good responses (signed by the independent xmlsec1 CLI) and names the reason for each bad one.

mod common;
#[path = "common/saml.rs"]
mod saml;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{Duration, Utc};
use saml::{signed_response, unsigned_response, Idp, Spec};
use serde_json::Value;

const ISSUER: &str = "https://idp.lanyard.test/acme";

struct Setup {
    org: common::Org,
    idp: Idp,
    acs: String,
    entity: String,
}

/// Saves a Single Sign-On Settings form: `home` (the first configuration) or `new` (another one,
/// named `name`), trusting `idp`'s certificate.
async fn sso_form(org: &common::Org, page: &str, name: &str, idp: &Idp) -> reqwest::Response {
    org.http
        .post(format!("{}/lightning/setup/SingleSignOn/{page}", org.base))
        .form(&[
            ("_csrf", org.sim.sim.csrf_token()),
            ("name", name),
            ("enabled", "on"),
            ("issuer", ISSUER),
            ("idp_login_url", "http://127.0.0.1:9/saml2/acme"),
            ("idp_certificate_pem", idp.cert_pem.as_str()),
            ("identity_type", "username"),
        ])
        .send()
        .await
        .unwrap()
}

async fn setup() -> Setup {
    let org = common::default_org().await;
    let idp = Idp::new("Lanyard IdP test");
    let res = sso_form(&org, "home", "", &idp).await;
    assert!(res.status().is_redirection());
    org.create_user("ada@example.com", "Ada", "Lovelace").await;
    let (acs, entity) = {
        let o = org.sim.sim.org();
        (
            format!("{}/?so={}", org.base, o.org_id),
            format!("https://{}", o.my_domain()),
        )
    };
    Setup {
        org,
        idp,
        acs,
        entity,
    }
}

fn spec(s: &Setup) -> Spec {
    let now = Utc::now();
    Spec {
        issuer: ISSUER.into(),
        destination: s.acs.clone(),
        recipient: s.acs.clone(),
        audience: s.entity.clone(),
        name_id: "ada@example.com".into(),
        in_response_to: None,
        not_before: (now - Duration::seconds(30)).to_rfc3339(),
        not_on_or_after: (now + Duration::minutes(5)).to_rfc3339(),
        assertion_id: format!("_a{}", rand_id()),
        sign_response: true,
        sign_assertion: true,
        algorithm: "sha256",
    }
}

fn rand_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(1);
    N.fetch_add(1, Ordering::SeqCst) * 7919 + std::process::id() as u64
}

/// Posts a response to the ACS; returns (status, the page's result heading).
async fn post(s: &Setup, xml: &str) -> (u16, String) {
    post_to(s, &s.acs, xml).await
}

/// Posts a response to a Login URL (one configuration's ACS).
async fn post_to(s: &Setup, acs: &str, xml: &str) -> (u16, String) {
    let res = s
        .org
        .http
        .post(acs)
        .form(&[
            ("SAMLResponse", STANDARD.encode(xml)),
            ("RelayState", "/home".into()),
        ])
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let html = res.text().await.unwrap();
    let heading = html
        .split("id=\"login-result\"")
        .nth(1)
        .and_then(|r| r.split('>').nth(1))
        .and_then(|r| r.split('<').next())
        .unwrap_or("")
        .to_owned();
    (status, heading)
}

#[tokio::test]
async fn signed_response_logs_the_user_in() {
    let s = setup().await;
    for (resp, assertion) in [(true, true), (false, true), (true, false)] {
        let spec = Spec {
            sign_response: resp,
            sign_assertion: assertion,
            ..spec(&s)
        };
        let (status, heading) = post(&s, &signed_response(&spec, &s.idp)).await;
        assert_eq!(
            (status, heading.as_str()),
            (200, "Logged in as ada@example.com"),
            "response signed={resp} assertion signed={assertion}"
        );
    }
    let history: Vec<Value> = s
        .org
        .http
        .get(format!("{}/_sim/login-history", s.org.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(history.len(), 3);
    assert!(history
        .iter()
        .all(|h| h["status"] == "Success" && h["username"] == "ada@example.com"));
}

#[tokio::test]
async fn each_bad_response_is_refused_with_its_reason() {
    let s = setup().await;
    let base = spec(&s);
    let past = Utc::now() - Duration::minutes(30);
    let cases: Vec<(&str, String)> = vec![
        (
            "Login failed: Audience Invalid",
            signed_response(
                &Spec {
                    audience: "https://other.my.salesforce.com".into(),
                    ..base.clone()
                },
                &s.idp,
            ),
        ),
        (
            "Login failed: Assertion Expired",
            signed_response(
                &Spec {
                    not_before: (past - Duration::minutes(5)).to_rfc3339(),
                    not_on_or_after: past.to_rfc3339(),
                    assertion_id: "_exp".into(),
                    ..base.clone()
                },
                &s.idp,
            ),
        ),
        (
            "Login failed: Recipient Mismatched",
            signed_response(
                &Spec {
                    recipient: "https://evil.example.com/acs".into(),
                    assertion_id: "_rcp".into(),
                    ..base.clone()
                },
                &s.idp,
            ),
        ),
        (
            "Login failed: Destination Invalid",
            signed_response(
                &Spec {
                    destination: "https://evil.example.com/acs".into(),
                    assertion_id: "_dst".into(),
                    ..base.clone()
                },
                &s.idp,
            ),
        ),
        (
            "Login failed: Issuer Mismatched",
            signed_response(
                &Spec {
                    issuer: "https://someone.else/".into(),
                    assertion_id: "_iss".into(),
                    ..base.clone()
                },
                &s.idp,
            ),
        ),
        (
            "Login failed: Signature Invalid",
            signed_response(
                &Spec {
                    assertion_id: "_other".into(),
                    ..base.clone()
                },
                &Idp::new("Not the uploaded certificate"),
            ),
        ),
        (
            "Login failed: Signature Invalid",
            unsigned_response(&Spec {
                assertion_id: "_unsigned".into(),
                ..base.clone()
            }),
        ),
        (
            "Login failed: Signature Invalid",
            signed_response(
                &Spec {
                    algorithm: "sha1",
                    assertion_id: "_sha1".into(),
                    ..base.clone()
                },
                &s.idp,
            ),
        ),
        (
            "Login failed: User Not Found",
            signed_response(
                &Spec {
                    name_id: "nobody@example.com".into(),
                    assertion_id: "_nouser".into(),
                    ..base.clone()
                },
                &s.idp,
            ),
        ),
    ];
    for (want, xml) in cases {
        let (status, heading) = post(&s, &xml).await;
        assert_eq!((status, heading.as_str()), (403, want));
    }
    let tampered = signed_response(
        &Spec {
            assertion_id: "_tamper".into(),
            ..base.clone()
        },
        &s.idp,
    )
    .replace("ada@example.com", "grace@example.com");
    assert_eq!(
        post(&s, &tampered).await.1,
        "Login failed: Signature Invalid",
        "a changed NameID breaks the signature"
    );

    let with_dtd = format!(
        "<!DOCTYPE x [<!ENTITY e \"ada\">]>{}",
        unsigned_response(&base)
    );
    assert_eq!(
        post(&s, &with_dtd).await.1,
        "Login failed: Assertion Invalid",
        "DTDs are refused"
    );

    let good = signed_response(
        &Spec {
            assertion_id: "_once".into(),
            ..base.clone()
        },
        &s.idp,
    );
    assert_eq!(post(&s, &good).await.1, "Logged in as ada@example.com");
    assert_eq!(post(&s, &good).await.1, "Login failed: Replay Detected");

    let history: Vec<Value> = s
        .org
        .http
        .get(format!("{}/_sim/login-history", s.org.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(history.len(), 13, "every attempt is in the login history");
    assert!(history[0]["detail"].as_str().unwrap().contains("Audience"));
}

#[tokio::test]
async fn deactivated_user_cannot_log_in() {
    let s = setup().await;
    let id = s
        .org
        .sim
        .sim
        .org()
        .user_id_by_name("ada@example.com")
        .unwrap();
    s.org
        .send(
            reqwest::Method::DELETE,
            &format!("/Users/{id}"),
            &serde_json::json!({}),
        )
        .await;
    let (_, heading) = post(&s, &signed_response(&spec(&s), &s.idp)).await;
    assert_eq!(heading, "Login failed: User Inactive");
}

#[tokio::test]
async fn sp_initiated_login_sends_a_signed_authn_request_and_checks_in_response_to() {
    let s = setup().await;
    let res = s
        .org
        .http
        .get(format!("{}/saml/login?RelayState=%2Fhome", s.org.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with("http://127.0.0.1:9/saml2/acme?SAMLRequest="),
        "{location}"
    );
    let query = location.split_once('?').unwrap().1;
    let (signed_part, signature) = query.rsplit_once("&Signature=").unwrap();
    assert!(signed_part.contains("&RelayState=%2Fhome&SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256"));

    // Verify the redirect signature with the SP certificate the org publishes.
    let cert_pem = s
        .org
        .http
        .get(format!("{}/_sim/saml/certificate", s.org.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let cert = openssl::x509::X509::from_pem(cert_pem.as_bytes()).unwrap();
    let key = cert.public_key().unwrap();
    let sig = STANDARD.decode(urldecode(signature)).unwrap();
    let mut verifier =
        openssl::sign::Verifier::new(openssl::hash::MessageDigest::sha256(), &key).unwrap();
    verifier.update(signed_part.as_bytes()).unwrap();
    assert!(
        verifier.verify(&sig).unwrap(),
        "the AuthnRequest redirect is signed with the SP key"
    );

    // Inflate the request and read its ID.
    let b64 = urldecode(
        signed_part
            .split('&')
            .next()
            .unwrap()
            .trim_start_matches("SAMLRequest="),
    );
    let deflated = STANDARD.decode(b64).unwrap();
    let mut xml = String::new();
    use std::io::Read;
    flate2::read::DeflateDecoder::new(&deflated[..])
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains(&format!(
        "Issuer xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\">{}<",
        s.entity
    )));
    assert!(xml.contains(&format!(
        "AssertionConsumerServiceURL=\"{}\"",
        s.acs.replace('&', "&amp;")
    )));
    let id = xml
        .split("ID=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    assert!(
        id.len() > 250,
        "Salesforce request ids are long ({} chars)",
        id.len()
    );

    let answer = Spec {
        in_response_to: Some(id.clone()),
        ..spec(&s)
    };
    assert_eq!(
        post(&s, &signed_response(&answer, &s.idp)).await.1,
        "Logged in as ada@example.com"
    );
    let again = Spec {
        in_response_to: Some(id),
        assertion_id: "_second".into(),
        ..spec(&s)
    };
    assert_eq!(
        post(&s, &signed_response(&again, &s.idp)).await.1,
        "Login failed: InResponseTo Invalid",
        "a request is answered once"
    );
}

#[tokio::test]
async fn sp_metadata_describes_the_org() {
    let s = setup().await;
    let res = s
        .org
        .http
        .get(format!("{}/_sim/saml/metadata", s.org.base))
        .send()
        .await
        .unwrap();
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("SAMLSP-00D"));
    let xml = res.text().await.unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert_eq!(root.attribute("entityID"), Some(s.entity.as_str()));
    assert!(s.entity.ends_with(".my.salesforce.com"));
    let sp = root
        .children()
        .find(|c| c.has_tag_name("SPSSODescriptor"))
        .unwrap();
    assert_eq!(sp.attribute("AuthnRequestsSigned"), Some("true"));
    let acs = sp
        .children()
        .find(|c| c.has_tag_name("AssertionConsumerService"))
        .unwrap();
    assert_eq!(acs.attribute("Location"), Some(s.acs.as_str()));
    assert_eq!(
        acs.attribute("Binding"),
        Some("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST")
    );
    let cert_b64 = doc
        .descendants()
        .find(|n| n.has_tag_name("X509Certificate"))
        .unwrap()
        .text()
        .unwrap();
    let cert_pem = s
        .org
        .http
        .get(format!("{}/_sim/saml/certificate", s.org.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let from_meta = openssl::x509::X509::from_der(&STANDARD.decode(cert_b64).unwrap()).unwrap();
    let downloaded = openssl::x509::X509::from_pem(cert_pem.as_bytes()).unwrap();
    assert_eq!(
        from_meta.to_der().unwrap(),
        downloaded.to_der().unwrap(),
        "metadata carries the downloadable certificate"
    );
}

#[tokio::test]
async fn each_sso_configuration_trusts_its_own_certificate_and_login_url() {
    let s = setup().await;
    let next = Idp::new("Lanyard IdP next");
    let res = sso_form(&s.org, "new", "Next", &next).await;
    assert!(res.status().is_redirection());
    let sc = res.headers()["location"]
        .to_str()
        .unwrap()
        .split("sc=")
        .nth(1)
        .unwrap()
        .to_owned();
    let second = format!("{}&sc={sc}", s.acs);
    // The test template writes attribute values as given: `&` must be written `&amp;`.
    let in_xml = second.replace('&', "&amp;");
    let to_second = Spec {
        destination: in_xml.clone(),
        recipient: in_xml,
        ..spec(&s)
    };
    let ok = (200, "Logged in as ada@example.com".to_owned());
    assert_eq!(
        post_to(&s, &second, &signed_response(&to_second, &next)).await,
        ok
    );
    // The first configuration does not trust the second one's certificate, nor the reverse.
    let (status, heading) = post(&s, &signed_response(&spec(&s), &next)).await;
    assert_eq!(
        (status, heading.as_str()),
        (403, "Login failed: Signature Invalid")
    );
    let (status, heading) = post_to(&s, &second, &signed_response(&to_second, &s.idp)).await;
    assert_eq!(
        (status, heading.as_str()),
        (403, "Login failed: Signature Invalid")
    );
    // The login page offers both; an unknown configuration is a configuration error.
    let login = s
        .org
        .http
        .get(format!("{}/login", s.org.base))
        .send()
        .await
        .unwrap();
    let login = login.text().await.unwrap();
    assert!(login.contains(&format!("/saml/login?sc={sc}")), "{login}");
    let unknown = s
        .org
        .http
        .post(format!("{}&sc=0LEnone", s.acs))
        .form(&[("SAMLResponse", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 400);
    assert!(unknown
        .text()
        .await
        .unwrap()
        .contains("no SAML Single Sign-On configuration"));
    // Deleted: its Login URL is refused, and its settings page is gone.
    let res = s
        .org
        .http
        .post(format!(
            "{}/lightning/setup/SingleSignOn/delete",
            s.org.base
        ))
        .form(&[("_csrf", s.org.sim.sim.csrf_token()), ("sc", sc.as_str())])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection());
    let (status, _) = post_to(&s, &second, &signed_response(&to_second, &next)).await;
    assert_eq!(status, 400);
    let page = s
        .org
        .http
        .get(format!(
            "{}/lightning/setup/SingleSignOn/home?sc={sc}",
            s.org.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
}

fn urldecode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() + 1 {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8(out).unwrap()
}
