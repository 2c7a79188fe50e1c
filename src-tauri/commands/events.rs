use crate::state::AppState;
use lanyard_core::events::Event;
use lanyard_core::ApiError;
use tauri::State;

/// Named events, newest first; `before` (an event id) pages back.
#[tauri::command]
#[specta::specta]
pub async fn list_events(
    state: State<'_, AppState>,
    limit: u32,
    before: Option<u32>,
) -> Result<Vec<Event>, ApiError> {
    state.core()?.events(limit, before.map(i64::from)).await
}

/// Events a filter selects (application, name, outcome, time, run), newest first.
#[tauri::command]
#[specta::specta]
pub async fn query_events(
    state: State<'_, AppState>,
    filter: lanyard_core::events::EventFilter,
) -> Result<Vec<Event>, ApiError> {
    state.core()?.query_events(&filter).await
}
