//! What the benchmarks share: the practice org in a child process (this same program started with
//! `--serve-sim LATENCY_MS USERS`), so the figures are Lanyard's alone — the org's users are not in
//! the benchmark's memory and its work does not take the benchmark's time — and the browser's
//! part of the OAuth consent. The child ends when the benchmark does (its stdin closes).

use std::time::Duration;

/// The practice org in a child process, stopped when dropped.
pub struct Org {
    child: std::process::Child,
    pub base: String,
}

impl Drop for Org {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// When this program was started as the child: serves the practice org until stdin closes, and
/// answers true (the benchmark's `main` then returns).
pub async fn serve_sim_if_asked() -> bool {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) != Some("--serve-sim") {
        return false;
    }
    let number = |i: usize| args.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    let sim = lanyard_sim::start(lanyard_sim::SimConfig {
        latency: Duration::from_millis(number(2)),
        users: usize::try_from(number(3)).unwrap_or(0),
        ..Default::default()
    })
    .await
    .unwrap_or_else(|e| fail("the practice org did not start", e));
    println!("base {}", sim.base_url());
    let _ = tokio::task::spawn_blocking(|| {
        let mut sink = Vec::new();
        let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut sink);
    })
    .await;
    let _ = sim.stop().await;
    true
}

/// Starts the practice org in a child process with `latency` per request and `users` users.
pub fn start_org(latency: Duration, users: usize) -> Org {
    use std::io::BufRead;
    let exe = std::env::current_exe().unwrap_or_else(|e| fail("no path to this program", e));
    let mut child = std::process::Command::new(exe)
        .arg("--serve-sim")
        .arg(latency.as_millis().to_string())
        .arg(users.to_string())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| fail("cannot start the practice org", e));
    let out = child.stdout.take().unwrap_or_else(|| fail("no stdout", ()));
    let mut line = String::new();
    let _ = std::io::BufReader::new(out).read_line(&mut line);
    let base = line.trim().strip_prefix("base ").map(str::to_owned);
    let mut org = Org {
        child,
        base: String::new(),
    };
    match base {
        Some(b) => org.base = b,
        None => fail("the practice org printed no base URL", line),
    }
    org
}

pub fn fail(what: &str, e: impl std::fmt::Debug) -> ! {
    eprintln!("benchmark: {what}: {e:?}");
    std::process::exit(1)
}

/// The value of attribute `name` in the first tag after `marker`.
fn attr<'a>(html: &'a str, name: &str, marker: &str) -> Option<&'a str> {
    let rest = &html[html.find(marker)?..];
    let key = format!("{name}=\"");
    let start = rest.find(&key)? + key.len();
    rest[start..].split('"').next()
}

/// Plays the browser's part of the OAuth dance: the consent page, Allow, the redirect.
pub async fn consent(authorize_url: String) -> Result<(), String> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let e = |e: reqwest::Error| e.to_string();
    let html = http
        .get(&authorize_url)
        .send()
        .await
        .map_err(e)?
        .text()
        .await
        .map_err(e)?;
    let token = attr(&html, "value", "name=\"consent\"").ok_or("no consent form")?;
    let base = url::Url::parse(&authorize_url).map_err(|e| e.to_string())?;
    let action = base
        .join("/services/oauth2/authorize")
        .map_err(|e| e.to_string())?;
    let decided = http
        .post(action)
        .form(&[("consent", token), ("decision", "allow")])
        .send()
        .await
        .map_err(e)?;
    let location = decided
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .ok_or("no redirect after Allow")?
        .to_owned();
    http.get(&location).send().await.map_err(e)?;
    Ok(())
}
