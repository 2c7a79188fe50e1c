import { useCallback, useEffect, useState } from "react";
import { messageOf } from "./ipc";

export type Load<T> =
  | { state: "loading" }
  | { state: "error"; message: string }
  | { state: "ready"; data: T };

/** Runs `fetch` on mount and on `reload()`, tracking loading / error / ready. */
export function useLoad<T>(fetch: () => Promise<T>): [Load<T>, () => void] {
  const [load, setLoad] = useState<Load<T>>({ state: "loading" });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    fetch().then(
      (data) => live && setLoad({ state: "ready", data }),
      (error: unknown) => live && setLoad({ state: "error", message: messageOf(error) }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return [load, reload];
}
