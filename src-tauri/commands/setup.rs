//! The guided setup checklist: each step's status and the health findings, and the admin's
//! marks on the steps only the admin can confirm.

use crate::state::AppState;
use lanyard_core::setup::practice::PracticeSsoFilled;
use lanyard_core::setup::{Mark, SetupStatus, StepId};
use lanyard_core::ApiError;
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn setup_status(
    state: State<'_, AppState>,
    app: String,
) -> Result<SetupStatus, ApiError> {
    state.core()?.setup_status(&app).await
}

#[tauri::command]
#[specta::specta]
pub async fn setup_mark(
    state: State<'_, AppState>,
    app: String,
    step: StepId,
    mark: Mark,
) -> Result<SetupStatus, ApiError> {
    state.core()?.setup_mark(&app, step, mark).await
}

/// The practice org only: fills its Single Sign-On Settings with this application's values
/// (issuer, the IdP URL this window's IdP answers at, the active certificate) in one click.
#[tauri::command]
#[specta::specta]
pub async fn setup_fill_practice_sso(
    state: State<'_, AppState>,
    app: String,
) -> Result<PracticeSsoFilled, ApiError> {
    let endpoint = state.idp_endpoint();
    if let Some(why) = endpoint.error {
        // Its address is not known yet (or it did not start): nothing worth saving there.
        return Err(ApiError::new(
            lanyard_core::ErrorCode::Conflict,
            format!("The IdP endpoint is not running ({why}): wait a moment and try again, or see Settings."),
        ));
    }
    let sso_url = state.idp_sso_url(&app).await?;
    state.core()?.fill_practice_sso(&app, &sso_url).await
}
