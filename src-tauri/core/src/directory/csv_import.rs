//! CSV import: upsert users by email, columns matched by header name, `groups` separated by
//! semicolons. [`preview`] reads and checks every row and writes nothing; [`commit`] does the same
//! checks again inside one transaction and writes everything or nothing. A file with any bad row
//! is refused as a whole, naming the rows, so nothing is ever half-imported.

use super::import::{self, Read, SourceRow};
pub use super::import::{ImportPreview, ImportSummary, RowAction, RowError, RowPlan};
use super::users::UserInput;
use super::{email_key, group_key, validate, DirectoryError};
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;
use std::collections::HashMap;

/// The largest CSV text accepted (50 MiB).
pub const MAX_BYTES: u64 = 50 * 1024 * 1024;
/// The most data rows accepted.
pub const MAX_ROWS: usize = 200_000;

/// A column Lanyard reads, with its header name (the name the export writes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Email,
    Firstname,
    Lastname,
    Displayname,
    EmployeeType,
    JobTitle,
    EmployeeIdentifier,
    Department,
    Company,
    AddressType,
    StreetAddress,
    Locality,
    Region,
    PostalCode,
    Country,
    PhoneType,
    Phone,
    Suspended,
    PasswordExpired,
    FederationId,
    Groups,
}

impl Column {
    pub const ALL: [Column; 21] = [
        Column::Email,
        Column::Firstname,
        Column::Lastname,
        Column::Displayname,
        Column::EmployeeType,
        Column::JobTitle,
        Column::EmployeeIdentifier,
        Column::Department,
        Column::Company,
        Column::AddressType,
        Column::StreetAddress,
        Column::Locality,
        Column::Region,
        Column::PostalCode,
        Column::Country,
        Column::PhoneType,
        Column::Phone,
        Column::Suspended,
        Column::PasswordExpired,
        Column::FederationId,
        Column::Groups,
    ];

    /// The header name the export writes and the import documents.
    pub fn header(self) -> &'static str {
        match self {
            Column::Email => "email",
            Column::Firstname => "firstname",
            Column::Lastname => "lastname",
            Column::Displayname => "displayname",
            Column::EmployeeType => "employeeType",
            Column::JobTitle => "jobTitle",
            Column::EmployeeIdentifier => "employeeIdentifier",
            Column::Department => "department",
            Column::Company => "company",
            Column::AddressType => "addressType",
            Column::StreetAddress => "streetAddress",
            Column::Locality => "locality",
            Column::Region => "region",
            Column::PostalCode => "postalCode",
            Column::Country => "country",
            Column::PhoneType => "phoneType",
            Column::Phone => "phone",
            Column::Suspended => "suspended",
            Column::PasswordExpired => "passwordExpired",
            Column::FederationId => "federationId",
            Column::Groups => "groups",
        }
    }

    /// Matches a header cell: case, spaces, dots, hyphens and underscores are ignored, and a few
    /// common other names are understood (username, title, city, state, zip, address.type…).
    pub fn from_header(cell: &str) -> Option<Column> {
        let norm: String = cell
            .trim()
            .trim_start_matches('\u{feff}')
            .chars()
            .filter(|c| !matches!(c, ' ' | '_' | '-' | '.'))
            .flat_map(char::to_lowercase)
            .collect();
        let by_header = Column::ALL
            .into_iter()
            .find(|c| c.header().to_lowercase() == norm);
        by_header.or(match norm.as_str() {
            "username" | "emailaddress" | "mail" => Some(Column::Email),
            "givenname" => Some(Column::Firstname),
            "familyname" | "surname" => Some(Column::Lastname),
            "title" => Some(Column::JobTitle),
            "employeenumber" => Some(Column::EmployeeIdentifier),
            "addressstreetaddress" | "street" => Some(Column::StreetAddress),
            "addresslocality" | "city" => Some(Column::Locality),
            "addressregion" | "state" => Some(Column::Region),
            "addresspostalcode" | "zip" | "zipcode" | "postcode" => Some(Column::PostalCode),
            "addresscountry" => Some(Column::Country),
            "phonenumber" | "phonevalue" => Some(Column::Phone),
            "federationidentifier" => Some(Column::FederationId),
            "group" => Some(Column::Groups),
            _ => None,
        })
    }
}

