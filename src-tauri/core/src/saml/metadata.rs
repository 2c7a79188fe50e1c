//! Salesforce SP metadata → what Lanyard needs: entity ID, ACS endpoints, certificates, NameID
//! formats, flags and warnings. Input goes through [`super::input`] first (size, encoding, no DTD).

use super::cert::{der_from_base64, inspect_der, CertError, CertInfo};
use super::input::{intake, parse, InputError};
use crate::apps::Environment;
use chrono::{DateTime, Utc};
use roxmltree::Node;
use serde::Serialize;

pub const MD: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
pub const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
pub const HTTP_POST: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetadataError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("This XML is not SAML metadata: its root is <{root}>, not md:EntityDescriptor or md:EntitiesDescriptor.")]
    NotMetadata { root: String },
    #[error("The metadata describes several entities; choose one ({}) with --entity ID or in the list.", .ids.join(", "))]
    SeveralEntities { ids: Vec<String> },
    #[error("No entity {wanted:?} in this metadata; it has: {}.", .ids.join(", "))]
    EntityNotFound { wanted: String, ids: Vec<String> },
    #[error("This is identity-provider (IdP) metadata, not Salesforce's service-provider metadata: download the SP metadata from Salesforce's Single Sign-On Settings (\"Download Metadata\").")]
    IdpMetadata,
    #[error("The metadata has no SPSSODescriptor: it does not describe a service provider.")]
    NoServiceProvider,
    #[error("The metadata has no entityID: it is incomplete.")]
    NoEntityId,
    #[error("The metadata has no AssertionConsumerService: Lanyard would not know where to send users. Download the metadata again from Salesforce, or enter the ACS URL by hand.")]
    NoAcs,
    #[error(transparent)]
    Certificate(#[from] CertError),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AcsEndpoint {
    pub binding: String,
    pub location: String,
    pub index: Option<u32>,
    pub is_default: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SpMetadata {
    pub entity_id: String,
    pub acs: Vec<AcsEndpoint>,
    pub signing_certs: Vec<CertInfo>,
    pub encryption_certs: Vec<CertInfo>,
    pub name_id_formats: Vec<String>,
    pub authn_requests_signed: bool,
    pub want_assertions_signed: bool,
    pub valid_until: Option<String>,
    pub warnings: Vec<String>,
    /// DER of each signing certificate, in the order of `signing_certs`.
    #[serde(skip)]
    #[cfg_attr(feature = "specta", specta(skip))]
    pub signing_certs_der: Vec<Vec<u8>>,
}

/// What the application says about the org, for Salesforce-specific warnings.
#[derive(Debug, Clone)]
pub struct Expectation {
    pub environment: Environment,
    /// The application's login URL (a My Domain when it is one).
    pub login_url: String,
}

fn el<'a, 'i>(
    node: Node<'a, 'i>,
    ns: &str,
    name: &str,
) -> impl Iterator<Item = Node<'a, 'i>> + use<'a, 'i> {
    let ns = ns.to_owned();
    let name = name.to_owned();
    node.children().filter(move |c| {
        c.is_element()
            && c.tag_name().name() == name
            && c.tag_name().namespace() == Some(ns.as_str())
    })
}

fn is(node: Node<'_, '_>, ns: &str, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(ns)
}

fn truthy(v: Option<&str>) -> bool {
    matches!(v.map(str::trim), Some("true") | Some("1"))
}

/// Parses SP metadata. `entity` picks one entity of an EntitiesDescriptor.
pub fn parse_sp_metadata(
    bytes: &[u8],
    entity: Option<&str>,
    now: DateTime<Utc>,
    expect: Option<&Expectation>,
) -> Result<SpMetadata, MetadataError> {
    let input = intake(bytes)?;
    let doc = parse(&input.text)?;
    let root = doc.root_element();
    let descriptor = if is(root, MD, "EntityDescriptor") {
        if let Some(wanted) = entity {
            let id = root.attribute("entityID").unwrap_or("");
            if id != wanted {
                return Err(MetadataError::EntityNotFound {
                    wanted: wanted.into(),
                    ids: vec![id.into()],
                });
            }
        }
        root
    } else if is(root, MD, "EntitiesDescriptor") {
        let all: Vec<Node> = root
            .descendants()
            .filter(|n| is(*n, MD, "EntityDescriptor"))
            .collect();
        let ids: Vec<String> = all
            .iter()
            .map(|n| n.attribute("entityID").unwrap_or("").to_owned())
            .collect();
        match (entity, all.as_slice()) {
            (None, [only]) => *only,
            (None, _) => return Err(MetadataError::SeveralEntities { ids }),
            (Some(wanted), _) => *all
                .iter()
                .find(|n| n.attribute("entityID") == Some(wanted))
                .ok_or_else(|| MetadataError::EntityNotFound {
                    wanted: wanted.into(),
                    ids: ids.clone(),
                })?,
        }
    } else {
        return Err(MetadataError::NotMetadata {
            root: root.tag_name().name().to_owned(),
        });
    };

    let entity_id = descriptor
        .attribute("entityID")
        .map(str::trim)
        .unwrap_or("")
        .to_owned();
    if entity_id.is_empty() {
        return Err(MetadataError::NoEntityId);
    }
    let Some(sp) = el(descriptor, MD, "SPSSODescriptor").next() else {
        if el(descriptor, MD, "IDPSSODescriptor").next().is_some() {
            return Err(MetadataError::IdpMetadata);
        }
        return Err(MetadataError::NoServiceProvider);
    };

    let acs: Vec<AcsEndpoint> = el(sp, MD, "AssertionConsumerService")
        .map(|a| AcsEndpoint {
            binding: a.attribute("Binding").unwrap_or("").to_owned(),
            location: a.attribute("Location").unwrap_or("").trim().to_owned(),
            index: a.attribute("index").and_then(|i| i.trim().parse().ok()),
            is_default: truthy(a.attribute("isDefault")),
        })
        .filter(|a| !a.location.is_empty())
        .collect();
    if acs.is_empty() {
        return Err(MetadataError::NoAcs);
    }

    let mut signing_certs = Vec::new();
    let mut signing_certs_der = Vec::new();
    let mut encryption_certs = Vec::new();
    for (i, kd) in el(sp, MD, "KeyDescriptor").enumerate() {
        let usage = kd.attribute("use").unwrap_or("");
        for cert_node in kd.descendants().filter(|n| is(*n, DS, "X509Certificate")) {
            let element = format!(
                "KeyDescriptor[{}]/X509Certificate (use=\"{}\")",
                i + 1,
                if usage.is_empty() {
                    "signing and encryption"
                } else {
                    usage
                }
            );
            let der = der_from_base64(cert_node.text().unwrap_or(""), &element)?;
            let info = inspect_der(&der, &element, now)?;
            if usage != "encryption" {
                signing_certs.push(info.clone());
                signing_certs_der.push(der);
            }
            if usage != "signing" {
                encryption_certs.push(info);
            }
        }
    }

    let name_id_formats = el(sp, MD, "NameIDFormat")
        .filter_map(|n| n.text())
        .map(|t| t.trim().to_owned())
        .collect();
    let valid_until = descriptor
        .attribute("validUntil")
        .or_else(|| root.attribute("validUntil"))
        .map(str::to_owned);

    let mut warnings = Vec::new();
    if input.repaired_ampersands > 0 {
        warnings.push(format!(
            "{} unescaped '&' repaired (a Login URL pasted into the XML): check that the ACS URL below is right.",
            input.repaired_ampersands
        ));
    }
    for c in signing_certs.iter().chain(encryption_certs.iter()) {
        if c.expired {
            warnings.push(format!("The certificate {} (SHA-256 {}) expired on {}: create a new one in Salesforce's Certificate and Key Management.", c.subject, c.sha256, c.not_after.date_naive()));
        }
    }
    if let Some(vu) = &valid_until {
        if let Ok(t) = DateTime::parse_from_rfc3339(vu) {
            if t.with_timezone(&Utc) <= now {
                warnings.push(format!("The metadata's validUntil ({vu}) has passed: download fresh metadata from Salesforce."));
            }
        }
    }
    let practice = expect.is_some_and(|e| e.environment == Environment::Practice);
    for a in &acs {
        if !a.location.starts_with("https://") && !practice {
            warnings.push(format!(
                "The ACS URL {} is not https: Salesforce login URLs always are.",
                a.location
            ));
        }
    }
    if let Some(e) = expect {
        warnings.extend(salesforce_warnings(&entity_id, &acs, e));
    }
    Ok(SpMetadata {
        entity_id,
        acs,
        signing_certs,
        encryption_certs,
        name_id_formats,
        authn_requests_signed: truthy(sp.attribute("AuthnRequestsSigned")),
        want_assertions_signed: truthy(sp.attribute("WantAssertionsSigned")),
        valid_until,
        warnings,
        signing_certs_der,
    })
}

fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#', ':']).next().unwrap_or("")
}

