//! The link table: which remote resource each directory user and group is, and what was last
//! pushed to it (its managed attributes and their hash; a group's members).

use super::mapping::{self, Managed};
use super::ProvisioningError;
use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, PartialEq)]
pub struct UserLink {
    pub user_id: String,
    pub remote_id: String,
    pub user_name: String,
    pub pushed: Managed,
    pub pushed_hash: String,
    pub active: bool,
}

impl UserLink {
    pub fn new(user_id: &str, remote_id: &str, pushed: Managed) -> Self {
        Self {
            user_id: user_id.to_owned(),
            remote_id: remote_id.to_owned(),
            user_name: pushed.user_name.clone(),
            pushed_hash: mapping::hash(&pushed),
            active: pushed.active,
            pushed,
        }
    }
}

type LinkRow = (String, String, String, String, String, bool);

/// Every user link of an application, by directory user id.
pub async fn user_links(
    conn: &mut SqliteConnection,
    app_id: &str,
) -> Result<HashMap<String, UserLink>, ProvisioningError> {
    let rows: Vec<LinkRow> = sqlx::query_as(
        "SELECT user_id, remote_id, user_name, pushed, pushed_hash, active FROM scim_user_links WHERE app_id = ?",
    )
    .bind(app_id)
    .fetch_all(conn)
    .await?;
    Ok(rows_to_links(rows))
}

/// The remote id of every linked directory user of an application, by directory user id (what
/// the import checks, without reading what was pushed).
pub async fn remote_ids(
    conn: &mut SqliteConnection,
    app_id: &str,
) -> Result<HashMap<String, String>, ProvisioningError> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT user_id, remote_id FROM scim_user_links WHERE app_id = ?")
            .bind(app_id)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().collect())
}

/// The links of one directory user (by id) or of one userName: what a push of one user on
/// demand needs, without reading every link.
pub async fn user_links_of(
    conn: &mut SqliteConnection,
    app_id: &str,
    user_id: Option<&str>,
    user_name: &str,
) -> Result<HashMap<String, UserLink>, ProvisioningError> {
    let rows: Vec<LinkRow> = sqlx::query_as(
        "SELECT user_id, remote_id, user_name, pushed, pushed_hash, active FROM scim_user_links
         WHERE app_id = ? AND (user_id = ? OR user_name = ?)",
    )
    .bind(app_id)
    .bind(user_id)
    .bind(user_name)
    .fetch_all(conn)
    .await?;
    Ok(rows_to_links(rows))
}

fn rows_to_links(rows: Vec<LinkRow>) -> HashMap<String, UserLink> {
    let mut out = HashMap::with_capacity(rows.len());
    for (user_id, remote_id, user_name, pushed, pushed_hash, active) in rows {
        // A row whose JSON no longer reads (never expected) pushes everything again.
        let pushed: Managed = serde_json::from_str(&pushed).unwrap_or_default();
        out.insert(
            user_id.clone(),
            UserLink {
                user_id,
                remote_id,
                user_name,
                pushed,
                pushed_hash,
                active,
            },
        );
    }
    out
}

/// Writes links (new or replaced) in batches.
pub async fn upsert_user_links(
    conn: &mut SqliteConnection,
    app_id: &str,
    links: &[UserLink],
    now: DateTime<Utc>,
) -> Result<(), ProvisioningError> {
    for chunk in links.chunks(500) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO scim_user_links (app_id, user_id, remote_id, user_name, pushed, pushed_hash, active, updated_at) ",
        );
        q.push_values(chunk, |mut row, l| {
            row.push_bind(app_id)
                .push_bind(l.user_id.as_str())
                .push_bind(l.remote_id.as_str())
                .push_bind(l.user_name.as_str())
                .push_bind(serde_json::to_string(&l.pushed).unwrap_or_default())
                .push_bind(l.pushed_hash.as_str())
                .push_bind(l.active)
                .push_bind(now);
        });
        q.push(
            " ON CONFLICT (app_id, user_id) DO UPDATE SET remote_id = excluded.remote_id,
              user_name = excluded.user_name, pushed = excluded.pushed,
              pushed_hash = excluded.pushed_hash, active = excluded.active,
              updated_at = excluded.updated_at",
        );
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Forgets a user's link (after a remote delete, or when another directory user takes the
/// remote user over: the caller unlinks the old one before linking the new one).
pub async fn delete_user_link(
    conn: &mut SqliteConnection,
    app_id: &str,
    user_id: &str,
) -> Result<(), ProvisioningError> {
    sqlx::query("DELETE FROM scim_user_links WHERE app_id = ? AND user_id = ?")
        .bind(app_id)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM scim_group_members WHERE app_id = ? AND user_id = ?")
        .bind(app_id)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupLink {
    pub group_id: String,
    pub remote_id: String,
    pub display_name: String,
    /// Lanyard created the remote group (so it may delete it); false: found by name.
    pub created: bool,
}

pub async fn group_links(
    conn: &mut SqliteConnection,
    app_id: &str,
) -> Result<HashMap<String, GroupLink>, ProvisioningError> {
    let rows: Vec<(String, String, String, bool)> = sqlx::query_as(
        "SELECT group_id, remote_id, display_name, created FROM scim_group_links WHERE app_id = ?",
    )
    .bind(app_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(group_id, remote_id, display_name, created)| {
            (
                group_id.clone(),
                GroupLink {
                    group_id,
                    remote_id,
                    display_name,
                    created,
                },
            )
        })
        .collect())
}

