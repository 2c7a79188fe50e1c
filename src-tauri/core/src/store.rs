//! The local SQLite database: opened with WAL and foreign keys on, migrated with the migrations
//! embedded in the binary. A damaged file or one written by a newer Lanyard is refused with an
//! error that names the file; nothing here ever deletes or recreates a database.

use crate::error::{ErrorCode, HasCode};
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{SqliteConnection, SqlitePool};
use std::path::{Path, PathBuf};
use std::time::Duration;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("Cannot create the data folder {path}: {source}. Choose another folder with --data-dir or LANYARD_DATA_DIR.")]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("The database file {path} is damaged or is not a Lanyard database ({detail}). Lanyard left it untouched: restore it from a backup, or move it aside to start with an empty database.")]
    Corrupt { path: PathBuf, detail: String },
    #[error("The database file {path} was written by a newer version of Lanyard (schema version {found}; this version knows up to {known}). Lanyard left it untouched: install the newer Lanyard, or use another --data-dir.")]
    NewerSchema {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("Cannot open the database file {path}: {detail}. Check that the folder exists and is writable.")]
    Open { path: PathBuf, detail: String },
    #[error("Cannot update the database file {path} to this version's schema: {detail}. The file was left as it was.")]
    Migrate { path: PathBuf, detail: String },
    #[error("Database error: {0}")]
    Query(#[from] sqlx::Error),
}

impl HasCode for StoreError {
    fn code(&self) -> ErrorCode {
        ErrorCode::Storage
    }
}

/// Page cache per pooled connection (KiB), taken as used; SQLite's default is 2 MiB. Four pooled
/// connections each keep their own. The users table's queries over 100,000 users read their
/// indexes from it.
const CACHE_KIB: u32 = 16_384;
/// Page cache of the connection a large import writes on (see [`start_bulk_write`]). With user
/// ids that grow at the end of their indexes, the import's pages are mostly new ones:
/// bench_import, 50,000 users, three runs each: 16 MiB 4.19-4.75 s and a 70-72 MiB process peak,
/// 8 MiB 3.86-4.52 s and 62 MiB, 4 MiB 4.13-5.41 s and 56-58 MiB.
const BULK_CACHE_KIB: u32 = 8_192;

/// Before one large write (an import's transaction) on `conn`: a smaller page cache.
pub async fn start_bulk_write(conn: &mut SqliteConnection) {
    set_cache(conn, BULK_CACHE_KIB).await;
}

/// After it, whatever its outcome: the pages it cached go, and the connection gets its usual
/// cache back before it returns to the pool.
pub async fn end_bulk_write(conn: &mut SqliteConnection) {
    if let Err(e) = sqlx::query("PRAGMA shrink_memory")
        .execute(&mut *conn)
        .await
    {
        tracing::warn!("a connection kept the pages a large write cached: {e}");
    }
    set_cache(conn, CACHE_KIB).await;
}

async fn set_cache(conn: &mut SqliteConnection, kib: u32) {
    if let Err(e) = sqlx::query(&format!("PRAGMA cache_size = -{kib}"))
        .execute(conn)
        .await
    {
        tracing::warn!("the page cache stayed as it was ({kib} KiB asked): {e}");
    }
}

/// An open, migrated database.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    path: PathBuf,
}

impl Store {
    /// Opens (creating when absent) `lanyard.db` in `data_dir` and brings it to this version's schema.
    pub async fn open_in(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::CreateDir {
            path: data_dir.to_path_buf(),
            source,
        })?;
        Self::open_file(&data_dir.join(crate::paths::DB_FILE)).await
    }

    /// Opens (creating when absent) the database file at `path`.
    pub async fn open_file(path: &Path) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .pragma("cache_size", format!("-{CACHE_KIB}"))
            .busy_timeout(Duration::from_secs(30));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|e| classify_open_error(path, e))?;
        // Touch the schema: a file that is not SQLite often opens fine and only fails here.
        sqlx::query("SELECT count(*) FROM sqlite_master")
            .execute(&pool)
            .await
            .map_err(|e| classify_open_error(path, e))?;
        let store = Self {
            pool,
            path: path.to_path_buf(),
        };
        store.refuse_newer_schema().await?;
        MIGRATOR.run(&store.pool).await.map_err(|e| match e {
            MigrateError::VersionMissing(found) => StoreError::NewerSchema {
                path: path.to_path_buf(),
                found,
                known: latest_known_version(),
            },
            MigrateError::Execute(sqlx::Error::Database(db))
                if is_corruption(db.code().as_deref(), db.message()) =>
            {
                StoreError::Corrupt {
                    path: path.to_path_buf(),
                    detail: db.message().to_string(),
                }
            }
            other => StoreError::Migrate {
                path: path.to_path_buf(),
                detail: other.to_string(),
            },
        })?;
        Ok(store)
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version this database is at (the newest applied migration).
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        let v: Option<i64> =
            sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success = 1")
                .fetch_one(&self.pool)
                .await?;
        Ok(v.unwrap_or(0))
    }

    async fn refuse_newer_schema(&self) -> Result<(), StoreError> {
        let has_table: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
        )
        .fetch_one(&self.pool)
        .await?;
        if has_table == 0 {
            return Ok(());
        }
        let found = self.schema_version().await?;
        let known = latest_known_version();
        if found > known {
            return Err(StoreError::NewerSchema {
                path: self.path.clone(),
                found,
                known,
            });
        }
        Ok(())
    }

    pub async fn close(self) {
        self.pool.close().await;
    }
}

/// The newest migration this binary carries.
pub fn latest_known_version() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

fn is_corruption(code: Option<&str>, message: &str) -> bool {
    // SQLITE_CORRUPT = 11, SQLITE_NOTADB = 26 (primary codes; extended codes keep them in the low byte).
    let primary = code.and_then(|c| c.parse::<i64>().ok()).map(|c| c & 0xff);
    matches!(primary, Some(11) | Some(26))
        || message.contains("not a database")
        || message.contains("malformed")
}

fn classify_open_error(path: &Path, e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if is_corruption(db.code().as_deref(), db.message()) => {
            StoreError::Corrupt {
                path: path.to_path_buf(),
                detail: db.message().to_string(),
            }
        }
        _ => StoreError::Open {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
    }
}
