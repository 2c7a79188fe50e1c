//! Bookmarks: named links shown in the portal with no single sign-on, to every user or to the
//! members of chosen groups; deactivated (kept, hidden), given an image, or deleted.

use super::{api, check_image, ImageRow, PortalError};
use crate::apps::AppName;
use crate::error::{ApiError, HasCode};
use crate::Core;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

/// What the admin gives for a new bookmark.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewBookmark {
    /// The same rule as an application's name.
    pub name: String,
    /// Defaults to the name.
    pub label: Option<String>,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Bookmark {
    pub name: String,
    pub label: String,
    pub url: String,
    pub show_in_portal: bool,
    pub image: Option<String>,
    /// The groups whose members see it in the portal; none: every user (unless `restricted`).
    pub groups: Vec<String>,
    /// Given to groups: only their members see it, nobody once they are all deleted.
    pub restricted: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct BookmarkRow {
    name: String,
    label: String,
    url: String,
    show_in_portal: bool,
    #[sqlx(flatten)]
    image: ImageRow,
    created_at: DateTime<Utc>,
    /// Group names joined with a unit separator (U+001F).
    groups: Option<String>,
    restricted: bool,
}

impl From<BookmarkRow> for Bookmark {
    fn from(r: BookmarkRow) -> Self {
        Bookmark {
            name: r.name,
            label: r.label,
            url: r.url,
            show_in_portal: r.show_in_portal,
            image: r.image.data_url(),
            groups: sorted_names(r.groups.as_deref()),
            restricted: r.restricted,
            created_at: r.created_at,
        }
    }
}

/// A bookmark with its groups' names, sorted.
const SELECT: &str = "SELECT b.name, b.label, b.url, b.show_in_portal, b.image_type, b.image, b.created_at, b.restricted,
  (SELECT group_concat(g.name, char(31)) FROM bookmark_groups bg JOIN groups g ON g.id = bg.group_id
   WHERE bg.bookmark_id = b.id) AS groups
  FROM bookmarks b";

/// Group names as joined by the query, sorted without regard to case.
fn sorted_names(joined: Option<&str>) -> Vec<String> {
    let mut names: Vec<String> = joined
        .map(|g| g.split('\u{1f}').map(str::to_owned).collect())
        .unwrap_or_default();
    names.sort_by_key(|n| n.to_lowercase());
    names
}

async fn bookmark(pool: &SqlitePool, name: &str) -> Result<Bookmark, PortalError> {
    sqlx::query_as::<_, BookmarkRow>(&format!("{SELECT} WHERE b.name = ?"))
        .bind(name)
        .fetch_optional(pool)
        .await?
        .map(Bookmark::from)
        .ok_or_else(|| PortalError::BookmarkNotFound(name.to_owned()))
}

impl Core {
    pub async fn create_bookmark(&self, new: NewBookmark) -> Result<Bookmark, ApiError> {
        let name = AppName::parse(new.name.trim()).map_err(|e| api(e.into()))?;
        let label =
            crate::apps::label_or_name(new.label.as_deref(), &name).map_err(|e| api(e.into()))?;
        let url = new.url.trim().to_owned();
        if !crate::apps::web_url_ok(&url) {
            return Err(api(PortalError::BookmarkUrl { value: url }));
        }
        let now = self.now();
        let pool = self.store().pool();
        let inserted = sqlx::query(
            "INSERT INTO bookmarks (id, name, label, url, show_in_portal, created_at, updated_at)
             VALUES (?, ?, ?, ?, TRUE, ?, ?)",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(name.as_str())
        .bind(&label)
        .bind(&url)
        .bind(now)
        .bind(now)
        .execute(pool)
        .await;
        match inserted {
            Ok(_) => {}
            Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
                return Err(api(PortalError::BookmarkTaken(name.to_string())))
            }
            Err(e) => return Err(api(e.into())),
        }
        bookmark(pool, name.as_str()).await.map_err(api)
    }

    pub async fn get_bookmark(&self, name: &str) -> Result<Bookmark, ApiError> {
        bookmark(self.store().pool(), name).await.map_err(api)
    }

    pub async fn list_bookmarks(&self) -> Result<Vec<Bookmark>, ApiError> {
        let rows = sqlx::query_as::<_, BookmarkRow>(&format!("{SELECT} ORDER BY b.name"))
            .fetch_all(self.store().pool())
            .await
            .map_err(|e| api(e.into()))?;
        Ok(rows.into_iter().map(Bookmark::from).collect())
    }

    /// Shows a bookmark in the portal, or deactivates it (hidden, kept).
    pub async fn set_bookmark_shown(&self, name: &str, show: bool) -> Result<Bookmark, ApiError> {
        let pool = self.store().pool();
        let done =
            sqlx::query("UPDATE bookmarks SET show_in_portal = ?, updated_at = ? WHERE name = ?")
                .bind(show)
                .bind(self.now())
                .bind(name)
                .execute(pool)
                .await
                .map_err(|e| api(e.into()))?;
        if done.rows_affected() == 0 {
            return Err(api(PortalError::BookmarkNotFound(name.to_owned())));
        }
        bookmark(pool, name).await.map_err(api)
    }

    pub async fn set_bookmark_image(
        &self,
        name: &str,
        image: Option<Vec<u8>>,
    ) -> Result<Bookmark, ApiError> {
        let pool = self.store().pool();
        bookmark(pool, name).await.map_err(api)?;
        let kept = check_image(image).await.map_err(api)?;
        sqlx::query(
            "UPDATE bookmarks SET image_type = ?, image = ?, updated_at = ? WHERE name = ?",
        )
        .bind(kept.as_ref().map(|k| k.mime))
        .bind(kept.as_ref().map(|k| k.bytes.as_slice()))
        .bind(self.now())
        .bind(name)
        .execute(pool)
        .await
        .map_err(|e| api(e.into()))?;
        bookmark(pool, name).await.map_err(api)
    }

    pub async fn delete_bookmark(&self, name: &str) -> Result<(), ApiError> {
        let done = sqlx::query("DELETE FROM bookmarks WHERE name = ?")
            .bind(name)
            .execute(self.store().pool())
            .await
            .map_err(|e| api(e.into()))?;
        if done.rows_affected() == 0 {
            return Err(api(PortalError::BookmarkNotFound(name.to_owned())));
        }
        Ok(())
    }

    /// Who sees the bookmark: the members of these groups (by name, any case), or every user
    /// when none are given. An unknown group is refused and nothing changes.
    pub async fn set_bookmark_groups(
        &self,
        name: &str,
        groups: &[String],
    ) -> Result<Bookmark, ApiError> {
        let pool = self.store().pool();
        let id: String = sqlx::query_scalar("SELECT id FROM bookmarks WHERE name = ?")
            .bind(name)
            .fetch_optional(pool)
            .await
            .map_err(|e| api(e.into()))?
            .ok_or_else(|| api(PortalError::BookmarkNotFound(name.to_owned())))?;
        let mut tx = pool.begin().await.map_err(|e| api(e.into()))?;
        sqlx::query("DELETE FROM bookmark_groups WHERE bookmark_id = ?")
            .bind(&id)
            .execute(&mut *tx)
            .await
            .map_err(|e| api(e.into()))?;
        for name in groups {
            let group = crate::directory::groups::get(&mut tx, name)
                .await
                .map_err(|e| e.to_api())?;
            sqlx::query(
                "INSERT OR IGNORE INTO bookmark_groups (bookmark_id, group_id) VALUES (?, ?)",
            )
            .bind(&id)
            .bind(&group.id)
            .execute(&mut *tx)
            .await
            .map_err(|e| api(e.into()))?;
        }
        sqlx::query("UPDATE bookmarks SET restricted = ?, updated_at = ? WHERE id = ?")
            .bind(!groups.is_empty())
            .bind(self.now())
            .bind(&id)
            .execute(&mut *tx)
            .await
            .map_err(|e| api(e.into()))?;
        tx.commit().await.map_err(|e| api(e.into()))?;
        bookmark(pool, name).await.map_err(api)
    }
}
