//! The real OS keyring (Secret Service). Needs a reachable, unlocked keyring: the project's test
//! command runs these inside a private D-Bus session with gnome-keyring.

use lanyard_core::secrets::{KeyringStore, SecretName, SecretStore, Sensitive};

#[test]
#[ignore = "needs a Secret Service; the test command runs it inside a D-Bus session with gnome-keyring"]
fn real_keyring_round_trip() {
    // A service name of its own, so a developer's real Lanyard secrets are never touched.
    let store = KeyringStore::new(format!("lanyard-test-{}", std::process::id()));
    store.probe().expect("the keyring is reachable");
    let key = SecretName::IdpKey {
        app_id: "test",
        cert_id: "c1",
    }
    .key();
    assert!(
        store.get(&key).unwrap().is_none(),
        "nothing stored under a fresh service"
    );
    store
        .set(&key, &Sensitive::new("-----BEGIN PRIVATE KEY-----x".into()))
        .unwrap();
    let got = store.get(&key).unwrap().expect("stored");
    assert_eq!(got.expose(), "-----BEGIN PRIVATE KEY-----x");
    store.set(&key, &Sensitive::new("second".into())).unwrap();
    assert_eq!(
        store.get(&key).unwrap().unwrap().expose(),
        "second",
        "set replaces"
    );
    store.delete(&key).unwrap();
    assert!(store.get(&key).unwrap().is_none(), "deleted");
    store
        .delete(&key)
        .expect("deleting a missing secret is not an error");
}
