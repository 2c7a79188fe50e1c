//! Hardened intake for XML an admin hands us (metadata files, pasted XML): a size limit, BOM-aware
//! decoding (UTF-8, UTF-16 LE/BE), DOCTYPE and entity declarations refused before any parser sees
//! them, and the one repair Salesforce copies need: an unescaped `&` in an attribute value.

use roxmltree::{Document, ParsingOptions};

/// The largest XML document accepted.
pub const MAX_XML_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("The file is {size} bytes; SAML metadata is at most {MAX_XML_BYTES} bytes (1 MiB). Check that you picked the metadata file.")]
    TooLarge { size: usize },
    #[error("The input is empty: paste the metadata XML or choose the file Salesforce gave you.")]
    Empty,
    #[error("This is not XML (it starts with {start:?}). Salesforce's SP metadata is an XML file that starts with <?xml or <md:EntityDescriptor.")]
    NotXml { start: String },
    #[error("The text is not valid {encoding}. Save the metadata as UTF-8 and try again.")]
    BadEncoding { encoding: &'static str },
    #[error("The XML contains a DOCTYPE or entity declaration, which Lanyard refuses for safety (XML external entity attacks). Metadata from Salesforce has none: download it again.")]
    Dtd,
    #[error("The XML is not well-formed: {detail}. Nothing was saved.")]
    Malformed { detail: String },
}

/// Decoded text plus what was repaired on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intake {
    pub text: String,
    pub repaired_ampersands: usize,
}

/// Bytes → text: BOM-aware, size-limited, DTD-free, with bare `&` repaired.
pub fn intake(bytes: &[u8]) -> Result<Intake, InputError> {
    if bytes.len() > MAX_XML_BYTES {
        return Err(InputError::TooLarge { size: bytes.len() });
    }
    let text = decode(bytes)?;
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if trimmed.is_empty() {
        return Err(InputError::Empty);
    }
    if !trimmed.starts_with('<') {
        return Err(InputError::NotXml {
            start: trimmed.chars().take(20).collect(),
        });
    }
    if has_dtd(trimmed) {
        return Err(InputError::Dtd);
    }
    let (text, repaired_ampersands) = repair_ampersands(trimmed);
    Ok(Intake {
        text,
        repaired_ampersands,
    })
}

fn decode(bytes: &[u8]) -> Result<String, InputError> {
    let utf16 = |data: &[u8], le: bool| -> Result<String, InputError> {
        if !data.len().is_multiple_of(2) {
            return Err(InputError::BadEncoding { encoding: "UTF-16" });
        }
        let units = data.chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|_| InputError::BadEncoding { encoding: "UTF-16" })
    };
    match bytes {
        [0xFF, 0xFE, rest @ ..] => utf16(rest, true),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, false),
        [0xEF, 0xBB, 0xBF, rest @ ..] => std::str::from_utf8(rest)
            .map(str::to_owned)
            .map_err(|_| InputError::BadEncoding { encoding: "UTF-8" }),
        // UTF-16 without a BOM: '<' followed by a NUL (LE) or the reverse (BE).
        [b'<', 0, ..] => utf16(bytes, true),
        [0, b'<', ..] => utf16(bytes, false),
        _ => std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| InputError::BadEncoding { encoding: "UTF-8" }),
    }
}

fn has_dtd(text: &str) -> bool {
    let upper = text.to_ascii_uppercase();
    upper.contains("<!DOCTYPE") || upper.contains("<!ENTITY")
}

/// Replaces each `&` that does not start a character or predefined entity reference with
/// `&amp;` (a Login URL copied as `…?so=00D…&sc=…` into an attribute).
fn repair_ampersands(text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut repaired = 0;
    let mut rest = text;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        if is_reference(after) {
            out.push('&');
        } else {
            out.push_str("&amp;");
            repaired += 1;
        }
        rest = after;
    }
    out.push_str(rest);
    (out, repaired)
}

fn is_reference(after: &str) -> bool {
    let Some(end) = after.find(';').filter(|&e| e <= 10) else {
        return false;
    };
    let name = &after[..end];
    matches!(name, "amp" | "lt" | "gt" | "quot" | "apos")
        || name
            .strip_prefix("#x")
            .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()))
        || name
            .strip_prefix('#')
            .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
}

/// Parses intake text with DTDs refused and a node limit.
pub fn parse(text: &str) -> Result<Document<'_>, InputError> {
    let opts = ParsingOptions {
        allow_dtd: false,
        nodes_limit: 200_000,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, opts).map_err(|e| match e {
        roxmltree::Error::DtdDetected => InputError::Dtd,
        other => InputError::Malformed {
            detail: other.to_string(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_with_bom_is_read() {
        let xml = "<a x=\"é\"/>";
        let mut le = vec![0xFF, 0xFE];
        le.extend(xml.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(intake(&le).unwrap().text, xml);
        let mut be = vec![0xFE, 0xFF];
        be.extend(xml.encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(intake(&be).unwrap().text, xml);
        let mut bom8 = vec![0xEF, 0xBB, 0xBF];
        bom8.extend_from_slice(xml.as_bytes());
        assert_eq!(intake(&bom8).unwrap().text, xml);
    }

    #[test]
    fn refusals_say_what_is_wrong() {
        assert!(matches!(
            intake(&vec![b' '; MAX_XML_BYTES + 1]),
            Err(InputError::TooLarge { .. })
        ));
        assert_eq!(intake(b"  \n"), Err(InputError::Empty));
        assert!(matches!(
            intake(b"{\"json\": true}"),
            Err(InputError::NotXml { .. })
        ));
        assert_eq!(
            intake(b"<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"),
            Err(InputError::Dtd)
        );
        assert_eq!(
            intake(b"<x/><!doctype y>"),
            Err(InputError::Dtd),
            "case-insensitive, anywhere"
        );
        assert!(matches!(
            intake(&[0xC3, 0x28]),
            Err(InputError::NotXml { .. }) | Err(InputError::BadEncoding { .. })
        ));
        assert!(matches!(
            intake(b"<\xC3\x28/>"),
            Err(InputError::BadEncoding { encoding: "UTF-8" })
        ));
    }

    #[test]
    fn bare_ampersands_are_repaired_and_counted() {
        let got = intake(b"<a href=\"https://x?so=00D&sc=1&amp;ok=1&#38;&#x26;\"/>").unwrap();
        assert_eq!(
            got.text,
            "<a href=\"https://x?so=00D&amp;sc=1&amp;ok=1&#38;&#x26;\"/>"
        );
        assert_eq!(got.repaired_ampersands, 1);
        assert!(parse(&got.text).is_ok());
    }
}
