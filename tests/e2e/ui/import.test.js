// Manual import on the Identity Management tab (built UI, mocked IPC): the target's users
// streamed in 200 at a time, New users first / only, search, shift-range and select-all-shown,
// "take Salesforce's values" on a Matches row, a small import with per-row results, a large one
// in the background with progress while the admin works elsewhere, the group offer, refused
// rows listed, and the address surviving a reload.
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

// 450 remote users over 3 pages: user0001…user0450; every 10th inactive, every 7th Matches, every 13th Imported.
const TARGET = { apps: [PRACTICE_APP], connections: { acme: {} }, remoteUsers: 450 };

async function openImport(scenario = {}, hash = "#/applications/acme/import") {
  page = await openMocked(browser, `${server.url}${hash}`, { ...TARGET, ...scenario }, { viewport: { width: 1280, height: 800 } });
}
const counts = () => page.getByTestId("import-counts").innerText();
const waitAllRead = () => page.getByTestId("import-complete").waitFor();
/** Waits until the element's text matches: the table re-renders after each change, later under load. */
const waitText = (id, re) =>
  page.waitForFunction(
    ([testId, source, flags]) => new RegExp(source, flags).test(document.querySelector(`[data-testid="${testId}"]`)?.textContent ?? ""),
    [id, re.source, re.flags],
  );
