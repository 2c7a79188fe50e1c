// The Events page (built UI, mocked IPC): empty state, the list newest first with failures marked.
import { after, afterEach, before, it } from "node:test";
import assert from "node:assert/strict";
import { launchChromium, openMocked } from "./browser.js";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { serveDist } from "./serve.js";

const here = dirname(fileURLToPath(import.meta.url));
let browser;
let server;
let page;

async function open(scenario) {
  page = await openMocked(browser, server.url, scenario);
  await page.getByTestId("nav-events").click();
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

it("says when there is nothing yet", async () => {
  await open({});
  await page.getByText("No events yet").waitFor();
});

it("lists events newest first and marks failures", async () => {
  const events = [
    { id: 3, at: "2026-11-28T10:02:00Z", app_name: "acme", name: "saml.response_signed", outcome: "failed", detail: "eve@acme.com: may not sign in" },
    { id: 2, at: "2026-11-28T10:01:00Z", app_name: "acme", name: "saml.idp_key_created", outcome: "ok", detail: "active 86b4…" },
    { id: 1, at: "2026-11-28T10:00:00Z", app_name: "acme", name: "saml.sp_metadata_saved", outcome: "ok", detail: "entity ID https://acme.my.salesforce.com" },
  ];
  await open({ events });
  const rows = page.locator('[data-testid="events-table"] tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 3);
  assert.match(await rows.nth(0).innerText(), /Failed\s+saml\.response_signed\s+acme\s+eve@acme\.com/);
  assert.equal(await rows.nth(0).getAttribute("class"), "failed");
  assert.match(await rows.nth(2).innerText(), /OK\s+saml\.sp_metadata_saved/);
});
