// Playwright (Debian's chromium) on the built UI with mocked IPC: the Directory page (users table,
// drawer, groups, CSV import), live updates from the change feed, and an application's User groups.
import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { launchChromium, openMocked } from "./browser.js";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { existsSync, mkdirSync } from "node:fs";
import { serveDist } from "./serve.js";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "../../../ui/dist");
const artifacts = join(here, "../artifacts");

let browser;
let server;
let page;

async function open(scenario = {}) {
  page = await openMocked(browser, server.url, scenario, { viewport: { width: 1400, height: 900 } });
  return page;
}

const calls = (cmd) => page.evaluate((c) => window.__LANYARD_CALLS__.filter((x) => x.cmd === c), cmd);

function people(n) {
  const depts = ["Engineering", "Sales", "Support"];
  return Array.from({ length: n }, (_, i) => ({
    id: `u${i}`,
    email: `person${String(i).padStart(2, "0")}@example.com`,
    firstname: `P${i}`,
    lastname: `L${i}`,
    displayname: `P${i} L${i}`,
    department: depts[i % 3],
    company: "Acme",
    suspended: i === 4,
    groups: i % 2 === 0 ? ["Even"] : [],
  }));
}

async function directory(scenario) {
  await open(scenario);
  await page.getByTestId("nav-directory").click();
}

const countText = () => page.getByTestId("user-count").innerText();

/**
 * Waits (up to 3 s) until the count line matches: the core now searches, filters and pages, so
 * the line changes when the answer arrives (after the search's 150 ms debounce), not at once.
 */
async function eventually(read, re, message) {
  const deadline = Date.now() + 3000;
  let text = await read();
  while (!re.test(text) && Date.now() < deadline) {
    await page.waitForTimeout(25);
    text = await read();
  }
  assert.match(text, re, message);
}

const expectCount = (re, message) => eventually(countText, re, message);

