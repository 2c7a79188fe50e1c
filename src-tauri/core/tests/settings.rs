//! Installation settings in SQLite, and the event log's retention applied from them.

use lanyard_core::clock::SharedClock;
use lanyard_core::events::{self, EventFilter, EventName, NewEvent, Outcome};
use lanyard_core::secrets::MemoryStore;
use lanyard_core::settings::{Settings, EVENTS_RETENTION_DEFAULT_DAYS};
use lanyard_core::{Core, ErrorCode};
use std::sync::Arc;

async fn open(dir: &std::path::Path, clock: SharedClock) -> Core {
    Core::open(dir, Arc::new(MemoryStore::default()), clock)
        .await
        .unwrap()
}

#[tokio::test]
async fn retention_defaults_to_ninety_days_is_kept_and_refuses_nonsense() {
    let dir = tempfile::tempdir().unwrap();
    let clock: SharedClock = Arc::new(lanyard_core::clock::SystemClock);
    let core = open(dir.path(), clock.clone()).await;
    assert_eq!(
        core.settings().await.unwrap().events_retention_days,
        EVENTS_RETENTION_DEFAULT_DAYS
    );
    assert_eq!(EVENTS_RETENTION_DEFAULT_DAYS, 90);
    for bad in [0, 3651] {
        let e = core
            .set_settings(Settings {
                events_retention_days: bad,
            })
            .await
            .expect_err("out of range");
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert!(e.message.contains("1 to 3650"), "{}", e.message);
    }
    core.set_settings(Settings {
        events_retention_days: 30,
    })
    .await
    .unwrap();
    drop(core);
    let core = open(dir.path(), clock).await;
    assert_eq!(
        core.settings().await.unwrap().events_retention_days,
        30,
        "kept across a restart"
    );
}

#[tokio::test]
async fn events_older_than_the_retention_are_removed_the_others_kept() {
    let dir = tempfile::tempdir().unwrap();
    let now = chrono::Utc::now();
    let core = open(dir.path(), Arc::new(lanyard_core::clock::FixedClock(now))).await;
    let pool = core.store().pool();
    for (days, detail) in [
        (120, "old"),
        (91, "just past"),
        (89, "recent"),
        (0, "today"),
    ] {
        events::record_event(
            pool,
            now - chrono::Duration::days(days),
            NewEvent::new(None, EventName::IdmIntegrationActivate, Outcome::Ok).detail(detail),
        )
        .await;
    }
    assert_eq!(core.apply_event_retention().await.unwrap(), 2);
    let left: Vec<String> = core
        .query_events(&EventFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.detail)
        .collect();
    assert_eq!(
        left,
        vec!["today", "recent"],
        "newest first, the old ones gone"
    );
    core.set_settings(Settings {
        events_retention_days: 1,
    })
    .await
    .unwrap();
    assert_eq!(core.apply_event_retention().await.unwrap(), 1);
    assert_eq!(
        core.apply_event_retention().await.unwrap(),
        0,
        "nothing twice"
    );
}
