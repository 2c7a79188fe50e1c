import { describe, expect, it } from "vitest";
import { addResults, differenceLines, emptyResult, outcomeOfOne, outcomesOf, resultText, importSelection, shouldRefresh } from "./importLogic";
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
    expect(outcomesOf(r)).toEqual({
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

describe("importSelection", () => {
  const names = new Map([[3, "c@x"], [9, "i@x"]]);
  it("sends every user for the whole listing, a few shown rows by username, else the positions", () => {
    const many = Array.from({ length: 150 }, (_, i) => i);
    expect(importSelection(many, names, 7, true)).toEqual({ kind: "all" });
    expect(importSelection(many, names, 7, false)).toEqual({ kind: "listed", listed: { listing: 7, positions: many } });
    expect(importSelection([9, 3], names, 7, false)).toEqual({ kind: "rows", usernames: ["i@x", "c@x"] });
    expect(importSelection([9, 4], names, 7, false)).toEqual({ kind: "listed", listed: { listing: 7, positions: [9, 4] } });
    // A small whole listing: row by row.
    expect(importSelection([3], names, 7, true)).toEqual({ kind: "rows", usernames: ["c@x"] });
  });
});
