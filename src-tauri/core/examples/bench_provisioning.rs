//! Provisioning benchmarks against the practice org (in this process, every request delayed
//! 50 ms): figures printed, nothing asserted. Run in release:
//!
//!     cargo run --release -p lanyard-core --example bench_provisioning [-- 2k | 10k]
//!
//! (`2k` runs only the first part, `10k` only the others.)
//!
//! 1. First sync of 2,000 users at concurrency 8, against the floor ceil(requests / 8) × 50 ms
//!    (goal ≤ 1.2 × the floor), and the same at concurrency 1 for the ratio.
//! 2. An unchanged re-sync of 10,000 users (goal: 0 requests, < 1 s).
//! 3. One user on demand, lookup + create (goal < 300 ms).
//! 4. Peak memory (VmHWM) of the process during the 10,000-user sync (goal < 200 MB).
//!
//! The practice org runs in a child process (this program started with `--serve-sim`), so the
//! figures are Lanyard's alone: the org's 10,000 users are not in this process's memory, and its
//! work does not take this process's time. The child ends when this process does (its stdin
//! closes).

use lanyard_core::apps::{Environment, NewApplication};
use lanyard_core::clock::SystemClock;
use lanyard_core::directory::groups::GroupInput;
use lanyard_core::directory::users::UserInput;
use lanyard_core::provisioning::run::Cancel;
use lanyard_core::provisioning::{SyncOptions, SyncReport};
use lanyard_core::secrets::MemoryStore;
use lanyard_core::Core;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "common/mod.rs"]
mod common;
use common::{consent, fail, start_org, Org};

const LATENCY: Duration = Duration::from_millis(50);
const GROUP: &str = "Support";

struct Setup {
    _dir: tempfile::TempDir,
    core: Core,
    sim: Org,
}

fn email(i: usize) -> String {
    format!("user{i:05}@bench.example")
}

/// A practice org (50 ms per request), a core with `users` directory users in a group bound to
/// the application, connected through OAuth.
async fn setup(users: usize) -> Setup {
    let sim = start_org(LATENCY, 0);
    let dir = tempfile::tempdir().unwrap_or_else(|e| fail("no temp dir", e));
    let core = Core::open(
        dir.path(),
        Arc::new(MemoryStore::default()),
        Arc::new(SystemClock),
    )
    .await
    .unwrap_or_else(|e| fail("the core did not open", e))
    .with_practice_url(&sim.base);
    core.create_app(NewApplication {
        name: "practice".into(),
        environment: Environment::Practice,
        ..Default::default()
    })
    .await
    .unwrap_or_else(|e| fail("create app", e));
    core.create_group(GroupInput {
        name: GROUP.into(),
        description: String::new(),
    })
    .await
    .unwrap_or_else(|e| fail("create group", e));
    core.set_app_group("practice", GROUP, true)
        .await
        .unwrap_or_else(|e| fail("bind group", e));
    let mut csv = String::from("email,firstname,lastname,jobTitle,department,groups\n");
    for i in 0..users {
        csv.push_str(&format!(
            "{},First{i},Last{i},Agent,Dept{},{GROUP}\n",
            email(i),
            i % 9
        ));
    }
    core.import_csv(&csv)
        .await
        .unwrap_or_else(|e| fail("import", e));
    let login = core
        .scim_connect_start("practice", None, None)
        .await
        .unwrap_or_else(|e| fail("connect start", e));
    let browser = tokio::spawn(consent(login.authorize_url.clone()));
    core.scim_connect_finish("practice", login, None, None, Duration::from_secs(30))
        .await
        .unwrap_or_else(|e| fail("connect", e));
    match browser.await {
        Ok(Ok(())) => {}
        other => fail("the consent step", other),
    }
    Setup {
        _dir: dir,
        core,
        sim,
    }
}

async fn sync(s: &Setup, opts: SyncOptions) -> SyncReport {
    let r = s
        .core
        .sync("practice", opts, None, Cancel::default())
        .await
        .unwrap_or_else(|e| fail("sync", e));
    if r.summary.failed > 0 {
        eprintln!(
            "bench_provisioning: {} failures, e.g. {:?}",
            r.summary.failed,
            r.failures.first()
        );
    }
    r
}

