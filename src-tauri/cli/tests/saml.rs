//! The SAML verbs from outside: `metadata inspect` (stateless, stable JSON, exit 2 on refused
//! input) and the whole IdP flow against the practice org with the real OS keyring.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn lanyard(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lanyard"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("LANYARD_DATA_DIR")
        .output()
        .expect("run lanyard")
}

fn ok(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

async fn practice_metadata(dir: &Path) -> (lanyard_sim::RunningSim, std::path::PathBuf) {
    let sim = lanyard_sim::start(lanyard_sim::SimConfig::default())
        .await
        .unwrap();
    let xml = reqwest::get(format!("{}/_sim/saml/metadata", sim.base_url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let path = dir.join("SAMLSP.xml");
    std::fs::write(&path, xml).unwrap();
    (sim, path)
}

#[tokio::test]
async fn metadata_inspect_prints_stable_json() {
    let dir = tempfile::tempdir().unwrap();
    let (_sim, file) = practice_metadata(dir.path()).await;
    let out = lanyard(
        dir.path(),
        &["metadata", "inspect", file.to_str().unwrap(), "--json"],
    );
    let v: Value = serde_json::from_str(&ok(&out)).unwrap();
    for key in [
        "entity_id",
        "acs",
        "signing_certs",
        "encryption_certs",
        "name_id_formats",
        "authn_requests_signed",
        "want_assertions_signed",
        "valid_until",
        "warnings",
    ] {
        assert!(v.get(key).is_some(), "key {key}: {v}");
    }
    for key in ["binding", "location", "index", "is_default"] {
        assert!(v["acs"][0].get(key).is_some(), "acs key {key}");
    }
    for key in [
        "sha256",
        "subject",
        "issuer",
        "not_before",
        "not_after",
        "expired",
        "key",
    ] {
        assert!(v["signing_certs"][0].get(key).is_some(), "cert key {key}");
    }
    let sha = v["signing_certs"][0]["sha256"].as_str().unwrap();
    assert!(
        sha.len() == 64
            && sha
                .chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()),
        "lowercase hex: {sha}"
    );
    assert_eq!(v["authn_requests_signed"], true);
    assert!(
        !dir.path().join("lanyard.db").exists(),
        "inspect is stateless: no database opened"
    );
}

#[test]
fn a_20_mib_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.xml");
    std::fs::write(&big, vec![b'<'; 20 * 1024 * 1024]).unwrap();
    let out = lanyard(dir.path(), &["metadata", "inspect", big.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("at most 1048576 bytes (1 MiB)"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn refused_metadata_exits_2_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 4] = [
        ("dtd.xml", b"<!DOCTYPE md [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><md/>", "DOCTYPE"),
        ("idp.xml", b"<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"https://idp\"><md:IDPSSODescriptor/></md:EntityDescriptor>", "IdP"),
        ("two.xml", b"<md:EntitiesDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\"><md:EntityDescriptor entityID=\"https://a.my.salesforce.com\"/><md:EntityDescriptor entityID=\"https://b.my.salesforce.com\"/></md:EntitiesDescriptor>", "https://a.my.salesforce.com, https://b.my.salesforce.com"),
        ("json.xml", b"{\"not\": \"xml\"}", "not XML"),
    ];
    for (name, body, want) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, body).unwrap();
        let out = lanyard(dir.path(), &["metadata", "inspect", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{name}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "one line");
    }
}

/// Posts a base64 SAMLResponse to a Login URL as the browser's form does; returns the page.
async fn post_response(http: &reqwest::Client, acs: &str, b64: &str) -> String {
    http.post(acs)
        .form(&[("SAMLResponse", b64)])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
#[ignore = "needs a Secret Service; the test command runs it inside a D-Bus session with gnome-keyring"]
async fn idp_flow_through_the_cli_with_the_real_keyring() {
    let dir = tempfile::tempdir().unwrap();
    let (sim, file) = practice_metadata(dir.path()).await;
    let d = dir.path();
    let env_url = sim.base_url().to_owned();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_lanyard"))
            .arg("--data-dir")
            .arg(d)
            .args(args)
            .env("LANYARD_PRACTICE_URL", &env_url)
            .output()
            .unwrap()
    };
    ok(&run(&["app", "create", "acme", "--practice"]));
    ok(&run(&[
        "user",
        "add",
        "ada@acme.example.com",
        "--first",
        "Ada",
        "--last",
        "Lovelace",
    ]));
    ok(&run(&["group", "add", "Sales"]));
    ok(&run(&[
        "group",
        "members",
        "add",
        "Sales",
        "ada@acme.example.com",
    ]));
    ok(&run(&["group", "bind", "acme", "Sales"]));
    let saved = ok(&run(&[
        "app",
        "set-sp-metadata",
        "acme",
        file.to_str().unwrap(),
    ]));
    assert!(saved.contains("?so=00D"), "{saved}");
    ok(&run(&["idp", "rotate", "acme"]));
    let pem_path = d.join("certificate.pem");
    ok(&run(&[
        "idp",
        "cert",
        "acme",
        "--out",
        pem_path.to_str().unwrap(),
    ]));
    let pem = std::fs::read_to_string(&pem_path).unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
    let meta = ok(&run(&["idp", "metadata", "acme"]));
    assert!(meta.contains("entityID=\"urn:lanyard:idp:acme\"") && meta.contains("/saml2/acme"));

    let http = reqwest::Client::new();
    http.post(format!(
        "{}/lightning/setup/SingleSignOn/home",
        sim.base_url()
    ))
    .form(&[
        ("_csrf", sim.sim.csrf_token()),
        ("enabled", "on"),
        ("issuer", "urn:lanyard:idp:acme"),
        ("idp_login_url", "http://127.0.0.1:8766/saml2/acme"),
        ("idp_certificate_pem", pem.as_str()),
        ("identity_type", "username"),
    ])
    .send()
    .await
    .unwrap();
    let token = {
        let org_id = sim.sim.org().org_id.clone();
        sim.sim.oauth.issue_tool_token(&org_id)
    };
    let ents: Value = http
        .get(format!("{}/services/scim/v2/Entitlements", sim.base_url()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let profile = ents["Resources"][0]["id"].clone();
    http.post(format!("{}/services/scim/v2/Users", sim.base_url()))
        .bearer_auth(&token)
        .json(&serde_json::json!({"userName": "ada@acme.example.com", "name": {"familyName": "L"}, "emails": [{"value": "ada@acme.example.com"}], "entitlements": [{"value": profile}]}))
        .send()
        .await
        .unwrap();

    let b64 = ok(&run(&[
        "saml",
        "response",
        "acme",
        "--user",
        "ada@acme.example.com",
    ]));
    let decode_input = d.join("response.b64");
    std::fs::write(&decode_input, b64.trim()).unwrap();
    let decoded: Value = serde_json::from_str(&ok(&run(&[
        "saml",
        "decode",
        decode_input.to_str().unwrap(),
        "--app",
        "acme",
        "--json",
    ])))
    .unwrap();
    assert_eq!(decoded["kind"], "Response");
    let failed: Vec<&Value> = decoded["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "fail")
        .collect();
    assert!(
        failed.is_empty(),
        "a fresh response passes every check: {failed:?}"
    );

    let acs = format!("{}/?so={}", sim.base_url(), sim.sim.org().org_id);
    let html = post_response(&http, &acs, b64.trim()).await;
    assert!(
        html.contains("Logged in as ada@acme.example.com"),
        "the practice org accepts the CLI's response"
    );

    // Rollover without a gap: the next certificate goes to a second Salesforce configuration,
    // is bound to its Login URL, then activated; the CLI's response then goes there.
    ok(&run(&["idp", "rotate", "acme"]));
    let next_pem = ok(&run(&["idp", "cert", "acme", "--next"]));
    assert!(next_pem.starts_with("-----BEGIN CERTIFICATE-----") && next_pem != pem);
    let res = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!(
            "{}/lightning/setup/SingleSignOn/new",
            sim.base_url()
        ))
        .form(&[
            ("_csrf", sim.sim.csrf_token()),
            ("name", "Next"),
            ("enabled", "on"),
            ("issuer", "urn:lanyard:idp:acme"),
            ("idp_login_url", "http://127.0.0.1:8766/saml2/acme"),
            ("idp_certificate_pem", next_pem.as_str()),
            ("identity_type", "username"),
        ])
        .send()
        .await
        .unwrap();
    let sc = res.headers()["location"]
        .to_str()
        .unwrap()
        .split("sc=")
        .nth(1)
        .unwrap()
        .to_owned();
    let second = format!("{acs}&sc={sc}");
    let bad = run(&[
        "idp",
        "bind",
        "acme",
        "https://elsewhere.example.com/?so=00D",
    ]);
    assert_eq!(
        bad.status.code(),
        Some(2),
        "a foreign Login URL is bad input"
    );
    assert!(String::from_utf8_lossy(&bad.stderr).contains("same Salesforce org"));
    let listed = ok(&run(&["idp", "bind", "acme", &second]));
    assert!(
        listed.contains(&format!(
            "signs for the Salesforce configuration at {second}"
        )),
        "{listed}"
    );
    ok(&run(&["idp", "rotate", "acme", "--activate"]));
    let b64 = ok(&run(&[
        "saml",
        "response",
        "acme",
        "--user",
        "ada@acme.example.com",
    ]));
    let html = post_response(&http, &second, b64.trim()).await;
    assert!(
        html.contains("Logged in as ada@acme.example.com"),
        "the second configuration accepts the new key: {html}"
    );
}

#[test]
fn response_settings_from_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    ok(&lanyard(dir.path(), &["app", "create", "acme"]));
    let out = lanyard(dir.path(), &["saml", "set", "acme", "--lifetime", "10"]);
    assert_eq!(out.status.code(), Some(2), "bad input");
    assert!(String::from_utf8_lossy(&out.stderr).contains("between 30 and 3600"));
    let out = lanyard(
        dir.path(),
        &["saml", "set", "acme", "--enable", "User.Nope"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("User.FederationIdentifier"),
        "lists the names"
    );
    ok(&lanyard(
        dir.path(),
        &[
            "saml",
            "set",
            "acme",
            "--lifetime",
            "120",
            "--sign",
            "assertion",
            "--rename",
            "User.LastName=Surname",
            "--enable",
            "Surname",
            "--constant",
            "User.ProfileId=Chatter Free User",
            "--enable",
            "User.ProfileId",
        ],
    ));
    let v: Value = serde_json::from_str(&ok(&lanyard(
        dir.path(),
        &["saml", "settings", "acme", "--json"],
    )))
    .unwrap();
    assert_eq!(v["response"]["lifetime_secs"], 120);
    assert_eq!(v["response"]["sign"], "assertion");
    let attrs = v["attributes"].as_array().unwrap();
    let surname = attrs
        .iter()
        .find(|a| a["name"] == "Surname")
        .expect("renamed");
    assert_eq!(surname["enabled"], true);
    let profile = attrs
        .iter()
        .find(|a| a["name"] == "User.ProfileId")
        .unwrap();
    assert_eq!(profile["constant"], "Chatter Free User");

    let events: Value =
        serde_json::from_str(&ok(&lanyard(dir.path(), &["events", "--json"]))).unwrap();
    let names: Vec<(String, String)> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap().to_owned(),
                e["outcome"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        names.first().map(|n| n.0.as_str()),
        Some("saml.settings_saved"),
        "newest first: {names:?}"
    );
    assert!(
        names.contains(&("saml.settings_saved".into(), "failed".into())),
        "the refused lifetime is logged too: {names:?}"
    );
}
