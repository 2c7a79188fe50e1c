// The Events page (built UI, mocked IPC): empty and error states, newest first in the DataTable,
// the filters (sent to the core's query), live updates, the detail drawer, and export.
import { after, afterEach, before, it } from "node:test";
import assert from "node:assert/strict";
import { launchChromium, openMocked } from "./browser.js";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { serveDist } from "./serve.js";
import { PRACTICE_APP } from "./fixtures.js";

const here = dirname(fileURLToPath(import.meta.url));
let browser;
let server;
let page;

async function open(scenario) {
  page = await openMocked(browser, `${server.url}#/events`, { apps: [PRACTICE_APP], ...scenario }, { viewport: { width: 1280, height: 800 } });
}

const EVENTS = [
  { id: 4, at: "2026-11-28T10:03:00Z", app_name: "acme", name: "user_create_provision", outcome: "failed", detail: "the username is taken",
    target: "eve@acme.com", run_id: "run-7", http_status: 409, error_code: "DUPLICATE_USERNAME", attempt: 2 },
  { id: 3, at: "2026-11-28T10:02:00Z", app_name: "acme", name: "saml.response_signed", outcome: "failed", detail: "eve@acme.com: may not sign in" },
  { id: 2, at: "2026-11-28T10:01:00Z", app_name: "acme", name: "saml.idp_key_created", outcome: "ok", detail: "active 86b4…" },
  { id: 1, at: "2026-11-20T10:00:00Z", app_name: "acme", name: "saml.sp_metadata_saved", outcome: "ok", detail: "entity ID https://acme.my.salesforce.com" },
];
const calls = (cmd) => page.evaluate((c) => window.__LANYARD_CALLS__.filter((x) => x.cmd === c).map((x) => x.args), cmd);
const rowIds = () => page.locator('[data-testid="events-table"] [role="row"][data-testid^="row-"]').evaluateAll((rows) => rows.map((r) => r.dataset.testid));

before(async () => {
  server = await serveDist(join(here, "../../../ui/dist"));
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
});
afterEach(async () => {
  assert.deepEqual(page.errors, []);
  await page.close();
});

it("says when there is nothing yet", async () => {
  await open({});
  await page.getByText("No events yet").waitFor();
});

it("says when the events cannot be read", async () => {
  await open({ eventsError: "The database is locked." });
  assert.match(await page.getByTestId("events-error").innerText(), /database is locked/);
});

it("lists events newest first and filters them in the core", async () => {
  await open({ events: [...EVENTS].reverse() });
  await page.getByTestId("row-4").waitFor();
  assert.deepEqual(await rowIds(), ["row-4", "row-3", "row-2", "row-1"]);
  assert.match(await page.getByTestId("row-4").innerText(), /Failed\s+user_create_provision\s+acme\s+eve@acme\.com/);

  await page.getByTestId("events-outcome").selectOption("failed");
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="events-table"] [data-testid^="row-"]').length === 2);
  await page.getByTestId("events-name").selectOption("saml.response_signed");
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="events-table"] [data-testid^="row-"]').length === 1);
  await page.getByTestId("events-name").selectOption("");
  await page.getByTestId("events-outcome").selectOption("");
  await page.getByTestId("events-text").fill("duplicate");
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="events-table"] [data-testid^="row-"]').length === 1);
  assert.deepEqual(await rowIds(), ["row-4"]);
  await page.getByTestId("events-text").fill("nothing-like-this");
  await page.getByText("No event matches these filters.").waitFor();
  await page.getByTestId("events-text").fill("");
  await page.getByTestId("events-since").fill("2026-11-27T00:00");
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="events-table"] [data-testid^="row-"]').length === 3);
  const last = await page.evaluate(() => window.__LANYARD_CALLS__.filter((c) => c.cmd === "query_events").pop().args.filter);
  assert.match(last.since, /^2026-11-2[67]T/, "since goes to the core as RFC 3339");
});

it("keeps the filters in the address: a filtered view can be linked to and survives a reload", async () => {
  page = await openMocked(browser, `${server.url}#/events?outcome=failed&app=acme`, { apps: [PRACTICE_APP], events: [...EVENTS].reverse() }, { viewport: { width: 1280, height: 800 } });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="events-table"] [data-testid^="row-"]').length === 2);
  assert.equal(await page.getByTestId("events-outcome").inputValue(), "failed", "the address sets the filter");
  const sent = await page.evaluate(() => window.__LANYARD_CALLS__.filter((c) => c.cmd === "query_events").pop().args.filter);
  assert.equal(sent.outcome, "failed");
  assert.equal(sent.app_name, "acme");
  await page.getByTestId("events-name").selectOption("saml.response_signed");
  await page.waitForFunction(() => /name=saml\.response_signed/.test(location.hash));
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="events-table"] [data-testid^="row-"]').length === 1);
  assert.equal(await page.getByTestId("events-name").inputValue(), "saml.response_signed", "kept across a reload");
  assert.equal(await page.getByTestId("events-outcome").inputValue(), "failed");
  // An unknown value in the address is dropped, not an error.
  await page.goto(`${server.url}#/events?outcome=sideways`);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="events-table"] [data-testid^="row-"]').length === 4);
});

