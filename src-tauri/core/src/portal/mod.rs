//! The user portal: the tiles a directory user sees — the applications shown in the portal that
//! the user is authorized for, and the bookmarks (named links with no single sign-on) — each
//! with its image. The window previews it for a chosen user; a tile starts that user's
//! IdP-initiated test login.

pub mod bookmarks;
pub mod image;

pub use bookmarks::{Bookmark, NewBookmark};

use crate::apps::AppError;
use crate::error::{ApiError, ErrorCode, HasCode};
use crate::store::StoreError;
use crate::Core;
use serde::Serialize;
use sqlx::SqlitePool;

#[derive(Debug, thiserror::Error)]
pub enum PortalError {
    #[error(transparent)]
    Image(#[from] image::ImageError),
    #[error(transparent)]
    App(#[from] AppError),
    #[error("{value:?} is not a usable bookmark URL: use an https:// address (plain http only on this machine's loopback address).")]
    BookmarkUrl { value: String },
    #[error(
        "A bookmark named {0:?} already exists: pick another name, or change the existing one."
    )]
    BookmarkTaken(String),
    #[error(
        "There is no bookmark named {0:?}. `lanyard bookmark list` shows the ones that exist."
    )]
    BookmarkNotFound(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for PortalError {
    fn from(e: sqlx::Error) -> Self {
        PortalError::Store(e.into())
    }
}

impl HasCode for PortalError {
    fn code(&self) -> ErrorCode {
        match self {
            PortalError::Image(_) | PortalError::BookmarkUrl { .. } => ErrorCode::InvalidInput,
            PortalError::App(e) => e.code(),
            PortalError::BookmarkTaken(_) => ErrorCode::Conflict,
            PortalError::BookmarkNotFound(_) => ErrorCode::NotFound,
            PortalError::Store(e) => e.code(),
        }
    }
}

pub(crate) fn api(e: PortalError) -> ApiError {
    e.to_api()
}

/// An application's portal settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PortalSettings {
    pub show_in_portal: bool,
    /// The tile's image as a `data:` URL (PNG or JPEG), when one was chosen.
    pub image: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum TileKind {
    /// A single sign-on application: the tile starts an IdP-initiated login.
    Application,
    /// A link: the tile opens its URL.
    Bookmark,
}

/// One tile of a user's portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PortalTile {
    pub kind: TileKind,
    pub name: String,
    pub label: String,
    pub image: Option<String>,
    /// A bookmark's address.
    pub url: Option<String>,
    /// False for a suspended or password-expired user: the tile is shown, the login refused.
    pub can_sign_in: bool,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ImageRow {
    image_type: Option<String>,
    image: Option<Vec<u8>>,
}

impl ImageRow {
    pub(crate) fn data_url(self) -> Option<String> {
        let (mime, bytes) = (self.image_type?, self.image?);
        let mime = match mime.as_str() {
            "image/png" => "image/png",
            "image/jpeg" => "image/jpeg",
            _ => return None,
        };
        Some(image::Kept { mime, bytes }.data_url())
    }
}

/// An application shown in the portal, with its image.
#[derive(sqlx::FromRow)]
struct ShownApp {
    id: String,
    name: String,
    label: String,
    #[sqlx(flatten)]
    image: ImageRow,
}

/// Checks an image off the async threads (an SVG is rasterized); none clears it.
pub(crate) async fn check_image(
    bytes: Option<Vec<u8>>,
) -> Result<Option<image::Kept>, PortalError> {
    let Some(bytes) = bytes else { return Ok(None) };
    tokio::task::spawn_blocking(move || image::accept(bytes))
        .await
        .map_err(|e| PortalError::Image(image::ImageError::Unreadable(e.to_string())))?
        .map(Some)
        .map_err(PortalError::from)
}

async fn portal_row(pool: &SqlitePool, app_id: &str) -> Result<PortalSettings, PortalError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        show_in_portal: bool,
        #[sqlx(flatten)]
        image: ImageRow,
    }
    let row: Option<Row> =
        sqlx::query_as("SELECT show_in_portal, image_type, image FROM app_portal WHERE app_id = ?")
            .bind(app_id)
            .fetch_optional(pool)
            .await?;
    Ok(row.map_or(
        PortalSettings {
            show_in_portal: false,
            image: None,
        },
        |r| PortalSettings {
            show_in_portal: r.show_in_portal,
            image: r.image.data_url(),
        },
    ))
}

