//! The change feed: one row per change to a user, a group, a membership or a binding, written in
//! the same transaction as the change itself, so the feed never misses or invents one.
//! Provisioning reads it in order; the window polls its newest id to reload when the CLI or a sync
//! changed the directory.

use super::DirectoryError;
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, sqlx::Type)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "TEXT", rename_all = "snake_case")]
pub enum ChangeKind {
    UserCreated,
    UserUpdated,
    UserDeleted,
    UserSuspended,
    UserUnsuspended,
    GroupCreated,
    GroupUpdated,
    GroupDeleted,
    MemberAdded,
    MemberRemoved,
    BindingAdded,
    BindingRemoved,
}

/// Who made a change. Provisioning never pushes back what an import from the target just wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, sqlx::Type)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "TEXT", rename_all = "snake_case")]
pub enum ChangeSource {
    /// The admin, in the window or the CLI (the default of every write).
    Admin,
    CsvImport,
    SalesforceImport,
    Sync,
}

/// One entry of the feed. `detail` is the email or group name at the time of the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct DirectoryChange {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub kind: ChangeKind,
    pub user_id: Option<String>,
    pub group_id: Option<String>,
    pub app_id: Option<String>,
    pub detail: String,
    pub source: ChangeSource,
}

/// A change about to be recorded.
#[derive(Debug, Clone)]
pub struct Change {
    pub kind: ChangeKind,
    pub user_id: Option<String>,
    pub group_id: Option<String>,
    pub app_id: Option<String>,
    pub detail: String,
}

impl Change {
    pub fn user(kind: ChangeKind, user_id: &str, email: &str) -> Self {
        Self {
            kind,
            user_id: Some(user_id.to_owned()),
            group_id: None,
            app_id: None,
            detail: email.to_owned(),
        }
    }

    pub fn group(kind: ChangeKind, group_id: &str, name: &str) -> Self {
        Self {
            kind,
            user_id: None,
            group_id: Some(group_id.to_owned()),
            app_id: None,
            detail: name.to_owned(),
        }
    }

    pub fn member(kind: ChangeKind, group_id: &str, user_id: &str, email: &str) -> Self {
        Self {
            kind,
            user_id: Some(user_id.to_owned()),
            group_id: Some(group_id.to_owned()),
            app_id: None,
            detail: email.to_owned(),
        }
    }

    pub fn binding(kind: ChangeKind, app_id: &str, group_id: &str, name: &str) -> Self {
        Self {
            kind,
            user_id: None,
            group_id: Some(group_id.to_owned()),
            app_id: Some(app_id.to_owned()),
            detail: name.to_owned(),
        }
    }
}

/// Rows per INSERT statement (7 parameters each, well under SQLite's 32,766).
const BATCH: usize = 2000;

/// Records `changes` at `at` on `conn` (call it inside the transaction that made them).
pub async fn record(
    conn: &mut SqliteConnection,
    at: DateTime<Utc>,
    changes: &[Change],
) -> Result<(), DirectoryError> {
    for chunk in changes.chunks(BATCH) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO directory_changes (at, kind, user_id, group_id, app_id, detail) ",
        );
        q.push_values(chunk, |mut row, c| {
            row.push_bind(at)
                .push_bind(c.kind)
                .push_bind(c.user_id.as_deref())
                .push_bind(c.group_id.as_deref())
                .push_bind(c.app_id.as_deref())
                .push_bind(c.detail.as_str());
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// The newest change's id (0 when the feed is empty). Cheap: the window polls it every second.
pub async fn latest_id<'e, E>(db: E) -> Result<i64, DirectoryError>
where
    E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
{
    let id: Option<i64> = sqlx::query_scalar("SELECT max(id) FROM directory_changes")
        .fetch_one(db)
        .await?;
    Ok(id.unwrap_or(0))
}

/// Changes after `after_id`, oldest first, at most `limit`.
pub async fn since(
    pool: &SqlitePool,
    after_id: i64,
    limit: u32,
) -> Result<Vec<DirectoryChange>, DirectoryError> {
    Ok(sqlx::query_as::<_, DirectoryChange>(
        "SELECT id, at, kind, user_id, group_id, app_id, detail, source FROM directory_changes
         WHERE id > ? ORDER BY id LIMIT ?",
    )
    .bind(after_id)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await?)
}

/// Past `after_id`: the newest change's id (None: no change), and whether any was made by a
/// source not in `quiet`. One query that reads no rows out: after an import of 50,000 users the
/// feed holds some 100,000 new changes, which a reader fetching them all would parse for nothing.
pub async fn newest_since(
    pool: &SqlitePool,
    after_id: i64,
    quiet: &[ChangeSource],
) -> Result<(Option<i64>, bool), DirectoryError> {
    let mut q: sqlx::QueryBuilder<sqlx::Sqlite> =
        sqlx::QueryBuilder::new("SELECT max(id), coalesce(max(");
    if quiet.is_empty() {
        q.push("1");
    } else {
        q.push("source NOT IN (");
        let mut list = q.separated(", ");
        for s in quiet {
            list.push_bind(*s);
        }
        q.push(")");
    }
    q.push("), 0) FROM directory_changes WHERE id > ");
    q.push_bind(after_id);
    let (newest, loud): (Option<i64>, i64) = q.build_query_as().fetch_one(pool).await?;
    Ok((newest, loud != 0))
}

/// Marks every change after `mark` as made by `source` (call it at the end of the transaction
/// that made them: an import records its changes through the ordinary writes, then says whose
/// they were).
pub async fn attribute_since(
    conn: &mut SqliteConnection,
    mark: i64,
    source: ChangeSource,
) -> Result<(), DirectoryError> {
    sqlx::query("UPDATE directory_changes SET source = ? WHERE id > ?")
        .bind(source)
        .bind(mark)
        .execute(conn)
        .await?;
    Ok(())
}