before(async () => {
  assert.ok(existsSync(join(dist, "index.html")), "build the UI first (npm run build in ui/)");
  mkdirSync(artifacts, { recursive: true });
  server = await serveDist(dist);
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

describe("Directory: users", () => {
  it("shows the empty state, then adds a user with inline validation", async () => {
    await directory();
    await page.getByText("No users yet").waitFor();
    await page.getByTestId("add-first-user").click();
    await page.getByTestId("user-email").fill("ada lovelace@example.com");
    // The core's rule answers while the admin types (check_form), beside the field.
    await page.getByTestId("user-email-help").getByText(/contains a space/).waitFor();
    assert.deepEqual((await calls("check_form")).at(-1).args.form.input.email, "ada lovelace@example.com", "the core is asked");
    await page.getByTestId("user-email").fill("ada@localhost");
    await page.getByTestId("user-email-help").getByText(/has no dot/).waitFor();
    await page.getByTestId("user-locality").fill("x".repeat(41));
    await page.getByText(/locality \(city\) is 41 characters long/).waitFor();
    assert.equal(await page.getByTestId("user-locality").getAttribute("aria-invalid"), "true", "a nested field's problem sits beside it");
    await page.getByTestId("user-locality").fill("London");
    await page.getByTestId("user-save").click();
    await page.getByText(/last name is empty/).waitFor();
    assert.equal((await calls("create_user")).length, 0, "an invalid form sends nothing");
    await page.getByTestId("user-email").fill("Ada@Example.com");
    await page.getByTestId("user-firstname").fill("Ada");
    await page.getByTestId("user-lastname").fill("Lovelace");
    await page.getByTestId("user-department").fill("R&D");
    await page.getByTestId("user-save").click();
    await page.getByTestId("open-Ada@Example.com").waitFor();
    const sent = await calls("create_user");
    assert.equal(sent.length, 1);
    assert.equal(sent[0].args.input.email, "Ada@Example.com");
    assert.equal(sent[0].args.input.department, "R&D");
    assert.equal(sent[0].args.input.federation_id, null, "a blank Federation ID is sent as none");
    await expectCount(/Showing 1 of 1 users/);
  });

  it("searches, filters by status, department and group, sorts, and shows hidden columns", async () => {
    await directory({ users: people(30), groups: [{ name: "Even" }] });
    await page.getByTestId("users-table").waitFor();
    await expectCount(/Showing 30 of 30/);
    await page.getByTestId("user-search").fill("person1");
    await expectCount(/Showing 10 of 30/, "person10..person19");
    await page.getByTestId("user-search").fill("");
    await page.getByTestId("filter-status").selectOption("suspended");
    await expectCount(/Showing 1 of 30/);
    await page.getByTestId("open-person04@example.com").waitFor();
    await page.getByTestId("filter-status").selectOption("");
    await page.getByTestId("filter-department").selectOption("Sales");
    await expectCount(/Showing 10 of 30/);
    await page.getByTestId("filter-group").selectOption("Even");
    await expectCount(/Showing 5 of 30/, "Sales (i%3==1) and even: 4,10,16,22,28");
    await page.getByTestId("filter-department").selectOption("");
    await page.getByTestId("filter-group").selectOption("");

    await page.getByTestId("sort-email").click();
    await page.getByTestId("sort-email").click(); // descending
    const first = page.locator('[data-testid="users-table-body"] [role="row"]').first();
    await eventually(() => first.innerText(), /person29@example\.com/, "descending by email (sorted by the core)");

    assert.equal(await page.getByRole("columnheader", { name: "Company" }).count(), 0, "hidden at first");
    await page.getByTestId("columns-menu").click();
    await page.getByTestId("column-company").check();
    await page.getByRole("columnheader", { name: "Company" }).waitFor();
    await page.screenshot({ path: join(artifacts, "ui-directory-users.png") });
  });

  it("selects a range with shift-click and suspends it in one call", async () => {
    await directory({ users: people(10) });
    await page.getByTestId("row-u1").click({ position: { x: 400, y: 10 } });
    await page.getByTestId("row-u3").click({ position: { x: 400, y: 10 }, modifiers: ["Shift"] });
    await expectCount(/3 selected/, "rows 1..3");
    await page.getByTestId("row-u6").click({ position: { x: 400, y: 10 }, modifiers: ["Control"] });
    await expectCount(/4 selected/, "ctrl-click adds one");
    await page.getByTestId("bulk-suspend").click();
    await page.getByTestId("user-notice").waitFor();
    const sent = await calls("set_users_suspended");
    assert.deepEqual([...sent[0].args.ids].sort(), ["u1", "u2", "u3", "u6"]);
    assert.equal(sent[0].args.suspended, true);
    await page.getByTestId("filter-status").selectOption("suspended");
    await expectCount(/Showing 5 of 10/, "the four, plus the one already suspended");
  });

  it("selects a shift-click range across rows that were never loaded", async () => {
    await directory({ users: people(2000) });
    const rows = page.locator('[data-testid="users-table-body"] [role="row"][aria-selected]');
    await rows.first().click({ position: { x: 400, y: 10 } });
    await page.getByTestId("users-table-body").evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.waitForFunction(() => window.__LANYARD_CALLS__.some((c) => c.cmd === "query_users" && c.args.query.offset >= 1800));
    await page.waitForFunction(() => {
      const loaded = document.querySelectorAll('[data-testid="users-table-body"] [role="row"][aria-selected]');
      return loaded.length > 0 && Number(loaded[loaded.length - 1].getAttribute("aria-rowindex")) >= 1990;
    });
    await rows.last().click({ position: { x: 400, y: 10 }, modifiers: ["Shift"] });
    await expectCount(/2,000 selected/, "every row between the two, loaded or not");
  });

  it("says an email is taken even when that user's row was never loaded", async () => {
    await directory({ users: people(300) });
    await page.getByTestId("open-person00@example.com").click();
    await page.getByTestId("user-drawer").waitFor();
    assert.equal(await page.getByTestId("open-person99@example.com").count(), 0, "person99 is past the first page");
    await page.getByTestId("user-email").fill("PERSON99@example.com");
    await page.getByTestId("user-email-help").getByText("already has this email").waitFor();
  });

  it("edits a user in the drawer and explains a taken email", async () => {
    await directory({ users: people(3) });
    await page.getByTestId("open-person01@example.com").click();
    await page.getByTestId("user-drawer").waitFor();
    await page.getByTestId("user-email").fill("PERSON02@example.com");
    assert.match(await page.getByTestId("user-email-help").innerText(), /already has this email/, "unique, without regard to case");
    await page.getByTestId("user-email").fill("person01@example.com");
    await page.getByTestId("user-job_title").fill("Analyst");
    await page.getByTestId("user-suspended").check();
    await page.getByTestId("user-save").click();
    await page.getByTestId("user-notice").waitFor();
    const sent = await calls("update_user");
    assert.equal(sent[0].args.id, "u1");
    assert.equal(sent[0].args.input.job_title, "Analyst");
    assert.equal(sent[0].args.input.suspended, true);
    await page.getByTestId("row-u1").getByText("Suspended").waitFor();
    await page.getByTestId("user-delete").click();
    await page.getByTestId("user-delete-confirm").click();
    await page.getByTestId("row-u1").waitFor({ state: "detached" });
    await expectCount(/Showing 2 of 2/);
  });

  it("reloads when the directory changes elsewhere (the CLI, a sync)", async () => {
    await directory({ users: people(2) });
    await page.getByTestId("users-table").waitFor();
    const listening = await page.evaluate(() => window.__LANYARD_LISTENERS__.map((l) => l.event));
    assert.ok(listening.includes("directory://changed"), `the page listens for directory://changed: ${listening}`);
    assert.ok((await calls("watch_directory")).length >= 1, "asks the shell to watch the change feed");
    await page.evaluate(() =>
      window.__LANYARD_EXTERNAL_CHANGE__((dir, { blankUser }) =>
        dir.users.push({ ...blankUser(), email: "from-cli@example.com", lastname: "Cli", displayname: "From Cli" }),
      ),
    );
    await page.getByTestId("open-from-cli@example.com").waitFor({ timeout: 3000 });
    await expectCount(/Showing 3 of 3/);
  });

  it("shows an error with a way to try again", async () => {
    await directory({ directoryError: "The database is locked by another program." });
    const err = page.getByTestId("directory-error");
    await err.waitFor();
    assert.match(await err.innerText(), /locked/);
    assert.equal(await err.getByRole("button", { name: "Try again" }).count(), 1);
  });
});

describe("Directory: CSV import and export", () => {
  const file = (text, name = "users.csv") => ({ name, mimeType: "text/csv", buffer: Buffer.from(text) });

  it("previews per-row errors, refuses to import them, and cancel writes nothing", async () => {
    await directory({ users: people(1) });
    await page.getByTestId("import-csv").click();
    await page.getByTestId("import-file").setInputFiles(file("email,firstname,lastname,shoe size\nok@example.com,O,K,42\nnot an email,B,A,1\n"));
    const rows = page.getByTestId("import-rows");
    await rows.getByText(/not a valid email/).waitFor();
    const text = await rows.innerText();
    assert.match(text, /\b3\b/, "the bad row's line number");
    assert.match(text, /Problem/, "and what happens to it");
    assert.ok(text.indexOf("not an email") < text.indexOf("ok@example.com"), "problems first");
    await page.getByTestId("import-search").fill("ok@");
    await page.waitForFunction(() => !document.querySelector('[data-testid="import-rows"]')?.textContent?.includes("not an email"));
    assert.match(await rows.innerText(), /ok@example\.com[\s\S]*New/, "the good row: a new user");
    assert.match(await page.getByTestId("import-ignored").innerText(), /shoe size/);
    assert.equal(await page.getByTestId("import-commit").isDisabled(), true, "a file with a bad row cannot be imported");
    await page.getByTestId("import-cancel").click();
    await page.getByTestId("import-dialog").waitFor({ state: "detached" });
    assert.equal((await calls("import_csv")).length, 0, "cancel writes nothing");
    await expectCount(/Showing 1 of 1/);
  });

  it("imports a good file after the preview, creating groups", async () => {
    await directory();
    await page.getByTestId("import-csv").click();
    const csv = "email,firstname,lastname,department,groups\nada@example.com,Ada,Lovelace,R&D,Admins;R&D\ngrace@example.com,Grace,Hopper,Navy,R&D\n";
    await page.getByTestId("import-file").setInputFiles(file(csv));
    await page.getByTestId("import-preview").waitFor();
    assert.match(await page.getByTestId("import-counts").innerText(), /2 row\(s\) — 2 new, 0 updated/);
    assert.equal((await calls("import_csv")).length, 0, "nothing is written before the person confirms");
    await page.getByTestId("import-commit").click();
    await page.getByTestId("directory-notice").waitFor();
    assert.match(await page.getByTestId("directory-notice").innerText(), /2 created/);
    assert.equal((await calls("import_csv"))[0].args.text, csv, "the file's text goes over IPC unchanged");
    await page.getByTestId("open-grace@example.com").waitFor();
    await page.getByTestId("filter-group").selectOption("Admins");
    await expectCount(/Showing 1 of 2/);
  });

  it("refuses an empty file before reading it", async () => {
    await directory();
    await page.getByTestId("import-csv").click();
    await page.getByTestId("import-file").setInputFiles(file("", "empty.csv"));
    assert.match(await page.getByTestId("import-error").innerText(), /empty\.csv is empty/);
    assert.equal((await calls("preview_csv_import")).length, 0);
  });

  it("exports the directory to the file chosen in the save dialog", async () => {
    await directory({ users: people(2), savePath: "/home/admin/directory.csv" });
    await page.getByTestId("export-csv").click();
    await page.getByText("Exported the directory to /home/admin/directory.csv.").waitFor();
    assert.deepEqual((await calls("export_directory_file")).at(-1).args, {}, "the webview names no path");
    const written = await page.evaluate(() => window.__LANYARD_FILES__["/home/admin/directory.csv"]);
    assert.match(written, /^email,firstname,lastname,groups\nperson00@example\.com,/);
  });

  it("writes nothing and says nothing when the save dialog is cancelled", async () => {
    await directory({ users: people(2), savePath: null });
    await page.getByTestId("export-csv").click();
    await page.waitForFunction(() => window.__LANYARD_CALLS__.some((c) => c.cmd === "export_directory_file"));
    assert.deepEqual(await page.evaluate(() => window.__LANYARD_FILES__), {});
    assert.equal(await page.getByRole("alert").count(), 0, "no error for a cancel");
    assert.equal(await page.getByText("Exported the directory").count(), 0);
  });
});

describe("Directory: groups", () => {
  it("creates a group with inline validation, adds and removes members, deletes it", async () => {
    await directory({ users: people(3) });
    await page.getByTestId("tab-groups").click();
    await page.getByText("No groups yet").waitFor();
    await page.getByTestId("new-group").click();
    await page.getByTestId("group-name").fill("Sales;EMEA");
    await page.getByTestId("group-name-help").getByText(/no semicolon/).waitFor();
    await page.getByTestId("group-name").fill("Sales");
    await page.getByTestId("group-description").fill("Sellers");
    await page.getByTestId("group-save").click();
    await page.getByTestId("group-details").waitFor();
    await page.getByTestId("member-email").fill("nobody@example.com");
    await page.getByTestId("member-add").click();
    assert.match(await page.getByTestId("group-error").innerText(), /nobody@example\.com/, "names the unknown user");
    await page.getByTestId("member-email").fill("person02@example.com");
    await page.getByTestId("member-add").click();
    await page.getByTestId("group-members").getByText("person02@example.com").waitFor();
    await page.getByRole("button", { name: "Remove person02@example.com" }).click();
    await page.getByTestId("no-members").waitFor();
    await page.getByTestId("group-delete").click();
    await page.getByTestId("group-delete-confirm").click();
    await page.getByText("No groups yet").waitFor();
  });
});

describe("Application: User groups", () => {
  const app = {
    id: "x", name: "sf", label: "Salesforce", description: "", kind: "salesforce", environment: "production", sandbox: false,
    login_url: "https://login.salesforce.com", created_at: "2026-11-01T00:00:00Z", updated_at: "2026-11-01T00:00:00Z",
  };

  it("authorizes a group with a checkbox and saves the Data Loader file", async () => {
    await open({ apps: [app], users: people(4), groups: [{ name: "Even", description: "Even people" }, { name: "Odd" }], savePath: "/home/admin/sf.csv" });
    await page.getByTestId("app-sf").click();
    await page.getByTestId("app-tab-groups").click();
    const even = page.getByTestId("app-group-Even");
    await even.waitFor();
    assert.equal(await even.isChecked(), false);
    await even.check();
    await page.getByTestId("app-groups-notice").waitFor();
    assert.equal(await page.getByTestId("app-group-Even").isChecked(), true);
    const sent = await calls("set_app_group");
    assert.deepEqual({ app: sent[0].args.app, bound: sent[0].args.bound }, { app: "sf", bound: true });
    await page.getByTestId("federation-csv").click();
    await page.getByText("Saved /home/admin/sf.csv with 2 user(s)", { exact: false }).waitFor();
    assert.deepEqual((await calls("save_federation_file")).at(-1).args, { app: "sf" });
    const written = await page.evaluate(() => window.__LANYARD_FILES__["/home/admin/sf.csv"]);
    assert.match(written, /^Username,FederationIdentifier\nperson00@example\.com,/, "the two even people");
  });

  it("says what to do when there are no groups", async () => {
    await open({ apps: [app] });
    await page.getByTestId("app-sf").click();
    await page.getByTestId("app-tab-groups").click();
    await page.getByText("Create groups on the Directory page").waitFor();
  });
});
