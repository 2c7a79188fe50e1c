//! The `lanyard` binary from outside: exit codes (0 ok, 1 failed, 2 bad input), one-line errors on
//! stderr, stable `--json` fields, and the data folder from --data-dir or LANYARD_DATA_DIR.

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

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

#[test]
fn create_then_list_and_show_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = lanyard(
        dir.path(),
        &[
            "app",
            "create",
            "sf-prod",
            "--label",
            "Salesforce",
            "--description",
            "Main",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let created = json(&out);
    for key in [
        "id",
        "name",
        "label",
        "description",
        "kind",
        "sandbox",
        "created_at",
        "updated_at",
    ] {
        assert!(
            created.get(key).is_some(),
            "stable field {key} missing: {created}"
        );
    }
    assert_eq!(created["name"], "sf-prod");
    assert_eq!(created["sandbox"], false);

    let out = lanyard(dir.path(), &["app", "create", "sf-test", "--sandbox"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let list = json(&lanyard(dir.path(), &["app", "list", "--json"]));
    let names: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["sf-prod", "sf-test"]);

    let shown = json(&lanyard(dir.path(), &["app", "show", "sf-test", "--json"]));
    assert_eq!(shown["sandbox"], true);
    assert_eq!(shown["environment"], "sandbox");
    assert_eq!(shown["login_url"], "https://test.salesforce.com");
    assert_eq!(shown["label"], "sf-test", "the label defaults to the name");
}

#[test]
fn bad_name_is_bad_input_with_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    let out = lanyard(dir.path(), &["app", "create", "Sales_Force"]);
    assert_eq!(out.status.code(), Some(2), "bad input exits 2");
    let err = stderr(&out);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(
        err.contains("lowercase letters") && err.contains("hyphens"),
        "says the rule: {err}"
    );
}

#[test]
fn duplicate_and_missing_are_failures() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        lanyard(dir.path(), &["app", "create", "sf"]).status.code(),
        Some(0)
    );
    let out = lanyard(dir.path(), &["app", "create", "sf"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a clash with saved state is a failed operation"
    );
    assert!(stderr(&out).contains("already exists"));
    let out = lanyard(dir.path(), &["app", "show", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no application named \"nope\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn delete_needs_yes() {
    let dir = tempfile::tempdir().unwrap();
    lanyard(dir.path(), &["app", "create", "sf"]);
    let out = lanyard(dir.path(), &["app", "delete", "sf"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "without --yes it is refused as bad usage"
    );
    assert!(stderr(&out).contains("--yes"));
    assert_eq!(
        lanyard(dir.path(), &["app", "show", "sf"]).status.code(),
        Some(0),
        "still there"
    );
    let out = lanyard(dir.path(), &["app", "delete", "sf", "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        lanyard(dir.path(), &["app", "show", "sf"]).status.code(),
        Some(1),
        "gone"
    );
}

#[test]
fn unknown_verb_is_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = lanyard(dir.path(), &["app", "frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn data_dir_from_environment() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_lanyard"))
        .args(["app", "create", "from-env"])
        .env("LANYARD_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        dir.path().join("lanyard.db").exists(),
        "LANYARD_DATA_DIR chooses the folder"
    );
}

#[test]
fn damaged_database_fails_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lanyard.db");
    let junk = vec![0x5au8; 4096];
    std::fs::write(&db, &junk).unwrap();
    let out = lanyard(dir.path(), &["app", "list"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&db.display().to_string()),
        "names the file: {err}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), junk, "never reset silently");
}

#[test]
fn unreachable_keyring_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_lanyard"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["info", "--json"])
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/lanyard-test-bus",
        )
        .env_remove("DISPLAY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let info = json(&out);
    assert_eq!(info["keyring"]["available"], false);
    let message = info["keyring"]["message"].as_str().unwrap();
    assert!(
        message.contains("gnome-keyring"),
        "says what to install: {message}"
    );
    assert!(info["storage"]["schema_version"].as_i64().unwrap() >= 1);
}

#[test]
fn json_errors_are_code_and_message_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let out = lanyard(dir.path(), &["app", "show", "nope", "--json"]);
    assert_eq!(out.status.code(), Some(1), "a missing application fails");
    let err: Value = serde_json::from_str(stderr(&out).trim()).expect("stderr is one JSON object");
    assert_eq!(err["code"], "not_found");
    assert!(
        err["message"].as_str().unwrap_or("").contains("nope"),
        "{err}"
    );
    let plain = lanyard(dir.path(), &["app", "show", "nope"]);
    assert!(
        stderr(&plain).starts_with("lanyard: "),
        "without --json: one plain line"
    );
}

#[test]
fn setup_status_lists_every_step_and_refuses_marking_a_derived_one_done() {
    let dir = tempfile::tempdir().unwrap();
    let out = lanyard(dir.path(), &["app", "create", "sf", "--practice"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = lanyard(dir.path(), &["setup", "status", "sf", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    let ids: Vec<&str> = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.first(), Some(&"prerequisites"));
    assert!(ids.contains(&"identity_management") && ids.contains(&"validate_sso"));
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["action"].is_string() && f["step"].is_string()));
    let refused = lanyard(
        dir.path(),
        &["setup", "mark", "sf", "import_metadata", "done"],
    );
    assert_eq!(
        refused.status.code(),
        Some(2),
        "a derived step is not the admin's to mark done"
    );
    let ok = lanyard(dir.path(), &["setup", "mark", "sf", "my_domain", "done"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let after = json(&lanyard(dir.path(), &["setup", "status", "sf", "--json"]));
    let my_domain = after["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "my_domain")
        .unwrap();
    assert_eq!(
        my_domain["status"], "done",
        "the mark is kept in the data folder"
    );
}

#[test]
fn settings_show_the_retention_and_refuse_an_impossible_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = lanyard(dir.path(), &["settings", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json(&out)["events_retention_days"], 90, "the default");
    let out = lanyard(dir.path(), &["settings", "--events-retention-days", "0"]);
    assert_eq!(out.status.code(), Some(2), "bad input exits 2");
    assert!(stderr(&out).contains("1 to 3650"), "{}", stderr(&out));
    let out = lanyard(
        dir.path(),
        &["settings", "--events-retention-days", "30", "--json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json(&out)["events_retention_days"], 30);
    let out = lanyard(dir.path(), &["settings", "--json"]);
    assert_eq!(json(&out)["events_retention_days"], 30, "kept");

    let out = lanyard(
        dir.path(),
        &["settings", "--idp-address", "https://idp.example.com"],
    );
    assert_eq!(out.status.code(), Some(2), "only a loopback address");
    assert!(
        stderr(&out).contains("http://127.0.0.1:PORT"),
        "{}",
        stderr(&out)
    );
    let out = Command::new(env!("CARGO_BIN_EXE_lanyard"))
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "settings",
            "--idp-address",
            "http://127.0.0.1:9100",
            "--json",
        ])
        .env_remove("LANYARD_IDP_URL")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["idp_address"]["base_url"], "http://127.0.0.1:9100");
    assert_eq!(v["idp_address"]["from_env"], false);
    assert_eq!(
        v["repoints"],
        serde_json::json!([]),
        "no application is set up yet"
    );
}

#[test]
fn portal_bookmarks_and_sso_off_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ok = |args: &[&str]| {
        let out = lanyard(d, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        out
    };
    ok(&["app", "create", "acme"]);
    ok(&[
        "user",
        "add",
        "ada@acme.example",
        "--first",
        "Ada",
        "--last",
        "L",
    ]);
    ok(&["group", "add", "Sales"]);
    ok(&["group", "members", "add", "Sales", "ada@acme.example"]);
    ok(&["group", "bind", "acme", "Sales"]);
    let svg = d.join("logo.svg");
    std::fs::write(
        &svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>"#,
    )
    .unwrap();
    let svg_arg = svg.display().to_string();
    let portal = json(&ok(&[
        "app", "portal", "acme", "--show", "--image", &svg_arg, "--json",
    ]));
    assert_eq!(portal["show_in_portal"], true);
    assert!(portal["image"]
        .as_str()
        .is_some_and(|i| i.starts_with("data:image/png;base64,")));
    let pdf = d.join("doc.pdf");
    std::fs::write(&pdf, b"%PDF-1.7 not an image").unwrap();
    let out = lanyard(
        d,
        &[
            "app",
            "portal",
            "acme",
            "--image",
            &pdf.display().to_string(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "bad input exits 2");
    assert!(stderr(&out).contains("PDF"), "{}", stderr(&out));

    ok(&[
        "bookmark",
        "add",
        "wiki",
        "--url",
        "https://wiki.example.com",
        "--label",
        "Wiki",
    ]);
    let out = lanyard(
        d,
        &["bookmark", "add", "bad", "--url", "ftp://x.example.com"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("https://"), "{}", stderr(&out));
    let tiles = json(&ok(&["portal", "ada@acme.example", "--json"]));
    let kinds: Vec<&str> = tiles
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["application", "bookmark"]);

    ok(&["app", "sso", "acme", "--off"]);
    let shown = json(&ok(&["app", "show", "acme", "--json"]));
    assert_eq!(shown["sso_enabled"], false);
    let out = lanyard(
        d,
        &["saml", "response", "acme", "--user", "ada@acme.example"],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("deactivated"), "{}", stderr(&out));
    let tiles = json(&ok(&["portal", "ada@acme.example", "--json"]));
    assert_eq!(
        tiles.as_array().unwrap().len(),
        1,
        "only the bookmark: {tiles}"
    );
    ok(&["app", "sso", "acme", "--on"]);
    ok(&["group", "add", "HR"]);
    ok(&["bookmark", "groups", "wiki", "HR"]);
    let kinds = |tiles: Value| -> Vec<String> {
        tiles
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["kind"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        kinds(json(&ok(&["portal", "ada@acme.example", "--json"]))),
        ["application"],
        "the bookmark is for HR only"
    );
    let listed = String::from_utf8_lossy(&ok(&["bookmark", "list"]).stdout).into_owned();
    assert!(listed.contains("members of HR"), "{listed}");
    let out = lanyard(d, &["bookmark", "groups", "wiki", "Nobody"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("Nobody"), "{}", stderr(&out));
    ok(&["bookmark", "groups", "wiki"]);
    assert_eq!(
        kinds(json(&ok(&["portal", "ada@acme.example", "--json"]))),
        ["application", "bookmark"],
        "no groups: every user"
    );
    ok(&["bookmark", "hide", "wiki"]);
    ok(&["bookmark", "remove", "wiki"]);
    let list = json(&ok(&["bookmark", "list", "--json"]));
    assert_eq!(list, serde_json::json!([]));
}

#[test]
fn the_idp_url_path_is_chosen_at_creation_and_moved_later() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ok = |args: &[&str]| {
        let out = lanyard(d, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        out
    };
    let created = json(&ok(&[
        "app",
        "create",
        "acme",
        "--idp-path",
        "acme-sso",
        "--json",
    ]));
    assert_eq!(created["idp_path"], "acme-sso");
    let shown = String::from_utf8_lossy(&ok(&["app", "show", "acme"]).stdout).into_owned();
    assert!(shown.contains("/saml2/acme-sso"), "{shown}");

    let out = lanyard(d, &["app", "create", "acme-sso"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("/saml2/acme-sso"), "{}", stderr(&out));
    let out = lanyard(d, &["app", "set-idp-path", "acme", "Not Valid"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("lowercase"), "{}", stderr(&out));

    // No Salesforce settings yet: nothing to re-point there.
    let moved = json(&ok(&["app", "set-idp-path", "acme", "sales", "--json"]));
    assert_eq!(moved["app"]["idp_path"], "sales");
    assert_eq!(moved["repoint"], Value::Null);
}