impl Core {
    pub async fn portal_settings(&self, app: &str) -> Result<PortalSettings, ApiError> {
        let app = self.get_app(app).await?;
        portal_row(self.store().pool(), &app.id).await.map_err(api)
    }

    /// Shows the application's tile in the user portal, or hides it.
    pub async fn set_show_in_portal(
        &self,
        app: &str,
        show: bool,
    ) -> Result<PortalSettings, ApiError> {
        let app = self.get_app(app).await?;
        let pool = self.store().pool();
        sqlx::query(
            "INSERT INTO app_portal (app_id, show_in_portal, updated_at) VALUES (?, ?, ?)
             ON CONFLICT (app_id) DO UPDATE SET show_in_portal = excluded.show_in_portal,
                                               updated_at = excluded.updated_at",
        )
        .bind(&app.id)
        .bind(show)
        .bind(self.now())
        .execute(pool)
        .await
        .map_err(|e| api(e.into()))?;
        portal_row(pool, &app.id).await.map_err(api)
    }

    /// The tile's image (the bytes of a PNG, JPEG or SVG file up to 1 MB), or none.
    pub async fn set_portal_image(
        &self,
        app: &str,
        image: Option<Vec<u8>>,
    ) -> Result<PortalSettings, ApiError> {
        let app = self.get_app(app).await?;
        let kept = check_image(image).await.map_err(api)?;
        let pool = self.store().pool();
        sqlx::query(
            "INSERT INTO app_portal (app_id, image_type, image, updated_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (app_id) DO UPDATE SET image_type = excluded.image_type,
                                               image = excluded.image,
                                               updated_at = excluded.updated_at",
        )
        .bind(&app.id)
        .bind(kept.as_ref().map(|k| k.mime))
        .bind(kept.as_ref().map(|k| k.bytes.as_slice()))
        .bind(self.now())
        .execute(pool)
        .await
        .map_err(|e| api(e.into()))?;
        portal_row(pool, &app.id).await.map_err(api)
    }

    /// The tiles `email` sees: the applications shown in the portal, with single sign-on on, that
    /// the user is authorized for (through a bound group), then the bookmarks shown in the
    /// portal to everyone or to a group of the user's, each by label.
    pub async fn portal_tiles(&self, email: &str) -> Result<Vec<PortalTile>, ApiError> {
        let pool = self.store().pool();
        let user = self.get_user(email).await?;
        let apps: Vec<ShownApp> = sqlx::query_as(
            "SELECT a.id, a.name, a.label, p.image_type, p.image
             FROM applications a JOIN app_portal p ON p.app_id = a.id
             WHERE p.show_in_portal AND a.sso_enabled ORDER BY a.label, a.name",
        )
        .fetch_all(pool)
        .await
        .map_err(|e| api(e.into()))?;
        let mut tiles = Vec::new();
        for app in apps {
            let Some(authorized) =
                crate::directory::access::authorized_user(pool, &app.id, &user.email)
                    .await
                    .map_err(|e| api(e.into()))?
            else {
                continue;
            };
            tiles.push(PortalTile {
                kind: TileKind::Application,
                name: app.name,
                label: app.label,
                image: app.image.data_url(),
                url: None,
                can_sign_in: authorized.can_sign_in(),
            });
        }
        let can_sign_in = !user.suspended && !user.password_expired;
        // A bookmark given to groups shows only to their members (none left: to nobody).
        let member = |b: &Bookmark| {
            !b.restricted
                || b.groups
                    .iter()
                    .any(|g| user.groups.iter().any(|u| u.eq_ignore_ascii_case(g)))
        };
        tiles.extend(
            self.list_bookmarks()
                .await?
                .into_iter()
                .filter(|b| b.show_in_portal && member(b))
                .map(|b| PortalTile {
                    kind: TileKind::Bookmark,
                    name: b.name,
                    label: b.label,
                    image: b.image,
                    url: Some(b.url),
                    can_sign_in,
                }),
        );
        Ok(tiles)
    }
}
