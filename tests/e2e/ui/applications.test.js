// Playwright (Debian's chromium) against the built UI with a mocked IPC.
import { after, before, beforeEach, afterEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { launchChromium, openMocked } from "./browser.js";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { existsSync, mkdirSync } from "node:fs";
import { serveDist } from "./serve.js";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "../../../ui/dist");
const artifacts = join(here, "../artifacts");

let browser;
let server;
let page;

async function open(scenario = {}) {
  page = await openMocked(browser, server.url, scenario, { viewport: { width: 1200, height: 780 } });
  return page;
}

before(async () => {
  assert.ok(existsSync(join(dist, "index.html")), "build the UI first (npm run build in ui/)");
  mkdirSync(artifacts, { recursive: true });
  server = await serveDist(dist);
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

describe("Applications page", () => {
  it("shows an empty state, then creates an application from the form", async () => {
    await open();
    await page.getByText("No applications yet").waitFor();
    await page.getByTestId("new-app").click();
    await page.getByTestId("app-label").fill("Salesforce (Prod)");
    assert.equal(await page.getByTestId("app-name").inputValue(), "salesforce-prod", "name suggested from the label");
    await page.getByTestId("env-sandbox").check();
    await page.getByTestId("create-app").click();
    const row = page.getByTestId("app-salesforce-prod");
    await row.waitFor();
    assert.match(await row.innerText(), /Salesforce \(Prod\)/);
    assert.match(await row.innerText(), /Sandbox/);
    const calls = await page.evaluate(() => window.__LANYARD_CALLS__.filter((c) => c.cmd === "create_app"));
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0].args.request, {
      name: "salesforce-prod",
      label: "Salesforce (Prod)",
      description: null,
      environment: "sandbox",
      login_url: null,
      idp_path: null,
    }, "a blank IdP path: the name");
    await page.screenshot({ path: join(artifacts, "ui-applications.png") });
  });

  it("offers the practice org from the empty state", async () => {
    await open();
    await page.getByTestId("try-practice").click();
    assert.equal(await page.getByTestId("env-practice").isChecked(), true, "practice org preselected");
    assert.match(await page.locator("form").innerText(), /simulator at http:\/\/127\.0\.0\.1:8765/);
    await page.getByTestId("app-label").fill("Rehearsal");
    await page.getByTestId("create-app").click();
    const row = page.getByTestId("app-rehearsal");
    await row.waitFor();
    assert.match(await row.innerText(), /Practice org/);
    assert.match(await page.locator("article").innerText(), /http:\/\/127\.0\.0\.1:8765/, "details show the login URL");
  });

  it("explains a bad name inline and sends nothing", async () => {
    await open();
    await page.getByTestId("new-app").click();
    await page.getByTestId("app-name").fill("Sales Force");
    await page.getByTestId("app-name-help").getByText(/lowercase/).waitFor();
    await page.getByTestId("create-app").click();
    const sent = await page.evaluate(() => window.__LANYARD_CALLS__.some((c) => c.cmd === "create_app"));
    assert.equal(sent, false, "the form does not submit a name it knows is invalid");
  });

  it("keeps what was typed when the core refuses (name taken)", async () => {
    const existing = {
      id: "x", name: "sf", label: "Existing", description: "", kind: "salesforce", environment: "production", sandbox: false, login_url: "https://login.salesforce.com",
      created_at: "2026-11-01T00:00:00Z", updated_at: "2026-11-01T00:00:00Z",
    };
    await open({ apps: [existing] });
    await page.getByTestId("app-sf").waitFor();
    await page.getByTestId("new-app").click();
    await page.getByTestId("app-label").fill("Another");
    await page.getByTestId("app-name").fill("sf");
    await page.getByTestId("create-app").click();
    const error = page.getByTestId("form-error");
    await error.waitFor();
    assert.match(await error.innerText(), /already exists/);
    assert.equal(await page.getByTestId("app-label").inputValue(), "Another", "input kept");
    assert.equal(await page.getByTestId("app-name").getAttribute("aria-invalid"), "true");
  });

  it("deletes an application after confirmation", async () => {
    const existing = {
      id: "x", name: "sf", label: "Existing", description: "", kind: "salesforce", environment: "production", sandbox: false, login_url: "https://login.salesforce.com",
      created_at: "2026-11-01T00:00:00Z", updated_at: "2026-11-01T00:00:00Z",
    };
    await open({ apps: [existing] });
    await page.getByTestId("app-sf").click();
    await page.getByTestId("app-tab-overview").click();
    await page.getByTestId("delete-app").click();
    await page.getByTestId("delete-app-count").fill("1");
    await page.getByTestId("delete-app-confirm").click();
    await page.getByText("No applications yet").waitFor();
  });
});

describe("Startup and settings", () => {
  it("opens on the application the admin had open last time, and remembers the one opened now", async () => {
    const mk = (name, label) => ({
      id: name, name, label, description: "", kind: "salesforce", environment: "production", sandbox: false, login_url: "https://login.salesforce.com",
      created_at: "2026-11-01T00:00:00Z", updated_at: "2026-11-01T00:00:00Z",
    });
    await open({ apps: [mk("first", "First"), mk("second", "Second")], lastApp: "second" });
    await page.waitForFunction(() => location.hash === "#/applications/second/setup");
    await page.getByTestId("setup").waitFor();
    await page.waitForFunction(() => window.__LANYARD_REMEMBERED__ === "second");
    await page.getByTestId("app-first").click();
    await page.waitForFunction(() => window.__LANYARD_REMEMBERED__ === "first", null, { timeout: 5000 });
    await page.close();
    // An application deleted since: the list, not an error.
    await open({ apps: [mk("first", "First")], lastApp: "second" });
    await page.waitForFunction(() => location.hash === "#/applications");
    await page.getByTestId("app-first").waitFor();
  });

  it("shows the startup error instead of the pages", async () => {
    await open({ startupError: { code: "storage", message: "The database file /x/lanyard.db is damaged." } });
    const msg = page.getByTestId("startup-error");
    await msg.waitFor();
    assert.match(await msg.innerText(), /\/x\/lanyard\.db is damaged/);
    assert.equal(await page.getByTestId("nav-applications").count(), 0, "no pages over a broken store");
  });

  it("settings show storage and an unreachable keyring", async () => {
    await open({ keyringDown: true });
    await page.getByTestId("nav-settings").click();
    await page.getByText("/tmp/lanyard-mock/lanyard.db").waitFor();
    assert.match(await page.getByTestId("keyring-status").innerText(), /gnome-keyring/);
  });
});