/// Entity-ID and sandbox checks that follow how Salesforce names things.
fn salesforce_warnings(entity_id: &str, acs: &[AcsEndpoint], e: &Expectation) -> Vec<String> {
    let mut out = Vec::new();
    if e.environment == Environment::Practice {
        return out;
    }
    let my_domain = host(&e.login_url)
        .ends_with(".my.salesforce.com")
        .then(|| host(&e.login_url).to_owned());
    let entity_host = host(entity_id);
    let generic = entity_id == "https://saml.salesforce.com"
        || entity_id.starts_with("https://saml.salesforce.com/");
    match &my_domain {
        Some(d) if !generic && entity_host != d => out.push(format!(
            "The entity ID {entity_id} does not match this application's My Domain ({d}): Salesforce uses https://{d} (or https://saml.salesforce.com)."
        )),
        None if !generic && !entity_host.ends_with(".my.salesforce.com") => out.push(format!(
            "The entity ID {entity_id} does not look like Salesforce's (https://saml.salesforce.com or https://NAME.my.salesforce.com)."
        )),
        _ => {}
    }
    let hosts: Vec<&str> = std::iter::once(entity_host)
        .chain(acs.iter().map(|a| host(&a.location)))
        .collect();
    let looks_sandbox = hosts.iter().any(|h| {
        h.ends_with(".sandbox.my.salesforce.com") || h.contains("--") || *h == "test.salesforce.com"
    });
    match e.environment {
        Environment::Production if looks_sandbox => out.push("This metadata is from a sandbox (a --sandbox or .sandbox.my.salesforce.com domain) but the application is for production.".into()),
        Environment::Sandbox if !looks_sandbox && hosts.iter().any(|h| h.ends_with(".my.salesforce.com")) => {
            out.push("This metadata is from a production org but the application is for a sandbox.".into())
        }
        _ => {}
    }
    out
}

