//! `lanyard idp serve` as a process: SP-initiated requests are shown on its terminal with their
//! code and wait there for an email or "deny"; with --deny-sp-initiated they are refused. No
//! keyring is needed: nothing is signed in these tests.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

fn lanyard(dir: &Path, practice: &str, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_lanyard"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("LANYARD_PRACTICE_URL", practice)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A practice org, an application "acme" with its SP metadata and Ada authorized, and the org's
/// Single Sign-On Settings pointing at `idp_url`.
async fn setup(dir: &Path, idp_url: &str) -> lanyard_sim::RunningSim {
    let sim = lanyard_sim::start(lanyard_sim::SimConfig::default())
        .await
        .unwrap();
    let base = sim.base_url().to_owned();
    let xml = reqwest::get(format!("{base}/_sim/saml/metadata"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let file = dir.join("SAMLSP.xml");
    std::fs::write(&file, xml).unwrap();
    let f = file.to_str().unwrap();
    for args in [
        &["app", "create", "acme", "--practice"][..],
        &[
            "user",
            "add",
            "ada@acme.example.com",
            "--first",
            "Ada",
            "--last",
            "L",
        ],
        &["group", "add", "Sales"],
        &["group", "members", "add", "Sales", "ada@acme.example.com"],
        &["group", "bind", "acme", "Sales"],
        &["app", "set-sp-metadata", "acme", f],
    ] {
        lanyard(dir, &base, args);
    }
    let res = client()
        .post(format!("{base}/lightning/setup/SingleSignOn/home"))
        .form(&[
            ("_csrf", sim.sim.csrf_token()),
            ("enabled", "on"),
            ("issuer", "urn:lanyard:idp:acme"),
            ("idp_login_url", idp_url),
            ("idp_certificate_pem", ""),
            ("identity_type", "username"),
        ])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success() || res.status().is_redirection());
    sim
}

fn serve(dir: &Path, port: u16, extra: &[&str]) -> (Child, mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lanyard"))
        .arg("--data-dir")
        .arg(dir)
        .args(["idp", "serve"])
        .args(extra)
        .env("LANYARD_IDP_URL", format!("http://127.0.0.1:{port}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start lanyard idp serve");
    let stdout: ChildStdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

/// Reads printed lines until one contains `want`; returns it.
fn wait_for(lines: &mpsc::Receiver<String>, want: &str) -> String {
    loop {
        let line = lines
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("no line containing {want:?}"));
        if line.contains(want) {
            return line;
        }
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Salesforce's login button, then Lanyard's answer to the redirect.
async fn start_login(http: &reqwest::Client, sim: &str) -> reqwest::Response {
    let res = http.get(format!("{sim}/saml/login")).send().await.unwrap();
    let to_idp = res.headers()["location"].to_str().unwrap().to_owned();
    http.get(to_idp).send().await.unwrap()
}

#[tokio::test]
async fn requests_are_answered_on_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let idp = format!("http://127.0.0.1:{port}");
    let sim = setup(dir.path(), &format!("{idp}/saml2/acme")).await;
    let (mut child, lines) = serve(dir.path(), port, &[]);
    wait_for(&lines, "Waiting for login requests");

    let http = client();
    let res = start_login(&http, sim.base_url()).await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let wait = format!("{idp}{}", res.headers()["location"].to_str().unwrap());
    let page = http.get(&wait).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Waiting for approval in Lanyard"));
    let code = page
        .split("id=\"code\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap()
        .to_owned();
    let shown = wait_for(&lines, "code ");
    assert!(
        shown.contains(&code),
        "the terminal shows the browser's code: {shown}"
    );

    let stdin = child.stdin.as_mut().unwrap();
    writeln!(stdin, "deny").unwrap();
    stdin.flush().unwrap();
    wait_for(&lines, "denied");
    let res = http.get(&wait).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("denied") && !page.contains("SAMLResponse"),
        "{page}"
    );
    let _ = child.kill();
    let _ = child.wait();
}

#[tokio::test]
async fn deny_sp_initiated_refuses_every_request() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let idp = format!("http://127.0.0.1:{port}");
    let sim = setup(dir.path(), &format!("{idp}/saml2/acme")).await;
    let (mut child, lines) = serve(dir.path(), port, &["--deny-sp-initiated"]);
    wait_for(&lines, "are refused");
    let res = start_login(&client(), sim.base_url()).await;
    assert_eq!(res.status(), 403);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("SP-initiated logins are turned off"));
    let _ = child.kill();
    let _ = child.wait();
}
