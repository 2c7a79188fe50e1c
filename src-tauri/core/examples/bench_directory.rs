//! Directory benchmark: generates a CSV of N users (default 100,000) with departments and groups,
//! then times the import preview, the import itself, listing all users (what the window loaded
//! before issue 5), the paged query the users table now uses (first page, a search, sorts,
//! filters, a deep page), a second preview of the same file (everything unchanged) and the
//! export, on a fresh database in a temp folder.
//!
//!     cargo run --release -p lanyard-core --example bench_directory [-- N]
//!
//! Goal from the issue: preview + import of 100,000 users in under 10 s. Figures are measured,
//! never assumed; the run fails (exit 1) if an import does not write every row.

use lanyard_core::clock::SystemClock;
use lanyard_core::directory::{UserQuery, UserSort, UserSortKey, UserStatus};
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

    // The users table's paged query (issue 5): each case run 5 times; best and worst shown.
    let page = |q: UserQuery| UserQuery { limit: 200, ..q };
    let sort = |by, desc| vec![UserSort { by, desc }];
    let cases: Vec<(&str, UserQuery)> = vec![
        ("first page (by email)", page(UserQuery::default())),
        (
            "search \"user0123\"",
            page(UserQuery {
                search: "user0123".into(),
                ..Default::default()
            }),
        ),
        (
            "search \"u\" (matches all)",
            page(UserQuery {
                search: "u".into(),
                ..Default::default()
            }),
        ),
        (
            "search \"use\" (matches all: 3 letters, a scan)",
            page(UserQuery {
                search: "use".into(),
                ..Default::default()
            }),
        ),
        (
            "search \"user0\" (matches all, a scan)",
            page(UserQuery {
                search: "user0".into(),
                ..Default::default()
            }),
        ),
        (
            "search \"user01\" (10%: the trigram index)",
            page(UserQuery {
                search: "user01".into(),
                ..Default::default()
            }),
        ),
        (
            "search \"last99\"",
            page(UserQuery {
                search: "last99".into(),
                ..Default::default()
            }),
        ),
        (
            "search \"analyst 7 sales\"",
            page(UserQuery {
                search: "analyst 7 sales".into(),
                ..Default::default()
            }),
        ),
        (
            "search with no match",
            page(UserQuery {
                search: "zzzz".into(),
                ..Default::default()
            }),
        ),
        (
            "sort by name, descending",
            page(UserQuery {
                sort: sort(UserSortKey::Displayname, true),
                ..Default::default()
            }),
        ),
        (
            "sort by department",
            page(UserQuery {
                sort: sort(UserSortKey::Department, false),
                ..Default::default()
            }),
        ),
        (
            "sort by city (no index)",
            page(UserQuery {
                sort: sort(UserSortKey::Locality, false),
                ..Default::default()
            }),
        ),
        (
            "filter status = suspended",
            page(UserQuery {
                status: Some(UserStatus::Suspended),
                ..Default::default()
            }),
        ),
        (
            "filter department = Sales",
            page(UserQuery {
                department: Some("Sales".into()),
                ..Default::default()
            }),
        ),
        (
            "filter group = EMEA",
            page(UserQuery {
                group: Some("EMEA".into()),
                ..Default::default()
            }),
        ),
        (
            "group EMEA + Sales + search \"first1\" by name",
            page(UserQuery {
                search: "first1".into(),
                department: Some("Sales".into()),
                group: Some("EMEA".into()),
                sort: sort(UserSortKey::Displayname, false),
                ..Default::default()
            }),
        ),
        (
            "page at offset 99,800 (by email)",
            page(UserQuery {
                offset: 99_800,
                ..Default::default()
            }),
        ),
    ];
    for (name, q) in &cases {
        let mut times = Vec::new();
        let mut last = None;
        for _ in 0..5 {
            let t = Instant::now();
            let p = core.query_users(q).await.expect("query_users");
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            last = Some(p);
        }
        let p = last.expect("ran");
        let json = serde_json::to_vec(&p).expect("json").len();
        times.sort_by(f64::total_cmp);
        println!(
            "query_users {name}: {:.1} ms best, {:.1} ms worst — {} rows of {} matching ({:.0} KB JSON)",
            times[0],
            times[times.len() - 1],
            p.rows.len(),
            p.total,
            json as f64 / 1e3
        );
    }
    let t = Instant::now();
    let facets = core.directory_facets().await.expect("facets");
    println!(
        "directory_facets: {:.1} ms — {} departments, {} groups",
        t.elapsed().as_secs_f64() * 1000.0,
        facets.departments.len(),
        facets.groups.len()
    );
    let t = Instant::now();
    let ids = core
        .query_user_ids(&UserQuery::default())
        .await
        .expect("ids");
    println!("query_user_ids (select all {}): {}", ids.len(), secs(t));

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
