//! `lanyard bookmark …` and `lanyard portal EMAIL`: bookmarks (named links shown in the user
//! portal, with no single sign-on) and the tiles a directory user sees.

use crate::output::print_json;
use clap::Subcommand;
use lanyard_core::portal::{NewBookmark, TileKind};
use lanyard_core::{ApiError, Core, ErrorCode};

#[derive(Debug, Subcommand)]
pub enum BookmarkCommand {
    /// Add a bookmark (shown in the portal at once).
    Add {
        /// The same rule as an application's name (e.g. company-wiki).
        name: String,
        /// An https:// address.
        #[arg(long, value_name = "URL")]
        url: String,
        #[arg(long)]
        label: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List bookmarks.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show a bookmark in the portal again.
    Show { name: String },
    /// Deactivate a bookmark: kept, no longer shown in the portal.
    Hide { name: String },
    /// Set a bookmark's image (PNG, JPEG or SVG up to 1 MB), or remove it with --none.
    Image {
        name: String,
        #[arg(required_unless_present = "none", conflicts_with = "none")]
        file: Option<std::path::PathBuf>,
        #[arg(long)]
        none: bool,
    },
    /// Who sees a bookmark: the members of these groups, or every user when none are named.
    Groups { name: String, groups: Vec<String> },
    /// Delete a bookmark.
    Remove { name: String },
}

pub async fn bookmark(core: &Core, cmd: BookmarkCommand) -> Result<(), ApiError> {
    match cmd {
        BookmarkCommand::Add {
            name,
            url,
            label,
            json,
        } => {
            let b = core
                .create_bookmark(NewBookmark { name, label, url })
                .await?;
            if json {
                return print_json(&b);
            }
            println!("added bookmark {} ({}) → {}", b.name, b.label, b.url);
            Ok(())
        }
        BookmarkCommand::List { json } => {
            let all = core.list_bookmarks().await?;
            if json {
                return print_json(&all);
            }
            if all.is_empty() {
                println!("no bookmarks yet: add one with `lanyard bookmark add NAME --url URL`");
            }
            for b in all {
                let shown = if b.show_in_portal { "shown" } else { "hidden" };
                println!(
                    "{}  {}  {}  ({shown}, {})",
                    b.name,
                    b.label,
                    b.url,
                    audience(&b)
                );
            }
            Ok(())
        }
        BookmarkCommand::Show { name } => {
            core.set_bookmark_shown(&name, true).await?;
            println!("bookmark {name} is shown in the portal");
            Ok(())
        }
        BookmarkCommand::Hide { name } => {
            core.set_bookmark_shown(&name, false).await?;
            println!("bookmark {name} is deactivated (kept, not shown)");
            Ok(())
        }
        BookmarkCommand::Image { name, file, .. } => {
            let bytes = file
                .map(|f| {
                    lanyard_core::portal::image::read(&f).map_err(|e| {
                        ApiError::new(ErrorCode::InvalidInput, format!("{}: {e}", f.display()))
                    })
                })
                .transpose()?;
            let b = core.set_bookmark_image(&name, bytes).await?;
            let what = if b.image.is_some() { "set" } else { "removed" };
            println!("bookmark {name}: image {what}");
            Ok(())
        }
        BookmarkCommand::Groups { name, groups } => {
            let b = core.set_bookmark_groups(&name, &groups).await?;
            println!("bookmark {name} is for {}", audience(&b));
            Ok(())
        }
        BookmarkCommand::Remove { name } => {
            core.delete_bookmark(&name).await?;
            println!("removed bookmark {name}");
            Ok(())
        }
    }
}

/// Who sees a bookmark, in words.
fn audience(b: &lanyard_core::portal::Bookmark) -> String {
    match (b.groups.is_empty(), b.restricted) {
        (true, false) => "every user".to_owned(),
        (true, true) => "nobody (its groups were deleted)".to_owned(),
        (false, _) => format!("members of {}", b.groups.join(", ")),
    }
}

/// `lanyard portal EMAIL`: the tiles that user sees.
pub async fn tiles(core: &Core, email: &str, json: bool) -> Result<(), ApiError> {
    let tiles = core.portal_tiles(email).await?;
    if json {
        return print_json(&tiles);
    }
    if tiles.is_empty() {
        println!("{email} sees no tile: show an application in the portal (`lanyard app portal APP --show`) and bind one of the user's groups to it");
    }
    for t in tiles {
        match t.kind {
            TileKind::Application => println!(
                "app       {}  {}{}",
                t.name,
                t.label,
                if t.can_sign_in {
                    ""
                } else {
                    "  (cannot sign in: suspended or password expired)"
                }
            ),
            TileKind::Bookmark => println!(
                "bookmark  {}  {}  {}",
                t.name,
                t.label,
                t.url.unwrap_or_default()
            ),
        }
    }
    Ok(())
}
