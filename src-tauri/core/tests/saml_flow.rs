//! The IdP end to end against the practice org: SP metadata imported from it, an IdP key made,
//! a response signed, checked by the xmlsec1 CLI (an independent verifier) and accepted by the
//! practice org's ACS; then a rollover.

use lanyard_core::apps::{Environment, NewApplication};
use lanyard_core::clock::SystemClock;
use lanyard_core::saml::service::idp_entity_id;
use lanyard_core::secrets::MemoryStore;
use lanyard_core::{Core, ErrorCode};
use std::process::Command;
use std::sync::Arc;

struct Rig {
    _dir: tempfile::TempDir,
    core: Core,
    sim: lanyard_sim::RunningSim,
    http: reqwest::Client,
    token: String,
}

async fn rig() -> Rig {
    let sim = lanyard_sim::start(lanyard_sim::SimConfig::default())
        .await
        .unwrap();
    let token = {
        let org_id = sim.sim.org().org_id.clone();
        sim.sim.oauth.issue_tool_token(&org_id)
    };
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(
        dir.path(),
        Arc::new(MemoryStore::default()),
        Arc::new(SystemClock),
    )
    .await
    .unwrap()
    .with_practice_url(sim.base_url());
    core.create_app(NewApplication {
        name: "practice".into(),
        environment: Environment::Practice,
        ..Default::default()
    })
    .await
    .unwrap();
    authorize(&core, "ada@practice.example.com").await;
    Rig {
        _dir: dir,
        core,
        sim,
        http: reqwest::Client::new(),
        token,
    }
}

/// A directory user in a group bound to the application.
pub async fn authorize(core: &Core, email: &str) {
    use lanyard_core::directory::{groups::GroupInput, users::UserInput};
    core.create_user(UserInput {
        email: email.into(),
        firstname: "Ada".into(),
        lastname: "Lovelace".into(),
        ..Default::default()
    })
    .await
    .unwrap();
    if core.list_groups().await.unwrap().is_empty() {
        core.create_group(GroupInput {
            name: "Sales".into(),
            description: String::new(),
        })
        .await
        .unwrap();
        core.set_app_group("practice", "Sales", true).await.unwrap();
    }
    core.add_group_members("Sales", &[email.to_owned()])
        .await
        .unwrap();
}

impl Rig {
    fn base(&self) -> &str {
        self.sim.base_url()
    }

