//! The directory through the core, on a real SQLite file: users, groups, memberships, bindings,
//! the change feed, and CSV import (preview, all-or-nothing commit) and export.

use lanyard_core::apps::NewApplication;
use lanyard_core::clock::FixedClock;
use lanyard_core::directory::{ChangeKind, ChangeSource, GroupInput, UserInput};
use lanyard_core::secrets::MemoryStore;
use lanyard_core::{Core, ErrorCode};
use std::path::Path;
use std::sync::Arc;

async fn core_in(dir: &Path) -> Core {
    let clock = FixedClock("2026-11-28T10:00:00Z".parse().unwrap());
    Core::open(dir, Arc::new(MemoryStore::default()), Arc::new(clock))
        .await
        .expect("open core")
}

fn person(email: &str, first: &str, last: &str) -> UserInput {
    UserInput {
        email: email.into(),
        firstname: first.into(),
        lastname: last.into(),
        ..Default::default()
    }
}

fn group(name: &str) -> GroupInput {
    GroupInput {
        name: name.into(),
        description: String::new(),
    }
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

async fn count(core: &Core, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(core.store().pool())
        .await
        .unwrap()
}

async fn feed_kinds(core: &Core, after: i64) -> Vec<ChangeKind> {
    core.directory_changes_since(after, 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.kind)
        .collect()
}

#[tokio::test]
async fn tables_are_strict_and_keyed_case_insensitively() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_in(dir.path()).await;
    for table in [
        "users",
        "groups",
        "group_members",
        "app_group_bindings",
        "directory_changes",
    ] {
        let sql: String = sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE name = ?")
            .bind(table)
            .fetch_one(core.store().pool())
            .await
            .unwrap();
        assert!(
            sql.contains("STRICT"),
            "{table} is STRICT so a wrong type is refused: {sql}"
        );
    }
    let err = sqlx::query(
        "INSERT INTO users (id, email, email_key, lastname, created_at, updated_at) VALUES ('x', 'A@b.co', 'A@b.co', 'L', '', '')",
    )
    .execute(core.store().pool())
    .await
    .expect_err("the key column must be the lower-cased email");
    assert!(err.to_string().contains("CHECK"), "{err}");
}

#[tokio::test]
async fn users_create_read_update_delete() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_in(dir.path()).await;
    assert!(
        core.list_users(None).await.unwrap().is_empty(),
        "empty at first"
    );

    let ada = core
        .create_user(UserInput {
            department: "Engineering".into(),
            federation_id: Some("ada-fed".into()),
            ..person(" Ada@Example.com ", "Ada", "Lovelace")
        })
        .await
        .unwrap();
    assert_eq!(ada.email, "Ada@Example.com", "kept as written, trimmed");
    assert_eq!(
        ada.displayname, "Ada Lovelace",
        "display name defaults to first + last"
    );
    assert_eq!(
        ada.created_at.to_rfc3339(),
        "2026-11-28T10:00:00+00:00",
        "injected clock"
    );
    assert!(!ada.suspended);

    let by_email = core.get_user("ada@EXAMPLE.com").await.unwrap();
    assert_eq!(by_email.id, ada.id, "emails compare without regard to case");

    let err = core
        .create_user(person("ADA@example.com", "Other", "Person"))
        .await
        .expect_err("same email in another case");
    assert_eq!(err.code, ErrorCode::Conflict, "{}", err.message);
    assert!(err.message.contains("already exists"), "{}", err.message);

    let err = core
        .create_user(UserInput {
            federation_id: Some("ada-fed".into()),
            ..person("grace@example.com", "Grace", "Hopper")
        })
        .await
        .expect_err("Federation IDs are unique");
    assert_eq!(err.code, ErrorCode::Conflict, "{}", err.message);
    assert!(err.message.contains("Federation ID"), "{}", err.message);

    let err = core
        .create_user(person("grace hopper@example.com", "Grace", "Hopper"))
        .await
        .expect_err("space in a username");
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("space"), "{}", err.message);
    let err = core
        .create_user(person("grace@example.com", "Grace", " "))
        .await
        .expect_err("no last name");
    assert!(err.message.contains("last name"), "{}", err.message);
    assert_eq!(
        core.list_users(None).await.unwrap().len(),
        1,
        "refused input stored nothing"
    );

    let mut edit = ada.to_input();
    edit.job_title = "Analyst".into();
    edit.address.locality = "London".into();
    edit.phone.value = "+44 20 0000 0000".into();
    let updated = core.update_user(&ada.id, edit).await.unwrap();
    assert_eq!(updated.job_title, "Analyst");
    assert_eq!(updated.address.locality, "London");
    assert_eq!(updated.department, "Engineering", "fields not edited stay");
    assert_eq!(updated.created_at, ada.created_at);

    assert_eq!(
        core.delete_users(&s(&["ada@example.com"])).await.unwrap(),
        1
    );
    let err = core.get_user(&ada.id).await.expect_err("deleted");
    assert_eq!(err.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn suspend_and_unsuspend_report_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_in(dir.path()).await;
    core.create_user(person("a@example.com", "A", "One"))
        .await
        .unwrap();
    core.create_user(person("b@example.com", "B", "Two"))
        .await
        .unwrap();
    let both = s(&["a@example.com", "B@example.com"]);
    assert_eq!(core.set_users_suspended(&both, true).await.unwrap(), 2);
    assert_eq!(
        core.set_users_suspended(&both, true).await.unwrap(),
        0,
        "already suspended: nothing changes"
    );
    assert!(core.get_user("a@example.com").await.unwrap().suspended);
    assert_eq!(
        core.set_users_suspended(&s(&["a@example.com"]), false)
            .await
            .unwrap(),
        1
    );
    assert!(!core.get_user("a@example.com").await.unwrap().suspended);
    let err = core
        .set_users_suspended(&s(&["a@example.com", "nobody@example.com"]), true)
        .await
        .expect_err("unknown user");
    assert_eq!(err.code, ErrorCode::NotFound);
    assert!(
        !core.get_user("a@example.com").await.unwrap().suspended,
        "one unknown user means nothing changes"
    );
}

