// The user portal and the removal flows (built UI, mocked IPC): an application's tile (shown or
// not, its image, a refused file), single sign-on deactivated and activated again, the deletion
// that asks for the count and offers to deactivate the provisioned users first, the portal preview
// of a chosen user (tiles start the test login or open the bookmark), and bookmarks.
import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { launchChromium, openMocked } from "./browser.js";
import { serveDist } from "./serve.js";
import { PRACTICE_APP } from "./fixtures.js";

const here = dirname(fileURLToPath(import.meta.url));
let browser;
let server;
let page;

const DIRECTORY = {
  apps: [PRACTICE_APP],
  groups: [{ name: "Sales" }, { name: "Support" }],
  users: [
    { email: "ada@acme.com", firstname: "Ada", lastname: "Lovelace", groups: ["Sales"] },
    { email: "sam@acme.com", firstname: "Sam", lastname: "Pended", groups: ["Sales"], suspended: true },
    { email: "bob@acme.com", firstname: "Bob", lastname: "Outside", groups: ["Support"] },
  ],
  bindings: [["acme", "Sales"]],
};

async function open(hash, scenario = {}) {
  page = await openMocked(browser, `${server.url}#${hash}`, { ...DIRECTORY, ...scenario }, { viewport: { width: 1280, height: 800 } });
}
const calls = (cmd) => page.evaluate((c) => window.__LANYARD_CALLS__.filter((x) => x.cmd === c).map((x) => x.args), cmd);

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

