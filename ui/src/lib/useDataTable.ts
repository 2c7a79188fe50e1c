// One table hook for every entity: TanStack Table holds the column definitions and the sorting,
// filter, visibility and selection state; sorting and filtering run here on precomputed keys so a
// keystroke re-filters an already sorted order (fast at 100,000 rows).
import {
  createRow,
  useReactTable,
  type ColumnDef,
  type ColumnFiltersState,
  type Row,
  type RowData,
  type RowModel,
  type RowSelectionState,
  type SortingState,
  type Table,
  type VisibilityState,
} from "@tanstack/react-table";
import { useCallback, useMemo, useRef, useState } from "react";
import { clickSelection, filterIndexes, searchMatcher, sortIndexes, type SortSpec } from "./tableLogic";

declare module "@tanstack/react-table" {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** What the column sorts by (strings are compared as given: lower-case them for case-insensitive order). */
    sortKey?: (row: TData) => string | number;
    /** Whether a row passes this column's filter value. */
    filter?: (row: TData, value: unknown) => boolean;
    /** CSS grid track size, e.g. "minmax(160px, 2fr)". */
    width?: string;
    /** Label for the column-visibility menu when the header is not a string. */
    label?: string;
  }
}

/** Performance marks the benchmark reads (see tests/e2e/ui/bench-directory.js). */
export const MARK = {
  data: "table:data",
  input: "table:input",
  firstRender: "table:first-render",
  update: "table:update",
} as const;

/**
 * TanStack's own core row model builds a Row object (dozens of closures) for every data row up
 * front: about 2 s for 100,000 rows. The table only ever renders the few dozen rows in view, so
 * this one builds each Row the first time it is asked for (table.getRow(id)).
 */
function lazyCoreRowModel<T>(indexById: { current: Map<string, number> }) {
  return (table: Table<T>) => {
    let data: unknown = null;
    let model: RowModel<T> = { rows: [], flatRows: [], rowsById: {} };
    return () => {
      if (table.options.data !== data) {
        data = table.options.data;
        const source = table.options.data;
        const made: Record<string, Row<T>> = {};
        const rowsById = new Proxy(made, {
          get(target, key) {
            if (typeof key !== "string") return undefined;
            const cached = target[key];
            if (cached) return cached;
            const i = indexById.current.get(key);
            if (i === undefined) return undefined;
            const row = createRow(table, key, source[i] as T, i, 0);
            target[key] = row;
            return row;
          },
        });
        model = { rows: [], flatRows: [], rowsById };
      }
      return model;
    };
  };
}

