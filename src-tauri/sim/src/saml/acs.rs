//! The assertion consumer service: validates a SAMLResponse the way Salesforce does and names the
//! reason when it refuses (the reasons Salesforce's Login History shows).
//!
//! Only signed content is trusted: the signature is checked with xmlsec (through samael) against
//! the IdP certificate uploaded in Single Sign-On Settings, RSA-SHA256 with SHA-256 digests only,
//! and the assertion is read from the verified part of the document.

use super::xml::{self, child, descendant, text, SAML, SAMLP};
use crate::org::{Org, SsoSettings};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use samael::crypto::{
    AllowedSignatureAlgorithm, CertificateDer, CryptoProvider, ReduceMode, XmlSec,
};

/// The largest SAMLResponse accepted (base64 text).
pub const MAX_RESPONSE: usize = 512 * 1024;
/// Clock skew allowed on NotBefore / NotOnOrAfter.
pub const SKEW_SECONDS: i64 = 180;

pub struct Acs<'a> {
    /// The SSO configuration the Login URL (`sc`) names.
    pub sso: &'a SsoSettings,
    pub entity_id: &'a str,
    pub acs_url: &'a str,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Success {
        username: String,
        display_name: String,
    },
    Failure {
        reason: &'static str,
        detail: String,
        username: String,
    },
}

fn fail(reason: &'static str, detail: impl Into<String>) -> Outcome {
    Outcome::Failure {
        reason,
        detail: detail.into(),
        username: String::new(),
    }
}

