// "Provision now" in a user's drawer (built UI, mocked IPC): pushes the user to each connected
// application they are authorized for and shows the outcome in the drawer.
import { after, afterEach, before, it } from "node:test";
import assert from "node:assert/strict";
import { launchChromium, openMocked } from "./browser.js";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { serveDist } from "./serve.js";
import { PRACTICE_APP, authorized, syncReport } from "./fixtures.js";

const here = dirname(fileURLToPath(import.meta.url));
const OTHER = { ...PRACTICE_APP, id: "a2", name: "beta", label: "Beta" };
const ANN = authorized("ann@acme.com");
let browser;
let server;
let page;

async function openDrawer(scenario) {
  page = await openMocked(browser, `${server.url}#/directory`, { apps: [PRACTICE_APP, OTHER], users: [{ ...ANN, groups: [] }], authorizedUsers: [ANN], ...scenario }, {
    viewport: { width: 1280, height: 800 },
  });
  await page.getByTestId("open-ann@acme.com").click();
  await page.getByTestId("provision-now").waitFor();
}

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

it("provisions the user to the connected application only and shows the outcome", async () => {
  await openDrawer({ connections: { acme: {} }, provisionResults: { acme: syncReport({ summary: { created: 1 } }) } });
  await page.getByTestId("provision-user").click();
  await page.getByTestId("provision-acme").waitFor();
  assert.match(await page.getByTestId("provision-acme").innerText(), /acme: created\./);
  assert.deepEqual(await page.evaluate(() => window.__LANYARD_PROVISIONED__), [{ app: "acme", email: "ann@acme.com" }], "beta has no connection");
});

it("shows the target's refusal in the drawer", async () => {
  await openDrawer({ connections: { acme: {} }, provisionError: "Salesforce refused: REQUIRED_FIELD_MISSING (LastName)" });
  await page.getByTestId("provision-user").click();
  assert.match(await page.getByTestId("provision-acme").innerText(), /REQUIRED_FIELD_MISSING/);
});

it("says so when no connected application has the user in scope", async () => {
  await openDrawer({ connections: { acme: { state: "deactivated" } } });
  await page.getByTestId("provision-none").waitFor();
});
