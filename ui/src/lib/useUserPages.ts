// The users table's rows, fetched from the core one page at a time (the core sorts, searches and
// filters in SQLite): only the pages in view are asked for and kept, so 100,000 users never
// cross IPC at once. A new query (or a newer change-feed mark) starts a new generation: answers
// to an older one are ignored, and the rows on screen stay until the new first page arrives.
import { useCallback, useEffect, useRef, useState } from "react";
import { commands, type User, type UserQuery } from "../bindings";
import { messageOf, unwrap } from "./ipc";
import { MARK } from "./useDataTable";

export const PAGE_SIZE = 200;
/** Pages kept in memory; the ones farthest from the view are dropped first. */
const MAX_PAGES = 12;

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

type Loaded = { key: string; total: number; all: number; pages: Map<number, User[]> };

function assemble(loaded: Loaded): (User | undefined)[] {
  const rows = new Array<User | undefined>(loaded.total);
  for (const [page, users] of loaded.pages) {
    const start = page * PAGE_SIZE;
    for (let i = 0; i < users.length && start + i < rows.length; i++) rows[start + i] = users[i];
  }
  return rows;
}

export function useUserPages(filter: UserFilter, mark: number): UserPages {
  const key = JSON.stringify(filter);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [rows, setRows] = useState<(User | undefined)[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [attempt, setAttempt] = useState(0);
  const gen = useRef(0);
  const current = useRef<Loaded | null>(null);
  const inFlight = useRef(new Set<number>());
  const range = useRef<[number, number]>([0, PAGE_SIZE - 1]);
  const filterRef = useRef(filter);
  filterRef.current = filter;

  const fetchPage = useCallback((page: number, g: number) => {
    return unwrap(commands.queryUsers({ ...filterRef.current, offset: page * PAGE_SIZE, limit: PAGE_SIZE })).then((p) => {
      if (g !== gen.current) return null; // an answer to an older query or mark
      return p;
    });
  }, []);

  const apply = useCallback((next: Loaded) => {
    // Keep the cache small: drop the pages farthest from what is in view.
    if (next.pages.size > MAX_PAGES) {
      const mid = Math.floor((range.current[0] + range.current[1]) / 2 / PAGE_SIZE);
      const far = [...next.pages.keys()].sort((a, b) => Math.abs(b - mid) - Math.abs(a - mid));
      for (const p of far.slice(0, next.pages.size - MAX_PAGES)) next.pages.delete(p);
    }
    current.current = next;
    setLoaded(next);
    setRows(assemble(next));
  }, []);

  // A new query, mark or retry: ask again for the pages in view (first the top for a new query).
  useEffect(() => {
    const g = ++gen.current;
    inFlight.current = new Set();
    const sameQuery = current.current?.key === key;
    if (!sameQuery) {
      range.current = [0, PAGE_SIZE - 1];
      if (typeof performance !== "undefined") performance.mark(MARK.input);
    }
    const [first, last] = range.current;
    const wanted: number[] = [];
    for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p++) wanted.push(p);
    setLoading(true);
    Promise.all(wanted.map((p) => fetchPage(p, g))).then(
      (answers) => {
        if (g !== gen.current) return;
        const pages = new Map<number, User[]>();
        let total = 0;
        let all = 0;
        answers.forEach((a, i) => {
          if (!a) return;
          pages.set(wanted[i] as number, a.rows);
          total = a.total;
          all = a.all;
        });
        setError(null);
        setLoading(false);
        apply({ key, total, all, pages });
      },
      (e: unknown) => {
        if (g !== gen.current) return;
        setLoading(false);
        setError(messageOf(e));
      },
    );
  }, [key, mark, attempt, fetchPage, apply]);

  const showRange = useCallback(
    (first: number, last: number) => {
      range.current = [first, last];
      const have = current.current;
      if (!have || have.key !== key) return;
      const g = gen.current;
      for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p++) {
        if (have.pages.has(p) || inFlight.current.has(p) || p * PAGE_SIZE >= have.total) continue;
        inFlight.current.add(p);
        fetchPage(p, g).then(
          (a) => {
            inFlight.current.delete(p);
            const now = current.current;
            if (!a || !now || g !== gen.current) return;
            const pages = new Map(now.pages);
            pages.set(p, a.rows);
            apply({ ...now, total: a.total, all: a.all, pages });
          },
          () => inFlight.current.delete(p),
        );
      }
    },
    [key, fetchPage, apply],
  );

  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  return {
    rows,
    total: loaded?.total ?? null,
    all: loaded?.all ?? null,
    loading,
    error,
    queryKey: loaded?.key ?? "",
    showRange,
    retry,
  };
}
