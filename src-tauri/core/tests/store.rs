//! The database on disk: WAL and foreign keys on, migrations applied, and damaged or newer files
//! refused by name without being touched.

use lanyard_core::store::{latest_known_version, Store, StoreError};
use std::path::Path;

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

#[tokio::test]
async fn fresh_database_has_wal_foreign_keys_and_schema() {
    let dir = temp();
    let store = Store::open_in(dir.path()).await.expect("open fresh");
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(
        mode, "wal",
        "WAL keeps the GUI and the CLI from blocking each other"
    );
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(fk, 1, "foreign keys must be enforced on every connection");
    assert_eq!(
        store.schema_version().await.unwrap(),
        latest_known_version()
    );
    assert!(
        dir.path().join("lanyard.db").exists(),
        "the file is created in the data folder"
    );
}

#[tokio::test]
async fn reopening_runs_no_migration_twice() {
    let dir = temp();
    Store::open_in(dir.path()).await.unwrap().close().await;
    let store = Store::open_in(dir.path()).await.expect("second open");
    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(
        applied as usize,
        latest_known_version() as usize,
        "each migration recorded once"
    );
}

fn assert_untouched(path: &Path, before: &[u8]) {
    let after = std::fs::read(path).expect("file still there");
    assert_eq!(
        after, before,
        "a refused database must be left byte for byte as it was"
    );
}

#[tokio::test]
async fn garbage_file_is_refused_by_name_and_left_alone() {
    let dir = temp();
    let path = dir.path().join("lanyard.db");
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&path, &garbage).unwrap();
    let err = Store::open_in(dir.path())
        .await
        .expect_err("garbage is not a database");
    assert!(matches!(err, StoreError::Corrupt { .. }), "got {err:?}");
    let message = err.to_string();
    assert!(
        message.contains(&path.display().to_string()),
        "names the file: {message}"
    );
    assert!(
        message.contains("untouched"),
        "says nothing was changed: {message}"
    );
    assert_untouched(&path, &garbage);
}

#[tokio::test]
async fn database_from_a_newer_version_is_refused() {
    let dir = temp();
    let store = Store::open_in(dir.path()).await.unwrap();
    let future = latest_known_version() + 1;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time)
         VALUES (?, 'from the future', CURRENT_TIMESTAMP, 1, x'00', 0)",
    )
    .bind(future)
    .execute(store.pool())
    .await
    .unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(store.pool())
        .await
        .unwrap();
    store.close().await;
    let path = dir.path().join("lanyard.db");
    let before = std::fs::read(&path).unwrap();

    let err = Store::open_in(dir.path())
        .await
        .expect_err("newer schema must be refused");
    match &err {
        StoreError::NewerSchema { found, known, .. } => {
            assert_eq!(*found, future);
            assert_eq!(*known, latest_known_version());
        }
        other => panic!("expected NewerSchema, got {other:?}"),
    }
    assert!(
        err.to_string().contains("newer version of Lanyard"),
        "{err}"
    );
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
    assert_untouched(&path, &before);
}

#[tokio::test]
async fn unusable_data_folder_is_reported() {
    let dir = temp();
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, b"x").unwrap();
    let err = Store::open_in(&blocker.join("inner"))
        .await
        .expect_err("cannot create under a file");
    assert!(matches!(err, StoreError::CreateDir { .. }), "got {err:?}");
    assert!(
        err.to_string().contains("--data-dir"),
        "says how to choose another: {err}"
    );
}

/// A connection's page cache setting (negative: KiB).
async fn cache_of(conn: &mut sqlx::SqliteConnection) -> i64 {
    sqlx::query_scalar("PRAGMA cache_size")
        .fetch_one(conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_bulk_write_has_a_smaller_cache_and_gives_the_connection_its_own_back() {
    let dir = temp();
    let store = Store::open_in(dir.path()).await.expect("open fresh");
    let mut conn = store.pool().acquire().await.unwrap();
    let usual = cache_of(&mut conn).await;
    assert!(
        usual < 0,
        "the cache is set in KiB (negative), not pages: {usual}"
    );
    lanyard_core::store::start_bulk_write(&mut conn).await;
    let bulk = cache_of(&mut conn).await;
    assert!(
        bulk < 0 && bulk > usual,
        "a bulk write has a smaller cache: {bulk} KiB against {usual}"
    );
    lanyard_core::store::end_bulk_write(&mut conn).await;
    assert_eq!(
        cache_of(&mut conn).await,
        usual,
        "the connection goes back to the pool with its usual cache"
    );
}
