// Every event name and outcome, for the filters. A Record keyed by the generated unions: adding
// a name in Rust without listing it here fails the type check.
import type { EventName, Outcome } from "../../bindings";

const NAMES: Record<EventName, true> = {
  "saml.sp_metadata_saved": true, "saml.sp_settings_entered": true, "saml.sp_certificate_imported": true,
  "saml.idp_key_created": true, "saml.idp_certificate_activated": true, "saml.idp_certificate_bound": true,
  "saml.idp_certificate_retired": true, "saml.settings_saved": true, "saml.response_signed": true,
  "saml.login_request_refused": true, "saml.login_denied": true, "saml.login_request_waiting": true,
  "saml.login_approved": true, "saml.sso_activated": true, "saml.sso_deactivated": true, "saml.idp_repointed": true, user_create_provision: true, user_update_provision: true, user_deprovision: true,
  user_delete_provision: true, user_lookup_provision: true, group_create_provision: true, group_update_provision: true,
  group_delete_provision: true, idm_integration_activate: true, idm_integration_update: true,
  idm_integration_reauth: true, idm_integration_delete: true, "directory.import_from_target": true,
};
export const EVENT_NAMES = Object.keys(NAMES) as EventName[];

export const OUTCOME_LABEL: Record<Outcome, string> = { ok: "OK", failed: "Failed", skipped: "Skipped", warning: "Warning" };
export const OUTCOMES = Object.keys(OUTCOME_LABEL) as Outcome[];

export function isEventName(v: string): v is EventName {
  return Object.hasOwn(NAMES, v);
}
export function isOutcome(v: string): v is Outcome {
  return Object.hasOwn(OUTCOME_LABEL, v);
}
