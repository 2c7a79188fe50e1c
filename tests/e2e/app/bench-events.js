// Events-page benchmark on the REAL app (WebKitGTK), run by hand under Xvfb from tests/e2e:
//   LANYARD_APP_BINARY=…/lanyard-app LANYARD_CLI_BINARY=…/lanyard xvfb-run -a node app/bench-events.js [N]
// A throwaway data folder whose event log holds N events (default 100,000: provisioning and SAML
// names, a tenth failed, over the last 60 days, written with Python's sqlite3 into the database
// the CLI created), then in the window:
//   - click on Events → first rows on screen (wall, through WebDriver);
//   - filter changes (outcome, event name, text, back to all), each timed inside the page from the
//     change to the rows of the new filter on screen (IPC query + render), 3 runs each.
// Not a test: it prints figures. Goals (issue 9): first rows < 500 ms, filter change < 100 ms.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDriver } from "./driver.js";

const APP = process.env.LANYARD_APP_BINARY;
const CLI = process.env.LANYARD_CLI_BINARY;
const N = Number(process.argv[2] ?? 100000);
if (!APP || !existsSync(APP) || !CLI || !existsSync(CLI) || !(N > 0)) {
  console.error("set LANYARD_APP_BINARY and LANYARD_CLI_BINARY (the built app and CLI); the argument is an event count");
  process.exit(2);
}
const dataDir = mkdtempSync(join(tmpdir(), "lanyard-bench-events-"));
execFileSync(CLI, ["--data-dir", dataDir, "app", "create", "acme"], { stdio: "ignore" });
execFileSync(CLI, ["--data-dir", dataDir, "app", "create", "globex"], { stdio: "ignore" });
// The CLI made the database and ran the migrations; the events go in directly.
execFileSync("python3", ["-", join(dataDir, "lanyard.db"), String(N)], {
  input: `
import sqlite3, sys, datetime
db, n = sys.argv[1], int(sys.argv[2])
names = ["user_create_provision", "user_update_provision", "user_deprovision", "group_update_provision",
         "saml.response_signed", "saml.sp_metadata_saved", "user_lookup_provision"]
now = datetime.datetime.now(datetime.timezone.utc)
rows = []
for i in range(n):
    at = (now - datetime.timedelta(seconds=(n - i) * 60 * 24 * 60 * 60 // n)).isoformat()
    failed = i % 10 == 0
    rows.append((at, "acme" if i % 3 else "globex", names[i % len(names)], "failed" if failed else "ok",
                 f"user{i:06d}@acme.example: {'refused by the target' if failed else 'done'}",
                 f"user{i:06d}@acme.example", f"run-{i // 500}", 400 if failed else 201, "INVALID" if failed else None, 1))
c = sqlite3.connect(db)
c.executemany("INSERT INTO events (at, app_name, name, outcome, detail, target, run_id, http_status, error_code, attempt) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
c.commit()
print(c.execute("SELECT COUNT(*) FROM events").fetchone()[0])
`,
  stdio: ["pipe", "inherit", "inherit"],
});

const driver = await startDriver({ env: { LANYARD_DATA_DIR: dataDir, LANYARD_IDP_URL: "http://127.0.0.1:0" } });
const browser = await driver.session(APP);
const byTestId = (id) => browser.$(`[data-testid="${id}"]`);

/** Changes a filter inside the page and answers the ms until the rows of the new filter are shown
 * (the count line names the query its rows answer; empty while the previous rows stand in). */
async function timedChange(testId, value) {
  return browser.executeAsync(
    (id, v, done) => {
      const el = document.querySelector(`[data-testid="${id}"]`);
      const count = () => document.querySelector('[data-testid="events-count"]')?.dataset.for ?? "";
      const before = count();
      const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
      const t0 = performance.now();
      Object.getOwnPropertyDescriptor(proto, "value").set.call(el, v);
      el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
      const tick = () => {
        if (count() !== before && count() !== "") requestAnimationFrame(() => done(performance.now() - t0));
        else if (performance.now() - t0 > 10000) done(-1);
        else requestAnimationFrame(tick);
      };
      tick();
    },
    testId,
    value,
  );
}

try {
  await (await byTestId("nav-events")).waitForDisplayed({ timeout: 20000 });
  const t0 = Date.now();
  await (await byTestId("nav-events")).click();
  await (await browser.$('[data-testid="events-table"] [role="row"][data-testid^="row-"]')).waitForDisplayed({ timeout: 30000 });
  console.log(`${N.toLocaleString("en")} events: click on Events → first rows on screen: ${Date.now() - t0} ms (wall, through WebDriver; goal < 500 ms)`);
  console.log(`count line: ${await (await byTestId("events-count")).getText()}`);
  const changes = [
    ["outcome failed", "events-outcome", "failed"],
    ["outcome any", "events-outcome", ""],
    ["event user_deprovision", "events-name", "user_deprovision"],
    ["event any", "events-name", ""],
    ["text user0421", "events-text", "user0421"],
    ["text cleared", "events-text", ""],
  ];
  for (let run = 1; run <= 3; run++) {
    const parts = [];
    for (const [what, id, value] of changes) {
      const ms = await timedChange(id, value);
      parts.push(`${what} ${ms < 0 ? "timed out" : `${ms.toFixed(0)} ms`}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    console.log(`filter changes, run ${run} (change → the new filter's rows shown, in the page; goal < 100 ms): ${parts.join(", ")}`);
  }
} finally {
  await browser.deleteSession();
  await driver.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
