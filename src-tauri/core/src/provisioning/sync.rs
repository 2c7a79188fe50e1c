//! One sync of an application: settle what an interrupted run left, read the scope and the links,
//! check, match unlinked users to remote ones (one paged listing on a first sync, lookups
//! otherwise), plan, guard, then push users and after them groups. A dry run stops after the plan.

use super::checks::{self, UserProblem};
use super::client::{ScimClient, ScimError};
use super::connection::Connection;
use super::links::{self, UserLink};
use super::mapping::{self, BodyOptions};
use super::outbox;
use super::plan::{
    self, BoundGroup, DeletionGuard, PlannedGroup, PlannedUser, RemoteUser, UserAction,
};
use super::remote;
use super::run::{self, Cancel, Ctx, Failure, ProgressFn, Retry};
use super::ProvisioningError;
use crate::clock::SharedClock;
use crate::directory::access;
use crate::secrets::Sensitive;
use serde::Serialize;
use serde_json::Value;
use sqlx::SqlitePool;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

/// Unlinked users above this many: list the target once instead of one lookup each.
const LIST_ABOVE: usize = 25;

#[derive(Clone)]
pub struct SyncOptions {
    pub dry_run: bool,
    /// 1 to 25 (default 8).
    pub concurrency: usize,
    pub allow_deactivations: bool,
    /// Deactivate every user Lanyard provisioned (and take them out of the remote groups), as
    /// if nobody were in scope: what an admin does before deleting the application.
    pub deprovision_all: bool,
    /// Push one user now (by email), with its groups.
    pub only_user: Option<String>,
    /// An initial password for this push's creates (never stored).
    pub password: Option<Sensitive<String>>,
    pub guard: DeletionGuard,
    pub retry: Retry,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            dry_run: false,
            concurrency: 8,
            allow_deactivations: false,
            deprovision_all: false,
            only_user: None,
            password: None,
            guard: DeletionGuard::default(),
            retry: Retry::default(),
        }
    }
}

/// The counts of a run (`lanyard sync --json` prints these).
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SyncSummary {
    pub run_id: String,
    pub dry_run: bool,
    pub planned: u32,
    pub created: u32,
    pub updated: u32,
    pub deactivated: u32,
    pub deleted: u32,
    pub linked: u32,
    pub groups_updated: u32,
    pub held: u32,
    pub failed: u32,
    pub requests: u32,
    pub seconds: f64,
    /// Why the run stopped early or held deactivations; empty when it simply finished.
    pub message: String,
}

/// A run's summary, its plan, and what failed.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SyncReport {
    pub summary: SyncSummary,
    pub users: Vec<PlannedUser>,
    pub groups: Vec<PlannedGroup>,
    pub problems: Vec<UserProblem>,
    pub held_reason: Option<String>,
    pub failures: Vec<Failure>,
}

