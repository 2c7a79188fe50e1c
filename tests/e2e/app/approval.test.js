// An SP-initiated login approved in the real window: the practice org's "Log in with Lanyard"
// button sends its AuthnRequest to the app's loopback IdP, the browser (played here with fetch)
// waits on a page with a code, the window lists the request with the same code, the admin picks
// the user and approves, and only then does the browser get a response that logs in.
import { after, before, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startDriver, screenshot } from "./driver.js";
import { field, invoke } from "./window.js";

const APP = process.env.LANYARD_APP_BINARY;
const CLI = process.env.LANYARD_CLI_BINARY;
const artifacts = join(dirname(fileURLToPath(import.meta.url)), "../artifacts");
const dataDir = mkdtempSync(join(tmpdir(), "lanyard-e2e-approval-"));
const USER = "ada@practice.example.com";
let driver;
let sim;
let simUrl;
let simToken;

async function startSim() {
  const child = spawn(CLI, ["sim", "serve", "--port", "0", "--print-tool-token"], { stdio: ["ignore", "pipe", "inherit"] });
  const found = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const url = out.match(/base URL\s+(http:\/\/127\.0\.0\.1:\d+)/);
      const token = out.match(/tool token\s+(\S+)/);
      if (url && token) resolve({ url: url[1], token: token[1] });
    });
    child.once("exit", (code) => reject(new Error(`lanyard sim serve exited with ${code}`)));
  });
  return { child, ...found };
}

before(async () => {
  assert.ok(APP && existsSync(APP), "LANYARD_APP_BINARY must point at the built app");
  assert.ok(CLI && existsSync(CLI), "LANYARD_CLI_BINARY must point at the built lanyard CLI");
  ({ child: sim, url: simUrl, token: simToken } = await startSim());
  driver = await startDriver({
    env: { LANYARD_DATA_DIR: dataDir, LANYARD_PRACTICE_URL: simUrl, LANYARD_IDP_URL: "http://127.0.0.1:0" },
  });
});

after(async () => {
  await driver?.stop();
  sim?.kill("SIGTERM");
});

const byTestId = (browser, id) => browser.$(`[data-testid="${id}"]`);



it("approves an SP-initiated login in the window and reaches Salesforce as the chosen user", async () => {
  const browser = await driver.session(APP);
  try {
    await (await browser.$("h2=No applications yet")).waitForDisplayed({ timeout: 15000 });
    // The SSO setup, through the same commands the Single sign-on tab calls.
    await invoke(browser, "create_app", { request: { name: "practice", label: "Practice", description: "", environment: "practice", login_url: null } });
    const metadata = await (await fetch(`${simUrl}/_sim/saml/metadata`)).text();
    await invoke(browser, "save_sp_metadata", { app: "practice", text: metadata, path: null, entity: null });
    await invoke(browser, "idp_rotate", { app: "practice", activate: false, request: null });
    const certs = await invoke(browser, "idp_certificates", { app: "practice" });
    const endpoint = await invoke(browser, "idp_endpoint", {});
    assert.ok(!endpoint.error, `the IdP endpoint runs: ${endpoint.error}`);
    await invoke(browser, "create_user", { input: {
      email: USER, firstname: "Ada", lastname: "Lovelace", displayname: "", employee_type: "", job_title: "",
      employee_identifier: "", department: "", company: "", address: { type: "", street_address: "", locality: "", region: "", postal_code: "", country: "" },
      phone: { type: "", value: "" }, suspended: false, password_expired: false, federation_id: null } });
    await invoke(browser, "create_group", { input: { name: "Sales", description: "" } });
    await invoke(browser, "add_group_members", { group: "Sales", users: [USER] });
    await invoke(browser, "set_app_group", { app: "practice", group: "Sales", bound: true });

    // In Salesforce (the practice org): trust Lanyard, and know Ada.
    const setup = await (await fetch(`${simUrl}/lightning/setup/SingleSignOn/home`)).text();
    const csrf = setup.match(/name="_csrf" value="([0-9a-f]+)"/)[1];
    const saved = await fetch(`${simUrl}/lightning/setup/SingleSignOn/home`, {
      method: "POST", redirect: "manual",
      body: new URLSearchParams({
        _csrf: csrf, name: "", enabled: "on", issuer: "urn:lanyard:idp:practice",
        idp_login_url: `${endpoint.url}/saml2/practice`, idp_certificate_pem: certs.find((c) => c.status === "active").cert_pem,
        identity_type: "username",
      }),
    });
    assert.ok(saved.status < 400, `the practice org saved its SSO settings (${saved.status})`);
    const ents = await (await fetch(`${simUrl}/services/scim/v2/Entitlements`, { headers: { authorization: `Bearer ${simToken}` } })).json();
    const profile = ents.Resources.find((e) => e.displayName === "Standard User").id;
    const created = await fetch(`${simUrl}/services/scim/v2/Users`, {
      method: "POST", headers: { authorization: `Bearer ${simToken}`, "content-type": "application/scim+json" },
      body: JSON.stringify({ userName: USER, name: { givenName: "Ada", familyName: "Lovelace" }, emails: [{ value: USER }], entitlements: [{ value: profile }] }),
    });
    assert.equal(created.status, 201);

    // The browser: Salesforce's login button, the redirect to Lanyard, the waiting page.
    const button = await fetch(`${simUrl}/saml/login`, { redirect: "manual" });
    const toIdp = button.headers.get("location");
    assert.ok(toIdp.startsWith(`${endpoint.url}/saml2/practice`), toIdp);
    const held = await fetch(toIdp, { redirect: "manual" });
    assert.equal(held.status, 303, "the request is held, not answered");
    const waitUrl = new URL(held.headers.get("location"), endpoint.url).toString();
    const waiting = await (await fetch(waitUrl)).text();
    assert.ok(!waiting.includes("SAMLResponse"), "no response before the admin approves");
    const code = waiting.match(/id="code"[^>]*>([^<]+)</)[1];

    // The window shows the request with the same code; the admin approves Ada.
    const shown = await byTestId(browser, "pending-code");
    await shown.waitForDisplayed({ timeout: 15000 });
    assert.equal(await shown.getText(), code, "the window shows the code the browser shows");
    mkdirSync(artifacts, { recursive: true });
    screenshot(join(artifacts, "app-login-approval.png"));
    await (await byTestId(browser, "pending-user")).selectByAttribute("value", USER);
    await (await byTestId(browser, "pending-approve")).click();
    await (await byTestId(browser, "pending-logins")).waitForDisplayed({ reverse: true, timeout: 10000 });

    // The waiting page now posts the response; the practice org logs Ada in.
    let page = "";
    for (let i = 0; i < 50 && !page.includes("SAMLResponse"); i++) {
      page = await (await fetch(waitUrl)).text();
      if (!page.includes("SAMLResponse")) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(page.includes("SAMLResponse"), "after approval the page carries the response");
    const action = page.match(/<form[^>]*action="([^"]+)"/)[1].replace(/&amp;/g, "&");
    const form = new URLSearchParams({ SAMLResponse: field(page, "SAMLResponse") });
    const relay = field(page, "RelayState");
    if (relay) form.set("RelayState", relay);
    const result = await (await fetch(action, { method: "POST", body: form })).text();
    const heading = (result.split('id="login-result"')[1] || "").split(">")[1]?.split("<")[0] || "";
    assert.match(heading, /^Logged in as ada@practice\.example\.com/, result.slice(0, 400));
  } finally {
    await browser.deleteSession();
  }
});
