//! Mutation fuzzing of the metadata parser and the SAML decoder: no panic and no hang on any
//! input. Runs for LANYARD_FUZZ_SECS seconds (default 3; set it to 300 for a long run), seeded by
//! LANYARD_FUZZ_SEED (default 1), and prints how many inputs it tried.

use chrono::Utc;
use lanyard_core::saml::decode::{decode, Expected};
use lanyard_core::saml::metadata::parse_sp_metadata;
use std::time::{Duration, Instant};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TOKENS: &[&str] = &[
    "<",
    ">",
    "/>",
    "&",
    "&amp;",
    "&#x",
    "\"",
    "'",
    "=",
    "<!DOCTYPE x>",
    "<!ENTITY",
    "]]>",
    "<![CDATA[",
    "%",
    "%3C",
    "+",
    "/",
    "==",
    "SAMLResponse=",
    "SAMLRequest=",
    "?",
    "https://",
    "\u{0}",
    "\u{feff}",
    "\u{fffd}",
    "md:",
    "ds:",
    "saml:",
    "<md:EntityDescriptor entityID=\"x\">",
    "</md:EntityDescriptor>",
    "<md:SPSSODescriptor>",
    "<ds:X509Certificate>",
    "AAAA",
    "////",
    "xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\"",
];

fn seeds() -> Vec<Vec<u8>> {
    let meta = r#"<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://acme.my.salesforce.com" validUntil="2030-01-01T00:00:00Z"><md:SPSSODescriptor AuthnRequestsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>MIIBszCCAVmgAwIBAgIU</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat><md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://acme.my.salesforce.com?so=00D&sc=1" index="0" isDefault="true"/></md:SPSSODescriptor></md:EntityDescriptor>"#;
    let response = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r" Destination="https://a?so=1"><saml:Issuer>urn:x</saml:Issuer><saml:Assertion ID="_a"><saml:Subject><saml:NameID>a@b.c</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData Recipient="r" NotOnOrAfter="2030-01-01T00:00:00Z"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="2020-01-01T00:00:00Z" NotOnOrAfter="2030-01-01T00:00:00Z"><saml:AudienceRestriction><saml:Audience>x</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AttributeStatement><saml:Attribute Name="n"><saml:AttributeValue>v</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>"#;
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(response);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(meta.encode_utf16().flat_map(|u| u.to_le_bytes()));
    vec![
        meta.as_bytes().to_vec(),
        response.as_bytes().to_vec(),
        b64.as_bytes().to_vec(),
        format!("SAMLResponse={}&RelayState=%2F", b64.replace('+', "%2B")).into_bytes(),
        format!("https://idp/saml2/a?SAMLRequest={b64}&SigAlg=x&Signature=y").into_bytes(),
        utf16,
    ]
}

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..=rng.below(4) {
        match rng.below(6) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] = rng.next() as u8;
            }
            1 => {
                let i = rng.below(v.len() + 1);
                let t = TOKENS[rng.below(TOKENS.len())];
                v.splice(i..i, t.bytes());
            }
            2 if !v.is_empty() => {
                let a = rng.below(v.len());
                let b = (a + rng.below(64)).min(v.len());
                v.drain(a..b);
            }
            3 if !v.is_empty() => {
                let a = rng.below(v.len());
                let b = (a + rng.below(256)).min(v.len());
                let chunk = v[a..b].to_vec();
                let at = rng.below(v.len() + 1);
                v.splice(at..at, chunk);
            }
            4 => v.truncate(rng.below(v.len() + 1)),
            _ => {
                let depth = rng.below(40);
                let mut nested = "<a>".repeat(depth).into_bytes();
                nested.extend_from_slice(&v);
                v = nested;
            }
        }
    }
    v
}

#[test]
fn metadata_parser_and_decoder_never_panic_or_hang() {
    let secs: u64 = std::env::var("LANYARD_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let seed: u64 = std::env::var("LANYARD_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let mut rng = Rng(seed.max(1));
    let seeds = seeds();
    let deadline = Instant::now() + Duration::from_secs(secs);
    let now = Utc::now();
    let expected = Expected::default();
    let (mut runs, mut accepted, mut slowest) = (0u64, 0u64, Duration::ZERO);
    while Instant::now() < deadline {
        let pick = rng.below(seeds.len());
        let input = mutate(&mut rng, &seeds[pick]);
        let t = Instant::now();
        if parse_sp_metadata(&input, None, now, None).is_ok() {
            accepted += 1;
        }
        let text = String::from_utf8_lossy(&input);
        let _ = decode(&text, &expected, now);
        let took = t.elapsed();
        slowest = slowest.max(took);
        assert!(
            took < Duration::from_secs(2),
            "an input took {took:?}: {text:.200}"
        );
        runs += 1;
    }
    println!("fuzz: {runs} inputs in {secs} s (seed {seed}), {accepted} parsed as metadata, slowest {slowest:?}");
    assert!(runs > 100, "the loop ran ({runs} inputs)");
}