/// Refuses text over the size limit before anything reads it.
pub fn check_size(bytes: u64) -> Result<(), DirectoryError> {
    if bytes > MAX_BYTES {
        return Err(DirectoryError::CsvTooLarge {
            bytes,
            limit: MAX_BYTES,
        });
    }
    Ok(())
}

fn line_of(record: &csv::StringRecord) -> u32 {
    record
        .position()
        .map_or(0, |p| u32::try_from(p.line()).unwrap_or(u32::MAX))
}

/// Sets one attribute of `input` from a cell; returns a problem for cells that are not values.
fn apply(input: &mut UserInput, column: Column, cell: &str) -> Result<(), String> {
    let flag = |name: &str| {
        validate::flag(cell).ok_or_else(|| {
            format!("{name} is {cell:?}; write true or false (yes/no and 1/0 work too)")
        })
    };
    let value = cell.to_owned();
    match column {
        Column::Email => input.email = value,
        Column::Firstname => input.firstname = value,
        Column::Lastname => input.lastname = value,
        Column::Displayname => input.displayname = value,
        Column::EmployeeType => input.employee_type = value,
        Column::JobTitle => input.job_title = value,
        Column::EmployeeIdentifier => input.employee_identifier = value,
        Column::Department => input.department = value,
        Column::Company => input.company = value,
        Column::AddressType => input.address.kind = value,
        Column::StreetAddress => input.address.street_address = value,
        Column::Locality => input.address.locality = value,
        Column::Region => input.address.region = value,
        Column::PostalCode => input.address.postal_code = value,
        Column::Country => input.address.country = value,
        Column::PhoneType => input.phone.kind = value,
        Column::Phone => input.phone.value = value,
        Column::Suspended => input.suspended = flag("suspended")?,
        Column::PasswordExpired => input.password_expired = flag("passwordExpired")?,
        Column::FederationId => {
            input.federation_id = (!cell.trim().is_empty()).then_some(value);
        }
        Column::Groups => {}
    }
    Ok(())
}

/// Splits a `groups` cell ("Sales; EMEA") into valid, distinct group names.
fn parse_groups(cell: &str) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = Vec::new();
    for part in cell.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let name = validate::group_name(part).map_err(|e| e.to_string())?;
        if !names.iter().any(|n| group_key(n) == group_key(&name)) {
            names.push(name);
        }
    }
    Ok(names)
}

/// Reads every row of `text` and checks it on its own and against earlier rows (the existing
/// users, by email key, are what a row's cells change).
fn read(text: &str, existing: &import::Existing) -> Result<Read, DirectoryError> {
    check_size(text.len() as u64)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::None)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| DirectoryError::CsvHeader(format!("the header row is unreadable ({e})")))?
        .clone();
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(DirectoryError::CsvHeader(
            "the file is empty or its first line is blank; the first line must name the columns, for example: email,firstname,lastname,groups".into(),
        ));
    }
    let mut plan = Read::default();
    let mut map: Vec<Option<Column>> = Vec::with_capacity(headers.len());
    for cell in headers.iter() {
        match Column::from_header(cell) {
            Some(c) if map.contains(&Some(c)) => {
                return Err(DirectoryError::CsvHeader(format!(
                    "two columns are both {:?} (the second is {cell:?}); keep one",
                    c.header()
                )))
            }
            Some(c) => {
                map.push(Some(c));
                plan.columns.push(c.header().to_owned());
            }
            None => {
                map.push(None);
                plan.ignored.push(cell.trim().to_owned());
            }
        }
    }
    let Some(email_at) = map.iter().position(|c| *c == Some(Column::Email)) else {
        return Err(DirectoryError::CsvHeader(format!(
            "no column is named \"email\" (found: {}); users are matched by email, so the file needs one",
            headers.iter().collect::<Vec<_>>().join(", ")
        )));
    };
    let groups_at = map.iter().position(|c| *c == Some(Column::Groups));

    // First pass: every row read, checked on its own, and checked against earlier rows.
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(DirectoryError::CsvSyntax {
                    line,
                    detail: e.to_string(),
                });
            }
        }
        let line = line_of(&record);
        if record.iter().all(|c| c.trim().is_empty()) {
            plan.blank += 1;
            continue;
        }
        plan.count += 1;
        if plan.count > MAX_ROWS {
            return Err(DirectoryError::CsvTooManyRows { limit: MAX_ROWS });
        }
        let email_cell = record.get(email_at).unwrap_or("").trim().to_owned();
        let mut problems: Vec<String> = Vec::new();
        if record.len() != headers.len() {
            problems.push(format!(
                "it has {} cells but the header has {} (a missing or extra comma, or an unquoted comma inside a value)",
                record.len(),
                headers.len()
            ));
        }
        let key = email_key(&email_cell);
        if let Some(first) = seen.get(&key).filter(|_| !key.is_empty()) {
            problems.push(format!(
                "the email {email_cell:?} is also on line {first}; each user may appear once"
            ));
        } else if !key.is_empty() {
            seen.insert(key.clone(), line);
        }
        let mut input = existing.get(&key).map(|r| r.input()).unwrap_or_default();
        let mut wanted_groups = None;
        for (i, cell) in record.iter().enumerate() {
            match map.get(i).copied().flatten() {
                Some(Column::Groups) => match parse_groups(cell) {
                    Ok(g) => wanted_groups = Some(g),
                    Err(e) => problems.push(format!("groups: {e}")),
                },
                Some(col) => {
                    if let Err(e) = apply(&mut input, col, cell) {
                        problems.push(e);
                    }
                }
                None => {}
            }
        }
        if groups_at.is_some() && wanted_groups.is_none() && problems.is_empty() {
            wanted_groups = Some(Vec::new());
        }
        let result = match input.validate_all() {
            Ok(valid) if problems.is_empty() => Ok((valid, wanted_groups)),
            Ok(_) => Err(problems.join("; ")),
            Err(errs) => {
                problems.extend(errs.iter().map(ToString::to_string));
                Err(problems.join("; "))
            }
        };
        plan.rows.push(SourceRow {
            line,
            email: email_cell,
            result,
        });
    }

    plan.has_groups = groups_at.is_some();
    Ok(plan)
}

