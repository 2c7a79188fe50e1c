//! Hardened intake for every XML document that reaches a parser (metadata files, pasted XML, the
//! decoder's input, AuthnRequests arriving at the loopback IdP): one rule in one place.
//!
//! In order: a size limit; files that are not text at all recognised by their magic bytes (a PNG
//! dropped by mistake is "not an XML file (it looks like a PNG image)"); BOM-aware decoding
//! (UTF-8, UTF-16 LE/BE); an XML declaration naming any encoding other than UTF-8 or UTF-16
//! refused (libxml2 honours the declaration, so a UTF-7 document would hide its DOCTYPE from
//! the check below); DOCTYPE and entity declarations refused; and the one repair Salesforce
//! copies need: an unescaped `&` in an attribute value.

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
    #[error(
        "This is not an XML file (it looks like {kind}). Choose the XML file Salesforce gave you."
    )]
    NotText { kind: &'static str },
    #[error("The XML declaration names the encoding {name:?}; Lanyard reads only UTF-8 and UTF-16 (other encodings can hide a DOCTYPE from its checks). Save the document as UTF-8 and try again.")]
    Encoding { name: String },
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
    if let Some(kind) = sniff_binary(bytes) {
        return Err(InputError::NotText { kind });
    }
    let (text, utf16) = decode(bytes)?;
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if trimmed.is_empty() {
        return Err(InputError::Empty);
    }
    if !trimmed.starts_with('<') {
        return Err(InputError::NotXml {
            start: trimmed.chars().take(20).collect(),
        });
    }
    let trimmed = check_declaration(trimmed, utf16)?;
    if has_dtd(trimmed) {
        return Err(InputError::Dtd);
    }
    let (text, repaired_ampersands) = repair_ampersands(trimmed);
    Ok(Intake {
        text,
        repaired_ampersands,
    })
}

/// Files that are not text, by their first bytes.
pub(crate) fn sniff_binary(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (b"%PDF-", "a PDF document"),
        (b"PK\x03\x04", "a ZIP archive or an Office document"),
        (b"PK\x05\x06", "a ZIP archive or an Office document"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"BZh", "a bzip2 archive"),
        (b"\xFD7zXZ\x00", "an xz archive"),
        (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
        (b"\x7FELF", "a program (ELF executable)"),
        (b"MZ", "a Windows program"),
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            "an old Office document",
        ),
        (b"\x30\x82", "a DER certificate or key (binary ASN.1)"),
    ];
    if let Some((_, kind)) = MAGIC.iter().find(|(m, _)| bytes.starts_with(m)) {
        return Some(kind);
    }
    if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        return Some("a WebP image");
    }
    None
}

/// The encodings an XML declaration may name: what [`decode`] reads.
fn encoding_allowed(name: &str) -> bool {
    matches!(
        name.to_ascii_uppercase().as_str(),
        "UTF-8" | "UTF8" | "UTF-16" | "UTF16" | "UTF-16LE" | "UTF-16BE"
    )
}

/// Refuses a declaration that names another encoding (UTF-7, say). A UTF-16 document is text
/// by now: its declaration is dropped so no later parser reads the UTF-8 text as UTF-16.
fn check_declaration(text: &str, was_utf16: bool) -> Result<&str, InputError> {
    let Some(after) = text.strip_prefix("<?xml") else {
        return Ok(text);
    };
    if !after.starts_with(|c: char| c.is_ascii_whitespace() || c == '?') {
        return Ok(text); // a processing instruction such as <?xml-stylesheet …?>
    }
    let Some(end) = after.find("?>") else {
        return Err(InputError::Malformed {
            detail: "the XML declaration is not closed with ?>".into(),
        });
    };
    let decl = &after[..end];
    if let Some(at) = decl.find("encoding") {
        let rest = decl[at + "encoding".len()..].trim_start();
        let value = rest.strip_prefix('=').map(str::trim_start).and_then(|v| {
            let quote = v.chars().next().filter(|q| *q == '"' || *q == '\'')?;
            let v = &v[1..];
            v.find(quote).map(|e| &v[..e])
        });
        match value {
            Some(name) if encoding_allowed(name) => {}
            Some(name) => {
                return Err(InputError::Encoding {
                    name: name.chars().take(40).collect(),
                })
            }
            None => {
                return Err(InputError::Encoding {
                    name: rest.chars().take(40).collect(),
                })
            }
        }
    }
    if was_utf16 {
        return Ok(after[end + 2..].trim_start());
    }
    Ok(text)
}