#[tokio::test]
async fn groups_members_and_cascades() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_in(dir.path()).await;
    core.create_user(person("a@example.com", "A", "One"))
        .await
        .unwrap();
    core.create_user(person("b@example.com", "B", "Two"))
        .await
        .unwrap();
    let sales = core.create_group(group("Sales")).await.unwrap();
    let err = core
        .create_group(group("SALES"))
        .await
        .expect_err("names compare without case");
    assert_eq!(err.code, ErrorCode::Conflict);
    let err = core
        .create_group(group("a;b"))
        .await
        .expect_err("semicolon");
    assert_eq!(err.code, ErrorCode::InvalidInput);

    assert_eq!(
        core.add_group_members("sales", &s(&["a@example.com", "b@example.com"]))
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        core.add_group_members("Sales", &s(&["a@example.com"]))
            .await
            .unwrap(),
        0,
        "already a member"
    );
    let err = core
        .add_group_members("Sales", &s(&["nobody@example.com"]))
        .await
        .expect_err("unknown member");
    assert_eq!(err.code, ErrorCode::NotFound);
    assert!(
        err.message.contains("nobody@example.com"),
        "{}",
        err.message
    );

    let members = core.list_users(Some("SALES")).await.unwrap();
    assert_eq!(members.len(), 2);
    assert_eq!(members[0].groups, ["Sales"], "each user lists its groups");
    assert_eq!(core.list_groups().await.unwrap()[0].member_count, 2);

    core.remove_group_members("Sales", &s(&["b@example.com"]))
        .await
        .unwrap();
    assert_eq!(core.list_users(Some("Sales")).await.unwrap().len(), 1);

    let renamed = core
        .update_group(
            &sales.id,
            GroupInput {
                name: "Sales EMEA".into(),
                description: "Europe".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(renamed.name, "Sales EMEA");
    assert_eq!(
        core.get_user("a@example.com").await.unwrap().groups,
        ["Sales EMEA"]
    );

    core.delete_users(&s(&["a@example.com"])).await.unwrap();
    assert_eq!(
        count(&core, "group_members").await,
        0,
        "a deleted user leaves its groups"
    );
    core.delete_group("sales emea").await.unwrap();
    assert!(core.list_groups().await.unwrap().is_empty());
    let err = core.delete_group("Sales EMEA").await.expect_err("gone");
    assert_eq!(err.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn bindings_authorize_groups_and_feed_the_federation_file() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_in(dir.path()).await;
    core.create_app(NewApplication {
        name: "sf".into(),
        ..Default::default()
    })
    .await
    .unwrap();
    core.create_user(UserInput {
        federation_id: Some("F-1".into()),
        ..person("b@example.com", "B", "Two")
    })
    .await
    .unwrap();
    core.create_user(person("a@example.com", "A", "One"))
        .await
        .unwrap();
    core.create_user(person("c@example.com", "C", "Three"))
        .await
        .unwrap();
    core.create_group(group("Sales")).await.unwrap();
    core.create_group(group("Support")).await.unwrap();
    core.add_group_members("Sales", &s(&["a@example.com", "b@example.com"]))
        .await
        .unwrap();
    core.add_group_members("Support", &s(&["b@example.com"]))
        .await
        .unwrap();

    let empty = core.federation_csv("sf").await.unwrap();
    assert_eq!(empty.users, 0, "no group bound yet");
    assert_eq!(empty.csv.trim(), "Username,FederationIdentifier");

    assert!(core.set_app_group("sf", "Sales", true).await.unwrap());
    assert!(core.set_app_group("sf", "support", true).await.unwrap());
    assert!(
        !core.set_app_group("sf", "Sales", true).await.unwrap(),
        "already bound"
    );
    let access = core.app_groups("sf").await.unwrap();
    assert_eq!(access.len(), 2);
    assert!(access.iter().all(|g| g.bound));

    let file = core.federation_csv("sf").await.unwrap();
    assert_eq!(
        file.users, 2,
        "b is in both groups but listed once; c is in none"
    );
    assert_eq!(
        file.csv, "Username,FederationIdentifier\na@example.com,a@example.com\nb@example.com,F-1\n",
        "sorted by email; no Federation ID falls back to the email"
    );

    core.set_app_group("sf", "Sales", false).await.unwrap();
    assert_eq!(core.federation_csv("sf").await.unwrap().users, 1);
    let err = core.federation_csv("nope").await.expect_err("no such app");
    assert_eq!(err.code, ErrorCode::NotFound);
    let err = core
        .set_app_group("sf", "Nope", true)
        .await
        .expect_err("no such group");
    assert_eq!(err.code, ErrorCode::NotFound);

    core.delete_app("sf").await.unwrap();
    assert_eq!(
        count(&core, "app_group_bindings").await,
        0,
        "deleting the app drops its bindings"
    );
}

#[tokio::test]
async fn every_change_lands_in_the_feed_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_in(dir.path()).await;
    core.create_app(NewApplication {
        name: "sf".into(),
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(core.directory_change_mark().await.unwrap(), 0, "empty feed");
    let u = core
        .create_user(person("a@example.com", "A", "One"))
        .await
        .unwrap();
    let mut edit = u.to_input();
    edit.department = "Ops".into();
    core.update_user(&u.id, edit.clone()).await.unwrap();
    let mark = core.directory_change_mark().await.unwrap();
    core.update_user(&u.id, edit).await.unwrap();
    assert_eq!(
        core.directory_change_mark().await.unwrap(),
        mark,
        "saving without a change records nothing"
    );
    core.set_users_suspended(&s(&["a@example.com"]), true)
        .await
        .unwrap();
    core.set_users_suspended(&s(&["a@example.com"]), false)
        .await
        .unwrap();
    core.create_group(group("G")).await.unwrap();
    core.add_group_members("G", &s(&["a@example.com"]))
        .await
        .unwrap();
    core.set_app_group("sf", "G", true).await.unwrap();
    core.delete_group("G").await.unwrap();
    core.delete_users(&s(&["a@example.com"])).await.unwrap();
    use ChangeKind::*;
    assert_eq!(
        feed_kinds(&core, 0).await,
        [
            UserCreated,
            UserUpdated,
            UserSuspended,
            UserUnsuspended,
            GroupCreated,
            MemberAdded,
            BindingAdded,
            MemberRemoved,
            BindingRemoved,
            GroupDeleted,
            UserDeleted
        ],
        "deleting a group records the memberships and bindings it took along"
    );
    let all = core.directory_changes_since(0, 100).await.unwrap();
    let newest = all.last().map(|c| c.id);
    assert_eq!(
        core.directory_newest_since(0, &[]).await.unwrap(),
        (newest, true)
    );
    assert_eq!(
        core.directory_newest_since(0, &[ChangeSource::Admin])
            .await
            .unwrap(),
        (newest, false),
        "every change here is the admin's"
    );
    assert_eq!(
        core.directory_newest_since(newest.unwrap_or(0), &[])
            .await
            .unwrap(),
        (None, false),
        "nothing past the newest"
    );
    let last = all.last().cloned().unwrap();
    assert_eq!(last.user_id.as_deref(), Some(u.id.as_str()));
    assert_eq!(
        last.detail, "a@example.com",
        "the feed keeps who was deleted"
    );
}

const GOOD: &str = "\
email,firstname,lastname,department,suspended,groups,shoe size
ada@example.com,Ada,Lovelace,Engineering,false,Admins;Engineering,42
grace@example.com,Grace,Hopper,Navy,yes,Engineering,40
";

#[tokio::test]
async fn import_preview_writes_nothing_and_commit_upserts() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_in(dir.path()).await;
    core.create_user(UserInput {
        job_title: "Admiral".into(),
        ..person("GRACE@example.com", "G", "H")
    })
    .await
    .unwrap();
    let mark = core.directory_change_mark().await.unwrap();

    let preview = core.preview_csv_import(GOOD).await.unwrap();
    assert_eq!(preview.rows, 2);
    assert_eq!(
        (preview.creates, preview.updates, preview.unchanged),
        (1, 1, 0)
    );
    assert_eq!(preview.new_groups, ["Admins", "Engineering"]);
    assert_eq!(preview.memberships_added, 3);
    assert_eq!(
        preview.ignored_columns,
        ["shoe size"],
        "unknown columns are named, not guessed"
    );
    assert_eq!(preview.error_count, 0);
    assert_eq!(
        core.directory_change_mark().await.unwrap(),
        mark,
        "a preview writes nothing"
    );
    assert_eq!(count(&core, "users").await, 1);
    assert_eq!(count(&core, "groups").await, 0);

    let summary = core.import_csv(GOOD).await.unwrap();
    assert_eq!(
        (summary.created, summary.updated, summary.groups_created),
        (1, 1, 2)
    );
    assert_eq!(summary.memberships_added, 3);
    let grace = core.get_user("grace@example.com").await.unwrap();
    assert_eq!(
        grace.email, "grace@example.com",
        "the file's spelling of the email wins"
    );
    assert_eq!(grace.firstname, "Grace");
    assert!(grace.suspended, "\"yes\" is true");
    assert_eq!(
        grace.job_title, "Admiral",
        "a column the file lacks keeps its value"
    );
    assert_eq!(grace.groups, ["Engineering"]);
    assert_eq!(
        core.get_user("ada@example.com").await.unwrap().groups,
        ["Admins", "Engineering"]
    );

    // The same file again changes nothing; a groups cell replaces the memberships.
    let again = core.preview_csv_import(GOOD).await.unwrap();
    assert_eq!((again.creates, again.updates, again.unchanged), (0, 0, 2));
    assert_eq!(again.memberships_added + again.memberships_removed, 0);
    let moved = "email,groups\nada@example.com,Admins\n";
    let summary = core.import_csv(moved).await.unwrap();
    assert_eq!(
        (summary.memberships_added, summary.memberships_removed),
        (0, 1)
    );
    assert_eq!(
        core.get_user("ada@example.com").await.unwrap().groups,
        ["Admins"]
    );
    let kinds = feed_kinds(&core, mark).await;
    assert!(kinds.contains(&ChangeKind::UserCreated) && kinds.contains(&ChangeKind::UserUpdated));
    assert_eq!(
        kinds.last(),
        Some(&ChangeKind::MemberRemoved),
        "imports feed the change log too"
    );
}

#[tokio::test]
async fn bad_rows_are_listed_by_line_and_block_the_whole_import() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_in(dir.path()).await;
    let text = "\
email,firstname,lastname,suspended,federationId
ok@example.com,Ok,Person,false,F1
no-at-sign,Bad,Email,false,
dup@example.com,A,B,false,
\"quoted,comma\"@example.com,Bad,Chars,false,
DUP@example.com,C,D,false,
nolast@example.com,No,,false,
flag@example.com,F,G,maybe,
,,,,
fed@example.com,F,G,false,F1
short@example.com,Too,Short
";
    let preview = core.preview_csv_import(text).await.unwrap();
    let lines: Vec<u32> = preview.errors.iter().map(|e| e.line).collect();
    assert_eq!(
        lines,
        [3, 5, 6, 7, 8, 10, 11],
        "every bad row, by its line in the file"
    );
    let msg = |line: u32| {
        preview
            .errors
            .iter()
            .find(|e| e.line == line)
            .map(|e| e.message.clone())
            .unwrap()
    };
    assert!(msg(3).contains("no @"), "{}", msg(3));
    assert!(msg(5).contains("refuses"), "{}", msg(5));
    assert!(msg(6).contains("also on line 4"), "{}", msg(6));
    assert!(msg(7).contains("last name"), "{}", msg(7));
    assert!(msg(8).contains("true or false"), "{}", msg(8));
    assert!(
        msg(10).contains("F1") && msg(10).contains("ok@example.com"),
        "{}",
        msg(10)
    );
    assert!(msg(11).contains("3 cells"), "{}", msg(11));
    assert_eq!(
        preview.blank_rows, 1,
        "a row of empty cells is skipped and counted"
    );
    assert_eq!(preview.creates, 2, "the good rows are still planned");

    let err = core
        .import_csv(text)
        .await
        .expect_err("bad rows refuse the import");
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(
        err.message.contains("7 row(s)") && err.message.contains("line 3"),
        "{}",
        err.message
    );
    assert!(
        err.message.contains("Nothing was imported"),
        "{}",
        err.message
    );
    assert_eq!(
        count(&core, "users").await,
        0,
        "all or nothing: the good rows were not written"
    );
    assert_eq!(core.directory_change_mark().await.unwrap(), 0);
}

#[tokio::test]
async fn unreadable_files_are_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_in(dir.path()).await;
    let err = core
        .preview_csv_import("first,last\nA,B\n")
        .await
        .expect_err("no email column");
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("\"email\""), "{}", err.message);
    let err = core.preview_csv_import("").await.expect_err("empty");
    assert!(
        err.message.contains("first line must name the columns"),
        "{}",
        err.message
    );
    let err = core
        .preview_csv_import("email,Email\na@example.com,b@example.com\n")
        .await
        .expect_err("two email columns");
    assert!(err.message.contains("keep one"), "{}", err.message);

    let mut many = String::from("email\n");
    for i in 0..=lanyard_core::directory::csv_import::MAX_ROWS {
        many.push_str(&format!("u{i}@e.co\n"));
    }
    let err = core
        .preview_csv_import(&many)
        .await
        .expect_err("too many rows");
    assert!(err.message.contains("Split it"), "{}", err.message);
    let huge = "x".repeat(lanyard_core::directory::csv_import::MAX_BYTES as usize + 1);
    let err = core.import_csv(&huge).await.expect_err("too large");
    assert!(err.message.contains("limit"), "{}", err.message);
}

