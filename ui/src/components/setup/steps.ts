// The checklist's step ids in the core's order (src-tauri/core/src/setup/steps.rs), for the
// address of a step and the placeholder rows shown while the status loads.
import type { Severity, StepId, StepStatus } from "../../bindings";

export const STEP_IDS: readonly StepId[] = [
  "prerequisites", "my_domain", "salesforce_certificate", "enable_saml", "import_metadata", "idp_settings",
  "download_certificate", "replace_certificate", "enable_sso", "authorize_groups", "validate_sso",
  "identity_management", "attribute_mappings", "import_users", "event_log",
];

export function parseStep(value: string | undefined): StepId | null {
  return value && (STEP_IDS as readonly string[]).includes(value) ? (value as StepId) : null;
}

export const STATUS_LABEL: Record<StepStatus, string> = {
  todo: "To do",
  done: "Done",
  needs_attention: "Needs attention",
  skipped: "Skipped",
};

export const SEVERITY_LABEL: Record<Severity, string> = { error: "Error", warning: "Warning", info: "Info" };
