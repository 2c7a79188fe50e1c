//! Directory benchmark: generates a CSV of N users (default 100,000) with departments and groups,
//! then times the import preview, the import itself, listing all users, a second preview of the
//! same file (everything unchanged) and the export, on a fresh database in a temp folder.
//!
//!     cargo run --release -p lanyard-core --example bench_directory [-- N]
//!
//! Goal from the issue: preview + import of 100,000 users in under 10 s. Figures are measured,
//! never assumed; the run fails (exit 1) if an import does not write every row.

use lanyard_core::clock::SystemClock;
use lanyard_core::secrets::MemoryStore;
use lanyard_core::Core;
use std::sync::Arc;
use std::time::Instant;

const DEPARTMENTS: [&str; 8] = [
    "Engineering",
    "Sales",
    "Support",
    "Finance",
    "Marketing",
    "Legal",
    "Operations",
    "People",
];

fn generate(n: usize) -> String {
    let mut out = String::with_capacity(n * 200);
    out.push_str("email,firstname,lastname,jobTitle,department,company,locality,country,phone,suspended,federationId,groups\n");
    for i in 0..n {
        let dept = DEPARTMENTS[i % DEPARTMENTS.len()];
        let region = ["EMEA", "AMER", "APAC"][i % 3];
        out.push_str(&format!(
            "user{i:06}@example.com,First{i},Last{},Analyst {},{dept},Acme,City {},FR,+33 1 {i:08},{},fed-{i:06},{dept};{region}\n",
            n - i,
            i % 40,
            i % 97,
            i % 50 == 0,
        ));
    }
    out
}

/// This process's resident memory (Linux), for "memory with 100,000 users".
fn rss_mb() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or_else(|| "unknown".into(), |kb| format!("{:.0} MB", kb / 1024.0))
}

fn secs(t: Instant) -> String {
    format!("{:.2} s", t.elapsed().as_secs_f64())
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let core = Core::open(
        dir.path(),
        Arc::new(MemoryStore::default()),
        Arc::new(SystemClock),
    )
    .await
    .expect("open core");

    println!("core process resident memory at start: {}", rss_mb());
    let t = Instant::now();
    let csv = generate(n);
    println!(
        "generated {n} rows ({:.1} MB) in {}",
        csv.len() as f64 / 1e6,
        secs(t)
    );

    let t = Instant::now();
    let preview = core.preview_csv_import(&csv).await.expect("preview");
    let preview_s = t.elapsed().as_secs_f64();
    println!(
        "preview (empty directory): {preview_s:.2} s — {} creates, {} errors, {} new groups",
        preview.creates,
        preview.error_count,
        preview.new_groups.len()
    );

    let t = Instant::now();
    let summary = core.import_csv(&csv).await.expect("import");
    let import_s = t.elapsed().as_secs_f64();
    println!(
        "import: {import_s:.2} s — {} created, {} memberships",
        summary.created, summary.memberships_added
    );
    println!(
        "preview + import of {n} users: {:.2} s (goal < 10 s for 100,000)",
        preview_s + import_s
    );
    if summary.created as usize != n {
        eprintln!("expected {n} users created, got {}", summary.created);
        std::process::exit(1);
    }

    let t = Instant::now();
    let users = core.list_users(None).await.expect("list");
    println!("list all {} users: {}", users.len(), secs(t));
    let t = Instant::now();
    let json = serde_json::to_vec(&users).expect("json");
    println!(
        "encode the list as JSON (what IPC sends): {} ({:.1} MB)",
        secs(t),
        json.len() as f64 / 1e6
    );
    println!(
        "core process resident memory holding the list and its JSON (includes what the allocator kept from the import): {}",
        rss_mb()
    );
    drop(json);

    let t = Instant::now();
    let again = core.preview_csv_import(&csv).await.expect("preview again");
    println!(
        "preview of the same file (all unchanged: {}): {}",
        again.unchanged,
        secs(t)
    );
    let t = Instant::now();
    let exported = core.export_directory_csv().await.expect("export");
    println!(
        "export directory: {} ({:.1} MB)",
        secs(t),
        exported.len() as f64 / 1e6
    );
    core.close().await;
}
