// Rows fetched from the core one page at a time (the core sorts, searches and filters): only the
// pages in view are queried, so a table of 100,000 rows never crosses IPC at once. Each page is a
// TanStack query under `base` + the filter, so invalidating `base` refetches the pages in view;
// pages out of view are dropped from the cache soon after. A new filter keeps the rows on screen
// until its own first page arrives.
import { useQueries, useQueryClient, type Query } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { messageOf } from "./ipc";
import { MARK } from "./useDataTable";

export const PAGE_SIZE = 200;
/** How long a page out of view stays cached (scrolling back within it shows it at once). */
const KEEP_MS = 20_000;

/** What every page answer has: the rows and how many the query matches. */
export type PageAnswer<Row> = { rows: Row[]; total: number };

export type PagedRows<Row, Page extends PageAnswer<Row>> = {
  /** Rows in display order, undefined where not loaded yet (length = total). */
  rows: (Row | undefined)[];
  /** Rows matching the query (null before the first answer). */
  total: number | null;
  /** The latest page answer shown (for what else it carries: counts, say). */
  page: Page | undefined;
  /** A query is on its way and its first page has not arrived. */
  loading: boolean;
  error: string | null;
  /** Changes whenever a new query's first page arrived (the table scrolls back to the top). */
  queryKey: string;
  /** Asks for the pages covering rows first..last (what the table shows). */
  showRange: (first: number, last: number) => void;
  retry: () => void;
};

type Options<Row, Page extends PageAnswer<Row>> = {
  /** The key every page of every filter lives under (what an invalidation names). */
  base: readonly unknown[];
  filter: unknown;
  /** One page of the current filter. */
  fetch: (offset: number, limit: number) => Promise<Page>;
  enabled?: boolean;
};

const pageOf = (query: { queryKey: readonly unknown[] } | undefined) => query?.queryKey[query.queryKey.length - 1];

function assemble<Row>(total: number, pages: readonly (readonly [number, Row[]])[]): (Row | undefined)[] {
  const rows = new Array<Row | undefined>(total);
  for (const [page, list] of pages) {
    const start = page * PAGE_SIZE;
    for (let i = 0; i < list.length && start + i < total; i++) rows[start + i] = list[i];
  }
  return rows;
}

export function usePagedRows<Row, Page extends PageAnswer<Row>>({ base, filter, fetch, enabled = true }: Options<Row, Page>): PagedRows<Row, Page> {
  const client = useQueryClient();
  const key = JSON.stringify(filter);
  const pagesKey = [...base, key] as const;
  const pageKey = (page: number) => [...pagesKey, page] as const;
  const [range, setRange] = useState({ key, first: 0, last: PAGE_SIZE - 1 });
  // A new filter starts at the top.
  const view = range.key === key ? range : { key, first: 0, last: PAGE_SIZE - 1 };
  useEffect(() => {
    if (typeof performance !== "undefined") performance.mark(MARK.input);
  }, [key]);

  const known = client.getQueryData<Page>(pageKey(0))?.total;
  const wanted: number[] = [];
  for (let p = Math.floor(view.first / PAGE_SIZE); p <= Math.floor(view.last / PAGE_SIZE); p++) {
    if (known === undefined || p === 0 || p * PAGE_SIZE < known) wanted.push(p);
  }
  const results = useQueries({
    queries: wanted.map((page) => ({
      queryKey: pageKey(page),
      queryFn: () => fetch(page * PAGE_SIZE, PAGE_SIZE),
      gcTime: KEEP_MS,
      enabled,
      // The previous filter's rows stay while the new ones come, but never at another page's place.
      placeholderData: (previous: Page | undefined, previousQuery: Query<Page, Error, Page> | undefined) =>
        pageOf(previousQuery) === page ? previous : undefined,
    })),
  });

  // Every page of this filter in the cache (those scrolled past too, and those in view).
  const byPage = new Map<number, Row[]>();
  // The total from a page in view when one is loaded (a page scrolled past may be older).
  let fresh: Page | undefined = results.find((r) => r.data && !r.isPlaceholderData)?.data;
  for (const [k, data] of client.getQueriesData<Page>({ queryKey: pagesKey })) {
    if (!data) continue;
    byPage.set(Number(k[k.length - 1]), data.rows);
    fresh ??= data;
  }
  // None yet: the previous filter's rows stay, each at its own page, until this one's arrive.
  const placeholder = fresh ? undefined : results.find((r) => r.data)?.data;
  if (!fresh) results.forEach((r, i) => r.data && byPage.set(wanted[i] as number, r.data.rows));
  const shown = fresh ?? placeholder;
  const total = shown?.total ?? null;
  const parts = [...byPage].sort((a, b) => a[0] - b[0]);
  // The same pages give the same array: the table rebuilds nothing while only the view moves.
  const last = useRef<{ total: number | null; parts: [number, Row[]][]; rows: (Row | undefined)[] }>({ total: null, parts: [], rows: [] });
  const same =
    last.current.total === total &&
    last.current.parts.length === parts.length &&
    parts.every(([p, r], i) => last.current.parts[i]?.[0] === p && last.current.parts[i]?.[1] === r);
  if (!same) last.current = { total, parts, rows: total === null ? [] : assemble(total, parts) };
  const rows = last.current.rows;

  const settledKey = useRef("");
  if (fresh) settledKey.current = key;
  const failed = results.find((r) => r.isError);

  const showRange = useCallback(
    (first: number, last: number) => {
      // Until this filter's first page is in, the table still stands where the previous one was.
      if (settledKey.current !== key) return;
      setRange((r) => {
        const now = { key, first, last };
        // Only a change of pages re-renders.
        const same =
          r.key === key &&
          Math.floor(r.first / PAGE_SIZE) === Math.floor(first / PAGE_SIZE) &&
          Math.floor(r.last / PAGE_SIZE) === Math.floor(last / PAGE_SIZE);
        return same ? r : now;
      });
    },
    [key],
  );

  const current = useRef(pagesKey);
  current.current = pagesKey;
  const retry = useCallback(() => {
    void client.refetchQueries({ queryKey: current.current, type: "active" });
  }, [client]);

  return {
    rows,
    total,
    page: shown,
    loading: enabled && results.some((r) => r.isPending || r.isPlaceholderData),
    error: failed ? messageOf(failed.error) : null,
    queryKey: settledKey.current,
    showRange,
    retry,
  };
}
