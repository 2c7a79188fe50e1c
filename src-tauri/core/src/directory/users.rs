//! Users: one person each, keyed by a stable id; the email is the Salesforce username and is unique
//! without regard to case.

use super::changes::{self, Change, ChangeKind};
use super::{email_key, validate, DirectoryError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};

/// A postal address (SCIM `addresses[0]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Address {
    /// work, home, other…
    #[serde(rename = "type")]
    #[sqlx(rename = "address_type")]
    pub kind: String,
    pub street_address: String,
    pub locality: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
}

/// A phone number (SCIM `phoneNumbers[0]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Phone {
    /// work, mobile, fax…
    #[serde(rename = "type")]
    #[sqlx(rename = "phone_type")]
    pub kind: String,
    #[sqlx(rename = "phone")]
    pub value: String,
}

/// A user as every face shows it. Field names are stable (`--json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct User {
    pub id: String,
    /// Also the Salesforce username.
    pub email: String,
    pub firstname: String,
    pub lastname: String,
    pub displayname: String,
    pub employee_type: String,
    pub job_title: String,
    pub employee_identifier: String,
    pub department: String,
    pub company: String,
    pub address: Address,
    pub phone: Phone,
    pub suspended: bool,
    pub password_expired: bool,
    /// Salesforce's FederationIdentifier, when set.
    pub federation_id: Option<String>,
    /// Names of the groups the user belongs to, sorted.
    pub groups: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a person gives to create or edit a user. Blank fields are stored blank; an empty display
/// name becomes "first last"; an empty Federation ID means none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UserInput {
    pub email: String,
    pub firstname: String,
    pub lastname: String,
    pub displayname: String,
    pub employee_type: String,
    pub job_title: String,
    pub employee_identifier: String,
    pub department: String,
    pub company: String,
    pub address: Address,
    pub phone: Phone,
    pub suspended: bool,
    pub password_expired: bool,
    pub federation_id: Option<String>,
}

impl User {
    /// The editable fields, as a form would send them back unchanged.
    pub fn to_input(&self) -> UserInput {
        UserInput {
            email: self.email.clone(),
            firstname: self.firstname.clone(),
            lastname: self.lastname.clone(),
            displayname: self.displayname.clone(),
            employee_type: self.employee_type.clone(),
            job_title: self.job_title.clone(),
            employee_identifier: self.employee_identifier.clone(),
            department: self.department.clone(),
            company: self.company.clone(),
            address: self.address.clone(),
            phone: self.phone.clone(),
            suspended: self.suspended,
            password_expired: self.password_expired,
            federation_id: self.federation_id.clone(),
        }
    }
}

/// A [`UserInput`] that passed validation (values trimmed, defaults filled in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidUser {
    pub fields: UserInput,
    pub email_key: String,
}

impl UserInput {
    /// Every problem with this input (the CSV preview shows them all at once).
    pub fn validate_all(&self) -> Result<ValidUser, Vec<DirectoryError>> {
        self.validate_fields()
            .map_err(|problems| problems.into_iter().map(|(_, e)| e).collect())
    }

