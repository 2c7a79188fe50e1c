//! IdP signing keys: RSA 2048 or 3072 made here, the private key stored only in the OS keyring,
//! and a self-signed X.509 certificate (subject and validity chosen by the admin).

use chrono::{DateTime, Utc};
use openssl::asn1::Asn1Time;
use openssl::bn::{BigNum, MsbOption};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::x509::{X509Name, X509};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct KeyRequest {
    /// 2048 or 3072.
    pub bits: u32,
    /// Certificate subject common name, e.g. "Lanyard IdP (salesforce-prod)".
    pub common_name: String,
    /// Optional organization (O=) in the subject.
    pub organization: Option<String>,
    /// Validity in days (1–3650).
    pub valid_days: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("RSA keys of {0} bits are not offered: choose 2048 or 3072.")]
    Bits(u32),
    #[error("The certificate validity must be between 1 and 3650 days, not {0}.")]
    Validity(u32),
    #[error("The certificate subject needs a common name (1 to 64 characters).")]
    CommonName,
    #[error("Creating the key or certificate failed: {0}")]
    Crypto(String),
}

fn crypto(e: openssl::error::ErrorStack) -> KeyError {
    KeyError::Crypto(e.to_string())
}

pub struct NewKey {
    pub key: PKey<Private>,
    pub cert: X509,
}

/// Makes a key and its self-signed certificate, valid from `now`.
pub fn generate(req: &KeyRequest, now: DateTime<Utc>) -> Result<NewKey, KeyError> {
    if req.bits != 2048 && req.bits != 3072 {
        return Err(KeyError::Bits(req.bits));
    }
    if req.valid_days == 0 || req.valid_days > 3650 {
        return Err(KeyError::Validity(req.valid_days));
    }
    let cn = req.common_name.trim();
    if cn.is_empty() || cn.chars().count() > 64 {
        return Err(KeyError::CommonName);
    }
    let key = PKey::from_rsa(Rsa::generate(req.bits).map_err(crypto)?).map_err(crypto)?;
    let mut name = X509Name::builder().map_err(crypto)?;
    name.append_entry_by_nid(Nid::COMMONNAME, cn)
        .map_err(crypto)?;
    if let Some(o) = req
        .organization
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
    {
        name.append_entry_by_nid(Nid::ORGANIZATIONNAME, o)
            .map_err(crypto)?;
    }
    let name = name.build();
    let mut serial = BigNum::new().map_err(crypto)?;
    serial
        .rand(127, MsbOption::MAYBE_ZERO, false)
        .map_err(crypto)?;
    let serial = serial.to_asn1_integer().map_err(crypto)?;
    let start = now.timestamp();
    let not_before = Asn1Time::from_unix(start).map_err(crypto)?;
    let not_after =
        Asn1Time::from_unix(start + i64::from(req.valid_days) * 86_400).map_err(crypto)?;
    let mut b = X509::builder().map_err(crypto)?;
    b.set_version(2).map_err(crypto)?;
    b.set_serial_number(&serial).map_err(crypto)?;
    b.set_subject_name(&name).map_err(crypto)?;
    b.set_issuer_name(&name).map_err(crypto)?;
    b.set_pubkey(&key).map_err(crypto)?;
    b.set_not_before(&not_before).map_err(crypto)?;
    b.set_not_after(&not_after).map_err(crypto)?;
    b.sign(&key, MessageDigest::sha256()).map_err(crypto)?;
    Ok(NewKey {
        key,
        cert: b.build(),
    })
}

impl NewKey {
    pub fn key_pem(&self) -> Result<String, KeyError> {
        self.key
            .private_key_to_pem_pkcs8()
            .map(|p| String::from_utf8_lossy(&p).into_owned())
            .map_err(crypto)
    }

    pub fn cert_pem(&self) -> Result<String, KeyError> {
        self.cert
            .to_pem()
            .map(|p| String::from_utf8_lossy(&p).into_owned())
            .map_err(crypto)
    }

    pub fn cert_der(&self) -> Result<Vec<u8>, KeyError> {
        self.cert.to_der().map_err(crypto)
    }
}
