//! CSV exports: the whole directory (the same columns the import reads, so a file round-trips), and
//! the Salesforce Data Loader file (Username, FederationIdentifier) that sets each authorized
//! user's Federation ID before just-in-time provisioning can match them.

use super::csv_import::Column;
use super::users::{self, User};
use super::{groups, DirectoryError};
use sqlx::{SqliteConnection, SqlitePool};

fn csv_error(e: impl std::fmt::Display) -> DirectoryError {
    DirectoryError::CsvWrite(e.to_string())
}

fn flag(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

fn cell(u: &User, column: Column) -> String {
    match column {
        Column::Email => u.email.clone(),
        Column::Firstname => u.firstname.clone(),
        Column::Lastname => u.lastname.clone(),
        Column::Displayname => u.displayname.clone(),
        Column::EmployeeType => u.employee_type.clone(),
        Column::JobTitle => u.job_title.clone(),
        Column::EmployeeIdentifier => u.employee_identifier.clone(),
        Column::Department => u.department.clone(),
        Column::Company => u.company.clone(),
        Column::AddressType => u.address.kind.clone(),
        Column::StreetAddress => u.address.street_address.clone(),
        Column::Locality => u.address.locality.clone(),
        Column::Region => u.address.region.clone(),
        Column::PostalCode => u.address.postal_code.clone(),
        Column::Country => u.address.country.clone(),
        Column::PhoneType => u.phone.kind.clone(),
        Column::Phone => u.phone.value.clone(),
        Column::Suspended => flag(u.suspended).to_owned(),
        Column::PasswordExpired => flag(u.password_expired).to_owned(),
        Column::FederationId => u.federation_id.clone().unwrap_or_default(),
        Column::Groups => u.groups.join(";"),
    }
}

/// Every user, one row each, with every column the import reads.
pub async fn directory(pool: &SqlitePool) -> Result<String, DirectoryError> {
    let users = users::list(pool, None).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(Column::ALL.iter().map(|c| c.header()))
        .map_err(csv_error)?;
    for u in &users {
        w.write_record(Column::ALL.iter().map(|c| cell(u, *c)))
            .map_err(csv_error)?;
    }
    let bytes = w.into_inner().map_err(csv_error)?;
    String::from_utf8(bytes).map_err(csv_error)
}

/// The Federation ID a user signs in with: the one set, else the email.
pub fn effective_federation_id(u: &User) -> &str {
    u.federation_id.as_deref().unwrap_or(&u.email)
}

/// Data Loader CSV (Username, FederationIdentifier) for the users authorized for `app`: the
/// members of the groups bound to it, each once, by email. Users without a Federation ID get
/// their email, which is what Lanyard asserts for them.
pub async fn federation(
    conn: &mut SqliteConnection,
    app: &str,
) -> Result<(String, u32), DirectoryError> {
    let app_id = groups::app_id(&mut *conn, app).await?;
    let rows: Vec<(String, Option<String>)> = super::access::authorized_users(conn, &app_id)
        .await?
        .into_iter()
        .map(|u| (u.email, u.federation_id))
        .collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["Username", "FederationIdentifier"])
        .map_err(csv_error)?;
    for (email, fed) in &rows {
        w.write_record([email.as_str(), fed.as_deref().unwrap_or(email)])
            .map_err(csv_error)?;
    }
    let bytes = w.into_inner().map_err(csv_error)?;
    let text = String::from_utf8(bytes).map_err(csv_error)?;
    Ok((text, u32::try_from(rows.len()).unwrap_or(u32::MAX)))
}
