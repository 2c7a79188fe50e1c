import { useCallback, useEffect, useState } from "react";
import { commands, type Event } from "../bindings";
import { EmptyState } from "../components/EmptyState";
import { messageOf, unwrap } from "../lib/ipc";

const PAGE = 200;

/** Every attempt Lanyard made (SAML today; provisioning later), newest first. */
export function EventsPage() {
  const [events, setEvents] = useState<Event[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [more, setMore] = useState(false);

  const load = useCallback(async (before: number | null) => {
    setError(null);
    try {
      const page = await unwrap(commands.listEvents(PAGE, before));
      setEvents((old) => (before === null ? page : [...(old ?? []), ...page]));
      setMore(page.length === PAGE);
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);

  useEffect(() => void load(null), [load]);

  return (
    <section>
      <header className="page-header">
        <h1>Events</h1>
        <button type="button" onClick={() => load(null)} data-testid="events-refresh">Refresh</button>
      </header>
      {error && <p className="error-text" role="alert">{error}</p>}
      {events === null && !error && <p className="muted" aria-busy="true">Loading events…</p>}
      {events && events.length === 0 && (
        <EmptyState title="No events yet">
          <p>Every single sign-on action and test login is listed here with its outcome, newest first.</p>
        </EmptyState>
      )}
      {events && events.length > 0 && (
        <div className="card">
          <table className="events" data-testid="events-table">
            <thead>
              <tr><th>Time</th><th>Outcome</th><th>Event</th><th>Application</th><th>Detail</th></tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id} className={e.outcome === "failed" ? "failed" : ""}>
                  <td>{new Date(e.at).toLocaleString()}</td>
                  <td><span className={`badge ${e.outcome === "ok" ? "production" : "failed"}`}>{e.outcome === "ok" ? "OK" : "Failed"}</span></td>
                  <td><code>{e.name}</code></td>
                  <td>{e.app_name ?? "—"}</td>
                  <td>{e.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {more && (
            <button type="button" onClick={() => load(events[events.length - 1]?.id ?? null)}>Load older events</button>
          )}
        </div>
      )}
    </section>
  );
}
