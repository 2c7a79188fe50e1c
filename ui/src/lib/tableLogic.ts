// Pure helpers behind the generic data table: sorting and filtering by precomputed keys (fast at
// 100,000 rows: a keystroke only re-filters an already sorted order), and shift-click ranges.

export type SortSpec<T> = { key: (row: T) => string | number; desc: boolean };

/** Indexes of `data` in sorted order (stable; ties keep the data's order). */
export function sortIndexes<T>(data: readonly T[], specs: readonly SortSpec<T>[]): number[] {
  const order = data.map((_, i) => i);
  if (specs.length === 0) return order;
  const keys = specs.map((s) => data.map((row) => s.key(row)));
  order.sort((a, b) => {
    for (let s = 0; s < specs.length; s++) {
      const k = keys[s] as (string | number)[];
      const x = k[a] as string | number;
      const y = k[b] as string | number;
      if (x < y) return (specs[s] as SortSpec<T>).desc ? 1 : -1;
      if (x > y) return (specs[s] as SortSpec<T>).desc ? -1 : 1;
    }
    return a - b;
  });
  return order;
}

/** A case-insensitive matcher: every space-separated term must appear somewhere in the text. */
export function searchMatcher(query: string): ((lowerText: string) => boolean) | null {
  const terms = query.toLowerCase().split(/\s+/).filter((t) => t !== "");
  if (terms.length === 0) return null;
  if (terms.length === 1) {
    const t = terms[0] as string;
    return (text) => text.includes(t);
  }
  return (text) => terms.every((t) => text.includes(t));
}

/** Keeps the indexes (in their order) whose row passes every predicate. */
export function filterIndexes(order: readonly number[], predicates: ((i: number) => boolean)[]): number[] {
  if (predicates.length === 0) return order as number[];
  return order.filter((i) => predicates.every((p) => p(i)));
}

/**
 * Row selection after a click. A plain click selects only that row; ctrl/cmd toggles it; shift
 * selects the range from the anchor (the last plain or ctrl click) to it, in the visible order.
 */
export function clickSelection(
  visibleIds: readonly string[],
  current: Readonly<Record<string, boolean>>,
  anchor: string | null,
  target: string,
  mods: { shift: boolean; toggle: boolean },
): { selection: Record<string, boolean>; anchor: string } {
  if (mods.shift && anchor !== null) {
    const a = visibleIds.indexOf(anchor);
    const b = visibleIds.indexOf(target);
    if (a >= 0 && b >= 0) {
      const [from, to] = a < b ? [a, b] : [b, a];
      const selection: Record<string, boolean> = mods.toggle ? { ...current } : {};
      for (let i = from; i <= to; i++) selection[visibleIds[i] as string] = true;
      return { selection, anchor };
    }
  }
  if (mods.toggle) {
    const selection = { ...current };
    if (selection[target]) delete selection[target];
    else selection[target] = true;
    return { selection, anchor: target };
  }
  return { selection: { [target]: true }, anchor: target };
}
