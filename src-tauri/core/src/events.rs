//! Named events: what was attempted, on which application, and how it ended. Recording never makes
//! the operation itself fail; a recording failure is printed to stderr instead.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{FromRow, SqlitePool};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Event {
    /// Sequence number.
    pub id: u32,
    pub at: DateTime<Utc>,
    pub app_name: Option<String>,
    /// A stable dotted name, e.g. "saml.idp_key_created".
    pub name: String,
    /// "ok" or "failed".
    pub outcome: String,
    pub detail: String,
}

/// Records an event; errors go to stderr, never to the caller.
pub async fn record(
    pool: &SqlitePool,
    at: DateTime<Utc>,
    app_name: Option<&str>,
    name: &str,
    ok: bool,
    detail: &str,
) {
    let detail: String = detail.chars().take(2000).collect();
    let done = sqlx::query(
        "INSERT INTO events (at, app_name, name, outcome, detail) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(at)
    .bind(app_name)
    .bind(name)
    .bind(if ok { "ok" } else { "failed" })
    .bind(detail)
    .execute(pool)
    .await;
    if let Err(e) = done {
        eprintln!("lanyard: could not record the event {name}: {e}");
    }
}

/// Newest first; `before` pages back by id.
pub async fn list(pool: &SqlitePool, limit: u32, before: Option<i64>) -> sqlx::Result<Vec<Event>> {
    sqlx::query_as::<_, Event>(
        "SELECT id, at, app_name, name, outcome, detail FROM events WHERE (?1 IS NULL OR id < ?1) ORDER BY id DESC LIMIT ?2",
    )
    .bind(before)
    .bind(i64::from(limit.clamp(1, 1000)))
    .fetch_all(pool)
    .await
}
