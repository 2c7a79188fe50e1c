//! The guided setup checklist of an application: every step of the Salesforce single sign-on
//! and provisioning setup in order ([`steps`]), each with a status derived from Lanyard's state
//! where it can be and stored where only the admin can say it; and the health findings, each
//! naming the action that fixes it and the step it belongs to.

pub mod practice;
pub mod steps;

use crate::error::{ApiError, ErrorCode, HasCode};
use crate::events::{EventFilter, EventName, Outcome};
use crate::provisioning::connection::ConnectionState;
use crate::Core;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
pub use steps::StepId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    Todo,
    Done,
    NeedsAttention,
    Skipped,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Step {
    pub id: StepId,
    pub title: String,
    pub why: String,
    pub status: StepStatus,
    /// What Lanyard sees (or that the admin confirmed it, and when).
    pub detail: String,
    /// Only the admin can mark it done.
    pub confirmed_by_admin: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// A health finding: what is wrong, what fixes it, and the step where that is done.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Finding {
    pub severity: Severity,
    pub message: String,
    pub action: String,
    pub step: StepId,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SetupStatus {
    pub app: String,
    pub steps: Vec<Step>,
    pub findings: Vec<Finding>,
    pub done: u32,
    pub total: u32,
}

/// What the admin can say of a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Done,
    Skipped,
    Todo,
}

impl std::str::FromStr for Mark {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "done" => Ok(Mark::Done),
            "skipped" => Ok(Mark::Skipped),
            "todo" => Ok(Mark::Todo),
            other => Err(format!(
                "{other:?} is not a mark: use done, skipped or todo"
            )),
        }
    }
}

/// What Lanyard knows about an application, gathered once per status.
struct Facts {
    sp: Option<crate::saml::service::SpView>,
    certs: Vec<crate::saml::service::IdpCertView>,
    jit_attributes: usize,
    bound_groups: usize,
    bound_members: u32,
    connection: Option<crate::provisioning::ConnectionView>,
    last_login: Option<DateTime<Utc>>,
    sp_initiated: bool,
    imported: Option<DateTime<Utc>>,
    marks: Vec<(String, String, DateTime<Utc>)>,
    /// Salesforce still has the IdP's old address.
    repoint: Option<crate::saml::repoint::Repoint>,
}

fn status(done: bool) -> StepStatus {
    if done {
        StepStatus::Done
    } else {
        StepStatus::Todo
    }
}

impl Core {
    async fn setup_facts(&self, app: &crate::apps::Application) -> Result<Facts, ApiError> {
        let sp = self.sp_config(&app.name).await.ok();
        let certs = self.idp_certificates(&app.name).await.unwrap_or_default();
        let jit_attributes = self
            .saml_settings(&app.name)
            .await
            .map(|s| s.attributes.iter().filter(|a| a.enabled).count())
            .unwrap_or(0);
        let groups = self.app_groups(&app.name).await?;
        let bound: Vec<_> = groups.iter().filter(|g| g.bound).collect();
        let connection = self.scim_status(&app.name).await.ok();
        let last = |name: EventName| EventFilter {
            app_name: Some(app.name.clone()),
            name: Some(name),
            outcome: Some(Outcome::Ok),
            limit: 1,
            ..Default::default()
        };
        let last_login = self
            .query_events(&last(EventName::SamlResponseSigned))
            .await?
            .first()
            .map(|e| e.at);
        let sp_initiated = !self
            .query_events(&last(EventName::SamlLoginApproved))
            .await?
            .is_empty();
        let imported = self
            .query_events(&EventFilter {
                outcome: None,
                ..last(EventName::DirectoryImportFromTarget)
            })
            .await?
            .first()
            .map(|e| e.at);
        let marks: Vec<(String, String, DateTime<Utc>)> =
            sqlx::query_as("SELECT step, status, updated_at FROM setup_marks WHERE app_id = ?")
                .bind(&app.id)
                .fetch_all(self.store().pool())
                .await
                .map_err(|e| crate::store::StoreError::from(e).to_api())?;
        let repoint = self
            .repoints()
            .await?
            .into_iter()
            .find(|r| r.app == app.name);
        Ok(Facts {
            repoint,
            sp,
            certs,
            jit_attributes,
            bound_groups: bound.len(),
            bound_members: bound.iter().map(|g| g.member_count).sum(),
            connection,
            last_login,
            sp_initiated,
            imported,
            marks,
        })
    }

