//! `lanyard user …`

use crate::output::print_json;
use clap::{Args, Subcommand};
use lanyard_core::directory::{Address, Phone, User, UserInput};
use lanyard_core::{ApiError, Core};

#[derive(Debug, Args)]
pub struct UserFields {
    /// First name.
    #[arg(long)]
    first: String,
    /// Last name (Salesforce requires one).
    #[arg(long)]
    last: String,
    /// Display name (defaults to "FIRST LAST").
    #[arg(long)]
    display_name: Option<String>,
    #[arg(long)]
    employee_type: Option<String>,
    #[arg(long)]
    job_title: Option<String>,
    #[arg(long, value_name = "ID")]
    employee_id: Option<String>,
    #[arg(long)]
    department: Option<String>,
    #[arg(long)]
    company: Option<String>,
    /// Address type (work, home, other).
    #[arg(long)]
    address_type: Option<String>,
    #[arg(long)]
    street: Option<String>,
    /// City.
    #[arg(long)]
    locality: Option<String>,
    /// State or province.
    #[arg(long)]
    region: Option<String>,
    #[arg(long)]
    postal_code: Option<String>,
    #[arg(long)]
    country: Option<String>,
    /// Phone type (work, mobile, fax).
    #[arg(long)]
    phone_type: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    /// Salesforce Federation ID (defaults to none; SSO then uses the email).
    #[arg(long)]
    federation_id: Option<String>,
    /// Create the user suspended.
    #[arg(long)]
    suspended: bool,
    #[arg(long)]
    password_expired: bool,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user. EMAIL is also the Salesforce username.
    Add {
        email: String,
        #[command(flatten)]
        fields: Box<UserFields>,
        #[arg(long)]
        json: bool,
    },
    /// List users, sorted by email.
    List {
        /// Only the members of this group.
        #[arg(long, value_name = "GROUP")]
        group: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show one user.
    Show {
        email: String,
        #[arg(long)]
        json: bool,
    },
    /// Suspend users: they can no longer sign in, and provisioning deactivates them.
    Suspend {
        #[arg(required = true)]
        emails: Vec<String>,
    },
    /// Lift a suspension.
    Unsuspend {
        #[arg(required = true)]
        emails: Vec<String>,
    },
}

fn input(email: String, f: UserFields) -> UserInput {
    let s = |v: Option<String>| v.unwrap_or_default();
    UserInput {
        email,
        firstname: f.first,
        lastname: f.last,
        displayname: s(f.display_name),
        employee_type: s(f.employee_type),
        job_title: s(f.job_title),
        employee_identifier: s(f.employee_id),
        department: s(f.department),
        company: s(f.company),
        address: Address {
            kind: s(f.address_type),
            street_address: s(f.street),
            locality: s(f.locality),
            region: s(f.region),
            postal_code: s(f.postal_code),
            country: s(f.country),
        },
        phone: Phone {
            kind: s(f.phone_type),
            value: s(f.phone),
        },
        suspended: f.suspended,
        password_expired: f.password_expired,
        federation_id: f.federation_id,
    }
}

fn status(u: &User) -> &'static str {
    if u.suspended {
        "suspended"
    } else {
        "active"
    }
}

fn show(u: &User) {
    println!("email        {}", u.email);
    println!("name         {} {}", u.firstname, u.lastname);
    println!("display      {}", u.displayname);
    println!("status       {}", status(u));
    println!("job title    {}", u.job_title);
    println!("department   {}", u.department);
    println!("company      {}", u.company);
    println!("groups       {}", u.groups.join(", "));
    println!(
        "federation   {}",
        u.federation_id
            .as_deref()
            .unwrap_or("(none: the email is used)")
    );
    println!("id           {}", u.id);
}

pub async fn run(core: &Core, cmd: UserCommand) -> Result<(), ApiError> {
    match cmd {
        UserCommand::Add {
            email,
            fields,
            json,
        } => {
            let user = core.create_user(input(email, *fields)).await?;
            if json {
                print_json(&user)
            } else {
                println!("added user {} ({})", user.email, user.displayname);
                Ok(())
            }
        }
        UserCommand::List { group, json } => {
            let users = core.list_users(group.as_deref()).await?;
            if json {
                return print_json(&users);
            }
            if users.is_empty() {
                println!(
                    "no users{}: add one with `lanyard user add EMAIL --first F --last L` or import a CSV",
                    group.map(|g| format!(" in {g}")).unwrap_or_default()
                );
                return Ok(());
            }
            let width = users
                .iter()
                .map(|u| u.email.len())
                .max()
                .unwrap_or(5)
                .max(5);
            println!(
                "{:<width$}  {:<9}  {:<24}  GROUPS",
                "EMAIL", "STATUS", "NAME"
            );
            for u in &users {
                println!(
                    "{:<width$}  {:<9}  {:<24}  {}",
                    u.email,
                    status(u),
                    u.displayname,
                    u.groups.join(";")
                );
            }
            Ok(())
        }
        UserCommand::Show { email, json } => {
            let user = core.get_user(&email).await?;
            if json {
                print_json(&user)
            } else {
                show(&user);
                Ok(())
            }
        }
        UserCommand::Suspend { emails } => {
            let n = core.set_users_suspended(&emails, true).await?;
            println!(
                "suspended {n} user(s) ({} already were)",
                emails.len().saturating_sub(n as usize)
            );
            Ok(())
        }
        UserCommand::Unsuspend { emails } => {
            let n = core.set_users_suspended(&emails, false).await?;
            println!("unsuspended {n} user(s)");
            Ok(())
        }
    }
}
