//! The IdP end to end against the practice org: SP metadata imported from it, an IdP key made,
//! a response signed, checked by the xmlsec1 CLI (an independent verifier) and accepted by the
//! practice org's ACS; then a rollover.

mod common;
use common::{authorize, rig, xmlsec_verify};
use lanyard_core::ErrorCode;

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

    let metadata = r.metadata().await;
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
    assert!(
        signed
            .xml
            .contains("<saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified</saml:AuthnContextClassRef>")
            && !signed.xml.contains("PasswordProtectedTransport"),
        "Lanyard checks no password, so it claims none"
    );
    assert_eq!(
        signed.xml.matches("<ds:SignatureValue>").count(),
        2,
        "assertion and response both signed by default"
    );
    let (ok, detail) = xmlsec_verify(&signed.xml, &pem);
    assert!(ok, "xmlsec1 verifies the response: {detail}");
    let decoded = r
        .core
        .decode_saml(&signed.saml_response, Some("practice"))
        .await
        .unwrap();
    for name in ["Signature", "Issuer", "Audience", "Recipient"] {
        let c = decoded.checks.iter().find(|c| c.name == name).unwrap();
        assert_eq!(
            c.status,
            lanyard_core::saml::decode::CheckStatus::Pass,
            "{name}: {}",
            c.detail
        );
    }
    assert!(
        decoded.checks[0]
            .detail
            .contains("read from the verified document")
            || decoded
                .checks
                .iter()
                .any(|c| c.detail.contains("read from the verified document")),
        "the decoder says where Issuer, Audience and Recipient come from"
    );
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
    let events = r.core.events(50, None).await.unwrap();
    let seen = |name: &str, outcome: &str| {
        events.iter().any(|e| {
            e.name == name && e.outcome == outcome && e.app_name.as_deref() == Some("practice")
        })
    };
    assert!(seen("saml.sp_metadata_saved", "ok"), "{events:?}");
    assert!(seen("saml.idp_key_created", "ok"));
    assert!(seen("saml.response_signed", "ok"));
    assert!(
        events.iter().any(|e| e.name == "saml.response_signed"
            && e.outcome == "failed"
            && e.detail.contains("nobody@practice.example.com")),
        "a refused attempt is logged with who it was for"
    );
    assert!(events.windows(2).all(|w| w[0].id > w[1].id), "newest first");
}

#[tokio::test]
async fn rollover_publishes_both_then_switches() {
    let r = rig().await;
    let old = r.ready().await;
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
    let metadata = r.metadata().await;
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
    // An ACS elsewhere than Salesforce or the SP's own domain is refused, by name.
    let text = String::from_utf8(metadata.clone()).unwrap();
    let acs = saved.config.acs_url.replace('&', "&amp;");
    let elsewhere = text.replace(&acs, "https://collector.evil.example/acs");
    assert_ne!(elsewhere, text, "the ACS was found in the metadata");
    let err = r
        .core
        .set_sp_metadata("practice", elsewhere.as_bytes(), None)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(
        err.message.contains("https://collector.evil.example/acs")
            && err.message.contains("Salesforce domain"),
        "{}",
        err.message
    );
    assert_eq!(
        r.core.sp_config("practice").await.unwrap().config,
        saved.config
    );
}

#[tokio::test]
async fn settings_shape_the_response_and_bad_settings_are_refused_whole() {
    use lanyard_core::saml::response::SignWhat;
    let r = rig().await;
    let pem = r.ready().await;

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
    let metadata = r.metadata().await;
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
    assert!(
        view.config.authn_requests_signed,
        "importing the certificate after the metadata keeps AuthnRequestsSigned"
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
    let form = [(
        "SAMLResponse",
        base64::engine::general_purpose::STANDARD.encode(tampered),
    )];
    let html = common::post_form(&r.http, &signed.acs_url, &form).await;
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
