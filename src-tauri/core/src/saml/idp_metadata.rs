//! IdP metadata for Salesforce (or any SP): entityID, SingleSignOnService with HTTP-Redirect and
//! HTTP-POST at the IdP URL, every published signing certificate, and the NameID format.

use super::xml::escape;

pub struct IdpMetadata<'a> {
    pub entity_id: &'a str,
    pub sso_url: &'a str,
    /// Base64 DER of each published certificate (active first, then next / previous).
    pub certs_b64: &'a [String],
    pub name_id_format: &'a str,
}

pub fn render(m: &IdpMetadata<'_>) -> String {
    let keys: String = m
        .certs_b64
        .iter()
        .map(|c| {
            format!(
                "\n    <md:KeyDescriptor use=\"signing\">\n      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>{c}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>\n    </md:KeyDescriptor>"
            )
        })
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{entity}">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">{keys}
    <md:NameIDFormat>{fmt}</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{sso}"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{sso}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
"#,
        entity = escape(m.entity_id),
        fmt = escape(m.name_id_format),
        sso = escape(m.sso_url),
    )
}
