//! The checks an AuthnRequest passes before Lanyard holds it for the admin's approval.
//!
//! * Signature: with the HTTP-Redirect binding, RSA-SHA256 over the query exactly as received;
//!   with HTTP-POST, an enveloped XML signature (RSA-SHA256 only). Everything below is read from
//!   the document the signature check verified, never from the original text: for the POST
//!   binding the signed element must be the root AuthnRequest, referenced by its own ID, so a
//!   validly signed element nested inside a forged request cannot lend it its signature.
//! * Issuer is the SP's entity ID; the Login URL asked for is one Lanyard signs for.
//! * IssueInstant within [`MAX_SKEW`] of the injected clock; Destination, when present, is this
//!   IdP endpoint; the ID was not seen before ([`ReplayCache`]).

use super::input::{intake, parse};
use super::wire::{param, url_decode};
use chrono::{DateTime, Duration, Utc};
use std::collections::{HashMap, VecDeque};

/// How far an IssueInstant may be from now, either way.
pub const MAX_SKEW: Duration = Duration::minutes(5);
/// How many request IDs the replay cache holds at most.
pub const REPLAY_CAPACITY: usize = 4096;
const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const SAMLP: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
const SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
const DS: &str = "http://www.w3.org/2000/09/xmldsig#";

/// Why a login request was refused: shown to the browser and recorded as an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub title: &'static str,
    pub detail: String,
}

impl Refused {
    pub fn new(title: &'static str, detail: impl Into<String>) -> Self {
        Self {
            title,
            detail: detail.into(),
        }
    }

    fn unreadable(detail: impl Into<String>) -> Self {
        Self::new("Unreadable login request", detail)
    }

    fn denied(detail: impl Into<String>) -> Self {
        Self::new("Login request refused", detail)
    }
}

/// What the application's configuration says about the SP.
#[derive(Debug, Clone)]
pub struct SpSide {
    pub entity_id: String,
    pub requests_signed: bool,
    /// Salesforce's certificates (PEM).
    pub certs_pem: Vec<String>,
    /// The Login URLs Lanyard signs for (see `binding::known_acs`).
    pub known_acs: Vec<String>,
}

/// Where and when the request arrived.
#[derive(Debug, Clone, Copy)]
pub struct Arrival<'a> {
    /// The inflated (Redirect) or decoded (POST) XML bytes.
    pub xml: &'a [u8],
    /// The raw query string, for the HTTP-Redirect binding.
    pub redirect_query: Option<&'a str>,
    /// The port this IdP endpoint listens on, and the application in its path.
    pub port: u16,
    pub app: &'a str,
    pub now: DateTime<Utc>,
}

/// A request that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedRequest {
    pub id: String,
    /// The Login URL the request asked for (AssertionConsumerServiceURL).
    pub acs_url: Option<String>,
    pub issue_instant: DateTime<Utc>,
}

/// Checks an AuthnRequest; the replay check is the caller's ([`ReplayCache::remember`]).
pub fn check(sp: &SpSide, a: &Arrival<'_>) -> Result<CheckedRequest, Refused> {
    let text = intake(a.xml).map_err(|e| Refused::unreadable(e.to_string()))?;
    let verified = match (sp.requests_signed, a.redirect_query) {
        (false, _) => text.text.clone(),
        (true, Some(q)) => {
            verify_redirect_signature(q, &sp.certs_pem).map_err(Refused::denied)?;
            // The query signature covers the whole deflated document.
            text.text.clone()
        }
        (true, None) => verify_post_signature(&text.text, &sp.certs_pem)?,
    };
    let doc = parse(&verified).map_err(|e| Refused::unreadable(e.to_string()))?;
    let root = doc.root_element();
    if root.tag_name().name() != "AuthnRequest" || root.tag_name().namespace() != Some(SAMLP) {
        return Err(Refused::unreadable(
            "the message is not a SAML AuthnRequest",
        ));
    }
    let issuer = root
        .children()
        .find(|c| c.is_element() && c.tag_name().name() == "Issuer")
        .filter(|c| c.tag_name().namespace() == Some(SAML))
        .and_then(|i| i.text())
        .map(str::trim)
        .unwrap_or("");
    if issuer != sp.entity_id {
        return Err(Refused::denied(format!(
            "the request's Issuer {issuer:?} is not this application's SP entity ID {:?}",
            sp.entity_id
        )));
    }
    let id = root
        .attribute("ID")
        .filter(|i| !i.is_empty() && i.len() <= 1024)
        .ok_or_else(|| Refused::unreadable("the AuthnRequest has no ID"))?;
    let issue_instant = root
        .attribute("IssueInstant")
        .and_then(|t| DateTime::parse_from_rfc3339(t.trim()).ok())
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| Refused::unreadable("the AuthnRequest has no valid IssueInstant"))?;
    let off = a.now.signed_duration_since(issue_instant);
    if off > MAX_SKEW || -off > MAX_SKEW {
        return Err(Refused::denied(format!(
            "the request was issued at {issue_instant}, more than 5 minutes from now ({}); start again from Salesforce's login page, and check this computer's clock",
            a.now
        )));
    }
    if let Some(dest) = root.attribute("Destination") {
        if !is_this_endpoint(dest, a.port, a.app) {
            return Err(Refused::denied(format!(
                "the request is addressed to {dest:?}, not to this IdP endpoint (http://127.0.0.1:{}/saml2/{}): check the Identity Provider Login URL in Salesforce's Single Sign-On Settings",
                a.port, a.app
            )));
        }
    }
    // Each Salesforce configuration has its own Login URL; Lanyard answers those its published
    // certificates sign for (see saml::binding).
    let acs_url = root
        .attribute("AssertionConsumerServiceURL")
        .map(str::to_owned);
    if let Some(acs) = &acs_url {
        if !sp.known_acs.iter().any(|k| super::binding::same(k, acs)) {
            return Err(Refused::denied(format!("the request asks for the Login URL {acs:?}; Lanyard signs only for {}. If this Salesforce configuration is new, bind the next certificate to it in Lanyard; if its certificate was retired, delete the configuration in Salesforce.", sp.known_acs.join(", "))));
        }
    }
    Ok(CheckedRequest {
        id: id.to_owned(),
        acs_url,
        issue_instant,
    })
}

