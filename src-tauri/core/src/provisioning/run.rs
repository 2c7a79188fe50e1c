//! Carrying out a plan: bounded concurrency, retries (429 with Retry-After; exponential backoff
//! with jitter on 5xx, resets and timeouts), a bounded number of tries, one event per attempt,
//! an early stop when too many operations fail, progress and cancel. Results are written by one
//! writer task in batches (links, outbox marks and events in one transaction each).

use super::client::{Answer, ScimClient, ScimError};
use super::links::{self, GroupLink, UserLink};
use super::mapping;
use super::outbox::{self, OpKind, OpState, OutboxOp};
use super::plan::{GroupAction, PlannedGroup, PlannedUser, UserAction};
use super::remote;
use super::ProvisioningError;
use crate::clock::SharedClock;
use crate::events::{self, EventName, NewEvent, Outcome};
use crate::secrets::Sensitive;
use futures_util::StreamExt;
use rand::Rng;
use serde::Serialize;
use serde_json::Value;
use sqlx::SqlitePool;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Progress of a run, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Progress {
    pub done: u32,
    pub total: u32,
    pub rate_per_sec: f64,
    pub eta_secs: Option<f64>,
}

pub type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// Cancels a run: operations not yet started stay in the outbox; the next run settles them.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// How hard to try.
#[derive(Debug, Clone)]
pub struct Retry {
    pub max_attempts: u32,
    pub base: Duration,
    pub cap: Duration,
    /// The longest Retry-After honoured (a longer one is waited for this long).
    pub max_retry_after: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base: Duration::from_millis(250),
            cap: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl Retry {
    /// How long to wait before trying again after `e` on try number `attempt` (1-based): the
    /// target's Retry-After when it throttles (at most `max_retry_after`), else exponential
    /// backoff with jitter.
    pub fn wait(&self, e: &ScimError, attempt: u32) -> Duration {
        match e {
            ScimError::Throttled {
                retry_after: Some(d),
                ..
            } => (*d).min(self.max_retry_after),
            _ => self.backoff(attempt),
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .base
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
            .min(self.cap);
        let jitter: f64 = rand::rng().random_range(0.5..1.5);
        exp.mul_f64(jitter)
    }
}

/// Why a run stopped before its end.
pub const FAILURE_SHARE_STOP: f64 = 0.40;
const FAILURE_MIN_ATTEMPTS: u32 = 10;

/// A failed operation, with the target's own message.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Failure {
    pub target: String,
    pub event: EventName,
    pub message: String,
    pub http_status: Option<u16>,
    pub error_code: Option<String>,
    pub attempts: u32,
}

#[derive(Default)]
pub struct Counters {
    pub created: AtomicU32,
    pub updated: AtomicU32,
    pub deactivated: AtomicU32,
    pub deleted: AtomicU32,
    pub linked: AtomicU32,
    pub groups_updated: AtomicU32,
    pub failed: AtomicU32,
    attempted: AtomicU32,
    done: AtomicU32,
    total: AtomicU32,
}

impl Counters {
    pub fn get(c: &AtomicU32) -> u32 {
        c.load(Ordering::Relaxed)
    }
}

/// A result the writer task stores.
enum Write {
    Link(Box<UserLink>),
    Unlink(String),
    GroupLink(GroupLink),
    GroupUnlink(String),
    Members {
        group_id: String,
        add: Vec<String>,
        remove: Vec<String>,
    },
    Mark {
        op_id: String,
        state: OpState,
        attempts: u32,
        status: Option<u16>,
        error: Option<String>,
    },
    Event(NewEvent),
}

/// Everything an operation needs.
pub struct Ctx {
    pub app_id: String,
    pub app_name: String,
    pub run_id: String,
    pub client: Arc<ScimClient>,
    pub pool: SqlitePool,
    pub clock: SharedClock,
    pub retry: Retry,
    pub cancel: Cancel,
    pub progress: Option<ProgressFn>,
    pub password: Option<Sensitive<String>>,
    pub counters: Counters,
    stop: AtomicBool,
    /// Why the result writer failed, if it did (the run stops: results must not be lost).
    writer_error: std::sync::Mutex<Option<String>>,
    started: Instant,
    tx: tokio::sync::Mutex<Option<tokio::sync::mpsc::UnboundedSender<Write>>>,
}

impl Ctx {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        app_id: &str,
        app_name: &str,
        run_id: &str,
        client: Arc<ScimClient>,
        pool: SqlitePool,
        clock: SharedClock,
        retry: Retry,
        cancel: Cancel,
        progress: Option<ProgressFn>,
        password: Option<Sensitive<String>>,
    ) -> Self {
        Self {
            app_id: app_id.to_owned(),
            app_name: app_name.to_owned(),
            run_id: run_id.to_owned(),
            client,
            pool,
            clock,
            retry,
            cancel,
            progress,
            password,
            counters: Counters::default(),
            stop: AtomicBool::new(false),
            writer_error: std::sync::Mutex::new(None),
            started: Instant::now(),
            tx: tokio::sync::Mutex::new(None),
        }
    }

