//! `lanyard app …`

use crate::output::print_json;
use clap::Subcommand;
use lanyard_core::apps::{Environment, NewApplication};
use lanyard_core::saml::repoint::sso_url;
use lanyard_core::{ApiError, Core, ErrorCode};

#[derive(Debug, Subcommand)]
pub enum AppCommand {
    /// Create a Salesforce application.
    Create {
        /// Slug: lowercase letters, digits and hyphens (e.g. salesforce-prod).
        name: String,
        /// Display label (defaults to the name).
        #[arg(long)]
        label: Option<String>,
        #[arg(long)]
        description: Option<String>,
        /// The org is a Salesforce sandbox (test.salesforce.com).
        #[arg(long, conflicts_with = "practice")]
        sandbox: bool,
        /// The org is the practice org (`lanyard sim serve`; LANYARD_PRACTICE_URL, default http://127.0.0.1:8765).
        #[arg(long)]
        practice: bool,
        /// Where OAuth starts, e.g. your My Domain https://NAME.my.salesforce.com (defaults to the environment's login host).
        #[arg(long, value_name = "URL")]
        login_url: Option<String>,
        /// The last part of its IdP URL, <IdP address>/saml2/PATH (defaults to the name).
        #[arg(long, value_name = "PATH")]
        idp_path: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Move the application's IdP URL to <IdP address>/saml2/PATH; prints what to change in
    /// Salesforce (its Identity Provider Login URL), checked at the next login started there.
    SetIdpPath {
        name: String,
        path: String,
        #[arg(long)]
        json: bool,
    },
    /// List applications.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show one application.
    Show {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Save Salesforce's SP metadata (file, or - for standard input) for an application.
    SetSpMetadata {
        name: String,
        file: std::path::PathBuf,
        /// Pick one entity of an EntitiesDescriptor.
        #[arg(long, value_name = "ID")]
        entity: Option<String>,
    },
    /// Enter the SP settings by hand.
    SetSp {
        name: String,
        #[arg(long, value_name = "ID")]
        entity_id: String,
        #[arg(long, value_name = "URL")]
        acs_url: String,
        /// Salesforce's certificate (.crt/.pem/.cer).
        #[arg(long, value_name = "FILE")]
        cert: Option<std::path::PathBuf>,
    },
    /// Import Salesforce's certificate (.crt/.pem/.cer), checked against the SP metadata.
    ImportSpCert {
        name: String,
        file: std::path::PathBuf,
    },
    /// Activate or deactivate single sign-on (deactivated: Lanyard signs nothing for it).
    Sso {
        name: String,
        #[arg(long, conflicts_with = "off", required_unless_present = "off")]
        on: bool,
        #[arg(long)]
        off: bool,
    },
    /// The application's tile in the user portal: shown or hidden, and its image.
    Portal {
        name: String,
        #[arg(long, conflicts_with = "hide")]
        show: bool,
        #[arg(long)]
        hide: bool,
        /// A PNG, JPEG or SVG image up to 1 MB (an SVG is rasterized to PNG).
        #[arg(long, value_name = "FILE", conflicts_with = "no_image")]
        image: Option<std::path::PathBuf>,
        /// Remove the image.
        #[arg(long)]
        no_image: bool,
        #[arg(long)]
        json: bool,
    },
    /// Delete an application and everything configured for it.
    Delete {
        name: String,
        /// Confirm the deletion (required).
        #[arg(long)]
        yes: bool,
    },
}

pub async fn run(core: &Core, cmd: AppCommand) -> Result<(), ApiError> {
    match cmd {
        AppCommand::Create {
            name,
            label,
            description,
            sandbox,
            practice,
            login_url,
            idp_path,
            json,
        } => {
            let environment = match (sandbox, practice) {
                (true, _) => Environment::Sandbox,
                (_, true) => Environment::Practice,
                _ => Environment::Production,
            };
            let app = core
                .create_app(NewApplication {
                    name,
                    label,
                    description,
                    environment,
                    login_url,
                    idp_path,
                })
                .await?;
            if json {
                print_json(&app)
            } else {
                println!("created application {} ({})", app.name, app.label);
                Ok(())
            }
        }
        AppCommand::List { json } => {
            let apps = core.list_apps().await?;
            if json {
                return print_json(&apps);
            }
            if apps.is_empty() {
                println!("no applications yet: create one with `lanyard app create NAME`");
                return Ok(());
            }
            let width = apps.iter().map(|a| a.name.len()).max().unwrap_or(4).max(4);
            println!("{:<width$}  {:<10}  LABEL", "NAME", "ORG");
            for app in &apps {
                println!(
                    "{:<width$}  {:<10}  {}",
                    app.name,
                    org_kind(app.environment),
                    app.label
                );
            }
            Ok(())
        }
        AppCommand::Show { name, json } => {
            let app = core.get_app(&name).await?;
            if json {
                return print_json(&app);
            }
            println!("name         {}", app.name);
            println!("label        {}", app.label);
            println!("description  {}", app.description);
            println!("kind         {}", app.kind);
            println!("org          {}", org_kind(app.environment));
            println!("login URL    {}", app.login_url);
            let base = core.idp_address().await?.base_url;
            println!("IdP URL      {}", sso_url(&base, &app.idp_path));
            println!("id           {}", app.id);
            println!("created      {}", app.created_at.to_rfc3339());
            println!("updated      {}", app.updated_at.to_rfc3339());
            Ok(())
        }
        AppCommand::SetIdpPath { name, path, json } => {
            let app = core.set_idp_path(&name, &path).await?;
            let pending = core.repoints().await?.into_iter().find(|r| r.app == name);
            if json {
                return print_json(&serde_json::json!({ "app": app, "repoint": pending }));
            }
            let base = core.idp_address().await?.base_url;
            println!("the IdP URL of {name} is {}", sso_url(&base, &app.idp_path));
            if let Some(r) = pending {
                println!(
                    "in Salesforce, Setup > Single Sign-On Settings > {name}: change the Identity Provider Login URL from {} to {} (the next login started there checks it)",
                    r.from_url, r.to_url
                );
            }
            Ok(())
        }
        AppCommand::SetSpMetadata { name, file, entity } => {
            crate::saml::set_sp_metadata(core, &name, &file, entity.as_deref()).await
        }
        AppCommand::SetSp {
            name,
            entity_id,
            acs_url,
            cert,
        } => crate::saml::set_sp(core, &name, &entity_id, &acs_url, cert.as_deref()).await,
        AppCommand::ImportSpCert { name, file } => {
            let bytes = crate::saml::read_input(&file)?;
            let view = core.import_sp_certificate(&name, &bytes).await?;
            println!(
                "imported the Salesforce certificate for {name} ({} on file)",
                view.certificates.len()
            );
            Ok(())
        }
        AppCommand::Sso { name, on, .. } => {
            let app = core.set_sso_enabled(&name, on).await?;
            println!(
                "single sign-on to {} is {}",
                app.name,
                if app.sso_enabled {
                    "on"
                } else {
                    "off: Lanyard signs nothing for it"
                }
            );
            Ok(())
        }
        AppCommand::Portal {
            name,
            show,
            hide,
            image,
            no_image,
            json,
        } => {
            let mut settings = core.portal_settings(&name).await?;
            if show || hide {
                settings = core.set_show_in_portal(&name, show).await?;
            }
            if let Some(file) = image {
                let bytes = lanyard_core::portal::image::read(&file).map_err(|e| {
                    ApiError::new(ErrorCode::InvalidInput, format!("{}: {e}", file.display()))
                })?;
                settings = core.set_portal_image(&name, Some(bytes)).await?;
            } else if no_image {
                settings = core.set_portal_image(&name, None).await?;
            }
            if json {
                return print_json(&settings);
            }
            println!(
                "{name}: {} in the user portal, {}",
                if settings.show_in_portal {
                    "shown"
                } else {
                    "not shown"
                },
                if settings.image.is_some() {
                    "with an image"
                } else {
                    "no image"
                }
            );
            Ok(())
        }
        AppCommand::Delete { name, yes } => {
            if !yes {
                return Err(ApiError::new(
                    ErrorCode::InvalidInput,
                    format!("deleting {name:?} removes its configuration for good: add --yes to confirm"),
                ));
            }
            core.delete_app(&name).await?;
            println!("deleted application {name}");
            Ok(())
        }
    }
}

fn org_kind(environment: Environment) -> &'static str {
    match environment {
        Environment::Production => "production",
        Environment::Sandbox => "sandbox",
        Environment::Practice => "practice",
    }
}
