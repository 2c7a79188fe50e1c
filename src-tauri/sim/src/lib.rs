//! The practice org: a local Salesforce simulator that speaks SCIM 2.0, OAuth 2.0 (web-server
//! flow with PKCE) and serves the setup pages an admin visits. It binds 127.0.0.1 only. The
//! behaviour follows shared/SALESFORCE.md, and RFC 7643/7644 where that is silent.

// Handlers return a ready HTTP response as their error: that is axum's idiom, and these are
// refusal paths, where the size of the value does not matter.
#![allow(clippy::result_large_err)]

pub mod faults;
pub mod guard;
pub mod ids;
pub mod oauth;
pub mod org;
pub mod pages;
pub mod saml;
pub mod scim;
pub mod seed;
pub mod sso_pages;

use crate::org::Org;
use axum::Router;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// How to run the practice org.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// 0 picks a free port.
    pub port: u16,
    /// The My Domain name: `<org>.my.salesforce.com`.
    pub org: String,
    /// Realistic users to preload.
    pub users: usize,
    /// Delay added to every request.
    pub latency: Duration,
    /// Share of SCIM requests answered with a fault (0.0–1.0).
    pub fault_rate: f64,
    /// Seed for the fault mix and the preloaded users (same seed, same run).
    pub seed: u64,
    /// Where state is loaded from at start and saved to at stop.
    pub state_file: Option<PathBuf>,
    /// Access-token lifetime.
    pub token_ttl: Duration,
    /// How long a "stall" fault holds a request before answering.
    pub stall: Duration,
    /// In-flight requests allowed before 429 REQUEST_LIMIT_EXCEEDED.
    pub max_concurrent: usize,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            port: 0,
            org: "practice".into(),
            users: 0,
            latency: Duration::ZERO,
            fault_rate: 0.0,
            seed: 1,
            state_file: None,
            token_ttl: Duration::from_secs(2 * 3600),
            stall: Duration::from_secs(40),
            max_concurrent: 25,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("--org {0:?} is not a My Domain name: use lowercase letters, digits and hyphens")]
    BadOrgName(String),
    #[error("--fault-rate must be between 0 and 1, got {0}")]
    BadFaultRate(f64),
    #[error("cannot read the state file {path}: {detail}")]
    StateRead { path: PathBuf, detail: String },
    #[error("cannot write the state file {path}: {detail}")]
    StateWrite { path: PathBuf, detail: String },
    #[error("cannot create the practice org's SAML certificate: {0}")]
    Keys(String),
    #[error("cannot listen on 127.0.0.1:{port}: {detail}")]
    Bind { port: u16, detail: String },
}

/// Shared by every handler.
pub struct Sim {
    pub config: SimConfig,
    pub base_url: String,
    /// The port it listens on: requests must name `127.0.0.1:PORT` or `localhost:PORT`.
    pub port: u16,
    /// The token every setup form carries (see [`guard`]).
    csrf_token: String,
    org: Mutex<Org>,
    pub oauth: oauth::TokenStore,
    pub faults: faults::Faults,
    /// SCIM requests handled so far (Salesforce's daily API usage, `Sforce-Limit-Info`).
    pub api_usage: std::sync::atomic::AtomicU64,
}

impl Sim {
    /// The org, locked. Never held across an await.
    pub fn org(&self) -> MutexGuard<'_, Org> {
        self.org.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The token the setup pages' forms carry; a POST without it is refused (a web page in the
    /// admin's browser cannot read it, so it cannot forge one).
    pub fn csrf_token(&self) -> &str {
        &self.csrf_token
    }

    /// Whether a form's token is this org's.
    pub fn csrf_ok(&self, token: &str) -> bool {
        guard::same_token(token, &self.csrf_token)
    }

    pub fn scim_base(&self) -> String {
        format!("{}/services/scim/v2", self.base_url)
    }
}

pub type SharedSim = Arc<Sim>;

/// A running practice org.
pub struct RunningSim {
    pub sim: SharedSim,
    pub addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl RunningSim {
    pub fn base_url(&self) -> &str {
        &self.sim.base_url
    }

    /// Stops serving and saves the state file when one was given.
    pub async fn stop(mut self) -> Result<(), SimError> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
        save_state(&self.sim)
    }
}

fn load_org(config: &SimConfig) -> Result<Org, SimError> {
    if let Some(path) = &config.state_file {
        if path.exists() {
            let text = std::fs::read_to_string(path).map_err(|e| SimError::StateRead {
                path: path.clone(),
                detail: e.to_string(),
            })?;
            let mut org: Org = serde_json::from_str(&text).map_err(|e| SimError::StateRead {
                path: path.clone(),
                detail: format!("not a practice-org state file ({e})"),
            })?;
            org.rebuild_index();
            return Ok(org);
        }
    }
    let mut org = Org::new(&config.org);
    seed::preload_users(&mut org, config.users, config.seed);
    Ok(org)
}

pub fn save_state(sim: &Sim) -> Result<(), SimError> {
    let Some(path) = &sim.config.state_file else {
        return Ok(());
    };
    let text = serde_json::to_string_pretty(&*sim.org()).map_err(|e| SimError::StateWrite {
        path: path.clone(),
        detail: e.to_string(),
    })?;
    // Write beside, then rename: a crash mid-write never leaves half a file.
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| SimError::StateWrite {
            path: path.clone(),
            detail: e.to_string(),
        })
}

fn router(sim: SharedSim) -> Router {
    Router::new()
        .merge(scim::router().layer(axum::middleware::from_fn_with_state(
            sim.clone(),
            scim::api_usage,
        )))
        .merge(oauth::router())
        .merge(pages::router())
        .merge(sso_pages::router())
        .merge(saml::router())
        .merge(faults::admin_router())
        .layer(axum::middleware::from_fn_with_state(
            sim.clone(),
            faults::middleware,
        ))
        .layer(axum::middleware::from_fn_with_state(
            sim.clone(),
            guard::host_guard,
        ))
        .with_state(sim)
}

/// Starts the practice org on 127.0.0.1.
pub async fn start(config: SimConfig) -> Result<RunningSim, SimError> {
    let valid_org = !config.org.is_empty()
        && config
            .org
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid_org {
        return Err(SimError::BadOrgName(config.org.clone()));
    }
    if !(0.0..=1.0).contains(&config.fault_rate) {
        return Err(SimError::BadFaultRate(config.fault_rate));
    }
    let mut org = load_org(&config)?;
    if org.sp_keys.is_none() {
        org.sp_keys = Some(
            saml::keys::SpKeys::generate(&org.name).map_err(|e| SimError::Keys(e.to_string()))?,
        );
    }
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", config.port))
        .await
        .map_err(|e| SimError::Bind {
            port: config.port,
            detail: e.to_string(),
        })?;
    let addr = listener.local_addr().map_err(|e| SimError::Bind {
        port: config.port,
        detail: e.to_string(),
    })?;
    let sim = Arc::new(Sim {
        base_url: format!("http://{addr}"),
        port: addr.port(),
        csrf_token: guard::new_token(),
        faults: faults::Faults::new(config.seed, config.fault_rate),
        oauth: oauth::TokenStore::default(),
        api_usage: std::sync::atomic::AtomicU64::new(0),
        org: Mutex::new(org),
        config,
    });
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let app = router(sim.clone());
    let task = tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let _ = rx.await;
        })
        .await;
    });
    Ok(RunningSim {
        sim,
        addr,
        shutdown: Some(tx),
        task,
    })
}
