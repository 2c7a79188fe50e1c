// Reads the target's users into the listing the core holds for the import table: the first page
// (200) at once, then up to 2,000 a call (each answer says where the next starts) until the last,
// or until the admin stops (the call in flight still lands); Continue resumes from where it
// stopped. The table asks the core for the rows in view (see ImportPage): while pages keep coming
// its pages are refreshed after the first call, the last, and at most every REFRESH_MS between.
// Leaving the page lets the core's listing go.
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { commands } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";
import { keys } from "../../lib/queries";
import { shouldRefresh } from "./importLogic";

export type RemoteListing = {
  /** How many users the core's listing holds so far. */
  read: number;
  /** Reading pages now. */
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

/** While pages keep coming, the rows in view are asked for again at most this often. */
export const REFRESH_MS = 1000;

export function useRemoteListing(app: string): RemoteListing {
  const client = useQueryClient();
  const [read, setRead] = useState(0);
  const [loading, setLoading] = useState(false);
  const [complete, setComplete] = useState(false);
  const [stopped, setStopped] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const next = useRef<string | null>(null);
  // Each reading loop has a token; reloading makes the running loop's token stale (its answer is
  // dropped). Stop is softer: the call in flight lands (the core keeps its pages), then the loop ends.
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
      const rows = keys.importRows(app);
      const refresh = () => {
        // Pages out of view would come back from before this page (with a sort, a row can
        // move between them): only the pages in view are kept, and asked for again.
        client.removeQueries({ queryKey: rows, type: "inactive" });
        void client.invalidateQueries({ queryKey: rows });
      };
      if (fresh) {
        // A new listing: the rows of the last one go with it.
        client.removeQueries({ queryKey: rows });
        setRead(0);
        setComplete(false);
      }
      let at = cursor;
      let first = true;
      let refreshedAt = 0;
      try {
        for (;;) {
          const batch = await unwrap(commands.importPage(app, at));
          if (mine !== token.current) return;
          next.current = batch.next;
          const last = batch.next === null || batch.error !== null || stopAsked.current;
          // The count and the rows in view follow together (each showing re-renders the page,
          // which competes with the reading for the CPU).
          if (shouldRefresh(first, last, Date.now() - refreshedAt, REFRESH_MS)) {
            refreshedAt = Date.now();
            setRead(batch.listed);
            refresh();
          }
          if (batch.error) {
            // The pages before the one that failed are kept; Try again asks for that page.
            setError(batch.error.message);
            break;
          }
          if (batch.next === null) {
            setComplete(true);
            break;
          }
          if (stopAsked.current) {
            setStopped(true);
            break;
          }
          first = false;
          at = batch.next;
        }
      } catch (e) {
        if (mine === token.current) {
          refresh();
          setError(messageOf(e));
        }
      } finally {
        if (mine === token.current) {
          running.current = false;
          setLoading(false);
        }
      }
    },
    [app, client],
  );

  useEffect(() => {
    void fetchFrom(null, true);
    return () => {
      token.current++;
      // The page closed: the core lets the listing go (an import running from it keeps it).
      void commands.importClose(app);
    };
  }, [app, fetchFrom]);

  const stop = useCallback(() => {
    stopAsked.current = true;
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

  return { read, loading, complete, stopped, error, stop, resume, reload };
}