/** Waits until the visible usernames satisfy `ok`, and answers them. */
async function usernamesWhen(ok) {
  for (let i = 0; i < 50; i++) {
    const names = await visibleUsernames();
    if (ok(names)) return names;
    await page.waitForTimeout(100);
  }
  return visibleUsernames();
}
const row = (n) => page.getByTestId(`row-005R${String(n).padStart(4, "0")}`);
const visibleUsernames = async () =>
  page.locator('[data-testid="import-table-body"] [role="row"]').evaluateAll((rows) =>
    rows
      .map((r) => ({ y: Number(/translateY\((\d+)/.exec(r.style.transform)?.[1] ?? 0), name: r.querySelector('[role="gridcell"]:nth-child(2)')?.textContent }))
      .sort((a, b) => a.y - b.y)
      .map((r) => r.name),
  );
const imports = () => page.evaluate(() => window.__LANYARD_IMPORTS__ || []);

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

it("opens from the Identity Management tab, and the address survives a reload", async () => {
  page = await openMocked(browser, `${server.url}#/applications/acme/identity`, TARGET, { viewport: { width: 1280, height: 800 } });
  await page.getByTestId("import-open").click();
  await page.waitForURL(/#\/applications\/acme\/import$/);
  await row(1).waitFor();
  await page.reload();
  await row(1).waitFor();
  assert.match(page.url(), /#\/applications\/acme\/import$/);
  await page.getByTestId("import-back").click();
  await page.waitForURL(/#\/applications\/acme\/identity$/);
});

it("says when the application has no connection, and links to Connect", async () => {
  await openImport({ connections: {} });
  await page.getByTestId("import-not-connected").waitFor();
  await page.getByTestId("import-connect").click();
  await page.waitForURL(/#\/applications\/acme\/identity$/);
  await page.getByTestId("idm").waitFor();
});

it("streams the pages: the first shows at once, the others load in the background with a count and a Stop", async () => {
  await openImport({ importPageMs: 700 });
  await row(1).waitFor();
  assert.match(await counts(), /^200 user\(s\) so far/, "the first page is on screen before the second arrives");
  assert.match(await page.getByTestId("import-loading").innerText(), /Loading… 200 read so far/);
  await page.getByTestId("import-load-stop").click();
  await page.getByTestId("import-stopped").waitFor();
  // The page in flight when Stop was pressed still lands and is kept (the core's listing has it
  // too); no page after it is asked for.
  await waitText("import-counts", /^400 user\(s\) so far/);
  await page.waitForTimeout(900);
  assert.match(await counts(), /^400 user\(s\) so far/, "stopping fetches no more pages");
  assert.match(await page.getByTestId("import-stopped").innerText(), /Stopped at 400/);
  await page.getByTestId("import-load-resume").click();
  await waitAllRead();
  assert.match(await counts(), /^450 user\(s\) · (\d+) new · 60 matches · 34 imported · 45 inactive/);
  const cursors = await page.evaluate(() => window.__LANYARD_CALLS__.filter((c) => c.cmd === "import_page").map((c) => c.args.cursor));
  assert.deepEqual(cursors, [null, "200", "400"], "each page asked once, from where the last one ended");
});

it("New users first moves them to the top; New only, search and the inactive filter narrow the list", async () => {
  await openImport();
  await waitAllRead();
  const first = await usernamesWhen((n) => n.length >= 3);
  assert.deepEqual(first.slice(0, 3), ["user0001@acme.com", "user0002@acme.com", "user0003@acme.com"]);
  await page.getByTestId("import-show").selectOption("new-first");
  const top = await usernamesWhen((n) => n.length >= 8 && !n.slice(0, 8).includes("user0007@acme.com"));
  assert.ok(!top.includes("user0007@acme.com"), "user0007 (Matches) is below the New users");
  assert.deepEqual(top.slice(5, 8), ["user0006@acme.com", "user0008@acme.com", "user0009@acme.com"], "New users keep the target's order");
  await page.getByTestId("import-show").selectOption("new");
  await waitText("import-shown", /^356 shown/);
  await page.getByTestId("import-search").fill("user0014");
  await waitText("import-shown", /^0 shown/); // user0014 matches (every 7th), so New only hides it
  await page.getByTestId("import-show").selectOption("all");
  await waitText("import-shown", /^1 shown/);
  await page.getByTestId("import-search").fill("");
  await page.getByTestId("import-active").selectOption("inactive");
  await waitText("import-shown", /^45 shown/);
});

it("selects one row, a shift-click range, and every row the filters show", async () => {
  await openImport();
  await waitAllRead();
  await row(2).click();
  assert.equal(await page.getByTestId("import-selected").innerText(), "1 selected");
  await row(6).click({ modifiers: ["Shift"] });
  assert.equal(await page.getByTestId("import-selected").innerText(), "5 selected");
  await page.getByTestId("import-active").selectOption("inactive");
  await waitText("import-shown", /^45 shown/);
  await page.getByTestId("import-table-select-all").check();
  await waitText("import-selected", /^45 selected$/); // only the rows the filter shows
  assert.match(await page.getByTestId("import-start").innerText(), /Import 45 user\(s\)/);
  await page.getByTestId("import-skip-inactive").check();
  assert.match(await page.getByTestId("import-start").innerText(), /Import 0 user\(s\)/);
  assert.equal(await page.getByTestId("import-start").isDisabled(), true);
});

it("holds only the rows in view: the core answers pages of them, and a shift-range over rows never shown imports them by position", async () => {
  await openImport({ remoteUsers: 3000 });
  await waitAllRead();
  await waitText("import-shown", /^3,000 shown/); // the table's total follows the last page
  await row(2).click();
  const body = page.getByTestId("import-table-body");
  await body.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await row(2999).click({ modifiers: ["Shift"] });
  await waitText("import-selected", /^2,998 selected$/);
  const asked = await page.evaluate(() => window.__LANYARD_CALLS__.filter((c) => c.cmd === "import_rows").map((c) => c.args.query));
  assert.ok(asked.length > 0 && asked.every((q) => q.limit <= 200), "pages of at most 200 rows");
  assert.ok(!asked.some((q) => q.offset > 0 && q.offset < 2000), "the rows scrolled past were never asked for");
  assert.ok((await page.locator('[data-testid="import-table-body"] [role="row"]').count()) < 100, "only the rows in view are in the page");
  await page.getByTestId("import-start").click();
  await page.getByTestId("import-summary").waitFor();
  const [sent] = await imports();
  // Sent as positions in the core's listing (user N is at N - 1), not 2,998 usernames.
  assert.equal(sent.usernames, null);
  assert.equal(sent.listed.positions.length, 2998);
  assert.ok(sent.listed.positions.includes(1499) && !sent.listed.positions.includes(0));
  // The statuses follow in place (the list is not read again): they are imported now.
  await page.getByTestId("status-005R2999").waitFor();
  assert.match(await page.getByTestId("status-005R2999").innerText(), /Imported|Matches/);
});

it("shows a Matches row's differences and imports it with Salesforce's values; a small import shows each row's result", async () => {
  await openImport({ importRefuse: ["user0003@acme.com"], importRowMs: 150 });
  await waitAllRead();
  await page.getByTestId("status-005R0007").click();
  assert.match(await page.getByTestId("import-diff").innerText(), /title: directory: Old title → Salesforce: Engineer/);
  await page.getByTestId("import-diff-take").check();
  assert.equal(await page.getByTestId("take-005R0007").isChecked(), true, "the row's own box follows");
  await row(1).click();
  await row(8).click({ modifiers: ["Shift"] });
  await page.getByTestId("import-start").click();
  await page.getByTestId("import-outcomes").waitFor();
  // Live: the first rows have a result while later ones still wait.
  await page.waitForFunction(() => document.querySelector('[data-testid="outcome-row-user0001@acme.com"]')?.dataset.outcome === "created-unmanaged");
  assert.equal(await page.getByTestId("outcome-row-user0008@acme.com").getAttribute("data-outcome"), "waiting");
  await page.waitForFunction(() => document.querySelector('[data-testid="import-job"]')?.dataset.state === "done");
  const outcomes = await page.locator('[data-testid="import-outcomes"] tbody tr').evaluateAll((rows) => rows.map((r) => `${r.dataset.testid.slice(12)} ${r.dataset.outcome}`));
  assert.deepEqual(outcomes, [
    "user0001@acme.com created-unmanaged", "user0002@acme.com created-unmanaged", "user0003@acme.com refused",
    "user0004@acme.com created-unmanaged", "user0005@acme.com created-unmanaged", "user0006@acme.com created-unmanaged",
    "user0007@acme.com updated-unmanaged", "user0008@acme.com created-unmanaged",
  ]);
  assert.match(await page.getByTestId("outcome-row-user0003@acme.com").innerText(), /Refused.*must be a valid email/);
  assert.match(await page.getByTestId("import-errors").innerText(), /user0003@acme\.com\s+The directory refuses/);
  assert.match(await page.getByTestId("import-summary").innerText(), /7 imported · 6 created, 1 updated, 0 linked, 1 refused/);
  const sent = await imports();
  assert.equal(sent.length, 8, "one import per row");
  assert.deepEqual(sent[6], { usernames: ["user0007@acme.com"], listed: null, skip_inactive: false, take_values: ["user0007@acme.com"], group: null, notify: false }, "a row-by-row import raises no desktop notification");
  await page.getByTestId("toast-import").waitFor();
});

it("offers to add users that are not managed yet to a group, and re-runs the import with it", async () => {
  await openImport({ groups: [{ name: "Sales" }] });
  await waitAllRead();
  await row(1).click();
  await row(2).click({ modifiers: ["Shift"] });
  assert.match(await page.getByTestId("import-scope-hint").innerText(), /managed for Acme only as members of a group bound to it/);
  await page.getByTestId("import-start").click();
  await page.getByTestId("scope-offer").waitFor();
  assert.match(await page.getByTestId("scope-offer").innerText(), /2 imported user\(s\) are not managed yet/);
  await page.getByTestId("scope-group-select").selectOption({ label: "New group…" });
  await page.getByTestId("scope-group-new").fill("Imported from Salesforce");
  await page.getByTestId("scope-add").click();
  await page.waitForFunction(() => /2 added to the group Imported from Salesforce/.test(document.querySelector('[data-testid="import-summary"]')?.textContent ?? ""));
  assert.equal(await page.getByTestId("scope-offer").count(), 0, "all in scope now");
  const last = (await imports()).at(-1);
  assert.equal(last.group, "Imported from Salesforce");
  const bound = await page.evaluate(() => window.__LANYARD_MOCK__.dir.bindings.size);
  assert.equal(bound, 1, "the new group is bound to the application");
});

it("sends the group chosen before importing", async () => {
  await openImport({ groups: [{ name: "Sales" }] });
  await waitAllRead();
  await row(1).click();
  await page.getByTestId("import-group-select").selectOption("Sales");
  await page.getByTestId("import-start").click();
  await page.waitForFunction(() => document.querySelector('[data-testid="import-job"]')?.dataset.state === "done");
  assert.equal((await imports())[0].group, "Sales");
  assert.equal(await page.getByTestId("scope-offer").count(), 0);
  // The list is read again when the import ends: once the result is put away, the row says Imported.
  await page.getByTestId("import-dismiss").click();
  await page.waitForFunction(() => document.querySelector('[data-testid="status-005R0001"]')?.textContent === "Imported");
});

it("imports 100 or more in the background with progress while the admin works elsewhere, then says the counts", async () => {
  await openImport({ importRefuse: ["user0020@acme.com"], importSteps: 6, importStepMs: 400 });
  await waitAllRead();
  await page.getByTestId("import-show").selectOption("new");
  await waitText("import-shown", /^356 shown/);
  await page.getByTestId("import-table-select-all").check();
  await waitText("import-selected", /^356 selected$/);
  await page.getByTestId("import-start").click();
  await page.getByTestId("import-background-note").waitFor();
  await page.waitForFunction(() => /\d+ \/ 356 · [\d.]+\/s · about \d+ s left/.test(document.querySelector('[data-testid="import-progress-text"]')?.textContent ?? ""));
  // Elsewhere in the window: the progress follows, and the import goes on.
  await page.getByTestId("nav-directory").click();
  await page.getByTestId("import-activity").waitFor();
  await page.waitForFunction(() => /Importing into Acme: \d+ \/ 356/.test(document.querySelector('[data-testid="import-activity"]')?.textContent ?? ""));
  const toast = page.getByTestId("toast-import");
  await toast.waitFor({ timeout: 10_000 });
  assert.match(await toast.innerText(), /Import into Acme finished: 355 created, 0 updated, 0 linked, 1 refused\. 355 not managed yet/);
  assert.equal(await page.getByTestId("import-activity").count(), 0);
  const sent = await imports();
  assert.equal(sent.length, 1, "one import for the whole selection");
  assert.equal(sent[0].listed.positions.length, 356);
  assert.equal(sent[0].notify, true, "a background import asks the shell for a desktop notification");
  // Back on the page: the result, and the refused row.
  await page.getByTestId("import-activity-open-acme").count();
  await page.goto(`${server.url}#/applications/acme/import`);
  await page.getByTestId("import-job").waitFor();
  assert.match(await page.getByTestId("import-errors").innerText(), /user0020@acme\.com/);
  assert.match(await page.getByTestId("import-summary").innerText(), /355 imported/);
});

it("cancels a background import: nothing is written, and the page says so", async () => {
  await openImport({ importSteps: 20, importStepMs: 300 });
  await waitAllRead();
  const before = await page.evaluate(() => window.__LANYARD_DIR__.users.length);
  await page.getByTestId("import-show").selectOption("new");
  await waitText("import-shown", /^356 shown/);
  await page.getByTestId("import-table-select-all").check();
  await waitText("import-selected", /^356 selected$/);
  await page.getByTestId("import-start").click();
  await page.waitForFunction(() => /\d+ \/ \d+ ·/.test(document.querySelector('[data-testid="import-progress-text"]')?.textContent ?? ""));
  await page.getByTestId("import-cancel").click();
  const toast = page.getByTestId("toast-import-cancelled");
  await toast.waitFor({ timeout: 10_000 });
  assert.match(await toast.innerText(), /cancelled: nothing was written/);
  await page.waitForFunction(() => document.querySelector('[data-testid="import-job"]')?.dataset.state === "cancelled");
  assert.match(await page.getByTestId("import-job").innerText(), /The import was cancelled/);
  const after = await page.evaluate(() => window.__LANYARD_DIR__.users.length);
  assert.equal(after, before, "no directory user was added");
});

it("says when the list cannot be read, and tries again", async () => {
  await openImport({ importPageError: 1 });
  await page.getByTestId("import-load-error").waitFor();
  assert.match(await page.getByTestId("import-load-error").innerText(), /HTTP 503/);
  assert.match(await counts(), /^200 user\(s\) so far/, "the first page stays");
});

it("keeps the rows read before a page that fails, says why, and Try again reads on from that page", async () => {
  await openImport({ importBatchError: 2 });
  await page.getByTestId("import-load-error").waitFor();
  assert.match(await page.getByTestId("import-load-error").innerText(), /HTTP 503/);
  await waitText("import-counts", /^400 user\(s\) so far/);
  await page.getByTestId("import-load-error").getByRole("button", { name: "Try again" }).click();
  await waitAllRead();
  assert.match(await counts(), /^450 user\(s\) · /);
  const cursors = await page.evaluate(() => window.__LANYARD_CALLS__.filter((c) => c.cmd === "import_page").map((c) => c.args.cursor));
  assert.deepEqual(cursors, [null, "200", "400"], "the failed page asked again, no page twice");
});

it("says when the target has no users", async () => {
  await openImport({ remoteUsers: 0 });
  await page.getByTestId("import-empty").waitFor();
});

it("is reachable by keyboard with a visible focus", async () => {
  await openImport();
  await waitAllRead();
  await page.getByTestId("import-search").focus();
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "import-show");
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, "none", "the focused control shows an outline");
});
