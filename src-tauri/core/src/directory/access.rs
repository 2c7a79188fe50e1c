//! Who is authorized for an application: the members of the groups bound to it, each once, with
//! their state. The one query SAML responses, the Federation ID file and provisioning all use.
//! Suspended and password-expired users are returned too (provisioning deactivates them; SAML
//! refuses them): callers decide with [`AuthorizedUser::can_sign_in`].

use super::users::{Address, Phone};
use serde::Serialize;
use sqlx::FromRow;

/// An authorized user's row: every field the directory keeps, and the state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AuthorizedUser {
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
    #[sqlx(flatten)]
    pub address: Address,
    #[sqlx(flatten)]
    pub phone: Phone,
    pub suspended: bool,
    pub password_expired: bool,
    pub federation_id: Option<String>,
}

impl AuthorizedUser {
    /// Whether this user may sign in now (and is active in the target).
    pub fn can_sign_in(&self) -> bool {
        !self.suspended && !self.password_expired
    }

    /// The value of a directory field by its SAML attribute-source name.
    pub fn field(&self, source: &str) -> Option<&str> {
        let v = match source {
            "email" => self.email.as_str(),
            "firstname" => &self.firstname,
            "lastname" => &self.lastname,
            "displayname" => &self.displayname,
            "federation_id" => self.federation_id.as_deref().unwrap_or(""),
            "job_title" => &self.job_title,
            "department" => &self.department,
            "company" => &self.company,
            "employee_identifier" => &self.employee_identifier,
            "phone" => &self.phone.value,
            _ => "",
        };
        (!v.is_empty()).then_some(v)
    }
}

/// The rule: members of a group bound to the application (`?`).
const AUTHORIZED: &str = "FROM users u
     WHERE u.id IN (SELECT m.user_id FROM group_members m
                    JOIN app_group_bindings b ON b.group_id = m.group_id WHERE b.app_id = ?)";

const COLUMNS: &str =
    "SELECT u.id, u.email, u.firstname, u.lastname, u.displayname, u.employee_type,
     u.job_title, u.employee_identifier, u.department, u.company,
     u.address_type, u.street_address, u.locality, u.region, u.postal_code, u.country,
     u.phone_type, u.phone, u.suspended, u.password_expired, u.federation_id";

/// Every user authorized for the application (by id), ordered by email; no row limit.
pub async fn authorized_users<'e, E>(db: E, app_id: &str) -> sqlx::Result<Vec<AuthorizedUser>>
where
    E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
{
    sqlx::query_as::<_, AuthorizedUser>(&format!("{COLUMNS} {AUTHORIZED} ORDER BY u.email_key"))
        .bind(app_id)
        .fetch_all(db)
        .await
}

/// The ids of every user authorized for the application (what a scope check needs, without
/// reading every field).
pub async fn authorized_ids<'e, E>(db: E, app_id: &str) -> sqlx::Result<Vec<String>>
where
    E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
{
    sqlx::query_scalar::<_, String>(&format!("SELECT u.id {AUTHORIZED}"))
        .bind(app_id)
        .fetch_all(db)
        .await
}

/// The user with this email, if authorized for the application (whatever their state).
pub async fn authorized_user<'e, E>(
    db: E,
    app_id: &str,
    email: &str,
) -> sqlx::Result<Option<AuthorizedUser>>
where
    E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
{
    sqlx::query_as::<_, AuthorizedUser>(&format!("{COLUMNS} {AUTHORIZED} AND u.email_key = ?"))
        .bind(app_id)
        .bind(super::email_key(email))
        .fetch_optional(db)
        .await
}
