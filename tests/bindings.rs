//! The TypeScript bindings in ui/src/bindings.ts are generated from the Rust command and type
//! definitions. This test fails when they are stale; `UPDATE_BINDINGS=1 cargo test --test bindings`
//! rewrites them.

use specta_typescript::Typescript;
use std::path::Path;

#[test]
fn typescript_bindings_are_current() {
    let committed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/bindings.ts");
    let dir = tempfile::tempdir().expect("temp dir");
    let fresh_path = dir.path().join("bindings.ts");
    lanyard_app::bindings_builder()
        .export(Typescript::default(), &fresh_path)
        .expect("bindings export");
    let fresh = std::fs::read_to_string(&fresh_path).expect("read fresh bindings");
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&committed_path, &fresh).expect("write bindings");
        return;
    }
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == fresh,
        "ui/src/bindings.ts is stale: the Rust commands or types changed. Run `UPDATE_BINDINGS=1 cargo test --features custom-protocol --test bindings` and commit the result."
    );
}
