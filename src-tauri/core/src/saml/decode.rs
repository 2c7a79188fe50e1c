//! The SAML decoder: a SAMLResponse or AuthnRequest pasted as raw XML, base64, deflate+base64,
//! URL-encoded, a form body or a whole redirect URL becomes pretty XML plus a checklist against
//! the application's configuration. Every step is bounded: 1 MiB in, 1 MiB inflated, no DTD.

use super::input::{parse, MAX_XML_BYTES};
use super::wire::{base64_lenient, inflate_bounded, param, url_decode};
use chrono::{DateTime, Utc};
use roxmltree::Node;
use serde::Serialize;

const SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
const DS: &str = "http://www.w3.org/2000/09/xmldsig#";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("Nothing to decode: paste a SAMLResponse or SAMLRequest (XML, base64, a form body or a redirect URL).")]
    Empty,
    #[error("The input is {0} bytes; the decoder takes at most 1 MiB.")]
    TooLarge(usize),
    #[error("This is not SAML: it is neither XML nor base64 of XML (deflated or not). {0}")]
    NotSaml(String),
    #[error(transparent)]
    Xml(#[from] super::input::InputError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Pass,
    Fail,
    Warn,
    Info,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Check {
    pub name: String,
    pub status: CheckStatus,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Decoded {
    /// "Response", "AuthnRequest", or another root element name.
    pub kind: String,
    /// How the input was unwrapped, e.g. ["URL", "base64", "deflate"].
    pub steps: Vec<String>,
    pub relay_state: Option<String>,
    /// The redirect binding's SigAlg, when the input was a signed redirect URL.
    pub sig_alg: Option<String>,
    pub xml: String,
    pub checks: Vec<Check>,
}

/// What the checklist compares against (from the application's configuration).
#[derive(Debug, Clone, Default)]
pub struct Expected {
    pub idp_entity_id: Option<String>,
    pub sp_entity_id: Option<String>,
    /// The Login URLs (ACS) the application signs for; a message to any of them passes.
    pub acs_urls: Vec<String>,
    /// Certificates (DER) a Response signature may verify with.
    pub idp_certs_der: Vec<Vec<u8>>,
}

fn starts_xml(b: &[u8]) -> bool {
    let trimmed = b
        .iter()
        .skip_while(|c| c.is_ascii_whitespace())
        .copied()
        .collect::<Vec<u8>>();
    trimmed.starts_with(b"<") || trimmed.starts_with(&[0xEF, 0xBB, 0xBF, b'<'])
}

/// Unwraps the input down to XML text.
fn unwrap(
    input: &str,
    steps: &mut Vec<String>,
    relay: &mut Option<String>,
    sig_alg: &mut Option<String>,
) -> Result<String, DecodeError> {
    // A trailing space may be a '+' of base64 that form decoding turned into a space: keep it.
    let mut text = input
        .trim_start()
        .trim_end_matches(['\r', '\n', '\t'])
        .to_owned();
    if let Some((_, q)) = text
        .split_once('?')
        .filter(|_| text.starts_with("http://") || text.starts_with("https://"))
    {
        steps.push("URL".into());
        text = q.split('#').next().unwrap_or("").to_owned();
    }
    if text.contains("SAMLResponse=") || text.contains("SAMLRequest=") {
        steps.push("form or query parameters".into());
        *relay = param(&text, "RelayState").map(url_decode);
        *sig_alg = param(&text, "SigAlg").map(url_decode);
        text = param(&text, "SAMLResponse")
            .or_else(|| param(&text, "SAMLRequest"))
            .unwrap_or("")
            .to_owned();
        text = url_decode(&text);
    } else if text.contains('%') && !text.starts_with('<') {
        steps.push("URL-decoded".into());
        text = url_decode(&text);
    }
    if text.starts_with('<') {
        return Ok(text);
    }
    // base64 has no spaces: a '+' turned into ' ' by form decoding is put back; line breaks go.
    let bytes = base64_lenient(&text).map_err(|e| DecodeError::NotSaml(format!("base64: {e}")))?;
    steps.push("base64".into());
    let xml_bytes = if starts_xml(&bytes) {
        bytes
    } else {
        steps.push("deflate".into());
        inflate_bounded(&bytes).ok_or_else(|| {
            DecodeError::NotSaml("the base64 is neither XML nor deflated XML".into())
        })?
    };
    String::from_utf8(xml_bytes)
        .map_err(|_| DecodeError::NotSaml("the decoded bytes are not UTF-8".into()))
}

/// Indents machine-written XML (no mixed content) for reading.
pub fn pretty(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() * 2);
    let mut depth: usize = 0;
    let mut rest = xml.trim();
    while let Some(start) = rest.find('<') {
        let text = rest[..start].trim();
        if !text.is_empty() {
            out.push_str(text);
        }
        let Some(end) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start..start + end + 1];
        let closing = tag.starts_with("</");
        let self_closing = tag.ends_with("/>") || tag.starts_with("<?") || tag.starts_with("<!");
        if closing {
            depth = depth.saturating_sub(1);
        }
        let inline_close = closing && !text.is_empty();
        if !inline_close {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&"  ".repeat(depth));
        }
        out.push_str(tag);
        if !closing && !self_closing {
            depth += 1;
        }
        rest = &rest[start + end + 1..];
    }
    out.push('\n');
    out
}

