//! Provisioning against the practice org: the OAuth dance (the test plays the browser's consent
//! step), a first sync that lists the target once, an unchanged re-sync with no request, a
//! suspension pushed as a deactivation, dry-run sending no write, the deletion guard, and a
//! group Salesforce does not have reported instead of created.

mod common;

use lanyard_core::directory::{groups::GroupInput, users::UserInput};
use lanyard_core::events::{EventFilter, EventName, Outcome};
use lanyard_core::provisioning::run::Cancel;
use lanyard_core::provisioning::SyncOptions;
use lanyard_core::Core;

async fn add_users(core: &Core, group: &str, n: usize) {
    for i in 0..n {
        core.create_user(UserInput {
            email: format!("user{i:04}@acme.example"),
            firstname: format!("First{i}"),
            lastname: format!("Last{i}"),
            department: "Sales".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    }
    let emails: Vec<String> = (0..n).map(|i| format!("user{i:04}@acme.example")).collect();
    core.add_group_members(group, &emails).await.unwrap();
}

async fn connect(rig: &common::Rig) {
    common::connect_practice(rig).await;
}

fn remote_users(rig: &common::Rig) -> Vec<serde_json::Value> {
    rig.sim.sim.org().users.values().cloned().collect()
}

#[tokio::test]
async fn oauth_connect_first_sync_resync_and_deactivation() {
    let rig = common::rig().await;
    rig.core
        .create_group(GroupInput {
            name: "All Sales".into(),
            description: String::new(),
        })
        .await
        .unwrap();
    rig.core
        .set_app_group("practice", "All Sales", true)
        .await
        .unwrap();
    add_users(&rig.core, "All Sales", 60).await;
    connect(&rig).await;
    let before = remote_users(&rig).len();

    let dry = rig
        .core
        .sync(
            "practice",
            SyncOptions {
                dry_run: true,
                ..Default::default()
            },
            None,
            Cancel::default(),
        )
        .await
        .unwrap();
    assert_eq!(dry.users.len(), 61, "60 users and ada are planned");
    assert_eq!(remote_users(&rig).len(), before, "a dry run creates nobody");
    let writes = rig
        .sim
        .sim
        .faults
        .requests()
        .iter()
        .filter(|r| r.method != "GET" && r.path.starts_with("/services/scim"))
        .count();
    assert_eq!(writes, 0, "no write left the process in the dry run");
    let body = dry.users[0].body.as_ref().expect("a create shows its body");
    assert_eq!(body["locale"], "en_US");

    let first = rig
        .core
        .sync("practice", SyncOptions::default(), None, Cancel::default())
        .await
        .unwrap();
    assert_eq!(first.summary.created, 61, "{:?}", first.summary);
    assert_eq!(
        first.summary.failed, 1,
        "only the group Salesforce lacks: {:?}",
        first.failures
    );
    assert_eq!(remote_users(&rig).len(), before + 61);
    assert_eq!(
        first.summary.groups_updated, 1,
        "All Sales linked: {:?}",
        first.groups
    );
    let group = rig
        .sim
        .sim
        .org()
        .groups
        .values()
        .find(|g| g["displayName"] == "All Sales")
        .cloned()
        .unwrap();
    assert_eq!(
        group["members"].as_array().unwrap().len(),
        60,
        "the public group got its members"
    );

    let again = rig
        .core
        .sync("practice", SyncOptions::default(), None, Cancel::default())
        .await
        .unwrap();
    assert_eq!(
        again.summary.planned, 1,
        "only the missing group remains: {:?}",
        again.groups
    );
    assert_eq!(again.summary.created + again.summary.updated, 0);

    rig.core
        .set_users_suspended(&["user0003@acme.example".to_owned()], true)
        .await
        .unwrap();
    let third = rig
        .core
        .sync("practice", SyncOptions::default(), None, Cancel::default())
        .await
        .unwrap();
    assert_eq!(third.summary.updated, 1, "{:?}", third.summary);
    let remote = remote_users(&rig)
        .into_iter()
        .find(|u| u["userName"] == "user0003@acme.example")
        .unwrap();
    assert_eq!(remote["active"], false, "suspended → active=false");

    let events = rig
        .core
        .query_events(&EventFilter {
            name: Some(EventName::UserCreateProvision),
            outcome: Some(Outcome::Ok),
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(events.len(), 61, "one named event per create");
    assert!(events
        .iter()
        .all(|e| e.run_id.is_some() && e.target.is_some()));
    let missing = rig
        .core
        .query_events(&EventFilter {
            name: Some(EventName::GroupUpdateProvision),
            outcome: Some(Outcome::Failed),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        missing.iter().any(|e| e
            .detail
            .contains("Create the public group in Salesforce Setup")),
        "a group Salesforce lacks is reported with what to do"
    );
}

#[tokio::test]
async fn the_deletion_guard_holds_an_unbinding_until_allowed() {
    let rig = common::rig().await;
    rig.core
        .create_group(GroupInput {
            name: "Support".into(),
            description: String::new(),
        })
        .await
        .unwrap();
    rig.core
        .set_app_group("practice", "Support", true)
        .await
        .unwrap();
    add_users(&rig.core, "Support", 30).await;
    connect(&rig).await;
    let first = rig
        .core
        .sync("practice", SyncOptions::default(), None, Cancel::default())
        .await
        .unwrap();
    assert_eq!(first.summary.created, 31);
    rig.core
        .set_app_group("practice", "Support", false)
        .await
        .unwrap();
    let held = rig
        .core
        .sync("practice", SyncOptions::default(), None, Cancel::default())
        .await
        .unwrap();
    assert_eq!(held.summary.held, 30, "{:?}", held.summary);
    assert_eq!(held.summary.deactivated, 0);
    assert!(held.held_reason.as_deref().unwrap_or("").contains("allow"));
    let active = remote_users(&rig)
        .iter()
        .filter(|u| {
            u["active"] == true
                && u["userName"]
                    .as_str()
                    .unwrap_or("")
                    .ends_with("@acme.example")
        })
        .count();
    assert_eq!(active, 30, "nobody was deactivated while held");
    let allowed = rig
        .core
        .sync(
            "practice",
            SyncOptions {
                allow_deactivations: true,
                ..Default::default()
            },
            None,
            Cancel::default(),
        )
        .await
        .unwrap();
    assert_eq!(allowed.summary.deactivated, 30, "{:?}", allowed.summary);
}

async fn bound_group(rig: &common::Rig, name: &str) {
    rig.core
        .create_group(GroupInput {
            name: name.into(),
            description: String::new(),
        })
        .await
        .unwrap();
    rig.core
        .set_app_group("practice", name, true)
        .await
        .unwrap();
}

async fn sync(rig: &common::Rig) -> lanyard_core::provisioning::SyncReport {
    rig.core
        .sync("practice", SyncOptions::default(), None, Cancel::default())
        .await
        .unwrap()
}

#[tokio::test]
async fn leaving_scope_removes_the_user_from_the_remote_group_and_deactivates_it() {
    let rig = common::rig().await;
    bound_group(&rig, "All Sales").await;
    add_users(&rig.core, "All Sales", 3).await;
    connect(&rig).await;
    sync(&rig).await;
    let members = |rig: &common::Rig| {
        rig.sim
            .sim
            .org()
            .groups
            .values()
            .find(|g| g["displayName"] == "All Sales")
            .unwrap()["members"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(members(&rig), 3);
    rig.core
        .remove_group_members("All Sales", &["user0001@acme.example".to_owned()])
        .await
        .unwrap();
    let r = sync(&rig).await;
    assert_eq!(r.summary.deactivated, 1, "{:?}", r.summary);
    assert_eq!(
        members(&rig),
        2,
        "the user who left scope left the public group too: {:?}",
        r.groups
    );
}

#[tokio::test]
async fn a_user_deleted_and_added_again_takes_over_the_remote_user() {
    let rig = common::rig().await;
    bound_group(&rig, "Support").await;
    add_users(&rig.core, "Support", 1).await;
    connect(&rig).await;
    assert_eq!(sync(&rig).await.summary.created, 2);
    let before = remote_users(&rig).len();
    rig.core
        .delete_users(&["user0000@acme.example".to_owned()])
        .await
        .unwrap();
    add_users(&rig.core, "Support", 1).await;
    let r = sync(&rig).await;
    assert_eq!(
        (r.summary.created, r.summary.deactivated),
        (0, 0),
        "{:?}",
        r.summary
    );
    assert_eq!(
        r.summary.linked, 1,
        "the new directory user is linked to the same remote user"
    );
    assert_eq!(remote_users(&rig).len(), before, "nobody was created");
    let remote = remote_users(&rig)
        .into_iter()
        .find(|u| u["userName"] == "user0000@acme.example")
        .unwrap();
    assert_eq!(
        remote["active"], true,
        "the remote user was not deactivated on the way"
    );
    assert_eq!(
        sync(&rig).await.summary.planned,
        1,
        "then it is settled (only the missing Sales group remains)"
    );
}

#[tokio::test]
async fn one_sync_at_a_time_per_application() {
    let rig = common::rig().await;
    let app = rig.core.get_app("practice").await.unwrap();
    let pool = rig.core.store().pool();
    let now = chrono::Utc::now();
    let first = lanyard_core::provisioning::lock::acquire(pool, &app.id, "practice", "run-1", now)
        .await
        .unwrap();
    let second =
        lanyard_core::provisioning::lock::acquire(pool, &app.id, "practice", "run-2", now).await;
    let Err(e) = second else {
        panic!("a second sync of the same application is refused")
    };
    assert!(e.to_string().contains("already running"), "{e}");
    first.release().await;
    lanyard_core::provisioning::lock::acquire(pool, &app.id, "practice", "run-3", now)
        .await
        .expect("free again once the first ended");
}
#[tokio::test]
async fn test_connection_reports_the_daily_api_usage() {
    let rig = common::rig().await;
    connect(&rig).await;
    let report = rig.core.scim_test("practice").await.unwrap();
    let usage = report
        .api_usage
        .as_deref()
        .expect("the practice org sends Sforce-Limit-Info on SCIM responses, as Salesforce does");
    let (used, limit) = usage
        .strip_prefix("api-usage=")
        .and_then(|r| r.split_once('/'))
        .expect("Salesforce's form is api-usage=N/M");
    assert_eq!(
        limit, "15000",
        "the practice org reports a Developer Edition allocation"
    );
    let handled = rig
        .sim
        .sim
        .api_usage
        .load(std::sync::atomic::Ordering::Relaxed);
    assert_eq!(
        used.parse::<u64>().unwrap(),
        handled,
        "Test connection's requests were the last ones, so the header it reports counts every SCIM request the org handled ({usage})"
    );
    assert!(
        handled >= 4,
        "connect and test each read the config and the Entitlements: {handled}"
    );
}

#[tokio::test]
async fn one_user_on_demand_is_looked_up_created_and_added_to_its_group_alone() {
    let rig = common::rig().await;
    rig.core
        .create_group(GroupInput {
            name: "All Sales".into(),
            description: String::new(),
        })
        .await
        .unwrap();
    rig.core
        .set_app_group("practice", "All Sales", true)
        .await
        .unwrap();
    add_users(&rig.core, "All Sales", 30).await;
    connect(&rig).await;
    rig.core
        .sync("practice", SyncOptions::default(), None, Cancel::default())
        .await
        .unwrap();
    // Two changes in the directory; only one is pushed now.
    let mut other = rig
        .core
        .get_user("user0001@acme.example")
        .await
        .unwrap()
        .to_input();
    other.job_title = "Manager".into();
    rig.core
        .update_user("user0001@acme.example", other)
        .await
        .unwrap();
    rig.core
        .create_user(UserInput {
            email: "late@acme.example".into(),
            firstname: "Late".into(),
            lastname: "Comer".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    rig.core
        .add_group_members("All Sales", &["late@acme.example".to_owned()])
        .await
        .unwrap();
    let one = rig
        .core
        .sync(
            "practice",
            SyncOptions {
                only_user: Some("Late@acme.example".into()),
                ..Default::default()
            },
            None,
            Cancel::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        (
            one.summary.created,
            one.summary.updated,
            one.summary.groups_updated
        ),
        (1, 0, 1),
        "the one user is created and added to its group; the other change waits: {:?}",
        one.summary
    );
    assert_eq!(
        one.summary.requests, 3,
        "lookup by userName, create, one membership patch: {:?}",
        one.summary
    );
    let late = remote_users(&rig)
        .into_iter()
        .find(|u| u["userName"] == "late@acme.example")
        .expect("created");
    let group = rig
        .sim
        .sim
        .org()
        .groups
        .values()
        .find(|g| g["displayName"] == "All Sales")
        .cloned()
        .unwrap();
    let members = group["members"].as_array().unwrap();
    assert_eq!(members.len(), 31, "the group gained that user only");
    assert!(members.iter().any(|m| m["value"] == late["id"]));
    let manager = remote_users(&rig)
        .into_iter()
        .find(|u| u["userName"] == "user0001@acme.example")
        .unwrap();
    assert_ne!(
        manager["title"], "Manager",
        "another user's change is not pushed"
    );
    let rest = rig
        .core
        .sync("practice", SyncOptions::default(), None, Cancel::default())
        .await
        .unwrap();
    assert_eq!(
        (rest.summary.created, rest.summary.updated),
        (0, 1),
        "the full sync pushes the rest and nothing twice: {:?}",
        rest.summary
    );
}
