//! Settings of the whole installation, kept in SQLite (never a secret): how long the event log
//! keeps its events. Applied by the app on start ([`Core::apply_event_retention`]).

use crate::error::{ApiError, ErrorCode, HasCode};
use crate::Core;
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

/// Events older than this many days are removed on start unless the admin chose otherwise.
pub const EVENTS_RETENTION_DEFAULT_DAYS: u32 = 90;
/// Ten years: the longest retention accepted.
pub const EVENTS_RETENTION_MAX_DAYS: u32 = 3650;

const EVENTS_RETENTION_KEY: &str = "events_retention_days";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Settings {
    /// How many days the event log keeps an event (1 to 3650; default 90).
    pub events_retention_days: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            events_retention_days: EVENTS_RETENTION_DEFAULT_DAYS,
        }
    }
}

impl Settings {
    pub fn validate(&self) -> Result<(), ApiError> {
        if !(1..=EVENTS_RETENTION_MAX_DAYS).contains(&self.events_retention_days) {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!(
                    "Events are kept 1 to {EVENTS_RETENTION_MAX_DAYS} days; {} is outside that: choose a number of days in that range (the default is {EVENTS_RETENTION_DEFAULT_DAYS}).",
                    self.events_retention_days
                ),
            ));
        }
        Ok(())
    }
}

fn storage(e: sqlx::Error) -> ApiError {
    crate::store::StoreError::from(e).to_api()
}

async fn load(pool: &SqlitePool) -> sqlx::Result<Settings> {
    let mut s = Settings::default();
    let value: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(EVENTS_RETENTION_KEY)
        .fetch_optional(pool)
        .await?;
    // A value this version cannot read keeps the default (it is never silently rewritten).
    if let Some(days) = value.and_then(|v| v.parse().ok()) {
        s.events_retention_days = days;
    }
    Ok(s)
}

impl Core {
    pub async fn settings(&self) -> Result<Settings, ApiError> {
        load(self.store().pool()).await.map_err(storage)
    }

    pub async fn set_settings(&self, s: Settings) -> Result<Settings, ApiError> {
        s.validate()?;
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(EVENTS_RETENTION_KEY)
        .bind(s.events_retention_days.to_string())
        .execute(self.store().pool())
        .await
        .map_err(storage)?;
        Ok(s)
    }

    /// Removes the events older than the retention; answers how many went.
    pub async fn apply_event_retention(&self) -> Result<u64, ApiError> {
        let s = self.settings().await?;
        let cutoff = self.now() - chrono::Duration::days(i64::from(s.events_retention_days));
        let removed = crate::events::delete_before(self.store().pool(), cutoff)
            .await
            .map_err(storage)?;
        if removed > 0 {
            tracing::info!(
                removed,
                days = s.events_retention_days,
                "events older than the retention removed"
            );
        }
        Ok(removed)
    }
}
