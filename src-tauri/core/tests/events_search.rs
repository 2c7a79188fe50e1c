//! The event log's text search keeps one meaning whichever way it is answered (the trigram index
//! for words of three characters or more, LIKE alone otherwise or within a run): every word must be
//! in the detail, target, name, application or error code, as a substring, in any (ASCII) case.
//! The index follows the events table: an event the retention deletes is gone from it too.

use chrono::{DateTime, Duration, Utc};
use lanyard_core::clock::FixedClock;
use lanyard_core::events::{self, Event, EventFilter, EventName, NewEvent, Outcome};
use lanyard_core::secrets::MemoryStore;
use lanyard_core::Core;
use std::sync::Arc;

async fn open(dir: &std::path::Path, now: DateTime<Utc>) -> Core {
    Core::open(
        dir,
        Arc::new(MemoryStore::default()),
        Arc::new(FixedClock(now)),
    )
    .await
    .expect("open core")
}

fn text(t: &str) -> EventFilter {
    EventFilter {
        text: Some(t.to_owned()),
        limit: 100,
        ..Default::default()
    }
}

async fn ids(core: &Core, f: &EventFilter) -> Vec<u32> {
    let found = core.query_events(f).await.expect("query");
    found.into_iter().map(|e| e.id).collect()
}

/// The search's meaning, written out plainly: what the index and LIKE must both agree with.
fn holds_every_word(e: &Event, text: &str) -> bool {
    let fields = [
        Some(e.detail.as_str()),
        e.target.as_deref(),
        Some(e.name.as_str()),
        e.app_name.as_deref(),
        e.error_code.as_deref(),
    ];
    text.split_whitespace().all(|word| {
        let word = word.to_ascii_lowercase();
        fields
            .iter()
            .flatten()
            .any(|f| f.to_ascii_lowercase().contains(&word))
    })
}

fn sample() -> Vec<NewEvent> {
    vec![
        NewEvent::new(
            Some("acme"),
            EventName::UserCreateProvision,
            Outcome::Failed,
        )
        .target("ann.lee@acme.example")
        .detail("Salesforce refused the user: duplicate")
        .http(Some(409), Some("DUPLICATE_USERNAME"))
        .run("run-1"),
        NewEvent::new(Some("globex"), EventName::SamlResponseSigned, Outcome::Ok)
            .detail("Signed for ANN at the loopback"),
        NewEvent::new(Some("acme"), EventName::GroupUpdateProvision, Outcome::Ok)
            .target("Sales Team")
            .detail("members pushed")
            .run("run-1"),
        NewEvent::new(None, EventName::IdmIntegrationActivate, Outcome::Warning)
            .detail("token said \"hi\" then 50% of it\nexpired on a second line"),
        NewEvent::new(Some("acme"), EventName::UserDeprovision, Outcome::Ok)
            .target("bob@acme.example")
            .detail("deactivated"),
    ]
}

