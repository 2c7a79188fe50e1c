// The real Lanyard window (WebKitGTK) driven over WebDriver: create an application through the
// UI, quit, start the app again on the same data folder, and find it listed.
import { after, before, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { startDriver, screenshot } from "./driver.js";

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = join(here, "../artifacts");
const APP = process.env.LANYARD_APP_BINARY;
const dataDir = mkdtempSync(join(tmpdir(), "lanyard-e2e-"));
let driver;

before(async () => {
  assert.ok(APP && existsSync(APP), `LANYARD_APP_BINARY must point at the built app (got ${APP})`);
  mkdirSync(artifacts, { recursive: true });
  driver = await startDriver({ env: { LANYARD_DATA_DIR: dataDir } });
});

after(async () => {
  await driver?.stop();
});

const byTestId = (browser, id) => browser.$(`[data-testid="${id}"]`);

it("creates an application in the real window and finds it after a restart", async () => {
  let browser = await driver.session(APP);
  try {
    assert.equal(await browser.getTitle(), "Lanyard");
    const empty = await browser.$("h2=No applications yet");
    await empty.waitForDisplayed({ timeout: 15000 });

    await (await byTestId(browser, "new-app")).click();
    await (await byTestId(browser, "app-label")).setValue("Salesforce E2E");
    const name = await byTestId(browser, "app-name");
    assert.equal(await name.getValue(), "salesforce-e2e", "name suggested from the label");
    await (await byTestId(browser, "create-app")).click();
    await (await byTestId(browser, "app-salesforce-e2e")).waitForDisplayed({ timeout: 10000 });
    screenshot(join(artifacts, "app-created.png"));
  } finally {
    await browser.deleteSession();
  }

  assert.ok(existsSync(join(dataDir, "lanyard.db")), "the app wrote its database in LANYARD_DATA_DIR");

  browser = await driver.session(APP);
  try {
    const row = await byTestId(browser, "app-salesforce-e2e");
    await row.waitForDisplayed({ timeout: 15000 });
    assert.match(await row.getText(), /Salesforce E2E/);
  } finally {
    await browser.deleteSession();
  }
});

it("refuses a duplicate name in the real window and keeps the input", async () => {
  const browser = await driver.session(APP);
  try {
    await (await byTestId(browser, "app-salesforce-e2e")).waitForDisplayed({ timeout: 15000 });
    await (await byTestId(browser, "new-app")).click();
    // The core's own rule answers while typing (check_form over real IPC), beside the field.
    await (await byTestId(browser, "app-name")).setValue("Salesforce E2E");
    const help = await byTestId(browser, "app-name-help");
    await browser.waitUntil(async () => /use lowercase letters only\).*slug/.test(await help.getText()), {
      timeout: 10000,
      timeoutMsg: "the core's name rule shows beside the field",
    });
    await (await byTestId(browser, "app-name")).setValue("salesforce-e2e");
    await (await byTestId(browser, "create-app")).click();
    const error = await byTestId(browser, "form-error");
    await error.waitForDisplayed({ timeout: 10000 });
    assert.match(await error.getText(), /already exists/);
    assert.equal(await (await byTestId(browser, "app-name")).getValue(), "salesforce-e2e");
  } finally {
    await browser.deleteSession();
  }
});
