//! Named events: what was attempted, on which application, and how it ended. Recording never makes
//! the operation itself fail; a recording failure goes to the diagnostics log instead.
//!
//! The names are a closed list ([`EventName`]): the SAML ones, and the provisioning ones exactly as
//! Salesforce's integration guides name them (`user_create_provision`, …). Nothing here ever holds
//! a token or a password: callers pass the target's own message, never a request's headers.

use chrono::{DateTime, Utc};
use search::TextSearch;
use serde::Serialize;
use sqlx::{FromRow, QueryBuilder, Sqlite, SqlitePool};
use std::fmt;

mod search;

macro_rules! event_names {
    ($($variant:ident => $name:literal,)*) => {
        /// Every event Lanyard records. Stable: scripts filter on these names.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        pub enum EventName {
            $(#[serde(rename = $name)] $variant,)*
        }

        impl EventName {
            pub const ALL: &'static [EventName] = &[$(EventName::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(EventName::$variant => $name,)*
                }
            }
        }

        impl std::str::FromStr for EventName {
            type Err = UnknownEventName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($name => Ok(EventName::$variant),)*
                    other => Err(UnknownEventName(other.to_owned())),
                }
            }
        }
    };
}

event_names! {
    SamlSpMetadataSaved => "saml.sp_metadata_saved",
    SamlSpSettingsEntered => "saml.sp_settings_entered",
    SamlSpCertificateImported => "saml.sp_certificate_imported",
    SamlIdpKeyCreated => "saml.idp_key_created",
    SamlIdpCertificateActivated => "saml.idp_certificate_activated",
    SamlIdpCertificateBound => "saml.idp_certificate_bound",
    SamlIdpCertificateRetired => "saml.idp_certificate_retired",
    SamlSettingsSaved => "saml.settings_saved",
    SamlResponseSigned => "saml.response_signed",
    SamlLoginRequestRefused => "saml.login_request_refused",
    SamlLoginDenied => "saml.login_denied",
    SamlLoginRequestWaiting => "saml.login_request_waiting",
    SamlLoginApproved => "saml.login_approved",
    SamlSsoActivated => "saml.sso_activated",
    SamlSsoDeactivated => "saml.sso_deactivated",
    SamlIdpRepointed => "saml.idp_repointed",
    UserCreateProvision => "user_create_provision",
    UserUpdateProvision => "user_update_provision",
    UserDeprovision => "user_deprovision",
    UserDeleteProvision => "user_delete_provision",
    UserLookupProvision => "user_lookup_provision",
    GroupCreateProvision => "group_create_provision",
    GroupUpdateProvision => "group_update_provision",
    GroupDeleteProvision => "group_delete_provision",
    IdmIntegrationActivate => "idm_integration_activate",
    IdmIntegrationUpdate => "idm_integration_update",
    IdmIntegrationReauth => "idm_integration_reauth",
    IdmIntegrationDelete => "idm_integration_delete",
    DirectoryImportFromTarget => "directory.import_from_target",
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an event name; `lanyard events --help` lists them")]
pub struct UnknownEventName(pub String);

impl TryFrom<String> for EventName {
    type Error = UnknownEventName;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

/// Compares with a name as scripts and tests spell it.
impl PartialEq<&str> for EventName {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<&str> for Outcome {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Display for EventName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, sqlx::Type)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "TEXT", rename_all = "snake_case")]
pub enum Outcome {
    Ok,
    Failed,
    Skipped,
    Warning,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Failed => "failed",
            Outcome::Skipped => "skipped",
            Outcome::Warning => "warning",
        }
    }
}

