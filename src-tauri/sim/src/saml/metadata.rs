//! The practice org's SP metadata, shaped like the file Salesforce lets an admin download from
//! Single Sign-On Settings (`SAMLSP-<org id>.xml`).

use super::keys::SpKeys;
use super::xml::escape;

pub fn sp_metadata(entity_id: &str, acs_url: &str, keys: &SpKeys, valid_until: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{entity}" validUntil="{valid}">
   <md:SPSSODescriptor AuthnRequestsSigned="true" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
      <md:KeyDescriptor use="signing">
         <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
            <ds:X509Data>
               <ds:X509Certificate>{cert}</ds:X509Certificate>
            </ds:X509Data>
         </ds:KeyInfo>
      </md:KeyDescriptor>
      <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>
      <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{acs}" index="0" isDefault="true"/>
   </md:SPSSODescriptor>
</md:EntityDescriptor>
"#,
        entity = escape(entity_id),
        valid = escape(valid_until),
        cert = keys.cert_base64(),
        acs = escape(acs_url),
    )
}
