// The manual import in the real window against the practice org: the target's users listed,
// New users only, a shift-click range selected, imported into a group bound to the application,
// found in the Directory, and the next sync neither creates nor changes them.
import { after, before, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startDriver, screenshot } from "./driver.js";
import { connectByCli, startSim } from "./practice-sim.js";

const APP = process.env.LANYARD_APP_BINARY;
const CLI = process.env.LANYARD_CLI_BINARY;
const artifacts = join(dirname(fileURLToPath(import.meta.url)), "../artifacts");
const dataDir = mkdtempSync(join(tmpdir(), "lanyard-e2e-import-"));
const SHIFT = "\uE008";
const RANGE = 5;
let driver;
let sim;
let simUrl;

const env = () => ({ ...process.env, LANYARD_DATA_DIR: dataDir, LANYARD_PRACTICE_URL: simUrl });
const cli = (...args) => execFileSync(CLI, args, { env: env(), stdio: ["ignore", "pipe", "pipe"] }).toString();

before(async () => {
  assert.ok(APP && existsSync(APP), "LANYARD_APP_BINARY must point at the built app");
  assert.ok(CLI && existsSync(CLI), "LANYARD_CLI_BINARY must point at the built lanyard CLI");
  mkdirSync(artifacts, { recursive: true });
  ({ child: sim, url: simUrl } = await startSim(CLI, ["--users", "40"]));
  cli("app", "create", "practice", "--practice", "--label", "Practice");
  // Named like a public group of the practice org: Salesforce cannot create groups over SCIM.
  cli("group", "add", "All Sales");
  cli("group", "bind", "practice", "All Sales");
  await connectByCli(CLI, "practice", env());
  driver = await startDriver({
    env: { LANYARD_DATA_DIR: dataDir, LANYARD_PRACTICE_URL: simUrl, LANYARD_IDP_URL: "http://127.0.0.1:0" },
  });
});

after(async () => {
  await driver?.stop();
  sim?.kill("SIGTERM");
});

const byTestId = (browser, id) => browser.$(`[data-testid="${id}"]`);

/** The rows the table shows, top to bottom (it is virtualized: rows are placed by translateY). */
async function visibleRows(browser) {
  return browser.execute(() =>
    [...document.querySelectorAll('[data-testid="import-table-body"] [role="row"]')]
      .map((r) => ({ y: Number(/translateY\((\d+)/.exec(r.style.transform)?.[1] ?? 0), id: r.dataset.testid, name: r.querySelector('[role="gridcell"]:nth-child(2)')?.textContent ?? "" }))
      .sort((a, b) => a.y - b.y),
  );
}

it("imports a range of New users from the practice org, shows them in the Directory, and the next sync changes nothing", async () => {
  const browser = await driver.session(APP);
  try {
    await (await byTestId(browser, "app-practice")).waitForDisplayed({ timeout: 15000 });
    await (await byTestId(browser, "app-practice")).click();
    await (await byTestId(browser, "app-tab-identity")).click();
    await (await byTestId(browser, "import-open")).waitForDisplayed({ timeout: 15000 });
    await (await byTestId(browser, "import-open")).click();
    await (await byTestId(browser, "import-complete")).waitForDisplayed({ timeout: 20000 });
    await browser.waitUntil(async () => /^40 user\(s\)/.test(await (await byTestId(browser, "import-counts")).getText()), {
      timeout: 10000,
      timeoutMsg: "the practice org's 40 users are listed",
    });

    // New users only, then the first row and a shift-click on the fifth.
    await (await byTestId(browser, "import-show")).selectByAttribute("value", "new");
    const rows = await browser.waitUntil(async () => {
      const r = await visibleRows(browser);
      return r.length >= RANGE ? r : false;
    }, { timeout: 10000, timeoutMsg: "New rows are shown" });
    const chosen = rows.slice(0, RANGE);
    await (await byTestId(browser, chosen[0].id)).click();
    const last = await byTestId(browser, chosen[RANGE - 1].id);
    await browser.actions([
      browser.action("key").down(SHIFT).pause(50).pause(50).pause(50).up(SHIFT),
      browser.action("pointer").move({ origin: last }).down().up().pause(50),
    ]);
    await browser.waitUntil(async () => (await (await byTestId(browser, "import-selected")).getText()) === `${RANGE} selected`, {
      timeout: 5000,
      timeoutMsg: "the shift-click selects the range",
    });
    await (await byTestId(browser, "import-group-select")).selectByVisibleText("All Sales");
    await (await byTestId(browser, "import-start")).click();
    const summary = await byTestId(browser, "import-summary");
    await summary.waitForDisplayed({ timeout: 20000 });
    await browser.waitUntil(async () => new RegExp(`^${RANGE} imported`).test(await summary.getText()), {
      timeout: 20000,
      timeoutMsg: `${RANGE} users imported`,
    });
    screenshot(join(artifacts, "import-done.png"));

    // The Directory lists them.
    await (await byTestId(browser, "nav-directory")).click();
    for (const r of chosen) {
      await (await byTestId(browser, `open-${r.name}`)).waitForDisplayed({ timeout: 10000 });
    }

    // The next sync neither creates nor changes them (the directory had nobody else).
    const plan = JSON.parse(cli("sync", "practice", "--dry-run", "--json"));
    const touched = (plan.users ?? []).filter((u) => chosen.some((c) => c.name === u.user_name));
    assert.deepEqual(touched, [], "no create or update for an imported user");
    const synced = JSON.parse(cli("sync", "practice", "--json"));
    assert.equal(synced.created, 0, JSON.stringify(synced));
    assert.equal(synced.updated, 0, JSON.stringify(synced));
    assert.equal(synced.failed, 0, JSON.stringify(synced));
    const members = JSON.parse(cli("user", "list", "--group", "All Sales", "--json"));
    assert.deepEqual(members.map((u) => u.email).sort(), chosen.map((c) => c.name).sort(), "exactly the range is in the group");
  } finally {
    await browser.deleteSession();
  }
});
