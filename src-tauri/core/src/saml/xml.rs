//! Escaping for the few XML documents Lanyard writes itself (responses, IdP metadata).

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// A SAML dateTime in UTC (`2026-11-28T14:20:00Z`).
pub fn saml_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A fresh XML ID (must not start with a digit).
pub fn new_id() -> String {
    format!("_{}", uuid::Uuid::new_v4().simple())
}
