// Injected before the UI loads (Playwright addInitScript): a fake Tauri IPC with the same command
// names, argument names and {code, message} errors as the Rust side. The scenario comes from
// window.__LANYARD_SCENARIO__, set by the test before this script runs.
(() => {
  const scenario = window.__LANYARD_SCENARIO__ || {};
  const apps = [...(scenario.apps || [])];
  const now = () => new Date("2026-11-28T10:00:00Z").toISOString();
  const slug = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
  const fail = (code, message) => Promise.reject({ code, message });
  const calls = [];
  window.__LANYARD_CALLS__ = calls;

  const handlers = {
    startup_status: () => ({
      error: scenario.startupError || null,
      data_dir: "/tmp/lanyard-mock",
      practice_url: "http://127.0.0.1:8765",
    }),
    storage_info: () => ({
      data_dir: "/tmp/lanyard-mock",
      database: "/tmp/lanyard-mock/lanyard.db",
      schema_version: 1,
      app_version: "0.1.0",
    }),
    keyring_status: () =>
      scenario.keyringDown
        ? { available: false, message: "No OS keyring is reachable: install gnome-keyring." }
        : { available: true, message: "The OS keyring is reachable." },
    mark_first_paint: () => null,
    list_apps: () => [...apps].sort((a, b) => a.name.localeCompare(b.name)),
    create_app: ({ request }) => {
      if (!slug.test(request.name)) {
        return fail("invalid_input", `"${request.name}" is not a valid application name: lowercase letters, digits and hyphens.`);
      }
      if (apps.some((a) => a.name === request.name)) {
        return fail("conflict", `An application named "${request.name}" already exists: pick another name, or open the existing one.`);
      }
      const app = {
        id: `id-${apps.length + 1}`,
        name: request.name,
        label: request.label && request.label.trim() ? request.label.trim() : request.name,
        description: (request.description || "").trim(),
        kind: "salesforce",
        environment: request.environment,
        sandbox: request.environment === "sandbox",
        login_url: {
          production: "https://login.salesforce.com",
          sandbox: "https://test.salesforce.com",
          practice: "http://127.0.0.1:8765",
        }[request.environment],
        created_at: now(),
        updated_at: now(),
      };
      apps.push(app);
      return app;
    },
    get_app: ({ name }) => apps.find((a) => a.name === name) || fail("not_found", `There is no application named "${name}".`),
    delete_app: ({ name }) => {
      const i = apps.findIndex((a) => a.name === name);
      if (i < 0) return fail("not_found", `There is no application named "${name}".`);
      apps.splice(i, 1);
      return null;
    },
  };

  window.__TAURI_INTERNALS__ = {
    metadata: { currentWindow: { label: "main" }, currentWebview: { windowLabel: "main", label: "main" } },
    transformCallback: () => 0,
    invoke: async (cmd, args) => {
      calls.push({ cmd, args });
      const handler = handlers[cmd];
      if (!handler) return Promise.reject(`mock IPC: unknown command ${cmd}`);
      return handler(args || {});
    },
  };
})();
