// The one generic table: a sticky header with sort buttons, a select-all box, and a virtualized
// body (only the rows in view are in the DOM, so 100,000 rows scroll smoothly).
import { flexRender } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef, type ReactNode } from "react";
import { MARK, type DataTable as DataTableState } from "../lib/useDataTable";

type Props<T> = {
  dt: DataTableState<T>;
  label: string;
  testId: string;
  getRowId: (row: T) => string;
  /** The row's data-testid suffix (defaults to its id). */
  testIdOf?: (row: T) => string;
  onOpen?: (row: T) => void;
  /** Shown when filters hide every row. */
  noMatch?: ReactNode;
  rowHeight?: number;
  height?: number | string;
  /** Told which rows are in view (first, last index), so a paged source can fetch them. */
  onRange?: (first: number, last: number) => void;
  /** When this changes the body scrolls back to the top (a new query's first page). */
  scrollKey?: string;
  /** Rows are on their way: shown instead of `noMatch` while there are none. */
  loading?: boolean;
};

const DEFAULT_WIDTH = "minmax(110px, 1fr)";

export function DataTable<T>({ dt, label, testId, getRowId, testIdOf, onOpen, noMatch, rowHeight = 36, height = "60vh", onRange, scrollKey, loading = false }: Props<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const firstRendered = useRef(false);
  const { table, rows } = dt;
  const columns = table.getVisibleLeafColumns();
  const template = ["2.2rem", ...columns.map((c) => c.columnDef.meta?.width ?? DEFAULT_WIDTH)].join(" ");

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });

  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    onRange?.(firstIndex, lastIndex);
  }, [onRange, firstIndex, lastIndex]);

  useEffect(() => {
    if (scrollKey !== undefined && scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [scrollKey]);

  // Benchmark marks: data → first painted rows, and input (keystroke, sort, filter) → painted rows.
  useEffect(() => {
    const id = requestAnimationFrame(() => {
      if (!firstRendered.current && dt.total > 0) {
        firstRendered.current = true;
        performance.measure(MARK.firstRender, MARK.data);
      } else if (performance.getEntriesByName(MARK.input, "mark").length > 0) {
        performance.measure(MARK.update, MARK.input);
        performance.clearMarks(MARK.input);
      }
    });
    return () => cancelAnimationFrame(id);
  }, [dt.renderedToken, dt.total]);

  const allSelected = rows.length > 0 && dt.selectedIds.length >= rows.length && dt.visibleIds.every((id) => table.getState().rowSelection[id]);
  const sorting = table.getState().sorting;

  return (
    <div className="dt" role="grid" aria-label={label} aria-rowcount={rows.length + 1} data-testid={testId}>
      <div className="dt-row dt-head" role="row" style={{ gridTemplateColumns: template }}>
        <div role="columnheader" className="dt-check">
          <input
            type="checkbox"
            aria-label="Select all shown"
            checked={allSelected}
            onChange={(e) => dt.selectAllVisible(e.target.checked)}
            data-testid={`${testId}-select-all`}
          />
        </div>
        {table.getHeaderGroups()[0]?.headers
          .filter((h) => h.column.getIsVisible())
          .map((header) => {
            const canSort = Boolean(header.column.columnDef.meta?.sortKey);
            const s = sorting.findIndex((x) => x.id === header.column.id);
            const dir = s >= 0 ? (sorting[s]?.desc ? "descending" : "ascending") : "none";
            const content = flexRender(header.column.columnDef.header, header.getContext());
            return (
              <div key={header.id} role="columnheader" aria-sort={dir} className="dt-th">
                {canSort ? (
                  <button
                    type="button"
                    className="dt-sort"
                    onClick={(e) => dt.toggleSort(header.column.id, e.shiftKey)}
                    title="Sort (shift-click to sort by several columns)"
                    data-testid={`sort-${header.column.id}`}
                  >
                    {content}
                    <span aria-hidden="true" className="dt-arrow">
                      {dir === "ascending" ? "▲" : dir === "descending" ? "▼" : ""}
                      {sorting.length > 1 && s >= 0 ? s + 1 : ""}
                    </span>
                  </button>
                ) : (
                  content
                )}
              </div>
            );
          })}
      </div>
      <div ref={scrollRef} className="dt-body" style={{ height }} data-testid={`${testId}-body`}>
        {rows.length === 0 ? (
          <div className="dt-none" role="status" aria-busy={loading}>
            {loading ? "Loading…" : (noMatch ?? "No rows match.")}
          </div>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
            {items.map((item) => {
              const original = rows[item.index];
              if (original === undefined) {
                // Not loaded yet (a paged source is fetching it).
                return (
                  <div
                    key={`pending-${item.index}`}
                    role="row"
                    aria-rowindex={item.index + 2}
                    aria-busy="true"
                    className="dt-row pending"
                    style={{ gridTemplateColumns: template, height: rowHeight, transform: `translateY(${item.start}px)` }}
                  >
                    <div role="gridcell" className="dt-check" />
                    {columns.map((c) => (
                      <div key={c.id} role="gridcell" className="dt-td muted">
                        …
                      </div>
                    ))}
                  </div>
                );
              }
              const id = getRowId(original);
              const row = table.getRow(id);
              const selected = Boolean(table.getState().rowSelection[id]);
              return (
                <div
                  key={id}
                  role="row"
                  aria-rowindex={item.index + 2}
                  aria-selected={selected}
                  className={selected ? "dt-row selected" : "dt-row"}
                  style={{ gridTemplateColumns: template, height: rowHeight, transform: `translateY(${item.start}px)` }}
                  onClick={(e) => {
                    if ((e.target as HTMLElement).closest("input,button,a")) return;
                    dt.clickRow(id, { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey });
                  }}
                  onDoubleClick={() => onOpen?.(original)}
                  data-testid={`row-${testIdOf ? testIdOf(original) : id}`}
                >
                  <div role="gridcell" className="dt-check">
                    <input
                      type="checkbox"
                      aria-label="Select row"
                      checked={selected}
                      onChange={() => undefined}
                      onClick={(e) => dt.clickRow(id, { shift: e.shiftKey, toggle: true })}
                    />
                  </div>
                  {row.getVisibleCells().map((cell) => (
                    <div key={cell.id} role="gridcell" className="dt-td">
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
