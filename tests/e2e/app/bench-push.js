// Automatic-push benchmark on the REAL app (WebKitGTK) against the practice org, run by hand
// under Xvfb from tests/e2e, inside a session with a Secret Service (e.g. ../../.ci/with-keyring):
//   LANYARD_APP_BINARY=…/lanyard-app LANYARD_CLI_BINARY=…/lanyard xvfb-run -a node app/bench-push.js [EDITS]
// A throwaway data folder with three users in a group bound to the application, connected with
// the CLI and synced once; then EDITS (default 20) job-title edits saved in the window's user
// drawer, each timed from the Save click until the practice org's SCIM user carries the new title
// (polled every 20 ms). Prints each, the median and the worst. Not a test: it prints figures.
// Goal (issue 9): < 2 s per edit, the 1 s debounce included.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDriver } from "./driver.js";
import { practiceToken } from "./practice-oauth.js";
import { connectByCli, startSim } from "./practice-sim.js";

const APP = process.env.LANYARD_APP_BINARY;
const CLI = process.env.LANYARD_CLI_BINARY;
const EDITS = Number(process.argv[2] ?? 20);
if (!APP || !existsSync(APP) || !CLI || !existsSync(CLI) || !(EDITS > 0)) {
  console.error("set LANYARD_APP_BINARY and LANYARD_CLI_BINARY (the built app and CLI); the argument is a number of edits");
  process.exit(2);
}
const PEOPLE = ["ann.push@acme.example", "bob.push@acme.example", "cid.push@acme.example"];
const dataDir = mkdtempSync(join(tmpdir(), "lanyard-bench-push-"));
const { child: sim, url: simUrl } = await startSim(CLI);
const env = { ...process.env, LANYARD_DATA_DIR: dataDir, LANYARD_PRACTICE_URL: simUrl };
const cli = (...args) => execFileSync(CLI, args, { env, stdio: ["ignore", "pipe", "pipe"] }).toString();
cli("app", "create", "practice", "--practice", "--label", "Practice");
for (const email of PEOPLE) cli("user", "add", email, "--first", email.split(".")[0], "--last", "Push");
cli("group", "add", "All Sales");
cli("group", "members", "add", "All Sales", ...PEOPLE);
cli("group", "bind", "practice", "All Sales");
await connectByCli(CLI, "practice", env);
cli("sync", "practice");
const token = await practiceToken(simUrl);

/** The practice org's title of one user, read by filter. */
async function remoteTitle(email) {
  const q = new URLSearchParams({ filter: `userName eq "${email}"` });
  const res = await fetch(`${simUrl}/services/scim/v2/Users?${q}`, { headers: { authorization: `Bearer ${token}` } });
  return (await res.json()).Resources?.[0]?.title ?? null;
}

const driver = await startDriver({ env: { LANYARD_DATA_DIR: dataDir, LANYARD_PRACTICE_URL: simUrl, LANYARD_IDP_URL: "http://127.0.0.1:0" } });
const browser = await driver.session(APP);
const byTestId = (id) => browser.$(`[data-testid="${id}"]`);
const times = [];
try {
  await (await byTestId("nav-directory")).waitForDisplayed({ timeout: 20000 });
  await (await byTestId("nav-directory")).click();
  for (let i = 0; i < EDITS; i++) {
    const email = PEOPLE[i % PEOPLE.length];
    const title = `Title ${i} ${Date.now()}`;
    await (await byTestId(`open-${email}`)).waitForDisplayed({ timeout: 10000 });
    await (await byTestId(`open-${email}`)).click();
    const field = await byTestId("user-job_title");
    await field.waitForDisplayed({ timeout: 10000 });
    await field.setValue(title);
    const t0 = Date.now();
    await (await byTestId("user-save")).click();
    const deadline = t0 + 20000;
    while ((await remoteTitle(email)) !== title) {
      if (Date.now() > deadline) throw new Error(`edit ${i + 1}: the practice org did not get "${title}" within 20 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
    times.push(Date.now() - t0);
    const close = await byTestId("drawer-close");
    if (await close.isExisting()) await close.click();
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  console.log(`directory change → pushed to the practice org, ${EDITS} edits (Save click → the SCIM user has the new title; 1 s debounce included): ${times.join(", ")} ms`);
  console.log(`median ${median} ms, worst ${sorted[sorted.length - 1]} ms (goal < 2000 ms)`);
} finally {
  await browser.deleteSession();
  await driver.stop();
  sim.kill("SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
}
