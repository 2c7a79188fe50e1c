// The Single sign-on tab (built UI, mocked IPC): metadata by paste and by the file dialog,
// refusals that keep what was saved, the IdP key rollover buttons, and the decoder.
import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { launchChromium, openMocked } from "./browser.js";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { serveDist } from "./serve.js";

const here = dirname(fileURLToPath(import.meta.url));
const APP = {
  id: "a1", name: "acme", label: "Acme", description: "", kind: "salesforce", environment: "production", sandbox: false,
  login_url: "https://login.salesforce.com", created_at: "2026-11-01T00:00:00Z", updated_at: "2026-11-01T00:00:00Z",
};
const METADATA = `<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://acme.my.salesforce.com"><md:SPSSODescriptor AuthnRequestsSigned="true"><md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://acme.my.salesforce.com?so=00D000000000001&sc=0LE"/></md:SPSSODescriptor></md:EntityDescriptor>`;
let browser;
let server;
let page;

async function openSso(scenario = {}) {
  page = await openMocked(browser, server.url, { apps: [APP], ...scenario }, {
    viewport: { width: 1280, height: 1000 },
    permissions: ["clipboard-read", "clipboard-write"],
  });
  await page.getByTestId("app-acme").click();
  await page.getByTestId("app-tab-sso").click();
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
  assert.deepEqual(page.errors, [], "no uncaught errors in the page");
  await page.close();
});

