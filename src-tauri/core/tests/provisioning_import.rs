//! The manual import against the practice org with more than 2,000 users, so the listing pages
//! with `id gt` (a deep startIndex is refused there, as Salesforce refuses it): statuses New and
//! Matches with differences, import with a group bound to the application, then a sync that
//! creates nobody and changes none of the imported users.

mod common;

use lanyard_core::clock::SystemClock;
use lanyard_core::directory::users::UserInput;
use lanyard_core::events::{EventFilter, EventName};
use lanyard_core::provisioning::import::{ImportRequest, ImportStatus, ListedUsers};
use lanyard_core::provisioning::import_view::{ImportQuery, ImportSort, ImportSortKey};
use lanyard_core::provisioning::run::Cancel;
use lanyard_core::provisioning::SyncOptions;
use std::sync::Arc;

/// Imports into the practice application, without progress or cancel.
async fn import(
    rig: &common::Rig,
    req: ImportRequest,
) -> Result<lanyard_core::provisioning::import::ImportResult, lanyard_core::ApiError> {
    rig.core
        .import_users("practice", req, None, Cancel::default())
        .await
}

#[tokio::test]
async fn import_more_than_two_thousand_users_then_sync_changes_nothing() {
    let rig = common::rig_with(
        lanyard_sim::SimConfig {
            users: 2_150,
            ..Default::default()
        },
        Arc::new(SystemClock),
    )
    .await;
    common::connect_practice(&rig).await;
    let remote_total = rig.sim.sim.org().users.len();
    assert!(
        remote_total > 2_000,
        "enough users that startIndex paging would be refused"
    );
    let some: serde_json::Value = rig.sim.sim.org().users.values().nth(10).cloned().unwrap();
    let matched = some["userName"].as_str().unwrap().to_owned();
    rig.core
        .create_user(UserInput {
            email: matched.clone(),
            firstname: "Local".into(),
            lastname: "Person".into(),
            job_title: "Directory title".into(),
            ..Default::default()
        })
        .await
        .unwrap();

    let list = rig.core.import_list("practice", false).await.unwrap();
    assert_eq!(
        list.len(),
        remote_total,
        "every remote user is listed once, across pages"
    );
    let mut names: Vec<&str> = list.iter().map(|r| r.username.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), remote_total, "no user listed twice");
    let m = list.iter().find(|r| r.username == matched).unwrap();
    assert_eq!(m.status, ImportStatus::Matches);
    assert!(
        m.differences
            .iter()
            .any(|d| d.attribute == "name.givenName"),
        "the differences are shown: {:?}",
        m.differences
    );
    let new_only = rig.core.import_list("practice", true).await.unwrap();
    assert_eq!(new_only.len(), remote_total - 1);

    let result = import(
        &rig,
        ImportRequest {
            group: Some("Imported from Salesforce".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        result.errors,
        vec![],
        "the practice org's users are all valid directory users"
    );
    assert_eq!(result.created as usize, remote_total - 1);
    assert_eq!(
        result.linked, 1,
        "the existing user is linked, not duplicated"
    );
    assert_eq!(result.group_members_added as usize, remote_total);
    let local = rig.core.get_user(&matched).await.unwrap();
    assert_eq!(
        local.job_title, "Directory title",
        "a Matches row keeps the directory's values"
    );

    let again = rig.core.import_list("practice", false).await.unwrap();
    assert!(again.iter().all(|r| r.status == ImportStatus::Imported));

    let sync = rig
        .core
        .sync("practice", SyncOptions::default(), None, Cancel::default())
        .await
        .unwrap();
    let created: Vec<&str> = sync
        .users
        .iter()
        .filter(|u| u.action == lanyard_core::provisioning::plan::UserAction::Create)
        .map(|u| u.user_name.as_str())
        .collect();
    assert_eq!(
        created,
        vec!["ada@practice.example.com"],
        "only the rig's own directory user, never in the target, is created; no imported user is"
    );
    assert_eq!(
        sync.summary.updated,
        1,
        "only the linked Matches user gets the directory's values: {:?}",
        sync.users
            .iter()
            .filter(|u| u.body.is_some())
            .map(|u| &u.user_name)
            .collect::<Vec<_>>()
    );
    let events = rig
        .core
        .query_events(&EventFilter {
            name: Some(EventName::DirectoryImportFromTarget),
            limit: 5,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(events.len(), 1, "the import is in the event log");
}

#[tokio::test]
async fn users_imported_without_a_group_are_not_deactivated_by_the_next_sync() {
    let rig = common::rig_with(
        lanyard_sim::SimConfig {
            users: 5,
            ..Default::default()
        },
        Arc::new(SystemClock),
    )
    .await;
    common::connect_practice(&rig).await;
    let names: Vec<String> = rig
        .sim
        .sim
        .org()
        .users
        .values()
        .take(2)
        .map(|u| u["userName"].as_str().unwrap().to_owned())
        .collect();
    let r = import(
        &rig,
        ImportRequest {
            usernames: Some(names.clone()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        (r.created, r.not_in_scope),
        (2, 2),
        "imported, but not linked: not in scope"
    );
    let sync = rig
        .core
        .sync("practice", SyncOptions::default(), None, Cancel::default())
        .await
        .unwrap();
    assert_eq!(sync.summary.deactivated, 0, "{:?}", sync.summary);
    for n in &names {
        let remote = rig
            .sim
            .sim
            .org()
            .users
            .values()
            .find(|u| u["userName"] == n.as_str())
            .cloned()
            .unwrap();
        assert_eq!(remote["active"], true, "{n} stays active in the target");
    }
}

#[tokio::test]
async fn a_cancelled_import_writes_nothing() {
    let rig = common::rig_with(
        lanyard_sim::SimConfig {
            users: 60,
            ..Default::default()
        },
        Arc::new(SystemClock),
    )
    .await;
    common::connect_practice(&rig).await;
    let before = rig.core.list_users(None).await.unwrap().len();
    // Cancelled once the import reports its one part (60 users) written: the check before the
    // commit rolls the transaction back.
    let (result, reports) = import_all(&rig, Some(1)).await;
    let err = result.expect_err("a cancelled import is refused");
    assert_eq!(
        reports,
        vec![(60, 60)],
        "a part was written before the cancel"
    );
    assert!(err.message.contains("nothing was written"), "{err:?}");
    assert_eq!(
        rig.core.list_users(None).await.unwrap().len(),
        before,
        "no user was created"
    );
    assert!(
        !rig.core
            .list_groups()
            .await
            .unwrap()
            .iter()
            .any(|g| g.name == "Imported"),
        "nor the group"
    );
    // Started again, it imports everything.
    let r = import(&rig, ImportRequest::default()).await.unwrap();
    assert_eq!(r.created, 60);
}

#[tokio::test]
async fn an_import_after_the_tables_listing_shares_it_instead_of_listing_again() {
    let rig = common::rig_with(
        lanyard_sim::SimConfig {
            users: 450,
            ..Default::default()
        },
        Arc::new(SystemClock),
    )
    .await;
    common::connect_practice(&rig).await;
    let requests = || {
        rig.sim
            .sim
            .api_usage
            .load(std::sync::atomic::Ordering::Relaxed)
    };
    // The table's listing, a page at a time as the window reads it.
    let mut read = rig.core.import_read("practice", None).await.unwrap();
    while let Some(at) = read.next {
        read = rig.core.import_read("practice", Some(&at)).await.unwrap();
    }
    let listed = read.listed;
    // The table's view of it: New first, a slice, and the ids "select all" takes.
    let q = ImportQuery {
        sort: vec![ImportSort {
            by: ImportSortKey::Status,
            desc: false,
        }],
        offset: 440,
        limit: 200,
        ..Default::default()
    };
    let view = rig.core.import_view("practice", &q).await.unwrap();
    assert_eq!(
        (view.total, view.complete, view.rows.len()),
        (450, true, 10)
    );
    assert_eq!(view.counts.listed, 450);
    let ids = rig.core.import_ids("practice", &q).await.unwrap();
    assert_eq!(ids.positions.len(), 450);
    assert_eq!(ids.positions[440], view.positions[0], "the same order");
    let new = view.counts.new;
    assert_eq!(listed, 450);
    let before = requests();
    let wanted: Vec<String> = rig
        .sim
        .sim
        .org()
        .users
        .values()
        .take(30)
        .map(|u| u["userName"].as_str().unwrap().to_uppercase())
        .chain(["nobody@practice.example.com".to_owned()])
        .collect();
    let r = import(
        &rig,
        ImportRequest {
            usernames: Some(wanted),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        requests(),
        before,
        "the complete listing the table just made is used: the target is not listed again"
    );
    assert_eq!(r.created, 30, "usernames compare without regard to case");
    assert_eq!(r.not_found, vec!["nobody@practice.example.com".to_owned()]);

    // The table's statuses follow the import without reading the target again: the 30 are in
    // the directory, not linked (no group bound to the application): Matches.
    let counts = |v: &lanyard_core::provisioning::import_view::ImportView| {
        (v.counts.new, v.counts.matches, v.counts.imported)
    };
    let all = ImportQuery::default();
    let v = rig.core.import_view("practice", &all).await.unwrap();
    assert_eq!(
        counts(&v),
        (new - 30, view.counts.matches + 30, view.counts.imported)
    );

    // The table's selection by position (two New users), into a group bound to the
    // application: linked, so Imported.
    let two = rig
        .core
        .import_view(
            "practice",
            &ImportQuery {
                status: Some(ImportStatus::New),
                limit: 2,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let r = import(
        &rig,
        ImportRequest {
            listed: Some(ListedUsers {
                listing: two.listing,
                positions: two.positions.clone(),
            }),
            group: Some("Imported by position".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!((r.created, r.not_in_scope), (2, 0), "{r:?}");
    let v = rig.core.import_view("practice", &all).await.unwrap();
    assert_eq!(
        counts(&v),
        (new - 32, view.counts.matches + 30, view.counts.imported + 2)
    );
    let past = import(
        &rig,
        ImportRequest {
            listed: Some(ListedUsers {
                listing: two.listing,
                positions: vec![450],
            }),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert!(
        past.message.contains("select them again"),
        "{}",
        past.message
    );

    // The listing stays for the table (and a next import within minutes; the two above were
    // looked up one by one, as any few usernames are).
    let before = requests();
    let r = import(&rig, ImportRequest::default()).await.unwrap();
    assert_eq!(requests(), before, "not listed again");
    assert_eq!(r.created, 418, "{r:?}");
    // Closed, the table's listing is gone: the next import lists the target itself.
    rig.core.import_close("practice").await.unwrap();
    let e = rig.core.import_view("practice", &q).await.unwrap_err();
    assert!(e.message.contains("read it again"), "{}", e.message);
    import(&rig, ImportRequest::default()).await.unwrap();
    assert!(requests() > before, "listed again");
}

#[tokio::test]
async fn a_large_import_reports_each_part_written_and_a_cancel_between_parts_rolls_all_back() {
    let rig = common::rig_with(
        lanyard_sim::SimConfig {
            users: 4_100,
            ..Default::default()
        },
        Arc::new(SystemClock),
    )
    .await;
    common::connect_practice(&rig).await;
    let before = rig.core.list_users(None).await.unwrap().len();
    // Cancelled once the first part (1,000 users) is written: the next parts are not written
    // and the first is rolled back with the transaction.
    let (result, reports) = import_all(&rig, Some(1_000)).await;
    let err = result.expect_err("a cancelled import is refused");
    assert!(err.message.contains("nothing was written"), "{err:?}");
    assert_eq!(
        reports,
        vec![(1_000, 4_100)],
        "reading reports nothing; the first part was written and reported, then the import stopped"
    );
    assert_eq!(
        rig.core.list_users(None).await.unwrap().len(),
        before,
        "the part already written was rolled back"
    );
    // Started again: every part, in order, up to all of them.
    let (result, reports) = import_all(&rig, None).await;
    let r = result.unwrap();
    assert_eq!((r.created, r.group_members_added), (4_100, 4_100));
    assert_eq!(
        reports,
        vec![
            (1_000, 4_100),
            (2_000, 4_100),
            (3_000, 4_100),
            (4_000, 4_100),
            (4_100, 4_100)
        ],
        "each part as it is written"
    );
    assert_eq!(
        rig.core.list_users(Some("Imported")).await.unwrap().len(),
        4_100
    );
}

/// Imports every user of the practice org into "Imported", cancelling once `cancel_at` users
/// are reported written (None: never); answers the result and the (done, total) reports.
async fn import_all(
    rig: &common::Rig,
    cancel_at: Option<u32>,
) -> (
    Result<lanyard_core::provisioning::import::ImportResult, lanyard_core::ApiError>,
    Vec<(u32, u32)>,
) {
    let cancel = Cancel::default();
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let progress = {
        let (cancel, seen) = (cancel.clone(), seen.clone());
        Arc::new(move |p: lanyard_core::provisioning::run::Progress| {
            seen.lock().unwrap().push((p.done, p.total));
            if cancel_at.is_some_and(|at| p.done >= at) {
                cancel.cancel();
            }
        })
    };
    let result = rig
        .core
        .import_users(
            "practice",
            ImportRequest {
                group: Some("Imported".into()),
                ..Default::default()
            },
            Some(progress),
            cancel,
        )
        .await;
    let reports = seen.lock().unwrap().clone();
    (result, reports)
}
