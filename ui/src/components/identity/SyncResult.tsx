import type { SyncReport } from "../../bindings";
import { heldUsers } from "../../lib/planCounts";

type Props = { report: SyncReport; onRetry: () => void; onAllow: () => void };

/** What a run did: its counts, each failure with the target's own message, and a held deletion. */
export function SyncResult({ report, onRetry, onAllow }: Props) {
  const s = report.summary;
  const held = heldUsers(report);
  return (
    <div className="sync-result" data-testid="sync-result">
      <p className={report.failures.length ? "error-text" : "ok-text"} role="status" data-testid="sync-summary">
        {s.created} created, {s.updated} updated, {s.deactivated + s.deleted} deactivated, {s.linked} linked,{" "}
        {s.groups_updated} group(s) updated, {s.failed} failed
        {s.seconds !== null && ` in ${s.seconds.toFixed(1)} s`}.{s.message && ` ${s.message}`}
      </p>
      {report.failures.length > 0 && (
        <>
          <table className="plain" data-testid="sync-failures">
            <thead>
              <tr>
                <th scope="col">Target</th>
                <th scope="col">Operation</th>
                <th scope="col">Status</th>
                <th scope="col">The target said</th>
              </tr>
            </thead>
            <tbody>
              {report.failures.map((f) => (
                <tr key={`${f.target}-${f.event}`}>
                  <td><code>{f.target}</code></td>
                  <td><code>{f.event}</code></td>
                  <td>
                    {f.http_status ?? "—"} {f.error_code && <code>{f.error_code}</code>}
                    {f.attempts > 1 && <span className="muted"> ({f.attempts} attempts)</span>}
                  </td>
                  <td>{f.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" onClick={onRetry} data-testid="sync-retry">
            Retry
          </button>
        </>
      )}
      {report.held_reason && (
        <div className="held-box" role="alert" data-testid="sync-held">
          <p>{report.held_reason}</p>
          <p>Would be deactivated:</p>
          <ul data-testid="sync-held-users">
            {held.map((u) => (
              <li key={u.user_id}>
                <code>{u.user_name}</code>
              </li>
            ))}
          </ul>
          <button type="button" className="danger" onClick={onAllow} data-testid="sync-allow">
            Allow deactivations
          </button>
        </div>
      )}
    </div>
  );
}
