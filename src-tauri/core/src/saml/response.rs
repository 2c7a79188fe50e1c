//! Signed SAMLResponse for Salesforce: Issuer = IdP entity ID, Destination and Recipient = ACS,
//! Audience = SP entity ID, bearer SubjectConfirmation, Conditions with a short lifetime, an
//! AuthnStatement with SessionIndex, optional attributes, and an RSA-SHA256 signature with SHA-256
//! digests and exclusive canonicalization over the Assertion and/or the Response. The signing is
//! xmlsec's, through samael; this module only writes the unsigned document and the templates.

use super::xml::{escape, new_id, saml_time};
use chrono::{DateTime, Duration, Utc};
use samael::crypto::{CryptoProvider, XmlSec};
use serde::{Deserialize, Serialize};

pub const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
pub const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
pub const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// What the AuthnStatement claims: Lanyard checks no password; the admin chose or approved the
/// login in the window (or the CLI), so the honest class is `unspecified`.
pub const AUTHN_CONTEXT: &str = "urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified";
/// Conditions start this long before now, for clocks a little behind.
pub const SKEW_SECONDS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum NameIdFormat {
    #[default]
    Unspecified,
    EmailAddress,
}

impl NameIdFormat {
    pub fn uri(self) -> &'static str {
        match self {
            NameIdFormat::Unspecified => "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
            NameIdFormat::EmailAddress => "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum SignWhat {
    Assertion,
    Response,
    Both,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ResponseSettings {
    /// How long the assertion is valid, in seconds (default 300).
    pub lifetime_secs: u32,
    pub sign: SignWhat,
    pub name_id_format: NameIdFormat,
}

impl Default for ResponseSettings {
    fn default() -> Self {
        Self {
            lifetime_secs: 300,
            sign: SignWhat::Both,
            name_id_format: NameIdFormat::Unspecified,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ResponseInput<'a> {
    pub idp_entity_id: &'a str,
    pub acs_url: &'a str,
    pub sp_entity_id: &'a str,
    pub name_id: &'a str,
    pub in_response_to: Option<&'a str>,
    /// (name, value) pairs for the AttributeStatement.
    pub attributes: &'a [(String, String)],
    pub now: DateTime<Utc>,
}

#[derive(Debug, thiserror::Error)]
pub enum ResponseError {
    #[error("The IdP signing key cannot be used: {0}")]
    Key(String),
    #[error("Signing the response failed: {0}")]
    Sign(String),
}

fn signature_template(reference: &str, cert_b64: &str) -> String {
    format!(
        r##"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="{EXC_C14N}"/><ds:SignatureMethod Algorithm="{RSA_SHA256}"/><ds:Reference URI="#{reference}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="{EXC_C14N}"/></ds:Transforms><ds:DigestMethod Algorithm="{SHA256}"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue></ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert_b64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>"##
    )
}

struct Ids {
    response: String,
    assertion: String,
}

fn unsigned(
    input: &ResponseInput<'_>,
    settings: &ResponseSettings,
    ids: &Ids,
    assertion_sig: &str,
) -> String {
    let now = saml_time(input.now);
    let not_before = saml_time(input.now - Duration::seconds(SKEW_SECONDS));
    let not_on_or_after =
        saml_time(input.now + Duration::seconds(i64::from(settings.lifetime_secs)));
    let irt = input
        .in_response_to
        .map(|i| format!(" InResponseTo=\"{}\"", escape(i)))
        .unwrap_or_default();
    let issuer = escape(input.idp_entity_id);
    let acs = escape(input.acs_url);
    let attributes = if input.attributes.is_empty() {
        String::new()
    } else {
        let items: String = input
            .attributes
            .iter()
            .map(|(n, v)| {
                format!(
                    r#"<saml:Attribute Name="{}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"><saml:AttributeValue xsi:type="xs:string">{}</saml:AttributeValue></saml:Attribute>"#,
                    escape(n),
                    escape(v)
                )
            })
            .collect();
        format!("<saml:AttributeStatement>{items}</saml:AttributeStatement>")
    };
    format!(
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{rid}" Version="2.0" IssueInstant="{now}" Destination="{acs}"{irt}><saml:Issuer>{issuer}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="{aid}" Version="2.0" IssueInstant="{now}"><saml:Issuer>{issuer}</saml:Issuer>{assertion_sig}<saml:Subject><saml:NameID Format="{fmt}">{name}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData{irt} NotOnOrAfter="{not_on_or_after}" Recipient="{acs}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="{not_before}" NotOnOrAfter="{not_on_or_after}"><saml:AudienceRestriction><saml:Audience>{aud}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="{now}" SessionIndex="{sid}"><saml:AuthnContext><saml:AuthnContextClassRef>{AUTHN_CONTEXT}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>{attributes}</saml:Assertion></samlp:Response>"#,
        rid = ids.response,
        aid = ids.assertion,
        fmt = settings.name_id_format.uri(),
        name = escape(input.name_id),
        aud = escape(input.sp_entity_id),
        sid = new_id(),
    )
}

fn sign_first_template(xml: &str, key_der: &[u8]) -> Result<String, ResponseError> {
    XmlSec::sign_xml(xml, key_der).map_err(|e| ResponseError::Sign(format!("{e:?}")))
}

/// The signed response XML. `key_pem` is the IdP private key (PKCS#8 or PKCS#1 PEM);
/// `cert_der` the certificate published for it.
pub fn signed_response(
    input: &ResponseInput<'_>,
    settings: &ResponseSettings,
    key_pem: &str,
    cert_der: &[u8],
) -> Result<String, ResponseError> {
    use base64::Engine;
    let key = openssl::pkey::PKey::private_key_from_pem(key_pem.as_bytes())
        .map_err(|e| ResponseError::Key(e.to_string()))?;
    let rsa = key
        .rsa()
        .map_err(|_| ResponseError::Key("it is not an RSA key (RSA-SHA256 needs one)".into()))?;
    let key_der = rsa
        .private_key_to_der()
        .map_err(|e| ResponseError::Key(e.to_string()))?;
    let cert_b64 = base64::engine::general_purpose::STANDARD.encode(cert_der);
    let ids = Ids {
        response: new_id(),
        assertion: new_id(),
    };
    let sign_assertion = matches!(settings.sign, SignWhat::Assertion | SignWhat::Both);
    let sign_response = matches!(settings.sign, SignWhat::Response | SignWhat::Both);

    // Pass 1: the assertion's own signature (the only template in the document).
    let assertion_sig = if sign_assertion {
        signature_template(&ids.assertion, &cert_b64)
    } else {
        String::new()
    };
    let mut xml = unsigned(input, settings, &ids, &assertion_sig);
    if sign_assertion {
        xml = sign_first_template(&xml, &key_der)?;
    }
    // Pass 2: the response's signature, placed after its Issuer so it is the first template
    // xmlsec finds; its digest covers the already-signed assertion.
    if sign_response {
        let marker = "</saml:Issuer>";
        let pos = xml
            .find(marker)
            .map(|p| p + marker.len())
            .ok_or_else(|| ResponseError::Sign("no Issuer in the response".into()))?;
        xml.insert_str(pos, &signature_template(&ids.response, &cert_b64));
        xml = sign_first_template(&xml, &key_der)?;
    }
    Ok(xml)
}
