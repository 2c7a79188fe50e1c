//! `lanyard sim serve`: the practice org on 127.0.0.1.

use clap::Subcommand;
use lanyard_core::{ApiError, ErrorCode};
use lanyard_sim::{SimConfig, SimError};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Subcommand)]
pub enum SimCommand {
    /// Serve the practice org (SCIM, OAuth, setup pages) until SIGINT or SIGTERM.
    Serve {
        /// Port on 127.0.0.1 (0 picks a free one).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// My Domain name of the org.
        #[arg(long, default_value = "practice")]
        org: String,
        /// Realistic users to preload.
        #[arg(long, default_value_t = 0)]
        users: usize,
        /// Delay added to every request, in milliseconds.
        #[arg(long, default_value_t = 0)]
        latency_ms: u64,
        /// Share of SCIM requests answered with a fault (429, 503, dropped connection, stall), 0 to 1.
        #[arg(long, default_value_t = 0.0)]
        fault_rate: f64,
        /// Seed for the fault mix and the preloaded users.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// State file: loaded at start when it exists, saved at stop.
        #[arg(long)]
        state: Option<PathBuf>,
        /// Access-token lifetime in seconds.
        #[arg(long, default_value_t = 7200)]
        token_ttl_secs: u64,
        /// How long a stall fault holds a request, in milliseconds.
        #[arg(long, default_value_t = 40_000)]
        stall_ms: u64,
        /// Print a bearer token that never expires, for SCIM tools that cannot run the OAuth flow.
        #[arg(long)]
        print_tool_token: bool,
    },
}

fn sim_error(e: SimError) -> ApiError {
    let code = match e {
        SimError::BadOrgName(_) | SimError::BadFaultRate(_) => ErrorCode::InvalidInput,
        _ => ErrorCode::Internal,
    };
    ApiError::new(code, e.to_string())
}

pub async fn run(cmd: SimCommand) -> Result<(), ApiError> {
    let SimCommand::Serve {
        port,
        org,
        users,
        latency_ms,
        fault_rate,
        seed,
        state,
        token_ttl_secs,
        stall_ms,
        print_tool_token,
    } = cmd;
    let config = SimConfig {
        port,
        org,
        users,
        latency: Duration::from_millis(latency_ms),
        fault_rate,
        seed,
        state_file: state,
        token_ttl: Duration::from_secs(token_ttl_secs),
        stall: Duration::from_millis(stall_ms),
        ..SimConfig::default()
    };
    let signals = Signals::install();
    let running = lanyard_sim::start(config).await.map_err(sim_error)?;
    let base = running.base_url().to_owned();
    let (org_id, users) = {
        let org = running.sim.org();
        (org.org_id.clone(), org.users.len())
    };
    println!("Practice org is running ({users} users, org id {org_id})");
    println!("  base URL          {base}");
    println!("  SCIM              {base}/services/scim/v2");
    println!("  OAuth authorize   {base}/services/oauth2/authorize");
    println!("  OAuth token       {base}/services/oauth2/token");
    println!("  consumer key      {}", lanyard_sim::oauth::CLIENT_ID);
    println!("  setup pages       {base}/");
    if print_tool_token {
        println!(
            "  tool token        {}",
            running.sim.oauth.issue_tool_token(&org_id)
        );
    }
    println!("Stop with Ctrl+C.");
    signals.wait().await;
    eprintln!("lanyard: stopping the practice org");
    running.stop().await.map_err(sim_error)
}

/// SIGINT or SIGTERM. The handlers are installed when this is created, before anything is
/// printed, so a signal sent right after the URLs appear is never lost.
struct Signals {
    #[cfg(unix)]
    int: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    fn install() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Signals {
                int: signal(SignalKind::interrupt()).ok(),
                term: signal(SignalKind::terminate()).ok(),
            }
        }
        #[cfg(not(unix))]
        {
            Signals {}
        }
    }

    async fn wait(mut self) {
        #[cfg(unix)]
        {
            match (self.int.as_mut(), self.term.as_mut()) {
                (Some(i), Some(t)) => {
                    tokio::select! {
                        _ = i.recv() => {}
                        _ = t.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
