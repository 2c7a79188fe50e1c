import { describe, expect, it } from "vitest";
import type { PlannedUser, SyncReport } from "../bindings";
import { formatSeconds, heldUsers, planCounts, progressText } from "./planCounts";

const user = (action: PlannedUser["action"], held = false): PlannedUser => ({
  user_id: action, user_name: `${action}@x.com`, action, remote_id: null, changes: [], body: null, held, warning: null, replaces: null,
});
const report = (users: PlannedUser[]): SyncReport => ({
  summary: {
    run_id: "r", dry_run: true, planned: users.length, created: 0, updated: 0, deactivated: 0, deleted: 0, linked: 0,
    groups_updated: 0, held: 0, failed: 0, requests: 0, seconds: null, message: "",
  },
  users,
  groups: [{ group_id: "g", name: "G", action: "update", remote_id: "1", add: [], remove: [], body: null }],
  problems: [],
  held_reason: null,
  failures: [],
});

describe("planCounts", () => {
  it("counts a link-and-update as both a link and an update, and held removals", () => {
    const r = report([user("create"), user("link_and_update"), user("update"), user("deactivate", true), user("link")]);
    expect(planCounts(r)).toEqual({ create: 1, update: 2, deactivate: 1, link: 2, groups: 1, held: 1, problems: 0 });
    expect(heldUsers(r).map((u) => u.user_name)).toEqual(["deactivate@x.com"]);
  });
  it("says the rate and time left when known", () => {
    expect(progressText({ done: 3, total: 10, rate_per_sec: 2.5, eta_secs: 2.8 })).toBe("3 / 10 · 2.5/s · about 3 s left");
    expect(progressText({ done: 0, total: 4, rate_per_sec: null, eta_secs: null })).toBe("0 / 4");
    expect(formatSeconds(125)).toBe("2 min 5 s");
  });
});
