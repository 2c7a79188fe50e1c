// The health findings of an application: what is wrong, what fixes it, and a link to the step.
import type { UseQueryResult } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import type { Application, SetupStatus } from "../../bindings";
import { SEVERITY_LABEL } from "./steps";

export function HealthPanel({ app, status }: { app: Application; status: UseQueryResult<SetupStatus> }) {
  const data = status.data;
  const titleOf = (id: string) => {
    const i = data?.steps.findIndex((s) => s.id === id) ?? -1;
    const step = data?.steps[i];
    return step ? `${i + 1}. ${step.title}` : id;
  };
  return (
    <section className="card setup-health" aria-label="Health" data-testid="setup-health">
      <div className="setup-health-head">
        <h3>Health</h3>
        <button
          type="button"
          className="small"
          onClick={() => void status.refetch()}
          disabled={status.isFetching}
          data-testid="setup-recheck"
        >
          {status.isFetching ? "Checking…" : "Check again"}
        </button>
      </div>
      {!data && !status.isError && <span className="skeleton-line" aria-hidden="true" />}
      {data && data.findings.length === 0 && (
        <p className="ok-text" data-testid="setup-no-findings">
          No problems found.
        </p>
      )}
      {data && data.findings.length > 0 && (
        <ul className="findings">
          {data.findings.map((f, i) => (
            <li key={`${f.step}-${i}`} className={`finding ${f.severity}`} data-testid={`finding-${i}`}>
              <span className={`badge severity-${f.severity}`}>{SEVERITY_LABEL[f.severity]}</span>
              <div>
                <p className="finding-message">{f.message}</p>
                <p className="muted">
                  {f.action}{" "}
                  <Link
                    to="/applications/$app/setup/$step"
                    params={{ app: app.name, step: f.step }}
                    data-testid={`finding-link-${i}`}
                  >
                    Go to step {titleOf(f.step)}
                  </Link>
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