    /// Like [`validate_all`](Self::validate_all), each problem with the field it concerns, named
    /// as the field's JSON path (`email`, `address.locality`…) so a form can show it beside it.
    pub fn validate_fields(&self) -> Result<ValidUser, Vec<(&'static str, DirectoryError)>> {
        let mut problems = Vec::new();
        let mut take = |key: &'static str, r: Result<String, DirectoryError>| match r {
            Ok(v) => v,
            Err(e) => {
                problems.push((key, e));
                String::new()
            }
        };
        let email = take("email", validate::email(&self.email));
        let firstname = take(
            "firstname",
            validate::text("first name", &self.firstname, 40),
        );
        let lastname = take("lastname", validate::text("last name", &self.lastname, 80));
        let displayname = take(
            "displayname",
            validate::text("display name", &self.displayname, 121),
        );
        let employee_type = take(
            "employee_type",
            validate::text("employee type", &self.employee_type, 80),
        );
        let job_title = take(
            "job_title",
            validate::text("job title", &self.job_title, 80),
        );
        let employee_identifier = take(
            "employee_identifier",
            validate::text("employee identifier", &self.employee_identifier, 20),
        );
        let department = take(
            "department",
            validate::text("department", &self.department, 80),
        );
        let company = take("company", validate::text("company", &self.company, 80));
        let address = Address {
            kind: take(
                "address.type",
                validate::text("address type", &self.address.kind, 20),
            ),
            street_address: take(
                "address.street_address",
                validate::text_lines("street address", &self.address.street_address, 255),
            ),
            locality: take(
                "address.locality",
                validate::text("locality (city)", &self.address.locality, 40),
            ),
            region: take(
                "address.region",
                validate::text("region (state)", &self.address.region, 80),
            ),
            postal_code: take(
                "address.postal_code",
                validate::text("postal code", &self.address.postal_code, 20),
            ),
            country: take(
                "address.country",
                validate::text("country", &self.address.country, 80),
            ),
        };
        let phone = Phone {
            kind: take(
                "phone.type",
                validate::text("phone type", &self.phone.kind, 20),
            ),
            value: take(
                "phone.value",
                validate::text("phone", &self.phone.value, 40),
            ),
        };
        let federation_id = take(
            "federation_id",
            validate::text(
                "Federation ID",
                self.federation_id.as_deref().unwrap_or(""),
                512,
            ),
        );
        if self.lastname.trim().is_empty() {
            problems.push(("lastname", DirectoryError::MissingLastName));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let displayname = if displayname.is_empty() {
            format!("{firstname} {lastname}").trim().to_owned()
        } else {
            displayname
        };
        Ok(ValidUser {
            email_key: email_key(&email),
            fields: UserInput {
                email,
                firstname,
                lastname,
                displayname,
                employee_type,
                job_title,
                employee_identifier,
                department,
                company,
                address,
                phone,
                suspended: self.suspended,
                password_expired: self.password_expired,
                federation_id: (!federation_id.is_empty()).then_some(federation_id),
            },
        })
    }

    /// The first problem with this input, if any.
    pub fn validate(&self) -> Result<ValidUser, DirectoryError> {
        self.validate_all()
            .map_err(|mut problems| problems.swap_remove(0))
    }
}

/// The flat row as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct UserRow {
    pub id: String,
    pub email: String,
    pub firstname: String,
    pub lastname: String,
    pub displayname: String,
    pub employee_type: String,
    pub job_title: String,
    pub employee_identifier: String,
    pub department: String,
    pub company: String,
    pub address_type: String,
    pub street_address: String,
    pub locality: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
    pub phone_type: String,
    pub phone: String,
    pub suspended: bool,
    pub password_expired: bool,
    pub federation_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Group names joined with a unit separator (U+001F).
    pub groups: Option<String>,
}

impl UserRow {
    pub fn input(&self) -> UserInput {
        UserInput {
            email: self.email.clone(),
            firstname: self.firstname.clone(),
            lastname: self.lastname.clone(),
            displayname: self.displayname.clone(),
            employee_type: self.employee_type.clone(),
            job_title: self.job_title.clone(),
            employee_identifier: self.employee_identifier.clone(),
            department: self.department.clone(),
            company: self.company.clone(),
            address: Address {
                kind: self.address_type.clone(),
                street_address: self.street_address.clone(),
                locality: self.locality.clone(),
                region: self.region.clone(),
                postal_code: self.postal_code.clone(),
                country: self.country.clone(),
            },
            phone: Phone {
                kind: self.phone_type.clone(),
                value: self.phone.clone(),
            },
            suspended: self.suspended,
            password_expired: self.password_expired,
            federation_id: self.federation_id.clone(),
        }
    }

