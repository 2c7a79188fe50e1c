//! The setup checklist: derived steps follow the state, admin steps follow the admin's marks,
//! derived steps cannot be marked done by hand, and the marks survive a restart.

mod common;

use lanyard_core::clock::SystemClock;
use lanyard_core::secrets::MemoryStore;
use lanyard_core::setup::{Mark, StepId, StepStatus};
use lanyard_core::Core;
use std::sync::Arc;

fn status_of(s: &lanyard_core::setup::SetupStatus, id: StepId) -> StepStatus {
    s.steps
        .iter()
        .find(|x| x.id == id)
        .map(|x| x.status)
        .unwrap()
}

#[tokio::test]
async fn derived_steps_follow_the_state_and_marks_persist() {
    let rig = common::rig().await;
    let fresh = rig.core.setup_status("practice").await.unwrap();
    assert_eq!(fresh.steps.len(), StepId::ALL.len(), "every step, in order");
    assert_eq!(status_of(&fresh, StepId::ImportMetadata), StepStatus::Todo);
    assert!(
        fresh
            .findings
            .iter()
            .any(|f| f.step == StepId::ImportMetadata),
        "the missing metadata is a finding that names its step"
    );
    assert_eq!(
        status_of(&fresh, StepId::AuthorizeGroups),
        StepStatus::Done,
        "the rig binds Sales with Ada"
    );

    let err = rig
        .core
        .setup_mark("practice", StepId::ImportMetadata, Mark::Done)
        .await
        .unwrap_err();
    assert!(
        err.message.contains("cannot be marked done by hand"),
        "{}",
        err.message
    );

    rig.ready().await;
    let ready = rig.core.setup_status("practice").await.unwrap();
    for id in [
        StepId::ImportMetadata,
        StepId::SalesforceCertificate,
        StepId::DownloadCertificate,
        StepId::IdpSettings,
    ] {
        assert_eq!(
            status_of(&ready, id),
            StepStatus::Done,
            "{id} is derived from the imported metadata and the key"
        );
    }
    rig.core
        .setup_mark("practice", StepId::MyDomain, Mark::Done)
        .await
        .unwrap();
    rig.core
        .setup_mark("practice", StepId::ImportUsers, Mark::Skipped)
        .await
        .unwrap();

    // Reopen the same data folder: the admin's marks were stored.
    let dir = rig._dir.path().to_path_buf();
    let again = Core::open(
        &dir,
        Arc::new(MemoryStore::default()),
        Arc::new(SystemClock),
    )
    .await
    .unwrap();
    let after = again.setup_status("practice").await.unwrap();
    assert_eq!(status_of(&after, StepId::MyDomain), StepStatus::Done);
    assert_eq!(status_of(&after, StepId::ImportUsers), StepStatus::Skipped);
    again
        .setup_mark("practice", StepId::MyDomain, Mark::Todo)
        .await
        .unwrap();
    let undone = again.setup_status("practice").await.unwrap();
    assert_eq!(status_of(&undone, StepId::MyDomain), StepStatus::Todo);
}

#[tokio::test]
async fn one_click_fills_the_practice_orgs_sso_settings_and_a_login_then_reaches_it() {
    let rig = common::rig().await;
    let sso_url = "http://127.0.0.1:8766/saml2/practice";
    let err = rig
        .core
        .fill_practice_sso("practice", sso_url)
        .await
        .unwrap_err();
    assert!(
        err.message.contains("idp rotate"),
        "without a signing key there is no certificate to give: {}",
        err.message
    );
    // What a web page in the admin's browser could send without a CORS preflight: refused.
    let forged = rig
        .http
        .post(format!("{}/_sim/saml/sso-settings", rig.base()))
        .header("content-type", "text/plain")
        .body(r#"{"issuer":"x","idp_login_url":"http://evil.example/","idp_certificate_pem":""}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status().as_u16(), 415, "only JSON is taken");
    assert!(
        rig.sim.sim.org().sso.idp_login_url.is_empty(),
        "nothing saved"
    );
    rig.core
        .set_sp_metadata("practice", &rig.metadata().await, None)
        .await
        .unwrap();
    rig.core.idp_rotate("practice", false, None).await.unwrap();
    rig.create_user("ada@practice.example.com").await;
    // Before the fill the practice org trusts nobody: the login is refused there.
    assert_ne!(
        rig.login("ada@practice.example.com").await,
        "Logged in as ada@practice.example.com"
    );
    let filled = rig
        .core
        .fill_practice_sso("practice", sso_url)
        .await
        .unwrap();
    let idp_pem = rig.core.idp_certificate_pem("practice").await.unwrap();
    {
        let org = rig.sim.sim.org();
        assert!(
            filled.login_url.starts_with(rig.base())
                && filled.login_url.contains(&format!("so={}", org.org_id)),
            "the first configuration's Login URL: {}",
            filled.login_url
        );
        assert!(org.sso.enabled);
        assert_eq!(org.sso.idp_login_url, sso_url);
        assert_eq!(org.sso.identity_type, "username", "SCIM path: username");
        assert!(!org.sso.jit_enabled, "just-in-time off");
        assert_eq!(org.sso.idp_certificate_pem.trim(), idp_pem.trim());
    }
    assert_eq!(
        rig.login("ada@practice.example.com").await,
        "Logged in as ada@practice.example.com",
        "the filled settings trust Lanyard's signature"
    );

    // A real org cannot be filled.
    rig.core
        .create_app(lanyard_core::apps::NewApplication {
            name: "prod".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let err = rig
        .core
        .fill_practice_sso("prod", sso_url)
        .await
        .unwrap_err();
    assert_eq!(err.code, lanyard_core::ErrorCode::InvalidInput);
    assert!(err.message.contains("copy button"), "{}", err.message);
}