    /// Why the run stopped early, if it did.
    pub fn stopped(&self) -> Option<String> {
        if let Some(e) = self
            .writer_error
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
        {
            return Some(format!("Stopped: the results could not be stored ({e}). What was sent is found and linked by the next sync."));
        }
        if self.stop.load(Ordering::Relaxed) {
            let a = Counters::get(&self.counters.attempted);
            let f = Counters::get(&self.counters.failed);
            Some(format!("Stopped early: {f} of {a} operations failed (more than {:.0}%), so Lanyard stopped instead of hammering the target. See the failures, fix the cause, and sync again.", FAILURE_SHARE_STOP * 100.0))
        } else if self.cancel.is_cancelled() {
            Some(
                "Cancelled: operations not yet sent stay queued and the next sync settles them."
                    .into(),
            )
        } else {
            None
        }
    }

    fn halted(&self) -> bool {
        self.stop.load(Ordering::Relaxed) || self.cancel.is_cancelled()
    }

    async fn write(&self, w: Write) {
        if let Some(tx) = self.tx.lock().await.as_ref() {
            let _ = tx.send(w);
        }
    }

    fn event(&self, name: EventName, outcome: Outcome, target: &str) -> NewEvent {
        NewEvent::new(Some(&self.app_name), name, outcome)
            .target(target)
            .run(&self.run_id)
    }

    fn add_total(&self, n: u32) {
        self.counters.total.fetch_add(n, Ordering::Relaxed);
    }

    /// One operation ended; `sent`: it made requests (only those count towards the early stop).
    fn finished_one(&self, ok: bool, sent: bool) {
        let attempted = if sent {
            self.counters.attempted.fetch_add(1, Ordering::Relaxed) + 1
        } else {
            Counters::get(&self.counters.attempted)
        };
        let failed = if ok {
            Counters::get(&self.counters.failed)
        } else {
            self.counters.failed.fetch_add(1, Ordering::Relaxed) + 1
        };
        if sent
            && attempted >= FAILURE_MIN_ATTEMPTS
            && f64::from(failed) > f64::from(attempted) * FAILURE_SHARE_STOP
        {
            self.stop.store(true, Ordering::Relaxed);
        }
        let done = self.counters.done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(p) = &self.progress {
            let total = Counters::get(&self.counters.total).max(done);
            let secs = self.started.elapsed().as_secs_f64().max(1e-3);
            let rate = f64::from(done) / secs;
            p(Progress {
                done,
                total,
                rate_per_sec: rate,
                eta_secs: (rate > 0.0).then(|| f64::from(total - done) / rate),
            });
        }
    }

