import { describe, expect, it } from "vitest";
import { slugFromLabel } from "./appName";

describe("slugFromLabel", () => {
  it("turns a label into a slug", () => {
    expect(slugFromLabel("Salesforce (Prod)")).toBe("salesforce-prod");
    expect(slugFromLabel("  Équipe Ventes  ")).toBe("equipe-ventes");
    expect(slugFromLabel("---")).toBe("");
  });

  it("keeps a long label's slug short, with no hyphen at the end", () => {
    const long = slugFromLabel("x ".repeat(100));
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/);
  });
});
