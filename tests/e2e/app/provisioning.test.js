// Provisioning in the real window against the practice org: connect by OAuth (the test plays the
// browser's consent step), review the plan, sync, find the users in the practice org, suspend one
// in the Directory and see the automatic push deactivate it, and find the events.
import { after, before, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startDriver, screenshot } from "./driver.js";
import { consent, practiceToken, practiceUsers } from "./practice-oauth.js";
import { startSim } from "./practice-sim.js";

const APP = process.env.LANYARD_APP_BINARY;
const CLI = process.env.LANYARD_CLI_BINARY;
const artifacts = join(dirname(fileURLToPath(import.meta.url)), "../artifacts");
const dataDir = mkdtempSync(join(tmpdir(), "lanyard-e2e-prov-"));
const urlFile = join(dataDir, "oauth-url.txt");
const PEOPLE = ["ann.prov@acme.example", "bob.prov@acme.example", "cid.prov@acme.example"];
let driver;
let sim;
let simUrl;

const cli = (...args) =>
  execFileSync(CLI, args, { env: { ...process.env, LANYARD_DATA_DIR: dataDir, LANYARD_PRACTICE_URL: simUrl }, stdio: ["ignore", "pipe", "pipe"] });

async function until(what, check, ms = 15000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

before(async () => {
  assert.ok(APP && existsSync(APP), "LANYARD_APP_BINARY must point at the built app");
  assert.ok(CLI && existsSync(CLI), "LANYARD_CLI_BINARY must point at the built lanyard CLI");
  mkdirSync(artifacts, { recursive: true });
  ({ child: sim, url: simUrl } = await startSim(CLI));
  // The directory, set up with the CLI (the same core): three people in a group bound to the app, named like a public group the practice org has (Salesforce cannot create groups).
  cli("app", "create", "practice", "--practice", "--label", "Practice");
  for (const email of PEOPLE) cli("user", "add", email, "--first", email.split(".")[0], "--last", "Prov");
  cli("group", "add", "All Sales");
  cli("group", "members", "add", "All Sales", ...PEOPLE);
  cli("group", "bind", "practice", "All Sales");
  driver = await startDriver({
    env: {
      LANYARD_DATA_DIR: dataDir,
      LANYARD_PRACTICE_URL: simUrl,
      LANYARD_IDP_URL: "http://127.0.0.1:0",
      // Test only: the app writes the authorize URL here instead of opening a browser.
      LANYARD_TEST_OAUTH_URL_FILE: urlFile,
    },
  });
});

after(async () => {
  await driver?.stop();
  sim?.kill("SIGTERM");
});

const byTestId = (browser, id) => browser.$(`[data-testid="${id}"]`);

it("connects by OAuth, reviews, syncs, pushes a suspension automatically and lists the events", async () => {
  const browser = await driver.session(APP);
  try {
    await (await byTestId(browser, "app-practice")).waitForDisplayed({ timeout: 15000 });
    await (await byTestId(browser, "app-practice")).click();
    await (await byTestId(browser, "app-tab-identity")).click();
    await (await byTestId(browser, "connect-form")).waitForDisplayed({ timeout: 10000 });
    assert.equal(await (await byTestId(browser, "connect-login-host")).getValue(), simUrl, "the login host comes from the application");

    // Connect: the app waits for the browser; the test is the browser.
    await (await byTestId(browser, "connect-submit")).click();
    await (await byTestId(browser, "connect-waiting")).waitForDisplayed({ timeout: 10000 });
    const authorizeUrl = await until("the authorize URL", () => existsSync(urlFile) && readFileSync(urlFile, "utf8").trim());
    assert.ok(authorizeUrl.startsWith(`${simUrl}/services/oauth2/authorize?`), authorizeUrl);
    const back = await fetch(await consent(authorizeUrl));
    assert.ok(back.ok, "the app's loopback listener took the redirect");
    await (await byTestId(browser, "idm-account")).waitForDisplayed({ timeout: 15000 });
    assert.match(await (await byTestId(browser, "idm-state")).getText(), /Connected as/);

    // Review: three creates, nothing sent yet.
    await (await byTestId(browser, "sync-review")).click();
    await (await byTestId(browser, "sync-plan")).waitForDisplayed({ timeout: 15000 });
    assert.match(await (await byTestId(browser, "count-create")).getText(), /^3\b/);
    const token = await practiceToken(simUrl);
    assert.ok(!(await practiceUsers(simUrl, token)).has(PEOPLE[0]), "a review sends nothing");
    screenshot(join(artifacts, "provisioning-plan.png"));

    // Sync now.
    await (await byTestId(browser, "sync-now")).click();
    const summary = await byTestId(browser, "sync-summary");
    await summary.waitForDisplayed({ timeout: 30000 });
    assert.match(await summary.getText(), /3 created, .*1 group\(s\) updated, 0 failed/, "a public group that exists in the org is patched");
    const remote = await practiceUsers(simUrl, token);
    for (const email of PEOPLE) assert.equal(remote.get(email)?.active, true, `${email} is in the practice org, active`);

    // Suspend one in the Directory: the automatic push deactivates it (debounce ~1 s).
    await (await byTestId(browser, "nav-directory")).click();
    await (await byTestId(browser, `open-${PEOPLE[1]}`)).waitForDisplayed({ timeout: 10000 });
    await (await byTestId(browser, `open-${PEOPLE[1]}`)).click();
    await (await byTestId(browser, "user-suspended")).click();
    await (await byTestId(browser, "user-save")).click();
    const started = Date.now();
    await until("the practice org to deactivate the suspended user", async () => (await practiceUsers(simUrl, token)).get(PEOPLE[1])?.active === false, 20000);
    console.log(`# suspension pushed in ${Date.now() - started} ms (including the debounce)`);
    assert.equal((await practiceUsers(simUrl, token)).get(PEOPLE[0])?.active, true, "the others stay active");

    // The events: the create and the update that set active = false (a suspended user stays in
    // scope, so it is an update; leaving scope would be user_deprovision), found by their target.
    await (await byTestId(browser, "nav-events")).click();
    await (await byTestId(browser, "events-text")).setValue(PEOPLE[1]);
    const table = await byTestId(browser, "events-table");
    await browser
      .waitUntil(async () => /user_update_provision\s*updated active/.test(await table.getText()), { timeout: 10000 })
      .catch(async () => assert.fail(`the deactivation event is listed; the table shows: ${await table.getText()}`));
    assert.match(await table.getText(), /user_create_provision/);
    screenshot(join(artifacts, "provisioning-events.png"));
  } finally {
    await browser.deleteSession();
  }
});
