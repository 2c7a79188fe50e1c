//! The guided setup checklist: each step's status and the health findings, and the admin's
//! marks on the steps only the admin can confirm.

use crate::state::AppState;
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