fn time(value: Option<&str>) -> Option<DateTime<Utc>> {
    value
        .and_then(|v| DateTime::parse_from_rfc3339(v).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// The IdP certificate from the SSO configuration, as DER.
fn idp_certificate(sso: &SsoSettings) -> Result<CertificateDer, Outcome> {
    let pem = sso.idp_certificate_pem.trim();
    if !sso.enabled || pem.is_empty() || sso.issuer.is_empty() {
        return Err(fail(
            "Configuration Error",
            "SAML single sign-on is not set up: enable SAML and fill in Issuer and the Identity Provider Certificate in Single Sign-On Settings",
        ));
    }
    let cert = openssl::x509::X509::from_pem(pem.as_bytes()).map_err(|e| {
        fail(
            "Configuration Error",
            format!("the uploaded Identity Provider Certificate cannot be read: {e}"),
        )
    })?;
    cert.to_der()
        .map(CertificateDer::from)
        .map_err(|e| fail("Configuration Error", e.to_string()))
}

pub fn validate(org: &mut Org, acs: &Acs<'_>, saml_response: &str) -> Outcome {
    if saml_response.len() > MAX_RESPONSE {
        return fail(
            "Assertion Invalid",
            format!(
                "the SAMLResponse is {} bytes; the limit is {MAX_RESPONSE}",
                saml_response.len()
            ),
        );
    }
    let cert = match idp_certificate(acs.sso) {
        Ok(c) => c,
        Err(o) => return o,
    };
    let compact: String = saml_response
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let Ok(bytes) = STANDARD.decode(compact) else {
        return fail("Assertion Invalid", "the SAMLResponse is not base64");
    };
    let Ok(original) = String::from_utf8(bytes) else {
        return fail("Assertion Invalid", "the SAMLResponse is not UTF-8 XML");
    };
    // Refuse DTDs before anything else parses the document.
    let original_doc = match xml::parse(&original) {
        Ok(d) => d,
        Err(e) => {
            return fail(
                "Assertion Invalid",
                format!("the SAMLResponse is not well-formed XML without a DTD: {e}"),
            )
        }
    };
    let response = original_doc.root_element();
    if response.tag_name().name() != "Response" || response.tag_name().namespace() != Some(SAMLP) {
        return fail("Assertion Invalid", "the document is not a samlp:Response");
    }

    let verified = match XmlSec::reduce_xml_to_signed_with_allowed_algorithms(
        &original,
        &[cert],
        ReduceMode::ValidateAndMarkNoAncestors,
        Some(&[AllowedSignatureAlgorithm::RsaSha256]),
    ) {
        Ok(v) => v,
        Err(e) => return fail("Signature Invalid", format!("the signature does not verify with the uploaded IdP certificate using RSA-SHA256 and SHA-256 ({e})")),
    };
    let verified_doc = match xml::parse(&verified) {
        Ok(d) => d,
        Err(e) => return fail("Signature Invalid", e),
    };
    let root = verified_doc.root_element();
    let assertion = if root.tag_name().name() == "Assertion" {
        Some(root)
    } else {
        descendant(root, SAML, "Assertion")
    };
    let Some(assertion) = assertion else {
        return fail(
            "Signature Invalid",
            "no signed Assertion: sign the Assertion or the whole Response",
        );
    };

    // Response-level checks (Destination and Status are on the Response element).
    let status = descendant(response, SAMLP, "StatusCode")
        .and_then(|s| s.attribute("Value"))
        .unwrap_or("");
    if status != "urn:oasis:names:tc:SAML:2.0:status:Success" {
        return fail(
            "Assertion Invalid",
            format!("the Response status is {status:?}, not Success"),
        );
    }
    match response.attribute("Destination") {
        Some(d) if d == acs.acs_url => {}
        Some(d) => {
            return fail(
                "Destination Invalid",
                format!(
                    "Destination is {d:?}; this org's login URL is {:?}",
                    acs.acs_url
                ),
            )
        }
        None => {}
    }

    let issuer = text(child(assertion, SAML, "Issuer")).unwrap_or_default();
    if issuer != acs.sso.issuer {
        return fail(
            "Issuer Mismatched",
            format!(
                "the assertion's Issuer is {issuer:?}; Single Sign-On Settings expect {:?}",
                acs.sso.issuer
            ),
        );
    }

    let now = acs.now;
    let skew = Duration::seconds(SKEW_SECONDS);
    let conditions = child(assertion, SAML, "Conditions");
    if let Some(c) = conditions {
        if let Some(nb) = time(c.attribute("NotBefore")) {
            if now + skew < nb {
                return fail(
                    "Assertion Invalid",
                    format!("the assertion is not valid before {nb}"),
                );
            }
        }
        if let Some(na) = time(c.attribute("NotOnOrAfter")) {
            if now - skew >= na {
                return fail(
                    "Assertion Expired",
                    format!("the assertion expired at {na}"),
                );
            }
        }
    }
    let audience = conditions
        .and_then(|c| descendant(c, SAML, "Audience"))
        .and_then(|a| a.text())
        .map(str::trim);
    if audience != Some(acs.entity_id) {
        return fail(
            "Audience Invalid",
            format!(
                "the Audience is {audience:?}; this org's entity ID is {:?}",
                acs.entity_id
            ),
        );
    }

    let subject = child(assertion, SAML, "Subject");
    let confirmation = subject.into_iter().flat_map(|s| s.children()).find(|c| {
        c.is_element()
            && c.tag_name().name() == "SubjectConfirmation"
            && c.attribute("Method") == Some("urn:oasis:names:tc:SAML:2.0:cm:bearer")
    });
    let Some(data) = confirmation.and_then(|c| child(c, SAML, "SubjectConfirmationData")) else {
        return fail(
            "Assertion Invalid",
            "no bearer SubjectConfirmation with SubjectConfirmationData",
        );
    };
    if data.attribute("Recipient") != Some(acs.acs_url) {
        return fail(
            "Recipient Mismatched",
            format!(
                "Recipient is {:?}; this org's login URL is {:?}",
                data.attribute("Recipient"),
                acs.acs_url
            ),
        );
    }
    match time(data.attribute("NotOnOrAfter")) {
        Some(na) if now - skew < na => {}
        Some(na) => {
            return fail(
                "Assertion Expired",
                format!("the subject confirmation expired at {na}"),
            )
        }
        None => {
            return fail(
                "Assertion Invalid",
                "the bearer SubjectConfirmationData has no NotOnOrAfter",
            )
        }
    }
    if let Some(request_id) = data.attribute("InResponseTo") {
        let pending = org.pending_requests.remove(request_id);
        if pending.is_none() {
            return fail("InResponseTo Invalid", "InResponseTo does not match a login request this org sent (or it was already used)");
        }
    }

    let assertion_id = assertion.attribute("ID").unwrap_or("").to_owned();
    if assertion_id.is_empty() || !org.used_assertions.insert(assertion_id) {
        return fail("Replay Detected", "this assertion was already used");
    }

    let name_id = text(subject.and_then(|s| child(s, SAML, "NameID"))).unwrap_or_default();
    let user = if acs.sso.identity_type == "federation_id" {
        org.users
            .values()
            .find(|u| u["externalId"].as_str() == Some(name_id.as_str()))
    } else {
        org.user_id_by_name(&name_id)
            .and_then(|id| org.users.get(&id))
    };
    let Some(user) = user else {
        let what = if acs.sso.identity_type == "federation_id" {
            "Federation ID"
        } else {
            "username"
        };
        return Outcome::Failure {
            reason: "User Not Found",
            detail: format!("no user has the {what} {name_id:?}"),
            username: name_id,
        };
    };
    let username = user["userName"].as_str().unwrap_or_default().to_owned();
    if user["active"] != true {
        return Outcome::Failure {
            reason: "User Inactive",
            detail: format!("{username} is deactivated"),
            username,
        };
    }
    Outcome::Success {
        display_name: user["displayName"].as_str().unwrap_or(&username).to_owned(),
        username,
    }
}
