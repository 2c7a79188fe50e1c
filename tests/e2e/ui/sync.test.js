// Sync on the Identity Management tab (built UI, mocked IPC): Review sync's counts and
// before → after table, Sync now with progress and Cancel, failures with Retry, and a held
// deletion that the admin allows.
import { after, afterEach, before, it } from "node:test";
import assert from "node:assert/strict";
import { launchChromium, openMocked } from "./browser.js";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { serveDist } from "./serve.js";
import { PRACTICE_APP, planned, syncReport } from "./fixtures.js";

const here = dirname(fileURLToPath(import.meta.url));
let browser;
let server;
let page;

async function openTab(scenario = {}) {
  page = await openMocked(browser, `${server.url}#/applications/acme/identity`, { apps: [PRACTICE_APP], connections: { acme: {} }, ...scenario }, {
    viewport: { width: 1280, height: 800 },
  });
  await page.getByTestId("sync-card").waitFor();
}

const count = async (id) => (await page.getByTestId(`count-${id}`).innerText()).split(/\s/)[0];

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

const PLAN = syncReport({
  users: [
    planned("ann@acme.com", "create", { changes: [{ attribute: "name.familyName", before: "", after: "Doe" }] }),
    planned("bob@acme.com", "update", { changes: [{ attribute: "title", before: "Analyst", after: "Lead" }] }),
    planned("cid@acme.com", "link_and_update", { changes: [{ attribute: "active", before: "false", after: "true" }] }),
    planned("dan@acme.com", "deactivate"),
  ],
  groups: [{ group_id: "g1", name: "Sales", action: "update", remote_id: "00G1", add: ["u-ann@acme.com"], remove: [], body: null }],
});

it("reviews the plan: counts and each user's attribute before → after, nothing sent", async () => {
  await openTab({ plan: PLAN });
  await page.getByTestId("sync-review").click();
  await page.getByTestId("sync-plan").waitFor();
  assert.deepEqual(
    [await count("create"), await count("update"), await count("deactivate"), await count("link"), await count("groups"), await count("held")],
    ["1", "2", "1", "1", "1", "0"],
  );
  const bob = page.getByTestId("row-u-bob@acme.com");
  assert.match(await bob.innerText(), /bob@acme\.com\s+Update\s+title\s+Analyst\s+→\s+Lead/);
  const calls = await page.evaluate(() => window.__LANYARD_CALLS__.map((c) => c.cmd));
  assert.ok(!calls.includes("sync_run"), "reviewing sends nothing");
});

it("says when there is nothing to send", async () => {
  await openTab({});
  await page.getByTestId("sync-review").click();
  await page.getByText("Nothing to send").waitFor();
});

it("syncs with a progress bar (done / total, rate, ETA) and shows the result", async () => {
  await openTab({ runResults: [syncReport({ summary: { created: 4, linked: 1 } })], runSteps: 4, runStepMs: 250 });
  await page.getByTestId("sync-now").click();
  await page.getByTestId("sync-progress").waitFor();
  await page.waitForFunction(() => /\d+ \/ 4 · 2\.0\/s · about \d+ s left/.test(document.querySelector('[data-testid="sync-progress-text"]')?.textContent ?? ""));
  await page.getByTestId("sync-result").waitFor();
  assert.match(await page.getByTestId("sync-summary").innerText(), /4 created, 0 updated, 0 deactivated, 1 linked/);
});

it("cancels a running sync", async () => {
  await openTab({ runSteps: 20, runStepMs: 200 });
  await page.getByTestId("sync-now").click();
  await page.getByTestId("sync-cancel").click();
  await page.getByTestId("sync-result").waitFor();
  assert.match(await page.getByTestId("sync-summary").innerText(), /Cancelled/);
  assert.ok(await page.evaluate(() => window.__LANYARD_CALLS__.some((c) => c.cmd === "sync_cancel")));
});

it("lists failures with the target's own message, and Retry runs again", async () => {
  const failed = syncReport({
    summary: { created: 1, failed: 1 },
    failures: [{ target: "eve@acme.com", event: "user_create_provision", message: "DUPLICATE_USERNAME: the username is taken in another org", http_status: 409, error_code: "DUPLICATE_USERNAME", attempts: 1 }],
  });
  await openTab({ runResults: [failed, syncReport({ summary: { created: 1 } })], runSteps: 1, runStepMs: 50 });
  await page.getByTestId("sync-now").click();
  const table = page.getByTestId("sync-failures");
  await table.waitFor();
  assert.match(await table.innerText(), /eve@acme\.com\s+user_create_provision\s+409 DUPLICATE_USERNAME\s+DUPLICATE_USERNAME: the username is taken/);
  await page.getByTestId("sync-retry").click();
  await page.waitForFunction(() => /1 created.*0 failed/.test(document.querySelector('[data-testid="sync-summary"]')?.textContent ?? ""));
  assert.equal(await page.getByTestId("sync-failures").count(), 0);
  assert.equal((await page.evaluate(() => window.__LANYARD_RUNS__)).length, 2);
});

it("a held deletion says who would be deactivated and runs again when allowed", async () => {
  const reason = "25 users would be deactivated or deleted (more than 20): held until the admin allows it.";
  const held = syncReport({
    summary: { held: 2 },
    held_reason: reason,
    users: [planned("x@acme.com", "deactivate", { held: true }), planned("y@acme.com", "deactivate", { held: true })],
  });
  await openTab({ runResults: [held, syncReport({ summary: { deactivated: 2 } })], runSteps: 1, runStepMs: 50 });
  await page.getByTestId("sync-now").click();
  await page.getByTestId("sync-held").waitFor();
  assert.deepEqual(await page.getByTestId("sync-held-users").locator("li").allInnerTexts(), ["x@acme.com", "y@acme.com"]);
  await page.getByTestId("sync-allow").click();
  await page.waitForFunction(() => /2 deactivated/.test(document.querySelector('[data-testid="sync-summary"]')?.textContent ?? ""));
  assert.deepEqual(await page.evaluate(() => window.__LANYARD_RUNS__.map((r) => r.allowDeactivations)), [false, true]);
});