    /// Sends one request with retries; every failed attempt is an event. Answers the result and
    /// how many attempts it took.
    async fn attempt<T, F, Fut>(
        &self,
        name: EventName,
        target: &str,
        mut send: F,
    ) -> (Result<T, ScimError>, u32)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, ScimError>>,
    {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = send().await;
            let e = match result {
                Ok(a) => return (Ok(a), attempt),
                Err(e) => e,
            };
            if !e.retriable() || attempt >= self.retry.max_attempts || self.cancel.is_cancelled() {
                return (Err(e), attempt);
            }
            let wait = self.retry.wait(&e, attempt);
            self.write(Write::Event(
                self.event(name, Outcome::Failed, target)
                    .detail(format!("{}; trying again in {} ms", e, wait.as_millis()))
                    .http(e.status(), e.code())
                    .attempt(attempt),
            ))
            .await;
            // Waits in short steps, so Cancel does not wait for a long Retry-After.
            let until = Instant::now() + wait;
            while Instant::now() < until && !self.cancel.is_cancelled() {
                tokio::time::sleep((until - Instant::now()).min(Duration::from_millis(200))).await;
            }
        }
    }

    async fn fail(
        &self,
        op_id: &str,
        name: EventName,
        target: &str,
        e: &ScimError,
        attempts: u32,
        extra: &str,
    ) {
        self.write(Write::Event(
            self.event(name, Outcome::Failed, target)
                .detail(format!("{}{extra}", e.detail()))
                .http(e.status(), e.code())
                .attempt(attempts),
        ))
        .await;
        self.write(Write::Mark {
            op_id: op_id.to_owned(),
            state: OpState::Failed,
            attempts,
            status: e.status(),
            error: Some(e.detail()),
        })
        .await;
    }

    async fn done(&self, op_id: &str, attempts: u32, status: Option<u16>) {
        self.write(Write::Mark {
            op_id: op_id.to_owned(),
            state: OpState::Done,
            attempts,
            status,
            error: None,
        })
        .await;
    }
}

/// The outbox row of a planned user operation (None: nothing to send or store).
pub fn user_op(run_id: &str, seq: i64, p: &PlannedUser) -> OutboxOp {
    let kind = match p.action {
        UserAction::Create => OpKind::UserCreate,
        UserAction::Deactivate => OpKind::UserDeactivate,
        UserAction::Delete => OpKind::UserDelete,
        _ => OpKind::UserUpdate,
    };
    OutboxOp {
        id: uuid::Uuid::new_v4().to_string(),
        run_id: run_id.to_owned(),
        seq,
        kind,
        user_id: Some(p.user_id.clone()),
        group_id: None,
        remote_id: p.remote_id.clone(),
        target: p.user_name.clone(),
        body: p.body.clone().unwrap_or(Value::Null),
        state: if p.held {
            OpState::Held
        } else {
            OpState::Pending
        },
        attempts: 0,
        last_status: None,
        last_error: None,
    }
}

pub fn group_op(run_id: &str, seq: i64, g: &PlannedGroup) -> OutboxOp {
    let kind = match g.action {
        GroupAction::Create => OpKind::GroupCreate,
        GroupAction::Delete => OpKind::GroupDelete,
        _ => OpKind::GroupUpdate,
    };
    OutboxOp {
        id: uuid::Uuid::new_v4().to_string(),
        run_id: run_id.to_owned(),
        seq,
        kind,
        user_id: None,
        group_id: Some(g.group_id.clone()),
        remote_id: g.remote_id.clone(),
        target: g.name.clone(),
        body: g.body.clone().unwrap_or(Value::Null),
        state: OpState::Pending,
        attempts: 0,
        last_status: None,
        last_error: None,
    }
}

/// Starts the writer; [`finish_writer`] flushes it.
pub async fn start_writer(
    ctx: &Arc<Ctx>,
) -> tokio::task::JoinHandle<Result<(), ProvisioningError>> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Write>();
    *ctx.tx.lock().await = Some(tx);
    let pool = ctx.pool.clone();
    let clock = ctx.clock.clone();
    let app_id = ctx.app_id.clone();
    let owner = Arc::clone(ctx);
    tokio::spawn(async move {
        while let Some(first) = rx.recv().await {
            let mut batch = vec![first];
            while batch.len() < 1000 {
                match rx.try_recv() {
                    Ok(w) => batch.push(w),
                    Err(_) => break,
                }
            }
            if let Err(e) = store_batch(&pool, &clock, &app_id, batch).await {
                tracing::error!(error = %e, "provisioning results could not be stored; the run stops");
                *owner.writer_error.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.to_string());
                owner.stop.store(true, Ordering::Relaxed);
                return Err(e);
            }
        }
        Ok(())
    })
}

pub async fn finish_writer(
    ctx: &Arc<Ctx>,
    writer: tokio::task::JoinHandle<Result<(), ProvisioningError>>,
) -> Result<(), ProvisioningError> {
    ctx.tx.lock().await.take();
    writer
        .await
        .map_err(|e| ProvisioningError::Internal(format!("the result writer stopped: {e}")))?
}

