//! CSV import: upsert users by email, columns matched by header name, `groups` separated by
//! semicolons. [`preview`] reads and checks every row and writes nothing; [`commit`] does the same
//! checks again inside one transaction and writes everything or nothing. A file with any bad row
//! is refused as a whole, naming the rows, so nothing is ever half-imported.

use super::changes::{self, Change, ChangeKind};
use super::users::{self, UserInput, UserRow, ValidUser};
use super::{email_key, group_key, groups, validate, DirectoryError};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use std::collections::{HashMap, HashSet};

/// The largest CSV text accepted (50 MiB).
pub const MAX_BYTES: u64 = 50 * 1024 * 1024;
/// The most data rows accepted.
pub const MAX_ROWS: usize = 200_000;
/// Row errors listed in a preview (all are counted).
const MAX_LISTED_ERRORS: usize = 1000;
/// Rows shown in a preview's sample.
const SAMPLE_ROWS: usize = 200;

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

/// One bad row: its line in the file (1 is the header) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RowError {
    pub line: u32,
    /// The row's email as written (may be empty or invalid).
    pub email: String,
    pub message: String,
}

/// What importing would do to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    Create,
    Update,
    Unchanged,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RowPlan {
    pub line: u32,
    pub email: String,
    pub action: RowAction,
}

