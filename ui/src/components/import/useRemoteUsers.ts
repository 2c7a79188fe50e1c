// The target's users, streamed in: the first page (200) shows at once and the next ones (up to 1,000 a call)
// are fetched in the background (each answer says where the next starts) until the last, or
// until the admin stops; Continue resumes from where it stopped. While pages keep coming the count
// read so far follows every page, and the rows themselves are shown at most every PUBLISH_MS: each
// showing re-indexes the whole list for search, sort and counts, and the arrays it leaves behind
// are what the web process's memory grows by (a showing per page of 50,000 users cost ~100 MB).
import { useCallback, useEffect, useRef, useState } from "react";
import { commands, type RemoteRow } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";
import { RemoteRows, shouldPublish } from "./remoteRows";

export type RemoteList = {
  /** The rows shown (all those read, once the last page is in). */
  rows: RemoteRow[];
  /** How many rows are read so far (may run ahead of `rows` while pages keep coming). */
  read: number;
  /** Fetching a page now. */
  loading: boolean;
  /** Every page is in. */
  complete: boolean;
  /** The admin stopped before the last page. */
  stopped: boolean;
  error: string | null;
  stop: () => void;
  resume: () => void;
  reload: () => void;
};

export const PAGE_SIZE = 200;
/** While pages keep coming, the table shows the rows read so far at most this often. */
export const PUBLISH_MS = 2000;

export function useRemoteUsers(app: string, enabled: boolean): RemoteList {
  const [rows, setRows] = useState<RemoteRow[]>([]);
  const [read, setRead] = useState(0);
  const [loading, setLoading] = useState(false);
  const [complete, setComplete] = useState(false);
  const [stopped, setStopped] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const next = useRef<string | null>(null);
  const acc = useRef(new RemoteRows());
  // Each fetch loop has a token; stopping or reloading makes the running loop's token stale.
  const token = useRef(0);

  const fetchFrom = useCallback(
    async (cursor: string | null, fresh: boolean) => {
      const mine = ++token.current;
      setLoading(true);
      setStopped(false);
      setError(null);
      if (fresh) {
        acc.current = new RemoteRows();
        setRows([]);
        setRead(0);
        setComplete(false);
      }
      const rows = acc.current;
      let at = cursor;
      let first = true;
      let shownAt = 0;
      let shownLength = rows.length;
      const show = () => {
        shownAt = Date.now();
        shownLength = rows.length;
        setRows(rows.snapshot());
      };
      try {
        for (;;) {
          const page = await unwrap(commands.importPage(app, at));
          if (mine !== token.current) return;
          rows.add(page.rows);
          setRead(rows.length);
          next.current = page.next;
          const last = page.next === null;
          if (shouldPublish(first, last, Date.now() - shownAt, PUBLISH_MS)) show();
          first = false;
          if (last) {
            setComplete(true);
            break;
          }
          at = page.next;
        }
      } catch (e) {
        if (mine === token.current) {
          if (rows.length !== shownLength) show();
          setError(messageOf(e));
        }
      }
      if (mine === token.current) setLoading(false);
    },
    [app],
  );

  useEffect(() => {
    if (!enabled) return;
    void fetchFrom(null, true);
    return () => {
      token.current++;
    };
  }, [enabled, fetchFrom]);

  const stop = useCallback(() => {
    token.current++;
    // The rows read since the last showing are shown now.
    setRows(acc.current.snapshot());
    setLoading(false);
    setStopped(true);
  }, []);
  const resume = useCallback(() => void fetchFrom(next.current, false), [fetchFrom]);
  const reload = useCallback(() => void fetchFrom(null, true), [fetchFrom]);

  return { rows, read, loading, complete, stopped, error, stop, resume, reload };
}
