// Injected after mock-ipc.js: the provisioning commands (src-tauri/commands/provisioning.rs,
// events.rs) over the same fake IPC. Scenario keys: connections {app: partial Connection},
// oauthError, testError, plan (SyncReport), runResults [SyncReport…] (one per run, the last
// repeats), runSteps, provisionResults {app: SyncReport}, provisionError, pushStates {app: PushState},
// events [Event…], savePath.
(() => {
  const { handlers, scenario, apps, fail, now, sendOnChannel } = window.__LANYARD_MOCK__;
  const connections = {};
  const appOf = (name) => apps.find((a) => a.name === name);
  const capabilities = (kind) => ({
    plural_config: kind === "salesforce", entitlements: kind === "salesforce", group_create_delete: kind !== "salesforce",
    id_paging: kind === "salesforce", user_delete: kind !== "salesforce",
  });
  const connection = (app, kind, extra = {}) => ({
    app_id: app.id, kind, scim_base: kind === "salesforce" ? `${app.login_url}/services/scim/v2` : "https://scim.example.com/v2",
    login_host: kind === "salesforce" ? app.login_url : null, client_id: null,
    account: kind === "salesforce" ? `${app.login_url}/id/00D000000000001/005000000000001` : null,
    state: "connected", deprovision: "deactivate", auto_push: true, profile_id: kind === "salesforce" ? "00e000000000001" : null,
    has_entitlements: kind === "salesforce", picklists_on: false, created_at: now(), updated_at: now(), ...extra,
  });
  for (const [name, c] of Object.entries(scenario.connections || {})) {
    const app = appOf(name);
    if (app) connections[name] = connection(app, c.kind || "salesforce", c);
  }
  const view = (name) => {
    const c = connections[name];
    return c ? { app: name, connection: c, capabilities: capabilities(c.kind), linked_users: c.linked_users ?? 0, linked_groups: 0, last_run: null } : null;
  };
  const report = (kind) => ({
    scim_base: kind === "salesforce" ? "http://127.0.0.1:8765/services/scim/v2" : "https://scim.example.com/v2",
    config_endpoint: kind === "salesforce" ? "ServiceProviderConfigs" : "ServiceProviderConfig",
    patch: true, filter: true, max_results: 200, entitlements: kind === "salesforce",
    profile_id: kind === "salesforce" ? "00e000000000001" : null, profile_name: kind === "salesforce" ? "Standard User" : null,
    api_usage: kind === "salesforce" ? "api-usage=12/15000" : null,
    notes: kind === "salesforce" ? ["Groups cannot be created or deleted on Salesforce: only public groups that exist are patched."] : [],
  });
  const summary = (extra = {}) => ({
    run_id: "run-1", dry_run: false, planned: 0, created: 0, updated: 0, deactivated: 0, deleted: 0, linked: 0, groups_updated: 0,
    held: 0, failed: 0, requests: 0, seconds: 0.4, message: "", ...extra,
  });
  const emptyReport = (extra = {}) => ({ summary: summary(), users: [], groups: [], problems: [], held_reason: null, failures: [], ...extra });
  const needApp = (name) => (appOf(name) ? null : fail("not_found", `There is no application named "${name}".`));
  const needConnection = (name) => needApp(name) || (connections[name] ? null : fail("not_found", `${name} has no SCIM connection yet: connect it first.`));
  const wait = (ms) => new Promise((r) => setTimeout(r, ms));
  let runs = 0;
  const running = {};

  Object.assign(handlers, {
    scim_status: ({ app }) => (scenario.scimStatusError ? fail("storage", scenario.scimStatusError) : needApp(app) || view(app)),
    scim_connect_salesforce: async ({ app, loginHost, clientId }) => {
      const bad = needApp(app);
      if (bad) return bad;
      window.__LANYARD_OAUTH__ = { app, loginHost, clientId };
      await wait(scenario.oauthDelayMs ?? 300);
      if (scenario.oauthError) return fail("remote", scenario.oauthError);
      connections[app] = connection(appOf(app), "salesforce", { login_host: loginHost, client_id: clientId });
      return report("salesforce");
    },
    scim_connect_bearer: async ({ app, baseUrl, token }) => {
      const bad = needApp(app);
      if (bad) return bad;
      if (token !== "good-token") return fail("remote", "The SCIM server refused the token (HTTP 401): check the token and try again.");
      connections[app] = connection(appOf(app), "scim", { scim_base: baseUrl });
      return report("scim");
    },
    scim_test: ({ app }) => needConnection(app) || (scenario.testError ? fail("remote", scenario.testError) : report(connections[app].kind)),
    scim_settings: ({ app, settings }) => {
      const bad = needConnection(app);
      if (bad) return bad;
      for (const [k, v] of Object.entries(settings)) if (v !== null) connections[app][k] = v;
      return view(app);
    },
    scim_disconnect: ({ app }) => {
      const bad = needConnection(app);
      if (bad) return bad;
      connections[app].state = "deactivated";
      return null;
    },
    sync_plan: async ({ app }) => {
      const bad = needConnection(app);
      if (bad) return bad;
      await wait(100);
      return scenario.plan ? { ...scenario.plan, summary: summary({ dry_run: true }) } : emptyReport();
    },
    // Every provisioned (linked) user deactivated, before the application is deleted.
    deprovision_all: async ({ app, onProgress }) => {
      const bad = needConnection(app);
      if (bad) return bad;
      if (scenario.deprovisionError) return fail("remote", scenario.deprovisionError);
      const n = connections[app].linked_users ?? 0;
      for (let i = 0; i <= n; i += Math.max(1, Math.ceil(n / 4))) {
        sendOnChannel(onProgress, { done: i, total: n, rate_per_sec: 10, eta_secs: (n - i) / 10 });
        await wait(scenario.runStepMs ?? 100);
      }
      window.__LANYARD_DEPROVISIONED__ = [...(window.__LANYARD_DEPROVISIONED__ || []), app];
      // As the core does: the automatic push would put them back.
      connections[app].auto_push = false;
      return emptyReport({ summary: summary({ planned: n, deactivated: n, requests: n }) });
    },
    sync_run: async ({ app, allowDeactivations, onProgress }) => {
      const bad = needConnection(app);
      if (bad) return bad;
      const list = scenario.runResults || [emptyReport()];
      const result = list[Math.min(runs, list.length - 1)];
      runs += 1;
      window.__LANYARD_RUNS__ = [...(window.__LANYARD_RUNS__ || []), { app, allowDeactivations }];
      running[app] = { cancelled: false };
      const steps = scenario.runSteps ?? 4;
      for (let i = 0; i <= steps; i++) {
        sendOnChannel(onProgress, { done: i, total: steps, rate_per_sec: i === 0 ? null : 2, eta_secs: i === 0 ? null : (steps - i) / 2 });
        await wait(scenario.runStepMs ?? 150);
        if (running[app].cancelled) {
          delete running[app];
          return { ...result, summary: { ...result.summary, message: "Cancelled: the operations sent so far are kept." } };
        }
      }
      delete running[app];
      return result;
    },
    sync_cancel: ({ app }) => {
      if (!running[app]) return false;
      running[app].cancelled = true;
      return true;
    },
    provision_user: async ({ app, email }) => {
      const bad = needConnection(app);
      if (bad) return bad;
      window.__LANYARD_PROVISIONED__ = [...(window.__LANYARD_PROVISIONED__ || []), { app, email }];
      await wait(100);
      if (scenario.provisionError) return fail("remote", scenario.provisionError);
      return (scenario.provisionResults || {})[app] || emptyReport({ summary: summary({ updated: 1 }) });
    },
    payload_preview: ({ app, email }) => {
      const bad = needApp(app);
      if (bad) return bad;
      const u = (scenario.authorizedUsers || []).find((x) => x.email === email);
      if (!u) return fail("forbidden", `${email} is not authorized for ${app}.`);
      const create = {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], externalId: u.id, userName: email.toLowerCase(),
        name: { givenName: u.firstname, familyName: u.lastname }, displayName: u.displayname, active: !u.suspended,
        entitlements: [{ value: "00e000000000001", primary: true }], locale: "en_US",
      };
      const update = {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "replace", path: "name.familyName", value: u.lastname }, { op: "replace", path: "active", value: !u.suspended }],
      };
      return { user_name: email.toLowerCase(), create, update, attributes: [] };
    },
    scim_mapping: () => [
      { scim: "externalId", source: "id", rule: "always", note: "" },
      { scim: "name.familyName", source: "lastname", rule: "always", note: "" },
      { scim: "entitlements[primary]", source: 'the "Standard User" profile', rule: "create_only", note: "found by Test connection" },
      { scim: "userName", source: "email, lower-cased", rule: "never_updated", note: "the Salesforce username" },
      { scim: "nickName", source: "—", rule: "never_sent", note: "Salesforce derives it" },
    ],
    autopush_state: ({ app }) => (scenario.pushStates || {})[app] || null,
    // ---- Events (src-tauri/core/src/events.rs query: every filter, newest first) ----
    query_events: ({ filter }) => {
      if (scenario.eventsError) return fail("storage", scenario.eventsError);
      return selectEvents(filter);
    },
    export_events: ({ filter, format }) => {
      const path = scenario.savePath ?? null;
      if (!path) return null;
      const list = selectEvents(filter);
      window.__LANYARD_FILES__[path] =
        format === "json"
          ? JSON.stringify(list, null, 2)
          : "id,at,app,event,outcome,target,http_status,error_code,attempt,run_id,detail\n" +
            list.map((e) => [e.id, e.at, e.app_name ?? "", e.name, e.outcome, e.target ?? "", e.http_status ?? "", e.error_code ?? "", e.attempt ?? "", e.run_id ?? "", e.detail].join(",")).join("\n");
      return path;
    },
  });

  const selectEvents = (f) => {
    const terms = String(f.text || "").toLowerCase().split(/\s+/).filter(Boolean);
    return (scenario.events || [])
      .map((e) => ({ target: null, run_id: null, http_status: null, error_code: null, attempt: null, ...e }))
      .filter(
        (e) =>
          (!f.app_name || e.app_name === f.app_name) &&
          (!f.name || e.name === f.name) &&
          (!f.outcome || e.outcome === f.outcome) &&
          (!f.since || e.at >= f.since) &&
          (!f.run_id || e.run_id === f.run_id) &&
          (f.before == null || e.id < f.before) &&
          terms.every((t) => [e.detail, e.target, e.name, e.app_name, e.error_code].some((v) => v && v.toLowerCase().includes(t))),
      )
      .sort((a, b) => b.id - a.id)
      .slice(0, f.limit || 100000);
  };
})();