/// Whether a Destination names this endpoint: http, a loopback host, our port, `/saml2/<path>`.
fn is_this_endpoint(dest: &str, port: u16, app: &str) -> bool {
    let Ok(u) = url::Url::parse(dest.trim()) else {
        return false;
    };
    let host_ok = matches!(
        u.host(),
        Some(url::Host::Ipv4(ip)) if ip == std::net::Ipv4Addr::LOCALHOST
    ) || u.host_str() == Some("localhost");
    u.scheme() == "http"
        && host_ok
        && u.port_or_known_default() == Some(port)
        && u.path().trim_end_matches('/') == format!("/saml2/{app}")
}

/// Checks an HTTP-Redirect signature: RSA-SHA256 over the query parts exactly as received.
fn verify_redirect_signature(query: &str, certs_pem: &[String]) -> Result<(), String> {
    let sig_alg = param(query, "SigAlg")
        .map(url_decode)
        .ok_or("the AuthnRequest is not signed (no SigAlg), but Salesforce signs its requests")?;
    if sig_alg != RSA_SHA256 {
        return Err(format!(
            "signature algorithm {sig_alg} refused: only RSA-SHA256 is accepted"
        ));
    }
    let signature = param(query, "Signature")
        .map(url_decode)
        .ok_or("no Signature")?;
    let signature =
        super::wire::base64_lenient(&signature).map_err(|_| "the Signature is not base64")?;
    let mut signed = format!("SAMLRequest={}", param(query, "SAMLRequest").unwrap_or(""));
    if let Some(r) = param(query, "RelayState") {
        signed.push_str(&format!("&RelayState={r}"));
    }
    signed.push_str(&format!("&SigAlg={}", param(query, "SigAlg").unwrap_or("")));
    for pem in certs_pem {
        let Ok(cert) = openssl::x509::X509::from_pem(pem.as_bytes()) else {
            continue;
        };
        let Ok(key) = cert.public_key() else { continue };
        let Ok(mut v) = openssl::sign::Verifier::new(openssl::hash::MessageDigest::sha256(), &key)
        else {
            continue;
        };
        if v.update(signed.as_bytes()).is_ok() && v.verify(&signature).unwrap_or(false) {
            return Ok(());
        }
    }
    Err("the AuthnRequest signature does not verify with Salesforce's certificate".into())
}

