//! X.509 certificates as an admin needs to see them: subject, issuer, serial, validity, SHA-256
//! fingerprint (lowercase hex), key type and size, expired, days left. Time comes from the caller.

use chrono::{DateTime, Utc};
use openssl::x509::X509;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertError {
    #[error("The certificate in {element} is not valid base64: {detail}.")]
    Base64 { element: String, detail: String },
    #[error("The certificate in {element} is not a DER X.509 certificate: {detail}.")]
    Der { element: String, detail: String },
    #[error("The file is not a certificate: expected PEM (-----BEGIN CERTIFICATE-----) or DER (.cer/.crt). {detail}")]
    NotCertificate { detail: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct KeyInfo {
    /// "RSA", "EC", …
    #[serde(rename = "type")]
    pub kind: String,
    pub bits: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CertInfo {
    pub subject: String,
    pub issuer: String,
    /// Serial number in uppercase hex.
    pub serial: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    /// SHA-256 of the DER, lowercase hex without separators.
    pub sha256: String,
    pub key: KeyInfo,
    pub expired: bool,
    /// Whole days until not_after (negative once expired).
    pub days_left: i32,
}

fn name(n: &openssl::x509::X509NameRef) -> String {
    n.entries()
        .map(|e| {
            let key = e.object().nid().short_name().unwrap_or("?");
            let value = e.data().to_string().unwrap_or_default();
            format!("{key}={value}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn asn1_to_utc(t: &openssl::asn1::Asn1TimeRef) -> DateTime<Utc> {
    // Difference from the Unix epoch, computed by OpenSSL itself.
    let epoch = openssl::asn1::Asn1Time::from_unix(0).ok();
    let diff = epoch.as_ref().and_then(|e| e.diff(t).ok());
    match diff {
        Some(d) => {
            DateTime::<Utc>::from_timestamp(i64::from(d.days) * 86_400 + i64::from(d.secs), 0)
                .unwrap_or_default()
        }
        None => DateTime::<Utc>::default(),
    }
}

pub fn sha256_hex(der: &[u8]) -> String {
    openssl::sha::sha256(der)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Facts about a DER certificate at time `now`.
pub fn inspect_der(der: &[u8], element: &str, now: DateTime<Utc>) -> Result<CertInfo, CertError> {
    let cert = X509::from_der(der).map_err(|e| CertError::Der {
        element: element.into(),
        detail: first_line(&e.to_string()),
    })?;
    let key = cert.public_key().map_err(|e| CertError::Der {
        element: element.into(),
        detail: e.to_string(),
    })?;
    let kind = match key.id() {
        openssl::pkey::Id::RSA => "RSA",
        openssl::pkey::Id::EC => "EC",
        openssl::pkey::Id::DSA => "DSA",
        openssl::pkey::Id::ED25519 => "Ed25519",
        _ => "other",
    };
    let serial = cert
        .serial_number()
        .to_bn()
        .and_then(|b| b.to_hex_str().map(|s| s.to_string()))
        .unwrap_or_default();
    let not_before = asn1_to_utc(cert.not_before());
    let not_after = asn1_to_utc(cert.not_after());
    let days_left = (not_after - now).num_days();
    Ok(CertInfo {
        subject: name(cert.subject_name()),
        issuer: name(cert.issuer_name()),
        serial,
        not_before,
        not_after,
        sha256: sha256_hex(der),
        key: KeyInfo {
            kind: kind.into(),
            bits: key.bits(),
        },
        expired: now >= not_after,
        days_left: i32::try_from(days_left).unwrap_or(if days_left < 0 {
            i32::MIN
        } else {
            i32::MAX
        }),
    })
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").to_owned()
}

/// The base64 text of a ds:X509Certificate element → DER.
pub fn der_from_base64(text: &str, element: &str) -> Result<Vec<u8>, CertError> {
    use base64::Engine;
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .map_err(|e| CertError::Base64 {
            element: element.into(),
            detail: e.to_string(),
        })
}

/// A certificate file (.crt/.pem/.cer): PEM or DER → DER.
pub fn der_from_file(bytes: &[u8]) -> Result<Vec<u8>, CertError> {
    if bytes.len() > 64 * 1024 {
        return Err(CertError::NotCertificate {
            detail: format!("It is {} bytes; a certificate is a few KB.", bytes.len()),
        });
    }
    let text = String::from_utf8_lossy(bytes);
    if text.contains("-----BEGIN") {
        if text.contains("PRIVATE KEY-----") {
            return Err(CertError::NotCertificate { detail: "This file holds a private key: never share it. Pick the certificate (.crt) instead.".into() });
        }
        let cert = X509::from_pem(bytes).map_err(|e| CertError::NotCertificate {
            detail: first_line(&e.to_string()),
        })?;
        return cert.to_der().map_err(|e| CertError::NotCertificate {
            detail: e.to_string(),
        });
    }
    X509::from_der(bytes)
        .map_err(|e| CertError::NotCertificate {
            detail: first_line(&e.to_string()),
        })
        .and_then(|c| {
            c.to_der().map_err(|e| CertError::NotCertificate {
                detail: e.to_string(),
            })
        })
}

/// PEM text for a DER certificate (what certificate.pem holds).
pub fn pem_from_der(der: &[u8]) -> Result<String, CertError> {
    let cert = X509::from_der(der).map_err(|e| CertError::Der {
        element: "certificate".into(),
        detail: e.to_string(),
    })?;
    cert.to_pem()
        .map(|p| String::from_utf8_lossy(&p).into_owned())
        .map_err(|e| CertError::Der {
            element: "certificate".into(),
            detail: e.to_string(),
        })
}
