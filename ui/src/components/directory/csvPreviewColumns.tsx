// The CSV preview table's rows and columns: what importing would do to each row (the core's
// sample of the first rows) and every bad row the core listed, by line.
import { createColumnHelper } from "@tanstack/react-table";
import type { ImportPreview, RowAction } from "../../bindings";

export type PreviewRow = { line: number; email: string; action: RowAction; message: string };

const ACTION_LABEL: Record<RowAction, string> = { create: "New", update: "Update", unchanged: "Unchanged", error: "Problem" };
const ACTION_ORDER: Record<RowAction, number> = { error: 0, create: 1, update: 2, unchanged: 3 };

/** The rows to show: each bad row with its reason, then the sampled rows, in line order. */
export function previewRows(p: ImportPreview): PreviewRow[] {
  const byLine = new Map<number, PreviewRow>();
  for (const s of p.sample) byLine.set(s.line, { line: s.line, email: s.email, action: s.action, message: "" });
  for (const e of p.errors) byLine.set(e.line, { line: e.line, email: e.email, action: "error", message: e.message });
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}

const col = createColumnHelper<PreviewRow>();

export const previewColumns = [
  col.accessor("line", { header: "Line", meta: { sortKey: (r) => r.line, width: "80px" } }),
  col.accessor("email", {
    header: "Email",
    meta: { sortKey: (r) => r.email.toLowerCase(), width: "minmax(200px, 1.5fr)" },
    cell: (c) => <code>{c.getValue()}</code>,
  }),
  col.accessor("action", {
    header: "Import",
    meta: {
      sortKey: (r) => ACTION_ORDER[r.action],
      width: "110px",
      filter: (r, value) => value === "" || r.action === value,
    },
    cell: (c) => <span className={`badge action-${c.getValue()}`}>{ACTION_LABEL[c.getValue()]}</span>,
  }),
  col.accessor("message", { header: "Problem", meta: { width: "minmax(240px, 3fr)" } }),
];

export const previewRowId = (r: PreviewRow) => String(r.line);
export const previewSearchText = (r: PreviewRow) => `${r.line} ${r.email} ${r.message}`;