pub async fn upsert_group_link(
    conn: &mut SqliteConnection,
    app_id: &str,
    l: &GroupLink,
    now: DateTime<Utc>,
) -> Result<(), ProvisioningError> {
    sqlx::query(
        "INSERT INTO scim_group_links (app_id, group_id, remote_id, display_name, created, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (app_id, group_id) DO UPDATE SET remote_id = excluded.remote_id,
           display_name = excluded.display_name, updated_at = excluded.updated_at",
    )
    .bind(app_id)
    .bind(&l.group_id)
    .bind(&l.remote_id)
    .bind(&l.display_name)
    .bind(l.created)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets a group's link and its pushed members.
pub async fn delete_group_link(
    conn: &mut SqliteConnection,
    app_id: &str,
    group_id: &str,
) -> Result<(), ProvisioningError> {
    sqlx::query("DELETE FROM scim_group_links WHERE app_id = ? AND group_id = ?")
        .bind(app_id)
        .bind(group_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM scim_group_members WHERE app_id = ? AND group_id = ?")
        .bind(app_id)
        .bind(group_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Appends `<column> IN (?, …)` (false for no ids) to a query.
pub fn push_in(q: &mut QueryBuilder<'_, Sqlite>, column: &str, ids: &[String]) {
    if ids.is_empty() {
        q.push(" AND 0");
        return;
    }
    q.push(column).push(" IN (");
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(id.clone());
    }
    q.push(")");
}

/// The members last pushed to each group, by group id (with `only`: just those users).
pub async fn pushed_members(
    conn: &mut SqliteConnection,
    app_id: &str,
    only: Option<&[String]>,
) -> Result<HashMap<String, HashSet<String>>, ProvisioningError> {
    let mut q: QueryBuilder<Sqlite> =
        QueryBuilder::new("SELECT group_id, user_id FROM scim_group_members WHERE app_id = ");
    q.push_bind(app_id.to_owned());
    if let Some(ids) = only {
        push_in(&mut q, " AND user_id", ids);
    }
    let rows: Vec<(String, String)> = q.build_query_as().fetch_all(conn).await?;
    let mut out: HashMap<String, HashSet<String>> = HashMap::new();
    for (g, u) in rows {
        out.entry(g).or_default().insert(u);
    }
    Ok(out)
}

/// Records a membership change that the target accepted.
pub async fn apply_members(
    conn: &mut SqliteConnection,
    app_id: &str,
    group_id: &str,
    added: &[String],
    removed: &[String],
) -> Result<(), ProvisioningError> {
    for chunk in added.chunks(500) {
        let mut q: QueryBuilder<Sqlite> =
            QueryBuilder::new("INSERT INTO scim_group_members (app_id, group_id, user_id) ");
        q.push_values(chunk, |mut row, u| {
            row.push_bind(app_id)
                .push_bind(group_id)
                .push_bind(u.as_str());
        });
        q.push(" ON CONFLICT DO NOTHING");
        q.build().execute(&mut *conn).await?;
    }
    for u in removed {
        sqlx::query(
            "DELETE FROM scim_group_members WHERE app_id = ? AND group_id = ? AND user_id = ?",
        )
        .bind(app_id)
        .bind(group_id)
        .bind(u)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
