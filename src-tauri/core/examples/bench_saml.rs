//! SAML benchmark: prints figures for signing one response, parsing a 10 KB metadata file, and
//! refusing a 20 MB file (time and peak memory growth). Run:
//!   cargo run --release -p lanyard-core --example bench_saml
//! Goals (issue 4): sign < 5 ms, parse < 1 ms, refuse 20 MB < 50 ms with bounded memory.

use chrono::Utc;
use lanyard_core::saml::keys::{generate, KeyRequest};
use lanyard_core::saml::metadata::parse_sp_metadata;
use lanyard_core::saml::response::{signed_response, ResponseInput, ResponseSettings};
use std::time::Instant;

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn metadata_10k(cert_b64: &str) -> String {
    let mut extra = String::new();
    let mut i = 0;
    let head = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://acme.my.salesforce.com" validUntil="2036-01-01T00:00:00Z"><md:SPSSODescriptor AuthnRequestsSigned="true" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>{cert_b64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>"#
    );
    while head.len() + extra.len() < 10_000 {
        extra.push_str(&format!(r#"<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://acme.my.salesforce.com?so=00D000000000001&amp;sc=0LE{i:012}" index="{i}"/>"#));
        i += 1;
    }
    format!("{head}{extra}</md:SPSSODescriptor></md:EntityDescriptor>")
}

fn main() {
    let now = Utc::now();
    let key = generate(
        &KeyRequest {
            bits: 2048,
            common_name: "bench".into(),
            organization: None,
            valid_days: 365,
        },
        now,
    )
    .expect("key");
    let key_pem = key.key_pem().expect("pem");
    let cert_der = key.cert_der().expect("der");
    let settings = ResponseSettings::default();
    let input = ResponseInput {
        idp_entity_id: "urn:lanyard:idp:bench",
        acs_url: "https://acme.my.salesforce.com?so=00D000000000001",
        sp_entity_id: "https://acme.my.salesforce.com",
        name_id: "ada@acme.example.com",
        in_response_to: None,
        attributes: &[],
        now,
    };
    let mut sign = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        let xml = signed_response(&input, &settings, &key_pem, &cert_der).expect("sign");
        sign.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(xml.contains("SignatureValue"));
    }
    println!("sign one response (assertion + response, RSA-2048, SHA-256): median {:.3} ms over 200 (goal < 5 ms)", median(sign));

    use base64::Engine;
    let meta = metadata_10k(&base64::engine::general_purpose::STANDARD.encode(&cert_der));
    let mut parse = Vec::new();
    for _ in 0..500 {
        let t = Instant::now();
        let m = parse_sp_metadata(meta.as_bytes(), None, now, None).expect("parse");
        parse.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(!m.acs.is_empty());
    }
    println!(
        "parse a {} byte metadata file: median {:.3} ms over 500 (goal < 1 ms)",
        meta.len(),
        median(parse)
    );

    let big = vec![b'<'; 20 * 1024 * 1024];
    let before = peak_rss_kib();
    let mut refuse = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let err = parse_sp_metadata(&big, None, now, None).expect_err("refused");
        refuse.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(err.to_string().contains("1 MiB"));
    }
    let after = peak_rss_kib();
    println!(
        "refuse 20 MiB already in memory: median {:.2} µs over 20 (goal < 50 ms); peak RSS grew {} KiB while refusing",
        median(refuse) * 1000.0,
        after.saturating_sub(before)
    );
    drop(big);

    // The CLI and the app refuse a file by its size before reading it (bounded memory).
    let dir = std::env::temp_dir().join(format!("lanyard-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("big.xml");
    std::fs::write(&path, vec![b'<'; 20 * 1024 * 1024]).expect("write");
    let before = peak_rss_kib();
    let mut from_disk = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let size = std::fs::metadata(&path).expect("stat").len() as usize;
        let refused = size > lanyard_core::saml::input::MAX_XML_BYTES;
        from_disk.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(refused);
    }
    println!(
        "refuse a 20 MiB file on disk (size check before reading, as the CLI and app do): median {:.2} µs over 20; peak RSS grew {} KiB",
        median(from_disk) * 1000.0,
        peak_rss_kib().saturating_sub(before)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
