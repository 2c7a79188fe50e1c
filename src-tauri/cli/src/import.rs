//! `lanyard import`: the target's existing users into the directory.

use crate::output;
use clap::Args;
use lanyard_core::provisioning::import::{ImportRequest, ImportStatus};
use lanyard_core::provisioning::run::Cancel;
use lanyard_core::{ApiError, Core, ErrorCode};
use serde::Serialize;

#[derive(Debug, Args)]
pub struct ImportArgs {
    app: String,
    /// List the target's users and their status (New, Imported, Matches); import nothing.
    #[arg(long, conflicts_with_all = ["all", "user"])]
    list: bool,
    /// With --list: only the New ones.
    #[arg(long, requires = "list")]
    new_only: bool,
    /// Import every remote user.
    #[arg(long, conflicts_with = "user")]
    all: bool,
    /// Import these usernames.
    #[arg(long, value_name = "USERNAME", num_args = 1..)]
    user: Vec<String>,
    /// Leave inactive remote users out (else they are imported as suspended).
    #[arg(long)]
    skip_inactive: bool,
    /// Add the imported users to this group (created when missing, bound to APP).
    #[arg(long, value_name = "GROUP")]
    group: Option<String>,
    /// For these usernames that already exist in the directory: take the target's values.
    #[arg(long, value_name = "USERNAME", num_args = 1..)]
    take_values: Vec<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct ListRow<'a> {
    username: &'a str,
    name: &'a str,
    email: &'a str,
    active: bool,
    profile: Option<&'a str>,
    status: ImportStatus,
    remote_id: &'a str,
}

pub async fn run(core: &Core, a: ImportArgs) -> Result<(), ApiError> {
    if a.list {
        let rows = core.import_list(&a.app, a.new_only).await?;
        if a.json {
            let out: Vec<ListRow> = rows
                .iter()
                .map(|r| ListRow {
                    username: &r.username,
                    name: &r.name,
                    email: &r.email,
                    active: r.active,
                    profile: r.profile.as_deref(),
                    status: r.status,
                    remote_id: &r.remote_id,
                })
                .collect();
            return output::print_json(&out);
        }
        for r in &rows {
            println!(
                "{:<9} {:<40} {:<28} {:<8} {}",
                format!("{:?}", r.status),
                r.username,
                r.name,
                if r.active { "active" } else { "inactive" },
                r.profile.as_deref().unwrap_or("-")
            );
            for d in &r.differences {
                println!(
                    "          {}: {:?} here, {:?} there",
                    d.attribute, d.before, d.after
                );
            }
        }
        println!("{} users", rows.len());
        return Ok(());
    }
    if !a.all && a.user.is_empty() {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            "Say what to import: --all, --user USERNAME..., or --list to see the users first.",
        ));
    }
    let req = ImportRequest {
        usernames: (!a.all).then(|| a.user.clone()),
        listed: None,
        skip_inactive: a.skip_inactive,
        take_values: a.take_values.clone(),
        group: a.group.clone(),
    };
    let r = core
        .import_users(&a.app, req, None, Cancel::default())
        .await?;
    if a.json {
        output::print_json(&r)?;
    } else {
        println!(
            "created {} updated {} linked {} already_imported {} skipped_inactive {} refused {}",
            r.created,
            r.updated,
            r.linked,
            r.already_imported,
            r.skipped_inactive,
            r.errors.len()
        );
        for e in &r.errors {
            println!("refused {}: {}", e.email, e.message);
        }
        for n in &r.not_found {
            println!("not found in the target: {n}");
        }
        match &r.group {
            Some(g) => println!("{} added to the group {g}, which is bound to {}", r.group_members_added, a.app),
            None if r.not_in_scope > 0 => println!(
                "{} imported user(s) are not in a group bound to {}, so they are not managed (nor linked) yet: add them to one (lanyard group members add GROUP …, lanyard group bind {} GROUP), or import again with --group GROUP.",
                r.not_in_scope, a.app, a.app
            ),
            None => {}
        }
    }
    if !r.errors.is_empty() || !r.not_found.is_empty() {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!(
                "{} user(s) refused and {} not found; the others were imported.",
                r.errors.len(),
                r.not_found.len()
            ),
        ));
    }
    Ok(())
}
