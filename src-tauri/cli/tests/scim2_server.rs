//! Provisioning through the CLI to scim2-server (python-scim, from PyPI): an independent SCIM 2.0
//! server, so Lanyard's client is checked against someone else's reading of RFC 7643/7644, not
//! only against the practice org. `lanyard scim connect --base-url --token-env`, then syncs that
//! create users and groups, update, suspend and deprovision users, patch a group's members and
//! delete an unbound group; the remote state is read back with GETs after each. Then the manual
//! import: users made in the server first are listed (startIndex paging), imported with a group,
//! and the next sync creates and changes none of them.
//!
//! Run by `.ci/test-all` as `tests/conformance/scim2-server.sh -- cargo test … --test
//! scim2_server -- --include-ignored` inside `.ci/with-keyring` (the CLI keeps the bearer token
//! in the OS keyring). Without LANYARD_SCIM2_SERVER_URL it has nothing to talk to and says so.

use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::{Command, Output};

const TOKEN_VAR: &str = "LANYARD_SCIM2_SERVER_TOKEN";
const USERS: usize = 40;
/// The first users are also in Engineering.
const ENGINEERS: usize = 10;

fn lanyard(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lanyard"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .expect("the lanyard binary runs")
}

fn ok(args: &[&str], out: Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "lanyard {args:?} succeeds: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn run(dir: &Path, args: &[&str]) -> String {
    ok(args, lanyard(dir, args))
}

fn sync(dir: &Path) -> Value {
    let out = run(dir, &["sync", "s2", "--json"]);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("sync --json prints JSON ({e}): {out}"))
}