fn el<'a, 'i>(n: Node<'a, 'i>, ns: &str, name: &str) -> Option<Node<'a, 'i>> {
    n.descendants().find(|c| {
        c.is_element() && c.tag_name().name() == name && c.tag_name().namespace() == Some(ns)
    })
}

fn child<'a, 'i>(n: Node<'a, 'i>, ns: &str, name: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| {
        c.is_element() && c.tag_name().name() == name && c.tag_name().namespace() == Some(ns)
    })
}

fn check(name: &str, status: CheckStatus, detail: impl Into<String>) -> Check {
    Check {
        name: name.into(),
        status,
        detail: detail.into(),
    }
}

fn compare(name: &str, got: Option<&str>, want: Option<&str>) -> Check {
    match (got, want) {
        (None, _) => check(name, CheckStatus::Fail, "missing"),
        (Some(g), Some(w)) if g == w => check(name, CheckStatus::Pass, g),
        (Some(g), Some(w)) => check(name, CheckStatus::Fail, format!("{g} (expected {w})")),
        (Some(g), None) => check(name, CheckStatus::Info, g),
    }
}

/// Like `compare`, against any of several accepted values.
fn compare_any(name: &str, got: Option<&str>, want: &[String]) -> Check {
    match (got, want) {
        (Some(g), []) => check(name, CheckStatus::Info, g),
        (Some(g), [w]) => compare(name, Some(g), Some(w)),
        (Some(g), _) if want.iter().any(|w| w == g) => check(name, CheckStatus::Pass, g),
        (Some(g), _) => check(
            name,
            CheckStatus::Fail,
            format!("{g} (expected one of {})", want.join(", ")),
        ),
        (None, _) => check(name, CheckStatus::Fail, "missing"),
    }
}

