//! `lanyard scim …` (the connection) and `lanyard sync` (provisioning).

use crate::output;
use clap::{Args, Subcommand};
use lanyard_core::provisioning::run::{Cancel, Progress};
use lanyard_core::provisioning::{SyncOptions, SyncReport, TestReport};
use lanyard_core::secrets::Sensitive;
use lanyard_core::{ApiError, Core, ErrorCode};
use std::sync::Arc;

#[derive(Debug, Subcommand)]
pub enum ScimCommand {
    /// Connect APP to Salesforce (OAuth in the browser) or to another SCIM server (bearer token).
    Connect {
        app: String,
        /// Another SCIM 2.0 server: its base URL (ending before /Users).
        #[arg(
            long,
            value_name = "URL",
            conflicts_with = "salesforce",
            requires = "token_env"
        )]
        base_url: Option<String>,
        /// The environment variable that holds the bearer token (never an argument).
        #[arg(long, value_name = "VAR")]
        token_env: Option<String>,
        /// Salesforce (or the practice org): OAuth web-server flow with PKCE.
        #[arg(long)]
        salesforce: bool,
        /// The login host (default: the application's login URL).
        #[arg(long, value_name = "URL")]
        login_host: Option<String>,
        /// The connected app's consumer key (the practice org's is the default for practice apps).
        #[arg(long, value_name = "ID")]
        client_id: Option<String>,
        /// Print the authorize URL but do not open the browser.
        #[arg(long)]
        no_browser: bool,
        #[arg(long)]
        json: bool,
    },
    /// Test APP's connection: endpoints, the Standard User profile, API usage.
    Test {
        app: String,
        #[arg(long)]
        json: bool,
    },
    /// Show APP's connection and its last sync.
    Status {
        app: String,
        #[arg(long)]
        json: bool,
    },
    /// Disconnect APP: revoke the token, remove it from the keyring, stop provisioning.
    Disconnect { app: String },
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    app: String,
    /// Print the plan (per user, attribute before/after, the exact bodies); send no write.
    #[arg(long)]
    dry_run: bool,
    /// Requests in flight (1-25).
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// Let the deletion guard pass the deactivations it would hold.
    #[arg(long)]
    allow_deactivations: bool,
    /// Push one user now (with its groups).
    #[arg(long, value_name = "EMAIL", conflicts_with = "deactivate_all")]
    user: Option<String>,
    /// Deactivate every user Lanyard provisioned to APP and take them out of its groups (before
    /// deleting the application); implies --allow-deactivations. With --dry-run, the plan.
    #[arg(long)]
    deactivate_all: bool,
    /// With --user: the environment variable holding an initial password for a create.
    #[arg(long, value_name = "VAR", requires = "user")]
    password_env: Option<String>,
    #[arg(long)]
    json: bool,
}

fn print_test(r: &TestReport, json: bool) -> Result<(), ApiError> {
    if json {
        return output::print_json(r);
    }
    println!("SCIM base       {}", r.scim_base);
    println!(
        "config          {} (patch {}, filter {}{})",
        r.config_endpoint,
        r.patch,
        r.filter,
        r.max_results
            .map(|m| format!(", max {m}"))
            .unwrap_or_default()
    );
    println!(
        "entitlements    {}",
        if r.entitlements { "yes" } else { "none" }
    );
    println!("Standard User   {}", r.profile_id.as_deref().unwrap_or("-"));
    println!(
        "API usage       {}",
        r.api_usage.as_deref().unwrap_or("not reported")
    );
    for n in &r.notes {
        println!("note            {n}");
    }
    Ok(())
}

fn token_from_env(var: &str) -> Result<Sensitive<String>, ApiError> {
    match std::env::var(var) {
        Ok(v) if !v.trim().is_empty() => Ok(Sensitive::new(v.trim().to_owned())),
        _ => Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!("The environment variable {var} is empty or not set: put the token in it (it is never taken from an argument, which other users can read)."),
        )),
    }
}