/// What importing `text` would do. Writes nothing.
pub async fn preview(
    conn: &mut SqliteConnection,
    text: &str,
) -> Result<ImportPreview, DirectoryError> {
    Ok(import::plan(conn, |existing| read(text, existing))
        .await?
        .preview())
}

/// Imports `text` on `conn`, which must be inside a transaction: the caller commits only when
/// this returns Ok, so a failure anywhere leaves the database as it was. A file with any bad row
/// is refused whole.
pub async fn commit(
    conn: &mut SqliteConnection,
    text: &str,
    now: DateTime<Utc>,
) -> Result<ImportSummary, DirectoryError> {
    let plan = import::plan(&mut *conn, |existing| read(text, existing)).await?;
    Ok(import::commit_plan(conn, plan, now, true).await?.summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_by_name_ignoring_case_and_punctuation() {
        assert_eq!(Column::from_header("Email"), Some(Column::Email));
        assert_eq!(Column::from_header("\u{feff}email"), Some(Column::Email));
        assert_eq!(
            Column::from_header("employee_type"),
            Some(Column::EmployeeType)
        );
        assert_eq!(Column::from_header("Job Title"), Some(Column::JobTitle));
        assert_eq!(
            Column::from_header("address.postalCode"),
            Some(Column::PostalCode)
        );
        assert_eq!(Column::from_header("phone.value"), Some(Column::Phone));
        assert_eq!(
            Column::from_header("Federation ID"),
            Some(Column::FederationId)
        );
        assert_eq!(
            Column::from_header("FederationIdentifier"),
            Some(Column::FederationId)
        );
        assert_eq!(Column::from_header("Username"), Some(Column::Email));
        assert_eq!(Column::from_header("shoe size"), None);
        for c in Column::ALL {
            assert_eq!(
                Column::from_header(c.header()),
                Some(c),
                "the export's own header {} reads back as itself",
                c.header()
            );
        }
    }

    #[test]
    fn groups_cell_splits_on_semicolons_and_drops_duplicates() {
        assert_eq!(
            parse_groups(" Sales ; EMEA;;sales ").unwrap(),
            vec!["Sales".to_owned(), "EMEA".to_owned()]
        );
        assert!(parse_groups("").unwrap().is_empty());
        assert!(parse_groups(&"x".repeat(81)).is_err());
    }

    #[test]
    fn size_limit_is_enforced_before_reading() {
        assert!(check_size(MAX_BYTES).is_ok());
        let err = check_size(MAX_BYTES + 1).unwrap_err();
        assert!(err.to_string().contains("Split it"), "{err}");
    }
}