    /// The checklist of an application, and its health findings.
    pub async fn setup_status(&self, app: &str) -> Result<SetupStatus, ApiError> {
        let app = self.get_app(app).await?;
        let f = self.setup_facts(&app).await?;
        let mark_of = |id: StepId| {
            f.marks
                .iter()
                .find(|(s, _, _)| s == id.as_str())
                .map(|(_, st, at)| (st.clone(), *at))
        };
        let active = f.certs.iter().find(|c| c.status == "active");
        let mut steps = Vec::new();
        for &id in StepId::ALL {
            let (mut st, mut detail) = match id {
                StepId::SalesforceCertificate => match &f.sp {
                    Some(sp) if sp.certificates.iter().any(|c| c.expired) => (
                        StepStatus::NeedsAttention,
                        "Salesforce's certificate has expired: create a new one in Certificate and Key Management and import it.".to_owned(),
                    ),
                    Some(sp) if !sp.certificates.is_empty() => (
                        StepStatus::Done,
                        format!("{} certificate(s) imported; requests are checked with them.", sp.certificates.len()),
                    ),
                    _ => (StepStatus::Todo, "No Salesforce certificate yet.".to_owned()),
                },
                StepId::ImportMetadata => match &f.sp {
                    Some(sp) => (
                        if sp.warnings.is_empty() { StepStatus::Done } else { StepStatus::NeedsAttention },
                        format!("ACS {} for {}{}", sp.config.acs_url, sp.config.entity_id,
                            sp.warnings.first().map(|w| format!(" — {w}")).unwrap_or_default()),
                    ),
                    None => (StepStatus::Todo, "No Salesforce metadata yet.".to_owned()),
                },
                StepId::IdpSettings => match &f.repoint {
                    Some(r) => (
                        StepStatus::NeedsAttention,
                        format!("The IdP moved: in Single Sign-On Settings change the Identity Provider Login URL from {} to {}. The next SP-initiated login confirms it.", r.from_url, r.to_url),
                    ),
                    None => (
                        status(f.sp.is_some() && active.is_some()),
                        format!("IdP entity ID {}", crate::saml::service::idp_entity_id(&app)),
                    ),
                },
                StepId::DownloadCertificate => match active {
                    Some(c) if c.info.days_left <= 30 => (
                        StepStatus::NeedsAttention,
                        format!("The signing certificate expires in {} days: rotate it (gap-free rollover).", c.info.days_left),
                    ),
                    Some(c) => (StepStatus::Done, format!("Signing certificate SHA-256 {}", c.info.sha256)),
                    None => (StepStatus::Todo, "No signing key yet.".to_owned()),
                },
                StepId::AuthorizeGroups => (
                    status(f.bound_groups > 0 && f.bound_members > 0),
                    format!("{} group(s) bound, {} member(s).", f.bound_groups, f.bound_members),
                ),
                StepId::ValidateSso => match (f.last_login, f.sp_initiated) {
                    (Some(at), true) => (
                        StepStatus::Done,
                        format!("Test logins signed, the last {}; an SP-initiated login was approved.", at.format("%Y-%m-%d %H:%M UTC")),
                    ),
                    (Some(at), false) => (
                        StepStatus::Todo,
                        format!("A login was signed {}; run an SP-initiated one too (Salesforce's login page → the Lanyard button, then approve it here).", at.format("%Y-%m-%d %H:%M UTC")),
                    ),
                    _ => (StepStatus::Todo, "No test login yet.".to_owned()),
                },
                StepId::IdentityManagement => match &f.connection {
                    Some(c) => match c.connection.state {
                        ConnectionState::Connected => (StepStatus::Done, format!("Connected to {}.", c.connection.scim_base)),
                        ConnectionState::ReauthNeeded => (StepStatus::NeedsAttention, "The target refused the stored credentials: re-authorize (or connect with a new token).".to_owned()),
                        ConnectionState::Deactivated => (StepStatus::Todo, "The connection is deactivated.".to_owned()),
                    },
                    None => (StepStatus::Todo, "Not connected.".to_owned()),
                },
                StepId::ImportUsers => match f.imported {
                    Some(at) => (StepStatus::Done, format!("Imported {}.", at.format("%Y-%m-%d %H:%M UTC"))),
                    None => (StepStatus::Todo, String::new()),
                },
                _ => (StepStatus::Todo, String::new()),
            };
            if let Some((m, at)) = mark_of(id) {
                let when = at.format("%Y-%m-%d %H:%M UTC");
                if m == "skipped" && st != StepStatus::Done {
                    st = StepStatus::Skipped;
                    detail = format!("Skipped by the admin {when}.");
                } else if m == "done" && id.confirmed_by_admin() {
                    st = StepStatus::Done;
                    detail = format!("Confirmed by the admin {when}.");
                }
            }
            steps.push(Step {
                id,
                title: id.title().to_owned(),
                why: id.why().to_owned(),
                status: st,
                detail,
                confirmed_by_admin: id.confirmed_by_admin(),
            });
        }
        let findings = health(&f, active);
        let done = steps
            .iter()
            .filter(|s| matches!(s.status, StepStatus::Done | StepStatus::Skipped))
            .count();
        Ok(SetupStatus {
            app: app.name.clone(),
            total: u32::try_from(steps.len()).unwrap_or(0),
            done: u32::try_from(done).unwrap_or(0),
            steps,
            findings,
        })
    }

