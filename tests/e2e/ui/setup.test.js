// The Setup tab (built UI, mocked IPC): the checklist with every status, the admin's marks and the
// core's refusal for derived steps, the health findings linking to their steps, deep links into
// Salesforce Setup from the login URL, values to copy, addresses that survive a reload, the dark
// theme and a visible keyboard focus.
import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { launchChromium, openMocked } from "./browser.js";
import { serveDist } from "./serve.js";
import { PRACTICE_APP } from "./fixtures.js";

const here = dirname(fileURLToPath(import.meta.url));
const PROD_APP = {
  ...PRACTICE_APP, environment: "production", login_url: "https://acme.my.salesforce.com",
};
let browser;
let server;
let page;

async function open(hash, scenario = {}, options = {}) {
  page = await openMocked(browser, `${server.url}#${hash}`, { apps: [PROD_APP], ...scenario }, {
    viewport: { width: 1280, height: 800 },
    permissions: ["clipboard-read", "clipboard-write"],
    ...options,
  });
  await page.getByTestId("setup").waitFor();
  await page.getByTestId("setup-progress").waitFor();
}
const statusOf = (id) => page.getByTestId(`setup-status-${id}`).innerText();

before(async () => {
  server = await serveDist(join(here, "../../../ui/dist"));
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
});
afterEach(async () => {
  assert.deepEqual(page.errors, [], "no uncaught errors in the page");
  await page.close();
});

