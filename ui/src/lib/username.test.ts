import { describe, expect, it } from "vitest";
import { csvFileProblem, groupNameProblem, lengthProblem, usernameProblem, usernameTaken } from "./username";

describe("usernameProblem", () => {
  it("accepts what the core accepts", () => {
    for (const ok of ["ada@example.com", "Ada.Lovelace@Example.COM", "a+b@sub.example.co.uk", "o'brien@example.org", " x@example.com "]) {
      expect(usernameProblem(ok), ok).toBeNull();
    }
  });

  it("explains each kind of mistake", () => {
    expect(usernameProblem("")).toMatch(/username/);
    expect(usernameProblem("ada")).toMatch(/needs an @/);
    expect(usernameProblem("a@b@example.com")).toMatch(/exactly one @/);
    expect(usernameProblem("ada lovelace@example.com")).toMatch(/Spaces/);
    expect(usernameProblem("adé@example.com")).toMatch(/ASCII/);
    expect(usernameProblem("@example.com")).toMatch(/before the @/);
    expect(usernameProblem("ada@")).toMatch(/domain must follow/);
    expect(usernameProblem("ada@localhost")).toMatch(/needs a dot/);
    expect(usernameProblem("ada@example..com")).toMatch(/empty part/);
    expect(usernameProblem("ada(x)@example.com")).toMatch(/not allowed before/);
    expect(usernameProblem("ada@example.c0m")).toMatch(/end in letters/);
    expect(usernameProblem(`${"a".repeat(70)}@example.com`)).toMatch(/limit is 80/);
  });
});

describe("usernameTaken", () => {
  const users = [{ id: "1", email: "Ada@Example.com" }];
  it("compares without case and ignores the user being edited", () => {
    expect(usernameTaken("ada@example.COM", users, null)).toBe(true);
    expect(usernameTaken("ada@example.com", users, "1")).toBe(false);
    expect(usernameTaken("grace@example.com", users, null)).toBe(false);
  });
});

describe("other rules", () => {
  it("bounds lengths, group names and CSV files", () => {
    expect(lengthProblem("First name", "x".repeat(41), 40)).toMatch(/at most 40/);
    expect(lengthProblem("First name", "x".repeat(40), 40)).toBeNull();
    expect(groupNameProblem("a;b")).toMatch(/Semicolons/);
    expect(groupNameProblem("  ")).toMatch(/name/);
    expect(groupNameProblem("Sales EMEA")).toBeNull();
    expect(csvFileProblem({ name: "big.csv", size: 60 * 1024 * 1024 })).toMatch(/limit is 50 MB/);
    expect(csvFileProblem({ name: "e.csv", size: 0 })).toMatch(/empty/);
    expect(csvFileProblem({ name: "ok.csv", size: 10 })).toBeNull();
  });
});