    /// The admin's word on a step: done (admin-confirmed steps only), skipped, or back to do.
    pub async fn setup_mark(
        &self,
        app: &str,
        step: StepId,
        mark: Mark,
    ) -> Result<SetupStatus, ApiError> {
        let a = self.get_app(app).await?;
        if mark == Mark::Done && !step.confirmed_by_admin() {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!("{} ({step}) is derived from what Lanyard sees, so it cannot be marked done by hand: {}", step.title(), step.why()),
            ));
        }
        let pool = self.store().pool();
        let storage = |e: sqlx::Error| crate::store::StoreError::from(e).to_api();
        match mark {
            Mark::Todo => {
                sqlx::query("DELETE FROM setup_marks WHERE app_id = ? AND step = ?")
                    .bind(&a.id)
                    .bind(step.as_str())
                    .execute(pool)
                    .await
                    .map_err(storage)?;
            }
            Mark::Done | Mark::Skipped => {
                sqlx::query(
                    "INSERT INTO setup_marks (app_id, step, status, updated_at) VALUES (?, ?, ?, ?)
                     ON CONFLICT (app_id, step) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at",
                )
                .bind(&a.id)
                .bind(step.as_str())
                .bind(if mark == Mark::Done { "done" } else { "skipped" })
                .bind(self.now())
                .execute(pool)
                .await
                .map_err(storage)?;
            }
        }
        self.setup_status(app).await
    }
}

fn finding(
    severity: Severity,
    step: StepId,
    message: impl Into<String>,
    action: impl Into<String>,
) -> Finding {
    Finding {
        severity,
        message: message.into(),
        action: action.into(),
        step,
    }
}

fn health(f: &Facts, active: Option<&crate::saml::service::IdpCertView>) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(r) = &f.repoint {
        out.push(finding(Severity::Error, StepId::IdpSettings,
            format!("Salesforce still sends logins to {}, where Lanyard's IdP no longer answers.", r.from_url),
            format!("In Single Sign-On Settings, edit Lanyard's configuration and set the Identity Provider Login URL to {}; then log in once from Salesforce's login page to confirm.", r.to_url)));
    }
    match &f.sp {
        None => out.push(finding(Severity::Error, StepId::ImportMetadata,
            "Salesforce's SP metadata is not imported, so Lanyard does not know where to send logins.",
            "Import the metadata downloaded from Single Sign-On Settings.")),
        Some(sp) => {
            for w in &sp.warnings {
                out.push(finding(Severity::Warning, StepId::ImportMetadata, w.clone(), "Download the metadata again and import it."));
            }
            for c in sp.certificates.iter().filter(|c| c.expired) {
                out.push(finding(Severity::Warning, StepId::SalesforceCertificate,
                    format!("Salesforce's request-signing certificate {} has expired.", c.subject),
                    "Create a new certificate in Certificate and Key Management and import it."));
            }
        }
    }
    match active {
        None => out.push(finding(
            Severity::Error,
            StepId::DownloadCertificate,
            "There is no IdP signing key, so Lanyard cannot sign logins.",
            "Create the signing key, then download certificate.pem.",
        )),
        Some(c) => {
            let days = c.info.days_left;
            let severity = match days {
                d if d <= 10 => Some(Severity::Error),
                d if d <= 30 => Some(Severity::Warning),
                d if d <= 60 => Some(Severity::Info),
                _ => None,
            };
            if let Some(s) = severity {
                out.push(finding(s, StepId::DownloadCertificate,
                    if c.info.expired { "The IdP signing certificate has expired: Salesforce refuses every login.".to_owned() }
                    else { format!("The IdP signing certificate expires in {days} days.") },
                    "Rotate it: create the next certificate, add it to a second Salesforce SSO configuration, bind and activate it."));
            }
        }
    }
    if f.bound_groups == 0 {
        out.push(finding(
            Severity::Warning,
            StepId::AuthorizeGroups,
            "No group is bound to this application, so nobody can sign in or be provisioned.",
            "Bind a group with members on the User groups tab.",
        ));
    }
    if let Some(c) = &f.connection {
        if c.connection.state == ConnectionState::ReauthNeeded {
            out.push(finding(
                Severity::Error,
                StepId::IdentityManagement,
                "Salesforce refused the stored refresh token: provisioning is stopped.",
                "Re-authorize the connection.",
            ));
        }
        if c.connection.state == ConnectionState::Connected && f.jit_attributes > 0 {
            out.push(finding(Severity::Info, StepId::Prerequisites,
                format!("{} just-in-time attribute(s) are sent while SCIM provisioning is on.", f.jit_attributes),
                "Make sure just-in-time provisioning is off in Salesforce (User Provisioning Enabled unchecked), or switch the attributes off."));
        }
        if let Some(run) = c.last_run.as_ref().filter(|r| r.failed > 0) {
            out.push(finding(
                Severity::Warning,
                StepId::EventLog,
                format!("The last sync had {} failure(s).", run.failed),
                "Open the event log filtered to this application, fix the cause, and sync again.",
            ));
        }
    }
    if f.last_login.is_none() && f.sp.is_some() && active.is_some() {
        out.push(finding(Severity::Info, StepId::ValidateSso,
            "No test login has been signed yet, so nothing proves Salesforce trusts the certificate.", "Run an IdP-initiated test login."));
    }
    out
}
