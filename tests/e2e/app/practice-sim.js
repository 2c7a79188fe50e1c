// The practice org for the WebDriver tests and benchmarks, started from the project's own CLI
// (`lanyard sim serve` on a free port), and a SCIM connection made through the CLI with the test
// playing the browser's consent step.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { consent } from "./practice-oauth.js";

/** Starts `lanyard sim serve` (extra arguments: --users N, --latency-ms …); answers its base URL. */
export async function startSim(cli, extra = []) {
  const child = spawn(cli, ["sim", "serve", "--port", "0", ...extra], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/base URL\s+(http:\/\/127\.0\.0\.1:\d+)/);
      if (m) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`lanyard sim serve exited with ${code}`)));
  });
  return { child, url };
}

/** `lanyard scim connect APP --salesforce --no-browser` with `env`, consenting as the browser would. */
export async function connectByCli(cli, app, env) {
  const child = spawn(cli, ["scim", "connect", app, "--salesforce", "--no-browser"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stderr.on("data", (c) => (err += c));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const url = await new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/^(http:\/\/\S+\/services\/oauth2\/authorize\?\S+)$/m);
      if (m) resolve(m[1]);
    });
    exited.then((code) => reject(new Error(`scim connect exited with ${code} before printing the authorize URL: ${err}`)));
  });
  const back = await fetch(await consent(url));
  assert.ok(back.ok, "the CLI's loopback listener took the redirect");
  assert.equal(await exited, 0, `scim connect succeeds: ${err}`);
}