#[tokio::test]
async fn every_word_in_some_field_any_case_the_same_with_or_without_the_index() {
    let dir = tempfile::tempdir().expect("temp dir");
    let core = open(dir.path(), Utc::now()).await;
    events::record_many(core.store().pool(), Utc::now(), &sample()).await;
    let all = core
        .query_events(&EventFilter {
            limit: 100,
            ..Default::default()
        })
        .await
        .expect("all events");
    assert_eq!(all.len(), 5);

    let expect = |t: &str, run: Option<&str>| -> Vec<u32> {
        all.iter()
            .filter(|e| holds_every_word(e, t))
            .filter(|e| run.is_none() || e.run_id.as_deref() == run)
            .map(|e| e.id)
            .collect()
    };
    let by_target = |t: &str| {
        all.iter()
            .find(|e| e.target.as_deref() == Some(t))
            .map(|e| e.id)
    };
    let ann = by_target("ann.lee@acme.example").expect("ann's event");
    let team = by_target("Sales Team").expect("the group's event");

    // (words, what they must find); each word is looked for in every field.
    let cases: [(&str, usize); 14] = [
        ("ANN duplicate", 1),  // target + detail, another case
        ("ann", 2),            // target of one, detail of another
        ("username", 1),       // the error code alone (the last field)
        ("GLOBEX signed", 1),  // application + detail
        ("team acme", 1),      // target + application
        ("group_update", 1),   // the name; `_` is a letter, not a wildcard
        ("ann sales", 1),      // "Salesforce" holds "sales"; the team is not ann's
        ("an", 2),             // under three characters: LIKE alone
        ("an acme", 1),        // a short word and an indexed one together
        ("\"hi\"", 1),         // quotes are letters
        ("50%", 1),            // `%` too
        ("second expired", 1), // two lines of one detail
        ("ann bob", 0),        // every word, not any
        ("deactivated nowhere", 0),
    ];
    for (words, count) in cases {
        let want = expect(words, None);
        assert_eq!(
            want.len(),
            count,
            "the sample holds {words:?} {count} time(s)"
        );
        assert_eq!(ids(&core, &text(words)).await, want, "text {words:?}");
        let in_run = EventFilter {
            run_id: Some("run-1".into()),
            ..text(words)
        };
        assert_eq!(
            ids(&core, &in_run).await,
            expect(words, Some("run-1")),
            "text {words:?} within a run (LIKE alone)"
        );
    }
    assert_eq!(ids(&core, &text("ANN duplicate")).await, vec![ann]);
    assert_eq!(ids(&core, &text("team acme")).await, vec![team]);

    // Full-text query syntax in a word is only letters: never an error, never an operator.
    for words in [
        "AND",
        "ann OR bob",
        "NOT near(ann",
        "^det:ail *",
        "-x+y",
        "\"\"\"",
        "(((",
    ] {
        assert_eq!(
            ids(&core, &text(words)).await,
            expect(words, None),
            "text {words:?}"
        );
    }

    // Paging back (`before`) goes on from the index's order.
    let older = EventFilter {
        before: Some(team),
        ..text("acme")
    };
    assert_eq!(ids(&core, &older).await, vec![ann]);
}

#[tokio::test]
async fn an_event_the_retention_deleted_is_no_longer_found_nor_indexed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let now = Utc::now();
    let core = open(dir.path(), now).await;
    let pool = core.store().pool();
    for (days, detail) in [(120, "ancient unicorn"), (1, "fresh unicorn")] {
        events::record_event(
            pool,
            now - Duration::days(days),
            NewEvent::new(Some("acme"), EventName::UserUpdateProvision, Outcome::Ok).detail(detail),
        )
        .await;
    }
    assert_eq!(ids(&core, &text("UNICORN")).await.len(), 2);
    assert_eq!(core.apply_event_retention().await.expect("retention"), 1);

    let found = core.query_events(&text("unicorn")).await.expect("query");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].detail, "fresh unicorn");
    assert!(ids(&core, &text("ancient")).await.is_empty());
    // The index itself forgot it (not merely hidden by the join with events) …
    let indexed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM events_search WHERE events_search MATCH '\"ancient\"'",
    )
    .fetch_one(pool)
    .await
    .expect("index lookup");
    assert_eq!(indexed, 0);
    // … and holds exactly what the events table holds.
    sqlx::query("INSERT INTO events_search (events_search, rank) VALUES ('integrity-check', 1)")
        .execute(pool)
        .await
        .expect("the index matches the events table");
}

#[tokio::test]
async fn events_recorded_before_the_index_existed_are_found_after_the_upgrade() {
    // A database at the schema before migration 0014, with an event in it …
    let old = tempfile::tempdir().expect("temp dir");
    let migrations = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
    for entry in std::fs::read_dir(migrations).expect("migrations folder") {
        let path = entry.expect("migration").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name < "0014" {
            std::fs::copy(&path, old.path().join(name)).expect("copy migration");
        }
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join(lanyard_core::paths::DB_FILE);
    {
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&db)
            .create_if_missing(true);
        let pool = sqlx::SqlitePool::connect_with(options).await.expect("db");
        let before = sqlx::migrate::Migrator::new(old.path())
            .await
            .expect("migrations before 0014");
        before.run(&pool).await.expect("old schema");
        events::record_event(
            &pool,
            Utc::now(),
            NewEvent::new(Some("acme"), EventName::UserCreateProvision, Outcome::Ok)
                .target("grace@acme.example"),
        )
        .await;
        pool.close().await;
    }
    // … is upgraded on open and its event found through the index.
    let core = open(dir.path(), Utc::now()).await;
    let found = core.query_events(&text("GRACE acme")).await.expect("query");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].target.as_deref(), Some("grace@acme.example"));
}
