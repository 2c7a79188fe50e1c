//! A form's values checked by the core's own rules while the admin types (no state is read).

use lanyard_core::forms::{check, FieldProblem, FormCheck};

/// Every problem with a form's values, each naming its field; none when a save would take them.
#[tauri::command]
#[specta::specta]
pub fn check_form(form: FormCheck) -> Vec<FieldProblem> {
    check(&form)
}
