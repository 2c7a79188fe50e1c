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
  /**
   * The rows. In `manual` mode: the rows of the current query in display order, with holes
   * (undefined) where a row is not loaded yet; the server sorts and filters.
   */
  data: readonly (T | undefined)[];
  /** Sorting, filtering and paging happen elsewhere (the core): this hook only holds the state. */
  manual?: boolean;
  /** In manual mode: how many rows the query matches (defaults to data.length). */
  total?: number;
  /** In manual mode: every id the current query matches, for "select all shown". */
  selectAll?: () => Promise<string[]>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<T, any>[];
  getRowId: (row: T) => string;
  /** All the text the global search looks in (client-side mode). */
  searchText?: (row: T) => string;
  initialSorting?: SortingState;
  initialVisibility?: VisibilityState;
};

export type DataTable<T> = {
  table: Table<T>;
  /** Visible rows in display order (manual mode: undefined where not loaded yet). */
  rows: (T | undefined)[];
  /** Ids of the visible rows that are loaded, in display order. */
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
  const { columns, getRowId, searchText, manual = false, selectAll } = options;
  const data = options.data as readonly T[];
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
    const map = new Map<string, number>();
    const list: string[] = [];
    data.forEach((row, i) => {
      if (row === undefined) return;
      const id = getRowId(row);
      map.set(id, i);
      list.push(id);
    });
    indexById.current = map;
    return list;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data]);
  // Each row's search text is made once per row object (rows are never mutated): a list that
  // grows page by page, or a refetch that keeps most rows, does not redo the rows it has.
  const searchCache = useRef<{ fn: ((row: T) => string) | undefined; texts: WeakMap<object, string> }>({ fn: undefined, texts: new WeakMap() });
  // Made when a search is typed, not before: a table that is only scrolled and selected (an
  // import of 50,000 rows) never holds a second copy of its text.
  const searching = globalFilter.trim() !== "";
  const searchIndex = useMemo(() => {
    if (manual || !searchText || !searching) return [];
    if (searchCache.current.fn !== searchText) searchCache.current = { fn: searchText, texts: new WeakMap() };
    const texts = searchCache.current.texts;
    return data.map((r) => {
      if (typeof r !== "object" || r === null) return searchText(r).toLowerCase();
      let text = texts.get(r);
      if (text === undefined) {
        text = searchText(r).toLowerCase();
        texts.set(r, text);
      }
      return text;
    });
  }, [data, searchText, manual, searching]);

  const sortedOrder = useMemo(() => {
    if (manual) return [];
    const specs: SortSpec<T>[] = [];
    for (const s of sorting) {
      const key = table.getColumn(s.id)?.columnDef.meta?.sortKey;
      if (key) specs.push({ key, desc: s.desc });
    }
    return sortIndexes(data, specs);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data, sorting]);

  const visibleOrder = useMemo(() => {
    if (manual) return [];
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

  const rows = useMemo(
    () => (manual ? (data as (T | undefined)[]) : visibleOrder.map((i) => data[i] as T)),
    [visibleOrder, data, manual],
  );
  const visibleIds = useMemo(
    () => (manual ? ids : visibleOrder.map((i) => ids[i] as string)),
    [visibleOrder, ids, manual],
  );

  // Drop selected ids that no longer exist (after a reload). In manual mode only some rows are
  // loaded, so the selection is kept as it is (the core ignores nothing: it names unknown ids).
  const selectedIds = useMemo(() => {
    if (manual) return Object.keys(rowSelection).filter((id) => rowSelection[id]);
    const known = indexById.current; // the ids of `data` (set by the memo above)
    return Object.keys(rowSelection).filter((id) => rowSelection[id] && known.has(id));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rowSelection, ids, manual]);

  const setGlobalFilter = useCallback(
    (value: string) => {
      if (!manual) performance.mark(MARK.input);
      setGlobalFilterState(value);
    },
    [manual],
  );
  const setColumnFilter = useCallback((columnId: string, value: unknown) => {
    if (!manual) performance.mark(MARK.input);
    setColumnFilters((prev) => {
      const rest = prev.filter((f) => f.id !== columnId);
      return value === undefined || value === "" ? rest : [...rest, { id: columnId, value }];
    });
  }, [manual]);
  const columnFilter = useCallback(
    (columnId: string) => columnFilters.find((f) => f.id === columnId)?.value,
    [columnFilters],
  );
  const toggleSort = useCallback((columnId: string, multi: boolean) => {
    if (!manual) performance.mark(MARK.input);
    setSorting((prev) => {
      const current = prev.find((s) => s.id === columnId);
      // asc → desc → none
      const next = !current ? { id: columnId, desc: false } : !current.desc ? { id: columnId, desc: true } : null;
      const others = multi ? prev.filter((s) => s.id !== columnId) : [];
      return next ? [...others, next] : others;
    });
  }, [manual]);

  // The rows as last rendered, and a counter that makes an older range answer stale.
  const dataRef = useRef(data);
  dataRef.current = data;
  const rangeRequest = useRef(0);
  const clickRow = useCallback(
    (id: string, mods: { shift: boolean; toggle: boolean }) => {
      const request = ++rangeRequest.current;
      const anchorId = anchor.current;
      // Manual mode, shift-click over rows not loaded yet: the range is taken from every id the
      // query matches (asked of the core), between the two rows.
      const from = anchorId === null ? undefined : indexById.current.get(anchorId);
      const to = indexById.current.get(id);
      if (manual && mods.shift && selectAll && anchorId !== null && from !== undefined && to !== undefined) {
        const [lo, hi] = from < to ? [from, to] : [to, from];
        let gap = false;
        for (let i = lo; i <= hi && !gap; i++) gap = dataRef.current[i] === undefined;
        if (gap) {
          selectAll().then(
            (all) => {
              if (request !== rangeRequest.current) return; // a newer click came first
              const a = all.indexOf(anchorId);
              const b = all.indexOf(id);
              if (a < 0 || b < 0) return; // one of the two rows is gone
              const [start, end] = a < b ? [a, b] : [b, a];
              setRowSelection((current) => {
                const selection: Record<string, boolean> = mods.toggle ? { ...current } : {};
                for (const x of all.slice(start, end + 1)) selection[x] = true;
                return selection;
              });
            },
            () => undefined,
          );
          return;
        }
      }
      setRowSelection((current) => {
        const next = clickSelection(visibleIds, current, anchor.current, id, mods);
        anchor.current = next.anchor;
        return next.selection;
      });
    },
    [visibleIds, manual, selectAll],
  );
  const toggleRow = useCallback((id: string) => clickRow(id, { shift: false, toggle: true }), [clickRow]);
  const selectAllVisible = useCallback(
    (on: boolean) => {
      if (on && selectAll) {
        // Every matching row, loaded or not: ask whoever filters (the core) for the ids.
        selectAll().then(
          (all) => {
            // Filled in place: no [id, true] pair per row (50,000 of them, all garbage at once).
            const selection: RowSelectionState = {};
            for (const id of all) selection[id] = true;
            setRowSelection(selection);
          },
          () => undefined,
        );
        return;
      }
      setRowSelection(on ? Object.fromEntries(visibleIds.map((id) => [id, true])) : {});
    },
    [visibleIds, selectAll],
  );
  const clearSelection = useCallback(() => setRowSelection({}), []);

  return {
    table,
    rows,
    visibleIds,
    total: options.total ?? data.length,
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
    renderedToken: manual ? data : visibleOrder,
  };
}
