//! The user portal: an application's tile shows only when the admin says so and only to users
//! authorized for it; images are checked (an SVG is rasterized); bookmarks are shown to every
//! user or to the members of their groups; deleting the application takes its tile with it.

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

#[tokio::test]
async fn a_bookmark_given_to_groups_shows_only_to_their_members() {
    use lanyard_core::directory::groups::GroupInput;
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
    core.create_group(GroupInput {
        name: "HR".into(),
        description: String::new(),
    })
    .await
    .unwrap();
    core.add_group_members("HR", &["bob@practice.example.com".to_owned()])
        .await
        .unwrap();
    core.create_bookmark(NewBookmark {
        name: "payroll".into(),
        label: Some("Payroll".into()),
        url: "https://payroll.example.com".into(),
    })
    .await
    .unwrap();
    let labels = |tiles: Vec<lanyard_core::portal::PortalTile>| {
        tiles.into_iter().map(|t| t.label).collect::<Vec<_>>()
    };
    assert_eq!(
        labels(core.portal_tiles(ADA).await.unwrap()),
        ["Payroll"],
        "no groups: everyone"
    );

    let err = core
        .set_bookmark_groups("payroll", &["HR".into(), "Nobody".into()])
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert!(err.message.contains("Nobody"), "{}", err.message);
    assert!(
        core.get_bookmark("payroll")
            .await
            .unwrap()
            .groups
            .is_empty(),
        "a refused change changes nothing"
    );

    let given = core
        .set_bookmark_groups("payroll", &["hr".into()])
        .await
        .unwrap();
    assert_eq!(given.groups, ["HR"], "names compare without case");
    assert!(
        core.portal_tiles(ADA).await.unwrap().is_empty(),
        "Ada is not in HR"
    );
    assert_eq!(
        labels(core.portal_tiles("bob@practice.example.com").await.unwrap()),
        ["Payroll"]
    );
    core.set_bookmark_groups("payroll", &["HR".into(), "Sales".into()])
        .await
        .unwrap();
    assert_eq!(labels(core.portal_tiles(ADA).await.unwrap()), ["Payroll"]);

    // Deleting a group takes it off the bookmark; deleting the last one shows it to nobody, not
    // to everyone; given to no group again, everyone sees it.
    for name in ["HR", "Sales"] {
        let g = core
            .list_groups()
            .await
            .unwrap()
            .into_iter()
            .find(|g| g.name == name)
            .unwrap();
        core.delete_group(&g.id).await.unwrap();
        if name == "HR" {
            assert_eq!(
                core.get_bookmark("payroll").await.unwrap().groups,
                ["Sales"]
            );
        }
    }
    let orphan = core.get_bookmark("payroll").await.unwrap();
    assert!(orphan.groups.is_empty() && orphan.restricted);
    assert!(core
        .portal_tiles("bob@practice.example.com")
        .await
        .unwrap()
        .is_empty());
    let cleared = core.set_bookmark_groups("payroll", &[]).await.unwrap();
    assert!(cleared.groups.is_empty() && !cleared.restricted);
    assert_eq!(
        labels(core.portal_tiles("bob@practice.example.com").await.unwrap()),
        ["Payroll"]
    );
}
