// The Setup tab: the progress, the health findings, and every step of the Salesforce single
// sign-on and provisioning setup in order. Each step has an address
// (/applications/<app>/setup/<step>) that opens it, so a reload or a finding's link lands there.
import { useQuery } from "@tanstack/react-query";
import { useParams } from "@tanstack/react-router";
import type { Application } from "../../bindings";
import { messageOf } from "../../lib/ipc";
import { setupStatusQuery } from "../../lib/queries";
import { HealthPanel } from "./HealthPanel";
import { StepItem } from "./StepItem";
import { STEP_IDS, parseStep } from "./steps";
import "./setup.css";

/** While the Setup tab is open the status follows what other tabs and the core change. */
const REFRESH_MS = 5000;

export function SetupPanel({ app }: { app: Application }) {
  const params = useParams({ strict: false }) as { step?: string };
  const open = parseStep(params.step);
  const status = useQuery({ ...setupStatusQuery(app.name), refetchInterval: REFRESH_MS });
  const data = status.data;

  return (
    <div className="setup" data-testid="setup">
      <div className="setup-progress" aria-busy={status.isPending}>
        {data ? (
          <>
            <span data-testid="setup-progress">
              <strong>{data.done}</strong> of <strong>{data.total}</strong> steps done
            </span>
            <progress value={data.done} max={data.total} aria-label="Setup progress" />
          </>
        ) : (
          <span className="skeleton-line" aria-hidden="true" />
        )}
      </div>
      {status.isError && (
        <div className="card" role="alert" data-testid="setup-error">
          <p className="error-text">{messageOf(status.error)}</p>
          <button type="button" onClick={() => void status.refetch()}>
            Try again
          </button>
        </div>
      )}
      <HealthPanel app={app} status={status} />
      {params.step && !open && (
        <p className="warn-text" role="status" data-testid="setup-unknown-step">
          There is no setup step named <code>{params.step}</code>; the checklist is below.
        </p>
      )}
      <ol className="setup-steps" aria-label="Setup checklist" aria-busy={status.isPending}>
        {data
          ? data.steps.map((step, i) => <StepItem key={step.id} app={app} step={step} index={i} open={step.id === open} />)
          : STEP_IDS.map((id) => <li key={id} className="setup-step skeleton" aria-hidden="true" />)}
      </ol>
    </div>
  );
}
