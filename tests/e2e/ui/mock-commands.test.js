// The mocked IPC answers exactly the commands the app has: the names in ui/src/bindings.ts
// (generated from the Rust command list) equal the mock's handlers, so the mock cannot drift.
import { it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import vm from "node:vm";

const here = dirname(fileURLToPath(import.meta.url));

function bindingCommands() {
  const text = readFileSync(join(here, "../../../ui/src/bindings.ts"), "utf8");
  const names = [...text.matchAll(/__TAURI_INVOKE(?:<[^>]*>)?\("([a-z_]+)"/g)].map((m) => m[1]);
  return [...new Set(names)].sort();
}

function mockCommands() {
  const window = { __LANYARD_SCENARIO__: {} };
  const context = vm.createContext({ window, setTimeout, console });
  for (const file of ["mock-ipc.js", "mock-provisioning.js", "mock-portal.js"]) {
    vm.runInContext(readFileSync(join(here, file), "utf8"), context, { filename: file });
  }
  return Object.keys(window.__LANYARD_MOCK__.handlers)
    .filter((n) => !n.startsWith("plugin:"))
    .sort();
}

it("the mock answers every command of the bindings and no other", () => {
  const app = bindingCommands();
  const mock = mockCommands();
  assert.ok(app.length > 60, `bindings.ts lists the commands (found ${app.length})`);
  assert.deepEqual(
    { missingFromMock: app.filter((n) => !mock.includes(n)), unknownToApp: mock.filter((n) => !app.includes(n)) },
    { missingFromMock: [], unknownToApp: [] },
  );
});