describe("An application's Overview", () => {
  it("shows the tile in the portal with an image from the file dialog, and says why a file is refused", async () => {
    await open("/applications/acme/overview", { dialogPath: "/home/admin/logo.svg" });
    const show = page.getByTestId("portal-show");
    await show.waitFor();
    assert.equal(await show.isChecked(), false, "hidden until the admin shows it");
    await show.check();
    await page.waitForFunction(() => document.querySelector('[data-testid="portal-show"]')?.checked === true);
    await page.getByTestId("portal-image-choose").click();
    await page.getByTestId("portal-image").waitFor();
    assert.match(await page.getByTestId("portal-image").getAttribute("src"), /^data:image\/png;base64,/);
    assert.deepEqual(await calls("choose_file"), [{ purpose: "portal_image" }], "the dialog opens on the Rust side");
    assert.deepEqual((await calls("set_portal_image")).map((a) => a.path), ["/home/admin/logo.svg"]);
    await page.evaluate(() => (window.__LANYARD_SCENARIO__.dialogPath = "/home/admin/report.pdf"));
    await page.getByTestId("portal-image-choose").click();
    assert.match(await page.getByTestId("portal-error").innerText(), /not a PNG, JPEG or SVG image \(it looks like a PDF document\)/);
    assert.equal(await page.getByTestId("portal-image").count(), 1, "the image kept stays");
    await page.getByTestId("portal-image-remove").click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="portal-image"]'));
  });

  it("takes the portal settings in the new-application form", async () => {
    await open("/applications", { apps: [], dialogPath: "/home/admin/tile.png" });
    await page.getByTestId("new-app").click();
    await page.getByTestId("app-label").fill("Portal Org");
    await page.getByText("Advanced").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="new-app-idp-url"]')?.textContent === "http://127.0.0.1:8766/saml2/portal-org");
    await page.getByTestId("new-app-portal").check();
    await page.getByTestId("new-app-image").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="new-app-image-name"]')?.textContent === "tile.png");
    await page.getByTestId("create-app").click();
    await page.getByTestId("app-tab-overview").click();
    await page.getByTestId("portal-image").waitFor();
    assert.equal(await page.getByTestId("portal-show").isChecked(), true);
    assert.deepEqual((await calls("set_portal_image")).map((a) => [a.app, a.path]), [["portal-org", "/home/admin/tile.png"]]);
  });

  it("takes a chosen IdP URL in the new-application form, checked by the core's rule", async () => {
    await open("/applications", { apps: [PRACTICE_APP] });
    await page.getByTestId("new-app").click();
    await page.getByTestId("app-label").fill("Sales Org");
    await page.getByText("Advanced").click();
    await page.getByTestId("new-app-idp-path").fill("Sales SSO");
    await page.getByTestId("new-app-idp-help").getByText(/lowercase/).waitFor();
    await page.getByTestId("new-app-idp-path").fill("acme");
    await page.getByTestId("create-app").click();
    await page.getByTestId("new-app-idp-help").getByText(/already ends in \/saml2\/acme/).waitFor();
    assert.equal(await page.getByTestId("app-label").inputValue(), "Sales Org", "what was typed stays");
    await page.getByTestId("new-app-idp-path").fill("sales-sso");
    await page.waitForFunction(() => document.querySelector('[data-testid="new-app-idp-url"]')?.textContent === "http://127.0.0.1:8766/saml2/sales-sso");
    await page.getByTestId("create-app").click();
    await page.getByTestId("app-tab-overview").click();
    await page.waitForFunction((u) => document.querySelector('[data-testid="idp-url"]')?.textContent === u, "http://127.0.0.1:8766/saml2/sales-sso");
    assert.equal((await calls("create_app")).at(-1).request.idp_path, "sales-sso");
  });

  it("moves an application's IdP URL and says exactly what to change in Salesforce", async () => {
    await open("/applications/acme/overview", { repointApps: ["acme"] });
    await page.waitForFunction((u) => document.querySelector('[data-testid="idp-url"]')?.textContent === u, "http://127.0.0.1:8766/saml2/acme");
    await page.getByTestId("idp-url-change").click();
    await page.getByTestId("idp-path").fill("acme-sso");
    await page.getByTestId("idp-path-save").click();
    const repoint = page.getByTestId("idp-url-repoint");
    await repoint.waitFor();
    assert.match(await repoint.innerText(), /from http:\/\/127\.0\.0\.1:8766\/saml2\/acme to the URL below/);
    assert.equal(await page.getByTestId("idp-url-repoint-to").innerText(), "http://127.0.0.1:8766/saml2/acme-sso");
    assert.equal(await page.getByTestId("idp-url").innerText(), "http://127.0.0.1:8766/saml2/acme-sso");
    assert.deepEqual(await calls("set_idp_path"), [{ name: "acme", path: "acme-sso" }]);
  });

  it("deactivates single sign-on after a confirmation, and activates it again", async () => {
    await open("/applications/acme/overview");
    await page.getByTestId("sso-deactivate").click();
    const dialog = page.getByTestId("sso-deactivate-dialog");
    assert.match(await dialog.innerText(), /Nobody can sign in to Acme through Lanyard/);
    await page.getByTestId("sso-deactivate-dialog-confirm").click();
    await page.waitForFunction(() => /Deactivated: Lanyard signs no login to Acme/.test(document.querySelector('[data-testid="sso-state"]')?.textContent ?? ""));
    assert.deepEqual(await calls("set_sso_enabled"), [{ name: "acme", enabled: false }]);
    await page.getByTestId("sso-activate").click();
    await page.waitForFunction(() => /^On:/.test(document.querySelector('[data-testid="sso-state"]')?.textContent ?? ""));
  });

  it("deletes only once the admin typed the count, after offering to deactivate the provisioned users", async () => {
    await open("/applications/acme/overview", { connections: { acme: { linked_users: 12 } } });
    await page.getByTestId("delete-app").click();
    const dialog = page.getByTestId("delete-app-dialog");
    await dialog.waitFor();
    assert.match(await page.getByTestId("delete-app-warning").innerText(), /stay active there.*can no longer log in with their old password/s);
    const confirm = page.getByTestId("delete-app-confirm");
    assert.equal(await confirm.isDisabled(), true, "nothing typed yet");
    await page.getByTestId("delete-app-count").fill("2");
    assert.equal(await confirm.isDisabled(), true, "the wrong count");
    await page.getByTestId("delete-app-deprovision-button").click();
    await page.getByTestId("delete-app-deprovisioned").waitFor();
    assert.match(await page.getByTestId("delete-app-deprovisioned").innerText(), /12 user\(s\) deactivated in the target\. Automatic push is now off/);
    assert.deepEqual(await page.evaluate(() => window.__LANYARD_DEPROVISIONED__), ["acme"]);
    await page.getByTestId("delete-app-count").fill("1");
    await confirm.click();
    await page.waitForFunction(() => location.hash === "#/applications");
    await page.getByText("No applications yet").waitFor();
  });

  it("offers no deactivation when nothing was provisioned", async () => {
    await open("/applications/acme/overview");
    await page.getByTestId("delete-app").click();
    await page.getByTestId("delete-app-dialog").waitFor();
    await page.getByTestId("delete-app-count").waitFor();
    assert.equal(await page.getByTestId("delete-app-deprovision").count(), 0);
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => !document.querySelector('[data-testid="delete-app-dialog"]'));
    assert.equal(await page.getByTestId("app-acme").count(), 1, "kept");
  });
});

