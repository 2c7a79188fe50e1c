// The directory in the real window: users imported with the CLI are listed, a search narrows the
// table (queried in SQLite), and a user the CLI adds while the window is open appears live.
import { after, before, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startDriver, screenshot } from "./driver.js";

const APP = process.env.LANYARD_APP_BINARY;
const CLI = process.env.LANYARD_CLI_BINARY;
const dataDir = mkdtempSync(join(tmpdir(), "lanyard-e2e-dir-"));
let driver;

const lanyard = (...args) => execFileSync(CLI, ["--data-dir", dataDir, ...args], { encoding: "utf8" });

before(async () => {
  assert.ok(APP && existsSync(APP) && CLI && existsSync(CLI), "LANYARD_APP_BINARY and LANYARD_CLI_BINARY must be built");
  const rows = ["email,firstname,lastname,department,groups"];
  for (let i = 1; i <= 300; i++) rows.push(`user${i}@acme.example.com,User,Number${i},${i % 2 ? "Sales" : "Support"},Staff`);
  const csv = join(dataDir, "people.csv");
  writeFileSync(csv, rows.join("\n") + "\n");
  lanyard("directory", "import-csv", csv);
  driver = await startDriver({ env: { LANYARD_DATA_DIR: dataDir, LANYARD_IDP_URL: "http://127.0.0.1:0" } });
});

after(async () => {
  await driver?.stop();
});

const byTestId = (browser, id) => browser.$(`[data-testid="${id}"]`);

it("lists, searches and updates live in the real app", async () => {
  const browser = await driver.session(APP);
  try {
    await (await byTestId(browser, "nav-directory")).click();
    const count = await byTestId(browser, "user-count");
    await count.waitForDisplayed({ timeout: 15000 });
    await browser.waitUntil(async () => /Showing 300 of 300/.test(await count.getText()), { timeout: 10000, timeoutMsg: "300 users counted" });

    await (await byTestId(browser, "user-search")).setValue("Number277");
    await (await byTestId(browser, "open-user277@acme.example.com")).waitForDisplayed({ timeout: 10000 });
    await browser.waitUntil(async () => /Showing 1 of 300/.test(await count.getText()), { timeout: 10000, timeoutMsg: "search narrowed to one user" });

    // The CLI changes the directory while the window is open.
    lanyard("user", "add", "live.user@acme.example.com", "--first", "Live", "--last", "Number277b");
    await (await byTestId(browser, "open-live.user@acme.example.com")).waitForDisplayed({ timeout: 10000 });
    const artifacts = join(dirname(fileURLToPath(import.meta.url)), "../artifacts");
    mkdirSync(artifacts, { recursive: true });
    // Clear the search the way a person does (select all, delete), so the app hears it.
    await (await byTestId(browser, "user-search")).click();
    await browser.keys(["Control", "a"]);
    await browser.keys(["Backspace"]);
    await browser.waitUntil(async () => /Showing 301 of 301/.test(await count.getText()), {
      timeout: 10000,
      timeoutMsg: "with the search cleared all 301 users (300 imported + 1 live) are shown",
    });
    screenshot(join(artifacts, "app-directory.png"));
  } finally {
    await browser.deleteSession();
  }
});