    pub fn into_user(self) -> User {
        let f = self.input();
        let mut groups: Vec<String> = self
            .groups
            .as_deref()
            .map(|g| g.split('\u{1f}').map(str::to_owned).collect())
            .unwrap_or_default();
        groups.sort_by_key(|g| g.to_lowercase());
        User {
            id: self.id,
            email: f.email,
            firstname: f.firstname,
            lastname: f.lastname,
            displayname: f.displayname,
            employee_type: f.employee_type,
            job_title: f.job_title,
            employee_identifier: f.employee_identifier,
            department: f.department,
            company: f.company,
            address: f.address,
            phone: f.phone,
            suspended: f.suspended,
            password_expired: f.password_expired,
            federation_id: f.federation_id,
            groups,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// The stored columns a [`UserInput`] sets, in the order [`push_fields`] binds them.
pub(crate) const FIELD_COLUMNS: &str = "email, email_key, firstname, lastname, displayname, employee_type, job_title, employee_identifier, department, company, address_type, street_address, locality, region, postal_code, country, phone_type, phone, suspended, password_expired, federation_id";

const GROUPS_SUBQUERY: &str = "(SELECT group_concat(g.name, char(31)) FROM group_members m JOIN groups g ON g.id = m.group_id WHERE m.user_id = u.id)";

pub(crate) const SELECT: &str = "SELECT u.id, u.email, u.firstname, u.lastname, u.displayname, u.employee_type, u.job_title, u.employee_identifier, u.department, u.company, u.address_type, u.street_address, u.locality, u.region, u.postal_code, u.country, u.phone_type, u.phone, u.suspended, u.password_expired, u.federation_id, u.created_at, u.updated_at,
 (SELECT group_concat(g.name, char(31)) FROM group_members m JOIN groups g ON g.id = m.group_id WHERE m.user_id = u.id) AS groups
 FROM users u";

/// Binds the columns of [`FIELD_COLUMNS`] (21 values) into a VALUES tuple.
pub(crate) fn push_fields<'a>(
    row: &mut sqlx::query_builder::Separated<'_, 'a, Sqlite, &'static str>,
    u: &'a ValidUser,
) {
    let f = &u.fields;
    row.push_bind(f.email.as_str())
        .push_bind(u.email_key.as_str())
        .push_bind(f.firstname.as_str())
        .push_bind(f.lastname.as_str())
        .push_bind(f.displayname.as_str())
        .push_bind(f.employee_type.as_str())
        .push_bind(f.job_title.as_str())
        .push_bind(f.employee_identifier.as_str())
        .push_bind(f.department.as_str())
        .push_bind(f.company.as_str())
        .push_bind(f.address.kind.as_str())
        .push_bind(f.address.street_address.as_str())
        .push_bind(f.address.locality.as_str())
        .push_bind(f.address.region.as_str())
        .push_bind(f.address.postal_code.as_str())
        .push_bind(f.address.country.as_str())
        .push_bind(f.phone.kind.as_str())
        .push_bind(f.phone.value.as_str())
        .push_bind(f.suspended)
        .push_bind(f.password_expired)
        .push_bind(f.federation_id.as_deref());
}

/// Maps a unique violation on `users` to the field that clashed.
pub(crate) fn clash(e: sqlx::Error, u: &ValidUser) -> DirectoryError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            if db.message().contains("federation_id") {
                DirectoryError::FederationIdTaken(
                    u.fields.federation_id.clone().unwrap_or_default(),
                )
            } else {
                DirectoryError::EmailTaken(u.fields.email.clone())
            }
        }
        _ => e.into(),
    }
}

/// Rows per multi-row INSERT (24 parameters each).
pub(crate) const BATCH: usize = 1000;

