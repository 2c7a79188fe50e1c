// The Settings page (built UI, mocked IPC): the event log's retention, its default, a saved
// change, and the core's refusal shown beside the field.
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

async function open(scenario = {}) {
  page = await openMocked(browser, `${server.url}#/settings`, { apps: [PRACTICE_APP], ...scenario }, { viewport: { width: 1280, height: 800 } });
}
const daysValue = (want) =>
  page.waitForFunction((v) => document.querySelector('[data-testid="retention-days"]')?.value === v, want);

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

it("shows the retention (90 days by default) and saves a new one", async () => {
  await open();
  await daysValue("90");
  await page.getByTestId("retention-days").fill("30");
  await page.getByTestId("retention-save").click();
  const toast = page.getByTestId("toast-retention");
  await toast.waitFor();
  assert.match(await toast.innerText(), /kept 30 days/);
  assert.deepEqual(await page.evaluate(() => window.__LANYARD_SETTINGS_SAVED__), [30]);
  await page.reload();
  await daysValue("30");
});

it("says what is wrong beside the field: not a number, and the core's range", async () => {
  await open({ retentionDays: 120 });
  await daysValue("120");
  const field = page.getByTestId("retention-days");
  await field.fill("ten");
  await page.getByTestId("retention-save").click();
  await page.getByTestId("retention-problem").waitFor();
  assert.match(await page.getByTestId("retention-problem").innerText(), /whole number of days/);
  assert.equal(await field.getAttribute("aria-invalid"), "true");
  assert.equal(await page.evaluate(() => window.__LANYARD_SETTINGS_SAVED__ ?? null), null, "nothing was sent");
  await field.fill("5000");
  await page.getByTestId("retention-save").click();
  await page.waitForFunction(() => /1 to 3650 days/.test(document.querySelector('[data-testid="retention-problem"]')?.textContent ?? ""));
});

it("moves the IdP and lists the applications to re-point in Salesforce, with the URL to type", async () => {
  await open({ repointApps: ["acme"] });
  const field = page.getByTestId("idp-address-url");
  await page.waitForFunction(() => document.querySelector('[data-testid="idp-address-url"]')?.value === "http://127.0.0.1:8766");
  await field.fill("https://idp.example.com");
  await page.getByTestId("idp-address-save").click();
  await page.waitForFunction(() => /http:\/\/127\.0\.0\.1:PORT/.test(document.querySelector('[data-testid="idp-address-problem"]')?.textContent ?? ""));
  assert.equal(await field.getAttribute("aria-invalid"), "true", "the core's refusal sits beside the field");
  await field.fill("http://127.0.0.1:9100");
  await page.getByTestId("idp-address-save").click();
  await page.getByTestId("repoint-acme").waitFor();
  assert.match(await page.getByTestId("repoint-acme").innerText(), /from http:\/\/127\.0\.0\.1:8766\/saml2\/acme/);
  assert.equal(await page.getByTestId("repoint-to-acme").innerText(), "http://127.0.0.1:9100/saml2/acme");
  assert.match(await page.getByTestId("toast-idp-address").innerText(), /re-point 1 application/);
});
