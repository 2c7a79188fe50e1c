// Injected after mock-provisioning.js: the user portal (src-tauri/commands/portal.rs) and single
// sign-on on/off (apps.rs) over the same fake IPC. Scenario keys: portal {app: {show_in_portal,
// image}}, bookmarks [Bookmark…], bindings [[app, group name]…]. A chosen image whose path ends
// in .pdf is refused as the core does; any other becomes a small PNG data URL.
(() => {
  const { handlers, scenario, apps, dir, fail, now } = window.__LANYARD_MOCK__;
  const PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkaPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
  const slug = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
  const portal = {};
  for (const [name, p] of Object.entries(scenario.portal || {})) portal[name] = { show_in_portal: false, image: null, ...p };
  const bookmarks = (scenario.bookmarks || []).map((b) => ({ show_in_portal: true, image: null, groups: [], restricted: false, created_at: now(), ...b }));
  window.__LANYARD_BOOKMARKS__ = bookmarks;
  for (const [app, group] of scenario.bindings || []) {
    const g = dir.groups.find((x) => x.name.toLowerCase() === group.toLowerCase());
    if (g) dir.bindings.add(`${app}|${g.id}`);
  }
  const appOf = (name) => apps.find((a) => a.name === name);
  const needApp = (name) => (appOf(name) ? null : fail("not_found", `There is no application named "${name}".`));
  const settingsOf = (name) => (portal[name] = portal[name] || { show_in_portal: false, image: null });
  const imageOf = (path) => {
    if (!path) return { ok: null };
    if (path.endsWith(".pdf")) return { error: fail("invalid_input", "This file is not a PNG, JPEG or SVG image (it looks like a PDF document): choose one of those.") };
    return { ok: PNG };
  };
  const bookmarkOf = (name) => bookmarks.find((b) => b.name === name);
  const noBookmark = (name) => fail("not_found", `There is no bookmark named "${name}". \`lanyard bookmark list\` shows the ones that exist.`);
  const authorized = (app, user) =>
    dir.groups.some((g) => dir.bindings.has(`${app}|${g.id}`) && (user.groups || []).some((n) => n.toLowerCase() === g.name.toLowerCase()));

  Object.assign(handlers, {
    set_sso_enabled: ({ name, enabled }) => {
      const app = appOf(name);
      if (!app) return fail("not_found", `There is no application named "${name}".`);
      app.sso_enabled = enabled;
      return { ...app };
    },
    portal_settings: ({ app }) => needApp(app) || { ...settingsOf(app) },
    set_show_in_portal: ({ app, show }) => needApp(app) || Object.assign(settingsOf(app), { show_in_portal: show }) && { ...settingsOf(app) },
    set_portal_image: ({ app, path }) => {
      const bad = needApp(app);
      if (bad) return bad;
      const img = imageOf(path);
      if (img.error) return img.error;
      settingsOf(app).image = img.ok;
      return { ...settingsOf(app) };
    },
    list_bookmarks: () => [...bookmarks].sort((a, b) => a.name.localeCompare(b.name)),
    create_bookmark: ({ bookmark }) => {
      const name = bookmark.name.trim();
      if (!slug.test(name)) return fail("invalid_input", `"${name}" is not a valid application name: an application name is a slug: 1 to 63 lowercase letters (a-z), digits and hyphens.`);
      // The core's web-address rule: https anywhere, plain http only on loopback, no user part.
      let url = null;
      try {
        url = new URL(bookmark.url.trim());
      } catch {
        url = null;
      }
      const loopback = url && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
      if (!url || url.username || url.password || !(url.protocol === "https:" || (url.protocol === "http:" && loopback))) {
        return fail("invalid_input", `"${bookmark.url}" is not a usable bookmark URL: use an https:// address (plain http only on this machine's loopback address).`);
      }
      if (bookmarkOf(name)) return fail("conflict", `A bookmark named "${name}" already exists: pick another name, or change the existing one.`);
      const b = { name, label: bookmark.label?.trim() || name, url: bookmark.url.trim(), show_in_portal: true, image: null, groups: [], restricted: false, created_at: now() };
      bookmarks.push(b);
      return { ...b };
    },
    set_bookmark_shown: ({ name, show }) => {
      const b = bookmarkOf(name);
      if (!b) return noBookmark(name);
      b.show_in_portal = show;
      return { ...b };
    },
    set_bookmark_image: ({ name, path }) => {
      const b = bookmarkOf(name);
      if (!b) return noBookmark(name);
      const img = imageOf(path);
      if (img.error) return img.error;
      b.image = img.ok;
      return { ...b };
    },
    delete_bookmark: ({ name }) => {
      const i = bookmarks.findIndex((b) => b.name === name);
      if (i < 0) return noBookmark(name);
      bookmarks.splice(i, 1);
      return null;
    },
    portal_tiles: ({ email }) => {
      const user = dir.users.find((u) => u.email.toLowerCase() === email.trim().toLowerCase());
      if (!user) return fail("not_found", `There is no user "${email}" in the directory.`);
      const canSignIn = !user.suspended && !user.password_expired;
      const appTiles = apps
        .filter((a) => a.sso_enabled && settingsOf(a.name).show_in_portal && authorized(a.name, user))
        .sort((a, b) => a.label.localeCompare(b.label))
        .map((a) => ({ kind: "application", name: a.name, label: a.label, image: settingsOf(a.name).image, url: null, can_sign_in: canSignIn }));
      const member = (b) => !b.restricted || b.groups.some((g) => (user.groups || []).some((n) => n.toLowerCase() === g.toLowerCase()));
      const marks = bookmarks
        .filter((b) => b.show_in_portal && member(b))
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((b) => ({ kind: "bookmark", name: b.name, label: b.label, image: b.image, url: b.url, can_sign_in: canSignIn }));
      return [...appTiles, ...marks];
    },
    // Mirrors Core::set_bookmark_groups: names compare without case; an unknown group changes nothing.
    set_bookmark_groups: ({ name, groups }) => {
      const b = bookmarkOf(name);
      if (!b) return noBookmark(name);
      const found = groups.map((n) => dir.groups.find((g) => g.name.toLowerCase() === n.trim().toLowerCase()));
      const missing = groups.find((_, i) => !found[i]);
      if (missing !== undefined) return fail("not_found", `There is no group named "${missing}". Create it first with \`lanyard group add NAME\`.`);
      b.groups = [...new Set(found.map((g) => g.name))].sort((x, y) => x.localeCompare(y));
      b.restricted = b.groups.length > 0;
      return { ...b };
    },
    open_bookmark: ({ name }) => {
      if (!bookmarkOf(name)) return noBookmark(name);
      window.__LANYARD_OPENED__ = [...(window.__LANYARD_OPENED__ || []), bookmarkOf(name).url];
      return null;
    },
  });
})();