/// Inserts users (new ids) and records `user_created` for each. Returns the new ids in order.
///
/// Ids are time-ordered (UUID v7), so the indexes keyed by user id (the users' own, group
/// memberships, links, the change feed's) grow at their end instead of taking each new id at a
/// random page: bench_import's 50,000-user import went from 6.0-6.4 s to 3.9-5.3 s, and SQLite's
/// statement journal from 26,000 writes to 12,500 (10,000 users). An id tells when its user was
/// made, which `created_at` already says; nothing relies on ids being unguessable.
pub async fn insert_many(
    conn: &mut SqliteConnection,
    users: &[ValidUser],
    now: DateTime<Utc>,
) -> Result<Vec<String>, DirectoryError> {
    let ids: Vec<String> = users
        .iter()
        .map(|_| uuid::Uuid::now_v7().to_string())
        .collect();
    for (chunk, chunk_ids) in users.chunks(BATCH).zip(ids.chunks(BATCH)) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
            "INSERT INTO users (id, {FIELD_COLUMNS}, created_at, updated_at) "
        ));
        q.push_values(chunk.iter().zip(chunk_ids), |mut row, (u, id)| {
            row.push_bind(id.as_str());
            push_fields(&mut row, u);
            row.push_bind(now).push_bind(now);
        });
        if let Err(e) = q.build().execute(&mut *conn).await {
            // Name the row that clashed when there is only one; a batch says which kind.
            return Err(clash(e, &chunk[0]));
        }
    }
    let feed: Vec<Change> = users
        .iter()
        .zip(&ids)
        .map(|(u, id)| Change::user(ChangeKind::UserCreated, id, &u.fields.email))
        .collect();
    changes::record(conn, now, &feed).await?;
    Ok(ids)
}

/// Rewrites every field of existing users (by id) and records `user_updated` for each.
pub async fn update_many(
    conn: &mut SqliteConnection,
    users: &[(String, ValidUser)],
    now: DateTime<Utc>,
) -> Result<(), DirectoryError> {
    for chunk in users.chunks(BATCH) {
        // An upsert on the primary key updates in one statement per batch.
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
            "INSERT INTO users (id, {FIELD_COLUMNS}, created_at, updated_at) "
        ));
        q.push_values(chunk, |mut row, (id, u)| {
            row.push_bind(id.as_str());
            push_fields(&mut row, u);
            row.push_bind(now).push_bind(now);
        });
        q.push(
            " ON CONFLICT (id) DO UPDATE SET email = excluded.email, email_key = excluded.email_key, firstname = excluded.firstname, lastname = excluded.lastname, displayname = excluded.displayname, employee_type = excluded.employee_type, job_title = excluded.job_title, employee_identifier = excluded.employee_identifier, department = excluded.department, company = excluded.company, address_type = excluded.address_type, street_address = excluded.street_address, locality = excluded.locality, region = excluded.region, postal_code = excluded.postal_code, country = excluded.country, phone_type = excluded.phone_type, phone = excluded.phone, suspended = excluded.suspended, password_expired = excluded.password_expired, federation_id = excluded.federation_id, updated_at = excluded.updated_at",
        );
        if let Err(e) = q.build().execute(&mut *conn).await {
            return Err(clash(e, &chunk[0].1));
        }
    }
    let feed: Vec<Change> = users
        .iter()
        .map(|(id, u)| Change::user(ChangeKind::UserUpdated, id, &u.fields.email))
        .collect();
    changes::record(conn, now, &feed).await
}

pub async fn list(pool: &SqlitePool, group_key: Option<&str>) -> Result<Vec<User>, DirectoryError> {
    // Group names come from one query joined here, not a subquery per user: ~4x faster at 100k.
    let bare = SELECT.replace(GROUPS_SUBQUERY, "NULL");
    let rows = match group_key {
        None => {
            sqlx::query_as::<_, UserRow>(&format!("{bare} ORDER BY u.email_key"))
                .fetch_all(pool)
                .await?
        }
        Some(key) => {
            sqlx::query_as::<_, UserRow>(&format!(
                "{bare} WHERE u.id IN (SELECT m.user_id FROM group_members m JOIN groups g ON g.id = m.group_id WHERE g.name_key = ?) ORDER BY u.email_key"
            ))
            .bind(key)
            .fetch_all(pool)
            .await?
        }
    };
    let pairs: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.user_id, g.name FROM group_members m JOIN groups g ON g.id = m.group_id",
    )
    .fetch_all(pool)
    .await?;
    let mut by_user: std::collections::HashMap<String, Vec<String>> =
        std::collections::HashMap::new();
    for (user_id, name) in pairs {
        by_user.entry(user_id).or_default().push(name);
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let groups = by_user.remove(&row.id);
            let mut user = row.into_user();
            if let Some(mut groups) = groups {
                groups.sort_by_key(|g| g.to_lowercase());
                user.groups = groups;
            }
            user
        })
        .collect())
}

