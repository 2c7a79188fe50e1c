// Starts tauri-driver (which starts WebKitWebDriver, which starts the real app) and opens
// WebDriver sessions on it. Needs a display: the test command runs this under Xvfb.
import { execFileSync, spawn } from "node:child_process";
import { createServer } from "node:net";
import { remote } from "webdriverio";

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/status`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tauri-driver did not answer on port ${port} within ${ms} ms`);
}

export async function startDriver({ env }) {
  const port = await freePort();
  const nativePort = await freePort();
  const bin = process.env.TAURI_DRIVER || "tauri-driver";
  const child = spawn(bin, ["--port", String(port), "--native-port", String(nativePort)], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.once("error", (e) => {
    throw new Error(`cannot start ${bin}: ${e.message}`);
  });
  await waitForPort(port, 15000);
  return {
    port,
    async session(application) {
      return remote({
        hostname: "127.0.0.1",
        port,
        logLevel: "warn",
        capabilities: { "tauri:options": { application } },
      });
    },
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * A screenshot of the X display the app runs on (ImageMagick's `import`): what a person sees.
 * The window renders without GPU compositing (src-tauri/rendering.rs), where WebKitWebDriver's
 * own screenshot command never answers, so the display is captured instead.
 */
export function screenshot(path) {
  execFileSync("import", ["-window", "root", path], { stdio: ["ignore", "ignore", "pipe"], timeout: 15000 });
}
