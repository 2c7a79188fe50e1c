//! SAML 2.0 identity-provider engine: hardened metadata and certificate intake, IdP keys,
//! signed responses (through samael/xmlsec), IdP metadata, and the decoder.

pub mod binding;
pub mod cert;
pub mod error;
pub mod idp_metadata;
pub mod input;
pub mod keys;
pub mod metadata;
pub mod response;
pub mod service;
pub mod store;
pub mod wire;
pub mod xml;

/// Salesforce usernames look like email addresses: one @, a dotted domain, no spaces.
pub fn looks_like_username(s: &str) -> bool {
    let mut parts = s.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, ',' | ';' | '<' | '>' | '(' | ')' | '"'))
        && s.len() <= 80
}
pub mod approval;
pub mod audit;
pub mod authn_request;
pub mod authorized;
pub mod decode;
pub mod loopback;
pub mod pages;
pub mod repoint;
pub mod settings;
pub mod test_login;