describe("The user portal", () => {
  it("previews a user's tiles: a tile starts that user's test login, a bookmark opens in the browser", async () => {
    await open("/portal", {
      portal: { acme: { show_in_portal: true } },
      bookmarks: [{ name: "wiki", label: "Company wiki", url: "https://wiki.example.com/" }],
    });
    await page.getByTestId("portal-user").fill("ada@acme.com");
    await page.getByTestId("portal-user-show").click();
    await page.getByTestId("portal-tiles").waitFor();
    const labels = await page.locator('[data-testid="portal-tiles"] button').allInnerTexts();
    assert.equal(labels.length, 2);
    assert.match(labels[0], /Acme\s+Single sign-on/);
    assert.match(labels[1], /Company wiki\s+Bookmark/);
    await page.getByTestId("tile-application-acme").click();
    await page.getByTestId("toast-portal").waitFor();
    assert.deepEqual(await calls("test_login"), [{ app: "acme", user: "ada@acme.com" }]);
    await page.getByTestId("tile-bookmark-wiki").click();
    await page.waitForFunction(() => (window.__LANYARD_OPENED__ ?? []).length === 1);
    assert.deepEqual(await calls("open_bookmark"), [{ name: "wiki" }], "the page names the bookmark, never an address");

    await page.getByTestId("portal-user").fill("sam@acme.com");
    await page.getByTestId("portal-user-show").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="tile-application-acme"]')?.disabled === true);
    await page.getByTestId("portal-user").fill("bob@acme.com");
    await page.getByTestId("portal-user-show").click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="tile-application-acme"]') && document.querySelector('[data-testid="tile-bookmark-wiki"]'));
    await page.getByTestId("portal-user").fill("nobody@acme.com");
    await page.getByTestId("portal-user-show").click();
    assert.match(await page.getByTestId("portal-tiles-error").innerText(), /no user "nobody@acme\.com"/);
  });

  it("adds a bookmark (the core's refusal beside the form), deactivates and deletes it", async () => {
    await open("/portal");
    await page.getByTestId("bookmarks-empty").waitFor();
    await page.getByTestId("bookmark-label").fill("HR Site");
    assert.equal(await page.getByTestId("bookmark-name").inputValue(), "hr-site", "the name follows the label");
    await page.getByTestId("bookmark-url").fill("http://hr.example.com");
    await page.getByTestId("bookmark-add").click();
    assert.match(await page.getByTestId("bookmark-form-error").innerText(), /https:\/\//);
    assert.equal((await calls("create_bookmark")).length, 0, "refused before it is sent");
    await page.getByTestId("bookmark-url").fill("https://hr.example.com");
    await page.getByTestId("bookmark-add").click();
    await page.getByTestId("bookmark-hr-site").waitFor();
    await page.getByTestId("bookmark-label").fill("Again");
    await page.getByTestId("bookmark-name").fill("hr-site");
    await page.getByTestId("bookmark-url").fill("https://hr2.example.com");
    await page.getByTestId("bookmark-add").click();
    await page.waitForFunction(() => /already exists/.test(document.querySelector('[data-testid="bookmark-form-error"]')?.textContent ?? ""));
    await page.getByTestId("bookmark-toggle-hr-site").click();
    await page.waitForFunction(() => /deactivated/.test(document.querySelector('[data-testid="bookmark-hr-site"]')?.textContent ?? ""));
    await page.getByTestId("bookmark-delete-hr-site").click();
    await page.getByTestId("bookmarks-empty").waitFor();
  });

  it("gives a bookmark to a group: only its members see it, and the preview follows", async () => {
    await open("/portal", { bookmarks: [{ name: "payroll", label: "Payroll", url: "https://payroll.example.com/" }] });
    const audience = page.getByTestId("bookmark-audience-payroll");
    assert.match(await audience.innerText(), /For every user/);
    await audience.click();
    await page.getByTestId("bookmark-group-payroll-Support").check();
    await page.waitForFunction(() => /For members of Support/.test(document.querySelector('[data-testid="bookmark-audience-payroll"]')?.textContent ?? ""));
    assert.deepEqual(await calls("set_bookmark_groups"), [{ name: "payroll", groups: ["Support"] }]);
    await page.getByTestId("portal-user").fill("ada@acme.com");
    await page.getByTestId("portal-user-show").click();
    await page.getByTestId("portal-tiles-empty").or(page.getByTestId("portal-tiles")).waitFor();
    assert.equal(await page.getByTestId("tile-bookmark-payroll").count(), 0, "Ada is in Sales, not Support");
    await page.getByTestId("portal-user").fill("bob@acme.com");
    await page.getByTestId("portal-user-show").click();
    await page.getByTestId("tile-bookmark-payroll").waitFor();
    await page.getByTestId("bookmark-group-payroll-Support").uncheck();
    await page.waitForFunction(() => /For every user/.test(document.querySelector('[data-testid="bookmark-audience-payroll"]')?.textContent ?? ""));
  });
});