struct Target {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Target {
    /// Every resource of a list, paged with startIndex: scim2-server promises no order and no
    /// `id gt` paging, so pages are read until totalResults (bounded).
    async fn all(&self, resource: &str) -> Vec<Value> {
        let mut out = Vec::new();
        let mut start = 1;
        for _ in 0..100 {
            let page: Value = self
                .http
                .get(format!("{}/{resource}", self.base))
                .query(&[("startIndex", start.to_string()), ("count", "25".into())])
                .bearer_auth(&self.token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let list = page["Resources"].as_array().cloned().unwrap_or_default();
            let total = page["totalResults"].as_u64().unwrap() as usize;
            start += list.len();
            let empty = list.is_empty();
            out.extend(list);
            if empty || out.len() >= total {
                return out;
            }
        }
        panic!("{resource} has more than 100 pages");
    }

    async fn users(&self, domain: &str) -> HashMap<String, Value> {
        let mut by_name = HashMap::new();
        for u in self.all("Users").await {
            let name = u["userName"].as_str().unwrap_or_default().to_owned();
            if name.ends_with(domain) {
                assert!(
                    by_name.insert(name.clone(), u).is_none(),
                    "{name} exists once in the target"
                );
            }
        }
        by_name
    }

    async fn group(&self, name: &str) -> Option<Value> {
        let found: Vec<Value> = self
            .all("Groups")
            .await
            .into_iter()
            .filter(|g| g["displayName"] == name)
            .collect();
        assert!(found.len() <= 1, "one group named {name}: {found:?}");
        found.into_iter().next()
    }
}

fn member_ids(group: &Value) -> HashSet<String> {
    group["members"]
        .as_array()
        .map(|m| {
            m.iter()
                .map(|m| m["value"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn count(summary: &Value, field: &str) -> u64 {
    summary[field]
        .as_u64()
        .unwrap_or_else(|| panic!("the summary has {field}: {summary}"))
}

impl Target {
    /// The server tests/conformance/scim2-server.sh started, if this runs under it.
    fn from_env() -> Option<Self> {
        let base = std::env::var("LANYARD_SCIM2_SERVER_URL").ok()?;
        let token = std::env::var(TOKEN_VAR).ok()?;
        Some(Self {
            http: reqwest::Client::new(),
            base: base.trim_end_matches('/').to_owned(),
            token,
        })
    }
}

/// A tag for this run's names, so a reused server's earlier resources do not count.
fn run_id() -> String {
    format!(
        "{}{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_micros()
    )
}

#[tokio::test]
#[ignore = "needs a Secret Service and a scim2-server: .ci/test-all runs it inside .ci/with-keyring under tests/conformance/scim2-server.sh"]
async fn scim2_server_users_and_groups_through_the_cli() {
    let Some(target) = Target::from_env() else {
        eprintln!("no LANYARD_SCIM2_SERVER_URL: run it under tests/conformance/scim2-server.sh -- …; nothing was checked");
        return;
    };
    // Names of this run only, so a reused server's earlier resources do not count.
    let run_id = run_id();
    let domain = format!("@s2-{run_id}.example");
    let email = |i: usize| format!("user{i:02}{domain}");
    let support = format!("Support {run_id}");
    let engineering = format!("Engineering {run_id}");
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();

    let row = |i: usize, title: &str| {
        let groups = if i < ENGINEERS {
            format!("{support};{engineering}")
        } else {
            support.clone()
        };
        format!(
            "{},First{i},Last{i},{title},Dept{},{groups}\n",
            email(i),
            i % 3
        )
    };
    let header = "email,firstname,lastname,jobTitle,department,groups\n";
    let mut csv = header.to_owned();
    for i in 0..USERS {
        csv.push_str(&row(i, "Agent"));
    }
    let file = d.join("users.csv");
    std::fs::write(&file, csv).unwrap();
    let file_arg = file.to_str().unwrap();
    run(d, &["app", "create", "s2"]);
    run(d, &["directory", "import-csv", file_arg]);
    run(d, &["group", "bind", "s2", &support]);
    run(d, &["group", "bind", "s2", &engineering]);

    // Connect: the token comes from the environment variable, never an argument.
    let args = [
        "scim",
        "connect",
        "s2",
        "--base-url",
        &target.base,
        "--token-env",
        TOKEN_VAR,
        "--json",
    ];
    let out = Command::new(env!("CARGO_BIN_EXE_lanyard"))
        .arg("--data-dir")
        .arg(d)
        .args(args)
        .env(TOKEN_VAR, &target.token)
        .output()
        .unwrap();
    let report: Value = serde_json::from_str(&ok(&args, out)).unwrap();
    assert_eq!(
        report["config_endpoint"], "ServiceProviderConfig",
        "an RFC server has the singular endpoint: {report}"
    );
    assert_eq!(
        report["entitlements"], false,
        "scim2-server has no Entitlements: creates carry no profile: {report}"
    );

    // First sync: every user and both groups are created.
    let first = sync(d);
    assert_eq!(count(&first, "created"), USERS as u64, "{first}");
    assert_eq!(count(&first, "groups_updated"), 2, "{first}");
    assert_eq!(count(&first, "failed"), 0, "{first}");
    let users = target.users(&domain).await;
    assert_eq!(users.len(), USERS, "every user was created once");
    for i in 0..USERS {
        let u = &users[&email(i)];
        assert_eq!(u["name"]["givenName"], format!("First{i}"), "{u}");
        assert_eq!(u["name"]["familyName"], format!("Last{i}"), "{u}");
        assert_eq!(u["title"], "Agent", "title ← jobTitle: {u}");
        assert_eq!(u["active"], true, "{u}");
        assert_eq!(u["emails"][0]["value"], email(i), "{u}");
        assert!(
            u["externalId"].as_str().is_some_and(|s| !s.is_empty()),
            "externalId ← the directory id: {u}"
        );
    }
    let id_of = |users: &HashMap<String, Value>, i: usize| {
        users[&email(i)]["id"].as_str().unwrap().to_owned()
    };
    let s = target.group(&support).await.expect("Support was created");
    let want: HashSet<String> = (0..USERS).map(|i| id_of(&users, i)).collect();
    assert_eq!(member_ids(&s), want, "Support has every user");
    let e = target
        .group(&engineering)
        .await
        .expect("Engineering was created");
    let want: HashSet<String> = (0..ENGINEERS).map(|i| id_of(&users, i)).collect();
    assert_eq!(member_ids(&e), want, "Engineering has the engineers");

    // Changes: five new titles and a new user (CSV upsert of those rows), two suspended, two
    // removed from Support (out of scope: deactivated), Engineering unbound (deleted remotely;
    // its members stay in scope through Support).
    let mut csv = header.to_owned();
    for i in 0..5 {
        csv.push_str(&row(i, "Lead"));
    }
    csv.push_str(&row(USERS, "Agent"));
    std::fs::write(&file, csv).unwrap();
    run(d, &["directory", "import-csv", file_arg]);
    run(d, &["user", "suspend", &email(20), &email(21)]);
    run(
        d,
        &[
            "group",
            "members",
            "remove",
            &support,
            &email(22),
            &email(23),
        ],
    );
    run(d, &["group", "unbind", "s2", &engineering]);
    let second = sync(d);
    assert_eq!(count(&second, "created"), 1, "{second}");
    assert_eq!(
        count(&second, "updated"),
        5 + 2,
        "five titles, two suspensions: {second}"
    );
    assert_eq!(count(&second, "deactivated"), 2, "{second}");
    assert_eq!(
        count(&second, "groups_updated"),
        2,
        "Support patched, Engineering deleted: {second}"
    );
    assert_eq!(count(&second, "failed"), 0, "{second}");
    let users = target.users(&domain).await;
    assert_eq!(users.len(), USERS + 1, "the new user was created once");
    for i in 0..=USERS {
        let u = &users[&email(i)];
        let title = if i < 5 { "Lead" } else { "Agent" };
        assert_eq!(u["title"], title, "{u}");
        let active = !(20..24).contains(&i);
        assert_eq!(
            u["active"], active,
            "suspended or out of scope → inactive: {u}"
        );
    }
    let s = target.group(&support).await.expect("Support is kept");
    let want: HashSet<String> = (0..=USERS)
        .filter(|i| !(22..24).contains(i))
        .map(|i| id_of(&users, i))
        .collect();
    assert_eq!(
        member_ids(&s),
        want,
        "Support lost the two removed and gained the new user"
    );
    assert!(
        target.group(&engineering).await.is_none(),
        "the unbound group was deleted"
    );

    // Nothing left to do: a further sync plans nothing and sends nothing.
    let third = sync(d);
    assert_eq!(count(&third, "planned"), 0, "{third}");
    assert_eq!(count(&third, "requests"), 0, "{third}");
    println!("scim2-server interop: ok");
}

/// Users made in the target before Lanyard (this run's domain only).
const REMOTE: usize = 230;
/// The last ones are inactive in the target.
const INACTIVE: usize = 5;

#[tokio::test]
#[ignore = "needs a Secret Service and a scim2-server: .ci/test-all runs it inside .ci/with-keyring under tests/conformance/scim2-server.sh"]
async fn scim2_server_import_of_existing_users_through_the_cli() {
    let Some(target) = Target::from_env() else {
        eprintln!("no LANYARD_SCIM2_SERVER_URL: run it under tests/conformance/scim2-server.sh -- …; nothing was checked");
        return;
    };
    let run_id = run_id();
    let domain = format!("@s2i-{run_id}.example");
    let email = |i: usize| format!("remote{i:03}{domain}");
    // More than one page (200): the listing pages with startIndex, as scim2-server promises no
    // order for `id gt`.
    for i in 0..REMOTE {
        let body = serde_json::json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": email(i),
            "name": {"givenName": format!("Remote{i}"), "familyName": format!("Person{i}")},
            "emails": [{"value": email(i), "type": "work", "primary": true}],
            "title": "Remote title",
            "active": i < REMOTE - INACTIVE,
        });
        let res = target
            .http
            .post(format!("{}/Users", target.base))
            .bearer_auth(&target.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 201, "{}", res.text().await.unwrap());
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run(d, &["app", "create", "s2i"]);
    // One of them is already in the directory, not linked: Matches.
    run(
        d,
        &[
            "user",
            "add",
            &email(0),
            "--first",
            "Local",
            "--last",
            "Person0",
        ],
    );
    let args = [
        "scim",
        "connect",
        "s2i",
        "--base-url",
        &target.base,
        "--token-env",
        TOKEN_VAR,
    ];
    let out = Command::new(env!("CARGO_BIN_EXE_lanyard"))
        .arg("--data-dir")
        .arg(d)
        .args(args)
        .env(TOKEN_VAR, &target.token)
        .output()
        .unwrap();
    ok(&args, out);

    let list = |d: &Path| -> HashMap<String, Value> {
        let out = run(d, &["import", "s2i", "--list", "--json"]);
        let rows: Vec<Value> = serde_json::from_str(&out).unwrap();
        rows.into_iter()
            .filter(|r| {
                r["username"]
                    .as_str()
                    .unwrap_or_default()
                    .ends_with(&domain)
            })
            .map(|r| (r["username"].as_str().unwrap().to_owned(), r))
            .collect()
    };
    let rows = list(d);
    assert_eq!(
        rows.len(),
        REMOTE,
        "every remote user listed once, across pages"
    );
    assert_eq!(rows[&email(0)]["status"], "matches", "{}", rows[&email(0)]);
    for i in 1..REMOTE {
        let r = &rows[&email(i)];
        assert_eq!(r["status"], "new", "{r}");
        assert_eq!(r["active"], i < REMOTE - INACTIVE, "{r}");
        assert_eq!(r["name"], format!("Remote{i} Person{i}"), "{r}");
        assert!(
            r["remote_id"].as_str().is_some_and(|s| !s.is_empty()),
            "{r}"
        );
    }

    // Import them all by name (the server may hold other runs' users), leaving the inactive out.
    let group = format!("Imported {run_id}");
    let names: Vec<String> = (0..REMOTE).map(email).collect();
    let mut args: Vec<&str> = vec![
        "import",
        "s2i",
        "--skip-inactive",
        "--group",
        &group,
        "--json",
        "--user",
    ];
    args.extend(names.iter().map(String::as_str));
    let result: Value = serde_json::from_str(&run(d, &args)).unwrap();
    assert_eq!(
        result["created"],
        (REMOTE - 1 - INACTIVE) as u64,
        "{result}"
    );
    assert_eq!(
        result["linked"], 1,
        "the Matches user is linked, not duplicated: {result}"
    );
    assert_eq!(result["updated"], 0, "{result}");
    assert_eq!(result["skipped_inactive"], INACTIVE as u64, "{result}");
    assert_eq!(result["errors"], serde_json::json!([]), "{result}");
    assert_eq!(
        result["group_members_added"],
        (REMOTE - INACTIVE) as u64,
        "{result}"
    );

    let local: Value =
        serde_json::from_str(&run(d, &["user", "show", &email(0), "--json"])).unwrap();
    assert_eq!(
        local["firstname"], "Local",
        "a Matches row keeps the directory's values: {local}"
    );
    let imported: Value =
        serde_json::from_str(&run(d, &["user", "show", &email(7), "--json"])).unwrap();
    assert_eq!(
        imported["firstname"], "Remote7",
        "the mapping read backwards: {imported}"
    );
    assert_eq!(imported["lastname"], "Person7", "{imported}");
    assert_eq!(imported["job_title"], "Remote title", "{imported}");
    let members: Vec<Value> =
        serde_json::from_str(&run(d, &["user", "list", "--group", &group, "--json"])).unwrap();
    assert_eq!(
        members.len(),
        REMOTE - INACTIVE,
        "every imported user is in the group"
    );

    let rows = list(d);
    let imported_rows = rows.values().filter(|r| r["status"] == "imported").count();
    assert_eq!(
        imported_rows,
        REMOTE - INACTIVE,
        "the imported users are linked"
    );

    // The next sync creates nobody and changes none of the imported users; only the Matches
    // user gets the directory's values (it kept them), and the new group is created.
    let first = run(d, &["sync", "s2i", "--json"]);
    let first: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(count(&first, "created"), 0, "{first}");
    assert_eq!(count(&first, "updated"), 1, "{first}");
    assert_eq!(count(&first, "deactivated"), 0, "{first}");
    assert_eq!(count(&first, "failed"), 0, "{first}");
    let users = target.users(&domain).await;
    assert_eq!(users.len(), REMOTE, "no user was duplicated in the target");
    assert_eq!(users[&email(0)]["name"]["givenName"], "Local");
    assert_eq!(users[&email(7)]["name"]["givenName"], "Remote7");
    let second: Value = serde_json::from_str(&run(d, &["sync", "s2i", "--json"])).unwrap();
    assert_eq!(count(&second, "planned"), 0, "{second}");
    println!("scim2-server interop: ok");
}
