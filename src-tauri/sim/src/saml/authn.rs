//! SP-initiated login: a signed AuthnRequest sent to the IdP with the HTTP-Redirect binding
//! (SAMLRequest deflated and base64-encoded, RelayState, SigAlg and Signature over the query).

use super::keys::SpKeys;
use super::xml::escape;
use crate::oauth::urlencode;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use openssl::hash::MessageDigest;
use openssl::sign::Signer;
use rand::RngCore;
use std::io::Write;

pub const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";

/// A request id as long as Salesforce's (~300 characters).
pub fn request_id() -> String {
    let mut buf = [0u8; 216];
    rand::rng().fill_bytes(&mut buf);
    format!(
        "_2CAAAA{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
    )
}

pub fn authn_request_xml(
    id: &str,
    issue_instant: &str,
    destination: &str,
    acs_url: &str,
    entity_id: &str,
) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" AssertionConsumerServiceURL="{acs}" Destination="{dest}" ID="{id}" IssueInstant="{now}" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Version="2.0"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">{issuer}</saml:Issuer></samlp:AuthnRequest>"#,
        acs = escape(acs_url),
        dest = escape(destination),
        id = escape(id),
        now = escape(issue_instant),
        issuer = escape(entity_id),
    )
}

/// The IdP URL with SAMLRequest, RelayState, SigAlg and Signature (SAML bindings §3.4.4.1).
pub fn signed_redirect(
    idp_url: &str,
    request_xml: &str,
    relay_state: &str,
    keys: &SpKeys,
) -> Result<String, String> {
    let mut enc = DeflateEncoder::new(Vec::new(), Compression::default());
    enc.write_all(request_xml.as_bytes())
        .map_err(|e| e.to_string())?;
    let deflated = enc.finish().map_err(|e| e.to_string())?;
    let mut query = format!("SAMLRequest={}", urlencode(&STANDARD.encode(deflated)));
    if !relay_state.is_empty() {
        query.push_str(&format!("&RelayState={}", urlencode(relay_state)));
    }
    query.push_str(&format!("&SigAlg={}", urlencode(RSA_SHA256)));
    let key = keys.private_key().map_err(|e| e.to_string())?;
    let mut signer = Signer::new(MessageDigest::sha256(), &key).map_err(|e| e.to_string())?;
    signer.update(query.as_bytes()).map_err(|e| e.to_string())?;
    let signature = signer.sign_to_vec().map_err(|e| e.to_string())?;
    query.push_str(&format!(
        "&Signature={}",
        urlencode(&STANDARD.encode(signature))
    ));
    let sep = if idp_url.contains('?') { '&' } else { '?' };
    Ok(format!("{idp_url}{sep}{query}"))
}