/// Salesforce's own domains: an ACS there belongs to some Salesforce org.
const SALESFORCE_DOMAINS: &[&str] = &["salesforce.com", "force.com", "cloudforce.com"];

fn under(host: &str, domain: &str) -> bool {
    host == domain || host.ends_with(&format!(".{domain}"))
}

/// Why an ACS (Login URL) cannot be where Lanyard posts signed assertions, if it cannot: it must
/// be https (http only on a loopback host, i.e. the practice org) and on the SP entity's domain
/// or a Salesforce domain (`*.salesforce.com`, `*.force.com`, `*.my.salesforce.com`, sandboxes).
pub fn acs_problem(acs: &str, entity_id: &str) -> Option<&'static str> {
    let Ok(url) = url::Url::parse(acs.trim()) else {
        return Some("it is not a URL");
    };
    let host = url.host_str().unwrap_or("").to_ascii_lowercase();
    let loopback = host == "127.0.0.1" || host == "localhost" || host == "[::1]";
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => return Some("it is not https (http is accepted only on 127.0.0.1, for the practice org); Salesforce's Login URLs are https"),
        _ => return Some("it is neither https nor http"),
    }
    if loopback || SALESFORCE_DOMAINS.iter().any(|d| under(&host, d)) {
        return None;
    }
    let entity_host = url::Url::parse(entity_id.trim())
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase));
    match entity_host {
        Some(e) if !e.is_empty() && under(&host, &e) => None,
        _ => Some("it is neither on the SP entity's domain nor on a Salesforce domain (*.salesforce.com, *.force.com): Lanyard would post signed assertions to someone else"),
    }
}

#[cfg(test)]
mod tests {
    use super::acs_problem;

    #[test]
    fn acs_must_be_https_on_the_sp_or_salesforce() {
        let e = "https://acme.my.salesforce.com";
        for ok in [
            "https://acme.my.salesforce.com?so=00D1",
            "https://acme--uat.sandbox.my.salesforce.com?so=00D1&sc=0LE1",
            "https://login.salesforce.com",
            "https://acme.lightning.force.com/",
            "http://127.0.0.1:8080/?so=00D1",
        ] {
            assert_eq!(acs_problem(ok, e), None, "{ok}");
        }
        assert_eq!(
            acs_problem("https://sso.acme.example/acs", "https://acme.example"),
            None
        );
        for bad in [
            "http://acme.my.salesforce.com?so=00D1",
            "https://evil.example.com/?so=00D1",
            "https://salesforce.com.evil.example/",
            "ftp://acme.my.salesforce.com",
            "not a url",
        ] {
            assert!(acs_problem(bad, e).is_some(), "{bad}");
        }
    }
}
