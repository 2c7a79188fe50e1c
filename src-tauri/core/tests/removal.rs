//! Removal, as the setup checklist walks it: single sign-on deactivated (nothing signed, the
//! portal tile gone, an event) and activated again; and before an application is deleted, every
//! user Lanyard provisioned deactivated in the target and taken out of its groups, past the
//! deletion guard the admin asked to pass, with one event per user, the directory untouched.

mod common;

use lanyard_core::directory::{groups::GroupInput, users::UserInput};
use lanyard_core::events::{EventFilter, EventName, Outcome};
use lanyard_core::provisioning::run::Cancel;
use lanyard_core::provisioning::SyncOptions;

#[tokio::test]
async fn deprovision_all_deactivates_every_provisioned_user_and_empties_their_groups() {
    let rig = common::rig().await;
    let core = &rig.core;
    core.create_group(GroupInput {
        name: "All Sales".into(),
        description: String::new(),
    })
    .await
    .unwrap();
    core.set_app_group("practice", "All Sales", true)
        .await
        .unwrap();
    // More than the deletion guard lets through unasked (20).
    let emails: Vec<String> = (0..25).map(|i| format!("rm{i:02}@acme.example")).collect();
    for e in &emails {
        core.create_user(UserInput {
            email: e.clone(),
            firstname: "Rm".into(),
            lastname: "User".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    }
    core.add_group_members("All Sales", &emails).await.unwrap();
    common::connect_practice(&rig).await;
    let first = core
        .sync("practice", SyncOptions::default(), None, Cancel::default())
        .await
        .unwrap();
    assert_eq!(first.summary.created, 26, "{:?}", first.summary);

    let remove = SyncOptions {
        deprovision_all: true,
        allow_deactivations: true,
        ..Default::default()
    };
    let plan = core
        .sync(
            "practice",
            SyncOptions {
                dry_run: true,
                ..remove.clone()
            },
            None,
            Cancel::default(),
        )
        .await
        .unwrap();
    assert_eq!(plan.users.len(), 26, "{:?}", plan.summary);
    assert!(
        plan.users.iter().all(|u| u.action
            == lanyard_core::provisioning::plan::UserAction::Deactivate
            && !u.held),
        "every provisioned user is deactivated, none held"
    );
    let done = core
        .sync("practice", remove, None, Cancel::default())
        .await
        .unwrap();
    assert_eq!(done.summary.deactivated, 26, "{:?}", done.summary);
    assert_eq!(done.summary.failed, 0, "{:?}", done.failures);
    assert!(
        done.held_reason.is_none(),
        "the admin asked to pass the guard"
    );
    let status = core.scim_status("practice").await.unwrap();
    assert!(
        !status.connection.auto_push,
        "the automatic push is off, so a directory change does not put them back"
    );
    let both = core
        .sync(
            "practice",
            SyncOptions {
                only_user: Some("rm01@acme.example".into()),
                deprovision_all: true,
                ..Default::default()
            },
            None,
            Cancel::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(both.code, lanyard_core::ErrorCode::InvalidInput);
    assert_eq!(done.summary.held, 0);

    {
        let org = rig.sim.sim.org();
        let ours: Vec<_> = org
            .users
            .values()
            .filter(|u| {
                let name = u["userName"].as_str().unwrap_or_default();
                name.ends_with("@acme.example") || name == "ada@practice.example.com"
            })
            .collect();
        assert_eq!(ours.len(), 26);
        assert!(
            ours.iter().all(|u| u["active"] == false),
            "every one deactivated"
        );
        let group = org
            .groups
            .values()
            .find(|g| g["displayName"] == "All Sales")
            .unwrap();
        assert_eq!(
            group["members"].as_array().map_or(0, Vec::len),
            0,
            "and out of the public group"
        );
    }

    let events = core
        .query_events(&EventFilter {
            name: Some(EventName::UserDeprovision),
            outcome: Some(Outcome::Ok),
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(events.len(), 26, "one event per user");
    assert_eq!(
        core.list_users(Some("All Sales")).await.unwrap().len(),
        25,
        "the directory is untouched"
    );
}

#[tokio::test]
async fn deactivated_sso_signs_nothing_until_activated_again() {
    let rig = common::rig().await;
    rig.ready().await;
    let core = &rig.core;
    core.set_show_in_portal("practice", true).await.unwrap();
    assert_eq!(
        rig.login("ada@practice.example.com").await,
        "Logged in as ada@practice.example.com"
    );

    assert_eq!(
        core.portal_tiles("ada@practice.example.com")
            .await
            .unwrap()
            .len(),
        1,
        "the tile is there while single sign-on is on"
    );
    let app = core.set_sso_enabled("practice", false).await.unwrap();
    assert!(!app.sso_enabled);
    let err = core
        .saml_response("practice", "ada@practice.example.com", None)
        .await
        .unwrap_err();
    assert_eq!(err.code, lanyard_core::ErrorCode::Forbidden);
    assert!(err.message.contains("deactivated"), "{}", err.message);
    assert!(
        err.message.contains("Activate it"),
        "says what to do: {}",
        err.message
    );
    assert!(
        core.portal_tiles("ada@practice.example.com")
            .await
            .unwrap()
            .is_empty(),
        "no portal tile for an application nobody can sign in to"
    );
    let events = core
        .query_events(&EventFilter {
            name: Some(EventName::SamlSsoDeactivated),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(events.len(), 1);

    assert!(
        core.set_sso_enabled("practice", true)
            .await
            .unwrap()
            .sso_enabled
    );
    assert_eq!(
        rig.login("ada@practice.example.com").await,
        "Logged in as ada@practice.example.com",
        "activated again, nothing else to redo"
    );
    assert_eq!(
        core.set_sso_enabled("nope", false).await.unwrap_err().code,
        lanyard_core::ErrorCode::NotFound
    );
}
