//! `lanyard sim serve` as a process: binds 127.0.0.1, prints its URLs, stops cleanly on SIGTERM
//! and saves --state.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn serves_prints_urls_and_saves_state_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("org.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_lanyard"))
        .args(["sim", "serve", "--users", "3", "--org", "acme", "--state"])
        .arg(&state)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start sim");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let mut base = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(url) = line.trim().strip_prefix("base URL") {
            base = Some(url.trim().to_owned());
        }
        if line.starts_with("Stop with") {
            break;
        }
    }
    let base = base.expect("prints its base URL");
    assert!(
        base.starts_with("http://127.0.0.1:"),
        "binds loopback only: {base}"
    );

    // The setup page answers over plain TCP.
    let addr = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    use std::io::{Read, Write};
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut page = String::new();
    stream.read_to_string(&mut page).unwrap();
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(
        page.contains("acme.my.salesforce.com"),
        "the org name is the My Domain"
    );

    // SAFETY: sending a signal to our own child process.
    let rc = unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    assert_eq!(rc, 0);
    let status = child.wait().unwrap();
    assert!(status.success(), "stops cleanly on SIGTERM: {status:?}");
    let saved = std::fs::read_to_string(&state).expect("state saved at stop");
    let org: serde_json::Value = serde_json::from_str(&saved).unwrap();
    assert_eq!(org["users"].as_object().unwrap().len(), 3);
}

#[test]
fn bad_options_are_bad_input() {
    let out = Command::new(env!("CARGO_BIN_EXE_lanyard"))
        .args(["sim", "serve", "--fault-rate", "2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--fault-rate must be between 0 and 1"));
}
