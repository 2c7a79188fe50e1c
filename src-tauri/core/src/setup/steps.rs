//! The checklist's steps, in the order Salesforce's own setup goes, each with a plain sentence
//! of why it matters and what to do. Which are derived from Lanyard's state and which only the
//! admin can confirm is said here, once.

use serde::{Deserialize, Serialize};

macro_rules! steps {
    ($($variant:ident => $id:literal, $who:ident, $title:literal, $why:literal;)*) => {
        /// A step of the setup checklist. Stable ids: `lanyard setup mark APP STEP` takes them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        pub enum StepId {
            $(#[serde(rename = $id)] $variant,)*
        }

        impl StepId {
            pub const ALL: &'static [StepId] = &[$(StepId::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(StepId::$variant => $id,)* }
            }

            pub fn title(self) -> &'static str {
                match self { $(StepId::$variant => $title,)* }
            }

            /// Why it matters and what to do, in one or two sentences.
            pub fn why(self) -> &'static str {
                match self { $(StepId::$variant => $why,)* }
            }

            /// Whether the admin says when it is done (Lanyard cannot see it), or Lanyard derives it.
            pub fn confirmed_by_admin(self) -> bool {
                match self { $(StepId::$variant => matches!(Who::$who, Who::Admin),)* }
            }
        }

        impl std::str::FromStr for StepId {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($id => Ok(StepId::$variant),)*
                    other => Err(format!("{other:?} is not a setup step; `lanyard setup status APP` lists them")),
                }
            }
        }
    };
}

enum Who {
    Admin,
    Derived,
}

steps! {
    Prerequisites => "prerequisites", Admin, "Prerequisites",
        "You need a Salesforce administrator account, your Salesforce domain name, and to know whether this is a sandbox. With SCIM provisioning, turn just-in-time provisioning off (SAML Identity Type: Assertion contains the User's Salesforce username; User Provisioning Enabled unchecked), deactivate the state and country picklists (or addresses are not sent), and use English.";
    MyDomain => "my_domain", Admin, "My Domain",
        "Single sign-on needs a deployed My Domain: it gives Salesforce the login address Lanyard posts to. Check the name in Setup → My Domain and deploy it to users.";
    SalesforceCertificate => "salesforce_certificate", Derived, "Salesforce certificate",
        "Salesforce signs its login requests with a certificate of its own. In Setup → Certificate and Key Management, create a self-signed certificate with an exportable key, download it, and import it here so Lanyard can check those signatures.";
    EnableSaml => "enable_saml", Admin, "Enable SAML in Salesforce",
        "In Setup → Single Sign-On Settings, enable SAML and create a configuration with the values below (each has a copy button), then save it, copy its Login URL and download its metadata.";
    ImportMetadata => "import_metadata", Derived, "Import the Salesforce metadata",
        "The metadata tells Lanyard where to send logins (the ACS) and who Salesforce is (its entity ID). Drop the downloaded XML file here, pick it, or enter the values by hand.";
    IdpSettings => "idp_settings", Derived, "IdP settings",
        "Check that the IdP entity ID, the SP entity ID, the ACS URL and the IdP URL match what Salesforce has, and choose the just-in-time attributes if you use just-in-time provisioning.";
    DownloadCertificate => "download_certificate", Derived, "Download certificate.pem",
        "Salesforce trusts Lanyard's logins through Lanyard's signing certificate. Create the signing key if there is none, and download certificate.pem.";
    ReplaceCertificate => "replace_certificate", Admin, "Replace the certificate in Salesforce",
        "Upload certificate.pem as the Identity Provider Certificate of the SAML configuration (replacing any placeholder), then compare the fingerprint Salesforce shows with the one here.";
    EnableSso => "enable_sso", Admin, "Enable SSO for all users",
        "In Setup → My Domain → Authentication Configuration, check Lanyard's configuration; uncheck Login Form only once a test login works, or nobody can log in with a password.";
    AuthorizeGroups => "authorize_groups", Derived, "Authorize user groups",
        "Only members of a group bound to this application may sign in and are provisioned. Bind at least one group with members on the User groups tab.";
    ValidateSso => "validate_sso", Derived, "Validate SSO",
        "Run an IdP-initiated and an SP-initiated test login: each must reach Salesforce as the chosen user before you rely on single sign-on.";
    IdentityManagement => "identity_management", Derived, "Identity Management",
        "Connect Lanyard to Salesforce's SCIM API (OAuth in your browser), test the connection, and activate it so users are created, updated and deactivated automatically.";
    AttributeMappings => "attribute_mappings", Admin, "Attribute mappings",
        "Review how directory fields become Salesforce user fields, and look at the exact request for one of your users before the first sync.";
    ImportUsers => "import_users", Derived, "Import users",
        "Users created in Salesforce before Lanyard can be imported into the directory and linked, so the first sync does not create them twice. Skip this when Salesforce has none.";
    EventLog => "event_log", Admin, "Event log",
        "Every login and provisioning attempt is an event: check this application's events for failures after the first sync.";
}

impl std::fmt::Display for StepId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_follow_the_seeds_order() {
        for s in StepId::ALL {
            assert_eq!(s.as_str().parse::<StepId>(), Ok(*s));
            assert!(!s.why().is_empty() && !s.title().is_empty());
        }
        assert_eq!(StepId::ALL.first(), Some(&StepId::Prerequisites));
        assert_eq!(StepId::ALL.last(), Some(&StepId::EventLog));
        assert!(StepId::MyDomain.confirmed_by_admin());
        assert!(
            !StepId::ImportMetadata.confirmed_by_admin(),
            "derived from the stored metadata"
        );
    }
}
