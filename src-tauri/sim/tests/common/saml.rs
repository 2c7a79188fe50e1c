#![allow(dead_code)]
//! SAML responses made by an independent signer: the `xmlsec1` command-line tool signs the
//! templates built here, so the practice org's ACS is tested against signatures Lanyard's own code
//! did not make.

use openssl::asn1::Asn1Time;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::PKey;
use openssl::rsa::Rsa;
use openssl::x509::{X509Name, X509};
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Idp {
    pub dir: tempfile::TempDir,
    pub key: PathBuf,
    pub cert: PathBuf,
    pub cert_pem: String,
}

impl Idp {
    pub fn new(cn: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
        let mut name = X509Name::builder().unwrap();
        name.append_entry_by_nid(Nid::COMMONNAME, cn).unwrap();
        let name = name.build();
        let mut b = X509::builder().unwrap();
        b.set_version(2).unwrap();
        b.set_subject_name(&name).unwrap();
        b.set_issuer_name(&name).unwrap();
        b.set_pubkey(&key).unwrap();
        let (nb, na) = (
            Asn1Time::days_from_now(0).unwrap(),
            Asn1Time::days_from_now(30).unwrap(),
        );
        b.set_not_before(&nb).unwrap();
        b.set_not_after(&na).unwrap();
        b.sign(&key, MessageDigest::sha256()).unwrap();
        let cert = b.build();
        let key_path = dir.path().join("idp.key");
        let cert_path = dir.path().join("idp.crt");
        std::fs::write(&key_path, key.private_key_to_pem_pkcs8().unwrap()).unwrap();
        let cert_pem = String::from_utf8(cert.to_pem().unwrap()).unwrap();
        std::fs::write(&cert_path, &cert_pem).unwrap();
        Idp {
            dir,
            key: key_path,
            cert: cert_path,
            cert_pem,
        }
    }
}

/// What goes into a test response; each field can be bent to provoke one refusal.
#[derive(Clone)]
pub struct Spec {
    pub issuer: String,
    pub destination: String,
    pub recipient: String,
    pub audience: String,
    pub name_id: String,
    pub in_response_to: Option<String>,
    pub not_before: String,
    pub not_on_or_after: String,
    pub assertion_id: String,
    pub sign_response: bool,
    pub sign_assertion: bool,
    /// "sha256" or "sha1" (to prove SHA-1 is refused).
    pub algorithm: &'static str,
}

fn signature_template(reference: &str, algorithm: &str) -> String {
    let (sig, digest) = match algorithm {
        "sha1" => (
            "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
            "http://www.w3.org/2000/09/xmldsig#sha1",
        ),
        _ => (
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            "http://www.w3.org/2001/04/xmlenc#sha256",
        ),
    };
    format!(
        r##"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="{sig}"/><ds:Reference URI="#{reference}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="{digest}"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>"##
    )
}

fn xml(spec: &Spec, response_sig: bool, assertion_sig: bool) -> String {
    let irt = spec
        .in_response_to
        .as_ref()
        .map(|i| format!(" InResponseTo=\"{i}\""))
        .unwrap_or_default();
    let rsig = if response_sig {
        signature_template("_resp1", spec.algorithm)
    } else {
        String::new()
    };
    let asig = if assertion_sig {
        signature_template(&spec.assertion_id, spec.algorithm)
    } else {
        String::new()
    };
    format!(
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_resp1" Version="2.0" IssueInstant="{nb}" Destination="{dest}"{irt}><saml:Issuer>{issuer}</saml:Issuer>{rsig}<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion ID="{aid}" Version="2.0" IssueInstant="{nb}"><saml:Issuer>{issuer}</saml:Issuer>{asig}<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">{name}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData Recipient="{recipient}" NotOnOrAfter="{na}"{irt}/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="{nb}" NotOnOrAfter="{na}"><saml:AudienceRestriction><saml:Audience>{aud}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="{nb}" SessionIndex="_s1"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement></saml:Assertion></samlp:Response>"#,
        nb = spec.not_before,
        na = spec.not_on_or_after,
        dest = spec.destination,
        issuer = spec.issuer,
        aid = spec.assertion_id,
        name = spec.name_id,
        recipient = spec.recipient,
        aud = spec.audience,
    )
}

/// Signs the first signature template in `xml` with the xmlsec1 CLI.
pub fn xmlsec_sign(xml: &str, idp: &Idp) -> String {
    let input = idp.dir.path().join("tmpl.xml");
    std::fs::write(&input, xml).unwrap();
    let out = Command::new("xmlsec1")
        .arg("--sign")
        .arg("--privkey-pem")
        .arg(format!("{},{}", idp.key.display(), idp.cert.display()))
        .args([
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:protocol:Response",
        ])
        .args([
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
        ])
        .arg(&input)
        .output()
        .expect("xmlsec1 is installed (.ci/install-deps installs it)");
    assert!(
        out.status.success(),
        "xmlsec1 --sign failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A response signed as the spec says (assertion first, then the whole response).
pub fn signed_response(spec: &Spec, idp: &Idp) -> String {
    let mut doc = xml(spec, false, spec.sign_assertion);
    if spec.sign_assertion {
        doc = xmlsec_sign(&doc, idp);
    }
    if spec.sign_response {
        let template = signature_template("_resp1", spec.algorithm);
        let marker = "</saml:Issuer>";
        let pos = doc.find(marker).expect("response issuer") + marker.len();
        doc.insert_str(pos, &template);
        doc = xmlsec_sign(&doc, idp);
    }
    doc
}

pub fn unsigned_response(spec: &Spec) -> String {
    xml(spec, false, false)
}

pub fn cert_path(idp: &Idp) -> &Path {
    &idp.cert
}
