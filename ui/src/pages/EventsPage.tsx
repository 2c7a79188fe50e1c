// Every attempt Lanyard made (SAML and provisioning), newest first, filtered by the core, kept
// current while the page is open, with a detail drawer and export of what the filters show. The
// filters are kept in the address.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { useCallback, useMemo, useState } from "react";
import { commands, type Event, type EventFilter, type ExportFormat } from "../bindings";
import { EmptyState } from "../components/EmptyState";
import { DataTable } from "../components/DataTable";
import { EventDrawer } from "../components/events/EventDrawer";
import { EventFilters } from "../components/events/EventFilters";
import { eventColumns } from "../components/events/eventColumns";
import { filterOf, searchOf } from "../components/events/eventSearch";
import { messageOf, unwrap } from "../lib/ipc";
import { notify } from "../lib/notify";
import { keys } from "../lib/queries";
import { useDataTable } from "../lib/useDataTable";

/** The newest this many are listed first; scrolling near the end (or "Show older") adds as many
 * again. A small first page keeps a filter change quick on a large event log: the table shows
 * about fifteen rows, and every row asked for crosses IPC and is laid out. */
export const EVENT_PAGE = 200;
/** Rows from the end of the list at which scrolling asks for older events. */
const LOAD_AHEAD = 40;
/** The most the page lists, and what an export holds (the core's own cap). */
export const EVENT_MAX = 100_000;
const LIVE_MS = 3000;
const rowId = (e: Event) => String(e.id);

export function EventsPage() {
  // The filters are the address's search part: a filtered view can be linked to and is reloaded.
  const search = useSearch({ from: "/events" });
  const navigate = useNavigate({ from: "/events" });
  const filter = filterOf(search);
  // How many are listed, for these filters: other filters start from the first page again.
  const filterKey = JSON.stringify(filter);
  const [paging, setPaging] = useState({ filterKey, limit: EVENT_PAGE });
  const limit = paging.filterKey === filterKey ? paging.limit : EVENT_PAGE;
  const setLimit = (next: (l: number) => number) => setPaging({ filterKey, limit: next(limit) });
  const setFilter = (f: EventFilter) => void navigate({ search: searchOf(f), replace: true });
  const query: EventFilter = { ...filter, text: filter.text?.trim() || null, limit };
  const events = useQuery({
    queryKey: keys.eventQuery(query),
    queryFn: () => unwrap(commands.queryEvents(query)),
    refetchInterval: LIVE_MS,
    placeholderData: keepPreviousData,
  });
  const [open, setOpen] = useState<Event | null>(null);
  const columns = useMemo(() => eventColumns(setOpen), []);
  const rows = events.data ?? [];
  const dt = useDataTable<Event>({ data: rows, columns, getRowId: rowId });
  // Scrolling near the end of a full page asks for the next one (the rows on screen stay).
  const more = rows.length >= limit && limit < EVENT_MAX;
  // Not while the previous filter's rows stand in for this one's.
  const settled = !events.isFetching && !events.isPlaceholderData;
  const showRange = useCallback(
    (_first: number, last: number) => {
      if (more && settled && last >= rows.length - LOAD_AHEAD) setPaging({ filterKey, limit: Math.min(limit + EVENT_PAGE, EVENT_MAX) });
    },
    [more, settled, rows.length, filterKey, limit],
  );
  const filtered = Object.values(filter).some((v) => v !== null && v !== undefined && v !== "");

  const exportAs = async (format: ExportFormat) => {
    try {
      const path = await unwrap(commands.exportEvents({ ...query, limit: EVENT_MAX }, format));
      if (path) notify.ok(`Exported the events these filters show (up to ${EVENT_MAX.toLocaleString()}) to ${path}.`, "events-notice");
    } catch (e) {
      notify.error(e, "events-notice");
    }
  };

  return (
    <section>
      <header className="page-header">
        <h1>Events</h1>
        <div className="actions">
          <button type="button" onClick={() => void exportAs("csv")} disabled={rows.length === 0} data-testid="events-export-csv">
            Export CSV
          </button>
          <button type="button" onClick={() => void exportAs("json")} disabled={rows.length === 0} data-testid="events-export-json">
            Export JSON
          </button>
        </div>
      </header>
      <EventFilters filter={filter} onChange={setFilter} />
      {events.isError && (
        <div className="card" role="alert" data-testid="events-error">
          <p className="error-text">{messageOf(events.error)}</p>
          <button type="button" onClick={() => void events.refetch()}>
            Try again
          </button>
        </div>
      )}
      {events.isPending && (
        <p className="muted" aria-busy="true">
          Loading events…
        </p>
      )}
      {events.data && events.data.length === 0 && !filtered && (
        <EmptyState title="No events yet">
          <p>Every single sign-on and provisioning attempt is listed here with its outcome, newest first.</p>
        </EmptyState>
      )}
      {events.data && (events.data.length > 0 || filtered) && (
        <>
          <p className="muted" role="status" data-testid="events-count" data-for={events.isPlaceholderData ? "" : JSON.stringify(query)}>
            {rows.length.toLocaleString()} event(s){rows.length >= limit && ` (the newest ${limit.toLocaleString()})`} · updates every few seconds
          </p>
          <DataTable
            dt={dt}
            label="Events"
            testId="events-table"
            getRowId={rowId}
            onOpen={setOpen}
            noMatch="No event matches these filters."
            height="62vh"
            onRange={showRange}
          />
          {more && (
            <button type="button" onClick={() => setLimit((l) => Math.min(l + EVENT_PAGE, EVENT_MAX))} data-testid="events-more">
              Show {EVENT_PAGE.toLocaleString()} older
            </button>
          )}
        </>
      )}
      <EventDrawer event={open} onClose={() => setOpen(null)} />
    </section>
  );
}
