// Shared scenario pieces for the provisioning suites.
export const PRACTICE_APP = {
  id: "a1", name: "acme", label: "Acme", description: "", kind: "salesforce", environment: "practice", sandbox: false,
  login_url: "http://127.0.0.1:8765", idp_path: "acme", created_at: "2026-11-01T00:00:00Z", updated_at: "2026-11-01T00:00:00Z",
};

export const authorized = (email, extra = {}) => ({
  id: `u-${email}`, email, firstname: email.split("@")[0], lastname: "Doe", displayname: `${email.split("@")[0]} Doe`,
  employee_type: "", job_title: "", employee_identifier: "", department: "", company: "",
  address: { type: "", street_address: "", locality: "", region: "", postal_code: "", country: "" },
  phone: { type: "", value: "" }, suspended: false, password_expired: false, federation_id: null, ...extra,
});

export const planned = (user_name, action, extra = {}) => ({
  user_id: `u-${user_name}`, user_name, action, remote_id: null, changes: [], body: null, held: false, warning: null, ...extra,
});

export const summary = (extra = {}) => ({
  run_id: "run-1", dry_run: false, planned: 0, created: 0, updated: 0, deactivated: 0, deleted: 0, linked: 0,
  groups_updated: 0, held: 0, failed: 0, requests: 0, seconds: 0.4, message: "", ...extra,
});

export const syncReport = (extra = {}) => ({
  summary: summary(extra.summary || {}), users: [], groups: [], problems: [], held_reason: null, failures: [], ...extra,
  ...(extra.summary ? { summary: summary(extra.summary) } : {}),
});