    async fn create_user(&self, user_name: &str) {
        let ents: serde_json::Value = self
            .http
            .get(format!("{}/services/scim/v2/Entitlements", self.base()))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let profile = ents["Resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["displayName"] == "Standard User")
            .unwrap()["id"]
            .clone();
        let res = self
            .http
            .post(format!("{}/services/scim/v2/Users", self.base()))
            .bearer_auth(&self.token)
            .json(&serde_json::json!({
                "userName": user_name, "name": {"givenName": "Ada", "familyName": "Lovelace"},
                "emails": [{"value": user_name}], "entitlements": [{"value": profile}]
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
    }

    /// What an admin does in Salesforce's Single Sign-On Settings.
    async fn configure_salesforce(&self, cert_pem: &str) {
        let res = self
            .http
            .post(format!("{}/lightning/setup/SingleSignOn/home", self.base()))
            .form(&[
                ("enabled", "on"),
                (
                    "issuer",
                    idp_entity_id(&self.core.get_app("practice").await.unwrap()).as_str(),
                ),
                ("idp_login_url", "http://127.0.0.1:8766/saml2/practice"),
                ("idp_certificate_pem", cert_pem),
                ("identity_type", "username"),
            ])
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success() || res.status().is_redirection());
    }

    async fn login(&self, user: &str) -> String {
        let signed = self
            .core
            .saml_response("practice", user, None)
            .await
            .unwrap();
        let html = self
            .http
            .post(&signed.acs_url)
            .form(&[("SAMLResponse", signed.saml_response.as_str())])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        html.split("id=\"login-result\"")
            .nth(1)
            .and_then(|r| r.split('>').nth(1))
            .and_then(|r| r.split('<').next())
            .unwrap_or("")
            .to_owned()
    }
}

fn xmlsec_verify(xml: &str, cert_pem: &str) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let (doc, cert) = (dir.path().join("r.xml"), dir.path().join("c.pem"));
    std::fs::write(&doc, xml).unwrap();
    std::fs::write(&cert, cert_pem).unwrap();
    let out = Command::new("xmlsec1")
        .arg("--verify")
        .arg("--pubkey-cert-pem")
        .arg(&cert)
        .args([
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:protocol:Response",
        ])
        .args([
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
        ])
        .arg(&doc)
        .output()
        .expect("xmlsec1 is installed by .ci/install-deps");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn signed_response_is_accepted_by_xmlsec1_and_the_practice_org() {
    let r = rig().await;
    r.create_user("ada@practice.example.com").await;
    let err = r
        .core
        .saml_response("practice", "ada@practice.example.com", None)
        .await
        .unwrap_err();
    assert_eq!(
        err.code,
        ErrorCode::NotFound,
        "no SP configuration yet: {}",
        err.message
    );

    let metadata = r
        .http
        .get(format!("{}/_sim/saml/metadata", r.base()))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let view = r
        .core
        .set_sp_metadata("practice", &metadata, None)
        .await
        .unwrap();
    assert!(
        view.config.acs_url.contains("?so=00D"),
        "ACS taken from the metadata: {}",
        view.config.acs_url
    );
    assert!(view.config.authn_requests_signed);
    assert_eq!(
        view.certificates.len(),
        1,
        "Salesforce's signing certificate kept"
    );

    let err = r
        .core
        .saml_response("practice", "ada@practice.example.com", None)
        .await
        .unwrap_err();
    assert!(
        err.message.contains("idp rotate"),
        "says how to make a key: {}",
        err.message
    );
    let certs = r.core.idp_rotate("practice", false, None).await.unwrap();
    assert_eq!(certs.len(), 1);
    assert_eq!(certs[0].status, "active");
    assert_eq!(certs[0].info.key.bits, 2048);
    let pem = r.core.idp_certificate_pem("practice").await.unwrap();
    r.configure_salesforce(&pem).await;

    let signed = r
        .core
        .saml_response("practice", "ada@practice.example.com", None)
        .await
        .unwrap();
    assert!(signed
        .xml
        .contains("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"));
    assert!(signed
        .xml
        .contains("http://www.w3.org/2001/04/xmlenc#sha256"));
    assert!(!signed.xml.contains("#sha1"), "no SHA-1 anywhere");
    assert_eq!(
        signed.xml.matches("<ds:SignatureValue>").count(),
        2,
        "assertion and response both signed by default"
    );
    let (ok, detail) = xmlsec_verify(&signed.xml, &pem);
    assert!(ok, "xmlsec1 verifies the response: {detail}");
    let other = lanyard_core::saml::keys::generate(
        &lanyard_core::saml::keys::KeyRequest {
            bits: 2048,
            common_name: "other".into(),
            organization: None,
            valid_days: 1,
        },
        chrono::Utc::now(),
    )
    .unwrap()
    .cert_pem()
    .unwrap();
    assert!(
        !xmlsec_verify(&signed.xml, &other).0,
        "and refuses it with another certificate"
    );

    assert_eq!(
        r.login("ada@practice.example.com").await,
        "Logged in as ada@practice.example.com"
    );
    let err = r
        .core
        .saml_response("practice", "nobody@practice.example.com", None)
        .await
        .unwrap_err();
    assert_eq!(
        err.code,
        ErrorCode::Forbidden,
        "only authorized directory users get a response: {}",
        err.message
    );
    authorize(&r.core, "grace@practice.example.com").await;
    assert_eq!(
        r.login("grace@practice.example.com").await,
        "Login failed: User Not Found",
        "authorized here, but unknown to Salesforce"
    );
}

#[tokio::test]
async fn rollover_publishes_both_then_switches() {
    let r = rig().await;
    r.create_user("ada@practice.example.com").await;
    let metadata = r
        .http
        .get(format!("{}/_sim/saml/metadata", r.base()))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    r.core
        .set_sp_metadata("practice", &metadata, None)
        .await
        .unwrap();
    r.core.idp_rotate("practice", false, None).await.unwrap();
    let old = r.core.idp_certificate_pem("practice").await.unwrap();
    r.configure_salesforce(&old).await;
    assert_eq!(
        r.login("ada@practice.example.com").await,
        "Logged in as ada@practice.example.com"
    );

    let err = r.core.idp_rotate("practice", true, None).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict, "nothing to activate yet");
    let certs = r.core.idp_rotate("practice", false, None).await.unwrap();
    let statuses: Vec<&str> = certs.iter().map(|c| c.status.as_str()).collect();
    assert_eq!(statuses, ["active", "next"]);
    let meta = r
        .core
        .idp_metadata("practice", "http://127.0.0.1:8766/saml2/practice")
        .await
        .unwrap();
    assert_eq!(
        meta.matches("<ds:X509Certificate>").count(),
        2,
        "next is published beside active"
    );
    assert_eq!(
        r.login("ada@practice.example.com").await,
        "Logged in as ada@practice.example.com",
        "still signing with the active key"
    );
    assert_eq!(
        r.core
            .idp_rotate("practice", false, None)
            .await
            .unwrap_err()
            .code,
        ErrorCode::Conflict,
        "one next at a time"
    );

    let certs = r.core.idp_rotate("practice", true, None).await.unwrap();
    let statuses: Vec<&str> = certs.iter().map(|c| c.status.as_str()).collect();
    assert_eq!(statuses, ["active", "previous"]);
    let new = r.core.idp_certificate_pem("practice").await.unwrap();
    assert_ne!(new, old);
    r.configure_salesforce(&new).await;
    assert_eq!(
        r.login("ada@practice.example.com").await,
        "Logged in as ada@practice.example.com",
        "signed with the new key"
    );

    let certs = r.core.idp_retire("practice").await.unwrap();
    let published: Vec<&str> = certs
        .iter()
        .filter(|c| c.status != "retired")
        .map(|c| c.status.as_str())
        .collect();
    assert_eq!(published, ["active"]);
    let meta = r
        .core
        .idp_metadata("practice", "http://127.0.0.1:8766/saml2/practice")
        .await
        .unwrap();
    assert_eq!(
        meta.matches("<ds:X509Certificate>").count(),
        1,
        "retired certificates are not published"
    );
}

#[tokio::test]
async fn bad_metadata_keeps_what_was_saved() {
    let r = rig().await;
    let metadata = r
        .http
        .get(format!("{}/_sim/saml/metadata", r.base()))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let saved = r
        .core
        .set_sp_metadata("practice", &metadata, None)
        .await
        .unwrap();
    for (bad, want) in [
        (b"<!DOCTYPE x><x/>".to_vec(), "DOCTYPE"),
        (b"hello".to_vec(), "not XML"),
        (b"<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"x\"><md:IDPSSODescriptor/></md:EntityDescriptor>".to_vec(), "IdP"),
    ] {
        let err = r.core.set_sp_metadata("practice", &bad, None).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(err.message.contains(want), "{want}: {}", err.message);
    }
    assert_eq!(
        r.core.sp_config("practice").await.unwrap().config,
        saved.config,
        "nothing saved before is touched"
    );
}

#[tokio::test]
async fn settings_shape_the_response_and_bad_settings_are_refused_whole() {
    use lanyard_core::saml::response::SignWhat;
    let r = rig().await;
    r.create_user("ada@practice.example.com").await;
    let metadata = r
        .http
        .get(format!("{}/_sim/saml/metadata", r.base()))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    r.core
        .set_sp_metadata("practice", &metadata, None)
        .await
        .unwrap();
    r.core.idp_rotate("practice", false, None).await.unwrap();
    let pem = r.core.idp_certificate_pem("practice").await.unwrap();
    r.configure_salesforce(&pem).await;

    let mut settings = r.core.saml_settings("practice").await.unwrap();
    assert!(
        settings.attributes.iter().all(|a| !a.enabled),
        "JIT attributes are off by default"
    );
    assert_eq!(settings.response.lifetime_secs, 300);
    let saved = settings.clone();

    settings.response.lifetime_secs = 10;
    let err = r
        .core
        .set_saml_settings("practice", settings.clone())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert_eq!(
        r.core.saml_settings("practice").await.unwrap(),
        saved,
        "nothing saved on a refusal"
    );

    settings.response.lifetime_secs = 120;
    settings.response.sign = SignWhat::Assertion;
    for a in settings.attributes.iter_mut() {
        if a.name == "User.LastName" || a.name == "User.ProfileId" {
            a.enabled = true;
        }
        if a.name == "User.LastName" {
            a.name = "Surname".into();
        }
    }
    r.core
        .set_saml_settings("practice", settings)
        .await
        .unwrap();
    let signed = r
        .core
        .saml_response("practice", "ada@practice.example.com", None)
        .await
        .unwrap();
    assert!(
        signed.xml.contains(r#"<saml:Attribute Name="Surname""#)
            && signed.xml.contains(">Lovelace</saml:AttributeValue>"),
        "renamed attribute with the directory value"
    );
    assert!(
        signed.xml.contains(">Standard User</saml:AttributeValue>"),
        "constant attribute"
    );
    assert!(
        !signed.xml.contains("User.Email"),
        "disabled attributes are not sent"
    );
    assert_eq!(
        signed.xml.matches("<ds:SignatureValue>").count(),
        1,
        "assertion only"
    );
    let (ok, detail) = xmlsec_verify(&signed.xml, &pem);
    assert!(ok, "{detail}");
    assert_eq!(
        r.login("ada@practice.example.com").await,
        "Logged in as ada@practice.example.com",
        "an assertion-only signature is accepted"
    );
}

#[tokio::test]
async fn salesforce_certificate_must_match_the_metadata_and_tampering_is_caught() {
    let r = rig().await;
    r.create_user("ada@practice.example.com").await;
    let metadata = r
        .http
        .get(format!("{}/_sim/saml/metadata", r.base()))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    r.core
        .set_sp_metadata("practice", &metadata, None)
        .await
        .unwrap();
    let right = r
        .http
        .get(format!("{}/_sim/saml/certificate", r.base()))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let view = r
        .core
        .import_sp_certificate("practice", &right)
        .await
        .unwrap();
    assert_eq!(
        view.certificates.len(),
        1,
        "the same certificate is not added twice"
    );
    let other = lanyard_core::saml::keys::generate(
        &lanyard_core::saml::keys::KeyRequest {
            bits: 2048,
            common_name: "another org".into(),
            organization: None,
            valid_days: 30,
        },
        chrono::Utc::now(),
    )
    .unwrap()
    .cert_pem()
    .unwrap();
    let err = r
        .core
        .import_sp_certificate("practice", other.as_bytes())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(
        err.message
            .contains("does not match the signing certificate"),
        "{}",
        err.message
    );
    let key = b"-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";
    let err = r
        .core
        .import_sp_certificate("practice", key)
        .await
        .unwrap_err();
    assert!(err.message.contains("private key"), "{}", err.message);

    r.core.idp_rotate("practice", false, None).await.unwrap();
    let pem = r.core.idp_certificate_pem("practice").await.unwrap();
    r.configure_salesforce(&pem).await;
    let signed = r
        .core
        .saml_response("practice", "ada@practice.example.com", None)
        .await
        .unwrap();
    use base64::Engine;
    let tampered = signed
        .xml
        .replace("ada@practice.example.com", "eve@practice.example.com");
    let html = r
        .http
        .post(&signed.acs_url)
        .form(&[(
            "SAMLResponse",
            base64::engine::general_purpose::STANDARD.encode(tampered),
        )])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Login failed: Signature Invalid"),
        "a response changed after signing is refused"
    );
    assert!(
        !xmlsec_verify(
            &signed
                .xml
                .replace("practice.example.com", "evil.example.com"),
            &pem
        )
        .0
    );
}
