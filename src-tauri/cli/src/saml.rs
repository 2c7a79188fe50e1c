//! `lanyard metadata …`, `lanyard idp …`, `lanyard saml …` and the SP verbs of `lanyard app`.

use crate::output::print_json;
use clap::Subcommand;
use lanyard_core::saml::keys::KeyRequest;
use lanyard_core::saml::metadata::parse_sp_metadata;
use lanyard_core::saml::service::IdpCertView;
use lanyard_core::{ApiError, Core, ErrorCode};
use std::path::{Path, PathBuf};

/// Largest file read from disk (the parser refuses anything over 1 MiB with its own message).
const READ_LIMIT: u64 = 64 * 1024 * 1024;

pub fn read_input(path: &Path) -> Result<Vec<u8>, ApiError> {
    let bad = |e: std::io::Error| {
        ApiError::new(
            ErrorCode::InvalidInput,
            format!("cannot read {}: {e}", path.display()),
        )
    };
    if path.as_os_str() == "-" {
        use std::io::Read;
        let mut buf = Vec::new();
        std::io::stdin()
            .take(READ_LIMIT)
            .read_to_end(&mut buf)
            .map_err(bad)?;
        return Ok(buf);
    }
    let meta = std::fs::metadata(path).map_err(bad)?;
    let max = lanyard_core::saml::input::MAX_XML_BYTES as u64;
    if meta.len() > max {
        // Refused before reading: memory stays bounded whatever the file's size.
        let size = usize::try_from(meta.len()).unwrap_or(usize::MAX);
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            lanyard_core::saml::input::InputError::TooLarge { size }.to_string(),
        ));
    }
    if meta.len() > READ_LIMIT {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!(
                "{} is {} bytes: that is not a SAML document",
                path.display(),
                meta.len()
            ),
        ));
    }
    std::fs::read(path).map_err(bad)
}

