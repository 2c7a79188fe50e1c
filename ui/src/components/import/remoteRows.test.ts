import { describe, expect, it } from "vitest";
import type { RemoteRow } from "../../bindings";
import { RemoteRows, shouldPublish } from "./remoteRows";

const row = (id: string): RemoteRow => ({
  remote_id: id, username: `${id}@x.test`, name: id, email: `${id}@x.test`, profile: null, title: "", department: "",
  active: true, status: "new", differences: [],
});

describe("RemoteRows", () => {
  it("appends pages in order and lists a user answered on two pages once", () => {
    const rows = new RemoteRows();
    rows.add([row("a"), row("b")]);
    rows.add([row("b"), row("c")]);
    expect(rows.snapshot().map((r) => r.remote_id)).toEqual(["a", "b", "c"]);
    expect(rows.length).toBe(3);
  });

  it("gives a new array each time, not the one it keeps appending to", () => {
    const rows = new RemoteRows();
    rows.add([row("a")]);
    const first = rows.snapshot();
    rows.add([row("b")]);
    expect(first.map((r) => r.remote_id)).toEqual(["a"]);
    expect(rows.snapshot()).not.toBe(first);
  });
});

describe("shouldPublish", () => {
  it("shows the first and last pages at once, the others at most every interval", () => {
    expect(shouldPublish(true, false, 0, 400)).toBe(true);
    expect(shouldPublish(false, true, 0, 400)).toBe(true);
    expect(shouldPublish(false, false, 100, 400)).toBe(false);
    expect(shouldPublish(false, false, 400, 400)).toBe(true);
  });
});
