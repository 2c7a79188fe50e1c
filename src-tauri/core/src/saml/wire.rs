//! The SAML wire codecs the loopback IdP and the decoder share: query parameters, one URL
//! decoding, base64 as browsers and forms mangle it, and one bounded inflate.

use super::input::MAX_XML_BYTES;
use base64::Engine;
use std::io::Read;

/// A query or form parameter exactly as received (still URL-encoded).
pub fn param<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query.split('&').find_map(|kv| {
        kv.split_once('=')
            .filter(|(k, _)| *k == name)
            .map(|(_, v)| v)
    })
}

/// `application/x-www-form-urlencoded` decoding: `%XX` and `+` for a space. A `%` not followed
/// by two hex digits stays as it is; bytes that are not UTF-8 become U+FFFD.
pub fn url_decode(s: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Base64 as it arrives: a `+` that form decoding turned into a space is put back, line breaks
/// and other whitespace go.
pub fn base64_lenient(s: &str) -> Result<Vec<u8>, base64::DecodeError> {
    let compact: String = s
        .replace(' ', "+")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD.decode(compact)
}

/// Raw DEFLATE (the HTTP-Redirect binding), at most [`MAX_XML_BYTES`] out.
pub fn inflate_bounded(data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(data)
        .take(MAX_XML_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .ok()?;
    (out.len() <= MAX_XML_BYTES).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_decoding_is_form_decoding() {
        assert_eq!(url_decode("%2Fhome+page%"), "/home page%");
        assert_eq!(url_decode("%zz%4"), "%zz%4");
        assert_eq!(url_decode("%\u{20ac}"), "%\u{20ac}");
        assert_eq!(param("a=1&b=2", "b"), Some("2"));
        assert_eq!(param("a=1&b=2", "c"), None);
        assert_eq!(base64_lenient(" +\n8=").ok(), Some(vec![0xfb, 0xef]));
    }
}
