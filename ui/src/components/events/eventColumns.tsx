// The Events table's columns.
import { createColumnHelper } from "@tanstack/react-table";
import type { Event } from "../../bindings";
import { OUTCOME_LABEL } from "./eventNames";
import { formatEventTime } from "./eventTime";

const col = createColumnHelper<Event>();

export function eventColumns(onOpen: (e: Event) => void) {
  return [
    col.accessor("at", {
      header: "Time",
      meta: { width: "180px" },
      cell: (c) => formatEventTime(c.getValue()),
    }),
    col.accessor("outcome", {
      header: "Outcome",
      meta: { width: "100px" },
      cell: (c) => <span className={`badge outcome-${c.getValue()}`}>{OUTCOME_LABEL[c.getValue()]}</span>,
    }),
    col.accessor("name", {
      header: "Event",
      meta: { width: "minmax(200px, 1.3fr)" },
      cell: (c) => (
        <button type="button" className="link" onClick={() => onOpen(c.row.original)} data-testid={`open-event-${c.row.original.id}`}>
          <code>{c.getValue()}</code>
        </button>
      ),
    }),
    col.accessor("app_name", { header: "Application", meta: { width: "130px" }, cell: (c) => c.getValue() ?? "—" }),
    col.accessor("target", { header: "Target", meta: { width: "minmax(160px, 1fr)" }, cell: (c) => c.getValue() ?? "—" }),
    col.accessor("detail", {
      header: "Detail",
      meta: { width: "minmax(220px, 2fr)" },
      cell: (c) => <span title={c.getValue()}>{c.getValue()}</span>,
    }),
  ];
}