async fn store_batch(
    pool: &SqlitePool,
    clock: &SharedClock,
    app_id: &str,
    batch: Vec<Write>,
) -> Result<(), ProvisioningError> {
    let now = clock.now();
    let mut tx = pool.begin().await?;
    let mut link_rows = Vec::new();
    let mut evs = Vec::new();
    for w in batch {
        match w {
            Write::Link(l) => link_rows.push(*l),
            Write::Unlink(user_id) => {
                links::upsert_user_links(&mut tx, app_id, &std::mem::take(&mut link_rows), now)
                    .await?;
                links::delete_user_link(&mut tx, app_id, &user_id).await?;
            }
            Write::GroupLink(l) => links::upsert_group_link(&mut tx, app_id, &l, now).await?,
            Write::GroupUnlink(g) => links::delete_group_link(&mut tx, app_id, &g).await?,
            Write::Members {
                group_id,
                add,
                remove,
            } => links::apply_members(&mut tx, app_id, &group_id, &add, &remove).await?,
            Write::Mark {
                op_id,
                state,
                attempts,
                status,
                error,
            } => {
                outbox::mark(
                    &mut tx,
                    &op_id,
                    state,
                    attempts,
                    status,
                    error.as_deref(),
                    now,
                )
                .await?
            }
            Write::Event(e) => evs.push(e),
        }
    }
    links::upsert_user_links(&mut tx, app_id, &link_rows, now).await?;
    events::insert(&mut tx, now, &evs).await?;
    tx.commit().await?;
    Ok(())
}

/// Runs user operations with at most `concurrency` in flight.
pub async fn run_users(ctx: &Arc<Ctx>, ops: Vec<(&PlannedUser, &str)>, concurrency: usize) {
    ctx.add_total(u32::try_from(ops.len()).unwrap_or(u32::MAX));
    futures_util::stream::iter(ops)
        .for_each_concurrent(concurrency.max(1), |(p, op_id)| {
            let ctx = Arc::clone(ctx);
            async move {
                if ctx.halted() {
                    return;
                }
                let ok = user(&ctx, p, op_id).await;
                ctx.finished_one(ok, p.action.sends());
            }
        })
        .await;
}

fn event_of(action: UserAction) -> EventName {
    match action {
        UserAction::Create => EventName::UserCreateProvision,
        UserAction::Link => EventName::UserLookupProvision,
        UserAction::Deactivate => EventName::UserDeprovision,
        UserAction::Delete => EventName::UserDeleteProvision,
        _ => EventName::UserUpdateProvision,
    }
}

