//! The directory's [`Core`] methods: what the GUI and the CLI call. Each write runs in one
//! transaction together with its change-feed rows. (They live here rather than in core.rs so each
//! area keeps its own facade.)

use super::changes::{self, DirectoryChange};
use super::csv_import::{self, ImportPreview, ImportSummary};
use super::groups::{self, AppGroupAccess, Group, GroupInput};
use super::query::{self, DirectoryFacets, UserPage, UserQuery};
use super::users::{self, User, UserInput};
use super::{csv_export, DirectoryError};
use crate::error::{ApiError, HasCode};
use crate::Core;
use serde::Serialize;

/// The Data Loader file for one application, and how many users it lists.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FederationCsv {
    pub csv: String,
    pub users: u32,
}

/// A change-feed id as the window sees it (u32 crosses IPC as a plain number).
pub fn mark_for_ipc(id: i64) -> u32 {
    u32::try_from(id.max(0)).unwrap_or(u32::MAX)
}

/// SQLite's page cache for an import, and its default (kibibytes).
const IMPORT_CACHE_KIB: i64 = 65_536;
const DEFAULT_CACHE_KIB: i64 = 2_000;

async fn set_cache_kib(conn: &mut sqlx::SqliteConnection, kib: i64) -> Result<(), ApiError> {
    sqlx::query(&format!("PRAGMA cache_size = -{kib}"))
        .execute(conn)
        .await
        .map(|_| ())
        .map_err(|e| api(e.into()))
}

fn api(e: DirectoryError) -> ApiError {
    e.to_api()
}