describe("Setup tab", () => {
  it("is the first tab and lists every step in order with its status, why and detail", async () => {
    await open("/applications/acme/setup", {
      setup: {
        derived: {
          salesforce_certificate: { status: "needs_attention", detail: "Salesforce's certificate has expired: create a new one." },
          import_metadata: { status: "done", detail: "ACS https://acme.my.salesforce.com?so=00D for https://acme.my.salesforce.com" },
        },
        marks: { acme: { my_domain: "done", import_users: "skipped" } },
      },
    });
    const tabs = await page.getByRole("tab").allInnerTexts();
    assert.equal(tabs[0], "Setup", "Setup comes first among the application's tabs");
    const steps = page.locator(".setup-steps > li");
    assert.equal(await steps.count(), 15, "the core's fifteen steps");
    const ids = await steps.evaluateAll((els) => els.map((e) => e.dataset.testid.replace("setup-step-", "")));
    assert.deepEqual(ids.slice(0, 3), ["prerequisites", "my_domain", "salesforce_certificate"], "in the core's order");
    assert.equal(ids.at(-1), "event_log");
    assert.equal(await statusOf("prerequisites"), "To do");
    assert.equal(await statusOf("my_domain"), "Done");
    assert.equal(await statusOf("salesforce_certificate"), "Needs attention");
    assert.equal(await statusOf("import_users"), "Skipped");
    assert.match(await page.getByTestId("setup-detail-salesforce_certificate").innerText(), /has expired/);
    assert.match(await page.getByTestId("setup-step-my_domain").innerText(), /deployed My Domain/, "the why-sentence");
    assert.match(await page.getByTestId("setup-detail-my_domain").innerText(), /Confirmed by the admin/);
    assert.equal(await page.getByTestId("setup-progress").innerText(), "3 of 15 steps done", "done and skipped count");
  });

  it("marks an admin step done, skips another, and undoes both", async () => {
    await open("/applications/acme/setup");
    await page.getByTestId("setup-mark-done-my_domain").click();
    await page.getByTestId("setup-undo-my_domain").waitFor();
    assert.equal(await statusOf("my_domain"), "Done");
    assert.equal(await page.getByTestId("setup-progress").innerText(), "1 of 15 steps done");
    await page.getByTestId("setup-skip-event_log").click();
    await page.getByTestId("setup-undo-event_log").waitFor();
    assert.equal(await statusOf("event_log"), "Skipped");
    assert.equal(await page.getByTestId("setup-progress").innerText(), "2 of 15 steps done");
    await page.getByTestId("setup-undo-my_domain").click();
    await page.getByTestId("setup-mark-done-my_domain").waitFor();
    assert.equal(await statusOf("my_domain"), "To do");
    await page.getByTestId("setup-undo-event_log").click();
    await page.getByTestId("setup-skip-event_log").waitFor();
    assert.equal(await statusOf("event_log"), "To do");
    const marks = await page.evaluate(() => window.__LANYARD_CALLS__.filter((c) => c.cmd === "setup_mark").map((c) => c.args));
    assert.deepEqual(marks.map((m) => `${m.step}:${m.mark}`), ["my_domain:done", "event_log:skipped", "my_domain:todo", "event_log:todo"]);
  });

  it("shows the core's refusal inline when a derived step is marked done", async () => {
    await open("/applications/acme/setup");
    await page.getByTestId("setup-mark-done-validate_sso").click();
    const error = page.getByTestId("setup-step-validate_sso").getByTestId("setup-mark-error-validate_sso");
    await error.waitFor();
    assert.match(await error.innerText(), /derived from what Lanyard sees, so it cannot be marked done by hand/);
    assert.equal(await statusOf("validate_sso"), "To do", "nothing changed");
    // A derived step can still be skipped (Import users when Salesforce has none).
    await page.getByTestId("setup-skip-validate_sso").click();
    await page.getByTestId("setup-undo-validate_sso").waitFor();
    assert.equal(await error.count(), 0, "the error goes once a mark succeeds");
  });

  it("lists the health findings, each linking to its step, and says when there are none", async () => {
    await open("/applications/acme/setup", {
      setup: {
        findings: [
          { severity: "error", message: "Salesforce's SP metadata is not imported.", action: "Import the metadata.", step: "import_metadata" },
          { severity: "warning", message: "No group is bound.", action: "Bind a group.", step: "authorize_groups" },
        ],
      },
    });
    const first = page.getByTestId("finding-0");
    assert.match(await first.innerText(), /Error[\s\S]*SP metadata is not imported[\s\S]*Import the metadata/);
    assert.match(await page.getByTestId("finding-link-0").innerText(), /Go to step 5\. Import the Salesforce metadata/);
    await page.getByTestId("finding-link-1").click();
    await page.getByTestId("setup-content-authorize_groups").waitFor();
    assert.equal(new URL(page.url()).hash, "#/applications/acme/setup/authorize_groups");
    assert.equal(await page.getByTestId("setup-step-link-authorize_groups").getAttribute("aria-expanded"), "true");
    await page.getByTestId("finding-link-0").click();
    await page.getByTestId("setup-content-import_metadata").getByTestId("sp-empty").waitFor();
    await page.close();

    await open("/applications/acme/setup");
    assert.equal(await page.getByTestId("setup-no-findings").innerText(), "No problems found.");
  });

  it("builds the Salesforce Setup deep links from the login URL (production)", async () => {
    await open("/applications/acme/setup/my_domain");
    const link = (p) => page.getByTestId(`setup-link-${p}`).innerText();
    assert.equal(await link("myDomain"), "https://acme.my.salesforce.com/lightning/setup/OrgDomain/home");
    assert.equal(await link("certificates"), "https://acme.my.salesforce.com/lightning/setup/CertificatesAndKeysManagement/home");
    assert.equal(await link("singleSignOn"), "https://acme.my.salesforce.com/lightning/setup/SingleSignOn/home");
    assert.equal(await link("loginHistory"), "https://acme.my.salesforce.com/lightning/setup/OrgLoginHistory/home");
  });

  it("points a practice application's deep links at the practice org", async () => {
    await open("/applications/acme/setup/my_domain", { apps: [PRACTICE_APP] });
    assert.match(await page.getByTestId("setup-links").innerText(), /practice org/);
    assert.equal(await page.getByTestId("setup-link-myDomain").innerText(), "http://127.0.0.1:8765/lightning/setup/OrgDomain/home");
    assert.equal(await page.getByTestId("setup-link-loginHistory").innerText(), "http://127.0.0.1:8765/lightning/setup/OrgLoginHistory/home");
    await page.getByTestId("setup-step-link-enable_sso").click();
    assert.equal(await page.getByTestId("setup-link-authentication").innerText(), "http://127.0.0.1:8765/lightning/setup/AuthenticationConfiguration/home");
  });

  it("gives every value to type in Single Sign-On Settings, monospace, with a copy that confirms", async () => {
    await open("/applications/acme/setup/enable_saml");
    const value = (k) => page.getByTestId(`saml-value-${k}`).innerText();
    assert.equal(await value("name"), "Lanyard Acme");
    assert.equal(await value("api-name"), "Lanyard_acme");
    assert.equal(await value("issuer"), "urn:lanyard:idp:acme", "the IdP entity ID from idp_exports");
    assert.equal(await value("entity-id"), "https://acme.my.salesforce.com", "the custom domain rule");
    assert.equal(await value("login-url"), "http://127.0.0.1:8766/saml2/acme", "the IdP SSO URL");
    assert.equal(await value("identity-type"), "Assertion contains the User's Salesforce username");
    assert.equal(await value("binding"), "HTTP POST");
    const values = page.getByTestId("saml-values");
    for (const note of ["Identity Provider Certificate", "Request Signing Certificate", "Assertion Decryption Certificate"]) {
      assert.match(await values.innerText(), new RegExp(note));
    }
    const font = await page.getByTestId("saml-value-issuer").evaluate((e) => getComputedStyle(e).fontFamily);
    assert.match(font, /mono/i, "copyable values are monospace");
    const copy = page.getByRole("button", { name: "Copy Issuer" });
    await copy.click();
    // The confirmation follows the clipboard write: waited for, not read at once.
    await page.waitForFunction((el) => el.textContent === "Copied", await copy.elementHandle(), { timeout: 5000 });
    assert.equal(await copy.innerText(), "Copied", "the copy is confirmed beside the value");
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), "urn:lanyard:idp:acme");
  });

  it("fills the practice org's Single Sign-On Settings in one click, and says why it cannot", async () => {
    await open("/applications/acme/setup/enable_saml", { apps: [PRACTICE_APP] });
    await page.getByTestId("practice-fill-button").click();
    const toast = page.getByTestId("toast-practice-fill");
    await toast.waitFor();
    assert.match(await toast.innerText(), /now trusts Lanyard.*Login URL: http:\/\/127\.0\.0\.1:8765\?so=00D/);
    assert.deepEqual(await page.evaluate(() => window.__LANYARD_PRACTICE_FILLED__), ["acme"]);
    await page.close();
    await open("/applications/acme/setup/enable_saml", { apps: [PRACTICE_APP], practiceFillError: "The practice org at http://127.0.0.1:8765 did not answer: start it with `lanyard sim serve`." });
    await page.getByTestId("practice-fill-button").click();
    assert.match(await page.getByTestId("practice-fill-error").innerText(), /did not answer: start it/);
    await page.close();
    await open("/applications/acme/setup/enable_saml");
    await page.getByTestId("saml-values").waitFor();
    assert.equal(await page.getByTestId("practice-fill").count(), 0, "a real org is typed by hand");
  });

  it("shows the active certificate's fingerprint to compare, and the test logins", async () => {
    await open("/applications/acme/setup/replace_certificate", { authorizedUsers: [{ email: "ada@example.com", displayname: "Ada" }] });
    await page.getByTestId("setup-fingerprint").getByText("No signing certificate yet").waitFor();
    await page.evaluate(() => window.__LANYARD_MOCK__.handlers.idp_rotate({ app: "acme", activate: false }));
    await page.getByTestId("setup-step-link-download_certificate").click();
    await page.getByTestId("setup-content-download_certificate").getByTestId("idp-cert-active").waitFor();
    await page.getByTestId("setup-step-link-replace_certificate").click();
    assert.equal(await page.getByTestId("setup-fingerprint-value").innerText(), Array(32).fill("AB").join(":"));
    await page.getByTestId("setup-step-link-validate_sso").click();
    const validate = page.getByTestId("setup-content-validate_sso");
    await validate.getByTestId("test-login").click();
    await validate.getByText(/Opened your browser on a one-time page/).waitFor();
    assert.match(await validate.innerText(), /SP-initiated: open Salesforce's login page \(https:\/\/acme\.my\.salesforce\.com\)/, "how to start the SP-initiated one");
  });

  it("keeps the address of a step across a reload, opened and in view", async () => {
    await open("/applications/acme/setup");
    await page.getByTestId("setup-step-link-event_log").click();
    await page.getByTestId("setup-content-event_log").waitFor();
    assert.equal(new URL(page.url()).hash, "#/applications/acme/setup/event_log");
    await page.reload();
    await page.getByTestId("setup-content-event_log").waitFor();
    assert.equal(await page.getByTestId("setup-step-link-event_log").getAttribute("aria-expanded"), "true");
    await page.waitForFunction(() => {
      const r = document.querySelector('[data-testid="setup-step-event_log"]').getBoundingClientRect();
      return r.top >= 0 && r.top < window.innerHeight;
    });
    assert.match(await page.getByTestId("setup-events-link").getAttribute("href"), /#\/events\?app=acme$/, "the event log filtered to this application");
  });

  it("reserves the checklist's space while the status loads", async () => {
    await open("/applications/acme/overview", { setup: { delayMs: 400 } }).catch(() => undefined);
    await page.getByTestId("app-tab-setup").click();
    assert.equal(await page.locator(".setup-step.skeleton").count(), 15, "one placeholder per step");
    const before = await page.locator(".setup-steps").evaluate((e) => e.getBoundingClientRect().top);
    await page.getByTestId("setup-progress").waitFor();
    const afterTop = await page.locator(".setup-steps").evaluate((e) => e.getBoundingClientRect().top);
    assert.ok(Math.abs(afterTop - before) < 4, `the checklist does not jump (${before} → ${afterTop})`);
  });

  it("refreshes when the directory changes (directory://changed)", async () => {
    await open("/applications/acme/setup", { groups: [{ name: "Sales" }] });
    assert.equal(await statusOf("authorize_groups"), "To do");
    await page.waitForFunction(() => window.__LANYARD_LISTENERS__.some((l) => l.event === "directory://changed"));
    await page.evaluate(() => window.__LANYARD_EXTERNAL_CHANGE__((dir) => dir.bindings.add(`acme|${dir.groups[0].id}`)));
    await page.waitForFunction(() => document.querySelector('[data-testid="setup-status-authorize_groups"]').textContent === "Done", null, { timeout: 2000 });
  });

  it("follows the OS's dark theme", async () => {
    await open("/applications/acme/setup", {}, { colorScheme: "dark" });
    const colors = await page.getByTestId("setup-step-prerequisites").evaluate((e) => ({ bg: getComputedStyle(e).backgroundColor, ink: getComputedStyle(document.documentElement).color }));
    assert.deepEqual(colors, { bg: "rgb(29, 33, 43)", ink: "rgb(228, 232, 240)" }, "the dark panel and ink");
    await page.emulateMedia({ colorScheme: "light" });
    assert.equal(await page.getByTestId("setup-step-prerequisites").evaluate((e) => getComputedStyle(e).backgroundColor), "rgb(255, 255, 255)");
  });

  it("is usable by keyboard with a visible focus, and fits 1024×700", async () => {
    await open("/applications/acme/setup", {}, { viewport: { width: 1024, height: 700 } });
    await page.getByTestId("setup-recheck").focus();
    await page.keyboard.press("Tab");
    const focused = page.getByTestId("setup-step-link-prerequisites");
    assert.equal(await focused.evaluate((e) => e === document.activeElement), true, "Tab reaches the first step");
    const outline = await focused.evaluate((e) => { const s = getComputedStyle(e); return `${s.outlineStyle} ${s.outlineWidth}`; });
    assert.equal(outline, "solid 2px", "the focus is visible");
    await page.keyboard.press("Enter");
    await page.getByTestId("setup-content-prerequisites").waitFor();
    assert.equal(new URL(page.url()).hash, "#/applications/acme/setup/prerequisites");
    await page.getByTestId("setup-step-link-enable_saml").click();
    await page.getByTestId("saml-value-issuer").waitFor();
    const overflow = await page.evaluate(() => {
      const c = document.querySelector(".content");
      return { page: document.documentElement.scrollWidth - window.innerWidth, content: c.scrollWidth - c.clientWidth };
    });
    assert.deepEqual(overflow, { page: 0, content: 0 }, "nothing scrolls sideways at 1024×700");
  });
});
