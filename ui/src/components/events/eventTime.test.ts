import { describe, expect, it } from "vitest";
import { formatEventTime } from "./eventTime";

describe("an event's time", () => {
  it("reads as Date's toLocaleString does", () => {
    for (const iso of ["2026-12-04T21:00:00.123456Z", "2026-01-31T00:00:59Z", "1999-07-04T12:30:00+02:00"]) {
      expect(formatEventTime(iso)).toBe(new Date(iso).toLocaleString());
    }
  });
});
