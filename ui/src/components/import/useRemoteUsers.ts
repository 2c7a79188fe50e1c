// The target's users, 200 a page, streamed in: the first page shows at once and the next ones
// are fetched in the background (each answer says where the next starts) until the last, or
// until the admin stops; Continue resumes from where it stopped.
import { useCallback, useEffect, useRef, useState } from "react";
import { commands, type RemoteRow } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";

export type RemoteList = {
  rows: RemoteRow[];
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

export function useRemoteUsers(app: string, enabled: boolean): RemoteList {
  const [rows, setRows] = useState<RemoteRow[]>([]);
  const [loading, setLoading] = useState(false);
  const [complete, setComplete] = useState(false);
  const [stopped, setStopped] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const next = useRef<string | null>(null);
  // Each fetch loop has a token; stopping or reloading makes the running loop's token stale.
  const token = useRef(0);

  const fetchFrom = useCallback(
    async (cursor: string | null, fresh: boolean) => {
      const mine = ++token.current;
      setLoading(true);
      setStopped(false);
      setError(null);
      if (fresh) {
        setRows([]);
        setComplete(false);
      }
      let at = cursor;
      try {
        for (;;) {
          const page = await unwrap(commands.importPage(app, at));
          if (mine !== token.current) return;
          // A server that promises no order may answer a user on two pages: listed once.
          setRows((prev) => {
            if (prev.length === 0) return page.rows;
            const known = new Set(prev.map((r) => r.remote_id));
            return prev.concat(page.rows.filter((r) => r.remote_id === null || !known.has(r.remote_id)));
          });
          next.current = page.next;
          if (page.next === null) {
            setComplete(true);
            break;
          }
          at = page.next;
        }
      } catch (e) {
        if (mine === token.current) setError(messageOf(e));
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
    setLoading(false);
    setStopped(true);
  }, []);
  const resume = useCallback(() => void fetchFrom(next.current, false), [fetchFrom]);
  const reload = useCallback(() => void fetchFrom(null, true), [fetchFrom]);

  return { rows, loading, complete, stopped, error, stop, resume, reload };
}
