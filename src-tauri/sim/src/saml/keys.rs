//! The practice org's own SAML signing key and self-signed certificate (what Salesforce creates in
//! Certificate and Key Management), made on first start and kept in the state file: this is a
//! simulator's throwaway key, not a secret of the admin's.

use openssl::asn1::Asn1Time;
use openssl::bn::{BigNum, MsbOption};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::x509::{X509Name, X509};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SpKeys {
    pub key_pem: String,
    pub cert_pem: String,
}

impl SpKeys {
    /// An RSA 2048 key and a self-signed certificate valid for one year (Salesforce's default).
    pub fn generate(org_name: &str) -> Result<Self, openssl::error::ErrorStack> {
        let key = PKey::from_rsa(Rsa::generate(2048)?)?;
        let mut name = X509Name::builder()?;
        name.append_entry_by_nid(Nid::COMMONNAME, "SelfSignedCert_practice")?;
        name.append_entry_by_nid(Nid::ORGANIZATIONALUNITNAME, &format!("00D {org_name}"))?;
        name.append_entry_by_nid(Nid::ORGANIZATIONNAME, "Salesforce.com")?;
        name.append_entry_by_nid(Nid::LOCALITYNAME, "San Francisco")?;
        name.append_entry_by_nid(Nid::STATEORPROVINCENAME, "CA")?;
        name.append_entry_by_nid(Nid::COUNTRYNAME, "US")?;
        let name = name.build();
        let mut serial = BigNum::new()?;
        serial.rand(64, MsbOption::MAYBE_ZERO, false)?;
        let mut builder = X509::builder()?;
        builder.set_version(2)?;
        let serial = serial.to_asn1_integer()?;
        builder.set_serial_number(&serial)?;
        builder.set_subject_name(&name)?;
        builder.set_issuer_name(&name)?;
        builder.set_pubkey(&key)?;
        let (not_before, not_after) = (Asn1Time::days_from_now(0)?, Asn1Time::days_from_now(365)?);
        builder.set_not_before(&not_before)?;
        builder.set_not_after(&not_after)?;
        builder.sign(&key, MessageDigest::sha256())?;
        let cert = builder.build();
        Ok(Self {
            key_pem: String::from_utf8_lossy(&key.private_key_to_pem_pkcs8()?).into_owned(),
            cert_pem: String::from_utf8_lossy(&cert.to_pem()?).into_owned(),
        })
    }

    pub fn private_key(&self) -> Result<PKey<Private>, openssl::error::ErrorStack> {
        PKey::private_key_from_pem(self.key_pem.as_bytes())
    }

    /// The certificate's DER as base64 on one line (for ds:X509Certificate).
    pub fn cert_base64(&self) -> String {
        self.cert_pem
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<String>()
    }
}
