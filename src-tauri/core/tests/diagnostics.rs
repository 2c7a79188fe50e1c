//! The diagnostics log: written to the data folder's logs/, and never holding a token.

mod common;

use lanyard_core::provisioning::run::Cancel;
use lanyard_core::provisioning::SyncOptions;
use lanyard_core::secrets::Sensitive;

#[tokio::test]
async fn a_sync_is_logged_without_its_token() {
    let rig = common::rig().await;
    let guard = lanyard_core::diagnostics::init(Some(rig._dir.path()), false);
    let base = format!("{}/services/scim/v2", rig.base());
    rig.core
        .scim_connect_bearer("practice", &base, Sensitive::new(rig.token.clone()))
        .await
        .unwrap();
    let report = rig
        .core
        .sync("practice", SyncOptions::default(), None, Cancel::default())
        .await
        .unwrap();
    assert_eq!(report.summary.created, 1);
    let dir = guard.dir.clone().expect("a log folder in the data folder");
    drop(guard);
    let mut text = String::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        text.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    assert!(
        text.contains("sync finished"),
        "the run is in the log: {text}"
    );
    assert!(
        !text.contains(&rig.token),
        "the bearer token never reaches the log"
    );
}
