// Single sign-on in the real window: SP metadata pasted from the practice org, an IdP key made
// (private key in the real OS keyring), and the values to give Salesforce shown with copy buttons.
import { after, before, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startDriver, screenshot } from "./driver.js";
import { startSim } from "./practice-sim.js";

const APP = process.env.LANYARD_APP_BINARY;
const CLI = process.env.LANYARD_CLI_BINARY;
const artifacts = join(dirname(fileURLToPath(import.meta.url)), "../artifacts");
const dataDir = mkdtempSync(join(tmpdir(), "lanyard-e2e-sso-"));
let driver;
let sim;
let simUrl;

before(async () => {
  assert.ok(APP && existsSync(APP), "LANYARD_APP_BINARY must point at the built app");
  assert.ok(CLI && existsSync(CLI), "LANYARD_CLI_BINARY must point at the built lanyard CLI");
  ({ child: sim, url: simUrl } = await startSim(CLI));
  driver = await startDriver({
    env: { LANYARD_DATA_DIR: dataDir, LANYARD_PRACTICE_URL: simUrl, LANYARD_IDP_URL: "http://127.0.0.1:0" },
  });
});

after(async () => {
  await driver?.stop();
  sim?.kill("SIGTERM");
});

const byTestId = (browser, id) => browser.$(`[data-testid="${id}"]`);

it("imports SP metadata and creates the IdP key in the real app", async () => {
  const metadata = await (await fetch(`${simUrl}/_sim/saml/metadata`)).text();
  const browser = await driver.session(APP);
  try {
    await (await browser.$("h2=No applications yet")).waitForDisplayed({ timeout: 15000 });
    await (await byTestId(browser, "try-practice")).click();
    await (await byTestId(browser, "app-label")).setValue("Practice SSO");
    await (await byTestId(browser, "create-app")).click();
    await (await byTestId(browser, "app-practice-sso")).waitForDisplayed({ timeout: 10000 });
    await (await byTestId(browser, "app-tab-sso")).click();
    await (await byTestId(browser, "sp-empty")).waitForDisplayed({ timeout: 10000 });

    await (await byTestId(browser, "sp-paste-mode")).click();
    // Set the textarea like a paste (one input event), then let React see it.
    await browser.execute((xml) => {
      const area = document.querySelector('[data-testid="sp-paste"]');
      const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set;
      setter.call(area, xml);
      area.dispatchEvent(new Event("input", { bubbles: true }));
    }, metadata);
    await (await browser.$("button=Read metadata")).click();
    await (await byTestId(browser, "sp-preview")).waitForDisplayed({ timeout: 10000 });
    await (await byTestId(browser, "sp-save")).click();
    const acs = await byTestId(browser, "sp-acs");
    await acs.waitForDisplayed({ timeout: 10000 });
    assert.match(await acs.getText(), new RegExp(`^${simUrl.replace(/[.]/g, "\\.")}/\\?so=00D`));

    await (await byTestId(browser, "idp-create")).click();
    await (await byTestId(browser, "idp-cert-active")).waitForDisplayed({ timeout: 20000 });
    assert.match(await (await byTestId(browser, "idp-cert-active")).getText(), /RSA 2048/);
    assert.equal(await (await byTestId(browser, "idp-entity-id")).getText(), "urn:lanyard:idp:practice-sso");
    assert.match(await (await byTestId(browser, "idp-sso-url")).getText(), /\/saml2\/practice-sso$/);
    mkdirSync(artifacts, { recursive: true });
    await browser.setWindowSize(1280, 1400).catch(() => undefined);
    screenshot(join(artifacts, "app-sso.png"));
  } finally {
    await browser.deleteSession();
  }
});

it("rolls the IdP certificate over to a second Salesforce configuration in the real app", async () => {
  const browser = await driver.session(APP);
  try {
    await (await byTestId(browser, "app-practice-sso")).click();
    await (await byTestId(browser, "app-tab-sso")).click();
    await (await byTestId(browser, "idp-cert-active")).waitForDisplayed({ timeout: 15000 });
    await (await byTestId(browser, "idp-create")).click();
    await (await byTestId(browser, "idp-cert-next")).waitForDisplayed({ timeout: 20000 });

    // In Salesforce (the practice org): a new configuration that trusts the next certificate.
    const certs = await browser.executeAsync((done) => {
      window.__TAURI_INTERNALS__.invoke("idp_certificates", { app: "practice-sso" }).then(done, (e) => done({ error: e }));
    });
    const next = certs.find((c) => c.status === "next");
    assert.match(next.cert_pem, /^-----BEGIN CERTIFICATE-----/);
    // The setup page's CSRF token, as the admin's browser would submit it with the form.
    const setup = await (await fetch(`${simUrl}/lightning/setup/SingleSignOn/new`)).text();
    const csrf = setup.match(/name="_csrf" value="([0-9a-f]+)"/)[1];
    const form = new URLSearchParams({
      _csrf: csrf, name: "Lanyard next", enabled: "on", issuer: "urn:lanyard:idp:practice-sso",
      idp_login_url: "http://127.0.0.1:8766/saml2/practice-sso", idp_certificate_pem: next.cert_pem, identity_type: "username",
    });
    const res = await fetch(`${simUrl}/lightning/setup/SingleSignOn/new`, { method: "POST", body: form, redirect: "manual" });
    const sc = res.headers.get("location").split("sc=")[1];
    const acs = await (await byTestId(browser, "sp-acs")).getText();

    // A Login URL of another org is refused and stays in the field; the new one is bound.
    const field = await browser.$("#bind-next-url");
    await field.setValue("https://elsewhere.example.com/?so=00D");
    await (await byTestId(browser, "bind-next-save")).click();
    const error = await byTestId(browser, "bind-next-error");
    await error.waitForDisplayed({ timeout: 10000 });
    assert.match(await error.getText(), /same Salesforce org/);
    assert.equal(await field.getValue(), "https://elsewhere.example.com/?so=00D");
    await field.setValue(`${acs}&sc=${sc}`);
    await (await byTestId(browser, "bind-next-save")).click();
    const bound = await byTestId(browser, "idp-cert-next-acs");
    await bound.waitForDisplayed({ timeout: 10000 });
    assert.match(await bound.getText(), new RegExp(`sc=${sc}$`));

    await (await byTestId(browser, "idp-activate")).click();
    const active = await byTestId(browser, "idp-cert-active-acs");
    await active.waitForDisplayed({ timeout: 10000 });
    assert.match(await active.getText(), new RegExp(`sc=${sc}$`), "the new certificate signs for the new configuration");
    await (await byTestId(browser, "idp-cert-previous")).waitForDisplayed({ timeout: 10000 });
  } finally {
    await browser.deleteSession();
  }
});
