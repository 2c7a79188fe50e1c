use super::files::{ask_save_path, write_file, SaveAs};
use crate::state::AppState;
use lanyard_core::events::{Event, EventFilter};
use lanyard_core::{ApiError, ErrorCode};
use tauri::{AppHandle, State};

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

/// The file formats the Events page exports.
#[derive(Debug, Clone, Copy, serde::Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Json,
}

/// Saves the events a filter selects (what the Events page shows) as CSV or JSON where the admin
/// chooses in the save dialog; answers the path, or nothing when the admin cancelled.
#[tauri::command]
#[specta::specta]
pub async fn export_events(
    handle: AppHandle,
    state: State<'_, AppState>,
    filter: EventFilter,
    format: ExportFormat,
) -> Result<Option<String>, ApiError> {
    let core = state.core()?;
    let offer = match format {
        ExportFormat::Csv => SaveAs {
            title: "Export events",
            file_name: "lanyard-events.csv",
            filter: ("CSV", &["csv"]),
        },
        ExportFormat::Json => SaveAs {
            title: "Export events",
            file_name: "lanyard-events.json",
            filter: ("JSON", &["json"]),
        },
    };
    let Some(path) = ask_save_path(&handle, offer).await? else {
        return Ok(None);
    };
    let events = core.query_events(&filter).await?;
    let text = match format {
        ExportFormat::Csv => lanyard_core::events::to_csv(&events),
        ExportFormat::Json => serde_json::to_string_pretty(&events).map_err(|e| {
            ApiError::new(
                ErrorCode::Internal,
                format!("Cannot write the events as JSON: {e}"),
            )
        })?,
    };
    write_file(&path, &text)?;
    Ok(Some(path.display().to_string()))
}
