//! Applications through the core, on a real SQLite file.

use lanyard_core::apps::{Environment, NewApplication};
use lanyard_core::clock::FixedClock;
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

fn new_app(name: &str) -> NewApplication {
    NewApplication {
        name: name.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn create_list_show_delete() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_in(dir.path()).await;
    assert!(
        core.list_apps().await.unwrap().is_empty(),
        "a new database has no applications"
    );

    let created = core
        .create_app(NewApplication {
            name: "sf-prod".into(),
            label: Some("Salesforce (prod)".into()),
            description: Some("Main org".into()),
            environment: Environment::Production,
            login_url: None,
            idp_path: None,
        })
        .await
        .unwrap();
    assert_eq!(created.label, "Salesforce (prod)");
    assert_eq!(
        created.idp_path, "sf-prod",
        "the IdP path is the name unless chosen"
    );
    assert_eq!(created.kind, "salesforce");
    assert_eq!(
        created.created_at.to_rfc3339(),
        "2026-11-28T10:00:00+00:00",
        "time comes from the injected clock"
    );
    core.create_app(NewApplication {
        environment: Environment::Sandbox,
        ..new_app("a-sandbox")
    })
    .await
    .unwrap();

    let names: Vec<_> = core
        .list_apps()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(names, ["a-sandbox", "sf-prod"], "listed by name");
    assert!(core.get_app("a-sandbox").await.unwrap().sandbox);

    core.delete_app("sf-prod").await.unwrap();
    let err = core.get_app("sf-prod").await.expect_err("deleted");
    assert_eq!(err.code, ErrorCode::NotFound);
    let err = core
        .delete_app("sf-prod")
        .await
        .expect_err("cannot delete twice");
    assert_eq!(err.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn duplicate_name_is_a_conflict_and_keeps_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_in(dir.path()).await;
    core.create_app(NewApplication {
        label: Some("First".into()),
        ..new_app("sf")
    })
    .await
    .unwrap();
    let err = core
        .create_app(NewApplication {
            label: Some("Second".into()),
            ..new_app("sf")
        })
        .await
        .expect_err("names are unique");
    assert_eq!(err.code, ErrorCode::Conflict);
    assert!(err.message.contains("already exists"), "{}", err.message);
    assert_eq!(
        core.get_app("sf").await.unwrap().label,
        "First",
        "the saved one is untouched"
    );
}

#[tokio::test]
async fn invalid_name_is_refused_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_in(dir.path()).await;
    let err = core
        .create_app(new_app("Sales Force"))
        .await
        .expect_err("not a slug");
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(
        err.message.contains("lowercase letters"),
        "states the rule: {}",
        err.message
    );
    assert!(core.list_apps().await.unwrap().is_empty());
}

#[tokio::test]
async fn applications_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_in(dir.path()).await;
    core.create_app(new_app("kept")).await.unwrap();
    core.close().await;
    let core = core_in(dir.path()).await;
    assert_eq!(core.get_app("kept").await.unwrap().name, "kept");
}