impl std::str::FromStr for Outcome {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "ok" => Ok(Outcome::Ok),
            "failed" => Ok(Outcome::Failed),
            "skipped" => Ok(Outcome::Skipped),
            "warning" => Ok(Outcome::Warning),
            other => Err(format!(
                "{other:?} is not an outcome: use ok, failed, skipped or warning"
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Event {
    /// Sequence number.
    pub id: u32,
    pub at: DateTime<Utc>,
    pub app_name: Option<String>,
    #[sqlx(try_from = "String")]
    pub name: EventName,
    pub outcome: Outcome,
    pub detail: String,
    /// The userName or group the attempt was about.
    pub target: Option<String>,
    pub run_id: Option<String>,
    pub http_status: Option<u16>,
    /// The target's own error code (Salesforce's `DUPLICATE_USERNAME`, a SCIM `scimType`).
    pub error_code: Option<String>,
    pub attempt: Option<u32>,
}

/// An event about to be recorded.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub app_name: Option<String>,
    pub name: EventName,
    pub outcome: Outcome,
    pub detail: String,
    pub target: Option<String>,
    pub run_id: Option<String>,
    pub http_status: Option<u16>,
    pub error_code: Option<String>,
    pub attempt: Option<u32>,
}

impl NewEvent {
    pub fn new(app_name: Option<&str>, name: EventName, outcome: Outcome) -> Self {
        Self {
            app_name: app_name.map(str::to_owned),
            name,
            outcome,
            detail: String::new(),
            target: None,
            run_id: None,
            http_status: None,
            error_code: None,
            attempt: None,
        }
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }

    pub fn target(mut self, target: &str) -> Self {
        self.target = Some(target.to_owned());
        self
    }

    pub fn run(mut self, run_id: &str) -> Self {
        self.run_id = Some(run_id.to_owned());
        self
    }

    pub fn http(mut self, status: Option<u16>, code: Option<&str>) -> Self {
        self.http_status = status;
        self.error_code = code.map(str::to_owned);
        self
    }

    pub fn attempt(mut self, attempt: u32) -> Self {
        self.attempt = Some(attempt);
        self
    }
}

const MAX_DETAIL: usize = 2000;

/// Records a simple event (the SAML ones); errors go to the diagnostics log, never to the caller.
pub async fn record(
    pool: &SqlitePool,
    at: DateTime<Utc>,
    app_name: Option<&str>,
    name: EventName,
    ok: bool,
    detail: &str,
) {
    let outcome = if ok { Outcome::Ok } else { Outcome::Failed };
    record_event(
        pool,
        at,
        NewEvent::new(app_name, name, outcome).detail(detail),
    )
    .await;
}

/// Records one event with all its fields.
pub async fn record_event(pool: &SqlitePool, at: DateTime<Utc>, event: NewEvent) {
    record_many(pool, at, std::slice::from_ref(&event)).await;
}

/// Records several events; a failure is logged, never returned.
pub async fn record_many(pool: &SqlitePool, at: DateTime<Utc>, events: &[NewEvent]) {
    let result = async {
        let mut conn = pool.acquire().await?;
        insert(&mut conn, at, events).await
    }
    .await;
    if let Err(e) = result {
        tracing::error!(error = %e, count = events.len(), "could not record events");
    }
}

/// Deletes the events recorded before `cutoff` (the retention); answers how many.
pub async fn delete_before(pool: &SqlitePool, cutoff: DateTime<Utc>) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM events WHERE at < ?")
        .bind(cutoff)
        .execute(pool)
        .await?
        .rows_affected())
}

