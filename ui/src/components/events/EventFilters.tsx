import { useQuery } from "@tanstack/react-query";
import type { EventFilter } from "../../bindings";
import { appsQuery } from "../../lib/queries";
import { EVENT_NAMES, OUTCOME_LABEL, OUTCOMES, isEventName, isOutcome } from "./eventNames";

type Props = { filter: EventFilter; onChange: (f: EventFilter) => void };

/** datetime-local value ↔ RFC 3339 (the core compares times in UTC). */
const toLocalInput = (iso: string | null | undefined) => {
  if (!iso) return "";
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

export function EventFilters({ filter, onChange }: Props) {
  const apps = useQuery(appsQuery);
  const set = (patch: Partial<EventFilter>) => onChange({ ...filter, ...patch });
  return (
    <div className="toolbar" role="search" aria-label="Filter events">
      <input
        type="search"
        className="search"
        placeholder="Search detail, target, code…"
        aria-label="Search events"
        value={filter.text ?? ""}
        onChange={(e) => set({ text: e.target.value || null })}
        data-testid="events-text"
      />
      <select aria-label="Application" value={filter.app_name ?? ""} onChange={(e) => set({ app_name: e.target.value || null })} data-testid="events-app">
        <option value="">All applications</option>
        {apps.data?.map((a) => (
          <option key={a.id} value={a.name}>
            {a.label}
          </option>
        ))}
      </select>
      <select
        aria-label="Event name"
        value={filter.name ?? ""}
        onChange={(e) => set({ name: isEventName(e.target.value) ? e.target.value : null })}
        data-testid="events-name"
      >
        <option value="">All events</option>
        {EVENT_NAMES.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
      <select
        aria-label="Outcome"
        value={filter.outcome ?? ""}
        onChange={(e) => set({ outcome: isOutcome(e.target.value) ? e.target.value : null })}
        data-testid="events-outcome"
      >
        <option value="">Any outcome</option>
        {OUTCOMES.map((o) => (
          <option key={o} value={o}>
            {OUTCOME_LABEL[o]}
          </option>
        ))}
      </select>
      <label className="inline-label">
        Since
        <input
          type="datetime-local"
          value={toLocalInput(filter.since)}
          onChange={(e) => set({ since: e.target.value ? new Date(e.target.value).toISOString() : null })}
          data-testid="events-since"
        />
      </label>
    </div>
  );
}