/// What a sync works with, besides the options.
pub struct SyncTarget<'a> {
    pub app_id: &'a str,
    pub app_name: &'a str,
    pub connection: &'a Connection,
    pub client: Arc<ScimClient>,
    pub pool: &'a SqlitePool,
    pub clock: SharedClock,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The groups bound to the application with their members (with `only`: just those members,
/// for one user on demand).
async fn bound_groups(
    pool: &SqlitePool,
    app_id: &str,
    only: Option<&[String]>,
) -> Result<Vec<BoundGroup>, ProvisioningError> {
    let mut q: sqlx::QueryBuilder<sqlx::Sqlite> = sqlx::QueryBuilder::new(
        "SELECT g.id, g.name, m.user_id FROM app_group_bindings b JOIN groups g ON g.id = b.group_id
         LEFT JOIN group_members m ON m.group_id = g.id",
    );
    if let Some(ids) = only {
        links::push_in(&mut q, " AND m.user_id", ids);
    }
    q.push(" WHERE b.app_id = ")
        .push_bind(app_id)
        .push(" ORDER BY g.name_key");
    let rows: Vec<(String, String, Option<String>)> = q.build_query_as().fetch_all(pool).await?;
    let mut out: Vec<BoundGroup> = Vec::new();
    for (id, name, member) in rows {
        if out.last().is_none_or_id(&id) {
            out.push(BoundGroup {
                id,
                name,
                members: Vec::new(),
            });
        }
        if let (Some(m), Some(last)) = (member, out.last_mut()) {
            last.members.push(m);
        }
    }
    Ok(out)
}

trait LastGroup {
    fn is_none_or_id(&self, id: &str) -> bool;
}

impl LastGroup for Option<&BoundGroup> {
    fn is_none_or_id(&self, id: &str) -> bool {
        match self {
            None => true,
            Some(g) => g.id != id,
        }
    }
}

/// Reads the target before the run starts (listing, lookups), with the run's retries; every
/// failed attempt is an event, like the writes' attempts.
struct Reader<'a, 't> {
    t: &'a SyncTarget<'t>,
    retry: &'a Retry,
    cancel: &'a Cancel,
    run_id: &'a str,
}

impl Reader<'_, '_> {
    async fn read<T, F, Fut>(
        &self,
        name: crate::events::EventName,
        target: &str,
        mut send: F,
    ) -> Result<T, ScimError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, ScimError>>,
    {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let e = match send().await {
                Ok(v) => return Ok(v),
                Err(e) => e,
            };
            let last =
                !e.retriable() || attempt >= self.retry.max_attempts || self.cancel.is_cancelled();
            let wait = self.retry.wait(&e, attempt);
            let detail = if last {
                e.detail()
            } else {
                format!("{e}; trying again in {} ms", wait.as_millis())
            };
            crate::events::record_event(
                self.t.pool,
                self.t.clock.now(),
                crate::events::NewEvent::new(
                    Some(self.t.app_name),
                    name,
                    crate::events::Outcome::Failed,
                )
                .target(target)
                .run(self.run_id)
                .detail(detail)
                .http(e.status(), e.code())
                .attempt(attempt),
            )
            .await;
            if last {
                return Err(e);
            }
            tokio::time::sleep(wait).await;
        }
    }
}

/// What the listing's failed attempts are logged against.
const LISTING_TARGET: &str = "(all users of the target)";

