import type { TestReport } from "../../bindings";

/** What Test connection (or Connect) found on the target. */
export function TestReportView({ report }: { report: TestReport }) {
  return (
    <div className="test-report" role="status" data-testid="test-report">
      <dl className="facts">
        <dt>SCIM base</dt>
        <dd><code>{report.scim_base}</code></dd>
        <dt>Config endpoint</dt>
        <dd><code data-testid="test-config-endpoint">{report.config_endpoint}</code></dd>
        <dt>Supports</dt>
        <dd>
          {[report.patch && "PATCH", report.filter && "filter", report.entitlements && "entitlements (profiles)"].filter(Boolean).join(", ") || "—"}
          {report.max_results !== null && ` · at most ${report.max_results} results a page`}
        </dd>
        <dt>Standard User profile</dt>
        <dd data-testid="test-profile">
          {report.profile_id ? (
            <>
              {report.profile_name ?? "Standard User"} <code>{report.profile_id}</code>
            </>
          ) : (
            <span className="muted">{report.entitlements ? "Not found" : "Not used by this target"}</span>
          )}
        </dd>
        <dt>API usage</dt>
        <dd data-testid="test-api-usage">{report.api_usage ?? <span className="muted">Not reported</span>}</dd>
      </dl>
      {report.notes.length > 0 && (
        <ul className="notes" data-testid="test-notes">
          {report.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
