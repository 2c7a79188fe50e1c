// The target's users as they stream in, page after page: appended in place with a set of the ids
// already listed, so adding a page costs the page, not the whole list (a server that promises no
// order may answer a user on two pages: it is listed once). Profile, title, department and status
// take few values: each is kept once, not once per row (50,000 rows parse 200,000 such strings).
import type { RemoteRow } from "../../bindings";

const SHARED_AT_MOST = 5000;

export class RemoteRows {
  private list: RemoteRow[] = [];
  private known = new Set<string>();
  /** One copy of each value of the few-valued columns (each parsed row brings its own). */
  private values = new Map<string, string>();

  /** Appends the rows not listed yet. */
  add(page: readonly RemoteRow[]): void {
    for (const r of page) {
      if (this.known.has(r.remote_id)) continue;
      this.known.add(r.remote_id);
      if (r.profile !== null) r.profile = this.shared(r.profile);
      r.title = this.shared(r.title);
      r.department = this.shared(r.department);
      r.status = this.shared(r.status) as RemoteRow["status"];
      this.list.push(r);
    }
  }

  private shared(value: string): string {
    const kept = this.values.get(value);
    if (kept !== undefined) return kept;
    // A column of mostly distinct values (titles, say) would only grow the map.
    if (this.values.size < SHARED_AT_MOST) this.values.set(value, value);
    return value;
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
