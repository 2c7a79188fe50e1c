//! The outbox: every operation is written before it is sent and marked after. A run that was
//! killed leaves its operations `pending`; the next run first settles them (a create that may
//! have reached the target is looked up by userName and linked, never sent twice) and then plans
//! again from the links, so nothing is lost and nothing is duplicated.

use super::ProvisioningError;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, sqlx::Type)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "TEXT", rename_all = "snake_case")]
pub enum OpKind {
    UserCreate,
    UserUpdate,
    UserDeactivate,
    UserDelete,
    GroupCreate,
    GroupUpdate,
    GroupDelete,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, sqlx::Type)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "TEXT", rename_all = "snake_case")]
pub enum OpState {
    Pending,
    Sending,
    Done,
    Failed,
    /// Held by the deletion guard until the admin allows it.
    Held,
    /// Left by an interrupted run and settled by a later one.
    Superseded,
}

/// One operation as the outbox keeps it. The body never holds a password.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct OutboxOp {
    pub id: String,
    pub run_id: String,
    pub seq: i64,
    pub kind: OpKind,
    pub user_id: Option<String>,
    pub group_id: Option<String>,
    pub remote_id: Option<String>,
    pub target: String,
    #[sqlx(json)]
    pub body: Value,
    pub state: OpState,
    pub attempts: i64,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
}

/// Writes operations in one statement per batch.
pub async fn enqueue(
    conn: &mut SqliteConnection,
    app_id: &str,
    ops: &[OutboxOp],
    now: DateTime<Utc>,
) -> Result<(), ProvisioningError> {
    for chunk in ops.chunks(500) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO scim_outbox (id, app_id, run_id, seq, kind, user_id, group_id, remote_id, target, body, state, attempts, created_at, updated_at) ",
        );
        q.push_values(chunk, |mut row, op| {
            row.push_bind(op.id.as_str())
                .push_bind(app_id)
                .push_bind(op.run_id.as_str())
                .push_bind(op.seq)
                .push_bind(op.kind)
                .push_bind(op.user_id.as_deref())
                .push_bind(op.group_id.as_deref())
                .push_bind(op.remote_id.as_deref())
                .push_bind(op.target.as_str())
                .push_bind(op.body.to_string())
                .push_bind(op.state)
                .push_bind(op.attempts)
                .push_bind(now)
                .push_bind(now);
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Marks how an operation ended (or that it is being retried).
pub async fn mark(
    conn: &mut SqliteConnection,
    id: &str,
    state: OpState,
    attempts: u32,
    status: Option<u16>,
    error: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), ProvisioningError> {
    sqlx::query(
        "UPDATE scim_outbox SET state = ?, attempts = ?, last_status = ?, last_error = ?, updated_at = ? WHERE id = ?",
    )
    .bind(state)
    .bind(i64::from(attempts))
    .bind(status.map(i64::from))
    .bind(error)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

const COLUMNS: &str = "id, run_id, seq, kind, user_id, group_id, remote_id, target, body, state, attempts, last_status, last_error";

/// What an interrupted run left unsent or unconfirmed.
pub async fn leftovers(
    conn: &mut SqliteConnection,
    app_id: &str,
) -> Result<Vec<OutboxOp>, ProvisioningError> {
    Ok(sqlx::query_as::<_, OutboxOp>(&format!(
        "SELECT {COLUMNS} FROM scim_outbox WHERE app_id = ? AND state IN ('pending', 'sending') ORDER BY run_id, seq"
    ))
    .bind(app_id)
    .fetch_all(conn)
    .await?)
}

/// The operations of one run in a state (failed ones, for the result and Retry).
pub async fn of_run(
    conn: &mut SqliteConnection,
    run_id: &str,
    state: OpState,
) -> Result<Vec<OutboxOp>, ProvisioningError> {
    Ok(sqlx::query_as::<_, OutboxOp>(&format!(
        "SELECT {COLUMNS} FROM scim_outbox WHERE run_id = ? AND state = ? ORDER BY seq"
    ))
    .bind(run_id)
    .bind(state)
    .fetch_all(conn)
    .await?)
}

/// Marks every open operation of the application as settled by a later run.
pub async fn supersede_open(
    conn: &mut SqliteConnection,
    app_id: &str,
    now: DateTime<Utc>,
) -> Result<(), ProvisioningError> {
    sqlx::query(
        "UPDATE scim_outbox SET state = 'superseded', updated_at = ? WHERE app_id = ? AND state IN ('pending', 'sending', 'held')",
    )
    .bind(now)
    .bind(app_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets finished operations of runs before `keep_run` (failed ones stay until a run retries them).
pub async fn prune(
    conn: &mut SqliteConnection,
    app_id: &str,
    keep_run: &str,
) -> Result<(), ProvisioningError> {
    sqlx::query(
        "DELETE FROM scim_outbox WHERE app_id = ? AND run_id <> ? AND state IN ('done', 'superseded', 'failed')",
    )
    .bind(app_id)
    .bind(keep_run)
    .execute(conn)
    .await?;
    Ok(())
}
