//! `lanyard directory|user|group|federation-csv` from outside: exit codes (0 ok, 1 failed, 2 bad
//! input), one-line errors, stable `--json` fields, and a CSV import that is all or nothing.

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

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn ok(out: Output) -> Output {
    assert_eq!(
        out.status.code(),
        Some(0),
        "expected success; stderr: {}",
        stderr(&out)
    );
    out
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", stdout(out)))
}

fn one_line(out: &Output) -> String {
    let err = stderr(out);
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "errors are one line: {err:?}"
    );
    err
}

#[test]
fn user_add_list_suspend_with_stable_json() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let added = json(&ok(lanyard(
        d,
        &[
            "user",
            "add",
            "Ada@Example.com",
            "--first",
            "Ada",
            "--last",
            "Lovelace",
            "--department",
            "R&D",
            "--job-title",
            "Analyst",
            "--locality",
            "London",
            "--phone",
            "+44 1",
            "--federation-id",
            "ada-fed",
            "--json",
        ],
    )));
    for key in [
        "id",
        "email",
        "firstname",
        "lastname",
        "displayname",
        "employee_type",
        "job_title",
        "employee_identifier",
        "department",
        "company",
        "address",
        "phone",
        "suspended",
        "password_expired",
        "federation_id",
        "groups",
        "created_at",
        "updated_at",
    ] {
        assert!(
            added.get(key).is_some(),
            "stable field {key} missing: {added}"
        );
    }
    assert_eq!(added["address"]["locality"], "London");
    assert_eq!(added["phone"]["value"], "+44 1");
    assert_eq!(added["displayname"], "Ada Lovelace");
    ok(lanyard(
        d,
        &[
            "user",
            "add",
            "grace@example.com",
            "--first",
            "Grace",
            "--last",
            "Hopper",
        ],
    ));

    let out = lanyard(
        d,
        &[
            "user",
            "add",
            "ADA@example.com",
            "--first",
            "A",
            "--last",
            "L",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "a clash with saved state is a failed operation"
    );
    assert!(one_line(&out).contains("already exists"));

    let out = lanyard(
        d,
        &[
            "user",
            "add",
            "ada lovelace@example.com",
            "--first",
            "A",
            "--last",
            "L",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "a bad username is bad input");
    assert!(one_line(&out).contains("space"), "says what is wrong");

    let out = lanyard(d, &["user", "add", "x@example.com", "--first", "X"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "--last is required (usage error)"
    );

    ok(lanyard(d, &["user", "suspend", "ada@example.com"]));
    let list = json(&ok(lanyard(d, &["user", "list", "--json"])));
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0]["email"], "Ada@Example.com",
        "sorted by email, spelled as added"
    );
    assert_eq!(rows[0]["suspended"], true);
    assert_eq!(rows[1]["suspended"], false);
    ok(lanyard(d, &["user", "unsuspend", "ADA@EXAMPLE.COM"]));
    let shown = json(&ok(lanyard(
        d,
        &["user", "show", "ada@example.com", "--json"],
    )));
    assert_eq!(shown["suspended"], false);

    let out = lanyard(d, &["user", "suspend", "nobody@example.com"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "unknown user: failed, not bad usage"
    );
    assert!(one_line(&out).contains("nobody@example.com"));
}

#[test]
fn groups_members_bind_and_federation_csv() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(lanyard(d, &["app", "create", "sf"]));
    ok(lanyard(
        d,
        &[
            "user",
            "add",
            "a@example.com",
            "--first",
            "A",
            "--last",
            "One",
        ],
    ));
    ok(lanyard(
        d,
        &[
            "user",
            "add",
            "b@example.com",
            "--first",
            "B",
            "--last",
            "Two",
            "--federation-id",
            "FB",
        ],
    ));
    let g = json(&ok(lanyard(
        d,
        &[
            "group",
            "add",
            "Sales",
            "--description",
            "Sellers",
            "--json",
        ],
    )));
    for key in [
        "id",
        "name",
        "description",
        "member_count",
        "created_at",
        "updated_at",
    ] {
        assert!(g.get(key).is_some(), "stable field {key}: {g}");
    }
    let out = lanyard(d, &["group", "add", "sales"]);
    assert_eq!(out.status.code(), Some(1), "names compare without case");
    one_line(&out);

    ok(lanyard(
        d,
        &[
            "group",
            "members",
            "add",
            "Sales",
            "a@example.com",
            "b@example.com",
        ],
    ));
    let out = lanyard(
        d,
        &["group", "members", "add", "Sales", "ghost@example.com"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(one_line(&out).contains("ghost@example.com"));
    let members = json(&ok(lanyard(
        d,
        &["user", "list", "--group", "sales", "--json"],
    )));
    assert_eq!(members.as_array().unwrap().len(), 2);
    ok(lanyard(
        d,
        &["group", "members", "remove", "Sales", "a@example.com"],
    ));
    let members = json(&ok(lanyard(
        d,
        &["user", "list", "--group", "Sales", "--json"],
    )));
    assert_eq!(members.as_array().unwrap().len(), 1);

    ok(lanyard(d, &["group", "bind", "sf", "Sales"]));
    let out = ok(lanyard(d, &["federation-csv", "sf"]));
    assert_eq!(
        stdout(&out),
        "Username,FederationIdentifier\nb@example.com,FB\n"
    );
    let file = d.join("fed.csv");
    ok(lanyard(
        d,
        &["federation-csv", "sf", "--out", file.to_str().unwrap()],
    ));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "Username,FederationIdentifier\nb@example.com,FB\n"
    );
    ok(lanyard(d, &["group", "unbind", "sf", "Sales"]));
    let out = ok(lanyard(d, &["federation-csv", "sf"]));
    assert_eq!(stdout(&out).lines().count(), 1, "unbound: only the header");

    let out = lanyard(d, &["group", "bind", "nope", "Sales"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(one_line(&out).contains("no application named"));
}

const BAD: &str = "email,firstname,lastname\nok@example.com,O,K\nnot-an-email,B,A\n";
const GOOD: &str =
    "email,firstname,lastname,groups\nok@example.com,O,K,Staff;Sales\nyes@example.com,Y,S,Staff\n";

#[test]
fn import_checks_first_and_writes_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bad = d.join("bad.csv");
    std::fs::write(&bad, BAD).unwrap();
    let out = lanyard(d, &["directory", "import-csv", bad.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a file with a bad row is bad input"
    );
    assert!(
        stdout(&out).contains("line 3: "),
        "lists the bad row by line: {}",
        stdout(&out)
    );
    assert!(one_line(&out).contains("nothing was imported"));
    let list = json(&ok(lanyard(d, &["user", "list", "--json"])));
    assert_eq!(
        list.as_array().unwrap().len(),
        0,
        "the good row was not written either"
    );

    let out = lanyard(
        d,
        &[
            "directory",
            "import-csv",
            bad.to_str().unwrap(),
            "--dry-run",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let report = json(&out);
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["preview"]["error_count"], 1);
    assert_eq!(report["preview"]["errors"][0]["line"], 3);
    assert!(report["summary"].is_null());

    let good = d.join("good.csv");
    std::fs::write(&good, GOOD).unwrap();
    let report = json(&ok(lanyard(
        d,
        &[
            "directory",
            "import-csv",
            good.to_str().unwrap(),
            "--dry-run",
            "--json",
        ],
    )));
    assert_eq!(report["preview"]["creates"], 2);
    assert!(report["summary"].is_null(), "a dry run writes nothing");
    assert_eq!(
        json(&ok(lanyard(d, &["user", "list", "--json"])))
            .as_array()
            .unwrap()
            .len(),
        0
    );

    let report = json(&ok(lanyard(
        d,
        &["directory", "import-csv", good.to_str().unwrap(), "--json"],
    )));
    for key in [
        "created",
        "updated",
        "unchanged",
        "groups_created",
        "memberships_added",
        "memberships_removed",
    ] {
        assert!(
            report["summary"].get(key).is_some(),
            "stable field summary.{key}: {report}"
        );
    }
    assert_eq!(report["summary"]["created"], 2);
    assert_eq!(report["summary"]["groups_created"], 2);
    let staff = json(&ok(lanyard(
        d,
        &["user", "list", "--group", "Staff", "--json"],
    )));
    assert_eq!(staff.as_array().unwrap().len(), 2);

    let out = ok(lanyard(d, &["directory", "export-csv"]));
    let text = stdout(&out);
    assert!(text.starts_with("email,firstname,lastname,"), "{text}");
    assert!(text.contains("ok@example.com,O,K,O K,"), "{text}");
    let exported = d.join("export.csv");
    ok(lanyard(
        d,
        &[
            "directory",
            "export-csv",
            "--out",
            exported.to_str().unwrap(),
        ],
    ));
    let report = json(&ok(lanyard(
        d,
        &[
            "directory",
            "import-csv",
            exported.to_str().unwrap(),
            "--dry-run",
            "--json",
        ],
    )));
    assert_eq!(
        report["preview"]["unchanged"], 2,
        "the export reads back as no change"
    );
}

#[test]
fn unreadable_import_files_are_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = lanyard(
        d,
        &[
            "directory",
            "import-csv",
            d.join("missing.csv").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(one_line(&out).contains("cannot read"));
    let latin1 = d.join("latin1.csv");
    std::fs::write(&latin1, b"email,lastname\nj\xe9@example.com,X\n").unwrap();
    let out = lanyard(d, &["directory", "import-csv", latin1.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(one_line(&out).contains("UTF-8"), "says how to fix it");
    let no_email = d.join("no-email.csv");
    std::fs::write(&no_email, "name\nx\n").unwrap();
    let out = lanyard(d, &["directory", "import-csv", no_email.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(one_line(&out).contains("\"email\""));
}
