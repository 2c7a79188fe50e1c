// One application's import as it runs and once it ended: the progress (count, rate, ETA), each
// row's outcome (row-by-row imports), the refused rows with the core's message, and the offer to
// put imported users in a group bound to the application so that Lanyard manages them.
import { useState } from "react";
import { progressText } from "../../lib/planCounts";
import { GroupPicker } from "./GroupPicker";
import { OUTCOME_TONE } from "./importColumns";
import { goodCount, key, outcomeLabel, outcomeToken, resultText } from "./importLogic";
import { cancelJob, dismissJob, startImport, stopJob, type Job } from "./importStore";

export function ImportJobView({ job, targetName }: { job: Job; targetName: string }) {
  const running = job.state === "running";
  const r = job.result;
  const count = job.selection.kind === "all" ? "every" : job.count.toLocaleString();
  return (
    <section className="card import-job" aria-label="Import" data-testid="import-job" data-state={job.state} data-mode={job.mode}>
      <h3>
        {running
          ? `Importing ${count} user(s)…`
          : job.state === "cancelled"
            ? "The import was cancelled"
            : job.state === "failed"
              ? "The import stopped"
              : "Import finished"}
      </h3>
      {running && job.mode === "background" && (
        <>
          <div className="sync-progress" role="status" aria-live="polite" data-testid="import-progress">
            <progress max={Math.max(job.progress?.total ?? 0, 1)} value={job.progress?.done ?? undefined} aria-label="Import progress" />
            <span data-testid="import-progress-text">{job.progress ? progressText(job.progress) : `Reading the users from ${targetName}…`}</span>
            <button type="button" onClick={() => cancelJob(job.app)} disabled={job.stopping} data-testid="import-cancel">
              {job.stopping ? "Cancelling…" : "Cancel"}
            </button>
          </div>
          <p className="muted" data-testid="import-background-note">
            It runs in the background: you can keep working anywhere in Lanyard, and a desktop notification tells you when it
            ends. Lanyard reads the chosen users from {targetName} first, then writes them a part at a time in one
            transaction, so the import lands whole or not at all: Cancel leaves the directory as it was.
          </p>
        </>
      )}
      {running && job.mode === "rows" && (
        <div className="sync-progress" role="status" aria-live="polite" data-testid="import-progress">
          <progress max={job.count} value={job.progress?.done ?? 0} aria-label="Import progress" />
          <span data-testid="import-progress-text">
            {(job.progress?.done ?? 0).toLocaleString()} / {job.count.toLocaleString()} · one user at a time
          </span>
          <button type="button" onClick={() => stopJob(job.app)} disabled={job.stopping} data-testid="import-stop">
            {job.stopping ? "Stopping after this user…" : "Stop after this user"}
          </button>
        </div>
      )}
      {job.error && (
        <p className="error-text" role="alert" data-testid="import-error">
          {job.error}
        </p>
      )}
      {r && (
        <p data-testid="import-summary" aria-live="polite">
          <strong>{goodCount(r).toLocaleString()} imported</strong> · {resultText(r)}
          {r.group && r.group_members_added > 0 && <> · {r.group_members_added} added to the group <strong>{r.group}</strong></>}
        </p>
      )}
      {job.mode === "rows" && <RowOutcomes job={job} />}
      {r && r.errors.length > 0 && (
        <div data-testid="import-errors">
          <h4>Refused ({r.errors.length})</h4>
          <p className="muted">The other rows were imported; these were left out, nothing of them written.</p>
          <table className="row-errors">
            <thead>
              <tr>
                <th>User</th>
                <th>Why</th>
              </tr>
            </thead>
            <tbody>
              {r.errors.slice(0, 1000).map((e, i) => (
                <tr key={`${e.email}-${i}`}>
                  <td><code>{e.email}</code></td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {r && r.not_found.length > 0 && (
        <p className="warn-text" data-testid="import-not-found">
          Not found on {targetName} any more: {r.not_found.slice(0, 20).join(", ")}
          {r.not_found.length > 20 ? ` and ${r.not_found.length - 20} more` : ""}.
        </p>
      )}
      {!running && r && r.not_in_scope > 0 && <ScopeOffer job={job} notInScope={r.not_in_scope} />}
      {!running && (
        <div className="actions">
          <button type="button" onClick={() => dismissJob(job.app)} data-testid="import-dismiss">
            Done
          </button>
        </div>
      )}
    </section>
  );
}

function RowOutcomes({ job }: { job: Job }) {
  return (
    <table className="plain import-outcomes" data-testid="import-outcomes">
      <thead>
        <tr>
          <th>User</th>
          <th>Result</th>
        </tr>
      </thead>
      <tbody>
        {(job.selection.kind === "rows" ? job.selection.usernames : []).map((u) => {
          const o = job.outcomes[key(u)] ?? { kind: "waiting" as const };
          const notTried = job.state !== "running" && o.kind === "waiting";
          return (
            <tr key={u} data-testid={`outcome-row-${key(u)}`} data-outcome={notTried ? "not_tried" : outcomeToken(o)}>
              <td><code>{u}</code></td>
              <td>
                <span className={`badge ${OUTCOME_TONE[o.kind]}`}>{notTried ? "Not imported" : outcomeLabel(o)}</span>
                {"message" in o && <span className="outcome-message"> {o.message}</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Imported users outside every group bound to the app are not managed: offer to add them to one. */
function ScopeOffer({ job, notInScope }: { job: Job; notInScope: number }) {
  const [group, setGroup] = useState<string | null>(null);
  const name = group?.trim() ?? "";
  return (
    <div className="held-box" role="region" aria-label="Not managed yet" data-testid="scope-offer">
      <p>
        <strong>{notInScope.toLocaleString()} imported user(s) are not managed yet.</strong> Lanyard manages a user for{" "}
        {job.appLabel} only when the user is a member of a group bound to it. Add them to a group (an existing one, or a new
        one bound to {job.appLabel}):
      </p>
      <div className="toolbar">
        <GroupPicker app={job.app} appLabel={job.appLabel} value={group} onChange={setGroup} testId="scope-group" allowNone={false} />
        <button
          type="button"
          className="primary"
          disabled={name === ""}
          onClick={() => startImport({ app: job.app, appLabel: job.appLabel, selection: job.selection, count: job.count, options: { ...job.options, group: name } })}
          data-testid="scope-add"
        >
          Add them to {name === "" ? "the group" : name}
        </button>
      </div>
    </div>
  );
}
