// The Events page's filters live in its address (/events?app=…&outcome=failed…), so a filtered
// view can be linked to (the setup checklist's event-log step, a failure notification) and
// survives a reload. The address is read leniently: an unknown value is dropped, not an error.
import type { EventFilter } from "../../bindings";
import { isEventName, isOutcome } from "./eventNames";

export type EventSearch = {
  app?: string;
  name?: string;
  outcome?: string;
  since?: string;
  text?: string;
  run?: string;
};

const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);

/** The route's validateSearch: keeps the known keys with usable values. */
export function parseEventSearch(raw: Record<string, unknown>): EventSearch {
  const out: EventSearch = {};
  const app = str(raw.app);
  const name = str(raw.name);
  const outcome = str(raw.outcome);
  const since = str(raw.since);
  const text = str(raw.text);
  const run = str(raw.run);
  if (app) out.app = app;
  if (name && isEventName(name)) out.name = name;
  if (outcome && isOutcome(outcome)) out.outcome = outcome;
  // Kept as RFC 3339 (what the core reads): `since=2026-11-01` becomes 2026-11-01T00:00:00.000Z.
  if (since && !Number.isNaN(Date.parse(since))) out.since = new Date(since).toISOString();
  if (text) out.text = text;
  if (run) out.run = run;
  return out;
}

/** What the core is asked for. */
export function filterOf(s: EventSearch): EventFilter {
  return {
    app_name: s.app ?? null,
    name: s.name && isEventName(s.name) ? s.name : null,
    outcome: s.outcome && isOutcome(s.outcome) ? s.outcome : null,
    since: s.since ?? null,
    run_id: s.run ?? null,
    text: s.text ?? null,
  };
}

/** The address for a filter (empty values left out). */
export function searchOf(f: EventFilter): EventSearch {
  return parseEventSearch({ app: f.app_name, name: f.name, outcome: f.outcome, since: f.since, text: f.text, run: f.run_id });
}
