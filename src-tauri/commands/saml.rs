//! Single sign-on commands: SP settings from metadata (file, drop, paste) or by hand, Salesforce's
//! certificate, IdP keys and rollover, exports, test logins and the decoder.

use super::files::{ask_save_path, read_file, write_file, SaveAs, CERTIFICATE, METADATA};
use crate::state::AppState;
use lanyard_core::saml::authorized::AuthorizedUser;
use lanyard_core::saml::decode::Decoded;
use lanyard_core::saml::keys::KeyRequest;
use lanyard_core::saml::metadata::SpMetadata;
use lanyard_core::saml::service::{IdpCertView, SpView};
use lanyard_core::{ApiError, ErrorCode};
use serde::Serialize;
use tauri::{AppHandle, State};

/// Metadata pasted as text, or a file chosen in the dialog or dropped on the window.
fn metadata_bytes(
    state: &AppState,
    text: Option<String>,
    path: Option<String>,
) -> Result<Vec<u8>, ApiError> {
    match (text, path) {
        (Some(t), _) => Ok(t.into_bytes()),
        (None, Some(p)) => read_file(state, &p, METADATA),
        (None, None) => Err(ApiError::new(
            ErrorCode::InvalidInput,
            "Paste the metadata XML or choose a file.",
        )),
    }
}

#[tauri::command]
#[specta::specta]
pub async fn sp_config(state: State<'_, AppState>, app: String) -> Result<SpView, ApiError> {
    state.core()?.sp_config(&app).await
}

