// The Identity Management tab (built UI, mocked IPC): its address, the connection states,
// Connect by OAuth and by token, Test connection, Re-authorize, Deactivate, the settings and the
// attribute mappings with the exact bodies.
import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { launchChromium, openMocked } from "./browser.js";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { serveDist } from "./serve.js";
import { PRACTICE_APP, authorized } from "./fixtures.js";

const here = dirname(fileURLToPath(import.meta.url));
let browser;
let server;
let page;

async function openTab(scenario = {}) {
  page = await openMocked(browser, `${server.url}#/applications/acme/identity`, { apps: [PRACTICE_APP], ...scenario }, {
    viewport: { width: 1280, height: 800 },
    permissions: ["clipboard-read", "clipboard-write"],
  });
  await page.getByTestId("idm").or(page.getByTestId("idm-error")).waitFor();
}

before(async () => {
  server = await serveDist(join(here, "../../../ui/dist"));
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
});
afterEach(async () => {
  assert.deepEqual(page.errors, [], "no uncaught errors in the page");
  await page.close();
});

describe("address", () => {
  it("opens the tab from its address and keeps it over a reload", async () => {
    await openTab();
    assert.equal(await page.getByTestId("app-tab-identity").getAttribute("aria-selected"), "true");
    await page.reload();
    await page.getByTestId("idm").waitFor();
    assert.match(page.url(), /#\/applications\/acme\/identity$/);
    await page.getByTestId("app-tab-sso").click();
    await page.waitForURL(/#\/applications\/acme\/sso$/);
  });

  it("is reachable by keyboard with a visible focus: arrow keys move between tabs, Enter opens one", async () => {
    page = await openMocked(browser, `${server.url}#/applications/acme/overview`, { apps: [PRACTICE_APP] }, { viewport: { width: 1280, height: 800 } });
    const overview = page.getByTestId("app-tab-overview");
    const focused = page.getByTestId("app-tab-identity");
    await focused.waitFor();
    await overview.focus();
    // A key press first, so the browser shows focus as it does for keyboard users.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Shift+Tab");
    await page.waitForFunction(() => document.activeElement?.getAttribute("data-testid") === "app-tab-overview");
    // overview → sso → groups → identity, one key at a time (each move is waited for).
    for (const next of ["app-tab-sso", "app-tab-groups", "app-tab-identity"]) {
      await page.keyboard.press("ArrowRight");
      await page.waitForFunction((id) => document.activeElement?.getAttribute("data-testid") === id, next, { timeout: 5000 });
    }
    assert.notEqual(await focused.evaluate((el) => getComputedStyle(el).outlineStyle), "none", "the focus is visible");
    await page.keyboard.press("Enter");
    await page.waitForURL(/#\/applications\/acme\/identity$/);
    await page.getByTestId("connect-form").waitFor();
  });

  it("shows the error and a way to try again when the connection cannot be read", async () => {
    await openTab({ scimStatusError: "The database is locked." });
    assert.match(await page.getByTestId("idm-error").innerText(), /database is locked/);
  });
});

describe("connect", () => {
  it("connects Salesforce by OAuth with the application's login host, waiting for the browser", async () => {
    await openTab({ oauthDelayMs: 600 });
    assert.match(await page.getByTestId("idm-state").innerText(), /Not connected/);
    assert.equal(await page.getByTestId("connect-login-host").inputValue(), "http://127.0.0.1:8765", "default from the application");
    await page.getByTestId("connect-submit").click();
    await page.getByTestId("connect-waiting").waitFor();
    await page.getByTestId("idm-account").waitFor();
    assert.match(await page.getByTestId("idm-state").innerText(), /Connected as/);
    const oauth = await page.evaluate(() => window.__LANYARD_OAUTH__);
    assert.deepEqual(oauth, { app: "acme", loginHost: "http://127.0.0.1:8765", clientId: null }, "no consumer key for the practice org");
  });

  it("shows the target's refusal beside the form and keeps the input", async () => {
    await openTab({ oauthError: "The login host refused the consumer key (invalid_client_id)." });
    await page.getByTestId("connect-client-id").fill("3MVG9bad");
    await page.getByTestId("connect-submit").click();
    assert.match(await page.getByTestId("connect-error").innerText(), /invalid_client_id/);
    assert.equal(await page.getByTestId("connect-client-id").inputValue(), "3MVG9bad");
  });

  it("connects another SCIM server by URL and token, validating both first", async () => {
    await openTab();
    await page.getByTestId("connect-kind-scim").check();
    await page.getByTestId("connect-submit").click();
    await page.getByText("Enter the SCIM base URL").waitFor();
    await page.getByText("Enter the bearer token").waitFor();
    await page.getByTestId("connect-base-url").fill("https://scim.example.com/v2");
    await page.getByTestId("connect-token").fill("wrong");
    await page.getByTestId("connect-submit").click();
    assert.match(await page.getByTestId("connect-error").innerText(), /401/);
    await page.getByTestId("connect-token").fill("good-token");
    await page.getByTestId("connect-submit").click();
    await page.getByTestId("connection-card").waitFor();
    assert.match(await page.getByTestId("idm-state").innerText(), /Connected as https:\/\/scim\.example\.com\/v2/);
    // A target that can delete users offers the choice.
    await page.getByTestId("setting-deprovision").selectOption("delete");
    await page.waitForFunction(() => window.__LANYARD_CALLS__.some((c) => c.cmd === "scim_settings" && c.args.settings.deprovision === "delete"));
  });
});

describe("a connection", () => {
  it("tests the connection: endpoint, Standard User profile, API usage, notes", async () => {
    await openTab({ connections: { acme: {} } });
    await page.getByTestId("scim-test").click();
    await page.getByTestId("test-report").waitFor();
    assert.equal(await page.getByTestId("test-config-endpoint").innerText(), "ServiceProviderConfigs");
    assert.match(await page.getByTestId("test-profile").innerText(), /Standard User 00e000000000001/);
    assert.match(await page.getByTestId("test-api-usage").innerText(), /12\/15000/);
    assert.match(await page.getByTestId("test-notes").innerText(), /public groups/);
  });

  it("says when re-authorization is needed and re-authorizes", async () => {
    await openTab({ connections: { acme: { state: "reauth_needed" } } });
    assert.match(await page.getByTestId("idm-state").innerText(), /Re-authorization needed/);
    assert.equal(await page.getByTestId("sync-card").count(), 0, "no sync without a working authorization");
    await page.getByTestId("scim-reauth").click();
    await page.getByTestId("connect-submit").click();
    await page.getByTestId("sync-card").waitFor();
    assert.match(await page.getByTestId("idm-state").innerText(), /Connected/);
  });

  it("deactivates only after the confirm dialog, then says so", async () => {
    await openTab({ connections: { acme: {} } });
    await page.getByTestId("scim-deactivate").click();
    const dialog = page.getByTestId("deactivate-dialog");
    await dialog.waitFor();
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    assert.match(await page.getByTestId("idm-state").innerText(), /Connected/, "Escape keeps the connection");
    await page.getByTestId("scim-deactivate").click();
    await page.getByTestId("deactivate-dialog-confirm").click();
    await page.getByTestId("scim-reconnect").waitFor();
    assert.match(await page.getByTestId("idm-state").innerText(), /Deactivated/);
  });

  it("changes the settings: automatic push off, picklists on; Salesforce only deactivates", async () => {
    await openTab({ connections: { acme: {} } });
    assert.equal(await page.getByTestId("setting-auto-push").isChecked(), true);
    // Saved on change: the box shows the core's answer.
    await page.getByTestId("setting-auto-push").click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="setting-auto-push"]').checked);
    await page.getByTestId("setting-picklists").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="setting-picklists"]').checked);
    const saved = await page.evaluate(() => window.__LANYARD_CALLS__.filter((c) => c.cmd === "scim_settings").map((c) => c.args.settings));
    assert.deepEqual(saved, [
      { deprovision: null, auto_push: false, picklists_on: null },
      { deprovision: null, auto_push: null, picklists_on: true },
    ], "each change sends only itself");
    assert.match(await page.getByTestId("setting-deprovision-fixed").innerText(), /never deletes/);
  });

  it("shows what the automatic push is doing, live", async () => {
    await openTab({ connections: { acme: {} } });
    await page.evaluate(() => window.__LANYARD_EMIT__("provisioning://acme/state", { app: "acme", pushing: true, last_push_at: null, last_summary: null, failures: [], error: "" }));
    await page.getByTestId("push-pushing").waitFor();
    await page.evaluate(() =>
      window.__LANYARD_EMIT__("provisioning://acme/state", {
        app: "acme", pushing: false, last_push_at: "2026-11-28T10:00:05Z", last_summary: null, error: "",
        failures: [{ target: "eve@acme.com", event: "user_update_provision", message: "FIELD_INTEGRITY_EXCEPTION: bad phone", http_status: 400, error_code: "FIELD_INTEGRITY_EXCEPTION", attempts: 1 }],
      }),
    );
    await page.getByTestId("push-last").waitFor();
    assert.match(await page.getByTestId("push-failures").innerText(), /eve@acme\.com: FIELD_INTEGRITY_EXCEPTION/);
  });
});

describe("attribute mappings", () => {
  it("shows the rules and the exact create and update bodies of a chosen user, with Copy", async () => {
    await openTab({ connections: { acme: {} }, authorizedUsers: [authorized("ann@acme.com")] });
    const table = page.getByTestId("mapping-table");
    await table.waitFor();
    assert.match(await table.locator('tr[data-rule="create_only"]').innerText(), /entitlements\[primary\]\s+.*Create only/);
    assert.match(await table.locator('tr[data-rule="never_updated"]').innerText(), /userName.*Never updated/);
    await page.getByTestId("preview-user").selectOption("ann@acme.com");
    const create = JSON.parse(await page.getByTestId("payload-create").innerText());
    assert.equal(create.userName, "ann@acme.com");
    assert.equal(create.entitlements[0].value, "00e000000000001");
    const update = JSON.parse(await page.getByTestId("payload-update").innerText());
    assert.equal(update.schemas[0], "urn:ietf:params:scim:api:messages:2.0:PatchOp");
    await page.getByTestId("payload-create-copy").click();
    assert.equal(JSON.parse(await page.evaluate(() => navigator.clipboard.readText())).userName, "ann@acme.com");
  });

  it("says who to authorize when nobody is", async () => {
    await openTab({ connections: { acme: {} } });
    await page.getByTestId("preview-no-users").waitFor();
  });
});
