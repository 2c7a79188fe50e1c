//! Small helpers over roxmltree (which refuses DTDs) for reading SAML messages.

use roxmltree::{Document, Node, ParsingOptions};

pub const SAMLP: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
pub const SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
pub const MD: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
pub const DS: &str = "http://www.w3.org/2000/09/xmldsig#";

/// Parses with DTDs refused and a node limit.
pub fn parse(text: &str) -> Result<Document<'_>, String> {
    let opts = ParsingOptions {
        allow_dtd: false,
        nodes_limit: 100_000,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, opts).map_err(|e| e.to_string())
}

pub fn child<'a, 'i>(node: Node<'a, 'i>, ns: &str, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| {
        c.is_element() && c.tag_name().name() == name && c.tag_name().namespace() == Some(ns)
    })
}

pub fn descendant<'a, 'i>(node: Node<'a, 'i>, ns: &str, name: &str) -> Option<Node<'a, 'i>> {
    node.descendants().find(|c| {
        c.is_element() && c.tag_name().name() == name && c.tag_name().namespace() == Some(ns)
    })
}

pub fn text(node: Option<Node<'_, '_>>) -> Option<String> {
    node.and_then(|n| n.text()).map(|t| t.trim().to_owned())
}

pub fn escape(s: &str) -> String {
    crate::pages::escape(s)
}
