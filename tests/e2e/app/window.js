// What the WebDriver tests do inside the real window and with the pages the IdP serves: call one
// of the app's commands from the page (for set-up that other tests cover through the UI), and
// read a hidden field of an HTML page (the SAML auto-post forms).
import assert from "node:assert/strict";

/** Calls a command of the app from inside its window; fails the test on the command's error. */
export async function invoke(browser, cmd, args) {
  const r = await browser.executeAsync((c, a, done) => {
    window.__TAURI_INTERNALS__.invoke(c, a).then((v) => done({ ok: v }), (e) => done({ error: e }));
  }, cmd, args);
  assert.ok(!r.error, `${cmd}: ${JSON.stringify(r.error)}`);
  return r.ok;
}

/** The value of a hidden field of an HTML page, unescaped. */
export function field(html, name) {
  const m = html.match(new RegExp(`name="${name}" value="([^"]*)"`));
  return m && m[1].replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
}