fn time(v: Option<&str>) -> Option<DateTime<Utc>> {
    v.and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// Decodes and checks. `now` decides the time-window check.
pub fn decode(
    input: &str,
    expected: &Expected,
    now: DateTime<Utc>,
) -> Result<Decoded, DecodeError> {
    if input.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    if input.len() > MAX_XML_BYTES {
        return Err(DecodeError::TooLarge(input.len()));
    }
    let mut steps = Vec::new();
    let (mut relay_state, mut sig_alg) = (None, None);
    let xml = unwrap(input, &mut steps, &mut relay_state, &mut sig_alg)?;
    let intake = super::input::intake(xml.as_bytes())?;
    let doc = parse(&intake.text)?;
    let root = doc.root_element();
    let kind = root.tag_name().name().to_owned();
    let mut checks = Vec::new();
    if sig_alg.as_deref().is_some_and(|a| a.ends_with("rsa-sha1")) {
        checks.push(check(
            "Signature algorithm",
            CheckStatus::Fail,
            "SHA-1 (Lanyard accepts RSA-SHA256 only)",
        ));
    }
    match kind.as_str() {
        "Response" => response_checks(root, expected, now, &intake.text, &mut checks),
        "AuthnRequest" => {
            checks.push(compare(
                "Issuer (SP entity ID)",
                el(root, SAML, "Issuer")
                    .and_then(|n| n.text())
                    .map(str::trim),
                expected.sp_entity_id.as_deref(),
            ));
            checks.push(compare_any(
                "AssertionConsumerServiceURL",
                root.attribute("AssertionConsumerServiceURL"),
                &expected.acs_urls,
            ));
            checks.push(check(
                "Request ID",
                CheckStatus::Info,
                root.attribute("ID").unwrap_or("missing"),
            ));
            let signed = child(root, DS, "Signature").is_some() || sig_alg.is_some();
            checks.push(check(
                "Signed",
                if signed {
                    CheckStatus::Info
                } else {
                    CheckStatus::Warn
                },
                if signed {
                    "yes (verify with Salesforce's certificate)"
                } else {
                    "no signature"
                },
            ));
        }
        other => checks.push(check(
            "Message type",
            CheckStatus::Warn,
            format!("{other} is neither a Response nor an AuthnRequest"),
        )),
    }
    Ok(Decoded {
        kind,
        steps,
        relay_state,
        sig_alg,
        xml: pretty(&intake.text),
        checks,
    })
}

fn response_checks(
    root: Node<'_, '_>,
    e: &Expected,
    now: DateTime<Utc>,
    text: &str,
    out: &mut Vec<Check>,
) {
    let assertion = el(root, SAML, "Assertion");
    let response_signed = child(root, DS, "Signature").is_some();
    let assertion_signed = assertion.and_then(|a| child(a, DS, "Signature")).is_some();
    // The document the signature check verified, when it did: Issuer, Audience and Recipient
    // are read from it, so an unsigned copy beside the signed assertion cannot show through.
    let mut verified: Option<String> = None;
    let sig = if e.idp_certs_der.is_empty() {
        check(
            "Signature",
            if response_signed || assertion_signed {
                CheckStatus::Info
            } else {
                CheckStatus::Fail
            },
            format!("response signed: {response_signed}, assertion signed: {assertion_signed}"),
        )
    } else {
        use samael::crypto::{
            AllowedSignatureAlgorithm, CertificateDer, CryptoProvider, ReduceMode, XmlSec,
        };
        let certs: Vec<CertificateDer> = e
            .idp_certs_der
            .iter()
            .cloned()
            .map(CertificateDer::from)
            .collect();
        match XmlSec::reduce_xml_to_signed_with_allowed_algorithms(
            text,
            &certs,
            ReduceMode::ValidateAndMarkNoAncestors,
            Some(&[AllowedSignatureAlgorithm::RsaSha256]),
        ) {
            Ok(reduced) => {
                verified = Some(reduced);
                check("Signature", CheckStatus::Pass, format!("verifies with the IdP certificate (response signed: {response_signed}, assertion signed: {assertion_signed}); Issuer, Audience and Recipient below are read from the verified document"))
            }
            Err(_) => check(
                "Signature",
                CheckStatus::Fail,
                "does not verify with the IdP certificate using RSA-SHA256",
            ),
        }
    };
    out.push(sig);
    let verified_doc = verified.as_deref().and_then(|v| parse(v).ok());
    let verified_assertion = verified_doc.as_ref().and_then(|d| {
        let root = d.root_element();
        if root.tag_name().name() == "Assertion" {
            Some(root)
        } else {
            el(root, SAML, "Assertion")
        }
    });
    // Unverified (no certificate to check with, or the check failed): the document as given.
    let trusted = if verified.is_some() {
        verified_assertion
    } else {
        assertion
    };
    out.push(compare(
        "Issuer",
        trusted
            .and_then(|a| child(a, SAML, "Issuer"))
            .and_then(|n| n.text())
            .map(str::trim),
        e.idp_entity_id.as_deref(),
    ));
    out.push(compare(
        "Audience",
        trusted
            .and_then(|a| el(a, SAML, "Audience"))
            .and_then(|n| n.text())
            .map(str::trim),
        e.sp_entity_id.as_deref(),
    ));
    out.push(compare_any(
        "Destination",
        root.attribute("Destination"),
        &e.acs_urls,
    ));
    let data = trusted.and_then(|a| el(a, SAML, "SubjectConfirmationData"));
    out.push(compare_any(
        "Recipient",
        data.and_then(|d| d.attribute("Recipient")),
        &e.acs_urls,
    ));
    let conditions = assertion.and_then(|a| child(a, SAML, "Conditions"));
    let nb = time(conditions.and_then(|c| c.attribute("NotBefore")));
    let na = time(conditions.and_then(|c| c.attribute("NotOnOrAfter")));
    out.push(match (nb, na) {
        (Some(b), Some(a)) if b <= now && now < a => {
            check("Time window", CheckStatus::Pass, format!("{b} – {a}"))
        }
        (Some(_), Some(a)) if now >= a => check(
            "Time window",
            CheckStatus::Fail,
            format!("expired at {a} (now {now})"),
        ),
        (Some(b), Some(a)) => check(
            "Time window",
            CheckStatus::Fail,
            format!("not valid before {b} (now {now}); until {a}"),
        ),
        _ => check(
            "Time window",
            CheckStatus::Warn,
            "Conditions NotBefore/NotOnOrAfter missing",
        ),
    });
    let name_id = assertion.and_then(|a| el(a, SAML, "NameID"));
    out.push(match name_id.and_then(|n| n.text()) {
        Some(v) => check(
            "NameID",
            CheckStatus::Info,
            format!(
                "{} ({})",
                v.trim(),
                name_id
                    .and_then(|n| n.attribute("Format"))
                    .unwrap_or("no format")
            ),
        ),
        None => check("NameID", CheckStatus::Fail, "missing"),
    });
    let attrs: Vec<String> = assertion
        .into_iter()
        .flat_map(|a| a.descendants())
        .filter(|n| n.is_element() && n.tag_name().name() == "Attribute")
        .map(|a| {
            let values: Vec<&str> = a
                .children()
                .filter(|c| c.is_element())
                .filter_map(|c| c.text())
                .collect();
            format!(
                "{} = {}",
                a.attribute("Name").unwrap_or("?"),
                values.join(", ")
            )
        })
        .collect();
    out.push(check(
        "Attributes",
        CheckStatus::Info,
        if attrs.is_empty() {
            "none".into()
        } else {
            attrs.join("; ")
        },
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use flate2::write::DeflateEncoder;
    use std::io::Write;

    const XML: &str = r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1" Version="2.0" AssertionConsumerServiceURL="https://acme.my.salesforce.com?so=00D"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://acme.my.salesforce.com</saml:Issuer></samlp:AuthnRequest>"#;

    fn b64(b: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(b)
    }

    fn deflate(b: &[u8]) -> Vec<u8> {
        let mut e = DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(b).unwrap();
        e.finish().unwrap()
    }

    fn url(s: &str) -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    }

    #[test]
    fn every_wrapping_is_unwrapped() {
        let now = Utc::now();
        let e = Expected {
            sp_entity_id: Some("https://acme.my.salesforce.com".into()),
            ..Default::default()
        };
        let deflated = b64(&deflate(XML.as_bytes()));
        let wrapped_lines: String = b64(XML.as_bytes())
            .as_bytes()
            .chunks(64)
            .map(|c| format!("{}\n", String::from_utf8_lossy(c)))
            .collect();
        for (input, steps) in [
            (XML.to_owned(), vec![]),
            (b64(XML.as_bytes()), vec!["base64"]),
            (wrapped_lines, vec!["base64"]),
            (deflated.clone(), vec!["base64", "deflate"]),
            (url(&deflated), vec!["URL-decoded", "base64", "deflate"]),
            (format!("SAMLRequest={}&RelayState=%2Fhome", url(&deflated)), vec!["form or query parameters", "base64", "deflate"]),
            (format!("https://idp.example/saml2/acme?SAMLRequest={}&RelayState=x&SigAlg={}&Signature=abc", url(&deflated), url("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256")), vec!["URL", "form or query parameters", "base64", "deflate"]),
            (format!("SAMLRequest={}", b64(XML.as_bytes()).replace('+', " ")), vec!["form or query parameters", "base64"]),
        ] {
            let d = decode(&input, &e, now).unwrap_or_else(|err| panic!("{input:.60}: {err}"));
            assert_eq!(d.kind, "AuthnRequest");
            assert_eq!(d.steps, steps, "{input:.60}");
            let issuer = d.checks.iter().find(|c| c.name.starts_with("Issuer")).unwrap();
            assert_eq!(issuer.status, CheckStatus::Pass);
            assert!(d.xml.contains("\n  <saml:Issuer"), "pretty-printed: {}", d.xml);
        }
    }

    #[test]
    fn relay_state_and_sig_alg_are_reported() {
        let d = decode(&format!("SAMLRequest={}&RelayState=%2Fhome&SigAlg=http%3A%2F%2Fwww.w3.org%2F2000%2F09%2Fxmldsig%23rsa-sha1", url(&b64(XML.as_bytes()))), &Expected::default(), Utc::now()).unwrap();
        assert_eq!(d.relay_state.as_deref(), Some("/home"));
        assert!(
            d.checks
                .iter()
                .any(|c| c.name == "Signature algorithm" && c.status == CheckStatus::Fail),
            "SHA-1 is flagged"
        );
    }

    #[test]
    fn percent_signs_next_to_multibyte_characters_do_not_panic() {
        // Found by the fuzzer: '%' followed by a multi-byte character.
        for input in ["SAMLResponse=%\u{20ac}", "abc%\u{20ac}x", "%e2%82", "%"] {
            let _ = decode(input, &Expected::default(), Utc::now());
        }
    }

    #[test]
    fn refusals() {
        let now = Utc::now();
        let e = Expected::default();
        assert_eq!(decode("  ", &e, now), Err(DecodeError::Empty));
        assert!(matches!(
            decode("not base64 !!", &e, now),
            Err(DecodeError::NotSaml(_))
        ));
        assert!(matches!(
            decode(&b64(b"plain text, not xml"), &e, now),
            Err(DecodeError::NotSaml(_))
        ));
        let bomb = b64(&deflate(&vec![b'<'; 4 * 1024 * 1024]));
        assert!(
            matches!(decode(&bomb, &e, now), Err(DecodeError::NotSaml(_))),
            "inflation is bounded"
        );
        let dtd = b64(b"<!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>");
        assert!(matches!(decode(&dtd, &e, now), Err(DecodeError::Xml(_))));
    }
}
