#![allow(dead_code)]
//! A practice org, a core on a temp database with an application "practice" whose directory user
//! ada@practice.example.com is authorized, and helpers that play Salesforce's admin and browser.

use lanyard_core::apps::{Environment, NewApplication};
use lanyard_core::clock::SystemClock;
use lanyard_core::saml::service::idp_entity_id;
use lanyard_core::secrets::MemoryStore;
use lanyard_core::Core;
use std::process::Command;
use std::sync::Arc;

pub struct Rig {
    pub _dir: tempfile::TempDir,
    pub core: Core,
    pub sim: lanyard_sim::RunningSim,
    pub http: reqwest::Client,
    pub token: String,
}

pub async fn rig() -> Rig {
    rig_with_clock(Arc::new(SystemClock)).await
}

/// A clock a test moves forward by hand.
#[derive(Default)]
pub struct MovableClock(std::sync::Mutex<chrono::Duration>);

impl MovableClock {
    pub fn advance(&self, by: chrono::Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl lanyard_core::clock::Clock for MovableClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now() + *self.0.lock().unwrap()
    }
}

pub async fn rig_with_clock(clock: lanyard_core::clock::SharedClock) -> Rig {
    rig_with(lanyard_sim::SimConfig::default(), clock).await
}

/// A rig whose practice org starts as `config` says (preloaded users, latency, faults).
pub async fn rig_with(
    config: lanyard_sim::SimConfig,
    clock: lanyard_core::clock::SharedClock,
) -> Rig {
    let sim = lanyard_sim::start(config).await.unwrap();
    let token = {
        let org_id = sim.sim.org().org_id.clone();
        sim.sim.oauth.issue_tool_token(&org_id)
    };
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path(), Arc::new(MemoryStore::default()), clock)
        .await
        .unwrap()
        .with_practice_url(sim.base_url());
    core.create_app(NewApplication {
        name: "practice".into(),
        environment: Environment::Practice,
        ..Default::default()
    })
    .await
    .unwrap();
    authorize(&core, "ada@practice.example.com").await;
    Rig {
        _dir: dir,
        core,
        sim,
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        token,
    }
}

/// A directory user in a group bound to the application.
pub async fn authorize(core: &Core, email: &str) {
    use lanyard_core::directory::{groups::GroupInput, users::UserInput};
    core.create_user(UserInput {
        email: email.into(),
        firstname: "Ada".into(),
        lastname: "Lovelace".into(),
        ..Default::default()
    })
    .await
    .unwrap();
    if core.list_groups().await.unwrap().is_empty() {
        core.create_group(GroupInput {
            name: "Sales".into(),
            description: String::new(),
        })
        .await
        .unwrap();
        core.set_app_group("practice", "Sales", true).await.unwrap();
    }
    core.add_group_members("Sales", &[email.to_owned()])
        .await
        .unwrap();
}

impl Rig {
    /// The practice org's SP metadata, as downloaded from Single Sign-On Settings.
    pub async fn metadata(&self) -> Vec<u8> {
        let url = format!("{}/_sim/saml/metadata", self.base());
        self.http
            .get(url)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .to_vec()
    }

    /// SP metadata imported, a key made, Salesforce trusting it, Ada known to Salesforce.
    /// Returns the IdP certificate PEM.
    pub async fn ready(&self) -> String {
        self.core
            .set_sp_metadata("practice", &self.metadata().await, None)
            .await
            .unwrap();
        self.core.idp_rotate("practice", false, None).await.unwrap();
        let pem = self.core.idp_certificate_pem("practice").await.unwrap();
        self.configure_salesforce(&pem).await;
        self.create_user("ada@practice.example.com").await;
        pem
    }

    pub fn base(&self) -> &str {
        self.sim.base_url()
    }