/// What an import would do; nothing has been written. Field names are stable (`--json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportPreview {
    /// Data rows read (blank rows not counted).
    pub rows: u32,
    pub blank_rows: u32,
    pub creates: u32,
    pub updates: u32,
    pub unchanged: u32,
    pub new_groups: Vec<String>,
    pub memberships_added: u32,
    pub memberships_removed: u32,
    /// Recognised columns, by their canonical names, in file order.
    pub columns: Vec<String>,
    /// Header cells that match no attribute (their values are not imported).
    pub ignored_columns: Vec<String>,
    /// How many rows are bad; the import is refused while this is not 0.
    pub error_count: u32,
    /// The bad rows (the first 1,000).
    pub errors: Vec<RowError>,
    /// The first 200 rows and what would happen to each.
    pub sample: Vec<RowPlan>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportSummary {
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub groups_created: u32,
    pub memberships_added: u32,
    pub memberships_removed: u32,
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

/// Who a membership change is for.
#[derive(Debug, Clone)]
enum Member {
    Existing {
        id: String,
        email: String,
    },
    /// The n-th entry of `Plan::creates`.
    New(usize),
}

#[derive(Debug, Default)]
struct Plan {
    rows: usize,
    blank_rows: usize,
    columns: Vec<String>,
    ignored: Vec<String>,
    errors: Vec<RowError>,
    creates: Vec<ValidUser>,
    updates: Vec<(String, ValidUser)>,
    unchanged: usize,
    /// Group display names to create, in order of first appearance.
    new_groups: Vec<String>,
    /// (group key, member, add?)
    memberships: Vec<(String, Member, bool)>,
    sample: Vec<RowPlan>,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
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

/// Reads and checks every row against the database as it is on `conn`. Writes nothing.
async fn plan(conn: &mut SqliteConnection, text: &str) -> Result<Plan, DirectoryError> {
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
    let mut plan = Plan::default();
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

    // The database as it is.
    let existing_rows = users::all_rows(&mut *conn).await?;
    let existing: HashMap<String, &UserRow> = existing_rows
        .iter()
        .map(|r| (email_key(&r.email), r))
        .collect();
    let group_ids = groups::existing_ids(&mut *conn).await?;
    let group_of_id: HashMap<&str, &str> = group_ids
        .iter()
        .map(|(k, id)| (id.as_str(), k.as_str()))
        .collect();
    let mut current: HashMap<String, HashSet<String>> = HashMap::new();
    if groups_at.is_some() {
        let pairs: Vec<(String, String)> =
            sqlx::query_as("SELECT user_id, group_id FROM group_members")
                .fetch_all(&mut *conn)
                .await?;
        for (user_id, group_id) in pairs {
            if let Some(key) = group_of_id.get(group_id.as_str()) {
                current
                    .entry(user_id)
                    .or_default()
                    .insert((*key).to_owned());
            }
        }
    }

    // First pass: every row read, checked on its own, and checked against earlier rows.
    struct Parsed {
        line: u32,
        email: String,
        result: Result<(ValidUser, Option<Vec<String>>), String>,
    }
    let mut parsed: Vec<Parsed> = Vec::new();
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
            plan.blank_rows += 1;
            continue;
        }
        plan.rows += 1;
        if plan.rows > MAX_ROWS {
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
        parsed.push(Parsed {
            line,
            email: email_cell,
            result,
        });
    }

    // Federation IDs must stay unique: those of users the file does not mention stay as they are.
    let mut fed_owner: HashMap<String, String> = existing_rows
        .iter()
        .filter(|r| !seen.contains_key(&email_key(&r.email)))
        .filter_map(|r| r.federation_id.clone().map(|f| (f, r.email.clone())))
        .collect();

    let mut new_group_keys: HashSet<String> = HashSet::new();
    for row in parsed {
        let mut result = row.result;
        if let Ok((valid, _)) = &result {
            if let Some(fed) = &valid.fields.federation_id {
                match fed_owner.get(fed) {
                    Some(owner) if email_key(owner) != valid.email_key => {
                        result = Err(format!(
                            "the Federation ID {fed:?} already belongs to {owner}; each user needs its own"
                        ));
                    }
                    _ => {
                        fed_owner.insert(fed.clone(), valid.fields.email.clone());
                    }
                }
            }
        }
        let action = match result {
            Err(message) => {
                plan.errors.push(RowError {
                    line: row.line,
                    email: row.email.clone(),
                    message,
                });
                RowAction::Error
            }
            Ok((valid, wanted)) => {
                let old = existing.get(&valid.email_key);
                let member = match old {
                    Some(r) => Member::Existing {
                        id: r.id.clone(),
                        email: valid.fields.email.clone(),
                    },
                    None => Member::New(plan.creates.len()),
                };
                if let Some(wanted) = wanted {
                    let have = old
                        .and_then(|r| current.get(&r.id))
                        .cloned()
                        .unwrap_or_default();
                    let want: HashSet<String> = wanted.iter().map(|n| group_key(n)).collect();
                    for name in &wanted {
                        let k = group_key(name);
                        if !group_ids.contains_key(&k) && new_group_keys.insert(k.clone()) {
                            plan.new_groups.push(name.clone());
                        }
                        if !have.contains(&k) {
                            plan.memberships.push((k, member.clone(), true));
                        }
                    }
                    for k in have.difference(&want) {
                        plan.memberships.push((k.clone(), member.clone(), false));
                    }
                }
                match old {
                    None => {
                        plan.creates.push(valid);
                        RowAction::Create
                    }
                    Some(r) if r.input() == valid.fields => {
                        plan.unchanged += 1;
                        RowAction::Unchanged
                    }
                    Some(r) => {
                        plan.updates.push((r.id.clone(), valid));
                        RowAction::Update
                    }
                }
            }
        };
        if plan.sample.len() < SAMPLE_ROWS {
            plan.sample.push(RowPlan {
                line: row.line,
                email: row.email,
                action,
            });
        }
    }
    Ok(plan)
}

impl Plan {
    fn preview(self) -> ImportPreview {
        let added = self.memberships.iter().filter(|m| m.2).count();
        ImportPreview {
            rows: count(self.rows),
            blank_rows: count(self.blank_rows),
            creates: count(self.creates.len()),
            updates: count(self.updates.len()),
            unchanged: count(self.unchanged),
            new_groups: self.new_groups,
            memberships_added: count(added),
            memberships_removed: count(self.memberships.len() - added),
            columns: self.columns,
            ignored_columns: self.ignored,
            error_count: count(self.errors.len()),
            errors: self.errors.into_iter().take(MAX_LISTED_ERRORS).collect(),
            sample: self.sample,
        }
    }
}

/// What importing `text` would do. Writes nothing.
pub async fn preview(
    conn: &mut SqliteConnection,
    text: &str,
) -> Result<ImportPreview, DirectoryError> {
    Ok(plan(conn, text).await?.preview())
}

/// Imports `text` on `conn`, which must be inside a transaction: the caller commits only when
/// this returns Ok, so a failure anywhere leaves the database as it was.
pub async fn commit(
    conn: &mut SqliteConnection,
    text: &str,
    now: DateTime<Utc>,
) -> Result<ImportSummary, DirectoryError> {
    let plan = plan(&mut *conn, text).await?;
    if let Some(first) = plan.errors.first() {
        return Err(DirectoryError::CsvHasErrors {
            count: plan.errors.len(),
            first_line: u64::from(first.line),
            first_message: first.message.clone(),
        });
    }
    let (group_ids, groups_created) = groups::ensure(&mut *conn, &plan.new_groups, now).await?;
    let new_ids = users::insert_many(&mut *conn, &plan.creates, now).await?;
    users::update_many(&mut *conn, &plan.updates, now).await?;

    let mut adds: Vec<(&str, String, String)> = Vec::new(); // (group id, user id, email)
    let mut feed: Vec<Change> = Vec::new();
    let mut removed = 0usize;
    for (key, member, add) in &plan.memberships {
        let Some(group_id) = group_ids.get(key) else {
            continue;
        };
        let (user_id, email) = match member {
            Member::Existing { id, email } => (id.clone(), email.clone()),
            Member::New(i) => match (new_ids.get(*i), plan.creates.get(*i)) {
                (Some(id), Some(u)) => (id.clone(), u.fields.email.clone()),
                _ => continue,
            },
        };
        if *add {
            feed.push(Change::member(
                ChangeKind::MemberAdded,
                group_id,
                &user_id,
                &email,
            ));
            adds.push((group_id.as_str(), user_id, email));
        } else {
            sqlx::query("DELETE FROM group_members WHERE group_id = ? AND user_id = ?")
                .bind(group_id)
                .bind(&user_id)
                .execute(&mut *conn)
                .await?;
            feed.push(Change::member(
                ChangeKind::MemberRemoved,
                group_id,
                &user_id,
                &email,
            ));
            removed += 1;
        }
    }
    for chunk in adds.chunks(3000) {
        let mut q: QueryBuilder<Sqlite> =
            QueryBuilder::new("INSERT INTO group_members (group_id, user_id, added_at) ");
        q.push_values(chunk, |mut row, (group_id, user_id, _)| {
            row.push_bind(*group_id)
                .push_bind(user_id.as_str())
                .push_bind(now);
        });
        q.push(" ON CONFLICT DO NOTHING");
        q.build().execute(&mut *conn).await?;
    }
    changes::record(&mut *conn, now, &feed).await?;
    Ok(ImportSummary {
        created: count(plan.creates.len()),
        updated: count(plan.updates.len()),
        unchanged: count(plan.unchanged),
        groups_created: count(groups_created),
        memberships_added: count(adds.len()),
        memberships_removed: count(removed),
    })
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
