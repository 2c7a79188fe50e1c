import { describe, expect, it } from "vitest";
import { addResults, differenceLines, emptyResult, outcomeOfOne, outcomesOfMany, resultText, selectionFacts, shouldRefresh } from "./importLogic";
import type { RemoteRow } from "../../bindings";

describe("import outcomes", () => {
  it("reads what importing one user did", () => {
    expect(outcomeOfOne({ ...emptyResult(), created: 1 })).toEqual({ kind: "created", unmanaged: false });
    expect(outcomeOfOne({ ...emptyResult(), linked: 1 })).toEqual({ kind: "linked", unmanaged: false });
    expect(outcomeOfOne({ ...emptyResult(), updated: 1, not_in_scope: 1 })).toEqual({ kind: "updated", unmanaged: true });
    expect(outcomeOfOne({ ...emptyResult(), errors: [{ line: 0, email: "a@x.com", message: "bad" }] })).toEqual({ kind: "refused", message: "bad" });
    expect(outcomeOfOne({ ...emptyResult(), not_found: ["a@x.com"] })).toEqual({ kind: "not_found" });
  });

  it("names only the refused and missing rows of a large import, whatever their case", () => {
    const r = { ...emptyResult(), created: 1, not_found: ["b@x.com"], errors: [{ line: 0, email: "C@x.com", message: "no" }] };
    expect(outcomesOfMany(["A@x.com", "b@x.com", "c@x.com"], r)).toEqual({
      "b@x.com": { kind: "not_found" },
      "c@x.com": { kind: "refused", message: "no" },
    });
  });

  it("adds results and says them in words", () => {
    const sum = addResults({ ...emptyResult(), created: 2 }, { ...emptyResult(), linked: 1, errors: [{ line: 0, email: "x", message: "m" }] });
    expect(resultText(sum)).toBe("2 created, 0 updated, 1 linked, 1 refused");
  });

  it("shows a difference as directory → target", () => {
    const row = { differences: [{ attribute: "title", before: "Analyst", after: "Lead" }] } as RemoteRow;
    expect(differenceLines(row)).toEqual(["title: directory: Analyst → Salesforce: Lead"]);
  });
});

describe("shouldRefresh", () => {
  it("refreshes after the first and last calls at once, the others at most every interval", () => {
    expect(shouldRefresh(true, false, 0, 1000)).toBe(true);
    expect(shouldRefresh(false, true, 0, 1000)).toBe(true);
    expect(shouldRefresh(false, false, 300, 1000)).toBe(false);
    expect(shouldRefresh(false, false, 1000, 1000)).toBe(true);
  });
});

describe("selectionFacts", () => {
  const every = { ids: ["a", "b", "c", "d"], usernames: ["a@x", "b@x", "c@x", "d@x"], active: [true, false, true, false] };
  it("takes a selection of every id as the answer gives it", () => {
    const r = selectionFacts(["a", "b", "c", "d"], new Map(), every);
    expect(r.usernames).toBe(every.usernames);
    expect(r.inactive).toBe(2);
  });
  it("looks each id up among the rows shown, then in the answer; unknown ids are left out", () => {
    const shown = new Map([["z", { username: "z@x", active: false }]]);
    expect(selectionFacts(["z", "c", "d", "q"], shown, every)).toEqual({ usernames: ["z@x", "c@x", "d@x"], inactive: 2 });
    expect(selectionFacts(["z"], shown, null)).toEqual({ usernames: ["z@x"], inactive: 1 });
  });
});