/// Every stored row, for the CSV import's comparison (no group names).
pub(crate) async fn all_rows(conn: &mut SqliteConnection) -> Result<Vec<UserRow>, DirectoryError> {
    Ok(sqlx::query_as::<_, UserRow>(&format!(
        "{} ORDER BY u.email_key",
        SELECT.replace(GROUPS_SUBQUERY, "NULL")
    ))
    .fetch_all(conn)
    .await?)
}

/// A user by id, or by email when `reference` contains an @.
pub async fn get(conn: &mut SqliteConnection, reference: &str) -> Result<User, DirectoryError> {
    let reference = reference.trim();
    let row = if reference.contains('@') {
        sqlx::query_as::<_, UserRow>(&format!("{SELECT} WHERE u.email_key = ?"))
            .bind(email_key(reference))
            .fetch_optional(conn)
            .await?
    } else {
        sqlx::query_as::<_, UserRow>(&format!("{SELECT} WHERE u.id = ?"))
            .bind(reference)
            .fetch_optional(conn)
            .await?
    };
    row.map(UserRow::into_user)
        .ok_or_else(|| DirectoryError::UserNotFound(reference.to_owned()))
}

/// Resolves many references (ids or emails) to users; fails naming the first unknown one.
pub async fn resolve(
    conn: &mut SqliteConnection,
    references: &[String],
) -> Result<Vec<User>, DirectoryError> {
    if references.is_empty() {
        return Err(DirectoryError::NothingGiven);
    }
    let mut users = Vec::with_capacity(references.len());
    for r in references {
        let user = get(&mut *conn, r).await?;
        if !users.iter().any(|u: &User| u.id == user.id) {
            users.push(user);
        }
    }
    Ok(users)
}

pub async fn delete(
    conn: &mut SqliteConnection,
    users: &[User],
    now: DateTime<Utc>,
) -> Result<(), DirectoryError> {
    for u in users {
        sqlx::query("DELETE FROM users WHERE id = ?")
            .bind(&u.id)
            .execute(&mut *conn)
            .await?;
    }
    let feed: Vec<Change> = users
        .iter()
        .map(|u| Change::user(ChangeKind::UserDeleted, &u.id, &u.email))
        .collect();
    changes::record(conn, now, &feed).await
}

/// Suspends or unsuspends users; those already in that state are left alone (and not recorded).
/// Returns how many changed.
pub async fn set_suspended(
    conn: &mut SqliteConnection,
    users: &[User],
    suspended: bool,
    now: DateTime<Utc>,
) -> Result<u32, DirectoryError> {
    let kind = if suspended {
        ChangeKind::UserSuspended
    } else {
        ChangeKind::UserUnsuspended
    };
    let mut feed = Vec::new();
    for u in users.iter().filter(|u| u.suspended != suspended) {
        sqlx::query("UPDATE users SET suspended = ?, updated_at = ? WHERE id = ?")
            .bind(suspended)
            .bind(now)
            .bind(&u.id)
            .execute(&mut *conn)
            .await?;
        feed.push(Change::user(kind, &u.id, &u.email));
    }
    changes::record(conn, now, &feed).await?;
    Ok(u32::try_from(feed.len()).unwrap_or(u32::MAX))
}