/// Reads metadata without saving (preview, and the entity list of an EntitiesDescriptor).
#[tauri::command]
#[specta::specta]
pub async fn inspect_metadata(
    state: State<'_, AppState>,
    app: String,
    text: Option<String>,
    path: Option<String>,
    entity: Option<String>,
) -> Result<SpMetadata, ApiError> {
    let bytes = metadata_bytes(&state, text, path)?;
    state
        .core()?
        .inspect_metadata(&bytes, entity.as_deref(), Some(&app))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn save_sp_metadata(
    state: State<'_, AppState>,
    app: String,
    text: Option<String>,
    path: Option<String>,
    entity: Option<String>,
) -> Result<SpView, ApiError> {
    let bytes = metadata_bytes(&state, text, path)?;
    state
        .core()?
        .set_sp_metadata(&app, &bytes, entity.as_deref())
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn save_sp_manual(
    state: State<'_, AppState>,
    app: String,
    entity_id: String,
    acs_url: String,
    cert_path: Option<String>,
) -> Result<SpView, ApiError> {
    let cert = cert_path
        .as_deref()
        .map(|p| read_file(&state, p, CERTIFICATE))
        .transpose()?;
    state
        .core()?
        .set_sp_manual(&app, &entity_id, &acs_url, cert.as_deref())
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn import_sp_certificate(
    state: State<'_, AppState>,
    app: String,
    path: String,
) -> Result<SpView, ApiError> {
    let bytes = read_file(&state, &path, CERTIFICATE)?;
    state.core()?.import_sp_certificate(&app, &bytes).await
}

#[tauri::command]
#[specta::specta]
pub async fn idp_certificates(
    state: State<'_, AppState>,
    app: String,
) -> Result<Vec<IdpCertView>, ApiError> {
    state.core()?.idp_certificates(&app).await
}

#[tauri::command]
#[specta::specta]
pub async fn idp_rotate(
    state: State<'_, AppState>,
    app: String,
    activate: bool,
    request: Option<KeyRequest>,
) -> Result<Vec<IdpCertView>, ApiError> {
    state.core()?.idp_rotate(&app, activate, request).await
}

/// Binds the next certificate to a Salesforce configuration's Login URL (None: unbinds it).
#[tauri::command]
#[specta::specta]
pub async fn idp_bind_next(
    state: State<'_, AppState>,
    app: String,
    acs_url: Option<String>,
) -> Result<Vec<IdpCertView>, ApiError> {
    state.core()?.idp_bind_next(&app, acs_url.as_deref()).await
}

#[tauri::command]
#[specta::specta]
pub async fn idp_retire(
    state: State<'_, AppState>,
    app: String,
) -> Result<Vec<IdpCertView>, ApiError> {
    state.core()?.idp_retire(&app).await
}

/// What to copy or export: certificate.pem, the IdP metadata, and the values Salesforce asks for.
#[derive(Debug, Serialize, specta::Type)]
pub struct IdpExports {
    pub entity_id: String,
    pub sso_url: String,
    pub certificate_pem: String,
    pub metadata_xml: String,
}

#[tauri::command]
#[specta::specta]
pub async fn idp_exports(state: State<'_, AppState>, app: String) -> Result<IdpExports, ApiError> {
    let core = state.core()?;
    let application = core.get_app(&app).await?;
    let sso_url = state.idp_sso_url(&app).await?;
    Ok(IdpExports {
        entity_id: lanyard_core::saml::service::idp_entity_id(&application),
        certificate_pem: core.idp_certificate_pem(&app).await?,
        metadata_xml: core.idp_metadata(&app, &sso_url).await?,
        sso_url,
    })
}

/// Saves certificate.pem or the IdP metadata where the admin chooses in the save dialog; answers
/// the path, or nothing when the admin cancelled.
#[tauri::command]
#[specta::specta]
pub async fn export_idp_file(
    handle: AppHandle,
    state: State<'_, AppState>,
    app: String,
    what: String,
) -> Result<Option<String>, ApiError> {
    let core = state.core()?;
    let offer = match what.as_str() {
        "certificate" => SaveAs {
            title: "Save certificate.pem",
            file_name: "certificate.pem",
            filter: ("PEM certificate", &["pem", "crt"]),
        },
        "metadata" => SaveAs {
            title: "Save the IdP metadata",
            file_name: &format!("lanyard-idp-{app}.xml"),
            filter: ("SAML metadata", &["xml"]),
        },
        other => {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!("Unknown export {other:?}: use certificate or metadata."),
            ))
        }
    };
    let text = if what == "certificate" {
        core.idp_certificate_pem(&app).await?
    } else {
        core.idp_metadata(&app, &state.idp_sso_url(&app).await?)
            .await?
    };
    let Some(path) = ask_save_path(&handle, offer).await? else {
        return Ok(None);
    };
    write_file(&path, &text)?;
    Ok(Some(path.display().to_string()))
}

#[tauri::command]
#[specta::specta]
pub async fn authorized_users(
    state: State<'_, AppState>,
    app: String,
) -> Result<Vec<AuthorizedUser>, ApiError> {
    state.core()?.authorized_users(&app).await
}

/// IdP-initiated test login: opens the system browser on a one-time auto-post page.
#[tauri::command]
#[specta::specta]
pub async fn test_login(
    app_handle: tauri::AppHandle,
    state: State<'_, AppState>,
    app: String,
    user: String,
) -> Result<String, ApiError> {
    use tauri_plugin_opener::OpenerExt;
    let link = state.core()?.idp_initiated_login(&app, &user).await?;
    // The page is a 0600 file that posts the one-time secret: the secret never appears on a
    // command line (the opener's), which every local user could read.
    let path = link.path.display().to_string();
    app_handle
        .opener()
        .open_path(&path, None::<&str>)
        .map_err(|e| {
            ApiError::new(
                ErrorCode::Internal,
                format!("Cannot open the browser ({e}); open the file {path} in a browser within 60 seconds."),
            )
        })?;
    let url = link.url.clone();
    tauri::async_runtime::spawn(link.wait());
    Ok(url)
}

#[tauri::command]
#[specta::specta]
pub async fn decode_saml(
    state: State<'_, AppState>,
    input: String,
    app: Option<String>,
) -> Result<Decoded, ApiError> {
    state.core()?.decode_saml(&input, app.as_deref()).await
}

/// Where the SP-initiated IdP endpoint listens, or why it could not start.
#[derive(Debug, Serialize, specta::Type)]
pub struct IdpEndpoint {
    pub url: String,
    pub error: Option<String>,
}

#[tauri::command]
#[specta::specta]
pub fn idp_endpoint(state: State<'_, AppState>) -> IdpEndpoint {
    state.idp_endpoint()
}

#[tauri::command]
#[specta::specta]
pub async fn saml_settings(
    state: State<'_, AppState>,
    app: String,
) -> Result<lanyard_core::saml::settings::SamlSettings, ApiError> {
    state.core()?.saml_settings(&app).await
}

#[tauri::command]
#[specta::specta]
pub async fn save_saml_settings(
    state: State<'_, AppState>,
    app: String,
    settings: lanyard_core::saml::settings::SamlSettings,
) -> Result<lanyard_core::saml::settings::SamlSettings, ApiError> {
    state.core()?.set_saml_settings(&app, settings).await
}
