// What a sync plan will do, counted from its rows (the same whether dry run or real).
import type { PlannedUser, Progress, SyncReport } from "../bindings";

export type PlanCounts = { create: number; update: number; deactivate: number; link: number; groups: number; held: number; problems: number };

export function planCounts(r: SyncReport): PlanCounts {
  const users = r.users;
  const count = (f: (u: PlannedUser) => boolean) => users.filter(f).length;
  return {
    create: count((u) => u.action === "create"),
    update: count((u) => u.action === "update" || u.action === "link_and_update"),
    deactivate: count((u) => u.action === "deactivate" || u.action === "delete"),
    link: count((u) => u.action === "link" || u.action === "link_and_update"),
    groups: r.groups.filter((g) => g.action !== "missing").length,
    held: count((u) => u.held),
    problems: r.problems.length,
  };
}

/** Users whose removal the deletion guard held. */
export function heldUsers(r: SyncReport): PlannedUser[] {
  return r.users.filter((u) => u.held);
}

/** "3 / 10 · 2.5/s · about 3 s left" for a progress bar. */
export function progressText(p: Progress): string {
  const parts = [`${p.done.toLocaleString()} / ${p.total.toLocaleString()}`];
  if (p.rate_per_sec !== null) parts.push(`${p.rate_per_sec.toFixed(1)}/s`);
  if (p.eta_secs !== null) parts.push(`about ${formatSeconds(p.eta_secs)} left`);
  return parts.join(" · ");
}

export function formatSeconds(s: number): string {
  const whole = Math.max(0, Math.round(s));
  if (whole < 60) return `${whole} s`;
  const m = Math.floor(whole / 60);
  return `${m} min ${whole % 60} s`;
}