fn write_out(out: Option<&Path>, text: &str) -> Result<(), ApiError> {
    match out {
        Some(p) => std::fs::write(p, text).map_err(|e| {
            ApiError::new(
                ErrorCode::Internal,
                format!("cannot write {}: {e}", p.display()),
            )
        }),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum MetadataCommand {
    /// Read SP metadata and print what it says (nothing is saved).
    Inspect {
        file: PathBuf,
        /// Pick one entity of an EntitiesDescriptor.
        #[arg(long, value_name = "ID")]
        entity: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

/// Stateless: no database is opened.
pub fn metadata(cmd: MetadataCommand) -> Result<(), ApiError> {
    let MetadataCommand::Inspect { file, entity, json } = cmd;
    let bytes = read_input(&file)?;
    let meta = parse_sp_metadata(&bytes, entity.as_deref(), chrono::Utc::now(), None)
        .map_err(|e| ApiError::new(ErrorCode::InvalidInput, e.to_string()))?;
    if json {
        return print_json(&meta);
    }
    println!("entity ID               {}", meta.entity_id);
    for a in &meta.acs {
        println!(
            "ACS                     {} ({}{})",
            a.location,
            a.binding.rsplit(':').next().unwrap_or(""),
            if a.is_default { ", default" } else { "" }
        );
    }
    for c in &meta.signing_certs {
        println!(
            "signing certificate     {} · {} {} bits · expires {} ({} days) · SHA-256 {}",
            c.subject,
            c.key.kind,
            c.key.bits,
            c.not_after.date_naive(),
            c.days_left,
            c.sha256
        );
    }
    println!("AuthnRequestsSigned     {}", meta.authn_requests_signed);
    println!("WantAssertionsSigned    {}", meta.want_assertions_signed);
    println!(
        "NameID formats          {}",
        meta.name_id_formats.join(", ")
    );
    if let Some(v) = &meta.valid_until {
        println!("validUntil              {v}");
    }
    for w in &meta.warnings {
        println!("warning: {w}");
    }
    Ok(())
}

#[derive(Debug, Subcommand)]
pub enum IdpCommand {
    /// Write the active IdP certificate (certificate.pem) to FILE or standard output.
    Cert {
        app: String,
        /// The next certificate instead (to upload to Salesforce before the switch).
        #[arg(long)]
        next: bool,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Create a key: the first becomes active, later ones wait as "next"; --activate switches.
    Rotate {
        app: String,
        /// Make the next certificate the active one (the old one stays published as previous).
        #[arg(long)]
        activate: bool,
        /// RSA key size: 2048 or 3072.
        #[arg(long, default_value_t = 2048)]
        bits: u32,
        /// Certificate subject common name.
        #[arg(long)]
        cn: Option<String>,
        /// Certificate validity in days.
        #[arg(long, default_value_t = 730)]
        days: u32,
        #[arg(long)]
        json: bool,
    },
    /// Bind the next certificate to the Login URL of the Salesforce single sign-on configuration
    /// that trusts it (a second configuration: rollover without a gap). SP-initiated logins
    /// through that configuration are signed with the next key at once; after --activate,
    /// IdP-initiated logins go there too.
    Bind {
        app: String,
        /// The new configuration's Salesforce Login URL (…?so=00D…&sc=0LE…).
        #[arg(required_unless_present = "clear")]
        login_url: Option<String>,
        /// Unbind: the next certificate signs for the SP metadata's ACS again.
        #[arg(long, conflicts_with = "login_url")]
        clear: bool,
        #[arg(long)]
        json: bool,
    },
    /// Stop publishing the previous certificate and delete its key from the keyring.
    Retire { app: String },
    /// List the IdP certificates with their status.
    List {
        app: String,
        #[arg(long)]
        json: bool,
    },
    /// Serve the loopback IdP endpoint (SP-initiated logins) at LANYARD_IDP_URL until Ctrl+C.
    /// Each login request started on Salesforce's login page is shown here with its code; type
    /// the email of the directory user who signs in to approve it, or "deny".
    Serve {
        /// Refuse every SP-initiated request instead of asking (IdP-initiated test logins only).
        #[arg(long)]
        deny_sp_initiated: bool,
    },
    /// Print the IdP metadata XML.
    Metadata {
        app: String,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

fn print_certs(certs: &[IdpCertView], json: bool) -> Result<(), ApiError> {
    if json {
        return print_json(&certs);
    }
    for c in certs {
        println!(
            "{:<9} {} · RSA {} · expires {} · SHA-256 {}",
            c.status,
            c.info.subject,
            c.info.key.bits,
            c.info.not_after.date_naive(),
            c.info.sha256
        );
        if let Some(url) = &c.acs_url {
            println!("          signs for the Salesforce configuration at {url}");
        }
        if let Some(w) = &c.warning {
            println!("          warning: {w}");
        }
    }
    Ok(())
}

pub async fn idp(core: &Core, cmd: IdpCommand) -> Result<(), ApiError> {
    match cmd {
        IdpCommand::Cert { app, next, out } => {
            let pem = if next {
                core.idp_certificates(&app)
                    .await?
                    .into_iter()
                    .find(|c| c.status == "next")
                    .map(|c| c.cert_pem)
                    .ok_or_else(|| {
                        ApiError::new(
                            ErrorCode::NotFound,
                            format!("{app:?} has no next certificate: create one with `lanyard idp rotate {app}`."),
                        )
                    })?
            } else {
                core.idp_certificate_pem(&app).await?
            };
            write_out(out.as_deref(), &pem)
        }
        IdpCommand::Rotate {
            app,
            activate,
            bits,
            cn,
            days,
            json,
        } => {
            let request = KeyRequest {
                bits,
                common_name: cn.unwrap_or_else(|| format!("Lanyard IdP ({app})")),
                organization: None,
                valid_days: days,
            };
            let certs = core.idp_rotate(&app, activate, Some(request)).await?;
            print_certs(&certs, json)
        }
        IdpCommand::Bind {
            app,
            login_url,
            clear: _,
            json,
        } => print_certs(&core.idp_bind_next(&app, login_url.as_deref()).await?, json),
        IdpCommand::Retire { app } => print_certs(&core.idp_retire(&app).await?, false),
        IdpCommand::List { app, json } => print_certs(&core.idp_certificates(&app).await?, json),
        IdpCommand::Serve { deny_sp_initiated } => serve(core, deny_sp_initiated).await,
        IdpCommand::Metadata { app, out } => {
            let base = core.idp_address().await?.base_url;
            let path = core.get_app(&app).await?.idp_path;
            let xml = core
                .idp_metadata(&app, &lanyard_core::saml::repoint::sso_url(&base, &path))
                .await?;
            write_out(out.as_deref(), &xml)
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum SamlCommand {
    /// Print a signed SAMLResponse (the base64 value an ACS form posts) for a user.
    Response {
        app: String,
        /// The user's Salesforce username.
        #[arg(long, value_name = "USERNAME")]
        user: String,
        #[arg(long, value_name = "ID")]
        in_response_to: Option<String>,
        /// Printed on a second line as RelayState=… when given.
        #[arg(long, value_name = "S")]
        relay_state: Option<String>,
    },
    /// Show the response settings and the just-in-time attributes.
    Settings {
        app: String,
        #[arg(long)]
        json: bool,
    },
    /// Change response settings and attributes (all checked before anything is saved).
    Set {
        app: String,
        /// Assertion lifetime in seconds (30–3600).
        #[arg(long)]
        lifetime: Option<u32>,
        /// What to sign: assertion, response or both.
        #[arg(long, value_parser = ["assertion", "response", "both"])]
        sign: Option<String>,
        /// NameID format: unspecified or email-address.
        #[arg(long, value_parser = ["unspecified", "email-address"])]
        name_id_format: Option<String>,
        /// Send this attribute (by its current name).
        #[arg(long, value_name = "NAME")]
        enable: Vec<String>,
        /// Stop sending this attribute.
        #[arg(long, value_name = "NAME")]
        disable: Vec<String>,
        /// Rename an attribute: OLD=NEW (e.g. User.FederationIdentifier=FedId).
        #[arg(long, value_name = "OLD=NEW")]
        rename: Vec<String>,
        /// Give an attribute a constant value: NAME=VALUE.
        #[arg(long, value_name = "NAME=VALUE")]
        constant: Vec<String>,
    },
    /// IdP-initiated test login: print (and with --open, open) a one-time link that posts a
    /// signed response to Salesforce; waits until it is used or 60 s pass.
    Login {
        app: String,
        #[arg(long, value_name = "USERNAME")]
        user: String,
        /// Open the link in the system browser (xdg-open).
        #[arg(long)]
        open: bool,
    },
    /// Decode a SAMLResponse or AuthnRequest (XML, base64, deflated, URL-encoded, form body or
    /// redirect URL) and check it against an application.
    Decode {
        /// File to read, or - (the default) for standard input.
        #[arg(default_value = "-")]
        file: PathBuf,
        #[arg(long)]
        app: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

pub async fn saml(core: &Core, cmd: SamlCommand) -> Result<(), ApiError> {
    let (app, user, in_response_to, relay_state) = match cmd {
        SamlCommand::Response {
            app,
            user,
            in_response_to,
            relay_state,
        } => (app, user, in_response_to, relay_state),
        SamlCommand::Decode { file, app, json } => {
            return decode(core, &file, app.as_deref(), json).await
        }
        SamlCommand::Login { app, user, open } => return login(core, &app, &user, open).await,
        SamlCommand::Settings { app, json } => return show_settings(core, &app, json).await,
        SamlCommand::Set {
            app,
            lifetime,
            sign,
            name_id_format,
            enable,
            disable,
            rename,
            constant,
        } => {
            return set_settings(
                core,
                &app,
                lifetime,
                sign,
                name_id_format,
                SettingsEdits {
                    enable,
                    disable,
                    rename,
                    constant,
                },
            )
            .await
        }
    };
    let signed = core
        .saml_response(&app, &user, in_response_to.as_deref())
        .await?;
    println!("{}", signed.saml_response);
    if let Some(r) = relay_state {
        eprintln!("post to {} with RelayState={r}", signed.acs_url);
    }
    Ok(())
}

pub async fn set_sp_metadata(
    core: &Core,
    app: &str,
    file: &Path,
    entity: Option<&str>,
) -> Result<(), ApiError> {
    let bytes = read_input(file)?;
    let view = core.set_sp_metadata(app, &bytes, entity).await?;
    println!(
        "saved SP settings of {app}: entity ID {}, ACS {}",
        view.config.entity_id, view.config.acs_url
    );
    for w in &view.warnings {
        println!("warning: {w}");
    }
    Ok(())
}

pub async fn set_sp(
    core: &Core,
    app: &str,
    entity_id: &str,
    acs_url: &str,
    cert: Option<&Path>,
) -> Result<(), ApiError> {
    let cert_bytes = cert.map(read_input).transpose()?;
    let view = core
        .set_sp_manual(app, entity_id, acs_url, cert_bytes.as_deref())
        .await?;
    println!(
        "saved SP settings of {app}: entity ID {}, ACS {}",
        view.config.entity_id, view.config.acs_url
    );
    Ok(())
}

async fn decode(core: &Core, file: &Path, app: Option<&str>, json: bool) -> Result<(), ApiError> {
    let bytes = read_input(file)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| ApiError::new(ErrorCode::InvalidInput, "the input is not UTF-8 text"))?;
    let decoded = core.decode_saml(&text, app).await?;
    if json {
        return print_json(&decoded);
    }
    println!(
        "{} (unwrapped: {})",
        decoded.kind,
        if decoded.steps.is_empty() {
            "raw XML".to_owned()
        } else {
            decoded.steps.join(" → ")
        }
    );
    if let Some(r) = &decoded.relay_state {
        println!("RelayState: {r}");
    }
    for c in &decoded.checks {
        let mark = match c.status {
            lanyard_core::saml::decode::CheckStatus::Pass => "ok  ",
            lanyard_core::saml::decode::CheckStatus::Fail => "FAIL",
            lanyard_core::saml::decode::CheckStatus::Warn => "warn",
            lanyard_core::saml::decode::CheckStatus::Info => "    ",
        };
        println!("{mark} {:<28} {}", c.name, c.detail);
    }
    println!();
    print!("{}", decoded.xml);
    Ok(())
}

async fn login(core: &Core, app: &str, user: &str, open: bool) -> Result<(), ApiError> {
    let link = core.idp_initiated_login(app, user).await?;
    // The file's path only: the one-time secret is inside the file (0600), never on a command
    // line another local user could read.
    println!("{}", link.url);
    if open {
        if let Err(e) = std::process::Command::new("xdg-open")
            .arg(&link.path)
            .spawn()
        {
            eprintln!("lanyard: cannot open the browser ({e}); open the page above by hand");
        }
    }
    eprintln!("lanyard: the page works once and for 60 seconds");
    link.wait().await;
    Ok(())
}

/// `lanyard idp serve`: the SP-initiated endpoint, until Ctrl+C. Requests are approved or
/// denied on this terminal (or all refused with `--deny-sp-initiated`).
pub async fn serve(core: &Core, deny_sp_initiated: bool) -> Result<(), ApiError> {
    use lanyard_core::saml::loopback::{IdpOptions, SpInitiated};
    let base = core.idp_address().await?.base_url;
    let addr = lanyard_core::saml::repoint::listen_addr(&base)?;
    let options = IdpOptions {
        sp_initiated: if deny_sp_initiated {
            SpInitiated::Refuse
        } else {
            SpInitiated::AskAdmin
        },
    };
    let idp = core.serve_idp_with(addr, options).await?;
    println!(
        "IdP endpoint: {}/saml2/<application>  (Ctrl+C to stop)",
        idp.base_url()
    );
    if deny_sp_initiated {
        println!("SP-initiated login requests are refused.");
        let _ = tokio::signal::ctrl_c().await;
    } else {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = ask_on_terminal(core) => {}
        }
    }
    idp.stop().await;
    Ok(())
}

/// Lines typed on standard input, read on a thread of their own.
fn stdin_lines() -> tokio::sync::mpsc::Receiver<String> {
    let (tx, rx) = tokio::sync::mpsc::channel(8);
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if tx.blocking_send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Shows each waiting login request and asks who signs in (an email) or "deny". Ends when
/// standard input closes.
async fn ask_on_terminal(core: &Core) {
    use std::io::Write;
    let mut changes = core.watch_pending_logins();
    let mut lines = stdin_lines();
    let mut asked = std::collections::HashSet::new();
    println!("Waiting for login requests; each one is shown here to approve or deny.");
    loop {
        let next = core
            .pending_logins()
            .into_iter()
            .find(|p| !asked.contains(&p.id));
        let Some(p) = next else {
            if changes.changed().await.is_err() {
                return;
            }
            continue;
        };
        asked.insert(p.id.clone());
        println!();
        println!("Login request for {} ({})", p.app_label, p.app);
        println!("  Login URL  {}", p.login_url);
        println!("  received   {}", p.received_at.format("%H:%M:%S UTC"));
        println!(
            "  code       {}  (the browser page shows the same code)",
            p.code
        );
        loop {
            print!("Email of the user who signs in, or \"deny\": ");
            let _ = std::io::stdout().flush();
            let Some(answer) = lines.recv().await else {
                return;
            };
            let answer = answer.trim();
            if answer.is_empty() {
                continue;
            }
            let result = if answer.eq_ignore_ascii_case("deny") {
                core.deny_login(&p.id).await.map(|()| "denied".to_owned())
            } else {
                core.approve_login(&p.id, answer)
                    .await
                    .map(|_| format!("approved: {answer} signs in"))
            };
            match result {
                Ok(done) => {
                    println!("{done} (code {})", p.code);
                    break;
                }
                Err(e) if e.code == ErrorCode::NotFound => {
                    println!("{}", e.message);
                    break;
                }
                Err(e) => println!("{}", e.message),
            }
        }
    }
}

async fn show_settings(core: &Core, app: &str, json: bool) -> Result<(), ApiError> {
    let s = core.saml_settings(app).await?;
    if json {
        return print_json(&s);
    }
    println!("lifetime        {} s", s.response.lifetime_secs);
    println!("sign            {:?}", s.response.sign);
    println!("NameID format   {}", s.response.name_id_format.uri());
    for a in &s.attributes {
        let from = if a.source == "constant" {
            format!("\"{}\"", a.constant.as_deref().unwrap_or(""))
        } else {
            a.source.clone()
        };
        println!(
            "{} {:<28} <- {from}",
            if a.enabled { "on " } else { "off" },
            a.name
        );
    }
    Ok(())
}

struct SettingsEdits {
    enable: Vec<String>,
    disable: Vec<String>,
    rename: Vec<String>,
    constant: Vec<String>,
}

fn pair(s: &str, what: &str) -> Result<(String, String), ApiError> {
    s.split_once('=')
        .map(|(a, b)| (a.trim().to_owned(), b.to_owned()))
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidInput,
                format!("{what} takes NAME=VALUE, not {s:?}"),
            )
        })
}

async fn set_settings(
    core: &Core,
    app: &str,
    lifetime: Option<u32>,
    sign: Option<String>,
    fmt: Option<String>,
    edits: SettingsEdits,
) -> Result<(), ApiError> {
    use lanyard_core::saml::response::{NameIdFormat, SignWhat};
    let mut s = core.saml_settings(app).await?;
    if let Some(l) = lifetime {
        s.response.lifetime_secs = l;
    }
    if let Some(w) = sign {
        s.response.sign = match w.as_str() {
            "assertion" => SignWhat::Assertion,
            "response" => SignWhat::Response,
            _ => SignWhat::Both,
        };
    }
    if let Some(f) = fmt {
        s.response.name_id_format = if f == "email-address" {
            NameIdFormat::EmailAddress
        } else {
            NameIdFormat::Unspecified
        };
    }
    let find = |s: &mut lanyard_core::saml::settings::SamlSettings,
                name: &str|
     -> Result<usize, ApiError> {
        s.attributes
            .iter()
            .position(|a| a.name == name)
            .ok_or_else(|| {
                let names: Vec<&str> = s.attributes.iter().map(|a| a.name.as_str()).collect();
                ApiError::new(
                    ErrorCode::InvalidInput,
                    format!(
                        "no attribute named {name:?}; there are: {}",
                        names.join(", ")
                    ),
                )
            })
    };
    for r in &edits.rename {
        let (old, new) = pair(r, "--rename")?;
        let i = find(&mut s, &old)?;
        s.attributes[i].name = new;
    }
    for c in &edits.constant {
        let (name, value) = pair(c, "--constant")?;
        let i = find(&mut s, &name)?;
        s.attributes[i].source = "constant".into();
        s.attributes[i].constant = Some(value);
    }
    for n in &edits.enable {
        let i = find(&mut s, n)?;
        s.attributes[i].enabled = true;
    }
    for n in &edits.disable {
        let i = find(&mut s, n)?;
        s.attributes[i].enabled = false;
    }
    core.set_saml_settings(app, s).await?;
    show_settings(core, app, false).await
}