/// Verifies an enveloped signature (HTTP-POST binding) and returns the verified document. The
/// signature must be the root AuthnRequest's own (a direct child referencing the root's ID), and
/// the verified document's root must be that same AuthnRequest.
fn verify_post_signature(text: &str, certs_pem: &[String]) -> Result<String, Refused> {
    use samael::crypto::{
        AllowedSignatureAlgorithm, CertificateDer, CryptoProvider, ReduceMode, XmlSec,
    };
    let wrapped = |why: &str| {
        Refused::denied(format!(
            "the AuthnRequest's signature does not cover the request itself ({why}): a signed element inside an unsigned request is not accepted"
        ))
    };
    let original = parse(text).map_err(|e| Refused::unreadable(e.to_string()))?;
    let root = original.root_element();
    let root_id = root
        .attribute("ID")
        .ok_or_else(|| Refused::unreadable("the AuthnRequest has no ID"))?;
    let own_signature = root
        .children()
        .find(|c| {
            c.is_element()
                && c.tag_name().name() == "Signature"
                && c.tag_name().namespace() == Some(DS)
        })
        .ok_or_else(|| {
            Refused::denied("the AuthnRequest is not signed, but Salesforce signs its requests")
        })?;
    let references: Vec<&str> = own_signature
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "Reference")
        .filter_map(|n| n.attribute("URI"))
        .collect();
    if references != [format!("#{root_id}").as_str()] {
        return Err(wrapped("its signature references another element"));
    }
    let ders: Vec<CertificateDer> = certs_pem
        .iter()
        .filter_map(|p| {
            openssl::x509::X509::from_pem(p.as_bytes())
                .ok()?
                .to_der()
                .ok()
        })
        .map(CertificateDer::from)
        .collect();
    let reduced = XmlSec::reduce_xml_to_signed_with_allowed_algorithms(
        text,
        &ders,
        ReduceMode::ValidateAndMarkNoAncestors,
        Some(&[AllowedSignatureAlgorithm::RsaSha256]),
    )
    .map_err(|_| {
        Refused::denied(
            "the AuthnRequest signature does not verify with Salesforce's certificate (RSA-SHA256)",
        )
    })?;
    let doc = parse(&reduced).map_err(|e| Refused::unreadable(e.to_string()))?;
    let verified_root = doc.root_element();
    if verified_root.tag_name().name() != "AuthnRequest"
        || verified_root.attribute("ID") != Some(root_id)
    {
        return Err(wrapped("the verified element is not the root AuthnRequest"));
    }
    Ok(reduced)
}

/// Request IDs seen lately, so a captured request cannot be played again. Bounded: entries
/// expire once their IssueInstant is out of the [`MAX_SKEW`] window (after that the time check
/// refuses the request anyway), and when [`REPLAY_CAPACITY`] live entries are held new requests
/// are refused rather than old IDs forgotten.
#[derive(Debug, Default)]
pub struct ReplayCache {
    seen: HashMap<String, DateTime<Utc>>,
    order: VecDeque<(DateTime<Utc>, String)>,
}

impl ReplayCache {
    /// Records `req`'s ID; refused when it was seen before or the cache is full.
    pub fn remember(&mut self, req: &CheckedRequest, now: DateTime<Utc>) -> Result<(), Refused> {
        while let Some((expires, _)) = self.order.front() {
            if *expires > now {
                break;
            }
            if let Some((_, id)) = self.order.pop_front() {
                self.seen.remove(&id);
            }
        }
        if self.seen.contains_key(&req.id) {
            return Err(Refused::denied(
                "this login request was already used (a replayed request): start again from Salesforce's login page",
            ));
        }
        if self.seen.len() >= REPLAY_CAPACITY {
            return Err(Refused::denied(
                "too many login requests in the last minutes: wait a few minutes and start again",
            ));
        }
        // Kept until the time check would refuse it anyway.
        let expires = req.issue_instant.max(now) + MAX_SKEW;
        self.seen.insert(req.id.clone(), expires);
        // Entries are expired from the front: keep the queue sorted by expiry.
        let at = self.order.partition_point(|(e, _)| *e <= expires);
        self.order.insert(at, (expires, req.id.clone()));
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.seen.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(id: &str, at: DateTime<Utc>) -> CheckedRequest {
        CheckedRequest {
            id: id.into(),
            acs_url: None,
            issue_instant: at,
        }
    }

    #[test]
    fn replays_are_refused_and_entries_expire() {
        let t0 = Utc::now();
        let mut cache = ReplayCache::default();
        cache.remember(&req("_a", t0), t0).unwrap();
        let again = cache.remember(&req("_a", t0), t0 + Duration::seconds(30));
        assert!(again.unwrap_err().detail.contains("already used"));
        let later = t0 + MAX_SKEW + Duration::seconds(1);
        cache.remember(&req("_b", later), later).unwrap();
        assert_eq!(cache.len(), 1, "the expired entry went");
    }

    #[test]
    fn the_cache_is_bounded() {
        let t0 = Utc::now();
        let mut cache = ReplayCache::default();
        for i in 0..REPLAY_CAPACITY {
            cache.remember(&req(&format!("_{i}"), t0), t0).unwrap();
        }
        assert!(cache.remember(&req("_new", t0), t0).is_err());
        let later = t0 + MAX_SKEW + Duration::seconds(1);
        assert!(cache.remember(&req("_new", later), later).is_ok());
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn destination_must_be_this_endpoint() {
        assert!(is_this_endpoint(
            "http://127.0.0.1:8766/saml2/acme",
            8766,
            "acme"
        ));
        assert!(is_this_endpoint(
            "http://localhost:8766/saml2/acme/",
            8766,
            "acme"
        ));
        assert!(!is_this_endpoint(
            "http://127.0.0.1:8767/saml2/acme",
            8766,
            "acme"
        ));
        assert!(!is_this_endpoint(
            "http://127.0.0.1:8766/saml2/other",
            8766,
            "acme"
        ));
        assert!(!is_this_endpoint(
            "https://idp.example.com/saml2/acme",
            8766,
            "acme"
        ));
    }
}
