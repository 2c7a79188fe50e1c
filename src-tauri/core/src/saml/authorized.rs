//! Who may sign in to an application: active directory users who belong to a group bound to it.

use serde::Serialize;
use sqlx::{FromRow, SqlitePool};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AuthorizedUser {
    pub email: String,
    pub displayname: String,
    pub firstname: String,
    pub lastname: String,
    pub federation_id: Option<String>,
    pub job_title: String,
    pub department: String,
    pub company: String,
    pub employee_identifier: String,
    pub phone: String,
}

impl AuthorizedUser {
    /// The value of a directory field by its attribute-source name.
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
            "phone" => &self.phone,
            _ => "",
        };
        (!v.is_empty()).then_some(v)
    }
}

const AUTHORIZED: &str = "SELECT u.email, u.displayname, u.firstname, u.lastname, u.federation_id, u.job_title,
     u.department, u.company, u.employee_identifier, u.phone FROM users u
     WHERE u.suspended = 0 AND u.id IN (
        SELECT m.user_id FROM group_members m JOIN app_group_bindings b ON b.group_id = m.group_id WHERE b.app_id = ?)";

pub async fn authorized_users(
    pool: &SqlitePool,
    app_id: &str,
) -> sqlx::Result<Vec<AuthorizedUser>> {
    sqlx::query_as::<_, AuthorizedUser>(&format!("{AUTHORIZED} ORDER BY u.email_key LIMIT 500"))
        .bind(app_id)
        .fetch_all(pool)
        .await
}

/// The user, if authorized for the application.
pub async fn authorized_user(
    pool: &SqlitePool,
    app_id: &str,
    email: &str,
) -> sqlx::Result<Option<AuthorizedUser>> {
    sqlx::query_as::<_, AuthorizedUser>(&format!("{AUTHORIZED} AND u.email_key = ?"))
        .bind(app_id)
        .bind(email.to_lowercase())
        .fetch_optional(pool)
        .await
}