/// The text, and whether it was UTF-16.
fn decode(bytes: &[u8]) -> Result<(String, bool), InputError> {
    let utf8 = |data: &[u8]| {
        std::str::from_utf8(data)
            .map(|s| (s.to_owned(), false))
            .map_err(|_| InputError::BadEncoding { encoding: "UTF-8" })
    };
    let utf16 = |data: &[u8], le: bool| -> Result<(String, bool), InputError> {
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
            .map(|s| (s, true))
            .map_err(|_| InputError::BadEncoding { encoding: "UTF-16" })
    };
    match bytes {
        [0xFF, 0xFE, rest @ ..] => utf16(rest, true),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, false),
        [0xEF, 0xBB, 0xBF, rest @ ..] => utf8(rest),
        // UTF-16 without a BOM: '<' followed by a NUL (LE) or the reverse (BE).
        [b'<', 0, ..] => utf16(bytes, true),
        [0, b'<', ..] => utf16(bytes, false),
        _ => utf8(bytes),
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
    fn a_utf7_document_cannot_hide_its_doctype() {
        // "<!DOCTYPE" in UTF-7 is "+ADw-!DOCTYPE": no "<!DOCTYPE" in the bytes, but libxml2
        // would decode the declaration's encoding and see one.
        let utf7 = b"<?xml version=\"1.0\" encoding=\"UTF-7\"?>+ADw-!DOCTYPE x +AFs-+ADw-!ENTITY e SYSTEM +ACI-file:///etc/passwd+ACI-+AD4-+AF0-+AD4-+ADw-x+AD4-+ACY-e+ADs-+ADw-/x+AD4-";
        assert_eq!(
            intake(utf7),
            Err(InputError::Encoding {
                name: "UTF-7".into()
            })
        );
        for decl in [
            "<?xml version='1.0' encoding='utf-7'?><a/>",
            "<?xml version=\"1.0\" encoding = \"ISO-8859-1\" ?><a/>",
            "<?xml version=\"1.0\" encoding=UTF-7?><a/>",
            "<?xml encoding=\"EBCDIC-US\"?><a/>",
        ] {
            assert!(
                matches!(intake(decl.as_bytes()), Err(InputError::Encoding { .. })),
                "{decl}"
            );
        }
        for fine in [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/>",
            "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?><a/>",
            "<?xml version=\"1.0\"?><a/>",
            "<?xml-stylesheet href=\"x\"?><a/>",
        ] {
            assert!(intake(fine.as_bytes()).is_ok(), "{fine}");
        }
        let decl16 = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>";
        let mut le = vec![0xFF, 0xFE];
        le.extend(decl16.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(
            intake(&le).unwrap().text,
            "<a/>",
            "a UTF-16 document is UTF-8 text now: its declaration goes"
        );
    }

    #[test]
    fn files_that_are_not_text_are_named() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01";
        let err = intake(png).unwrap_err();
        assert_eq!(
            err,
            InputError::NotText {
                kind: "a PNG image"
            }
        );
        assert!(
            err.to_string()
                .contains("not an XML file (it looks like a PNG image)"),
            "{err}"
        );
        for (bytes, kind) in [
            (&b"\xFF\xD8\xFF\xE0\0\x10JFIF"[..], "JPEG"),
            (b"GIF89a\x01\0", "GIF"),
            (b"%PDF-1.7\n", "PDF"),
            (b"PK\x03\x04\x14\0", "ZIP"),
            (b"\x1F\x8B\x08\0", "gzip"),
        ] {
            let err = intake(bytes).unwrap_err().to_string();
            assert!(err.contains(kind), "{kind}: {err}");
        }
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
