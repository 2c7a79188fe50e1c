//! Groups, their members, and application bindings: a group bound to an application authorizes
//! its members for that application.

use super::changes::{self, Change, ChangeKind};
use super::users::User;
use super::{group_key, validate, DirectoryError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{SqliteConnection, SqlitePool};

const DESCRIPTION_MAX: usize = 1000;

/// A group as every face shows it. Field names are stable (`--json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Group {
    pub id: String,
    pub name: String,
    pub description: String,
    pub member_count: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a person gives to create or edit a group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct GroupInput {
    pub name: String,
    pub description: String,
}

/// One group as seen from an application: `bound` = its members are authorized for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AppGroupAccess {
    pub group_id: String,
    pub name: String,
    pub description: String,
    pub member_count: u32,
    pub bound: bool,
}

impl GroupInput {
    pub fn validate(&self) -> Result<GroupInput, DirectoryError> {
        Ok(GroupInput {
            name: validate::group_name(&self.name)?,
            description: validate::text("description", &self.description, DESCRIPTION_MAX)?,
        })
    }
}

const SELECT: &str = "SELECT g.id, g.name, g.description,
  (SELECT count(*) FROM group_members m WHERE m.group_id = g.id) AS member_count,
  g.created_at, g.updated_at FROM groups g";

fn taken(e: sqlx::Error, name: &str) -> DirectoryError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            DirectoryError::GroupNameTaken(name.to_owned())
        }
        _ => e.into(),
    }
}

pub async fn list(pool: &SqlitePool) -> Result<Vec<Group>, DirectoryError> {
    Ok(
        sqlx::query_as::<_, Group>(&format!("{SELECT} ORDER BY g.name_key"))
            .fetch_all(pool)
            .await?,
    )
}

/// A group by name (any case) or id.
pub async fn get(conn: &mut SqliteConnection, reference: &str) -> Result<Group, DirectoryError> {
    sqlx::query_as::<_, Group>(&format!("{SELECT} WHERE g.name_key = ? OR g.id = ?"))
        .bind(group_key(reference))
        .bind(reference.trim())
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| DirectoryError::GroupNotFound(reference.trim().to_owned()))
}

