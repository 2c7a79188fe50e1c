//! SP metadata and certificates: every refusal names what is wrong, every warning fires when it
//! should. Certificates are made here with OpenSSL (valid, expired) so no fixture goes stale.

use base64::Engine;
use chrono::Utc;
use lanyard_core::apps::Environment;
use lanyard_core::saml::metadata::{parse_sp_metadata, Expectation, MetadataError};
use openssl::asn1::Asn1Time;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::PKey;
use openssl::rsa::Rsa;
use openssl::x509::{X509Name, X509};

fn cert_b64(days_from: i64, days_to: i64) -> String {
    let key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
    let mut name = X509Name::builder().unwrap();
    name.append_entry_by_nid(Nid::COMMONNAME, "SelfSignedCert_acme")
        .unwrap();
    let name = name.build();
    let now = Utc::now().timestamp();
    let mut b = X509::builder().unwrap();
    b.set_version(2).unwrap();
    b.set_subject_name(&name).unwrap();
    b.set_issuer_name(&name).unwrap();
    b.set_pubkey(&key).unwrap();
    let (nb, na) = (
        Asn1Time::from_unix(now + days_from * 86_400).unwrap(),
        Asn1Time::from_unix(now + days_to * 86_400).unwrap(),
    );
    b.set_not_before(&nb).unwrap();
    b.set_not_after(&na).unwrap();
    b.sign(&key, MessageDigest::sha256()).unwrap();
    base64::engine::general_purpose::STANDARD.encode(b.build().to_der().unwrap())
}

fn entity(id: &str, acs: &str, cert: &str, extra: &str) -> String {
    format!(
        r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{id}" {extra}><md:SPSSODescriptor AuthnRequestsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat><md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{acs}" index="0" isDefault="true"/></md:SPSSODescriptor></md:EntityDescriptor>"#
    )
}

fn prod(login_url: &str) -> Expectation {
    Expectation {
        environment: Environment::Production,
        login_url: login_url.into(),
    }
}

#[test]
fn a_good_file_reads_completely_with_no_warnings() {
    let cert = cert_b64(-1, 364);
    let xml = entity(
        "https://acme.my.salesforce.com",
        "https://acme.my.salesforce.com?so=00D000000000001",
        &cert,
        "",
    );
    let m = parse_sp_metadata(
        xml.as_bytes(),
        None,
        Utc::now(),
        Some(&prod("https://acme.my.salesforce.com")),
    )
    .unwrap();
    assert_eq!(m.entity_id, "https://acme.my.salesforce.com");
    assert_eq!(
        m.acs[0].location,
        "https://acme.my.salesforce.com?so=00D000000000001"
    );
    assert!(m.acs[0].is_default);
    assert!(m.authn_requests_signed && !m.want_assertions_signed);
    let c = &m.signing_certs[0];
    assert_eq!(c.key.kind, "RSA");
    assert_eq!(c.key.bits, 2048);
    assert!(
        !c.expired && (362..=364).contains(&c.days_left),
        "days left {}",
        c.days_left
    );
    assert_eq!(c.sha256.len(), 64);
    assert!(
        m.encryption_certs.is_empty(),
        "use=signing keys are not encryption keys"
    );
    assert!(m.warnings.is_empty(), "{:?}", m.warnings);
}

#[test]
fn utf16_metadata_with_bom_reads_the_same() {
    let xml = entity(
        "https://acme.my.salesforce.com",
        "https://acme.my.salesforce.com?so=00D1",
        &cert_b64(-1, 30),
        "",
    );
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(xml.encode_utf16().flat_map(|u| u.to_le_bytes()));
    let m = parse_sp_metadata(&bytes, None, Utc::now(), None).unwrap();
    assert_eq!(m.entity_id, "https://acme.my.salesforce.com");
}

#[test]
fn warnings_fire_for_each_problem() {
    let expired = cert_b64(-400, -35);
    let xml = entity(
        "https://other.my.salesforce.com",
        "http://acme--uat.sandbox.my.salesforce.com?so=00D1&sc=0LE1",
        &expired,
        r#"validUntil="2020-01-01T00:00:00Z""#,
    );
    let m = parse_sp_metadata(
        xml.as_bytes(),
        None,
        Utc::now(),
        Some(&prod("https://acme.my.salesforce.com")),
    )
    .unwrap();
    let all = m.warnings.join("\n");
    for want in [
        "expired",
        "validUntil",
        "unescaped '&' repaired",
        "is not https",
        "does not match this application's My Domain",
        "from a sandbox",
    ] {
        assert!(all.contains(want), "warning about {want:?} in:\n{all}");
    }
    assert!(m.signing_certs[0].expired);
    assert!(m.signing_certs[0].days_left < 0);
    assert_eq!(
        m.acs[0].location, "http://acme--uat.sandbox.my.salesforce.com?so=00D1&sc=0LE1",
        "the repaired URL reads back with its &"
    );

    let sandbox_app = Expectation {
        environment: Environment::Sandbox,
        login_url: "https://test.salesforce.com".into(),
    };
    let prod_xml = entity(
        "https://acme.my.salesforce.com",
        "https://acme.my.salesforce.com?so=00D1",
        &cert_b64(-1, 30),
        "",
    );
    let m = parse_sp_metadata(prod_xml.as_bytes(), None, Utc::now(), Some(&sandbox_app)).unwrap();
    assert!(
        m.warnings
            .iter()
            .any(|w| w.contains("production org but the application is for a sandbox")),
        "{:?}",
        m.warnings
    );
}

