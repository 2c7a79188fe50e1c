//! `lanyard group …`

use crate::output::print_json;
use clap::Subcommand;
use lanyard_core::directory::GroupInput;
use lanyard_core::{ApiError, Core};

#[derive(Debug, Subcommand)]
pub enum GroupCommand {
    /// Create a group.
    Add {
        name: String,
        #[arg(long)]
        description: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List groups with their member counts.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Add or remove members.
    #[command(subcommand)]
    Members(MembersCommand),
    /// Authorize a group's members for an application.
    Bind { app: String, group: String },
    /// Stop authorizing a group's members for an application.
    Unbind { app: String, group: String },
}

#[derive(Debug, Subcommand)]
pub enum MembersCommand {
    /// Add users (by email) to a group.
    Add {
        group: String,
        #[arg(required = true)]
        emails: Vec<String>,
    },
    /// Remove users (by email) from a group.
    Remove {
        group: String,
        #[arg(required = true)]
        emails: Vec<String>,
    },
}

pub async fn run(core: &Core, cmd: GroupCommand) -> Result<(), ApiError> {
    match cmd {
        GroupCommand::Add {
            name,
            description,
            json,
        } => {
            let group = core
                .create_group(GroupInput {
                    name,
                    description: description.unwrap_or_default(),
                })
                .await?;
            if json {
                print_json(&group)
            } else {
                println!("added group {}", group.name);
                Ok(())
            }
        }
        GroupCommand::List { json } => {
            let groups = core.list_groups().await?;
            if json {
                return print_json(&groups);
            }
            if groups.is_empty() {
                println!("no groups yet: add one with `lanyard group add NAME`");
                return Ok(());
            }
            let width = groups
                .iter()
                .map(|g| g.name.len())
                .max()
                .unwrap_or(4)
                .max(4);
            println!("{:<width$}  {:>7}  DESCRIPTION", "NAME", "MEMBERS");
            for g in &groups {
                println!(
                    "{:<width$}  {:>7}  {}",
                    g.name, g.member_count, g.description
                );
            }
            Ok(())
        }
        GroupCommand::Members(MembersCommand::Add { group, emails }) => {
            let n = core.add_group_members(&group, &emails).await?;
            println!(
                "added {n} member(s) to {group} ({} already were)",
                emails.len().saturating_sub(n as usize)
            );
            Ok(())
        }
        GroupCommand::Members(MembersCommand::Remove { group, emails }) => {
            let n = core.remove_group_members(&group, &emails).await?;
            println!("removed {n} member(s) from {group}");
            Ok(())
        }
        GroupCommand::Bind { app, group } => {
            let changed = core.set_app_group(&app, &group, true).await?;
            if changed {
                println!("{group}'s members are now authorized for {app}");
            } else {
                println!("{group} was already bound to {app}");
            }
            Ok(())
        }
        GroupCommand::Unbind { app, group } => {
            let changed = core.set_app_group(&app, &group, false).await?;
            if changed {
                println!("{group} is no longer bound to {app}");
            } else {
                println!("{group} was not bound to {app}");
            }
            Ok(())
        }
    }
}
