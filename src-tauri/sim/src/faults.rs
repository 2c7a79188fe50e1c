//! Everything that is not Salesforce's own behaviour but helps test a client against it:
//! server-side latency, a reproducible mix of faults (429 with Retry-After, 503, dropped
//! connections, stalls), the 25-requests-in-flight limit, and `/_sim/stats` and `/_sim/requests`
//! so a test can count and inspect the requests it caused.

use crate::SharedSim;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

const LOG_CAP: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    TooManyRequests,
    Unavailable,
    DroppedConnection,
    Stall,
    ConcurrencyLimit,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequestRecord {
    pub seq: u64,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub status: u16,
    pub fault: Option<Fault>,
    /// Whether a bearer token was sent (never the token itself).
    pub authorized: bool,
    pub elapsed_ms: u64,
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct Stats {
    pub requests: u64,
    pub by_status: BTreeMap<u16, u64>,
    pub by_route: BTreeMap<String, u64>,
    pub faults: BTreeMap<String, u64>,
    pub max_in_flight: usize,
}

pub struct Faults {
    rate: f64,
    rng: Mutex<StdRng>,
    in_flight: AtomicUsize,
    stats: Mutex<Stats>,
    log: Mutex<VecDeque<RequestRecord>>,
}

impl Faults {
    pub fn new(seed: u64, rate: f64) -> Self {
        Self {
            rate,
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
            in_flight: AtomicUsize::new(0),
            stats: Mutex::new(Stats::default()),
            log: Mutex::new(VecDeque::new()),
        }
    }

    /// The next draw of the seeded fault mix: the same seed gives the same sequence.
    fn draw(&self) -> Option<Fault> {
        if self.rate <= 0.0 {
            return None;
        }
        let mut rng = self.rng.lock().unwrap_or_else(|p| p.into_inner());
        if !rng.random_bool(self.rate.min(1.0)) {
            return None;
        }
        Some(match rng.random_range(0..10) {
            0..=3 => Fault::TooManyRequests,
            4..=6 => Fault::Unavailable,
            7..=8 => Fault::DroppedConnection,
            _ => Fault::Stall,
        })
    }

    pub fn stats(&self) -> Stats {
        self.stats.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn requests(&self) -> Vec<RequestRecord> {
        self.log
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .cloned()
            .collect()
    }

    fn record(&self, mut rec: RequestRecord) {
        let mut stats = self.stats.lock().unwrap_or_else(|p| p.into_inner());
        stats.requests += 1;
        rec.seq = stats.requests;
        *stats.by_status.entry(rec.status).or_default() += 1;
        *stats
            .by_route
            .entry(format!("{} {}", rec.method, route_of(&rec.path)))
            .or_default() += 1;
        if let Some(f) = rec.fault {
            let name = serde_json::to_value(f)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default();
            *stats.faults.entry(name).or_default() += 1;
        }
        drop(stats);
        let mut log = self.log.lock().unwrap_or_else(|p| p.into_inner());
        if log.len() == LOG_CAP {
            log.pop_front();
        }
        log.push_back(rec);
    }

    fn reset(&self) {
        *self.stats.lock().unwrap_or_else(|p| p.into_inner()) = Stats::default();
        self.log.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}

/// `/services/scim/v2/Users/005…` → `/services/scim/v2/Users/{id}`.
fn route_of(path: &str) -> String {
    let mut parts: Vec<&str> = path.split('/').collect();
    if parts.len() == 6 && parts[1] == "services" && parts[2] == "scim" {
        parts[5] = "{id}";
    }
    parts.join("/")
}

struct InFlight<'a>(&'a AtomicUsize);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

pub async fn middleware(State(sim): State<SharedSim>, req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/_sim/") {
        return next.run(req).await;
    }
    // Like Salesforce, the org finishes (and logs) a request whose client gave up waiting: a
    // stalled create still creates. So the work runs on its own task, not in the connection's.
    match tokio::spawn(handle(sim, req, next)).await {
        Ok(r) => r,
        Err(e) => crate::scim::error::response(
            StatusCode::INTERNAL_SERVER_ERROR,
            None,
            &format!("UNKNOWN_EXCEPTION: the practice org failed on this request ({e})"),
        ),
    }
}

async fn handle(sim: SharedSim, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let started = std::time::Instant::now();
    let method = req.method().to_string();
    let query = req.uri().query().map(String::from);
    let authorized = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "));

    let faults = &sim.faults;
    let now_in_flight = faults.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    let _guard = InFlight(&faults.in_flight);
    {
        let mut stats = faults.stats.lock().unwrap_or_else(|p| p.into_inner());
        stats.max_in_flight = stats.max_in_flight.max(now_in_flight);
    }
    let is_scim = path.starts_with("/services/scim/");
    let mut fault = None;
    let response = if is_scim && now_in_flight > sim.config.max_concurrent {
        fault = Some(Fault::ConcurrencyLimit);
        crate::scim::error::too_many(
            "REQUEST_LIMIT_EXCEEDED: ConcurrentPerOrgLongTxn Limit exceeded. Retry after the time given in Retry-After.",
        )
    } else {
        if !sim.config.latency.is_zero() {
            tokio::time::sleep(sim.config.latency).await;
        }
        fault = if is_scim { faults.draw() } else { fault };
        match fault {
            Some(Fault::TooManyRequests) => crate::scim::error::too_many(
                "REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded. Retry after the time given in Retry-After.",
            ),
            Some(Fault::Unavailable) => crate::scim::error::response(
                StatusCode::SERVICE_UNAVAILABLE,
                None,
                "Service Unavailable: the server is temporarily unable to handle the request.",
            ),
            Some(Fault::DroppedConnection) => dropped(),
            Some(Fault::Stall) => {
                tokio::time::sleep(sim.config.stall).await;
                next.run(req).await
            }
            _ => next.run(req).await,
        }
    };
    faults.record(RequestRecord {
        seq: 0,
        method,
        path,
        query,
        status: response.status().as_u16(),
        fault,
        authorized,
        elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    });
    response
}

/// A response whose body fails at once: the server closes the connection mid-response.
fn dropped() -> Response {
    let stream = futures_util::stream::once(async {
        Err::<bytes::Bytes, std::io::Error>(std::io::Error::other(
            "connection dropped by fault injection",
        ))
    });
    let mut res = Response::new(Body::from_stream(stream));
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/scim+json"),
    );
    res
}

