// Review sync (the plan, nothing sent) and Sync now (progress, Cancel, the result with Retry).
import { useMutation, useQuery } from "@tanstack/react-query";
import { commands, type Application } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";
import { useSyncRun } from "../../lib/useSyncRun";
import { PlanView } from "./PlanView";
import { pushStateKey } from "./PushStatus";
import { SyncProgress } from "./SyncProgress";
import { SyncResult } from "./SyncResult";

export function SyncCard({ app }: { app: Application }) {
  const plan = useMutation({ mutationFn: () => unwrap(commands.syncPlan(app.name)) });
  const { run, progress, cancel } = useSyncRun(app.name);
  // An automatic push holds the application's one sync: Sync now waits for it (kept current by
  // the shell's state events, which PushStatus listens to).
  const pushing = useQuery({ queryKey: pushStateKey(app.name), queryFn: () => commands.autopushState(app.name) }).data?.pushing ?? false;
  const start = (allow: boolean) => {
    plan.reset();
    run.mutate(allow);
  };

  return (
    <section className="card" aria-label="Sync" data-testid="sync-card">
      <h3>Sync</h3>
      <p className="muted">Review what a sync would send before anything leaves this computer, then push it.</p>
      <div className="actions">
        <button type="button" onClick={() => plan.mutate()} disabled={plan.isPending || run.isPending} data-testid="sync-review">
          {plan.isPending ? "Planning…" : "Review sync"}
        </button>
        <button type="button" className="primary" onClick={() => start(false)} disabled={run.isPending || pushing} data-testid="sync-now">
          {pushing ? "Pushing changes…" : "Sync now"}
        </button>
      </div>
      {plan.isPending && (
        <p className="muted" aria-busy="true" data-testid="plan-loading">
          Comparing the directory with {app.label}…
        </p>
      )}
      {plan.isError && (
        <p className="error-text" role="alert" data-testid="plan-error">
          {messageOf(plan.error)}
        </p>
      )}
      {plan.data && !run.isPending && <PlanView report={plan.data} />}
      {run.isPending && <SyncProgress progress={progress} onCancel={cancel} />}
      {run.isError && (
        <div role="alert" data-testid="sync-error">
          <p className="error-text">{messageOf(run.error)}</p>
          <button type="button" onClick={() => start(false)}>
            Retry
          </button>
        </div>
      )}
      {run.data && !run.isPending && <SyncResult report={run.data} onRetry={() => start(false)} onAllow={() => start(true)} />}
    </section>
  );
}