describe("Single sign-on tab", () => {
  it("imports pasted metadata after a preview that shows the repair warning", async () => {
    await openSso();
    await page.getByTestId("sp-empty").waitFor();
    await page.getByTestId("sp-paste-mode").click();
    await page.getByTestId("sp-paste").fill(METADATA);
    await page.getByRole("button", { name: "Read metadata" }).click();
    const preview = page.getByTestId("sp-preview");
    await preview.waitFor();
    assert.match(await preview.innerText(), /unescaped '&' repaired/);
    await page.getByTestId("sp-save").click();
    await page.getByTestId("sp-acs").waitFor();
    assert.equal(await page.getByTestId("sp-acs").innerText(), "https://acme.my.salesforce.com?so=00D000000000001&sc=0LE");
    assert.equal(await page.getByTestId("sp-entity-id").innerText(), "https://acme.my.salesforce.com");
  });

  it("reads a file chosen in the native dialog, and refuses IdP metadata without saving", async () => {
    const idp = `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"><md:IDPSSODescriptor/></md:EntityDescriptor>`;
    await openSso({ dialogPath: "/home/admin/idp.xml", files: { "/home/admin/idp.xml": idp } });
    await page.getByTestId("sp-choose-file").click();
    const error = page.getByTestId("sp-error");
    await error.waitFor();
    assert.match(await error.innerText(), /identity-provider \(IdP\) metadata/);
    assert.equal(await page.getByTestId("sp-preview").count(), 0, "nothing to save");
    assert.equal(await page.getByTestId("sp-empty").count(), 1, "still not set up");
  });

  it("reads a metadata file dropped on the window", async () => {
    await openSso({ files: { "/home/admin/Downloads/SAMLSP-00D.xml": METADATA } });
    await page.getByTestId("sp-empty").waitFor();
    await page.waitForFunction(() => window.__LANYARD_LISTENERS__.some((l) => l.event === "tauri://drag-drop"));
    await page.evaluate(() =>
      window.__LANYARD_EMIT__("tauri://drag-drop", { paths: ["/home/admin/Downloads/SAMLSP-00D.xml"], position: { x: 10, y: 10 } }),
    );
    await page.getByTestId("sp-preview").waitFor();
    const inspected = await page.evaluate(() => window.__LANYARD_CALLS__.filter((c) => c.cmd === "inspect_metadata").at(-1).args);
    assert.equal(inspected.path, "/home/admin/Downloads/SAMLSP-00D.xml", "the dropped path goes to the core, which reads the file");
    await page.getByTestId("sp-save").click();
    await page.getByTestId("sp-acs").waitFor();
  });

  it("manual entry says what is wrong with a bad ACS URL", async () => {
    await openSso();
    await page.getByTestId("sp-manual-mode").click();
    await page.getByTestId("sp-manual-entity").fill("https://acme.my.salesforce.com");
    await page.getByTestId("sp-manual-acs").fill("http://acme.my.salesforce.com");
    await page.getByTestId("sp-manual-save").click();
    assert.match(await page.getByTestId("sp-error").innerText(), /https:\/\//);
    assert.equal(await page.getByTestId("sp-manual-acs").inputValue(), "http://acme.my.salesforce.com", "input kept");
  });

  it("walks the key rollover: create, prepare next, bind, activate, and shows what to give Salesforce", async () => {
    await openSso();
    await page.getByTestId("sp-empty").waitFor();
    await page.getByTestId("sp-paste-mode").click();
    await page.getByTestId("sp-paste").fill(METADATA);
    await page.getByRole("button", { name: "Read metadata" }).click();
    await page.getByTestId("sp-save").click();
    await page.getByTestId("sp-acs").waitFor();
    await page.getByTestId("idp-empty").waitFor();
    await page.getByTestId("idp-create").click();
    await page.getByTestId("idp-cert-active").waitFor();
    assert.equal(await page.getByTestId("idp-entity-id").innerText(), "urn:lanyard:idp:acme");
    assert.equal(await page.getByTestId("idp-sso-url").innerText(), "http://127.0.0.1:8766/saml2/acme");
    await page.getByTestId("copy-certificate").click();
    await page.getByText("Certificate copied.").waitFor();
    assert.match(await page.evaluate(() => navigator.clipboard.readText()), /^-----BEGIN CERTIFICATE-----/);
    await page.getByTestId("idp-create").click();
    await page.getByTestId("idp-cert-next").waitFor();
    // The next certificate is copied for a second Salesforce configuration, then bound to its
    // Login URL; a foreign URL is refused and stays in the field.
    await page.getByTestId("copy-next-certificate").click();
    await page.getByText("Next certificate copied.").waitFor();
    assert.match(await page.evaluate(() => navigator.clipboard.readText()), /MIIB2/);
    const field = page.getByLabel("Login URL of the configuration that trusts the next certificate");
    await field.fill("https://evil.example.com/?so=00D");
    await page.getByTestId("bind-next-save").click();
    assert.match(await page.getByTestId("bind-next-error").innerText(), /same Salesforce org/);
    assert.equal(await field.inputValue(), "https://evil.example.com/?so=00D", "input kept");
    const second = "https://acme.my.salesforce.com?so=00D000000000001&sc=0LE000000000002";
    await field.fill(second);
    await page.getByTestId("bind-next-save").click();
    await page.getByTestId("idp-cert-next-acs").waitFor();
    assert.match(await page.getByTestId("idp-cert-next-acs").innerText(), /sc=0LE000000000002/);
    const bound = await page.evaluate(() => window.__LANYARD_CALLS__.filter((c) => c.cmd === "idp_bind_next").at(-1).args);
    assert.equal(bound.acsUrl, second);
    await page.getByTestId("idp-activate").click();
    await page.getByTestId("idp-cert-active-acs").waitFor();
    await page.getByTestId("idp-cert-previous").waitFor();
    await page.getByRole("button", { name: "Retire previous certificate" }).click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="idp-cert-previous"]'));
    assert.equal(await page.getByTestId("idp-cert-active").count(), 1);
  });

  it("saves certificate.pem where the admin chose, the path never coming from the page", async () => {
    await openSso({ savePath: "/home/admin/certificate.pem" });
    await page.getByTestId("idp-empty").waitFor();
    await page.getByTestId("idp-create").click();
    await page.getByTestId("idp-cert-active").waitFor();
    await page.getByRole("button", { name: "Save certificate.pem…" }).click();
    await page.getByText("Saved /home/admin/certificate.pem").waitFor();
    const sent = await page.evaluate(() => window.__LANYARD_CALLS__.filter((c) => c.cmd === "export_idp_file").at(-1).args);
    assert.deepEqual(sent, { app: "acme", what: "certificate" });
    assert.match(await page.evaluate(() => window.__LANYARD_FILES__["/home/admin/certificate.pem"]), /^-----BEGIN CERTIFICATE-----/);
  });

  it("refuses a bad lifetime and keeps the edits", async () => {
    await openSso();
    await page.getByTestId("response-settings").waitFor();
    await page.getByTestId("lifetime").fill("5");
    await page.getByLabel("Send User.Email").check();
    await page.getByTestId("save-settings").click();
    assert.match(await page.getByTestId("settings-error").innerText(), /between 30 and 3600/);
    assert.equal(await page.getByLabel("Send User.Email").isChecked(), true, "edits kept");
    await page.getByTestId("lifetime").fill("120");
    await page.getByTestId("save-settings").click();
    await page.getByText("Saved.").waitFor();
    const sent = await page.evaluate(() => window.__LANYARD_CALLS__.filter((c) => c.cmd === "save_saml_settings").at(-1).args.settings);
    assert.equal(sent.response.lifetime_secs, 120);
    assert.equal(sent.attributes[0].enabled, true);
  });

  it("decodes a pasted message into a checklist", async () => {
    await openSso();
    await page.getByTestId("decoder-input").fill("PHNhbWxwOlJlc3BvbnNlLz4=");
    await page.getByTestId("decoder-run").click();
    const result = page.getByTestId("decoder-result");
    await result.waitFor();
    const text = await result.innerText();
    assert.match(text, /Signature does not verify/);
    assert.match(text, /Audience https:\/\/acme\.my\.salesforce\.com/);
  });
});