fn created_id(a: &Answer) -> Option<String> {
    a.body
        .as_ref()
        .and_then(|b| b.get("id"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// One user operation; answers whether it succeeded.
async fn user(ctx: &Arc<Ctx>, p: &PlannedUser, op_id: &str) -> bool {
    let name = event_of(p.action);
    let target = p.user_name.as_str();
    let path = p
        .remote_id
        .as_deref()
        .map(|id| format!("Users/{id}"))
        .unwrap_or_default();
    let body = p.body.clone().unwrap_or(Value::Null);
    let ok_event = |detail: String, status: Option<u16>, attempts: u32| {
        ctx.event(name, Outcome::Ok, target)
            .detail(detail)
            .http(status, None)
            .attempt(attempts)
    };
    if let Some(w) = &p.warning {
        ctx.write(Write::Event(
            ctx.event(EventName::UserUpdateProvision, Outcome::Warning, target)
                .detail(w.clone()),
        ))
        .await;
    }
    match p.action {
        UserAction::Link | UserAction::Acknowledge => {
            let remote = p.remote_id.clone().unwrap_or_default();
            if let Some(old) = &p.replaces {
                ctx.write(Write::Unlink(old.clone())).await;
            }
            ctx.write(Write::Link(Box::new(UserLink::new(
                &p.user_id,
                &remote,
                p.desired.clone(),
            ))))
            .await;
            if p.action == UserAction::Link {
                ctx.counters.linked.fetch_add(1, Ordering::Relaxed);
                ctx.write(Write::Event(ok_event(
                    format!("matched the existing user {remote} by userName and linked it"),
                    None,
                    0,
                )))
                .await;
            }
            ctx.done(op_id, 0, None).await;
            true
        }
        UserAction::Create => {
            let mut body = body;
            if let (Some(pw), Some(obj)) = (&ctx.password, body.as_object_mut()) {
                obj.insert("password".into(), Value::String(pw.expose().clone()));
            }
            let (r, attempts) = ctx
                .attempt(name, target, || ctx.client.post("Users", &body))
                .await;
            match r {
                Ok(a) => match created_id(&a) {
                    Some(id) => {
                        ctx.write(Write::Link(Box::new(UserLink::new(
                            &p.user_id,
                            &id,
                            p.desired.clone(),
                        ))))
                        .await;
                        ctx.counters.created.fetch_add(1, Ordering::Relaxed);
                        ctx.write(Write::Event(ok_event(
                            format!("created {id}"),
                            Some(a.status),
                            attempts,
                        )))
                        .await;
                        ctx.done(op_id, attempts, Some(a.status)).await;
                        true
                    }
                    None => {
                        let e = ScimError::Protocol("the create answered no id".into());
                        ctx.fail(op_id, name, target, &e, attempts, "").await;
                        false
                    }
                },
                // Only a duplicate is looked up and linked; another 409 (Salesforce's missing
                // profile, say) is the failure it says.
                Err(ScimError::Conflict { code, .. })
                    if matches!(
                        code.as_deref(),
                        None | Some("DUPLICATE_USERNAME" | "uniqueness")
                    ) =>
                {
                    link_existing(ctx, p, op_id, attempts).await
                }
                Err(e) => {
                    ctx.fail(op_id, name, target, &e, attempts, "").await;
                    false
                }
            }
        }
        UserAction::Update | UserAction::LinkAndUpdate | UserAction::Deactivate => {
            let (r, attempts) = ctx
                .attempt(name, target, || ctx.client.patch(&path, &body))
                .await;
            match r {
                Ok(a) => {
                    let remote = p.remote_id.clone().unwrap_or_default();
                    if let Some(old) = &p.replaces {
                        ctx.write(Write::Unlink(old.clone())).await;
                    }
                    ctx.write(Write::Link(Box::new(UserLink::new(
                        &p.user_id,
                        &remote,
                        p.desired.clone(),
                    ))))
                    .await;
                    let counter = match p.action {
                        UserAction::Deactivate => &ctx.counters.deactivated,
                        UserAction::LinkAndUpdate => &ctx.counters.linked,
                        _ => &ctx.counters.updated,
                    };
                    counter.fetch_add(1, Ordering::Relaxed);
                    let what: Vec<&str> = p.changes.iter().map(|c| c.attribute.as_str()).collect();
                    ctx.write(Write::Event(ok_event(
                        format!(
                            "{} {}",
                            if p.action == UserAction::Deactivate {
                                "deactivated"
                            } else {
                                "updated"
                            },
                            what.join(", ")
                        ),
                        Some(a.status),
                        attempts,
                    )))
                    .await;
                    ctx.done(op_id, attempts, Some(a.status)).await;
                    true
                }
                Err(e @ ScimError::NotFound { .. }) => {
                    ctx.write(Write::Unlink(p.user_id.clone())).await;
                    ctx.fail(op_id, name, target, &e, attempts, " (the user no longer exists in the target; the link was dropped, so the next sync creates it again if it is in scope)").await;
                    false
                }
                Err(e) => {
                    ctx.fail(op_id, name, target, &e, attempts, "").await;
                    false
                }
            }
        }
        UserAction::Delete => {
            let (r, attempts) = ctx.attempt(name, target, || ctx.client.delete(&path)).await;
            match r {
                Ok(_) | Err(ScimError::NotFound { .. }) => {
                    ctx.write(Write::Unlink(p.user_id.clone())).await;
                    ctx.counters.deleted.fetch_add(1, Ordering::Relaxed);
                    ctx.write(Write::Event(ok_event("deleted".into(), None, attempts)))
                        .await;
                    ctx.done(op_id, attempts, None).await;
                    true
                }
                Err(e) => {
                    ctx.fail(op_id, name, target, &e, attempts, "").await;
                    false
                }
            }
        }
    }
}

/// A create answered 409: the user exists already (made by an earlier, interrupted attempt, or
/// by someone in Salesforce). Look it up, link it, and patch what differs.
async fn link_existing(ctx: &Arc<Ctx>, p: &PlannedUser, op_id: &str, attempts: u32) -> bool {
    let target = p.user_name.as_str();
    let (found, looked) = ctx
        .attempt(EventName::UserLookupProvision, target, || {
            remote::user_by_name(&ctx.client, target)
        })
        .await;
    let remote = match found {
        Ok(Some(r)) => r,
        Ok(None) => {
            let e = ScimError::Conflict {
                code: None,
                detail: "the target refused the create as a duplicate, and no user with this userName is visible in it (the username may be taken in another Salesforce org: usernames are global)".into(),
            };
            ctx.fail(
                op_id,
                EventName::UserCreateProvision,
                target,
                &e,
                attempts,
                "",
            )
            .await;
            return false;
        }
        Err(e) => {
            ctx.fail(
                op_id,
                EventName::UserLookupProvision,
                target,
                &e,
                looked,
                "",
            )
            .await;
            return false;
        }
    };
    let id = remote
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let have = mapping::comparable(&mapping::from_remote(&remote), &p.desired);
    let up = mapping::update(&have, &p.desired, mapping::BodyOptions::default());
    if let Some(body) = up.body {
        let path = format!("Users/{id}");
        let (r, n) = ctx
            .attempt(EventName::UserUpdateProvision, target, || {
                ctx.client.patch(&path, &body)
            })
            .await;
        if let Err(e) = r {
            ctx.fail(op_id, EventName::UserUpdateProvision, target, &e, n, "")
                .await;
            return false;
        }
    }
    ctx.write(Write::Link(Box::new(UserLink::new(
        &p.user_id,
        &id,
        p.desired.clone(),
    ))))
    .await;
    ctx.counters.linked.fetch_add(1, Ordering::Relaxed);
    ctx.write(Write::Event(
        ctx.event(EventName::UserLookupProvision, Outcome::Ok, target)
            .detail(format!(
                "the create was refused as a duplicate; linked the existing user {id}"
            ))
            .attempt(attempts),
    ))
    .await;
    ctx.done(op_id, attempts, Some(409)).await;
    true
}

/// Runs group operations (after the users: they need the members' remote ids).
pub async fn run_groups(ctx: &Arc<Ctx>, ops: Vec<(PlannedGroup, String)>, concurrency: usize) {
    ctx.add_total(u32::try_from(ops.len()).unwrap_or(u32::MAX));
    futures_util::stream::iter(ops)
        .for_each_concurrent(concurrency.max(1), |(g, op_id)| {
            let ctx = Arc::clone(ctx);
            async move {
                if ctx.halted() {
                    return;
                }
                let ok = group(&ctx, &g, &op_id).await;
                ctx.finished_one(ok, g.body.is_some() || g.action == GroupAction::Delete);
            }
        })
        .await;
}

async fn group(ctx: &Arc<Ctx>, g: &PlannedGroup, op_id: &str) -> bool {
    let target = g.name.as_str();
    let body = g.body.clone().unwrap_or(Value::Null);
    let path = g
        .remote_id
        .as_deref()
        .map(|id| format!("Groups/{id}"))
        .unwrap_or_default();
    let (name, result) = match g.action {
        GroupAction::Missing => {
            let e = ScimError::NotFound {
                detail: format!("there is no public group named {target:?} in Salesforce, and Salesforce cannot create groups over SCIM. Create the public group in Salesforce Setup (Public Groups), then sync again"),
            };
            ctx.fail(op_id, EventName::GroupUpdateProvision, target, &e, 0, "")
                .await;
            return false;
        }
        GroupAction::Create => {
            let (r, n) = ctx
                .attempt(EventName::GroupCreateProvision, target, || {
                    ctx.client.post("Groups", &body)
                })
                .await;
            (EventName::GroupCreateProvision, (r, n))
        }
        GroupAction::Delete => {
            let (r, n) = ctx
                .attempt(EventName::GroupDeleteProvision, target, || {
                    ctx.client.delete(&path)
                })
                .await;
            let r = match r {
                Err(ScimError::NotFound { .. }) => Ok(Answer {
                    status: 404,
                    body: None,
                }),
                other => other,
            };
            (EventName::GroupDeleteProvision, (r, n))
        }
        GroupAction::Link | GroupAction::Update | GroupAction::Release => {
            if g.body.is_none() {
                (
                    EventName::GroupUpdateProvision,
                    (
                        Ok(Answer {
                            status: 0,
                            body: None,
                        }),
                        0,
                    ),
                )
            } else {
                let (r, n) = ctx
                    .attempt(EventName::GroupUpdateProvision, target, || {
                        ctx.client.patch_group(&path, &body)
                    })
                    .await;
                (EventName::GroupUpdateProvision, (r, n))
            }
        }
    };
    let (r, mut attempts) = result;
    match r {
        Ok(a) => {
            let remote_id = match g.action {
                GroupAction::Create => created_id(&a).unwrap_or_default(),
                _ => g.remote_id.clone().unwrap_or_default(),
            };
            // The first request's members (all of them unless the change is chunked).
            let (add, remove) = match g.chunks.first() {
                Some(c) => (c.add.clone(), c.remove.clone()),
                None => (g.add.clone(), g.remove.clone()),
            };
            if g.action != GroupAction::Delete {
                if g.action != GroupAction::Release {
                    ctx.write(Write::GroupLink(GroupLink {
                        group_id: g.group_id.clone(),
                        remote_id: remote_id.clone(),
                        display_name: g.name.clone(),
                        created: g.action == GroupAction::Create,
                    }))
                    .await;
                }
                ctx.write(Write::Members {
                    group_id: g.group_id.clone(),
                    add,
                    remove,
                })
                .await;
            }
            // The rest of a large change, one bounded PATCH each, recorded as each is accepted
            // (a failure leaves the rest for the next sync).
            let path = format!("Groups/{remote_id}");
            for c in g.chunks.iter().skip(1) {
                let (r, n) = ctx
                    .attempt(name, target, || ctx.client.patch_group(&path, &c.body))
                    .await;
                attempts += n;
                if let Err(e) = r {
                    ctx.fail(op_id, name, target, &e, n, "").await;
                    return false;
                }
                ctx.write(Write::Members {
                    group_id: g.group_id.clone(),
                    add: c.add.clone(),
                    remove: c.remove.clone(),
                })
                .await;
            }
            if matches!(g.action, GroupAction::Delete | GroupAction::Release) {
                ctx.write(Write::GroupUnlink(g.group_id.clone())).await;
            }
            ctx.counters.groups_updated.fetch_add(1, Ordering::Relaxed);
            ctx.write(Write::Event(
                ctx.event(name, Outcome::Ok, target)
                    .detail(format!(
                        "{:?} {remote_id}: {} added, {} removed",
                        g.action,
                        g.add.len(),
                        g.remove.len()
                    ))
                    .http((a.status > 0).then_some(a.status), None)
                    .attempt(attempts),
            ))
            .await;
            ctx.done(op_id, attempts, Some(a.status)).await;
            true
        }
        Err(e) => {
            ctx.fail(op_id, name, target, &e, attempts, "").await;
            false
        }
    }
}

/// The failed operations of a run with their last error (from the outbox and the events).
pub async fn failures(pool: &SqlitePool, run_id: &str) -> Result<Vec<Failure>, ProvisioningError> {
    let evs = events::query(
        pool,
        &events::EventFilter {
            run_id: Some(run_id.to_owned()),
            outcome: Some(Outcome::Failed),
            limit: 100_000,
            ..Default::default()
        },
    )
    .await?;
    let mut conn = pool.acquire().await?;
    let failed = outbox::of_run(&mut conn, run_id, OpState::Failed).await?;
    let mut last: HashMap<String, events::Event> = HashMap::new();
    for e in evs.into_iter().rev() {
        if let Some(t) = &e.target {
            last.insert(t.clone(), e);
        }
    }
    Ok(failed
        .into_iter()
        .map(|op| {
            let e = last.get(&op.target);
            Failure {
                target: op.target.clone(),
                event: e.map(|e| e.name).unwrap_or(EventName::UserUpdateProvision),
                message: op.last_error.clone().unwrap_or_default(),
                http_status: op.last_status.and_then(|s| u16::try_from(s).ok()),
                error_code: e.and_then(|e| e.error_code.clone()),
                attempts: u32::try_from(op.attempts).unwrap_or(0),
            }
        })
        .collect())
}
