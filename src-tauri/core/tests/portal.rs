//! The user portal: an application's tile shows only when the admin says so and only to users
//! authorized for it; images are checked (an SVG is rasterized); bookmarks are shown to every
//! user; deleting the application takes its tile with it.

mod common;

use lanyard_core::directory::users::UserInput;
use lanyard_core::portal::{NewBookmark, TileKind};
use lanyard_core::ErrorCode;

const ADA: &str = "ada@practice.example.com";
const SVG: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><circle cx="16" cy="16" r="12" fill="red"/></svg>"#;

#[tokio::test]
async fn tiles_follow_the_portal_flag_the_authorization_and_the_users_state() {
    let rig = common::rig().await;
    let core = &rig.core;
    core.create_user(UserInput {
        email: "bob@practice.example.com".into(),
        firstname: "Bob".into(),
        lastname: "Outside".into(),
        ..Default::default()
    })
    .await
    .unwrap();

    let none = core.portal_settings("practice").await.unwrap();
    assert!(!none.show_in_portal, "hidden until the admin shows it");
    assert!(core.portal_tiles(ADA).await.unwrap().is_empty());

    core.set_show_in_portal("practice", true).await.unwrap();
    let shown = core
        .set_portal_image("practice", Some(SVG.as_bytes().to_vec()))
        .await
        .unwrap();
    assert!(shown.show_in_portal, "the image keeps the flag");
    let image = shown.image.expect("an image");
    assert!(
        image.starts_with("data:image/png;base64,"),
        "the SVG is kept as a PNG: {}",
        &image[..40]
    );

    let tiles = core.portal_tiles(ADA).await.unwrap();
    assert_eq!(tiles.len(), 1);
    assert_eq!(tiles[0].kind, TileKind::Application);
    assert_eq!(tiles[0].name, "practice");
    assert_eq!(tiles[0].image.as_deref(), Some(image.as_str()));
    assert!(tiles[0].can_sign_in);
    assert!(
        core.portal_tiles("bob@practice.example.com")
            .await
            .unwrap()
            .is_empty(),
        "Bob is in no group bound to the application"
    );

    core.set_users_suspended(&[ADA.to_owned()], true)
        .await
        .unwrap();
    let tiles = core.portal_tiles(ADA).await.unwrap();
    assert!(
        !tiles[0].can_sign_in,
        "a suspended user still sees the tile, and cannot sign in"
    );

    let err = core
        .set_portal_image("practice", Some(b"%PDF-1.7".to_vec()))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("PDF"), "{}", err.message);
    assert_eq!(
        core.portal_settings("practice").await.unwrap().image,
        Some(image),
        "a refused image leaves the one kept"
    );
    let cleared = core.set_portal_image("practice", None).await.unwrap();
    assert_eq!(cleared.image, None);

    let err = core.portal_tiles("nobody@practice.example.com").await;
    assert_eq!(err.unwrap_err().code, ErrorCode::NotFound);

    core.delete_app("practice").await.unwrap();
    core.set_users_suspended(&[ADA.to_owned()], false)
        .await
        .unwrap();
    assert!(
        core.portal_tiles(ADA).await.unwrap().is_empty(),
        "the deleted application's tile is gone with it"
    );
}

#[tokio::test]
async fn bookmarks_are_checked_shown_to_everyone_deactivated_and_deleted() {
    let rig = common::rig().await;
    let core = &rig.core;
    let wiki = core
        .create_bookmark(NewBookmark {
            name: "wiki".into(),
            label: Some("Company wiki".into()),
            url: "https://wiki.example.com/start".into(),
        })
        .await
        .unwrap();
    assert!(wiki.show_in_portal, "a new bookmark is shown");
    assert_eq!(wiki.label, "Company wiki");

    for (name, url, code, says) in [
        (
            "wiki",
            "https://other.example.com",
            ErrorCode::Conflict,
            "already exists",
        ),
        (
            "Bad Name",
            "https://x.example.com",
            ErrorCode::InvalidInput,
            "slug",
        ),
        (
            "intranet",
            "http://intranet.example.com",
            ErrorCode::InvalidInput,
            "https://",
        ),
        (
            "js",
            "javascript:alert(1)",
            ErrorCode::InvalidInput,
            "https://",
        ),
    ] {
        let err = core
            .create_bookmark(NewBookmark {
                name: name.into(),
                url: url.into(),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(err.code, code, "{name} {url}: {}", err.message);
        assert!(err.message.contains(says), "{}", err.message);
    }

    let tiles = core.portal_tiles(ADA).await.unwrap();
    assert_eq!(
        tiles.len(),
        1,
        "the application is not shown; the bookmark is"
    );
    assert_eq!(tiles[0].kind, TileKind::Bookmark);
    assert_eq!(
        tiles[0].url.as_deref(),
        Some("https://wiki.example.com/start")
    );

    let with_image = core
        .set_bookmark_image("wiki", Some(SVG.as_bytes().to_vec()))
        .await
        .unwrap();
    assert!(with_image
        .image
        .is_some_and(|i| i.starts_with("data:image/png;base64,")));

    let hidden = core.set_bookmark_shown("wiki", false).await.unwrap();
    assert!(!hidden.show_in_portal);
    assert!(
        core.portal_tiles(ADA).await.unwrap().is_empty(),
        "a deactivated bookmark is kept, not shown"
    );
    assert_eq!(core.list_bookmarks().await.unwrap().len(), 1);

    core.delete_bookmark("wiki").await.unwrap();
    assert!(core.list_bookmarks().await.unwrap().is_empty());
    let err = core.delete_bookmark("wiki").await.unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert!(err.message.contains("bookmark list"), "{}", err.message);
}