pub async fn create(
    conn: &mut SqliteConnection,
    input: &GroupInput,
    now: DateTime<Utc>,
) -> Result<Group, DirectoryError> {
    let valid = input.validate()?;
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query(
        "INSERT INTO groups (id, name, name_key, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(&valid.name)
    .bind(group_key(&valid.name))
    .bind(&valid.description)
    .bind(now)
    .bind(now)
    .execute(&mut *conn)
    .await
    .map_err(|e| taken(e, &valid.name))?;
    changes::record(
        &mut *conn,
        now,
        &[Change::group(ChangeKind::GroupCreated, &id, &valid.name)],
    )
    .await?;
    get(conn, &id).await
}

/// Creates the groups among `names` that do not exist yet; returns (name key → id) for all of
/// them and how many were created.
pub(crate) async fn ensure(
    conn: &mut SqliteConnection,
    names: &[String],
    now: DateTime<Utc>,
) -> Result<(std::collections::HashMap<String, String>, usize), DirectoryError> {
    let mut ids = existing_ids(&mut *conn).await?;
    let mut created = 0;
    for name in names {
        if ids.contains_key(&group_key(name)) {
            continue;
        }
        let group = create(
            &mut *conn,
            &GroupInput {
                name: name.clone(),
                description: String::new(),
            },
            now,
        )
        .await?;
        ids.insert(group_key(&group.name), group.id);
        created += 1;
    }
    Ok((ids, created))
}

/// Every group's (name key → id).
pub(crate) async fn existing_ids(
    conn: &mut SqliteConnection,
) -> Result<std::collections::HashMap<String, String>, DirectoryError> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT name_key, id FROM groups")
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

pub async fn update(
    conn: &mut SqliteConnection,
    reference: &str,
    input: &GroupInput,
    now: DateTime<Utc>,
) -> Result<Group, DirectoryError> {
    let group = get(&mut *conn, reference).await?;
    let valid = input.validate()?;
    sqlx::query(
        "UPDATE groups SET name = ?, name_key = ?, description = ?, updated_at = ? WHERE id = ?",
    )
    .bind(&valid.name)
    .bind(group_key(&valid.name))
    .bind(&valid.description)
    .bind(now)
    .bind(&group.id)
    .execute(&mut *conn)
    .await
    .map_err(|e| taken(e, &valid.name))?;
    changes::record(
        &mut *conn,
        now,
        &[Change::group(
            ChangeKind::GroupUpdated,
            &group.id,
            &valid.name,
        )],
    )
    .await?;
    get(conn, &group.id).await
}

/// Deletes a group; its memberships and bindings go with it, each recorded in the feed.
pub async fn delete(
    conn: &mut SqliteConnection,
    reference: &str,
    now: DateTime<Utc>,
) -> Result<(), DirectoryError> {
    let group = get(&mut *conn, reference).await?;
    let members: Vec<(String, String)> = sqlx::query_as(
        "SELECT u.id, u.email FROM group_members m JOIN users u ON u.id = m.user_id WHERE m.group_id = ?",
    )
    .bind(&group.id)
    .fetch_all(&mut *conn)
    .await?;
    let apps: Vec<(String,)> =
        sqlx::query_as("SELECT app_id FROM app_group_bindings WHERE group_id = ?")
            .bind(&group.id)
            .fetch_all(&mut *conn)
            .await?;
    sqlx::query("DELETE FROM groups WHERE id = ?")
        .bind(&group.id)
        .execute(&mut *conn)
        .await?;
    let mut feed: Vec<Change> = members
        .iter()
        .map(|(uid, email)| Change::member(ChangeKind::MemberRemoved, &group.id, uid, email))
        .collect();
    feed.extend(
        apps.iter()
            .map(|(app,)| Change::binding(ChangeKind::BindingRemoved, app, &group.id, &group.name)),
    );
    feed.push(Change::group(
        ChangeKind::GroupDeleted,
        &group.id,
        &group.name,
    ));
    changes::record(conn, now, &feed).await
}

/// Adds users to a group; those already in it are left alone. Returns how many were added.
pub async fn add_members(
    conn: &mut SqliteConnection,
    group: &Group,
    users: &[User],
    now: DateTime<Utc>,
) -> Result<u32, DirectoryError> {
    let mut feed = Vec::new();
    for u in users {
        let done = sqlx::query(
            "INSERT INTO group_members (group_id, user_id, added_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(&group.id)
        .bind(&u.id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        if done.rows_affected() > 0 {
            feed.push(Change::member(
                ChangeKind::MemberAdded,
                &group.id,
                &u.id,
                &u.email,
            ));
        }
    }
    changes::record(conn, now, &feed).await?;
    Ok(u32::try_from(feed.len()).unwrap_or(u32::MAX))
}

/// Removes users from a group; those not in it are left alone. Returns how many were removed.
pub async fn remove_members(
    conn: &mut SqliteConnection,
    group: &Group,
    users: &[User],
    now: DateTime<Utc>,
) -> Result<u32, DirectoryError> {
    let mut feed = Vec::new();
    for u in users {
        let done = sqlx::query("DELETE FROM group_members WHERE group_id = ? AND user_id = ?")
            .bind(&group.id)
            .bind(&u.id)
            .execute(&mut *conn)
            .await?;
        if done.rows_affected() > 0 {
            feed.push(Change::member(
                ChangeKind::MemberRemoved,
                &group.id,
                &u.id,
                &u.email,
            ));
        }
    }
    changes::record(conn, now, &feed).await?;
    Ok(u32::try_from(feed.len()).unwrap_or(u32::MAX))
}

/// The id of the application named `name`.
pub(crate) async fn app_id(
    conn: &mut SqliteConnection,
    name: &str,
) -> Result<String, DirectoryError> {
    sqlx::query_scalar::<_, String>("SELECT id FROM applications WHERE name = ?")
        .bind(name.trim())
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| DirectoryError::AppNotFound(name.trim().to_owned()))
}

/// Binds (`bound` = true) or unbinds a group and an application. Returns whether anything changed.
pub async fn set_binding(
    conn: &mut SqliteConnection,
    app: &str,
    group_ref: &str,
    bound: bool,
    now: DateTime<Utc>,
) -> Result<bool, DirectoryError> {
    let app_id = app_id(&mut *conn, app).await?;
    let group = get(&mut *conn, group_ref).await?;
    let done = if bound {
        sqlx::query(
            "INSERT INTO app_group_bindings (app_id, group_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(&app_id)
        .bind(&group.id)
        .bind(now)
        .execute(&mut *conn)
        .await?
    } else {
        sqlx::query("DELETE FROM app_group_bindings WHERE app_id = ? AND group_id = ?")
            .bind(&app_id)
            .bind(&group.id)
            .execute(&mut *conn)
            .await?
    };
    let changed = done.rows_affected() > 0;
    if changed {
        let kind = if bound {
            ChangeKind::BindingAdded
        } else {
            ChangeKind::BindingRemoved
        };
        changes::record(
            conn,
            now,
            &[Change::binding(kind, &app_id, &group.id, &group.name)],
        )
        .await?;
    }
    Ok(changed)
}

/// Every group, with whether it is bound to the application `app`.
pub async fn app_access(
    conn: &mut SqliteConnection,
    app: &str,
) -> Result<Vec<AppGroupAccess>, DirectoryError> {
    let app_id = app_id(&mut *conn, app).await?;
    Ok(sqlx::query_as::<_, AppGroupAccess>(
        "SELECT g.id AS group_id, g.name, g.description,
           (SELECT count(*) FROM group_members m WHERE m.group_id = g.id) AS member_count,
           EXISTS (SELECT 1 FROM app_group_bindings b WHERE b.group_id = g.id AND b.app_id = ?) AS bound
         FROM groups g ORDER BY g.name_key",
    )
    .bind(&app_id)
    .fetch_all(conn)
    .await?)
}