export type DataTableOptions<T> = {
  data: readonly T[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<T, any>[];
  getRowId: (row: T) => string;
  /** All the text the global search looks in. */
  searchText: (row: T) => string;
  initialSorting?: SortingState;
  initialVisibility?: VisibilityState;
};

export type DataTable<T> = {
  table: Table<T>;
  /** Visible rows in display order. */
  rows: T[];
  visibleIds: string[];
  total: number;
  globalFilter: string;
  setGlobalFilter: (value: string) => void;
  setColumnFilter: (columnId: string, value: unknown) => void;
  columnFilter: (columnId: string) => unknown;
  toggleSort: (columnId: string, multi: boolean) => void;
  selectedIds: string[];
  clickRow: (id: string, mods: { shift: boolean; toggle: boolean }) => void;
  toggleRow: (id: string) => void;
  selectAllVisible: (on: boolean) => void;
  clearSelection: () => void;
  /** Marks when the visible rows change, for the benchmark; DataTable calls it after commit. */
  renderedToken: unknown;
};

export function useDataTable<T>(options: DataTableOptions<T>): DataTable<T> {
  const { data, columns, getRowId, searchText } = options;
  const [sorting, setSorting] = useState<SortingState>(options.initialSorting ?? []);
  const [columnFilters, setColumnFilters] = useState<ColumnFiltersState>([]);
  const [globalFilter, setGlobalFilterState] = useState("");
  const [columnVisibility, setColumnVisibility] = useState<VisibilityState>(options.initialVisibility ?? {});
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const anchor = useRef<string | null>(null);
  const indexById = useRef(new Map<string, number>());
  const [coreRowModel] = useState(() => lazyCoreRowModel<T>(indexById));

  const table = useReactTable<T>({
    data: data as T[],
    columns,
    getRowId: (row) => getRowId(row),
    state: { sorting, columnFilters, globalFilter, columnVisibility, rowSelection },
    onSortingChange: setSorting,
    onColumnFiltersChange: setColumnFilters,
    onColumnVisibilityChange: setColumnVisibility,
    onRowSelectionChange: setRowSelection,
    manualSorting: true,
    manualFiltering: true,
    enableMultiSort: true,
    enableRowSelection: true,
    getCoreRowModel: coreRowModel,
  });

  const ids = useMemo(() => {
    if (typeof performance !== "undefined") performance.mark(MARK.data);
    const list = data.map(getRowId);
    indexById.current = new Map(list.map((id, i) => [id, i]));
    return list;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data]);
  const searchIndex = useMemo(() => data.map((r) => searchText(r).toLowerCase()), [data, searchText]);

  const sortedOrder = useMemo(() => {
    const specs: SortSpec<T>[] = [];
    for (const s of sorting) {
      const key = table.getColumn(s.id)?.columnDef.meta?.sortKey;
      if (key) specs.push({ key, desc: s.desc });
    }
    return sortIndexes(data, specs);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data, sorting]);

  const visibleOrder = useMemo(() => {
    const predicates: ((i: number) => boolean)[] = [];
    const match = searchMatcher(globalFilter);
    if (match) predicates.push((i) => match(searchIndex[i] as string));
    for (const f of columnFilters) {
      const fn = table.getColumn(f.id)?.columnDef.meta?.filter;
      if (fn && f.value !== undefined && f.value !== "") {
        predicates.push((i) => fn(data[i] as T, f.value));
      }
    }
    return filterIndexes(sortedOrder, predicates);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sortedOrder, globalFilter, columnFilters, searchIndex]);

  const rows = useMemo(() => visibleOrder.map((i) => data[i] as T), [visibleOrder, data]);
  const visibleIds = useMemo(() => visibleOrder.map((i) => ids[i] as string), [visibleOrder, ids]);

  // Drop selected ids that no longer exist (after a reload).
  const selectedIds = useMemo(() => {
    const known = new Set(ids);
    return Object.keys(rowSelection).filter((id) => rowSelection[id] && known.has(id));
  }, [rowSelection, ids]);

  const setGlobalFilter = useCallback((value: string) => {
    performance.mark(MARK.input);
    setGlobalFilterState(value);
  }, []);
  const setColumnFilter = useCallback((columnId: string, value: unknown) => {
    performance.mark(MARK.input);
    setColumnFilters((prev) => {
      const rest = prev.filter((f) => f.id !== columnId);
      return value === undefined || value === "" ? rest : [...rest, { id: columnId, value }];
    });
  }, []);
  const columnFilter = useCallback(
    (columnId: string) => columnFilters.find((f) => f.id === columnId)?.value,
    [columnFilters],
  );
  const toggleSort = useCallback((columnId: string, multi: boolean) => {
    performance.mark(MARK.input);
    setSorting((prev) => {
      const current = prev.find((s) => s.id === columnId);
      // asc → desc → none
      const next = !current ? { id: columnId, desc: false } : !current.desc ? { id: columnId, desc: true } : null;
      const others = multi ? prev.filter((s) => s.id !== columnId) : [];
      return next ? [...others, next] : others;
    });
  }, []);

  const clickRow = useCallback(
    (id: string, mods: { shift: boolean; toggle: boolean }) => {
      setRowSelection((current) => {
        const next = clickSelection(visibleIds, current, anchor.current, id, mods);
        anchor.current = next.anchor;
        return next.selection;
      });
    },
    [visibleIds],
  );
  const toggleRow = useCallback((id: string) => clickRow(id, { shift: false, toggle: true }), [clickRow]);
  const selectAllVisible = useCallback(
    (on: boolean) => setRowSelection(on ? Object.fromEntries(visibleIds.map((id) => [id, true])) : {}),
    [visibleIds],
  );
  const clearSelection = useCallback(() => setRowSelection({}), []);

  return {
    table,
    rows,
    visibleIds,
    total: data.length,
    globalFilter,
    setGlobalFilter,
    setColumnFilter,
    columnFilter,
    toggleSort,
    selectedIds,
    clickRow,
    toggleRow,
    selectAllVisible,
    clearSelection,
    renderedToken: visibleOrder,
  };
}