/// Inserts events on a connection (inside the caller's transaction).
pub async fn insert(
    conn: &mut sqlx::SqliteConnection,
    at: DateTime<Utc>,
    events: &[NewEvent],
) -> sqlx::Result<()> {
    for chunk in events.chunks(500) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO events (at, app_name, name, outcome, detail, target, run_id, http_status, error_code, attempt) ",
        );
        q.push_values(chunk, |mut row, e| {
            let detail: String = e.detail.chars().take(MAX_DETAIL).collect();
            row.push_bind(at)
                .push_bind(e.app_name.as_deref())
                .push_bind(e.name.as_str())
                .push_bind(e.outcome)
                .push_bind(detail)
                .push_bind(e.target.as_deref())
                .push_bind(e.run_id.as_deref())
                .push_bind(e.http_status.map(i64::from))
                .push_bind(e.error_code.as_deref())
                .push_bind(e.attempt.map(i64::from));
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Which events to list.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct EventFilter {
    pub app_name: Option<String>,
    pub name: Option<EventName>,
    pub outcome: Option<Outcome>,
    pub since: Option<DateTime<Utc>>,
    pub run_id: Option<String>,
    /// Words that must each appear (any case) in the detail, target, name, application or error code.
    pub text: Option<String>,
    /// Newest first; `before` pages back by id.
    pub before: Option<u32>,
    pub limit: u32,
}

const COLUMNS: &str = "events.id, events.at, events.app_name, events.name, events.outcome, \
    events.detail, events.target, events.run_id, events.http_status, events.error_code, events.attempt";

/// Newest first; `before` pages back by id.
pub async fn list(pool: &SqlitePool, limit: u32, before: Option<i64>) -> sqlx::Result<Vec<Event>> {
    query(
        pool,
        &EventFilter {
            before: before.and_then(|b| u32::try_from(b).ok()),
            limit,
            ..Default::default()
        },
    )
    .await
}

/// The events a filter selects, newest first (at most 100,000). A text filter with a word of three
/// characters or more is answered from the trigram index, newest first ([`search`]), unless the
/// filter names a run: the run's own index then finds its few events first, and the words are
/// checked on those alone (the trigram index would read every match older than the run).
pub async fn query(pool: &SqlitePool, f: &EventFilter) -> sqlx::Result<Vec<Event>> {
    let text = TextSearch::new(f.text.as_deref().unwrap_or(""));
    let indexed = match f.run_id {
        Some(_) => None,
        None => text.match_expression(),
    };
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(format!("SELECT {COLUMNS} FROM events"));
    // With the index, its rowid (the event's id) gives the order: the newest matches come first
    // and reading stops at the limit.
    let id = match indexed {
        Some(expression) => {
            q.push(" JOIN events_search ON events_search.rowid = events.id")
                .push(" WHERE events_search MATCH ")
                .push_bind(expression);
            "events_search.rowid"
        }
        None => {
            q.push(" WHERE 1 = 1");
            "events.id"
        }
    };
    if let Some(app) = &f.app_name {
        q.push(" AND events.app_name = ").push_bind(app.clone());
    }
    if let Some(name) = f.name {
        q.push(" AND events.name = ").push_bind(name.as_str());
    }
    if let Some(outcome) = f.outcome {
        q.push(" AND events.outcome = ").push_bind(outcome);
    }
    if let Some(since) = f.since {
        q.push(" AND events.at >= ").push_bind(since);
    }
    if let Some(run) = &f.run_id {
        q.push(" AND events.run_id = ").push_bind(run.clone());
    }
    text.push_like(&mut q);
    if let Some(before) = f.before {
        q.push(format!(" AND {id} < ")).push_bind(i64::from(before));
    }
    q.push(format!(" ORDER BY {id} DESC LIMIT "))
        .push_bind(i64::from(f.limit.clamp(1, 100_000)));
    q.build_query_as::<Event>().fetch_all(pool).await
}

/// Events as CSV (what `lanyard events --csv` prints and the window exports), one header line.
pub fn to_csv(events: &[Event]) -> String {
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = String::from(
        "id,at,app,event,outcome,target,http_status,error_code,attempt,run_id,detail\n",
    );
    for e in events {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{}\n",
            e.id,
            e.at.to_rfc3339(),
            q(e.app_name.as_deref().unwrap_or("")),
            e.name,
            e.outcome.as_str(),
            q(e.target.as_deref().unwrap_or("")),
            e.http_status.map(|s| s.to_string()).unwrap_or_default(),
            q(e.error_code.as_deref().unwrap_or("")),
            e.attempt.map(|s| s.to_string()).unwrap_or_default(),
            e.run_id.as_deref().unwrap_or(""),
            q(&e.detail)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips_and_provisioning_names_are_the_seeds() {
        for n in EventName::ALL {
            assert_eq!(n.as_str().parse::<EventName>(), Ok(*n));
            let json = serde_json::to_string(n).unwrap();
            assert_eq!(
                json,
                format!("\"{}\"", n.as_str()),
                "serde and as_str agree"
            );
        }
        for seed in [
            "user_create_provision",
            "user_update_provision",
            "user_deprovision",
            "user_delete_provision",
            "user_lookup_provision",
            "group_create_provision",
            "group_update_provision",
            "group_delete_provision",
            "idm_integration_activate",
            "idm_integration_update",
            "idm_integration_reauth",
            "idm_integration_delete",
        ] {
            assert!(seed.parse::<EventName>().is_ok(), "{seed} is a named event");
        }
        assert!("user_created".parse::<EventName>().is_err());
    }

    #[tokio::test]
    async fn text_filter_needs_every_word_in_some_field_and_csv_quotes() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open_in(dir.path()).await.unwrap();
        let at = Utc::now();
        let pool = store.pool();
        let e = |t: &str, d: &str| {
            NewEvent::new(
                Some("acme"),
                EventName::UserCreateProvision,
                Outcome::Failed,
            )
            .target(t)
            .detail(d)
            .http(Some(409), Some("DUPLICATE_USERNAME"))
        };
        record_many(
            pool,
            at,
            &[
                e("ann@acme.com", "taken"),
                e("bob@acme.com", "50% \"done\""),
            ],
        )
        .await;
        let find = |text: &str| EventFilter {
            text: Some(text.to_owned()),
            limit: 10,
            ..Default::default()
        };
        let got = query(pool, &find("ANN duplicate")).await.unwrap();
        assert_eq!(got.len(), 1, "both words, any case, any field");
        assert_eq!(got[0].target.as_deref(), Some("ann@acme.com"));
        assert_eq!(
            query(pool, &find("%")).await.unwrap().len(),
            1,
            "% is a literal, not a wildcard"
        );
        assert_eq!(query(pool, &find("ann bob")).await.unwrap().len(), 0);
        let csv = to_csv(&query(pool, &find("bob")).await.unwrap());
        assert!(csv.starts_with("id,at,app,event,outcome,target,http_status"));
        assert!(
            csv.contains(",\"50% \"\"done\"\"\""),
            "quotes doubled: {csv}"
        );
    }
}
