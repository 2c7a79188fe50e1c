// Debian's Chromium for the Playwright suites: headless, no sandbox (root in CI), and the
// background network chatter off (this machine has no internet). Never a downloaded browser.
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchChromium(extraArgs = []) {
  return chromium.launch({ executablePath: CHROMIUM, args: [...ARGS, ...extraArgs] });
}

const MOCK_IPC = new URL("./mock-ipc.js", import.meta.url).pathname;
const MOCK_PROVISIONING = new URL("./mock-provisioning.js", import.meta.url).pathname;
const MOCK_PORTAL = new URL("./mock-portal.js", import.meta.url).pathname;

/**
 * A new page on the built UI at `url` with the mocked IPC (mock-ipc.js, mock-provisioning.js, mock-portal.js) playing `scenario`.
 * Uncaught page errors collect in `page.errors` (each suite asserts it stays empty).
 */
export async function openMocked(browser, url, scenario = {}, pageOptions = {}) {
  const page = await browser.newPage(pageOptions);
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(e.message));
  await page.addInitScript((s) => (window.__LANYARD_SCENARIO__ = s), scenario);
  await page.addInitScript({ path: MOCK_IPC });
  await page.addInitScript({ path: MOCK_PROVISIONING });
  await page.addInitScript({ path: MOCK_PORTAL });
  await page.goto(url);
  return page;
}