fn floor(requests: u32, concurrency: u32) -> f64 {
    f64::from(requests.div_ceil(concurrency)) * LATENCY.as_secs_f64()
}

fn status_kb(key: &str) -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/status").ok()?;
    text.lines()
        .find(|l| l.starts_with(key))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

async fn by_route(s: &Setup) -> String {
    let stats: serde_json::Value = match reqwest::get(format!("{}/_sim/stats", s.sim.base)).await {
        Ok(r) => r.json().await.unwrap_or_default(),
        Err(e) => return format!("(no stats: {e})"),
    };
    stats["by_route"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

#[tokio::main]
async fn main() {
    if common::serve_sim_if_asked().await {
        return;
    }
    let part = std::env::args().nth(1).unwrap_or_default();
    println!(
        "practice org latency {} ms per request",
        LATENCY.as_millis()
    );
    if part != "10k" {
        first_syncs().await;
    }
    if part != "2k" {
        large().await;
    }
}

async fn first_syncs() {
    // 1. First sync of 2,000 users at concurrency 8, then at 1.
    let mut secs = [0.0f64; 2];
    for (n, concurrency) in [8u32, 1].into_iter().enumerate() {
        let s = setup(2000).await;
        let r = sync(
            &s,
            SyncOptions {
                concurrency: concurrency as usize,
                ..Default::default()
            },
        )
        .await;
        let f = floor(r.summary.requests, concurrency);
        secs[n] = r.summary.seconds;
        println!(
            "first sync, 2,000 users, concurrency {concurrency}: {:.2} s, {} requests, created {}, failed {}; floor ceil({}/{concurrency}) × 50 ms = {f:.2} s; {:.3} × the floor (goal ≤ 1.2)",
            r.summary.seconds,
            r.summary.requests,
            r.summary.created,
            r.summary.failed,
            r.summary.requests,
            r.summary.seconds / f
        );
        println!("  requests by route: {}", by_route(&s).await);
    }
    println!(
        "concurrency 1 / concurrency 8: {:.2}× the time",
        secs[1] / secs[0]
    );
}

/// 2–4. 10,000 users: the first sync (peak memory), an unchanged re-sync, one user on demand.
async fn large() {
    let s = setup(10_000).await;
    let before = status_kb("VmRSS:").unwrap_or(0);
    // Writing 5 to clear_refs resets the high-water mark, so VmHWM is this sync's peak.
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let first = sync(
        &s,
        SyncOptions {
            concurrency: 25,
            ..Default::default()
        },
    )
    .await;
    let peak = status_kb("VmHWM:").unwrap_or(0);
    println!(
        "first sync, 10,000 users, concurrency 25: {:.2} s, {} requests, created {}, failed {}",
        first.summary.seconds, first.summary.requests, first.summary.created, first.summary.failed
    );
    println!(
        "peak RSS during the 10,000-user sync: {:.1} MB (VmHWM{}; RSS before it {:.1} MB) (goal < 200 MB)",
        peak as f64 / 1024.0,
        if reset { ", reset before the sync" } else { " since the process started" },
        before as f64 / 1024.0
    );
    let again = sync(&s, SyncOptions::default()).await;
    println!(
        "unchanged re-sync, 10,000 users: {} requests, {:.3} s, planned {} (goal: 0 requests, < 1 s)",
        again.summary.requests, again.summary.seconds, again.summary.planned
    );
    let new = email(10_000);
    s.core
        .create_user(UserInput {
            email: new.clone(),
            firstname: "Late".into(),
            lastname: "Comer".into(),
            ..Default::default()
        })
        .await
        .unwrap_or_else(|e| fail("create user", e));
    s.core
        .add_group_members(GROUP, std::slice::from_ref(&new))
        .await
        .unwrap_or_else(|e| fail("add member", e));
    let t = Instant::now();
    let one = sync(
        &s,
        SyncOptions {
            only_user: Some(new.clone()),
            ..Default::default()
        },
    )
    .await;
    println!(
        "one user on demand (lookup + create, with its group) among 10,000: {:.0} ms, {} requests, created {}, groups updated {} (goal < 300 ms)",
        t.elapsed().as_secs_f64() * 1000.0,
        one.summary.requests,
        one.summary.created,
        one.summary.groups_updated
    );
    println!("  requests by route: {}", by_route(&s).await);
}
