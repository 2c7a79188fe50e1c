//! The IdP's address is a setting; moving it records, for each application whose Salesforce org
//! is set up, the Identity Provider Login URL to change there (the setup step and a health finding
//! say so), until an SP-initiated login reaches the new address.

mod common;

use lanyard_core::apps::NewApplication;
use lanyard_core::events::{EventFilter, EventName};
use lanyard_core::setup::{StepId, StepStatus};

#[tokio::test]
async fn moving_the_idp_asks_for_a_repoint_until_salesforce_logs_in_at_the_new_address() {
    let rig = common::rig().await;
    let pem = rig.ready().await;
    let core = &rig.core;
    let before = core.idp_address().await.unwrap();
    assert_eq!(before.setting, None);
    assert!(core.repoints().await.unwrap().is_empty());

    let bad = core
        .set_idp_address("https://idp.example.com")
        .await
        .unwrap_err();
    assert!(
        bad.message.contains("http://127.0.0.1:PORT"),
        "{}",
        bad.message
    );

    // The new address: where this test's loopback IdP actually listens.
    let idp = core
        .serve_idp("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let new_base = idp.base_url().to_owned();
    let repoints = core.set_idp_address(&new_base).await.unwrap();
    assert_eq!(repoints.len(), 1, "{repoints:?}");
    assert_eq!(repoints[0].app, "practice");
    assert_eq!(repoints[0].from_url, "http://127.0.0.1:8766/saml2/practice");
    assert_eq!(repoints[0].to_url, format!("{new_base}/saml2/practice"));
    assert_eq!(
        core.idp_address().await.unwrap().setting.as_deref(),
        Some(new_base.as_str())
    );

    let status = core.setup_status("practice").await.unwrap();
    let step = status
        .steps
        .iter()
        .find(|s| s.id == StepId::IdpSettings)
        .unwrap();
    assert_eq!(step.status, StepStatus::NeedsAttention);
    assert!(step.detail.contains(&repoints[0].to_url), "{}", step.detail);
    assert!(
        status
            .findings
            .iter()
            .any(|f| f.step == StepId::IdpSettings && f.action.contains(&repoints[0].to_url)),
        "a health finding names the URL to type"
    );

    // Salesforce is changed (its Identity Provider Login URL), and a login starts there.
    rig.configure_salesforce_at(&pem, &repoints[0].to_url).await;
    assert_eq!(
        rig.sp_login("").await,
        "Logged in as ada@practice.example.com"
    );
    assert!(
        core.repoints().await.unwrap().is_empty(),
        "the login confirmed it"
    );
    let status = core.setup_status("practice").await.unwrap();
    let step = status
        .steps
        .iter()
        .find(|s| s.id == StepId::IdpSettings)
        .unwrap();
    assert_eq!(step.status, StepStatus::Done);
    let events = core
        .query_events(&EventFilter {
            name: Some(EventName::SamlIdpRepointed),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(events.len(), 1);

    // Back to the address Salesforce has: nothing left to re-point.
    core.set_idp_address("http://127.0.0.1:8766").await.unwrap();
    assert_eq!(core.repoints().await.unwrap().len(), 1);
    let back = core.set_idp_address(&new_base).await.unwrap();
    assert!(
        back.is_empty(),
        "returning to the confirmed address needs no re-point: {back:?}"
    );
    drop(idp);
}

#[tokio::test]
async fn moving_an_applications_idp_url_asks_for_a_repoint_and_logins_follow_the_new_path() {
    let rig = common::rig().await;
    let pem = rig.ready().await;
    let core = &rig.core;
    let idp = core
        .serve_idp("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let base = idp.base_url().to_owned();
    core.set_idp_address(&base).await.unwrap();
    rig.configure_salesforce_at(&pem, &format!("{base}/saml2/practice"))
        .await;
    assert_eq!(
        rig.sp_login("").await,
        "Logged in as ada@practice.example.com"
    );
    assert!(core.repoints().await.unwrap().is_empty());

    // The path follows the application-name rule, and each application has its own.
    let bad = core
        .set_idp_path("practice", "Not A Path")
        .await
        .unwrap_err();
    assert!(bad.message.contains("lowercase"), "{}", bad.message);
    core.create_app(NewApplication {
        name: "other".into(),
        idp_path: Some("elsewhere".into()),
        ..Default::default()
    })
    .await
    .unwrap();
    let taken = core
        .set_idp_path("practice", "elsewhere")
        .await
        .unwrap_err();
    assert_eq!(taken.code, lanyard_core::ErrorCode::Conflict);
    assert!(
        taken.message.contains("/saml2/elsewhere"),
        "{}",
        taken.message
    );
    let name_clash = core
        .create_app(NewApplication {
            name: "elsewhere".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(
        name_clash.message.contains("IdP URL"),
        "a new application's default path cannot be another's: {}",
        name_clash.message
    );

    // A path that is another application's name stays that application's (its old URL).
    let other_name = core.set_idp_path("practice", "other").await.unwrap_err();
    assert_eq!(other_name.code, lanyard_core::ErrorCode::Conflict);
    let moved = core.set_idp_path("practice", "sales-sso").await.unwrap();
    assert_eq!(moved.idp_path, "sales-sso");
    let repoints = core.repoints().await.unwrap();
    assert_eq!(repoints.len(), 1, "{repoints:?}");
    assert_eq!(repoints[0].from_url, format!("{base}/saml2/practice"));
    assert_eq!(repoints[0].to_url, format!("{base}/saml2/sales-sso"));

    // Salesforce still sends logins to the old URL: refused, naming the URL to type.
    let refused = rig.sp_login("").await;
    assert!(refused.starts_with("refused"), "{refused}");
    assert!(refused.contains("/saml2/sales-sso"), "{refused}");
    assert_eq!(
        core.repoints().await.unwrap().len(),
        1,
        "a login at the old URL does not confirm the re-point"
    );

    // Salesforce is changed; the login at the new path confirms the re-point.
    rig.configure_salesforce_at(&pem, &repoints[0].to_url).await;
    assert_eq!(
        rig.sp_login("").await,
        "Logged in as ada@practice.example.com"
    );
    assert!(core.repoints().await.unwrap().is_empty());
    drop(idp);
}
