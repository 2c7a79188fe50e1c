//! Manual-import benchmark (issue 10): lists and imports N remote users (default 50,000) from the
//! practice org at zero latency, end to end, and prints figures: the first page, the whole list
//! (SCIM pages of 200, as the import table reads them), the import of every listed user (which
//! takes that listing instead of listing the target again), and the process's peak memory. Run:
//!   cargo run --release -p lanyard-core --example bench_import [-- N]
//! Goals: list + import 50,000 < 10 s; first page < 1 s; peak memory < 400 MB.

use lanyard_core::apps::{Environment, NewApplication};
use lanyard_core::clock::SystemClock;
use lanyard_core::directory::groups::GroupInput;
use lanyard_core::provisioning::import::ImportRequest;
use lanyard_core::provisioning::run::Cancel;
use lanyard_core::secrets::MemoryStore;
use lanyard_core::Core;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "common/mod.rs"]
mod common;

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
        })
        .unwrap_or(0.0)
        / 1024.0
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    if common::serve_sim_if_asked().await {
        return Ok(());
    }
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50_000);
    let t = Instant::now();
    // In a child process: the figures (time and memory) are Lanyard's alone.
    let sim = common::start_org(Duration::ZERO, n);
    println!(
        "practice org with {n} users started in {:.2} s (a child process)",
        t.elapsed().as_secs_f64()
    );
    let dir = tempfile::tempdir()?;
    let core = Core::open(
        dir.path(),
        Arc::new(MemoryStore::default()),
        Arc::new(SystemClock),
    )
    .await?
    .with_practice_url(&sim.base);
    core.create_app(NewApplication {
        name: "practice".into(),
        environment: Environment::Practice,
        ..Default::default()
    })
    .await?;
    core.create_group(GroupInput {
        name: "Imported".into(),
        description: String::new(),
    })
    .await?;
    let login = core.scim_connect_start("practice", None, None).await?;
    let url = login.authorize_url.clone();
    let browser = tokio::spawn(common::consent(url));
    core.scim_connect_finish("practice", login, None, None, Duration::from_secs(30))
        .await?;
    browser.await??;

    let t = Instant::now();
    let first = core.import_page("practice", None).await?;
    let first_page = t.elapsed();
    let t = Instant::now();
    let all = core.import_list("practice", false).await?;
    let listed = t.elapsed();
    let t = Instant::now();
    let result = core
        .import_users(
            "practice",
            ImportRequest {
                group: Some("Imported".into()),
                ..Default::default()
            },
            None,
            Cancel::default(),
        )
        .await?;
    let imported = t.elapsed();
    println!(
        "first page ({} rows): {:.0} ms (goal < 1000 ms)",
        first.rows.len(),
        first_page.as_secs_f64() * 1e3
    );
    println!(
        "list all {} users: {:.2} s",
        all.len(),
        listed.as_secs_f64()
    );
    println!(
        "import {} users (created {}, refused {}): {:.2} s",
        n,
        result.created,
        result.errors.len(),
        imported.as_secs_f64()
    );
    println!(
        "import end to end (the table's listing, then the import of every user it listed): {:.2} s (goal < 10 s)",
        (listed + imported).as_secs_f64()
    );
    println!(
        "peak memory of the benchmark's process (the practice org runs apart): {:.0} MiB (goal < 400 MB)",
        peak_rss_mib()
    );
    drop(sim);
    Ok(())
}