/// Finds the remote users of the unlinked users: one paged listing when there are many.
async fn match_unlinked(
    r: &Reader<'_, '_>,
    unlinked: &[String],
    concurrency: usize,
) -> Result<HashMap<String, RemoteUser>, ProvisioningError> {
    use crate::events::EventName;
    let t = r.t;
    let mut out = HashMap::new();
    if unlinked.is_empty() {
        return Ok(out);
    }
    let wanted: HashSet<&str> = unlinked.iter().map(String::as_str).collect();
    let keep = |r: &Value, out: &mut HashMap<String, RemoteUser>| {
        let u = mapping::remote_user(r);
        if wanted.contains(u.managed.user_name.as_str()) && !u.id.is_empty() {
            out.insert(u.managed.user_name.clone(), u);
        }
    };
    if unlinked.len() > LIST_ABOVE {
        let caps = t.connection.capabilities();
        let mut cursor = Some(remote::Cursor::first(caps));
        while let Some(c) = cursor {
            let (list, next) = r
                .read(EventName::UserLookupProvision, LISTING_TARGET, || {
                    remote::users_page(&t.client, caps, &c)
                })
                .await?;
            for u in &list {
                keep(u, &mut out);
            }
            cursor = next;
        }
        return Ok(out);
    }
    use futures_util::StreamExt;
    // Owned names: a future that borrowed one would not be Send for every lifetime.
    let found: Vec<_> = futures_util::stream::iter(unlinked.to_vec())
        .map(|name| {
            let client = Arc::clone(&t.client);
            async move {
                let found = r
                    .read(EventName::UserLookupProvision, &name, || {
                        remote::user_by_name(&client, &name)
                    })
                    .await;
                (name, found)
            }
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    for (_, found) in found {
        match found {
            Ok(Some(u)) => keep(&u, &mut out),
            Ok(None) => {}
            // The failed attempts are events already.
            Err(e) => return Err(e.into()),
        }
    }
    Ok(out)
}

/// Runs one sync.
pub async fn sync(
    t: SyncTarget<'_>,
    opts: SyncOptions,
    progress: Option<ProgressFn>,
    cancel: Cancel,
) -> Result<SyncReport, ProvisioningError> {
    if !(1..=25).contains(&opts.concurrency) {
        return Err(ProvisioningError::BadConcurrency(opts.concurrency));
    }
    let started = Instant::now();
    let run_id = uuid::Uuid::new_v4().to_string();
    let now = t.clock.now();
    let lock = if opts.dry_run {
        None
    } else {
        Some(super::lock::acquire(t.pool, t.app_id, t.app_name, &run_id, now).await?)
    };
    let mut conn = t.pool.acquire().await?;
    if !opts.dry_run {
        // What an interrupted run left: settled by planning again from the links (a create that
        // reached the target is found by userName below and linked, never sent twice).
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        sqlx::query("UPDATE sync_runs SET status = 'interrupted', finished_at = ? WHERE app_id = ? AND status = 'running'")
            .bind(now)
            .bind(t.app_id)
            .execute(&mut *tx)
            .await?;
        outbox::supersede_open(&mut tx, t.app_id, now).await?;
        outbox::prune(&mut tx, t.app_id, &run_id).await?;
        tx.commit().await?;
    }
    // One user on demand reads that user and its link only, not the whole directory.
    let only = match &opts.only_user {
        Some(email) => {
            let key = crate::directory::email_key(email);
            let id: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE email_key = ?")
                .bind(&key)
                .fetch_optional(&mut *conn)
                .await?;
            Some((id, key))
        }
        None => None,
    };
    let (in_scope, links) = match (&opts.only_user, &only) {
        (Some(email), Some((id, key))) => {
            let user = access::authorized_user(&mut *conn, t.app_id, email).await?;
            let links = links::user_links_of(&mut conn, t.app_id, id.as_deref(), key).await?;
            if user.is_none() && links.is_empty() {
                return Err(ProvisioningError::UserNotInScope(email.clone()));
            }
            (user.into_iter().collect(), links)
        }
        _ if opts.deprovision_all => (Vec::new(), links::user_links(&mut conn, t.app_id).await?),
        _ => (
            access::authorized_users(&mut *conn, t.app_id).await?,
            links::user_links(&mut conn, t.app_id).await?,
        ),
    };
    let mut links = links;
    let (ok_users, problems) = checks::check(in_scope, t.connection.picklists_on);
    let problems: Vec<UserProblem> = problems;
    for p in &problems {
        // A user with a problem keeps its link untouched: not deactivated for being unpushable.
        links.remove(&p.user_id);
    }
    let unlinked: Vec<String> = ok_users
        .iter()
        .filter(|u| !links.contains_key(&u.id))
        .map(|u| u.email.to_lowercase())
        .collect();
    let reader = Reader {
        t: &t,
        retry: &opts.retry,
        cancel: &cancel,
        run_id: &run_id,
    };
    let matches = match_unlinked(&reader, &unlinked, opts.concurrency).await?;
    let opts_body = BodyOptions::default();
    let (mut users, conflicts) = plan::plan_users(&plan::UserPlanInput {
        in_scope: &ok_users,
        links: &links,
        matches: &matches,
        profile_id: t.connection.profile_id.as_deref(),
        deletes: t.connection.deletes_users(),
        opts: opts_body,
    });
    let mut problems = problems;
    problems.extend(conflicts);
    let held_reason = plan::guard(
        &mut users,
        links.len(),
        &opts.guard,
        opts.allow_deactivations,
    );
    let held = count(users.iter().filter(|u| u.held).count());
    let caps = t.connection.capabilities();
    let mut summary = SyncSummary {
        run_id: run_id.clone(),
        dry_run: opts.dry_run,
        held,
        message: held_reason.clone().unwrap_or_default(),
        ..Default::default()
    };

    // The groups, as they would be once the users are pushed. Members are named by the remote
    // id of any link (a user who left scope is removed by it); users held by the guard or with a
    // problem are neither added nor removed.
    let scope: HashSet<&str> = ok_users.iter().map(|u| u.id.as_str()).collect();
    let frozen: HashSet<String> = users
        .iter()
        .filter(|u| u.held)
        .map(|u| u.user_id.clone())
        .chain(problems.iter().map(|p| p.user_id.clone()))
        .collect();
    let group_plan = |links_now: &HashMap<String, UserLink>,
                      planned: &[PlannedUser],
                      bound: &[BoundGroup],
                      glinks,
                      pushed,
                      remote_groups| {
        let mut remote_ids: HashMap<String, String> = links_now
            .iter()
            .map(|(u, l)| (u.clone(), l.remote_id.clone()))
            .collect();
        let mut eligible: HashSet<String> = links_now
            .keys()
            .filter(|u| scope.contains(u.as_str()))
            .cloned()
            .collect();
        for p in planned {
            match p.action {
                UserAction::Deactivate | UserAction::Delete => {
                    eligible.remove(&p.user_id);
                }
                _ => {
                    let id = p
                        .remote_id
                        .clone()
                        .unwrap_or_else(|| format!("(new: {})", p.user_name));
                    remote_ids.entry(p.user_id.clone()).or_insert(id);
                    eligible.insert(p.user_id.clone());
                }
            }
        }
        eligible.retain(|u| !frozen.contains(u));
        plan::plan_groups(&plan::GroupPlanInput {
            bound,
            links: glinks,
            pushed,
            remote_ids: &remote_ids,
            eligible: &eligible,
            frozen: &frozen,
            include_unbound: opts.only_user.is_none(),
            remote_groups,
            can_create: caps.group_create_delete,
            wrapped_members: caps.id_paging,
        })
    };

    // One user on demand: only its own memberships are read (the groups' other members are
    // not part of the push).
    let only_ids: Option<Vec<String>> = opts.only_user.as_ref().map(|_| {
        let mut ids: Vec<String> = ok_users
            .iter()
            .map(|u| u.id.clone())
            .chain(links.keys().cloned())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    });
    let mut bound = bound_groups(t.pool, t.app_id, only_ids.as_deref()).await?;
    let glinks = links::group_links(&mut conn, t.app_id).await?;
    if opts.deprovision_all {
        // The groups already in the target stay; their members leave. Nothing else is made.
        bound.retain(|g| glinks.contains_key(&g.id));
        for g in &mut bound {
            g.members.clear();
        }
    }
    let mut pushed = links::pushed_members(&mut conn, t.app_id, only_ids.as_deref()).await?;
    let restrict = |bound: &mut Vec<BoundGroup>, pushed: &mut HashMap<String, HashSet<String>>| {
        if opts.only_user.is_some() {
            let only: HashSet<String> = ok_users
                .iter()
                .map(|u| u.id.clone())
                .chain(links.keys().cloned())
                .collect();
            for g in bound.iter_mut() {
                g.members.retain(|m| only.contains(m));
            }
            for set in pushed.values_mut() {
                set.retain(|m| only.contains(m));
            }
        }
    };
    restrict(&mut bound, &mut pushed);
    let mut remote_groups = HashMap::new();
    // On demand, only the user's own groups are looked up.
    let wanted = |g: &&BoundGroup| opts.only_user.is_none() || !g.members.is_empty();
    for g in bound
        .iter()
        .filter(|g| !glinks.contains_key(&g.id))
        .filter(wanted)
    {
        let found = reader
            .read(
                crate::events::EventName::GroupUpdateProvision,
                &g.name,
                || remote::group_by_name(&t.client, &g.name),
            )
            .await?;
        if let Some(id) = found {
            remote_groups.insert(g.name.to_lowercase(), id);
        }
    }
    drop(conn);

    if opts.dry_run {
        let mut groups = group_plan(&links, &users, &bound, &glinks, &pushed, &remote_groups);
        if opts.only_user.is_some() {
            groups.retain(|g| !(g.add.is_empty() && g.remove.is_empty()));
        }
        summary.planned = count(users.iter().filter(|u| !u.held).count() + groups.len());
        summary.requests = count(t.client.requests() as usize);
        summary.seconds = started.elapsed().as_secs_f64();
        return Ok(SyncReport {
            summary,
            users,
            groups,
            problems,
            held_reason,
            failures: Vec::new(),
        });
    }

    let mut conn = t.pool.acquire().await?;
    sqlx::query(
        "INSERT INTO sync_runs (id, app_id, started_at, status) VALUES (?, ?, ?, 'running')",
    )
    .bind(&run_id)
    .bind(t.app_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    for p in &problems {
        crate::events::insert(
            &mut conn,
            now,
            &[crate::events::NewEvent::new(
                Some(t.app_name),
                crate::events::EventName::UserCreateProvision,
                crate::events::Outcome::Skipped,
            )
            .target(&p.email)
            .run(&run_id)
            .detail(p.message.clone())],
        )
        .await?;
    }
    // Written 500 at a time, keeping only the ids: the plan's bodies are not held twice.
    let mut op_ids: Vec<String> = Vec::with_capacity(users.len());
    for (n, chunk) in users.chunks(500).enumerate() {
        let ops: Vec<_> = chunk
            .iter()
            .enumerate()
            .map(|(k, p)| run::user_op(&run_id, (n * 500 + k) as i64, p))
            .collect();
        outbox::enqueue(&mut conn, t.app_id, &ops, now).await?;
        op_ids.extend(ops.into_iter().map(|o| o.id));
    }
    drop(conn);

    let ctx = Arc::new(Ctx::new(
        t.app_id,
        t.app_name,
        &run_id,
        Arc::clone(&t.client),
        t.pool.clone(),
        t.clock.clone(),
        opts.retry.clone(),
        cancel,
        progress,
        opts.password.clone().filter(|_| opts.only_user.is_some()),
    ));
    let writer = run::start_writer(&ctx).await;
    let todo: Vec<(&PlannedUser, &str)> = users
        .iter()
        .zip(op_ids.iter().map(String::as_str))
        .filter(|(p, _)| !p.held)
        .collect();
    run::run_users(&ctx, todo, opts.concurrency).await;
    run::finish_writer(&ctx, writer).await?;

    let mut groups = Vec::new();
    if ctx.stopped().is_none() {
        let mut conn = t.pool.acquire().await?;
        let links_now = match &only {
            Some((id, key)) => {
                links::user_links_of(&mut conn, t.app_id, id.as_deref(), key).await?
            }
            None => links::user_links(&mut conn, t.app_id).await?,
        };
        let mut pushed = links::pushed_members(&mut conn, t.app_id, only_ids.as_deref()).await?;
        let mut bound = bound.clone();
        restrict(&mut bound, &mut pushed);
        let mut planned_now = group_plan(&links_now, &[], &bound, &glinks, &pushed, &remote_groups);
        if opts.only_user.is_some() {
            planned_now.retain(|g| !(g.add.is_empty() && g.remove.is_empty()));
        }
        let gops: Vec<_> = planned_now
            .iter()
            .enumerate()
            .map(|(n, g)| run::group_op(&run_id, (users.len() + n) as i64, g))
            .collect();
        outbox::enqueue(&mut conn, t.app_id, &gops, t.clock.now()).await?;
        drop(conn);
        let writer = run::start_writer(&ctx).await;
        let todo = planned_now
            .iter()
            .cloned()
            .zip(gops.iter().map(|o| o.id.clone()))
            .collect();
        run::run_groups(&ctx, todo, opts.concurrency).await;
        run::finish_writer(&ctx, writer).await?;
        groups = planned_now;
    }

    let c = &ctx.counters;
    let get = run::Counters::get;
    summary.planned = count(users.iter().filter(|u| !u.held).count() + groups.len());
    summary.created = get(&c.created);
    summary.updated = get(&c.updated);
    summary.deactivated = get(&c.deactivated);
    summary.deleted = get(&c.deleted);
    summary.linked = get(&c.linked);
    summary.groups_updated = get(&c.groups_updated);
    summary.failed = get(&c.failed);
    summary.requests = count(t.client.requests() as usize);
    summary.seconds = started.elapsed().as_secs_f64();
    let status = match ctx.stopped() {
        Some(why) => {
            summary.message = why;
            if ctx.cancel.is_cancelled() {
                "cancelled"
            } else {
                "stopped"
            }
        }
        None => "done",
    };
    sqlx::query(
        "UPDATE sync_runs SET finished_at = ?, status = ?, planned = ?, created = ?, updated = ?, deactivated = ?,
           deleted = ?, linked = ?, groups_updated = ?, held = ?, failed = ?, requests = ?, message = ? WHERE id = ?",
    )
    .bind(t.clock.now())
    .bind(status)
    .bind(summary.planned)
    .bind(summary.created)
    .bind(summary.updated)
    .bind(summary.deactivated)
    .bind(summary.deleted)
    .bind(summary.linked)
    .bind(summary.groups_updated)
    .bind(summary.held)
    .bind(summary.failed)
    .bind(summary.requests)
    .bind(&summary.message)
    .bind(&run_id)
    .execute(t.pool)
    .await?;
    let failures = run::failures(t.pool, &run_id).await?;
    if let Some(l) = lock {
        l.release().await;
    }
    tracing::info!(
        app = t.app_name,
        run = %run_id,
        status,
        created = summary.created,
        updated = summary.updated,
        deactivated = summary.deactivated,
        failed = summary.failed,
        requests = summary.requests,
        seconds = summary.seconds,
        "sync finished"
    );
    for f in failures.iter().take(20) {
        tracing::warn!(app = t.app_name, target = %f.target, status = ?f.http_status, code = ?f.error_code, message = %f.message, "provisioning failed");
    }
    Ok(SyncReport {
        summary,
        users,
        groups,
        problems,
        held_reason,
        failures,
    })
}
