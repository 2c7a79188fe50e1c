// A value that follows another once it has stopped changing for `ms` (a search box's text, sent
// to the core when typing pauses).
import { useEffect, useState } from "react";

/** How long typing pauses before a search is sent. */
export const SEARCH_DEBOUNCE_MS = 150;

export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return settled;
}
