import { describe, expect, it } from "vitest";
import { clickSelection, filterIndexes, searchMatcher, sortIndexes } from "./tableLogic";

const rows = [
  { name: "carol", n: 2 },
  { name: "alice", n: 3 },
  { name: "bob", n: 2 },
];

describe("sortIndexes", () => {
  it("sorts by keys, descending, then by a second key, stably", () => {
    expect(sortIndexes(rows, [{ key: (r) => r.name, desc: false }])).toEqual([1, 2, 0]);
    expect(sortIndexes(rows, [{ key: (r) => r.name, desc: true }])).toEqual([0, 2, 1]);
    expect(
      sortIndexes(rows, [
        { key: (r) => r.n, desc: false },
        { key: (r) => r.name, desc: false },
      ]),
    ).toEqual([2, 0, 1]);
    // Ties keep the data order.
    expect(sortIndexes(rows, [{ key: (r) => r.n, desc: false }])).toEqual([0, 2, 1]);
    expect(sortIndexes(rows, [])).toEqual([0, 1, 2]);
  });
});

describe("searchMatcher and filterIndexes", () => {
  it("needs every term, ignoring case, and keeps the sorted order", () => {
    const texts = ["ada lovelace engineering", "grace hopper navy", "alan turing engineering"];
    const m = searchMatcher("  ENGINEERING   a")!;
    expect(filterIndexes([2, 1, 0], [(i) => m(texts[i]!)])).toEqual([2, 0]);
    expect(searchMatcher("   ")).toBeNull();
    expect(filterIndexes([0, 1], [])).toEqual([0, 1]);
  });
});

describe("clickSelection", () => {
  const ids = ["a", "b", "c", "d", "e"];
  it("plain click selects one row and sets the anchor", () => {
    expect(clickSelection(ids, { a: true }, null, "c", { shift: false, toggle: false })).toEqual({
      selection: { c: true },
      anchor: "c",
    });
  });
  it("shift-click selects the range from the anchor, either direction", () => {
    expect(clickSelection(ids, { b: true }, "b", "d", { shift: true, toggle: false }).selection).toEqual({
      b: true,
      c: true,
      d: true,
    });
    expect(Object.keys(clickSelection(ids, {}, "d", "a", { shift: true, toggle: false }).selection)).toEqual([
      "a",
      "b",
      "c",
      "d",
    ]);
  });
  it("ctrl-click toggles without losing the rest; ctrl+shift adds a range", () => {
    expect(clickSelection(ids, { a: true, b: true }, "a", "b", { shift: false, toggle: true }).selection).toEqual({
      a: true,
    });
    expect(clickSelection(ids, { a: true }, "c", "e", { shift: true, toggle: true }).selection).toEqual({
      a: true,
      c: true,
      d: true,
      e: true,
    });
  });
  it("shift without an anchor acts as a plain click", () => {
    expect(clickSelection(ids, {}, null, "b", { shift: true, toggle: false }).selection).toEqual({ b: true });
  });
});
