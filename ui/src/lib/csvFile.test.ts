import { describe, expect, it } from "vitest";
import { csvFileProblem } from "./csvFile";

describe("csvFileProblem", () => {
  it("refuses an empty or oversized file before reading it", () => {
    expect(csvFileProblem({ name: "big.csv", size: 60 * 1024 * 1024 })).toMatch(/limit is 50 MB/);
    expect(csvFileProblem({ name: "e.csv", size: 0 })).toMatch(/empty/);
    expect(csvFileProblem({ name: "ok.csv", size: 10 })).toBeNull();
  });
});
