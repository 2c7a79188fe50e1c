// Pure helpers behind the manual import: what one row's import did (from the core's
// ImportResult), the sum of several results, what a selection imports, and when a table being
// read is refreshed.
import type { ImportResult, ImportStatus, ListedUsers, RemoteRow } from "../../bindings";

/** Fewer than this many rows: one import per row, each row's result shown as it lands. */
export const ROW_BY_ROW_BELOW = 100;

export const STATUS_LABEL: Record<ImportStatus, string> = { new: "New", imported: "Imported", matches: "Matches" };

/** New first (the seed advises it), then Matches, then Imported. */
export const STATUS_RANK: Record<ImportStatus, number> = { new: 0, matches: 1, imported: 2 };

export type Outcome =
  | { kind: "waiting" }
  | { kind: "running" }
  /** `unmanaged`: in the directory, but in no group bound to the application (so not linked yet). */
  | { kind: "created" | "updated" | "linked"; unmanaged: boolean }
  | { kind: "already" }
  | { kind: "skipped" }
  | { kind: "not_found" }
  | { kind: "refused"; message: string }
  | { kind: "failed"; message: string };

export const OUTCOME_LABEL: Record<Outcome["kind"], string> = {
  waiting: "Waiting",
  running: "Importing…",
  created: "Imported",
  updated: "Imported, took Salesforce's values",
  linked: "Linked",
  already: "Already imported",
  skipped: "Skipped (inactive)",
  not_found: "Not found on the target",
  refused: "Refused",
  failed: "Failed",
};

export const key = (username: string) => username.toLowerCase();

export function emptyResult(): ImportResult {
  return {
    created: 0, updated: 0, linked: 0, already_imported: 0, skipped_inactive: 0, not_found: [], errors: [],
    group: null, group_members_added: 0, not_in_scope: 0,
  };
}

/** Adds `b` into `a` (row-by-row imports report one result per row). */
export function addResults(a: ImportResult, b: ImportResult): ImportResult {
  return {
    created: a.created + b.created,
    updated: a.updated + b.updated,
    linked: a.linked + b.linked,
    already_imported: a.already_imported + b.already_imported,
    skipped_inactive: a.skipped_inactive + b.skipped_inactive,
    not_found: [...a.not_found, ...b.not_found],
    errors: [...a.errors, ...b.errors],
    group: b.group ?? a.group,
    group_members_added: a.group_members_added + b.group_members_added,
    not_in_scope: a.not_in_scope + b.not_in_scope,
  };
}

/** What an import of this one user did, read from the result of importing it alone. */
export function outcomeOfOne(r: ImportResult): Outcome {
  const error = r.errors[0];
  if (error) return { kind: "refused", message: error.message };
  if (r.not_found.length > 0) return { kind: "not_found" };
  if (r.skipped_inactive > 0) return { kind: "skipped" };
  if (r.already_imported > 0) return { kind: "already" };
  const unmanaged = r.not_in_scope > 0;
  if (r.updated > 0) return { kind: "updated", unmanaged };
  if (r.linked > 0) return { kind: "linked", unmanaged };
  if (r.created > 0) return { kind: "created", unmanaged };
  return { kind: "already" };
}

/**
 * Per-row outcomes after one import of many rows: the result names only the refused and the
 * missing rows, so every other row is counted, not labelled one by one.
 */
export function outcomesOf(r: ImportResult): Record<string, Outcome> {
  const out: Record<string, Outcome> = {};
  for (const n of r.not_found) out[key(n)] = { kind: "not_found" };
  for (const e of r.errors) out[key(e.email)] = { kind: "refused", message: e.message };
  return out;
}

/** An outcome in words ("Imported · not managed yet"). */
export function outcomeLabel(o: Outcome): string {
  const base = OUTCOME_LABEL[o.kind];
  return "unmanaged" in o && o.unmanaged ? `${base} · not managed yet` : base;
}

/** The outcome as a token for tests and styles ("created", "created-unmanaged", "refused"). */
export function outcomeToken(o: Outcome): string {
  return "unmanaged" in o && o.unmanaged ? `${o.kind}-unmanaged` : o.kind;
}

/** How many rows the result says went in (created, updated or linked). */
export function goodCount(r: ImportResult): number {
  return r.created + r.updated + r.linked;
}

/** "3 created, 1 updated, 2 linked, 1 refused" — the toast and the summary line. */
export function resultText(r: ImportResult): string {
  const parts = [`${r.created} created`, `${r.updated} updated`, `${r.linked} linked`];
  if (r.already_imported) parts.push(`${r.already_imported} already imported`);
  if (r.skipped_inactive) parts.push(`${r.skipped_inactive} inactive skipped`);
  if (r.not_found.length) parts.push(`${r.not_found.length} not found`);
  parts.push(`${r.errors.length} refused`);
  return parts.join(", ");
}

export type ShowFilter = "all" | "new-first" | "new" | "matches" | "imported";
export type ActiveFilter = "" | "active" | "inactive";

/**
 * Whether to ask for the rows in view again while a listing is read: after the first call and
 * the last at once, and in between at most every `everyMs`.
 */
export function shouldRefresh(first: boolean, last: boolean, sinceLastMs: number, everyMs: number): boolean {
  return first || last || sinceLastMs >= everyMs;
}

/** "directory: X → Salesforce: Y" for each attribute a Matches row differs in. */
export function differenceLines(r: RemoteRow, target = "Salesforce"): string[] {
  return r.differences.map((d) => `${d.attribute}: directory: ${d.before || "(empty)"} → ${target}: ${d.after || "(empty)"}`);
}

/**
 * Which users an import takes: every listed one, a few by username (imported one at a time,
 * each result shown as it lands), or the table's selection by position in its listing.
 */
export type ImportSelection =
  | { kind: "all" }
  | { kind: "rows"; usernames: string[] }
  | { kind: "listed"; listed: ListedUsers };

/**
 * What an import of the selected `positions` sends: every user when the selection is the whole
 * listing (and large), the usernames of a few rows the table has shown, else the positions.
 */
export function importSelection(
  positions: readonly number[],
  usernameAt: ReadonlyMap<number, string>,
  listing: number,
  wholeListing: boolean,
): ImportSelection {
  if (wholeListing && positions.length >= ROW_BY_ROW_BELOW) return { kind: "all" };
  if (positions.length < ROW_BY_ROW_BELOW) {
    const usernames = positions.map((p) => usernameAt.get(p));
    if (usernames.every((u): u is string => u !== undefined)) return { kind: "rows", usernames };
  }
  return { kind: "listed", listed: { listing, positions: [...positions] } };
}
