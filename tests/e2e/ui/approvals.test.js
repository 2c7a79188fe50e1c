// SP-initiated login requests wait for the admin (built UI, mocked IPC): the panel shows the code
// the browser shows, approves for the chosen user, or denies; nothing shows when nothing waits.
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

const users = [
  { id: "u1", email: "ada@acme.com", firstname: "Ada", lastname: "Lovelace", displayname: "Ada Lovelace", employee_type: "", job_title: "", employee_identifier: "", department: "", company: "", address: { type: "", street_address: "", locality: "", region: "", postal_code: "", country: "" }, phone: { type: "", value: "" }, suspended: false, password_expired: false, federation_id: null },
  { id: "u2", email: "grace@acme.com", firstname: "Grace", lastname: "Hopper", displayname: "Grace Hopper", employee_type: "", job_title: "", employee_identifier: "", department: "", company: "", address: { type: "", street_address: "", locality: "", region: "", postal_code: "", country: "" }, phone: { type: "", value: "" }, suspended: false, password_expired: false, federation_id: null },
];
const request = (id, code) => ({
  id, app: "acme", app_label: "Acme (prod)", login_url: "https://acme.my.salesforce.com?so=00D000000000001",
  code, received_at: "2026-12-01T10:00:00Z", expires_at: "2026-12-01T10:02:00Z",
});

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

it("shows nothing while no request waits", async () => {
  page = await openMocked(browser, server.url, { authorizedUsers: users });
  await page.getByTestId("nav-applications").waitFor();
  assert.equal(await page.getByTestId("pending-logins").count(), 0);
});

it("approves a request for the chosen user, after showing its code", async () => {
  page = await openMocked(browser, server.url, { authorizedUsers: users, pendingLogins: [request("r1", "K7P-3QD")] });
  await page.getByTestId("pending-code").filter({ hasText: "K7P-3QD" }).waitFor();
  await page.getByTestId("pending-user").selectOption("grace@acme.com");
  await page.getByTestId("pending-approve").click();
  await page.getByTestId("pending-logins").waitFor({ state: "detached" });
  const calls = await page.evaluate(() => window.__LANYARD_CALLS__.filter((c) => c.cmd === "approve_login"));
  assert.deepEqual(calls.map((c) => c.args), [{ id: "r1", user: "grace@acme.com" }], "the window chose the user");
});

it("denies a request", async () => {
  page = await openMocked(browser, server.url, { authorizedUsers: users, pendingLogins: [request("r2", "ABC-DEF")] });
  await page.getByTestId("pending-deny").click();
  await page.getByTestId("pending-logins").waitFor({ state: "detached" });
  const calls = await page.evaluate(() => window.__LANYARD_CALLS__.filter((c) => c.cmd === "deny_login").length);
  assert.equal(calls, 1);
});
