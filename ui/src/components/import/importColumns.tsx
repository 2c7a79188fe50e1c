// The import table's columns. The status cell shows New / Imported / Matches (with the
// differences and the "take Salesforce's values" choice for a Matches row), or, once an import
// ran, what it did to the row. The core sorts and filters (the column ids are its sort keys): a
// sortKey marks a column sortable.
import { createColumnHelper } from "@tanstack/react-table";
import { createContext, useContext } from "react";
import type { RemoteRow } from "../../bindings";
import { STATUS_LABEL, STATUS_RANK, differenceLines, key, outcomeLabel, outcomeToken, type Outcome } from "./importLogic";

/** A row and its position in the core's listing (what the selection holds: 50,000 small numbers). */
export type ListedRow = RemoteRow & { position: number };

export type RowContext = {
  outcomes: Record<string, Outcome>;
  /** By lower-cased username (the row's position as the value). */
  takeValues: ReadonlyMap<string, number>;
  toggleTake: (row: ListedRow) => void;
  openDiff: string | null;
  setOpenDiff: (row: ListedRow | null) => void;
  targetName: string;
};

export const ImportRowContext = createContext<RowContext>({
  outcomes: {},
  takeValues: new Map(),
  toggleTake: () => undefined,
  openDiff: null,
  setOpenDiff: () => undefined,
  targetName: "Salesforce",
});

const col = createColumnHelper<ListedRow>();
const lower = (s: string) => s.toLowerCase();

export const OUTCOME_TONE: Record<Outcome["kind"], string> = {
  waiting: "idle", running: "idle", created: "active", updated: "active", linked: "active", already: "idle",
  skipped: "idle", not_found: "suspended", refused: "suspended", failed: "suspended",
};

function StatusCell({ row }: { row: ListedRow }) {
  const ctx = useContext(ImportRowContext);
  const outcome = ctx.outcomes[key(row.username)];
  if (outcome && outcome.kind !== "waiting") {
    const message = "message" in outcome ? outcome.message : undefined;
    return (
      <span className={`badge outcome ${OUTCOME_TONE[outcome.kind]}`} title={message} data-testid={`outcome-${row.remote_id}`} data-outcome={outcomeToken(outcome)}>
        {outcomeLabel(outcome)}
      </span>
    );
  }
  if (row.status !== "matches") {
    return <span className={`badge import-${row.status}`} data-testid={`status-${row.remote_id}`}>{STATUS_LABEL[row.status]}</span>;
  }
  const lines = differenceLines(row, ctx.targetName);
  const open = ctx.openDiff === row.remote_id;
  const take = ctx.takeValues.has(key(row.username));
  return (
    <span className="status-matches">
      <button
        type="button"
        className="badge import-matches"
        title={lines.length ? lines.join("\n") : "Same values in the directory and on the target"}
        aria-expanded={open}
        aria-label={`Matches, ${lines.length} difference(s): show them`}
        onClick={() => ctx.setOpenDiff(open ? null : row)}
        data-testid={`status-${row.remote_id}`}
      >
        Matches{lines.length ? ` · ${lines.length}≠` : ""}
      </button>
      <label className="take" onClick={(e) => e.stopPropagation()} title={`Take ${ctx.targetName}'s values for this user (else only linked)`}>
        <input
          type="checkbox"
          checked={take}
          onChange={() => ctx.toggleTake(row)}
          aria-label={`Take ${ctx.targetName}'s values for ${row.username}`}
          data-testid={`take-${row.remote_id}`}
        />
        take
      </label>
    </span>
  );
}

export function importColumns() {
  return [
    col.accessor("username", {
      header: "Username",
      meta: { sortKey: (r) => lower(r.username), width: "minmax(170px, 2fr)" },
      cell: (c) => <span title={c.getValue()}>{c.getValue()}</span>,
    }),
    col.accessor("name", { header: "Name", meta: { sortKey: (r) => lower(r.name), width: "minmax(110px, 1.3fr)" } }),
    col.accessor("email", {
      header: "Email",
      meta: { sortKey: (r) => lower(r.email), width: "minmax(140px, 1.6fr)" },
      cell: (c) => <span title={c.getValue()}>{c.getValue()}</span>,
    }),
    col.accessor("active", {
      header: "Active",
      meta: {
        sortKey: (r) => (r.active ? 0 : 1),
        width: "64px",
      },
      cell: (c) => (c.getValue() ? "Yes" : <span className="badge suspended">No</span>),
    }),
    col.accessor((r) => r.profile ?? "", {
      id: "profile",
      header: "Profile",
      meta: { sortKey: (r) => lower(r.profile ?? ""), width: "minmax(90px, 1fr)" },
    }),
    col.accessor("title", { header: "Title", meta: { sortKey: (r) => lower(r.title), width: "minmax(80px, 1fr)" } }),
    col.accessor("department", { header: "Department", meta: { sortKey: (r) => lower(r.department), width: "minmax(80px, 1fr)" } }),
    col.accessor("status", {
      header: "Status",
      meta: {
        sortKey: (r) => STATUS_RANK[r.status],
        width: "170px",
      },
      cell: (c) => <StatusCell row={c.row.original} />,
    }),
  ];
}