    pub async fn create_user(&self, user_name: &str) {
        let ents: serde_json::Value = self
            .http
            .get(format!("{}/services/scim/v2/Entitlements", self.base()))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let profile = ents["Resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["displayName"] == "Standard User")
            .unwrap()["id"]
            .clone();
        let res = self
            .http
            .post(format!("{}/services/scim/v2/Users", self.base()))
            .bearer_auth(&self.token)
            .json(&serde_json::json!({
                "userName": user_name, "name": {"givenName": "Ada", "familyName": "Lovelace"},
                "emails": [{"value": user_name}], "entitlements": [{"value": profile}]
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
    }

    /// What an admin does in Salesforce's Single Sign-On Settings.
    pub async fn configure_salesforce(&self, cert_pem: &str) {
        self.configure_salesforce_at(cert_pem, "http://127.0.0.1:8766/saml2/practice")
            .await;
    }

    /// What an admin does in Salesforce's Single Sign-On Settings.
    pub async fn configure_salesforce_at(&self, cert_pem: &str, idp_login_url: &str) {
        let res = self.sso_form("home", "", cert_pem, idp_login_url).await;
        assert!(res.status().is_success() || res.status().is_redirection());
    }

    /// Saves a Single Sign-On Settings form of the practice org: `home` (the first
    /// configuration) or `new` (another one, named `name`), trusting `cert_pem`.
    pub async fn sso_form(
        &self,
        page: &str,
        name: &str,
        cert_pem: &str,
        idp_login_url: &str,
    ) -> reqwest::Response {
        let issuer = idp_entity_id(&self.core.get_app("practice").await.unwrap());
        self.http
            .post(format!(
                "{}/lightning/setup/SingleSignOn/{page}",
                self.base()
            ))
            .form(&[
                ("_csrf", self.sim.sim.csrf_token()),
                ("name", name),
                ("enabled", "on"),
                ("issuer", issuer.as_str()),
                ("idp_login_url", idp_login_url),
                ("idp_certificate_pem", cert_pem),
                ("identity_type", "username"),
            ])
            .send()
            .await
            .unwrap()
    }

    /// Posts a fresh response for `user` to the ACS and returns the page's result line.
    pub async fn login(&self, user: &str) -> String {
        let signed = self
            .core
            .saml_response("practice", user, None)
            .await
            .unwrap();
        let form = [("SAMLResponse", signed.saml_response.as_str())];
        heading(&post_form(&self.http, &signed.acs_url, &form).await)
    }
}

pub fn xmlsec_verify(xml: &str, cert_pem: &str) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let (doc, cert) = (dir.path().join("r.xml"), dir.path().join("c.pem"));
    std::fs::write(&doc, xml).unwrap();
    std::fs::write(&cert, cert_pem).unwrap();
    let out = Command::new("xmlsec1")
        .arg("--verify")
        .arg("--pubkey-cert-pem")
        .arg(&cert)
        .args([
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:protocol:Response",
        ])
        .args([
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
        ])
        .arg(&doc)
        .output()
        .expect("xmlsec1 is installed by .ci/install-deps");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The result line of a practice-org page ("Logged in as …" or "Login failed: …").
pub fn heading(html: &str) -> String {
    html.split("id=\"login-result\"")
        .nth(1)
        .and_then(|r| r.split('>').nth(1))
        .and_then(|r| r.split('<').next())
        .unwrap_or("")
        .to_owned()
}

/// The value of attribute `name` in the first tag after `marker`.
pub fn attr<'a>(html: &'a str, name: &str, marker: &str) -> Option<&'a str> {
    let at = html.find(marker)?;
    let rest = &html[at..];
    let key = format!("{name}=\"");
    let start = rest.find(&key)? + key.len();
    rest[start..].split('"').next()
}

pub fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// Submits the auto-post page the way the browser's script does.
/// Posts a form the way a browser submits it and returns the page.
pub async fn post_form<T: serde::Serialize + ?Sized>(
    http: &reqwest::Client,
    url: &str,
    form: &T,
) -> String {
    http.post(url)
        .form(form)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

pub async fn follow_auto_post(http: &reqwest::Client, html: &str) -> String {
    let action = unescape(attr(html, "action", "<form").expect("form action"));
    let response = unescape(attr(html, "value", "name=\"SAMLResponse\"").expect("SAMLResponse"));
    let mut form = vec![("SAMLResponse".to_owned(), response)];
    if let Some(relay) = attr(html, "value", "name=\"RelayState\"") {
        form.push(("RelayState".to_owned(), unescape(relay)));
    }
    post_form(http, &action, &form).await
}

/// The text of the element with `id` (e.g. the waiting page's code).
pub fn by_id(html: &str, id: &str) -> Option<String> {
    let at = html.find(&format!("id=\"{id}\""))?;
    let rest = &html[at..];
    let start = rest.find('>')? + 1;
    rest[start..].split('<').next().map(str::to_owned)
}

impl Rig {
    /// Salesforce's login button (`query` picks the configuration, e.g. `sc=0LE…`) and the
    /// redirect to Lanyard's loopback IdP: the waiting page's URL, or Lanyard's refusal page.
    pub async fn start_sp_login(&self, query: &str) -> Result<String, String> {
        let res = self
            .http
            .get(format!("{}/saml/login?{query}", self.base()))
            .send()
            .await
            .unwrap();
        let to_idp = res.headers()["location"].to_str().unwrap().to_owned();
        let idp_base = to_idp.split("/saml2/").next().unwrap().to_owned();
        let res = self.http.get(&to_idp).send().await.unwrap();
        if !res.status().is_redirection() {
            return Err(res.text().await.unwrap());
        }
        let wait = res.headers()["location"].to_str().unwrap();
        Ok(format!("{idp_base}{wait}"))
    }

    /// The request waiting for approval whose code the waiting page at `wait_url` shows.
    pub async fn pending_for(&self, wait_url: &str) -> lanyard_core::saml::approval::PendingLogin {
        let page = self
            .http
            .get(wait_url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let code = by_id(&page, "code").unwrap_or_else(|| panic!("a code on {page}"));
        self.core
            .pending_logins()
            .into_iter()
            .find(|p| p.code == code)
            .expect("the window lists the request with the code the browser shows")
    }

    /// An SP-initiated login as a browser makes it: the login button, the redirect to Lanyard's
    /// loopback IdP, the admin approving Ada in the window (the core API), and the auto-post to
    /// the ACS. Returns the practice org's result line, or Lanyard's refusal.
    pub async fn sp_login(&self, query: &str) -> String {
        let wait = match self.start_sp_login(query).await {
            Ok(w) => w,
            Err(page) => return format!("refused: {page}"),
        };
        let pending = self.pending_for(&wait).await;
        self.core
            .approve_login(&pending.id, "ada@practice.example.com")
            .await
            .unwrap();
        let page = self
            .http
            .get(&wait)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        heading(&follow_auto_post(&self.http, &page).await)
    }

    /// Opens an IdP-initiated test login as the browser does: reads the auto-post file and
    /// posts its token. Returns the page the loopback server answers.
    pub async fn open_test_login(
        &self,
        link: &lanyard_core::saml::loopback::OneTimeLogin,
    ) -> reqwest::Response {
        let file = std::fs::read_to_string(&link.path).expect("the auto-post file");
        let action = unescape(attr(&file, "action", "<form").expect("form action"));
        let token = unescape(attr(&file, "value", "name=\"token\"").expect("token"));
        self.http
            .post(action)
            .form(&[("token", token)])
            .send()
            .await
            .unwrap()
    }
}

/// Plays the browser: opens the authorize URL, allows access, follows the redirect to Lanyard.
pub async fn consent(http: &reqwest::Client, authorize_url: &str) {
    let page = http.get(authorize_url).send().await.unwrap();
    assert!(page.status().is_success(), "the consent page opens");
    let html = page.text().await.unwrap();
    let consent = attr(&html, "value", "name=\"consent\"")
        .map(str::to_owned)
        .expect("the consent form carries its token");
    let base = url::Url::parse(authorize_url).unwrap();
    let decided = http
        .post(base.join("/services/oauth2/authorize").unwrap())
        .form(&[("consent", consent.as_str()), ("decision", "allow")])
        .send()
        .await
        .unwrap();
    let location = decided
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("allow redirects to the loopback listener")
        .to_owned();
    assert!(location.starts_with("http://127.0.0.1:"), "{location}");
    let back = http.get(&location).send().await.unwrap();
    assert!(
        back.status().is_success(),
        "the listener takes the redirect"
    );
}

/// [`Rig::try_connect`], asserting that it connected and found the Standard User profile.
pub async fn connect_practice(rig: &Rig) {
    let report = rig.try_connect().await.unwrap();
    assert_eq!(report.config_endpoint, "ServiceProviderConfigs");
    assert!(
        report
            .profile_id
            .as_deref()
            .is_some_and(|p| p.starts_with("00e")),
        "the Standard User profile id was found: {report:?}"
    );
}

impl Rig {
    /// Connects the application "practice" to the practice org through the OAuth dance (the
    /// test plays the browser) and answers what Test connection found.
    pub async fn try_connect(
        &self,
    ) -> Result<lanyard_core::provisioning::TestReport, lanyard_core::ApiError> {
        let login = self
            .core
            .scim_connect_start("practice", None, None)
            .await
            .unwrap();
        let url = login.authorize_url.clone();
        let http = self.http.clone();
        let browser = tokio::spawn(async move { consent(&http, &url).await });
        let report = self
            .core
            .scim_connect_finish(
                "practice",
                login,
                None,
                None,
                std::time::Duration::from_secs(30),
            )
            .await;
        browser.await.unwrap();
        report
    }
}
