import { describe, expect, it } from "vitest";
import { filterOf, parseEventSearch, searchOf } from "./eventSearch";

describe("the Events page's address", () => {
  it("keeps known values and drops unknown ones", () => {
    expect(parseEventSearch({ app: "acme", name: "user_create_provision", outcome: "failed", text: "dup", run: "r1" })).toEqual({
      app: "acme",
      name: "user_create_provision",
      outcome: "failed",
      text: "dup",
      run: "r1",
    });
    expect(parseEventSearch({ name: "no_such_event", outcome: "maybe", since: "yesterday", app: 3, text: "" })).toEqual({});
    expect(parseEventSearch({ name: "constructor", outcome: "toString" })).toEqual({});
    expect(parseEventSearch({ since: "2026-11-01" })).toEqual({ since: "2026-11-01T00:00:00.000Z" });
  });

  it("round-trips a filter through the address", () => {
    const f = { app_name: "acme", name: null, outcome: "warning" as const, since: "2026-11-27T00:00:00.000Z", run_id: null, text: "x" };
    expect(filterOf(searchOf(f))).toEqual(f);
    expect(searchOf({})).toEqual({});
  });
});