#[test]
fn entities_descriptor_lists_and_selects() {
    let cert = cert_b64(-1, 30);
    let xml = format!(
        r#"<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">{}{}</md:EntitiesDescriptor>"#,
        entity(
            "https://a.my.salesforce.com",
            "https://a.my.salesforce.com?so=1",
            &cert,
            ""
        ),
        entity(
            "https://b.my.salesforce.com",
            "https://b.my.salesforce.com?so=2",
            &cert,
            ""
        )
    );
    match parse_sp_metadata(xml.as_bytes(), None, Utc::now(), None) {
        Err(MetadataError::SeveralEntities { ids }) => assert_eq!(
            ids,
            ["https://a.my.salesforce.com", "https://b.my.salesforce.com"]
        ),
        other => panic!("expected the list of entities, got {other:?}"),
    }
    let m = parse_sp_metadata(
        xml.as_bytes(),
        Some("https://b.my.salesforce.com"),
        Utc::now(),
        None,
    )
    .unwrap();
    assert_eq!(m.acs[0].location, "https://b.my.salesforce.com?so=2");
    let err = parse_sp_metadata(xml.as_bytes(), Some("https://c"), Utc::now(), None).unwrap_err();
    assert!(
        err.to_string()
            .contains("https://a.my.salesforce.com, https://b.my.salesforce.com"),
        "{err}"
    );
}

#[test]
fn refusals_name_the_problem() {
    let cert = cert_b64(-1, 30);
    let cases: Vec<(String, &str)> = vec![
        (entity("https://a", "https://a?so=1", "!!!not base64!!!", ""), "KeyDescriptor[1]/X509Certificate"),
        (entity("https://a", "https://a?so=1", &base64::engine::general_purpose::STANDARD.encode(b"not a certificate"), ""), "not a DER X.509 certificate"),
        (entity("https://a", "", &cert, ""), "no AssertionConsumerService"),
        (r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp"><md:IDPSSODescriptor/></md:EntityDescriptor>"#.into(), "identity-provider (IdP) metadata"),
        ("<html><body>Login</body></html>".into(), "not SAML metadata"),
        ("PK\u{3}\u{4}zip".into(), "not an XML file (it looks like a ZIP archive"),
        ("<?xml version=\"1.0\" encoding=\"UTF-7\"?>+ADw-!DOCTYPE md +AFs-+ADw-!ENTITY x SYSTEM +ACI-file:///etc/passwd+ACI-+AD4-+AF0-+AD4-+ADw-md/+AD4-".into(), "encoding \"UTF-7\""),
        ("<md:EntityDescriptor".into(), "not well-formed"),
    ];
    for (xml, want) in cases {
        let err = parse_sp_metadata(xml.as_bytes(), None, Utc::now(), None).expect_err(want);
        assert!(err.to_string().contains(want), "{want:?} in {err}");
    }
}

#[test]
fn a_png_picked_by_mistake_is_named_as_such() {
    // The first bytes of a real PNG file (signature and IHDR chunk).
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00";
    let err = parse_sp_metadata(png, None, Utc::now(), None).unwrap_err();
    assert!(
        matches!(&err, MetadataError::Input(_)),
        "refused at intake, before any parser: {err:?}"
    );
    assert!(
        err.to_string()
            .contains("not an XML file (it looks like a PNG image)"),
        "says what the file is, not \"not valid UTF-8\": {err}"
    );
}

#[test]
fn a_utf7_document_with_a_doctype_is_refused_before_any_parser() {
    // UTF-7 spells "<!DOCTYPE" as "+ADw-!DOCTYPE": the DOCTYPE check cannot see it, but libxml2
    // (xmlsec) honours the declaration and would. The declaration itself is refused.
    let xml = "<?xml version=\"1.0\" encoding=\"UTF-7\"?>+ADw-!DOCTYPE md +AFs-+ADw-!ENTITY x SYSTEM +ACI-file:///etc/passwd+ACI-+AD4-+AF0-+AD4-+ADw-md:EntityDescriptor xmlns:md=+ACI-urn:oasis:names:tc:SAML:2.0:metadata+ACI- entityID=+ACI-+ACY-x+ADsAIg-/+AD4-";
    let err = parse_sp_metadata(xml.as_bytes(), None, Utc::now(), None).unwrap_err();
    assert!(
        err.to_string().contains("UTF-7") && err.to_string().contains("only UTF-8 and UTF-16"),
        "{err}"
    );
}
