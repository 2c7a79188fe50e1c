// The target's users, streamed in: the first page (200) shows at once and the next ones (up to 1,000 a call)
// are fetched in the background (each answer says where the next starts) until the last, or
// until the admin stops (the call in flight still lands); Continue resumes from where it stopped. While pages keep coming the count
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
  // Each fetch loop has a token; reloading makes the running loop's token stale (its answer is
  // dropped). Stop is softer: the call in flight lands and its rows are kept (the core's listing,
  // which the import reuses, has them too), then the loop ends.
  const token = useRef(0);
  const stopAsked = useRef(false);
  const running = useRef(false);

  const fetchFrom = useCallback(
    async (cursor: string | null, fresh: boolean) => {
      const mine = ++token.current;
      running.current = true;
      stopAsked.current = false;
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
          if (page.error) {
            // The rows before the page that failed are kept; Try again asks for that page.
            show();
            setError(page.error.message);
            break;
          }
          if (page.next === null) {
            show();
            setComplete(true);
            break;
          }
          if (stopAsked.current) {
            show();
            setStopped(true);
            break;
          }
          if (shouldPublish(first, false, Date.now() - shownAt, PUBLISH_MS)) show();
          first = false;
          at = page.next;
        }
      } catch (e) {
        if (mine === token.current) {
          if (rows.length !== shownLength) show();
          setError(messageOf(e));
        }
      } finally {
        if (mine === token.current) {
          running.current = false;
          setLoading(false);
        }
      }
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
    stopAsked.current = true;
    setRows(acc.current.snapshot());
    setLoading(false);
    setStopped(true);
  }, []);
  const resume = useCallback(() => {
    if (running.current) {
      // Stopped while a call was in flight: the loop has not ended, it simply goes on.
      stopAsked.current = false;
      setStopped(false);
      setLoading(true);
      return;
    }
    void fetchFrom(next.current, false);
  }, [fetchFrom]);
  const reload = useCallback(() => void fetchFrom(null, true), [fetchFrom]);

  return { rows, read, loading, complete, stopped, error, stop, resume, reload };
}
