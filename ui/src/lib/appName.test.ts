import { describe, expect, it } from "vitest";
import { appNameProblem, slugFromLabel, NAME_MAX } from "./appName";

describe("appNameProblem", () => {
  it("accepts slugs the core accepts", () => {
    for (const ok of ["a", "salesforce", "sf-prod-2", "0org", "a".repeat(NAME_MAX)]) {
      expect(appNameProblem(ok), ok).toBeNull();
    }
  });

  it("explains each kind of mistake", () => {
    expect(appNameProblem("")).toMatch(/name/);
    expect(appNameProblem("Sales")).toMatch(/lowercase/);
    expect(appNameProblem("sales force")).toMatch(/Spaces/);
    expect(appNameProblem("sales_force")).toMatch(/hyphens/);
    expect(appNameProblem("-sf")).toMatch(/Start and end/);
    expect(appNameProblem("sf-")).toMatch(/Start and end/);
    expect(appNameProblem("a".repeat(NAME_MAX + 1))).toMatch(/limit/);
  });
});

describe("slugFromLabel", () => {
  it("turns a label into a valid name", () => {
    expect(slugFromLabel("Salesforce (Prod)")).toBe("salesforce-prod");
    expect(slugFromLabel("  Équipe Ventes  ")).toBe("equipe-ventes");
    const long = slugFromLabel("x ".repeat(100));
    expect(appNameProblem(long)).toBeNull();
  });
});