pub async fn run(core: &Core, cmd: ScimCommand) -> Result<(), ApiError> {
    match cmd {
        ScimCommand::Connect {
            app,
            base_url,
            token_env,
            salesforce,
            login_host,
            client_id,
            no_browser,
            json,
        } => {
            if let Some(base) = base_url {
                let var = token_env.unwrap_or_default();
                let report = core
                    .scim_connect_bearer(&app, &base, token_from_env(&var)?)
                    .await?;
                return print_test(&report, json);
            }
            if !salesforce {
                return Err(ApiError::new(
                    ErrorCode::InvalidInput,
                    "Say which target: --salesforce (OAuth) or --base-url URL --token-env VAR.",
                ));
            }
            let login = core
                .scim_connect_start(&app, login_host.as_deref(), client_id.as_deref())
                .await?;
            eprintln!("Open this address in a browser and allow access (waiting up to 5 minutes):");
            println!("{}", login.authorize_url);
            if !no_browser {
                // The URL carries no secret (PKCE keeps the verifier in this process).
                if let Err(e) = std::process::Command::new("xdg-open")
                    .arg(&login.authorize_url)
                    .spawn()
                {
                    eprintln!(
                        "lanyard: cannot open the browser ({e}); open the address above by hand."
                    );
                }
            }
            let report = core
                .scim_connect_finish(
                    &app,
                    login,
                    login_host.as_deref(),
                    client_id.as_deref(),
                    lanyard_core::provisioning::oauth::REDIRECT_TIMEOUT,
                )
                .await?;
            print_test(&report, json)
        }
        ScimCommand::Test { app, json } => print_test(&core.scim_test(&app).await?, json),
        ScimCommand::Status { app, json } => {
            let v = core.scim_status(&app).await?;
            if json {
                return output::print_json(&v);
            }
            println!("application     {}", v.app);
            println!(
                "target          {:?} {}",
                v.connection.kind, v.connection.scim_base
            );
            println!("state           {:?}", v.connection.state);
            if let Some(a) = &v.connection.account {
                println!("connected as    {a}");
            }
            println!(
                "linked          {} users, {} groups",
                v.linked_users, v.linked_groups
            );
            if let Some(r) = &v.last_run {
                println!("last sync       {} {} (created {}, updated {}, deactivated {}, failed {}, held {}) {}",
                    r.started_at.format("%Y-%m-%d %H:%M:%S"), r.status, r.created, r.updated, r.deactivated, r.failed, r.held, r.message);
            }
            Ok(())
        }
        ScimCommand::Disconnect { app } => {
            core.scim_disconnect(&app).await?;
            println!("disconnected {app}");
            Ok(())
        }
    }
}

pub async fn sync(core: &Core, a: SyncArgs) -> Result<(), ApiError> {
    let password = a.password_env.as_deref().map(token_from_env).transpose()?;
    let opts = SyncOptions {
        dry_run: a.dry_run,
        concurrency: a.concurrency,
        allow_deactivations: a.allow_deactivations || a.deactivate_all,
        deprovision_all: a.deactivate_all,
        only_user: a.user.clone(),
        password,
        ..Default::default()
    };
    let cancel = Cancel::default();
    let on_ctrl_c = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_ctrl_c.cancel();
        }
    });
    let progress = (!a.json && !a.dry_run).then(|| {
        Arc::new(|p: Progress| {
            if p.done.is_multiple_of(100) || p.done == p.total {
                eprintln!(
                    "  {}/{} ({:.0}/s{})",
                    p.done,
                    p.total,
                    p.rate_per_sec,
                    p.eta_secs
                        .map(|e| format!(", {e:.0} s left"))
                        .unwrap_or_default()
                );
            }
        }) as lanyard_core::provisioning::run::ProgressFn
    });
    let report = core.sync(&a.app, opts, progress, cancel).await?;
    print_report(&report, a.json)?;
    if report.summary.failed > 0
        || (!report.summary.message.is_empty() && report.held_reason.is_none())
    {
        return Err(ApiError::new(ErrorCode::Remote, failure_message(&report)));
    }
    Ok(())
}

/// The error a failed sync ends with: how many failed, the first few with the target's own
/// words, and what to do next.
fn failure_message(r: &SyncReport) -> String {
    const NAMED: usize = 3;
    let mut out = format!("{} operation(s) failed", r.summary.failed);
    let named: Vec<String> = r
        .failures
        .iter()
        .take(NAMED)
        .map(|f| format!("{} ({}): {}", f.target, f.event, f.message))
        .collect();
    if !named.is_empty() {
        out.push_str(": ");
        out.push_str(&named.join("; "));
        if r.failures.len() > NAMED {
            out.push_str(&format!("; and {} more", r.failures.len() - NAMED));
        }
    }
    out.push('.');
    if !r.summary.message.is_empty() {
        out.push(' ');
        out.push_str(&r.summary.message);
    }
    out.push_str(" `lanyard events --outcome failed` lists every attempt; run the sync again once it is fixed.");
    out
}

fn print_report(r: &SyncReport, json: bool) -> Result<(), ApiError> {
    if json {
        return if r.summary.dry_run {
            output::print_json(r)
        } else {
            output::print_json(&r.summary)
        };
    }
    if r.summary.dry_run {
        for u in &r.users {
            println!(
                "{:?} {}{}{}",
                u.action,
                u.user_name,
                u.remote_id
                    .as_deref()
                    .map(|i| format!(" ({i})"))
                    .unwrap_or_default(),
                if u.held { " [held]" } else { "" }
            );
            for c in &u.changes {
                println!("    {}: {:?} -> {:?}", c.attribute, c.before, c.after);
            }
            if let Some(b) = &u.body {
                println!("    body: {b}");
            }
        }
        for g in &r.groups {
            println!(
                "{:?} group {} (+{} -{})",
                g.action,
                g.name,
                g.add.len(),
                g.remove.len()
            );
            if let Some(b) = &g.body {
                println!("    body: {b}");
            }
        }
    }
    for p in &r.problems {
        println!("skipped {}", p.message);
    }
    let s = &r.summary;
    println!("planned {} created {} updated {} deactivated {} deleted {} linked {} groups_updated {} held {} failed {} requests {} seconds {:.2}",
        s.planned, s.created, s.updated, s.deactivated, s.deleted, s.linked, s.groups_updated, s.held, s.failed, s.requests, s.seconds);
    for f in &r.failures {
        println!("failed {} ({}): {}", f.target, f.event, f.message);
    }
    if !s.message.is_empty() {
        println!("{}", s.message);
    }
    Ok(())
}