#[tokio::test]
async fn export_round_trips_through_import() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_in(dir.path()).await;
    let text = "\
email,firstname,lastname,displayname,employeeType,jobTitle,employeeIdentifier,department,company,addressType,streetAddress,locality,region,postalCode,country,phoneType,phone,suspended,passwordExpired,federationId,groups
ada@example.com,Ada,Lovelace,Countess,Employee,Analyst,E1,R&D,\"Babbage, Ltd\",work,\"1 Main St\nFloor 2\",London,LDN,N1,GB,work,+44 1,false,true,ada-fed,Admins;R&D
";
    core.import_csv(text).await.unwrap();
    let ada = core.get_user("ada@example.com").await.unwrap();
    assert_eq!(ada.company, "Babbage, Ltd", "quoted commas survive");
    assert_eq!(
        ada.address.street_address, "1 Main St\nFloor 2",
        "quoted line breaks survive"
    );
    assert!(ada.password_expired);
    let exported = core.export_directory_csv().await.unwrap();
    assert!(
        exported.starts_with("email,firstname,lastname,displayname,employeeType"),
        "{exported}"
    );
    let preview = core.preview_csv_import(&exported).await.unwrap();
    assert_eq!(
        (
            preview.unchanged,
            preview.creates,
            preview.updates,
            preview.error_count
        ),
        (1, 0, 0, 0),
        "what the export writes, the import reads back as no change: {preview:?}"
    );
}
