// The users table's rows, fetched from the core one page at a time (the core sorts, searches and
// filters in SQLite): only the pages in view are queried, so 100,000 users never cross IPC at
// once. Each page is a TanStack query under keys.directory, so a change to the directory (this
// window, the CLI, a sync) refetches the pages in view; pages out of view are dropped from the
// cache soon after. A new filter keeps the rows on screen until its own first page arrives.
import { useQueries, useQueryClient, type Query } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { commands, type User, type UserPage, type UserQuery } from "../bindings";
import { messageOf, unwrap } from "./ipc";
import { keys } from "./queries";
import { MARK } from "./useDataTable";

export const PAGE_SIZE = 200;
/** How long a page out of view stays cached (scrolling back within it shows it at once). */
const KEEP_MS = 20_000;

export type UserFilter = Omit<UserQuery, "offset" | "limit">;

export type UserPages = {
  /** Rows in display order, undefined where not loaded yet (length = total). */
  rows: (User | undefined)[];
  /** Users matching the query, and in the directory (null before the first answer). */
  total: number | null;
  all: number | null;
  /** A query is on its way and its first page has not arrived. */
  loading: boolean;
  error: string | null;
  /** Changes whenever a new query's first page arrived (the table scrolls back to the top). */
  queryKey: string;
  /** Asks for the pages covering rows first..last (what the table shows). */
  showRange: (first: number, last: number) => void;
  retry: () => void;
};

const pagesKey = (filter: string) => [...keys.directory, "users", filter] as const;
const pageKey = (filter: string, page: number) => [...pagesKey(filter), page] as const;
const pageOf = (query: { queryKey: readonly unknown[] } | undefined) => query?.queryKey[query.queryKey.length - 1];

function assemble(total: number, pages: readonly (readonly [number, User[]])[]): (User | undefined)[] {
  const rows = new Array<User | undefined>(total);
  for (const [page, users] of pages) {
    const start = page * PAGE_SIZE;
    for (let i = 0; i < users.length && start + i < total; i++) rows[start + i] = users[i];
  }
  return rows;
}

export function useUserPages(filter: UserFilter): UserPages {
  const client = useQueryClient();
  const key = JSON.stringify(filter);
  const [range, setRange] = useState({ key, first: 0, last: PAGE_SIZE - 1 });
  // A new filter starts at the top.
  const view = range.key === key ? range : { key, first: 0, last: PAGE_SIZE - 1 };
  useEffect(() => {
    if (typeof performance !== "undefined") performance.mark(MARK.input);
  }, [key]);

  const known = client.getQueryData<UserPage>(pageKey(key, 0))?.total;
  const wanted: number[] = [];
  for (let p = Math.floor(view.first / PAGE_SIZE); p <= Math.floor(view.last / PAGE_SIZE); p++) {
    if (known === undefined || p === 0 || p * PAGE_SIZE < known) wanted.push(p);
  }
  const results = useQueries({
    queries: wanted.map((page) => ({
      queryKey: pageKey(key, page),
      queryFn: () => unwrap(commands.queryUsers({ ...filter, offset: page * PAGE_SIZE, limit: PAGE_SIZE })),
      gcTime: KEEP_MS,
      // The previous filter's rows stay while the new ones come, but never at another page's place.
      placeholderData: (previous: UserPage | undefined, previousQuery: Query<UserPage, Error, UserPage> | undefined) =>
        pageOf(previousQuery) === page ? previous : undefined,
    })),
  });

  // Every page of this filter in the cache (those scrolled past too, and those in view).
  const byPage = new Map<number, User[]>();
  // The total from a page in view when one is loaded (a page scrolled past may be older).
  let fresh: UserPage | undefined = results.find((r) => r.data && !r.isPlaceholderData)?.data;
  for (const [k, data] of client.getQueriesData<UserPage>({ queryKey: pagesKey(key) })) {
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
  const last = useRef<{ total: number | null; parts: [number, User[]][]; rows: (User | undefined)[] }>({ total: null, parts: [], rows: [] });
  const same =
    last.current.total === total &&
    last.current.parts.length === parts.length &&
    parts.every(([p, r], i) => last.current.parts[i]?.[0] === p && last.current.parts[i]?.[1] === r);
  if (!same) last.current = { total, parts, rows: total === null ? [] : assemble(total, parts) };
  const rows = last.current.rows;

  const settledKey = useRef("");
  if (fresh) settledKey.current = key;
  const failed = results.find((r) => r.isError);

  const showRange = useCallback((first: number, last: number) => {
    // Until this filter's first page is in, the table still stands where the previous one was.
    if (settledKey.current !== key) return;
    setRange((r) => {
      const now = { key, first, last };
      // Only a change of pages re-renders.
      const same = r.key === key && Math.floor(r.first / PAGE_SIZE) === Math.floor(first / PAGE_SIZE) && Math.floor(r.last / PAGE_SIZE) === Math.floor(last / PAGE_SIZE);
      return same ? r : now;
    });
  }, [key]);

  const retry = useCallback(() => {
    void client.refetchQueries({ queryKey: pagesKey(key), type: "active" });
  }, [client, key]);

  return {
    rows,
    total,
    all: shown?.all ?? null,
    loading: results.some((r) => r.isPending || r.isPlaceholderData),
    error: failed ? messageOf(failed.error) : null,
    queryKey: settledKey.current,
    showRange,
    retry,
  };
}