async fn stats(State(sim): State<SharedSim>) -> Json<Stats> {
    Json(sim.faults.stats())
}

async fn requests(State(sim): State<SharedSim>) -> Json<Vec<RequestRecord>> {
    Json(sim.faults.requests())
}

/// Takes a JSON body (any): a cross-site form cannot send one without a CORS preflight, which
/// the practice org never answers.
async fn reset(
    State(sim): State<SharedSim>,
    Json(_): Json<serde_json::Value>,
) -> impl IntoResponse {
    sim.faults.reset();
    StatusCode::NO_CONTENT
}

/// Org switches a test or an admin rehearsing errors can flip.
#[derive(Debug, serde::Deserialize)]
pub struct OrgSettings {
    pub picklists_enabled: Option<bool>,
    pub taken_usernames: Option<Vec<String>>,
    pub license_limit: Option<usize>,
}

async fn settings(State(sim): State<SharedSim>, Json(s): Json<OrgSettings>) -> impl IntoResponse {
    let mut org = sim.org();
    if let Some(p) = s.picklists_enabled {
        org.picklists_enabled = p;
    }
    if let Some(t) = s.taken_usernames {
        org.taken_elsewhere
            .extend(t.into_iter().map(|u| u.to_lowercase()));
    }
    if let Some(l) = s.license_limit {
        org.license_limit = l;
    }
    StatusCode::NO_CONTENT
}

pub fn admin_router() -> Router<SharedSim> {
    Router::new()
        .route("/_sim/settings", axum::routing::post(settings))
        .route("/_sim/stats", get(stats))
        .route("/_sim/requests", get(requests))
        .route("/_sim/reset", axum::routing::post(reset))
}
