// The manual imports, kept at the window's level (not in the page) so an import goes on while
// the admin works elsewhere: one job per application, its progress, its per-row outcomes and its
// result. A job ends with a toast (and, in the background, a desktop notification raised by the
// shell); the page shows the details when the admin comes back.
import { Channel } from "@tauri-apps/api/core";
import { useSyncExternalStore } from "react";
import { commands, type ImportResult, type Progress } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";
import { notify } from "../../lib/notify";
import { keys } from "../../lib/queries";
import { queryClient } from "../../lib/queryClient";
import { addResults, emptyResult, key, outcomeOfOne, outcomesOf, resultText, type ImportSelection, type Outcome } from "./importLogic";

export type JobOptions = { skip_inactive: boolean; take_values: string[]; group: string | null };

export type Job = {
  id: number;
  app: string;
  appLabel: string;
  /** Which users: every one, a few by username (rows mode), or the table's selection. */
  selection: ImportSelection;
  /** How many users were selected. */
  count: number;
  /** rows: one import per row, each outcome shown as it lands; background: one import with a progress bar. */
  mode: "rows" | "background";
  options: JobOptions;
  state: "running" | "done" | "failed" | "cancelled";
  /** Rows mode: stop after the current row; background: Cancel was asked (nothing is written). */
  stopping: boolean;
  progress: Progress | null;
  /** By lower-cased username; a row with none is waiting. */
  outcomes: Record<string, Outcome>;
  result: ImportResult | null;
  error: string | null;
  startedAt: number;
  finishedAt: number | null;
};

/** A background import's progress shows at most this often. */
const PROGRESS_MS = 250;

let jobs: Record<string, Job> = {};
let nextId = 1;
const listeners = new Set<() => void>();

function set(app: string, change: (j: Job) => Job) {
  const current = jobs[app];
  if (!current) return;
  jobs = { ...jobs, [app]: change(current) };
  listeners.forEach((l) => l());
}

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useImportJob(app: string): Job | null {
  return useSyncExternalStore(subscribe, () => jobs[app] ?? null);
}

export function useImportJobs(): Record<string, Job> {
  return useSyncExternalStore(subscribe, () => jobs);
}

export function isRunning(app: string): boolean {
  return jobs[app]?.state === "running";
}

/** Forgets a finished job (the page's "Done" / starting over). */
export function dismissJob(app: string) {
  if (jobs[app]?.state === "running") return;
  const { [app]: _gone, ...rest } = jobs;
  jobs = rest;
  listeners.forEach((l) => l());
}

/** Rows mode only: stops after the row being imported (the rows done so far stay imported). */
export function stopJob(app: string) {
  set(app, (j) => (j.mode === "rows" && j.state === "running" ? { ...j, stopping: true } : j));
}

/** Background mode: cancels the import; it is one transaction, so nothing of it is written. */
export function cancelJob(app: string) {
  const job = jobs[app];
  if (!job || job.mode !== "background" || job.state !== "running" || job.stopping) return;
  set(app, (j) => ({ ...j, stopping: true }));
  void commands.importCancel(app);
}

type Start = { app: string; appLabel: string; selection: ImportSelection; count: number; options: JobOptions };

/** Starts an import (refused while one runs for the app); returns false when one already runs. */
export function startImport({ app, appLabel, selection, count, options }: Start): boolean {
  if (isRunning(app)) return false;
  const mode = selection.kind === "rows" ? "rows" : "background";
  const job: Job = {
    id: nextId++, app, appLabel, selection, count, mode, options, state: "running", stopping: false, progress: null,
    // A row without an outcome is waiting (not one object per row: 50,000 on a large import).
    outcomes: {},
    result: null, error: null, startedAt: Date.now(), finishedAt: null,
  };
  jobs = { ...jobs, [app]: job };
  listeners.forEach((l) => l());
  void (mode === "rows" ? runRows(job) : runBackground(job));
  return true;
}

async function runRows(job: Job) {
  const { app, options } = job;
  const usernames = job.selection.kind === "rows" ? job.selection.usernames : [];
  let total = emptyResult();
  let error: string | null = null;
  for (const [i, username] of usernames.entries()) {
    if (jobs[app]?.stopping) break;
    const k = key(username);
    set(app, (j) => ({ ...j, outcomes: { ...j.outcomes, [k]: { kind: "running" } }, progress: { done: i, total: usernames.length, rate_per_sec: null, eta_secs: null } }));
    try {
      const r = await unwrap(
        commands.importUsers(
          app,
          {
            usernames: [username],
            listed: null,
            skip_inactive: options.skip_inactive,
            take_values: options.take_values.filter((t) => key(t) === k),
            group: options.group,
          },
          false,
          new Channel<Progress>(),
        ),
      );
      total = addResults(total, r);
      set(app, (j) => ({ ...j, result: total, outcomes: { ...j.outcomes, [k]: outcomeOfOne(r) } }));
    } catch (e) {
      // The target or the store failed (not this row's data): the remaining rows are not tried.
      error = messageOf(e);
      set(app, (j) => ({ ...j, outcomes: { ...j.outcomes, [k]: { kind: "failed", message: error ?? "" } } }));
      break;
    }
  }
  finish(app, total, error);
}

async function runBackground(job: Job) {
  const { app, options } = job;
  const channel = new Channel<Progress>();
  // Each showing re-renders the import page with its table: a few a second are enough for a
  // progress bar (the core reports every 1,000 users written), and the last one always shows.
  let shownAt = 0;
  channel.onmessage = (p) => {
    const now = Date.now();
    if (now - shownAt < PROGRESS_MS && p.done < p.total) return;
    shownAt = now;
    set(app, (j) => ({ ...j, progress: p }));
  };
  try {
    const listed = job.selection.kind === "listed" ? job.selection.listed : null;
    const r = await unwrap(commands.importUsers(app, { usernames: null, listed, ...options }, true, channel));
    set(app, (j) => ({ ...j, outcomes: { ...j.outcomes, ...outcomesOf(r) } }));
    finish(app, r, null);
  } catch (e) {
    finish(app, null, messageOf(e));
  }
}

function finish(app: string, result: ImportResult | null, error: string | null) {
  const job = jobs[app];
  if (!job) return;
  const cancelled = error !== null && job.mode === "background" && job.stopping;
  const state = cancelled ? "cancelled" : error ? "failed" : "done";
  set(app, (j) => ({ ...j, state, result: result ?? j.result, error, finishedAt: Date.now() }));
  void queryClient.invalidateQueries({ queryKey: keys.directory });
  void queryClient.invalidateQueries({ queryKey: keys.scim });
  void queryClient.invalidateQueries({ queryKey: keys.events });
  // The core's listing has the statuses the import left (New → Imported…): the rows in view again.
  void queryClient.invalidateQueries({ queryKey: keys.importRows(app) });
  if (cancelled) {
    notify.info(`The import into ${job.appLabel} was cancelled: nothing was written.`, "toast-import-cancelled");
  } else if (error) {
    notify.error(`The import into ${job.appLabel} stopped: ${error}`, "toast-import-error");
  } else if (result) {
    const stopped = job.mode === "rows" && jobs[app]?.stopping ? " (stopped)" : "";
    const scope = result.not_in_scope > 0 ? ` ${result.not_in_scope} not managed yet: add them to a group bound to ${job.appLabel}.` : "";
    notify.ok(`Import into ${job.appLabel} finished${stopped}: ${resultText(result)}.${scope}`, "toast-import");
  }
}
