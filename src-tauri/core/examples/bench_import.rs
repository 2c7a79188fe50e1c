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
use lanyard_core::provisioning::import_view::{ImportQuery, ImportSort, ImportSortKey};
use lanyard_core::provisioning::run::Cancel;
use lanyard_core::secrets::MemoryStore;
use lanyard_core::Core;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "common/mod.rs"]
mod common;

/// Counts live heap bytes, so each phase's own peak shows (RSS keeps what the allocator held).
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let now = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Live heap now and the peak since the last call (MiB), then the peak starts again from now.
fn heap_phase() -> (f64, f64) {
    let live = LIVE.load(Ordering::Relaxed);
    let peak = PEAK.swap(live, Ordering::Relaxed);
    (live as f64 / 1048576.0, peak as f64 / 1048576.0)
}

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

    let (base, _) = heap_phase();
    let t = Instant::now();
    let first = core.import_read("practice", None).await?;
    let first_rows = core
        .import_view(
            "practice",
            &ImportQuery {
                limit: 200,
                ..Default::default()
            },
        )
        .await?;
    let first_page = t.elapsed();
    let t = Instant::now();
    // Page after page as the import table reads them into the core's listing.
    let mut rows = first.listed;
    let mut cursor = first.next;
    while let Some(at) = cursor {
        let read = core.import_read("practice", Some(&at)).await?;
        rows = read.listed;
        cursor = read.next;
    }
    let listed = t.elapsed();
    let (after_list, list_peak) = heap_phase();
    // What the table asks of the listing: New users first (a sort of every row), a page deep in
    // it, a search, and every id for "select all".
    let new_first = ImportQuery {
        sort: vec![ImportSort {
            by: ImportSortKey::Status,
            desc: false,
        }],
        offset: 25_000,
        limit: 200,
        ..Default::default()
    };
    let t = Instant::now();
    let sorted = core.import_view("practice", &new_first).await?;
    let sort_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    core.import_view(
        "practice",
        &ImportQuery {
            offset: 25_200,
            ..new_first.clone()
        },
    )
    .await?;
    let scroll_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let found = core
        .import_view(
            "practice",
            &ImportQuery {
                search: "421@".into(),
                limit: 200,
                ..Default::default()
            },
        )
        .await?;
    let search_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let all = core.import_ids("practice", &ImportQuery::default()).await?;
    let ids_ms = t.elapsed().as_secs_f64() * 1e3;
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
    let (after_import, import_peak) = heap_phase();
    println!(
        "first page ({} rows read, {} shown): {:.0} ms (goal < 1000 ms)",
        first.listed,
        first_rows.rows.len(),
        first_page.as_secs_f64() * 1e3
    );
    println!("list all {} users: {:.2} s", rows, listed.as_secs_f64());
    println!(
        "the table's queries over the listing: New first, rows 25,000-25,199 of {}: {sort_ms:.1} ms; \
         the next 200 (same order): {scroll_ms:.1} ms; search \"421@\" ({} found): {search_ms:.1} ms; \
         select all ({} ids): {ids_ms:.1} ms",
        sorted.total,
        found.total,
        all.positions.len()
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
        "heap (live bytes the core allocated, MiB): {base:.1} before the list; listing peak {list_peak:.1}, \
         kept after it {after_list:.1} (the listing kept for the import); import peak {import_peak:.1}, after it {after_import:.1}"
    );
    println!(
        "peak memory of the benchmark's process (the practice org runs apart): {:.0} MiB (goal < 400 MB)",
        peak_rss_mib()
    );
    drop(sim);
    Ok(())
}