impl Core {
    async fn tx(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, ApiError> {
        self.store().pool().begin().await.map_err(|e| api(e.into()))
    }

    /// A connection from the pool (the provisioning facade uses it too).
    pub(crate) async fn conn(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Sqlite>, ApiError> {
        self.store()
            .pool()
            .acquire()
            .await
            .map_err(|e| api(e.into()))
    }

    /// Reads ahead what the Directory page asks first (its facets and first page) and what a
    /// first search reads (every user's search text), so neither waits for the disk: the app
    /// runs it in the background at start. Answers how many users there are.
    pub async fn warm_directory(&self) -> Result<u32, ApiError> {
        let facets = self.directory_facets().await?;
        self.query_users(&UserQuery {
            limit: 200,
            ..Default::default()
        })
        .await?;
        let mut conn = self.conn().await?;
        // `+text` keeps SQLite on the table itself, not the trigram index.
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM users_search WHERE +text LIKE '%@%'")
            .fetch_one(&mut *conn)
            .await
            .map_err(|e| api(e.into()))?;
        Ok(facets.users)
    }

    /// One page of users: searched, filtered and sorted by SQLite (the users table's source).
    /// `limit` is capped at [`query::MAX_PAGE`]. Counts and rows are read in one transaction so
    /// they agree; the change-feed mark is read first (a change racing the read is heard of again, never missed).
    pub async fn query_users(&self, q: &UserQuery) -> Result<UserPage, ApiError> {
        let mut tx = self.tx().await?;
        let mark = changes::latest_id(&mut *tx).await.map_err(api)?;
        let all = query::count_all(&mut tx).await.map_err(api)?;
        let terms = query::plan_search(&mut tx, &q.search, all)
            .await
            .map_err(api)?;
        let total = query::count_matching(&mut tx, q, &terms)
            .await
            .map_err(api)?;
        let rows = query::page(&mut tx, q, &terms, total, all)
            .await
            .map_err(api)?;
        tx.rollback().await.map_err(|e| api(e.into()))?;
        Ok(UserPage {
            mark: mark_for_ipc(mark),
            total,
            all,
            offset: q.offset,
            rows,
        })
    }

    /// The ids of every user matching `q` (offset and limit ignored), in its order.
    pub async fn query_user_ids(&self, q: &UserQuery) -> Result<Vec<String>, ApiError> {
        let mut conn = self.conn().await?;
        query::ids(&mut conn, q).await.map_err(api)
    }

    /// What the users table's filters offer, and how many users there are: small, so the window
    /// loads it instead of the whole directory.
    pub async fn directory_facets(&self) -> Result<DirectoryFacets, ApiError> {
        let mark = self.directory_change_mark().await?;
        let mut conn = self.conn().await?;
        let users = query::count_all(&mut conn).await.map_err(api)?;
        let departments = query::departments(&mut conn).await.map_err(api)?;
        drop(conn);
        Ok(DirectoryFacets {
            mark: mark_for_ipc(mark),
            users,
            departments,
            groups: self.list_groups().await?,
        })
    }

    /// Users sorted by email; only the members of `group` when given.
    pub async fn list_users(&self, group: Option<&str>) -> Result<Vec<User>, ApiError> {
        let key = match group {
            Some(g) => {
                let mut conn = self.conn().await?;
                let group = groups::get(&mut conn, g).await.map_err(api)?;
                Some(super::group_key(&group.name))
            }
            None => None,
        };
        users::list(self.store().pool(), key.as_deref())
            .await
            .map_err(api)
    }

    /// A user by id, or by email (any case).
    pub async fn get_user(&self, reference: &str) -> Result<User, ApiError> {
        let mut conn = self.conn().await?;
        users::get(&mut conn, reference).await.map_err(api)
    }

    pub async fn create_user(&self, input: UserInput) -> Result<User, ApiError> {
        let valid = input.validate().map_err(api)?;
        let mut tx = self.tx().await?;
        let ids = match users::insert_many(&mut tx, std::slice::from_ref(&valid), self.now()).await
        {
            Ok(ids) => ids,
            Err(e) => {
                // Rolled back here, not when dropped: the write lock is gone before the caller's
                // next write (a dropped transaction's rollback runs later, on its connection).
                let _ = tx.rollback().await;
                return Err(api(e));
            }
        };
        tx.commit().await.map_err(|e| api(e.into()))?;
        let id = ids.first().cloned().unwrap_or_default();
        self.get_user(&id).await
    }

    /// Replaces every field of the user `reference` (id or email) with `input`.
    pub async fn update_user(&self, reference: &str, input: UserInput) -> Result<User, ApiError> {
        let valid = input.validate().map_err(api)?;
        let mut tx = self.tx().await?;
        let user = users::get(&mut tx, reference).await.map_err(api)?;
        let unchanged = user.to_input() == valid.fields;
        if !unchanged {
            if let Err(e) =
                users::update_many(&mut tx, &[(user.id.clone(), valid)], self.now()).await
            {
                let _ = tx.rollback().await;
                return Err(api(e));
            }
            tx.commit().await.map_err(|e| api(e.into()))?;
        }
        self.get_user(&user.id).await
    }

    /// Deletes users (ids or emails); all are found first, so an unknown one deletes nothing.
    pub async fn delete_users(&self, references: &[String]) -> Result<u32, ApiError> {
        let mut tx = self.tx().await?;
        let found = users::resolve(&mut tx, references).await.map_err(api)?;
        users::delete(&mut tx, &found, self.now())
            .await
            .map_err(api)?;
        tx.commit().await.map_err(|e| api(e.into()))?;
        Ok(u32::try_from(found.len()).unwrap_or(u32::MAX))
    }

    /// Suspends or unsuspends users (ids or emails). Returns how many changed state.
    pub async fn set_users_suspended(
        &self,
        references: &[String],
        suspended: bool,
    ) -> Result<u32, ApiError> {
        let mut tx = self.tx().await?;
        let found = users::resolve(&mut tx, references).await.map_err(api)?;
        let changed = users::set_suspended(&mut tx, &found, suspended, self.now())
            .await
            .map_err(api)?;
        tx.commit().await.map_err(|e| api(e.into()))?;
        Ok(changed)
    }

    pub async fn list_groups(&self) -> Result<Vec<Group>, ApiError> {
        groups::list(self.store().pool()).await.map_err(api)
    }

    pub async fn create_group(&self, input: GroupInput) -> Result<Group, ApiError> {
        let mut tx = self.tx().await?;
        let group = groups::create(&mut tx, &input, self.now())
            .await
            .map_err(api)?;
        tx.commit().await.map_err(|e| api(e.into()))?;
        Ok(group)
    }

    /// Renames or re-describes the group `reference` (name or id).
    pub async fn update_group(
        &self,
        reference: &str,
        input: GroupInput,
    ) -> Result<Group, ApiError> {
        let mut tx = self.tx().await?;
        let group = groups::update(&mut tx, reference, &input, self.now())
            .await
            .map_err(api)?;
        tx.commit().await.map_err(|e| api(e.into()))?;
        Ok(group)
    }

    pub async fn delete_group(&self, reference: &str) -> Result<(), ApiError> {
        let mut tx = self.tx().await?;
        groups::delete(&mut tx, reference, self.now())
            .await
            .map_err(api)?;
        tx.commit().await.map_err(|e| api(e.into()))
    }

    /// Adds users (ids or emails) to a group; all must exist. Returns how many were added.
    pub async fn add_group_members(&self, group: &str, users: &[String]) -> Result<u32, ApiError> {
        let mut tx = self.tx().await?;
        let group = groups::get(&mut tx, group).await.map_err(api)?;
        let found = users::resolve(&mut tx, users).await.map_err(api)?;
        let n = groups::add_members(&mut tx, &group, &found, self.now())
            .await
            .map_err(api)?;
        tx.commit().await.map_err(|e| api(e.into()))?;
        Ok(n)
    }

    /// Removes users (ids or emails) from a group. Returns how many were removed.
    pub async fn remove_group_members(
        &self,
        group: &str,
        users: &[String],
    ) -> Result<u32, ApiError> {
        let mut tx = self.tx().await?;
        let group = groups::get(&mut tx, group).await.map_err(api)?;
        let found = users::resolve(&mut tx, users).await.map_err(api)?;
        let n = groups::remove_members(&mut tx, &group, &found, self.now())
            .await
            .map_err(api)?;
        tx.commit().await.map_err(|e| api(e.into()))?;
        Ok(n)
    }

    /// Authorizes (`bound`) or stops authorizing a group's members for an application. Returns
    /// whether anything changed.
    pub async fn set_app_group(
        &self,
        app: &str,
        group: &str,
        bound: bool,
    ) -> Result<bool, ApiError> {
        let mut tx = self.tx().await?;
        let changed = groups::set_binding(&mut tx, app, group, bound, self.now())
            .await
            .map_err(api)?;
        tx.commit().await.map_err(|e| api(e.into()))?;
        Ok(changed)
    }

    /// Every group, and whether it is bound to `app`.
    pub async fn app_groups(&self, app: &str) -> Result<Vec<AppGroupAccess>, ApiError> {
        let mut conn = self.conn().await?;
        groups::app_access(&mut conn, app).await.map_err(api)
    }

    /// What importing this CSV text would do. Writes nothing.
    pub async fn preview_csv_import(&self, text: &str) -> Result<ImportPreview, ApiError> {
        let mut conn = self.conn().await?;
        csv_import::preview(&mut conn, text).await.map_err(api)
    }

    /// Imports CSV text: all rows or, when any is bad or anything fails, none.
    pub async fn import_csv(&self, text: &str) -> Result<ImportSummary, ApiError> {
        // A large import touches more pages than SQLite's default 2 MB cache holds; spilling
        // mid-transaction slows it down. Widen this connection's cache, then restore it.
        let mut conn = self.conn().await?;
        set_cache_kib(&mut conn, IMPORT_CACHE_KIB).await?;
        let result = async {
            let mut tx = sqlx::Connection::begin(&mut *conn)
                .await
                .map_err(|e| api(e.into()))?;
            let mark = changes::latest_id(&mut *tx).await.map_err(api)?;
            let summary = csv_import::commit(&mut tx, text, self.now())
                .await
                .map_err(api)?;
            changes::attribute_since(&mut tx, mark, changes::ChangeSource::CsvImport)
                .await
                .map_err(api)?;
            tx.commit().await.map_err(|e| api(e.into()))?;
            Ok(summary)
        }
        .await;
        // The transaction is over (committed, or rolled back when dropped) before this runs.
        set_cache_kib(&mut conn, DEFAULT_CACHE_KIB).await?;
        result
    }

    /// The whole directory as CSV (the columns the import reads).
    pub async fn export_directory_csv(&self) -> Result<String, ApiError> {
        csv_export::directory(self.store().pool())
            .await
            .map_err(api)
    }

    /// The Salesforce Data Loader file (Username, FederationIdentifier) for `app`'s users.
    pub async fn federation_csv(&self, app: &str) -> Result<FederationCsv, ApiError> {
        let mut conn = self.conn().await?;
        let (csv, users) = csv_export::federation(&mut conn, app).await.map_err(api)?;
        Ok(FederationCsv { csv, users })
    }

    /// The newest change-feed id (0 when empty): it grows whenever the directory changes.
    pub async fn directory_change_mark(&self) -> Result<i64, ApiError> {
        changes::latest_id(self.store().pool()).await.map_err(api)
    }

    /// Past `after_id`: the newest change's id, and whether one was made by a source not in
    /// `quiet` (see [`changes::newest_since`]).
    pub async fn directory_newest_since(
        &self,
        after_id: i64,
        quiet: &[changes::ChangeSource],
    ) -> Result<(Option<i64>, bool), ApiError> {
        changes::newest_since(self.store().pool(), after_id, quiet)
            .await
            .map_err(api)
    }

    /// Change-feed entries after `after_id`, oldest first.
    pub async fn directory_changes_since(
        &self,
        after_id: i64,
        limit: u32,
    ) -> Result<Vec<DirectoryChange>, ApiError> {
        changes::since(self.store().pool(), after_id, limit)
            .await
            .map_err(api)
    }
}
