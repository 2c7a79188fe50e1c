// A value shown at once while its change is being saved. A controlled checkbox must change in the
// click's own event: React puts a controlled input back to its rendered value right after the
// event, and a mutation's pending state only arrives a tick later (the box would flick back, and
// an admin or a test would see the click undone). `ask` returns the mutation's onSettled: after a
// refusal the saved value shows again at once; after a success the asked value stays until the
// saved value itself changes (the query cache may be told a moment after the mutation settles),
// so the box never shows the old value in between. A later ask replaces an earlier one.
import { useCallback, useEffect, useRef, useState } from "react";

type Asked<T> = { value: T; id: number; savedWhenAsked: string; settled: boolean };

export function useOptimisticValue<T>(saved: T) {
  const savedKey = JSON.stringify(saved);
  const [asked, setAsked] = useState<Asked<T> | null>(null);
  const next = useRef(0);
  const current = useRef(savedKey);
  current.current = savedKey;
  const ask = useCallback((value: T) => {
    const id = ++next.current;
    setAsked({ value, id, savedWhenAsked: current.current, settled: false });
    return (_data: unknown, error: unknown) =>
      setAsked((a) => (a?.id !== id ? a : error ? null : { ...a, settled: true }));
  }, []);
  const overtaken = asked !== null && asked.settled && asked.savedWhenAsked !== savedKey;
  useEffect(() => {
    if (overtaken) setAsked((a) => (a?.settled && a.savedWhenAsked !== current.current ? null : a));
  }, [overtaken]);
  return { shown: asked && !overtaken ? asked.value : saved, ask };
}
