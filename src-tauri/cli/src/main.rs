//! `lanyard`: the headless face of Lanyard, for automation and for testing from outside.
//! Exit codes: 0 success, 1 the operation failed, 2 bad usage or bad input.

mod apps;
mod directory;
mod groups;
mod import;
mod output;
mod portal;
mod saml;
mod scim;
mod setup;
mod sim;
mod users;

use clap::{Parser, Subcommand};
use lanyard_core::clock::SystemClock;
use lanyard_core::secrets::KeyringStore;
use lanyard_core::{ApiError, Core, ErrorCode};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Debug, Parser)]
#[command(
    name = "lanyard",
    version,
    about = "Lanyard: SAML single sign-on and SCIM provisioning for Salesforce, from the command line"
)]
struct Cli {
    /// Folder holding Lanyard's database (default: $XDG_DATA_HOME/lanyard).
    #[arg(long, global = true, value_name = "DIR", env = lanyard_core::paths::DATA_DIR_ENV)]
    data_dir: Option<PathBuf>,

    /// Print diagnostics on standard error too (they always go to the data folder's logs/).
    #[arg(short, long, global = true)]
    verbose: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create, list, show and delete applications.
    #[command(subcommand)]
    App(apps::AppCommand),
    /// Directory CSV import and export.
    #[command(subcommand)]
    Directory(directory::DirectoryCommand),
    /// Add, list, suspend and unsuspend users.
    #[command(subcommand)]
    User(users::UserCommand),
    /// Groups, their members, and which applications they are authorized for.
    #[command(subcommand)]
    Group(groups::GroupCommand),
    /// Write the Salesforce Data Loader CSV (Username, FederationIdentifier) for APP's users.
    FederationCsv {
        app: String,
        /// Write to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Inspect Salesforce SP metadata (reads a file, saves nothing).
    #[command(subcommand)]
    Metadata(saml::MetadataCommand),
    /// IdP signing keys and certificates, rollover, and IdP metadata.
    #[command(subcommand)]
    Idp(saml::IdpCommand),
    /// Signed SAML responses.
    #[command(subcommand)]
    Saml(saml::SamlCommand),
    /// The practice org: a local Salesforce simulator.
    #[command(subcommand)]
    Sim(sim::SimCommand),
    /// The SCIM connection of an application (Salesforce through OAuth, or any SCIM server).
    #[command(subcommand)]
    Scim(scim::ScimCommand),
    /// Provision APP's users and groups to its SCIM target.
    Sync(scim::SyncArgs),
    /// Import the target's existing users into the directory (list them first with --list).
    Import(import::ImportArgs),
    /// The guided setup checklist of an application.
    #[command(subcommand)]
    Setup(setup::SetupCommand),
    /// Bookmarks: named links shown in the user portal, with no single sign-on.
    #[command(subcommand)]
    Bookmark(portal::BookmarkCommand),
    /// The user portal as a directory user sees it: their applications and the bookmarks.
    Portal {
        email: String,
        #[arg(long)]
        json: bool,
    },
    /// Named events (every attempt and its outcome), newest first.
    Events {
        /// How many to show.
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        app: Option<String>,
        /// An event name, e.g. user_create_provision.
        #[arg(long)]
        event: Option<String>,
        /// ok, failed, skipped or warning.
        #[arg(long)]
        outcome: Option<String>,
        /// Only events at or after this time (RFC 3339).
        #[arg(long, value_name = "RFC3339")]
        since: Option<String>,
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        #[arg(long)]
        csv: bool,
    },
    /// Show or change the installation's settings; the event log's retention is applied at once
    /// (the app also applies it on every start).
    Settings {
        /// Keep events this many days (1 to 3650; default 90).
        #[arg(long, value_name = "DAYS")]
        events_retention_days: Option<u32>,
        /// Move the IdP endpoint to this loopback address (http://127.0.0.1:PORT); lists the
        /// applications whose Salesforce org must then be re-pointed.
        #[arg(long, value_name = "URL")]
        idp_address: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show where Lanyard keeps its state and whether the OS keyring answers.
    Info {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            return fail(&ApiError::new(
                ErrorCode::Internal,
                format!("cannot start: {e}"),
            ))
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

async fn run(cli: Cli) -> Result<(), ApiError> {
    let command = match cli.command {
        Command::Sim(cmd) => return sim::run(cmd).await,
        Command::Metadata(cmd) => return saml::metadata(cmd),
        other => other,
    };
    let data_dir = lanyard_core::paths::resolve_data_dir(cli.data_dir, None).ok_or_else(|| {
        ApiError::new(
            ErrorCode::InvalidInput,
            "cannot find the OS data folder: pass --data-dir DIR or set LANYARD_DATA_DIR",
        )
    })?;
    let _log = lanyard_core::diagnostics::init(Some(&data_dir), cli.verbose);
    tracing::info!(command = ?std::env::args().nth(1), "lanyard started");
    let core = Core::open(
        &data_dir,
        Arc::new(KeyringStore::default()),
        Arc::new(SystemClock),
    )
    .await?
    .with_practice_url(lanyard_core::paths::practice_url_from_env());
    let result = match command {
        Command::App(cmd) => apps::run(&core, cmd).await,
        Command::Directory(cmd) => directory::run(&core, cmd).await,
        Command::User(cmd) => users::run(&core, cmd).await,
        Command::Group(cmd) => groups::run(&core, cmd).await,
        Command::FederationCsv { app, out } => {
            directory::federation_csv(&core, &app, out.as_deref()).await
        }
        Command::Info { json } => info(&core, json).await,
        Command::Settings {
            events_retention_days,
            idp_address,
            json,
        } => settings(&core, events_retention_days, idp_address, json).await,
        Command::Events {
            limit,
            app,
            event,
            outcome,
            since,
            json,
            csv,
        } => events(&core, limit, app, event, outcome, since, json, csv).await,
        Command::Scim(cmd) => scim::run(&core, cmd).await,
        Command::Sync(args) => scim::sync(&core, args).await,
        Command::Import(args) => import::run(&core, args).await,
        Command::Setup(cmd) => setup::run(&core, cmd).await,
        Command::Bookmark(cmd) => portal::bookmark(&core, cmd).await,
        Command::Portal { email, json } => portal::tiles(&core, &email, json).await,
        Command::Idp(cmd) => saml::idp(&core, cmd).await,
        Command::Saml(cmd) => saml::saml(&core, cmd).await,
        Command::Sim(_) | Command::Metadata(_) => Ok(()),
    };
    core.close().await;
    result
}

async fn settings(
    core: &Core,
    retention: Option<u32>,
    idp_address: Option<String>,
    json: bool,
) -> Result<(), ApiError> {
    let mut s = core.settings().await?;
    let mut removed = None;
    if let Some(days) = retention {
        s.events_retention_days = days;
        s = core.set_settings(s).await?;
        removed = Some(core.apply_event_retention().await?);
    }
    if let Some(url) = &idp_address {
        core.set_idp_address(url).await?;
    }
    let address = core.idp_address().await?;
    let repoints = core.repoints().await?;
    if json {
        return output::print_json(&serde_json::json!({
            "events_retention_days": s.events_retention_days,
            "idp_address": address,
            "repoints": repoints,
        }));
    }
    println!("events kept {} days", s.events_retention_days);
    if let Some(n) = removed {
        println!("{n} older event(s) removed");
    }
    let from = if address.from_env {
        " (from LANYARD_IDP_URL)"
    } else {
        ""
    };
    println!("IdP address {}{from}", address.base_url);
    for r in repoints {
        println!(
            "re-point {}: in Salesforce's Single Sign-On Settings change the Identity Provider Login URL from {} to {}",
            r.app, r.from_url, r.to_url
        );
    }
    Ok(())
}

async fn info(core: &Core, json: bool) -> Result<(), ApiError> {
    let storage = core.storage_info().await?;
    let keyring = core.keyring_status().await;
    if json {
        output::print_json(&serde_json::json!({ "storage": storage, "keyring": keyring }))
    } else {
        println!("data folder     {}", storage.data_dir);
        println!("database        {}", storage.database);
        println!("schema version  {}", storage.schema_version);
        println!("lanyard         {}", storage.app_version);
        println!(
            "keyring         {}",
            if keyring.available {
                "available"
            } else {
                "NOT available"
            }
        );
        if !keyring.available {
            println!("                {}", keyring.message);
        }
        Ok(())
    }
}

#[allow(clippy::too_many_arguments)]
async fn events(
    core: &Core,
    limit: u32,
    app: Option<String>,
    event: Option<String>,
    outcome: Option<String>,
    since: Option<String>,
    json: bool,
    csv: bool,
) -> Result<(), ApiError> {
    let bad = |m: String| ApiError::new(ErrorCode::InvalidInput, m);
    let filter = lanyard_core::events::EventFilter {
        app_name: app,
        name: event
            .map(|e| e.parse())
            .transpose()
            .map_err(|e: lanyard_core::events::UnknownEventName| bad(e.to_string()))?,
        outcome: outcome.map(|o| o.parse()).transpose().map_err(bad)?,
        since: since
            .map(|s| {
                chrono::DateTime::parse_from_rfc3339(&s).map(|d| d.with_timezone(&chrono::Utc))
            })
            .transpose()
            .map_err(|e| {
                bad(format!(
                    "--since must be an RFC 3339 time such as 2026-12-01T09:00:00Z ({e})"
                ))
            })?,
        limit,
        ..Default::default()
    };
    let list = core.query_events(&filter).await?;
    if json {
        return output::print_json(&list);
    }
    if csv {
        print!("{}", lanyard_core::events::to_csv(&list));
        return Ok(());
    }
    if list.is_empty() {
        println!("no events yet");
    }
    for e in &list {
        println!(
            "{}  {:<7} {:<32} {:<16} {:<28} {}",
            e.at.format("%Y-%m-%d %H:%M:%S"),
            e.outcome.as_str(),
            e.name.as_str(),
            e.app_name.as_deref().unwrap_or("-"),
            e.target.as_deref().unwrap_or("-"),
            e.detail
        );
    }
    Ok(())
}

fn fail(e: &ApiError) -> ExitCode {
    // One line, whatever the message contained; with --json, the error as {"code","message"}.
    if std::env::args().any(|a| a == "--json") {
        let line = serde_json::to_string(e).unwrap_or_default();
        eprintln!("{line}");
    } else {
        eprintln!("lanyard: {}", e.message.replace('\n', " "));
    }
    match e.code {
        ErrorCode::InvalidInput => ExitCode::from(2),
        _ => ExitCode::from(1),
    }
}