it("a click on a failure notification opens the application's failed events", async () => {
  page = await openMocked(browser, `${server.url}#/directory`, { apps: [PRACTICE_APP], events: [...EVENTS].reverse() }, { viewport: { width: 1280, height: 800 } });
  await page.getByTestId("nav-directory").waitFor();
  // What the shell emits when the admin clicks the notification (src-tauri/notifications.rs).
  await page.waitForFunction(() => window.__LANYARD_LISTENERS__.some((l) => l.event === "lanyard://open"));
  await page.evaluate(() => window.__LANYARD_EMIT__("lanyard://open", "/events?app=acme&outcome=failed"));
  await page.waitForFunction(() => location.hash.startsWith("#/events"));
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="events-table"] [data-testid^="row-"]').length === 2);
  assert.equal(await page.getByTestId("events-outcome").inputValue(), "failed");
  // Anything but a route of the window is ignored.
  await page.evaluate(() => window.__LANYARD_EMIT__("lanyard://open", "https://example.com/"));
  await page.waitForTimeout(200);
  assert.match(await page.evaluate(() => location.hash), /^#\/events/);
});

it("lists the newest 200 first, older ones on scrolling or on demand; an export holds all the filters select", async () => {
  const many = Array.from({ length: 700 }, (_, i) => ({
    id: i + 1, at: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(), app_name: "acme", name: "user_update_provision",
    outcome: i % 10 === 0 ? "failed" : "ok", detail: `update ${i + 1}`, target: `user${i + 1}@acme.com`,
  }));
  page = await openMocked(browser, `${server.url}#/events`, { apps: [PRACTICE_APP], events: many, savePath: "/tmp/events.csv" }, { viewport: { width: 1280, height: 800 } });
  await page.waitForFunction(() => /^200 event\(s\) \(the newest 200\)/.test(document.querySelector('[data-testid="events-count"]')?.textContent ?? ""));
  assert.equal((await calls("query_events")).pop().filter.limit, 200, "a small first page");
  await page.getByTestId("events-more").click();
  await page.waitForFunction(() => /^400 event\(s\)/.test(document.querySelector('[data-testid="events-count"]')?.textContent ?? ""));
  // Scrolling to the end asks for the next page; the rows on screen stay meanwhile.
  await page.getByTestId("events-table-body").evaluate((el) => (el.scrollTop = el.scrollHeight));
  await page.waitForFunction(() => /^600 event\(s\)/.test(document.querySelector('[data-testid="events-count"]')?.textContent ?? ""));
  await page.getByTestId("events-more").click();
  await page.waitForFunction(() => /^700 event\(s\) · /.test(document.querySelector('[data-testid="events-count"]')?.textContent ?? ""));
  assert.equal(await page.getByTestId("events-more").count(), 0, "nothing older");
  await page.getByTestId("events-outcome").selectOption("failed");
  await page.waitForFunction(() => /^70 event\(s\) · /.test(document.querySelector('[data-testid="events-count"]')?.textContent ?? ""));
  assert.equal((await calls("query_events")).pop().filter.limit, 200, "a filter change starts from the first page again");
  await page.getByTestId("events-export-csv").click();
  await page.getByTestId("events-notice").waitFor();
  assert.equal((await calls("export_events")).pop().filter.limit, 100000, "the export is not cut to the page");
});

it("shows new events while open", async () => {
  await open({ events: EVENTS.slice(1) });
  await page.getByTestId("row-3").waitFor();
  await page.evaluate((e) => window.__LANYARD_SCENARIO__.events.unshift(e), EVENTS[0]);
  await page.getByTestId("row-4").waitFor({ timeout: 8000 });
});

it("opens an event's details: target, HTTP status, error code, attempt, run", async () => {
  await open({ events: EVENTS });
  await page.getByTestId("open-event-4").click();
  const facts = await page.getByTestId("event-facts").innerText();
  assert.match(facts, /Target\s+eve@acme\.com/);
  assert.match(facts, /HTTP status\s+409/);
  assert.match(facts, /Error code\s+DUPLICATE_USERNAME/);
  assert.match(facts, /Attempt\s+2/);
  assert.match(facts, /Run\s+run-7/);
  await page.keyboard.press("Escape");
  await page.getByTestId("event-drawer").waitFor({ state: "detached" });
});

it("exports what the filters show as CSV and as JSON", async () => {
  await open({ events: EVENTS, savePath: "/tmp/events.out" });
  await page.getByTestId("events-outcome").selectOption("failed");
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="events-table"] [data-testid^="row-"]').length === 2);
  await page.getByTestId("events-export-csv").click();
  await page.getByTestId("events-notice").waitFor();
  const csv = await page.evaluate(() => window.__LANYARD_FILES__["/tmp/events.out"]);
  assert.equal(csv.split("\n").length, 3, "header and the two failures");
  await page.getByTestId("events-export-json").click();
  await page.waitForFunction(() => window.__LANYARD_FILES__["/tmp/events.out"].startsWith("["));
  const json = JSON.parse(await page.evaluate(() => window.__LANYARD_FILES__["/tmp/events.out"]));
  assert.deepEqual(json.map((e) => e.id), [4, 3]);
  const call = await page.evaluate(() => window.__LANYARD_CALLS__.filter((c) => c.cmd === "export_events").pop().args);
  assert.equal(call.filter.outcome, "failed");
  assert.equal(call.format, "json");
});
