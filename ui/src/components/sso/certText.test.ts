import { describe, expect, it } from "vitest";
import { certSummary, fingerprint } from "./certText";

describe("certificate text", () => {
  it("groups a fingerprint in byte pairs", () => {
    expect(fingerprint("ab12cd")).toBe("ab:12:cd");
  });
  it("says when a certificate expired", () => {
    const c = {
      subject: "CN=x", issuer: "CN=x", serial: "01", not_before: "2020-01-01T00:00:00Z",
      not_after: "2021-01-01T00:00:00Z", sha256: "00", key: { type: "RSA", bits: 2048 }, expired: true, days_left: -3,
    };
    expect(certSummary(c)).toMatch(/RSA 2048 .* \(expired\)/);
    expect(certSummary({ ...c, expired: false, days_left: 12 })).toMatch(/12 days left/);
  });
});
