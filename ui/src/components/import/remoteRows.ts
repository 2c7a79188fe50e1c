// The target's users as they stream in, page after page: appended in place with a set of the ids
// already listed, so adding a page costs the page, not the whole list (a server that promises no
// order may answer a user on two pages: it is listed once).
import type { RemoteRow } from "../../bindings";

export class RemoteRows {
  private list: RemoteRow[] = [];
  private known = new Set<string>();

  /** Appends the rows not listed yet. */
  add(page: readonly RemoteRow[]): void {
    for (const r of page) {
      if (this.known.has(r.remote_id)) continue;
      this.known.add(r.remote_id);
      this.list.push(r);
    }
  }

  get length(): number {
    return this.list.length;
  }

  /** A copy for React state (a new array, so what depends on the rows is computed again). */
  snapshot(): RemoteRow[] {
    return this.list.slice();
  }
}

/**
 * Whether to show the rows read so far: the first page at once, the last page, and in between
 * at most every `everyMs` (each showing re-indexes the whole list for search, sort and counts,
 * so one per page would cost the list's length times the number of pages).
 */
export function shouldPublish(first: boolean, last: boolean, sinceLastMs: number, everyMs: number): boolean {
  return first || last || sinceLastMs >= everyMs;
}
