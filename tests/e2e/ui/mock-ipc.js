// Injected before the UI loads (Playwright addInitScript): a fake Tauri IPC with the same command
// names, argument names and {code, message} errors as the Rust side. The scenario comes from
// window.__LANYARD_SCENARIO__, set by the test before this script runs.
(() => {
  const scenario = window.__LANYARD_SCENARIO__ || {};
  const apps = (scenario.apps || []).map((a) => ({ sso_enabled: true, idp_path: a.name, ...a }));
  const now = () => new Date("2026-11-28T10:00:00Z").toISOString();
  const slug = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
  const fail = (code, message) => Promise.reject({ code, message });
  const calls = [];
  window.__LANYARD_CALLS__ = calls;

  const idpBase = { setting: null, repoints: [] };
  // Kept across a reload, as the core keeps them in SQLite.
  const SETTINGS_KEY = "lanyard-mock-settings";
  const settings = JSON.parse(window.sessionStorage?.getItem(SETTINGS_KEY) ?? "null") ?? { events_retention_days: scenario.retentionDays ?? 90 };
  const handlers = {
    startup_status: () => ({
      error: scenario.startupError || null,
      data_dir: "/tmp/lanyard-mock",
      practice_url: "http://127.0.0.1:8765",
      last_app: scenario.lastApp ?? null,
    }),
    // Mirrors src-tauri/window_memory.rs: the application open last, for the next start.
    remember_app: ({ app }) => {
      window.__LANYARD_REMEMBERED__ = app;
      return null;
    },
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
    // Mirrors src-tauri/commands/system.rs: the core keeps 1 to 3650 days.
    get_settings: () => ({ ...settings }),
    set_settings: ({ settings: next }) => {
      const days = next.events_retention_days;
      if (!Number.isInteger(days) || days < 1 || days > 3650) {
        return fail("invalid_input", `Events are kept 1 to 3650 days; ${days} is outside that: choose a number of days in that range (the default is 90).`);
      }
      settings.events_retention_days = days;
      window.sessionStorage?.setItem(SETTINGS_KEY, JSON.stringify(settings));
      window.__LANYARD_SETTINGS_SAVED__ = [...(window.__LANYARD_SETTINGS_SAVED__ || []), days];
      return { ...settings };
    },
    // Mirrors core/src/saml/repoint.rs: a loopback http address with a port; moving it asks every
    // application with SP settings to be re-pointed.
    idp_address: () => ({ base_url: idpBase.setting ?? "http://127.0.0.1:8766", from_env: Boolean(scenario.idpFromEnv), setting: idpBase.setting }),
    set_idp_address: ({ url }) => {
      const u = url.trim().replace(/\/$/, "");
      const port = Number(/^http:\/\/(?:127\.0\.0\.1|localhost):(\d{1,5})$/.exec(u)?.[1] ?? 0);
      if (port < 1024 || port > 65535) {
        return fail("invalid_input", `"${url}" is not a usable IdP address: use http://127.0.0.1:PORT (the IdP answers only on this computer), for example http://127.0.0.1:8766.`);
      }
      const old = idpBase.setting ?? "http://127.0.0.1:8766";
      idpBase.setting = `http://127.0.0.1:${port}`;
      if (idpBase.setting !== old) {
        for (const a of apps.filter((x) => (scenario.repointApps ?? []).includes(x.name))) {
          const prev = idpBase.repoints.find((r) => r.app === a.name);
          if (prev) prev.to_url = `${idpBase.setting}/saml2/${a.idp_path}`;
          else idpBase.repoints.push({ app: a.name, from_url: `${old}/saml2/${a.idp_path}`, to_url: `${idpBase.setting}/saml2/${a.idp_path}`, since: now() });
        }
        idpBase.repoints = idpBase.repoints.filter((r) => r.from_url !== r.to_url);
      }
      return [...idpBase.repoints];
    },
    idp_repoints: () => [...idpBase.repoints],
    // Mirrors Core::set_idp_path: the name rule, one application per path, a re-point when the
    // org is set up (scenario.repointApps).
    set_idp_path: ({ name, path }) => {
      const app = apps.find((a) => a.name === name);
      if (!app) return fail("not_found", `There is no application named "${name}".`);
      if (!slug.test(path)) return fail("invalid_input", `"${path}" is not a valid application name (use lowercase letters only).`);
      if (apps.some((a) => a !== app && a.idp_path === path))
        return fail("conflict", `Another application's IdP URL already ends in /saml2/${path}: each application needs its own, so choose another name or IdP URL path.`);
      const base = idpBase.setting ?? "http://127.0.0.1:8766";
      if (path !== app.idp_path && (scenario.repointApps ?? []).includes(name)) {
        const prev = idpBase.repoints.find((r) => r.app === name);
        if (prev) prev.to_url = `${base}/saml2/${path}`;
        else idpBase.repoints.push({ app: name, from_url: `${base}/saml2/${app.idp_path}`, to_url: `${base}/saml2/${path}`, since: now() });
        idpBase.repoints = idpBase.repoints.filter((r) => r.from_url !== r.to_url);
      }
      app.idp_path = path;
      return { ...app };
    },
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
        sso_enabled: true,
        idp_path: request.idp_path ?? request.name,
        created_at: now(),
        updated_at: now(),
      };
      if (apps.some((a) => a.idp_path === app.idp_path))
        return fail("conflict", `Another application's IdP URL already ends in /saml2/${app.idp_path}: each application needs its own, so choose another name or IdP URL path.`);
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


  // ---- Directory (users, groups, bindings) ----
  const dir = { users: [], groups: [], bindings: new Set(), mark: 0, nextId: 1 };
  window.__LANYARD_DIR__ = dir;
  const newId = (p) => `${p}-${dir.nextId++}`;
  const blankUser = () => ({
    id: newId("u"), email: "", firstname: "", lastname: "", displayname: "", employee_type: "", job_title: "",
    employee_identifier: "", department: "", company: "",
    address: { type: "", street_address: "", locality: "", region: "", postal_code: "", country: "" },
    phone: { type: "", value: "" }, suspended: false, password_expired: false, federation_id: null, groups: [],
    created_at: now(), updated_at: now(),
  });
  const groupOf = (ref) => dir.groups.find((g) => g.id === ref || g.name.toLowerCase() === String(ref).trim().toLowerCase());
  const userOf = (ref) => dir.users.find((u) => u.id === ref || u.email.toLowerCase() === String(ref).trim().toLowerCase());
  const emailOk = (e) => /^[^\s@]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/.test(e.trim());
  const bump = () => {
    dir.mark += 1;
  };
  const addGroup = (name, description = "") => {
    const g = { id: newId("g"), name, description, member_count: 0, created_at: now(), updated_at: now() };
    dir.groups.push(g);
    return g;
  };
  for (const g of scenario.groups || []) addGroup(g.name, g.description || "");
  for (const u of scenario.users || []) {
    const base = blankUser();
    dir.users.push({ ...base, ...u, address: { ...base.address, ...(u.address || {}) }, phone: { ...base.phone, ...(u.phone || {}) } });
  }
  if (scenario.userCount) {
    // Generated in the page so a benchmark need not ship 100,000 users through the test runner.
    const depts = ["Engineering", "Sales", "Support", "Finance", "Marketing", "Legal", "Operations", "People"];
    for (const name of ["EMEA", "AMER", "APAC", ...depts]) if (!groupOf(name)) addGroup(name);
    for (let i = 0; i < scenario.userCount; i++) {
      const base = blankUser();
      const dept = depts[i % depts.length];
      const n = String(i).padStart(6, "0");
      dir.users.push({
        ...base,
        email: `user${n}@example.com`, firstname: `First${i}`, lastname: `Last${scenario.userCount - i}`,
        displayname: `First${i} Last${scenario.userCount - i}`, job_title: `Analyst ${i % 40}`, department: dept,
        company: "Acme", address: { ...base.address, locality: `City ${i % 97}`, country: "FR" },
        suspended: i % 50 === 0, federation_id: `fed-${n}`, groups: [dept, ["EMEA", "AMER", "APAC"][i % 3]].sort(),
      });
    }
  }
  const groupsOut = () =>
    [...dir.groups]
      .map((g) => ({ ...g, member_count: dir.users.filter((u) => u.groups.some((n) => n.toLowerCase() === g.name.toLowerCase())).length }))
      .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
  const validateUser = (input, selfId) => {
    if (!emailOk(input.email)) return fail("invalid_input", `"${input.email}" is not a valid email / Salesforce username.`);
    const other = userOf(input.email);
    if (other && other.id !== selfId) return fail("conflict", `A user with the email "${input.email.trim()}" already exists (emails compare without regard to case): edit that user instead.`);
    if (!input.lastname.trim()) return fail("invalid_input", "The last name is empty: Salesforce requires a last name for every user.");
    return null;
  };
  const fill = (input) => ({
    ...input,
    email: input.email.trim(),
    displayname: input.displayname.trim() || `${input.firstname} ${input.lastname}`.trim(),
    federation_id: input.federation_id && input.federation_id.trim() ? input.federation_id.trim() : null,
  });
  const parseCsv = (text) => {
    const lines = text.replace(/\r/g, "").split("\n");
    const header = (lines[0] || "").split(",").map((h) => h.trim());
    const rows = [];
    lines.slice(1).forEach((line, i) => {
      if (line.trim() !== "") rows.push({ line: i + 2, cells: line.split(",") });
    });
    return { header, rows };
  };
  const KNOWN = ["email", "firstname", "lastname", "displayname", "department", "jobtitle", "suspended", "groups", "federationid"];
  const planCsv = (text) => {
    const { header, rows } = parseCsv(text);
    const at = (name) => header.findIndex((h) => h.toLowerCase().replace(/[\s_.-]/g, "") === name);
    if (at("email") < 0) return { fatal: `The CSV file cannot be read: no column is named "email" (found: ${header.join(", ")}); users are matched by email, so the file needs one` };
    const errors = [];
    const ops = [];
    const newGroups = [];
    const seen = new Map();
    for (const r of rows) {
      const get = (name) => (at(name) >= 0 ? (r.cells[at(name)] || "").trim() : undefined);
      const email = get("email");
      const problems = [];
      if (!emailOk(email)) problems.push(`"${email}" is not a valid email / Salesforce username`);
      if (seen.has(email.toLowerCase())) problems.push(`the email "${email}" is also on line ${seen.get(email.toLowerCase())}; each user may appear once`);
      else seen.set(email.toLowerCase(), r.line);
      const existing = userOf(email);
      const last = get("lastname") ?? (existing ? existing.lastname : "");
      if (!last) problems.push("The last name is empty: Salesforce requires a last name for every user.");
      if (problems.length) {
        errors.push({ line: r.line, email, message: problems.join("; ") });
        continue;
      }
      const groups = get("groups");
      const list = groups === undefined ? undefined : groups.split(";").map((g) => g.trim()).filter(Boolean);
      for (const g of list || []) if (!groupOf(g) && !newGroups.includes(g)) newGroups.push(g);
      ops.push({ existing, email, fields: { firstname: get("firstname"), lastname: last, department: get("department"), job_title: get("jobtitle"), suspended: get("suspended") === undefined ? undefined : /^(true|yes|1)$/i.test(get("suspended")) }, groups: list });
    }
    const ignored = header.filter((h) => !KNOWN.includes(h.toLowerCase().replace(/[\s_.-]/g, "")));
    return { rows: rows.length, errors, ops, newGroups, ignored, columns: header.filter((h) => !ignored.includes(h)) };
  };

  const searchCache = { mark: -1, users: null, texts: new Map(), sorted: new Map() };
  const freshCache = () => {
    if (searchCache.mark !== dir.mark || searchCache.users !== dir.users) {
      Object.assign(searchCache, { mark: dir.mark, users: dir.users, texts: new Map(), sorted: new Map() });
    }
  };
  const searchText = (u) => {
    let t = searchCache.texts.get(u);
    if (t === undefined) {
      t = [u.email, u.displayname, u.firstname, u.lastname, u.department, u.job_title, u.company, u.employee_identifier, u.address.locality, u.federation_id || ""].join(" ").toLowerCase();
      searchCache.texts.set(u, t);
    }
    return t;
  };
  const SORT_KEYS = {
    email: (u) => u.email.toLowerCase(),
    displayname: (u) => u.displayname.toLowerCase(),
    department: (u) => u.department.toLowerCase(),
    job_title: (u) => u.job_title.toLowerCase(),
    company: (u) => u.company.toLowerCase(),
    locality: (u) => u.address.locality.toLowerCase(),
    status: (u) => (u.suspended ? 1 : 0),
    federation_id: (u) => (u.federation_id || "").toLowerCase(),
    employee_identifier: (u) => u.employee_identifier.toLowerCase(),
  };
  const sortedUsers = (sort) => {
    const specs = (sort || []).slice(0, 3);
    const key = JSON.stringify(specs);
    let list = searchCache.sorted.get(key);
    if (list) return list;
    const cmp = (x, y) => (x < y ? -1 : x > y ? 1 : 0);
    const keys = specs.map((s) => ({ f: SORT_KEYS[s.by], desc: s.desc }));
    const lastDesc = specs.length > 0 && specs[specs.length - 1].desc;
    list = [...dir.users].sort((a, b) => {
      if (keys.length === 0) return cmp(a.email.toLowerCase(), b.email.toLowerCase());
      for (const k of keys) {
        const c = cmp(k.f(a), k.f(b));
        if (c !== 0) return k.desc ? -c : c;
      }
      return lastDesc ? -cmp(a.id, b.id) : cmp(a.id, b.id);
    });
    searchCache.sorted.set(key, list);
    return list;
  };
  const queryUsers = (query) => {
    freshCache();
    const terms = String(query.search || "").slice(0, 200).toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
    const group = query.group ? String(query.group).trim().toLowerCase() : null;
    return sortedUsers(query.sort).filter(
      (u) =>
        (terms.length === 0 || terms.every((t) => searchText(u).includes(t))) &&
        (!query.status || (query.status === "suspended") === u.suspended) &&
        (query.department == null || u.department === query.department) &&
        (group === null || u.groups.some((g) => g.toLowerCase() === group)),
    );
  };
  Object.assign(handlers, {
    watch_directory: () => dir.mark,
    // The users table's paged query, as src-tauri/core/src/directory/query.rs does it: every
    // search term in the same fields (case-insensitive), exact department, group by name (any
    // case), sort by stored columns with the id as tie-break, then the page. Search texts and the
    // sorted order are cached per change-feed mark (the 100,000-user benchmark calls it per key).
    query_users: ({ query }) => {
      if (scenario.directoryError) return fail("storage", scenario.directoryError);
      const matches = queryUsers(query);
      const offset = query.offset || 0;
      const limit = Math.min(query.limit || 0, 500);
      return { mark: dir.mark, total: matches.length, all: dir.users.length, offset, rows: matches.slice(offset, offset + limit) };
    },
    query_user_ids: ({ query }) => queryUsers(query).map((u) => u.id),
    directory_facets: () => {
      if (scenario.directoryError) return fail("storage", scenario.directoryError);
      const departments = [...new Set(dir.users.map((u) => u.department).filter((d) => d !== ""))].sort((a, b) =>
        a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0,
      );
      return { mark: dir.mark, users: dir.users.length, departments, groups: groupsOut() };
    },

    create_user: ({ input }) => {
      const bad = validateUser(input);
      if (bad) return bad;
      const u = { ...blankUser(), ...fill(input) };
      dir.users.push(u);
      bump();
      return u;
    },
    update_user: ({ id, input }) => {
      const u = userOf(id);
      if (!u) return fail("not_found", `There is no user "${id}".`);
      const bad = validateUser(input, u.id);
      if (bad) return bad;
      Object.assign(u, fill(input), { updated_at: now() });
      bump();
      return u;
    },
    delete_users: ({ ids }) => {
      dir.users = dir.users.filter((u) => !ids.includes(u.id));
      bump();
      return ids.length;
    },
    set_users_suspended: ({ ids, suspended }) => {
      let n = 0;
      for (const u of dir.users) if (ids.includes(u.id) && u.suspended !== suspended) (u.suspended = suspended), n++;
      bump();
      return n;
    },
    create_group: ({ input }) => {
      if (!input.name.trim() || input.name.includes(";")) return fail("invalid_input", `"${input.name}" is not a valid group name.`);
      if (groupOf(input.name)) return fail("conflict", `A group named "${input.name.trim()}" already exists (names compare without regard to case): pick another name.`);
      const g = addGroup(input.name.trim(), input.description.trim());
      bump();
      return { ...g };
    },
    update_group: ({ id, input }) => {
      const g = groupOf(id);
      if (!g) return fail("not_found", `There is no group named "${id}".`);
      for (const u of dir.users) u.groups = u.groups.map((n) => (n === g.name ? input.name.trim() : n));
      g.name = input.name.trim();
      g.description = input.description.trim();
      bump();
      return { ...g };
    },
    delete_group: ({ id }) => {
      const g = groupOf(id);
      if (!g) return fail("not_found", `There is no group named "${id}".`);
      dir.groups = dir.groups.filter((x) => x !== g);
      for (const u of dir.users) u.groups = u.groups.filter((n) => n !== g.name);
      bump();
      return null;
    },
    add_group_members: ({ group, users }) => {
      const g = groupOf(group);
      if (!g) return fail("not_found", `There is no group named "${group}".`);
      const found = users.map(userOf);
      const missing = users.find((_, i) => !found[i]);
      if (missing !== undefined) return fail("not_found", `There is no user "${missing}". \`lanyard user list\` shows the ones that exist.`);
      let n = 0;
      for (const u of found) if (!u.groups.includes(g.name)) (u.groups = [...u.groups, g.name].sort()), n++;
      bump();
      return n;
    },
    remove_group_members: ({ group, users }) => {
      const g = groupOf(group);
      if (!g) return fail("not_found", `There is no group named "${group}".`);
      let n = 0;
      for (const u of users.map(userOf)) if (u && u.groups.includes(g.name)) (u.groups = u.groups.filter((x) => x !== g.name)), n++;
      bump();
      return n;
    },
    list_app_groups: ({ app }) => {
      if (!apps.some((a) => a.name === app)) return fail("not_found", `There is no application named "${app}".`);
      return groupsOut().map((g) => ({ group_id: g.id, name: g.name, description: g.description, member_count: g.member_count, bound: dir.bindings.has(`${app}|${g.id}`) }));
    },
    set_app_group: ({ app, group, bound }) => {
      const g = groupOf(group);
      if (!g) return fail("not_found", `There is no group named "${group}".`);
      const key = `${app}|${g.id}`;
      const had = dir.bindings.has(key);
      if (bound) dir.bindings.add(key);
      else dir.bindings.delete(key);
      bump();
      return had !== bound;
    },
    preview_csv_import: ({ text }) => {
      const p = planCsv(text);
      if (p.fatal) return fail("invalid_input", p.fatal);
      const creates = p.ops.filter((o) => !o.existing).length;
      return {
        rows: p.rows, blank_rows: 0, creates, updates: p.ops.length - creates, unchanged: 0, new_groups: p.newGroups,
        memberships_added: p.ops.reduce((n, o) => n + (o.groups ? o.groups.length : 0), 0), memberships_removed: 0,
        columns: p.columns, ignored_columns: p.ignored, error_count: p.errors.length, errors: p.errors,
        sample: p.ops.map((o, i) => ({ line: i + 2, email: o.email, action: o.existing ? "update" : "create" })),
      };
    },
    import_csv: ({ text }) => {
      const p = planCsv(text);
      if (p.fatal) return fail("invalid_input", p.fatal);
      if (p.errors.length) return fail("invalid_input", `${p.errors.length} row(s) of the CSV file have problems. Nothing was imported.`);
      for (const name of p.newGroups) addGroup(name);
      let created = 0;
      for (const o of p.ops) {
        const u = o.existing || { ...blankUser(), email: o.email };
        if (!o.existing) (dir.users.push(u), created++);
        for (const [k, v] of Object.entries(o.fields)) if (v !== undefined) u[k] = v;
        if (!u.displayname) u.displayname = `${u.firstname} ${u.lastname}`.trim();
        if (o.groups) u.groups = o.groups.map((n) => groupOf(n).name).sort();
      }
      bump();
      return { created, updated: p.ops.length - created, unchanged: 0, groups_created: p.newGroups.length, memberships_added: 0, memberships_removed: 0 };
    },
    // A stand-in for the core's answers (the real rules are tested in Rust and in the real window):
    // enough for the forms to show a problem beside its field.
    check_form: ({ form }) => {
      const problem = (field, message) => [{ field, message }];
      if (form.form === "app_name") {
        if (slug.test(form.name.trim())) return [];
        const reason = /[A-Z]/.test(form.name) ? "use lowercase letters only" : /\s/.test(form.name) ? "spaces are not allowed; use hyphens" : "only a-z, 0-9 and hyphens are allowed";
        return problem("name", `"${form.name}" is not a valid application name (${reason}).`);
      }
      if (form.form === "group_name") {
        if (!form.name.trim()) return problem("name", `"" is not a valid group name: a group name is 1 to 80 characters.`);
        return form.name.includes(";") ? problem("name", `"${form.name}" is not a valid group name: no semicolon (it separates groups in CSV files).`) : [];
      }
      const { input } = form;
      const out = [];
      const email = input.email.trim();
      if (/\s/.test(email)) out.push({ field: "email", message: `"${email}" is not a valid email / Salesforce username: it contains a space, which Salesforce refuses.` });
      else if (!emailOk(email)) out.push({ field: "email", message: `"${email}" is not a valid email / Salesforce username: the domain has no dot.` });
      if ([...input.address.locality.trim()].length > 40)
        out.push({ field: "address.locality", message: `The locality (city) is ${[...input.address.locality.trim()].length} characters long; Salesforce accepts at most 40.` });
      if (!input.lastname.trim()) out.push({ field: "lastname", message: "The last name is empty: Salesforce requires a last name for every user." });
      return out;
    },
    email_owner: ({ email }) => dir.users.find((u) => u.email.toLowerCase() === email.trim().toLowerCase())?.id ?? null,
    // The save dialog opens on the Rust side: scenario.savePath is where the admin "chose"
    // (null: cancelled); what the command writes lands in __LANYARD_FILES__.
    export_directory_file: () => {
      const path = scenario.savePath ?? null;
      if (!path) return null;
      window.__LANYARD_FILES__[path] =
        "email,firstname,lastname,groups\n" + dir.users.map((u) => [u.email, u.firstname, u.lastname, u.groups.join(";")].join(",")).join("\n") + "\n";
      return path;
    },
    save_federation_file: ({ app }) => {
      const path = scenario.savePath ?? null;
      if (!path) return null;
      const bound = dir.groups.filter((g) => dir.bindings.has(`${app}|${g.id}`)).map((g) => g.name);
      const users = dir.users.filter((u) => u.groups.some((n) => bound.includes(n))).sort((a, b) => (a.email < b.email ? -1 : 1));
      const csv = "Username,FederationIdentifier\n" + users.map((u) => `${u.email},${u.federation_id || u.email}\n`).join("");
      window.__LANYARD_FILES__[path] = csv;
      return { path, users: users.length };
    },
  });


  // ---- Manual import from the target (mirrors src-tauri/commands/import.rs) ----
  // scenario.remoteUsers: how many users the target has (every 10th inactive, every 7th matches a
  // directory user by username, every 13th already imported); importRefuse: usernames the
  // directory refuses; importPageMs / importStepMs / importSteps: timing; importPageError: the
  // page (0-based) that fails; importBatchError: the page that fails once after the rows before it.
  const remote = { users: [], links: new Set(), running: new Set(), cancelled: new Set(), listings: {}, serial: 0 };
  window.__LANYARD_REMOTE__ = remote;
  {
    const depts = ["Sales", "Support", "Engineering", "Finance"];
    for (let i = 1; i <= (scenario.remoteUsers || 0); i++) {
      const n = String(i).padStart(4, "0");
      const username = `user${n}@acme.com`;
      const title = ["Analyst", "Engineer", "Manager"][i % 3];
      const r = {
        remote_id: `005R${n}`, username, name: `First${i} Last${i}`, email: `first${i}.last${i}@mail.acme.com`, active: i % 10 !== 0,
        profile: i % 5 === 0 ? "System Administrator" : "Standard User", title, department: depts[i % 4],
      };
      remote.users.push(r);
      if (i % 13 === 0 || i % 7 === 0) {
        const base = blankUser();
        dir.users.push({ ...base, email: username, firstname: `First${i}`, lastname: `Last${i}`, displayname: `First${i} Last${i}`, job_title: i % 13 === 0 ? title : "Old title", department: depts[i % 4] });
        if (i % 13 === 0) remote.links.add(username);
      }
    }
  }
  const remoteRow = (r) => {
    const u = userOf(r.username);
    const status = remote.links.has(r.username) ? "imported" : u ? "matches" : "new";
    const differences = status === "matches" && u.job_title !== r.title ? [{ attribute: "title", before: u.job_title, after: r.title }] : [];
    return { ...r, status, differences };
  };
  // The positions of the rows a query shows, in its order (mirrors provisioning/import_view.rs).
  const STATUS_RANK = { new: 0, matches: 1, imported: 2 };
  const importOrder = (rows, q) => {
    const terms = (q.search || "").toLowerCase().split(/\s+/).filter(Boolean);
    const text = (r) => [r.username, r.name, r.email, r.profile ?? "", r.title, r.department].join("\n").toLowerCase();
    const out = rows
      .map((r, i) => [r, i])
      .filter(([r]) => (q.status === null || r.status === q.status) && (q.active === null || r.active === q.active) && terms.every((t) => text(r).includes(t)));
    const keyOf = { status: (r) => STATUS_RANK[r.status], active: (r) => (r.active ? 0 : 1), profile: (r) => (r.profile ?? "").toLowerCase() };
    const sort = (q.sort || []).slice(0, 3);
    return out
      .sort(([a, i], [b, j]) => {
        for (const s of sort) {
          const k = keyOf[s.by] ?? ((r) => String(r[s.by]).toLowerCase());
          const x = k(a);
          const y = k(b);
          if (x !== y) return (x < y ? -1 : 1) * (s.desc ? -1 : 1);
        }
        return i - j;
      })
      .map(([, i]) => i);
  };
  const waitMs = (ms) => new Promise((res) => setTimeout(res, ms));
  Object.assign(handlers, {
    import_page: async ({ app, cursor }) => {
      if (!apps.some((a) => a.name === app)) return fail("not_found", `There is no application named "${app}".`);
      const at = cursor === null || cursor === undefined ? 0 : Number(cursor);
      await waitMs(scenario.importPageMs ?? 50);
      if (scenario.importPageError !== undefined && at / 200 === scenario.importPageError) {
        return fail("remote", "Salesforce answered HTTP 503 (Service Unavailable): try again in a moment.");
      }
      // One page of 200 per call (the app's command reads up to ten per continuing call), kept in
      // the listing the table asks for rows (statuses as they are when read).
      if (at === 0) remote.listings[app] = { serial: ++remote.serial, users: [], next: null };
      const listing = remote.listings[app];
      if (!listing) return fail("internal", "a page out of order");
      listing.users.push(...remote.users.slice(at, at + 200));
      const next = at + 200 < remote.users.length ? String(at + 200) : null;
      listing.next = next;
      // importBatchError: the page (0-based) that fails once inside a call: the call answers the
      // pages before it with the target's error, as the command does; asked again, it is read.
      if (scenario.importBatchError !== undefined && next !== null && Number(next) / 200 === scenario.importBatchError && !remote.batchFailed) {
        remote.batchFailed = true;
        return { listed: listing.users.length, next, error: { code: "remote", message: "Salesforce answered HTTP 503 (Service Unavailable): try again in a moment." } };
      }
      return { listed: listing.users.length, next, error: null };
    },
    import_rows: ({ app, query }) => {
      const listing = remote.listings[app];
      if (!listing) return fail("not_found", `The list of ${app}'s users is no longer held: read it again.`);
      // Statuses as the directory has them now (the core settles its listing after an import).
      const rows = listing.users.map(remoteRow);
      const order = importOrder(rows, query);
      const counts = { listed: rows.length, new: 0, matches: 0, imported: 0, inactive: 0 };
      for (const r of rows) {
        counts[r.status]++;
        if (!r.active) counts.inactive++;
      }
      const slice = order.slice(query.offset, query.offset + Math.min(query.limit, 500));
      return {
        listing: listing.serial, total: order.length, counts, complete: listing.next === null, offset: query.offset,
        rows: slice.map((i) => rows[i]), positions: slice,
      };
    },
    import_ids: ({ app, query }) => {
      const listing = remote.listings[app];
      if (!listing) return fail("not_found", `The list of ${app}'s users is no longer held: read it again.`);
      const rows = listing.users.map(remoteRow);
      const order = importOrder(rows, query);
      return { listing: listing.serial, positions: order, inactive: order.filter((i) => !rows[i].active) };
    },
    import_close: ({ app }) => {
      delete remote.listings[app];
      return null;
    },
    import_cancel: async ({ app }) => {
      if (!remote.running.has(app)) return false;
      remote.cancelled.add(app);
      return true;
    },
    import_users: async ({ app, request, notify, onProgress }) => {
      if (!apps.some((a) => a.name === app)) return fail("not_found", `There is no application named "${app}".`);
      window.__LANYARD_IMPORTS__ = [...(window.__LANYARD_IMPORTS__ || []), { ...request, notify }];
      if (request.listed) {
        // The table's selection by position: the usernames there, in the listing it names.
        // The listing the table shows, or the one this same selection was last imported from.
        const live = remote.listings[app];
        const last = remote.lastSelection?.[app];
        const same = (l) => l && l.serial === request.listed.listing;
        const users = same(live)
          ? live.users
          : same(last) && JSON.stringify(last.positions) === JSON.stringify(request.listed.positions)
            ? last.users
            : null;
        if (!users || request.listed.positions.some((p) => !users[p])) {
          return fail("conflict", `The list of ${app}'s users was read again or closed since these users were selected: select them again, then import.`);
        }
        remote.lastSelection = { ...remote.lastSelection, [app]: { serial: request.listed.listing, positions: request.listed.positions, users } };
        request = { ...request, usernames: request.listed.positions.map((p) => users[p].username), listed: null };
      }
      remote.running.add(app);
      try {
        return await importUsers(app, request, onProgress);
      } finally {
        remote.running.delete(app);
        remote.cancelled.delete(app);
      }
    },
  });
  async function importUsers(app, request, onProgress) {
    {
      const byName = new Map(remote.users.map((r) => [r.username.toLowerCase(), r]));
      const notFound = [];
      const chosen = request.usernames === null ? remote.users : request.usernames.map((n) => byName.get(n.toLowerCase()) || (notFound.push(n), null)).filter(Boolean);
      if (chosen.length > 25) {
        const steps = scenario.importSteps ?? 4;
        const stepMs = scenario.importStepMs ?? 150;
        for (let i = 1; i <= steps; i++) {
          const done = Math.round((chosen.length * i) / steps);
          const rate = chosen.length / ((steps * stepMs) / 1000);
          sendOnChannel(onProgress, { done, total: chosen.length, rate_per_sec: rate, eta_secs: (chosen.length - done) / rate });
          await waitMs(stepMs);
          if (remote.cancelled.has(app)) {
            return fail("conflict", "The import was cancelled: nothing was written to the directory. Start it again when you are ready.");
          }
        }
      } else {
        await waitMs(scenario.importRowMs ?? 60);
      }
      const result = { created: 0, updated: 0, linked: 0, already_imported: 0, skipped_inactive: 0, not_found: notFound, errors: [], group: request.group, group_members_added: 0, not_in_scope: 0 };
      let g = null;
      if (request.group) {
        g = groupOf(request.group) || addGroup(request.group.trim());
        dir.bindings.add(`${app}|${g.id}`);
      }
      const bound = dir.groups.filter((x) => dir.bindings.has(`${app}|${x.id}`)).map((x) => x.name);
      const take = new Set(request.take_values.map((t) => t.toLowerCase()));
      for (const r of chosen) {
        if ((scenario.importRefuse || []).includes(r.username)) {
          result.errors.push({ line: 0, email: r.username, message: `The directory refuses "${r.username}": a username must be a valid email address.` });
          continue;
        }
        if (!r.active && request.skip_inactive) {
          result.skipped_inactive++;
          continue;
        }
        const status = remoteRow(r).status;
        let u = userOf(r.username);
        if (status === "imported") result.already_imported++;
        else if (status === "new") {
          const [first, last] = r.name.split(" ");
          u = { ...blankUser(), email: r.username, firstname: first, lastname: last, displayname: r.name, job_title: r.title, department: r.department, suspended: !r.active };
          dir.users.push(u);
          result.created++;
        } else if (take.has(r.username.toLowerCase())) {
          u.job_title = r.title;
          result.updated++;
        } else result.linked++;
        if (g && !u.groups.includes(g.name)) {
          u.groups = [...u.groups, g.name].sort();
          result.group_members_added++;
        }
        if (u.groups.some((n) => bound.includes(n)) || (g && u.groups.includes(g.name))) remote.links.add(r.username);
        else if (status !== "imported") result.not_in_scope++;
      }
      bump();
      return result;
    }
  }

  // ---- Single sign-on (mirrors src-tauri/commands/saml.rs) ----
  window.__LANYARD_FILES__ = {};
  const sp = {};
  const certs = {};
  const samlSettings = {};
  const defaultSettings = () => ({
    response: { lifetime_secs: 300, sign: "both", name_id_format: "unspecified" },
    attributes: [
      { name: "User.Email", source: "email", constant: null, enabled: false },
      { name: "User.ProfileId", source: "constant", constant: "Standard User", enabled: false },
    ],
  });
  let certSeq = 1;
  const certInfo = (cn) => ({
    subject: `CN=${cn}`, issuer: `CN=${cn}`, serial: "0A", not_before: now(), not_after: "2028-11-27T10:00:00Z",
    sha256: "ab".repeat(32), key: { type: "RSA", bits: 2048 }, expired: false, days_left: 729,
  });
  const readMetadata = (text) => {
    if (!text || !text.trim().startsWith("<")) return fail("invalid_input", "This is not XML (it starts with \"" + String(text).slice(0, 20) + "\").");
    if (/<!DOCTYPE|<!ENTITY/i.test(text)) return fail("invalid_input", "The XML contains a DOCTYPE or entity declaration, which Lanyard refuses for safety.");
    if (text.includes("IDPSSODescriptor")) return fail("invalid_input", "This is identity-provider (IdP) metadata, not Salesforce's service-provider metadata.");
    const entity = (text.match(/entityID="([^"]+)"/) || [])[1];
    const acs = (text.match(/AssertionConsumerService[^>]*Location="([^"]+)"/) || [])[1];
    if (!entity) return fail("invalid_input", "The metadata has no entityID: it is incomplete.");
    if (!acs) return fail("invalid_input", "The metadata has no AssertionConsumerService.");
    return {
      entity_id: entity,
      acs: [{ binding: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST", location: acs.replace(/&amp;/g, "&"), index: 0, is_default: true }],
      signing_certs: [certInfo("SelfSignedCert")], encryption_certs: [], name_id_formats: [],
      authn_requests_signed: true, want_assertions_signed: true, valid_until: null,
      warnings: /&(?!amp;)/.test(text) ? ["1 unescaped '&' repaired (a Login URL pasted into the XML): check that the ACS URL below is right."] : [],
    };
  };
  const spView = (m, source) => ({
    config: {
      entity_id: m.entity_id, acs_url: m.acs[0].location, acs_binding: m.acs[0].binding, authn_requests_signed: m.authn_requests_signed,
      want_assertions_signed: true, source, valid_until: null, updated_at: now(),
    },
    certificates: m.signing_certs, warnings: m.warnings,
  });
  Object.assign(handlers, {
    sp_config: ({ app }) => sp[app] || fail("not_found", `"${app}" has no Salesforce SP configuration yet.`),
    inspect_metadata: async ({ text, path }) => readMetadata(text ?? scenario.files?.[path]),
    save_sp_metadata: async ({ app, text, path }) => {
      const m = await readMetadata(text ?? scenario.files?.[path]);
      sp[app] = spView(m, "metadata");
      return sp[app];
    },
    save_sp_manual: ({ app, entityId, acsUrl }) => {
      if (!/^https:\/\/\S+$/.test(acsUrl)) return fail("invalid_input", `ACS URL "${acsUrl}" is not valid: use Salesforce's Login URL, an https:// address.`);
      sp[app] = spView({ entity_id: entityId, acs: [{ binding: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST", location: acsUrl }], signing_certs: [], authn_requests_signed: false, warnings: [] }, "manual");
      return sp[app];
    },
    import_sp_certificate: ({ app }) => sp[app] || fail("not_found", "no SP configuration"),
    idp_certificates: ({ app }) => certs[app] || [],
    idp_rotate: ({ app, activate }) => {
      const list = (certs[app] = certs[app] || []);
      if (activate) {
        const next = list.find((c) => c.status === "next");
        if (!next) return fail("conflict", `"${app}" has no next certificate to activate.`);
        list.forEach((c) => { if (c.status === "active") c.status = "previous"; });
        next.status = "active";
      } else {
        if (list.some((c) => c.status === "next")) return fail("conflict", `"${app}" already has a next certificate waiting.`);
        const status = list.some((c) => c.status === "active") ? "next" : "active";
        const pem = `-----BEGIN CERTIFICATE-----\nMIIB${certSeq}\n-----END CERTIFICATE-----\n`;
        list.push({ id: `c${certSeq}`, status, info: certInfo(`Lanyard IdP ${certSeq++}`), warning: null, acs_url: null, cert_pem: pem });
      }
      const order = { active: 0, next: 1, previous: 2, retired: 3 };
      return list.sort((a, b) => order[a.status] - order[b.status]);
    },
    idp_bind_next: ({ app, acsUrl }) => {
      const next = (certs[app] || []).find((c) => c.status === "next");
      if (!next) return fail("conflict", `"${app}" has no next certificate to bind.`);
      const acs = sp[app]?.config.acs_url;
      if (acsUrl && !acs) return fail("not_found", `"${app}" has no Salesforce SP configuration yet.`);
      if (acsUrl && !acsUrl.startsWith(acs.split("?")[0])) {
        return fail("invalid_input", `The Login URL "${acsUrl}" cannot be bound: it is not a Login URL of the same Salesforce org as the ACS "${acs}".`);
      }
      next.acs_url = acsUrl;
      return certs[app];
    },
    idp_retire: ({ app }) => {
      (certs[app] || []).forEach((c) => { if (c.status === "previous") c.status = "retired"; });
      return certs[app] || [];
    },
    idp_exports: ({ app }) => ({
      entity_id: `urn:lanyard:idp:${app}`, sso_url: `http://127.0.0.1:8766/saml2/${app}`,
      certificate_pem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", metadata_xml: "<md:EntityDescriptor/>",
    }),
    export_idp_file: ({ what }) => {
      const path = scenario.savePath ?? null;
      if (path) window.__LANYARD_FILES__[path] = what === "certificate" ? "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" : "<md:EntityDescriptor/>";
      return path;
    },
    authorized_users: () => scenario.authorizedUsers || [],
    // ---- SP-initiated requests waiting for the admin (approvals) ----
    pending_logins: () => scenario.pendingLogins || [],
    approve_login: ({ id, user }) => {
      const list = scenario.pendingLogins || [];
      const found = list.find((p) => p.id === id);
      if (!found) return fail("not_found", "This login request expired or was already answered.");
      if (!(scenario.authorizedUsers || []).some((u) => u.email === user)) {
        return fail("forbidden", `${user} is not authorized for ${found.app}.`);
      }
      scenario.pendingLogins = list.filter((p) => p.id !== id);
      return found;
    },
    deny_login: ({ id }) => {
      scenario.pendingLogins = (scenario.pendingLogins || []).filter((p) => p.id !== id);
      return null;
    },
    watch_pending_logins: () => null,
    test_login: () => "http://127.0.0.1:5555/login/once",
    idp_endpoint: () => ({ url: "http://127.0.0.1:8766", error: null }),
    decode_saml: ({ input }) => {
      if (!input.trim()) return fail("invalid_input", "Nothing to decode.");
      return {
        kind: "Response", steps: ["base64"], relay_state: null, sig_alg: null, xml: "<samlp:Response>\n  <saml:Issuer>x</saml:Issuer>\n</samlp:Response>\n",
        checks: [
          { name: "Signature", status: "fail", detail: "does not verify with the IdP certificate using RSA-SHA256" },
          { name: "Audience", status: "pass", detail: "https://acme.my.salesforce.com" },
        ],
      };
    },
    saml_settings: ({ app }) => samlSettings[app] || defaultSettings(),
    save_saml_settings: ({ app, settings }) => {
      const l = settings.response.lifetime_secs;
      if (!(l >= 30 && l <= 3600)) return fail("invalid_input", `The assertion lifetime must be between 30 and 3600 seconds, not ${l}.`);
      samlSettings[app] = settings;
      return settings;
    },
    list_events: ({ limit, before }) => {
      const all = scenario.events || [];
      const older = before === null || before === undefined ? all : all.filter((e) => e.id < before);
      return older.slice(0, limit);
    },
    choose_file: () => scenario.dialogPath ?? null,
  });

  // ---- Setup checklist (mirrors src-tauri/core/src/setup): derived steps come from the mock's
  // state or scenario.setup.derived[step] = { status, detail }; admin marks live here; marking a
  // derived step done fails as the core does. scenario.setup.findings lists the health findings.
  const SETUP_STEPS = [
    ["prerequisites", true, "Prerequisites", "You need a Salesforce administrator account, your Salesforce domain name, and to know whether this is a sandbox."],
    ["my_domain", true, "My Domain", "Single sign-on needs a deployed My Domain: it gives Salesforce the login address Lanyard posts to."],
    ["salesforce_certificate", false, "Salesforce certificate", "Salesforce signs its login requests with a certificate of its own."],
    ["enable_saml", true, "Enable SAML in Salesforce", "In Setup → Single Sign-On Settings, enable SAML and create a configuration with the values below."],
    ["import_metadata", false, "Import the Salesforce metadata", "The metadata tells Lanyard where to send logins (the ACS) and who Salesforce is."],
    ["idp_settings", false, "IdP settings", "Check that the IdP entity ID, the SP entity ID, the ACS URL and the IdP URL match what Salesforce has."],
    ["download_certificate", false, "Download certificate.pem", "Salesforce trusts Lanyard's logins through Lanyard's signing certificate."],
    ["replace_certificate", true, "Replace the certificate in Salesforce", "Upload certificate.pem as the Identity Provider Certificate, then compare the fingerprint."],
    ["enable_sso", true, "Enable SSO for all users", "In Setup → My Domain → Authentication Configuration, check Lanyard's configuration."],
    ["authorize_groups", false, "Authorize user groups", "Only members of a group bound to this application may sign in and are provisioned."],
    ["validate_sso", false, "Validate SSO", "Run an IdP-initiated and an SP-initiated test login."],
    ["identity_management", false, "Identity Management", "Connect Lanyard to Salesforce's SCIM API, test the connection, and activate it."],
    ["attribute_mappings", true, "Attribute mappings", "Review how directory fields become Salesforce user fields."],
    ["import_users", false, "Import users", "Users created in Salesforce before Lanyard can be imported into the directory and linked."],
    ["event_log", true, "Event log", "Every login and provisioning attempt is an event: check this application's events."],
  ];
  const setupMarks = JSON.parse(JSON.stringify(scenario.setup?.marks || {}));
  const setupDerived = (app, id) => {
    const given = scenario.setup?.derived?.[id];
    if (given) return { status: given.status, detail: given.detail || "" };
    if (id === "import_metadata" && sp[app]) return { status: "done", detail: `ACS ${sp[app].config.acs_url} for ${sp[app].config.entity_id}` };
    if (id === "download_certificate" && (certs[app] || []).some((c) => c.status === "active")) return { status: "done", detail: "Signing certificate SHA-256 " + "ab".repeat(32) };
    if (id === "authorize_groups") {
      const n = dir.groups.filter((g) => dir.bindings.has(`${app}|${g.id}`)).length;
      return { status: n > 0 ? "done" : "todo", detail: `${n} group(s) bound.` };
    }
    return { status: "todo", detail: "" };
  };
  const setupStatus = (app) => {
    if (!apps.some((a) => a.name === app)) return fail("not_found", `There is no application named "${app}".`);
    const marks = setupMarks[app] || {};
    const steps = SETUP_STEPS.map(([id, admin, title, why]) => {
      let { status, detail } = setupDerived(app, id);
      if (marks[id] === "skipped" && status !== "done") (status = "skipped"), (detail = "Skipped by the admin 2026-11-28 10:00 UTC.");
      else if (marks[id] === "done" && admin) (status = "done"), (detail = "Confirmed by the admin 2026-11-28 10:00 UTC.");
      return { id, title, why, status, detail, confirmed_by_admin: admin };
    });
    const done = steps.filter((s) => s.status === "done" || s.status === "skipped").length;
    return { app, steps, findings: scenario.setup?.findings || [], done, total: steps.length };
  };
  Object.assign(handlers, {
    // Mirrors core/src/setup/practice.rs: practice applications with an active certificate only.
    setup_fill_practice_sso: ({ app }) => {
      const a = apps.find((x) => x.name === app);
      if (!a) return fail("not_found", `There is no application named "${app}".`);
      if (a.environment !== "practice") return fail("invalid_input", `${app} talks to a real Salesforce org: type the values into its Single Sign-On Settings (each has a copy button); only the practice org can be filled in one click.`);
      if (scenario.practiceFillError) return fail("remote", scenario.practiceFillError);
      window.__LANYARD_PRACTICE_FILLED__ = [...(window.__LANYARD_PRACTICE_FILLED__ || []), app];
      return { login_url: `${a.login_url}?so=00DPRACTICE000001` };
    },
    setup_status: ({ app }) =>
      scenario.setup?.delayMs ? new Promise((r) => setTimeout(() => r(setupStatus(app)), scenario.setup.delayMs)) : setupStatus(app),
    setup_mark: ({ app, step, mark }) => {
      const def = SETUP_STEPS.find((s) => s[0] === step);
      if (!def) return fail("invalid_input", `"${step}" is not a setup step; \`lanyard setup status APP\` lists them`);
      if (!apps.some((a) => a.name === app)) return fail("not_found", `There is no application named "${app}".`);
      if (mark === "done" && !def[1]) {
        return fail("invalid_input", `${def[2]} (${step}) is derived from what Lanyard sees, so it cannot be marked done by hand: ${def[3]}`);
      }
      const marks = (setupMarks[app] = setupMarks[app] || {});
      if (mark === "todo") delete marks[step];
      else marks[step] = mark;
      return setupStatus(app);
    },
  });

  // ---- Events (@tauri-apps/api/event over the plugin:event commands) ----
  const callbacks = new Map();
  const listeners = [];
  let nextCallback = 1;
  let nextListener = 1;
  Object.assign(handlers, {
    "plugin:event|listen": ({ event, handler }) => {
      const id = nextListener++;
      listeners.push({ id, event, handler });
      return id;
    },
    "plugin:event|unlisten": ({ eventId }) => {
      const i = listeners.findIndex((l) => l.id === eventId);
      if (i >= 0) listeners.splice(i, 1);
      return null;
    },
  });
  window.__TAURI_EVENT_PLUGIN_INTERNALS__ = { unregisterListener: () => undefined };
  /** What the shell's poller does when the CLI changed the directory: bump the mark and emit. */
  window.__LANYARD_EXTERNAL_CHANGE__ = (change) => {
    change(dir, { blankUser, addGroup });
    bump();
    for (const l of listeners.filter((x) => x.event === "directory://changed")) {
      const cb = callbacks.get(l.handler);
      if (cb) cb({ event: l.event, id: l.id, payload: dir.mark });
    }
  };
  window.__LANYARD_LISTENERS__ = listeners;
  /** Delivers an event the way the shell would (e.g. tauri://drag-drop when a file is dropped). */
  window.__LANYARD_EMIT__ = (event, payload) => {
    for (const l of listeners.filter((x) => x.event === event)) {
      const cb = callbacks.get(l.handler);
      if (cb) cb({ event, id: l.id, payload });
    }
  };

  /** Sends `message` on a Channel argument the way the shell does (ordered by index). */
  const channelIndex = new Map();
  const sendOnChannel = (channel, message) => {
    const cb = channel && callbacks.get(channel.id);
    if (!cb) return;
    const index = channelIndex.get(channel.id) || 0;
    channelIndex.set(channel.id, index + 1);
    cb({ index, message });
  };
  // What mock-provisioning.js (loaded next) builds on.
  window.__LANYARD_MOCK__ = { handlers, scenario, apps, dir, fail, now, emit: (e, p) => window.__LANYARD_EMIT__(e, p), sendOnChannel };

  window.__TAURI_INTERNALS__ = {
    metadata: { currentWindow: { label: "main" }, currentWebview: { windowLabel: "main", label: "main" } },
    transformCallback: (callback) => {
      const id = nextCallback++;
      callbacks.set(id, callback);
      return id;
    },
    invoke: async (cmd, args) => {
      calls.push({ cmd, args });
      const handler = handlers[cmd];
      if (!handler) return Promise.reject(`mock IPC: unknown command ${cmd}`);
      // A copy, as over real IPC (JSON): the page never holds the mock's own objects.
      const result = await handler(args || {});
      return result === undefined ? result : JSON.parse(JSON.stringify(result));
    },
  };
})();
