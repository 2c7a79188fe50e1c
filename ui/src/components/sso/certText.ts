import type { CertInfo } from "../../bindings";

export function certSummary(c: CertInfo): string {
  const expiry = new Date(c.not_after).toLocaleDateString();
  const state = c.expired ? "expired" : `${c.days_left} days left`;
  return `${c.subject} · ${c.key.type} ${c.key.bits} · expires ${expiry} (${state})`;
}

/** "ab12cd…" → "ab:12:cd:…" for reading a fingerprint aloud. */
export function fingerprint(hex: string): string {
  return hex.match(/.{1,2}/g)?.join(":") ?? hex;
}
