//! The practice org's state: users, groups, profiles, roles, the usernames "other orgs" hold,
//! single sign-on settings and the login history. Saved to and loaded from `--state` as JSON.

use crate::ids;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Named {
    pub id: String,
    pub name: String,
}

/// One SAML Single Sign-On configuration. An org has a first one (Login URL `?so=<org id>`) and
/// may add more (Login URL `?so=<org id>&sc=<configuration id>`), each trusting one IdP
/// certificate: a second configuration is how an IdP certificate is rolled over without a gap.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct SsoSettings {
    /// Empty for the first configuration; `0LE…` for the ones added later.
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    pub enabled: bool,
    pub issuer: String,
    pub idp_login_url: String,
    /// PEM of the IdP certificate the admin uploaded.
    pub idp_certificate_pem: String,
    /// "username" or "federation_id".
    pub identity_type: String,
    pub jit_enabled: bool,
}

impl SsoSettings {
    /// How the login page and Authentication Configuration name it: its name, else its issuer.
    pub fn label(&self) -> &str {
        if self.name.is_empty() {
            &self.issuer
        } else {
            &self.name
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginAttempt {
    pub at: String,
    pub username: String,
    pub status: String,
    pub login_type: String,
    /// What exactly failed (the detail Salesforce's SAML Assertion Validator would show).
    #[serde(default)]
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Org {
    pub name: String,
    pub org_id: String,
    /// SCIM User resources as stored (with id, meta, defaults filled in), keyed by id.
    pub users: BTreeMap<String, Value>,
    /// SCIM Group resources, keyed by id.
    pub groups: BTreeMap<String, Value>,
    pub profiles: Vec<Named>,
    pub permission_sets: Vec<Named>,
    pub roles: Vec<Named>,
    /// Lower-cased usernames already used in other Salesforce orgs (usernames are global).
    pub taken_elsewhere: BTreeSet<String>,
    /// State and country picklists: when on, addresses with a state or country are refused.
    pub picklists_enabled: bool,
    /// Email changes waiting for the user's confirmation: user id -> new address.
    pub pending_emails: BTreeMap<String, String>,
    pub sso: SsoSettings,
    /// SAML Single Sign-On configurations added after the first one.
    #[serde(default)]
    pub sso_more: Vec<SsoSettings>,
    pub login_history: Vec<LoginAttempt>,
    /// Active users the org's licenses allow (LICENSE_LIMIT_EXCEEDED past it).
    #[serde(default = "default_license_limit")]
    pub license_limit: usize,
    pub next_seq: u64,
    /// The practice org's SAML signing key and certificate, made on first start.
    #[serde(default)]
    pub sp_keys: Option<crate::saml::keys::SpKeys>,
    /// AuthnRequest ids sent and not yet answered (InResponseTo checks), with when they were sent.
    #[serde(default)]
    pub pending_requests: BTreeMap<String, String>,
    /// Assertion ids already consumed (replay detection).
    #[serde(default)]
    pub used_assertions: BTreeSet<String>,
    /// userName -> id, rebuilt on load.
    #[serde(skip)]
    by_name: HashMap<String, String>,
}

fn default_license_limit() -> usize {
    250_000
}

impl Org {
    pub fn new(name: &str) -> Self {
        let mut org = Org {
            name: name.to_owned(),
            org_id: String::new(),
            users: BTreeMap::new(),
            groups: BTreeMap::new(),
            profiles: Vec::new(),
            permission_sets: Vec::new(),
            roles: Vec::new(),
            taken_elsewhere: [
                "admin@example.com",
                "taken@example.com",
                "jane.doe@example.com",
            ]
            .into_iter()
            .map(String::from)
            .collect(),
            picklists_enabled: false,
            pending_emails: BTreeMap::new(),
            sso: SsoSettings {
                identity_type: "username".into(),
                ..SsoSettings::default()
            },
            sso_more: Vec::new(),
            login_history: Vec::new(),
            license_limit: default_license_limit(),
            sp_keys: None,
            pending_requests: BTreeMap::new(),
            used_assertions: BTreeSet::new(),
            next_seq: 1,
            by_name: HashMap::new(),
        };
        org.org_id = ids::make("00D", 7);
        for name in [
            "Standard User",
            "System Administrator",
            "Read Only",
            "Chatter Free User",
            "Marketing User",
        ] {
            let id = org.next_id("00e");
            org.profiles.push(Named {
                id,
                name: name.into(),
            });
        }
        for name in ["Sales Cloud User", "Knowledge User", "API Enabled"] {
            let id = org.next_id("0PS");
            org.permission_sets.push(Named {
                id,
                name: name.into(),
            });
        }
        for name in ["CEO", "VP Sales", "Sales Rep", "Support Agent"] {
            let id = org.next_id("00E");
            org.roles.push(Named {
                id,
                name: name.into(),
            });
        }
        for name in ["All Sales", "Support", "Marketing", "All Internal Users"] {
            let id = org.next_id("00G");
            let group = crate::scim::groups::new_group(&id, name);
            org.groups.insert(id, group);
        }
        org
    }

    pub fn next_id(&mut self, prefix: &str) -> String {
        let id = ids::make(prefix, self.next_seq);
        self.next_seq += 1;
        id
    }

    /// The SSO configuration a Login URL's `sc` names; without `sc`, the first one.
    pub fn sso_config(&self, sc: Option<&str>) -> Option<&SsoSettings> {
        match sc.filter(|s| !s.is_empty()) {
            None => Some(&self.sso),
            Some(id) => self.sso_more.iter().find(|c| c.id == id),
        }
    }

    pub fn sso_config_mut(&mut self, sc: Option<&str>) -> Option<&mut SsoSettings> {
        match sc.filter(|s| !s.is_empty()) {
            None => Some(&mut self.sso),
            Some(id) => self.sso_more.iter_mut().find(|c| c.id == id),
        }
    }

    /// Every SSO configuration, the first one first.
    pub fn sso_configs(&self) -> impl Iterator<Item = &SsoSettings> {
        std::iter::once(&self.sso).chain(self.sso_more.iter())
    }

    pub fn profile_by_id(&self, id: &str) -> Option<&Named> {
        self.profiles.iter().find(|p| p.id == id)
    }

    /// The id of a user holding `user_name` (compared case-insensitively), if any.
    pub fn user_id_by_name(&self, user_name: &str) -> Option<String> {
        self.by_name.get(&user_name.to_lowercase()).cloned()
    }

    /// Stores a user (new or updated), keeping the username index right.
    pub fn put_user(&mut self, user: Value) {
        let Some(id) = user.get("id").and_then(Value::as_str).map(String::from) else {
            return;
        };
        if let Some(old) = self
            .users
            .get(&id)
            .and_then(|u| u.get("userName"))
            .and_then(Value::as_str)
        {
            self.by_name.remove(old);
        }
        if let Some(name) = user.get("userName").and_then(Value::as_str) {
            self.by_name.insert(name.to_owned(), id.clone());
        }
        self.users.insert(id, user);
    }

    /// Rebuilds the username index (after loading a state file).
    pub fn rebuild_index(&mut self) {
        self.by_name = self
            .users
            .iter()
            .filter_map(|(id, u)| Some((u.get("userName")?.as_str()?.to_owned(), id.clone())))
            .collect();
    }

    /// The My Domain host name, e.g. `acme.my.salesforce.com`.
    pub fn my_domain(&self) -> String {
        format!("{}.my.salesforce.com", self.name)
    }
}
