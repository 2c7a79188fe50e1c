// One step of the checklist: its status, why it matters, what Lanyard sees, the admin's marks,
// and (when open) what helps to do it.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useRef } from "react";
import { commands, type Application, type Mark, type Step } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";
import { keys } from "../../lib/queries";
import { StepContent } from "./StepContent";
import { STATUS_LABEL } from "./steps";

export function StepItem({ app, step, index, open }: { app: Application; step: Step; index: number; open: boolean }) {
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (open) ref.current?.scrollIntoView({ block: "start" });
  }, [open]);
  const headingId = `setup-step-title-${step.id}`;

  return (
    <li
      ref={ref}
      id={`setup-step-${step.id}`}
      className={`setup-step status-${step.status}${open ? " open" : ""}`}
      data-testid={`setup-step-${step.id}`}
      data-status={step.status}
      aria-labelledby={headingId}
    >
      <div className="setup-step-head">
        <span className="setup-num" aria-hidden="true">
          {index + 1}
        </span>
        <h3 id={headingId}>
          {open ? (
            <Link
              to="/applications/$app/$tab"
              params={{ app: app.name, tab: "setup" }}
              aria-expanded="true"
              data-testid={`setup-step-link-${step.id}`}
            >
              {step.title}
            </Link>
          ) : (
            <Link
              to="/applications/$app/setup/$step"
              params={{ app: app.name, step: step.id }}
              aria-expanded="false"
              data-testid={`setup-step-link-${step.id}`}
            >
              {step.title}
            </Link>
          )}
        </h3>
        <span className={`badge step-${step.status}`} data-testid={`setup-status-${step.id}`}>
          {STATUS_LABEL[step.status]}
        </span>
      </div>
      <p className="setup-why">{step.why}</p>
      {step.detail && (
        <p className="setup-detail" data-testid={`setup-detail-${step.id}`}>
          {step.detail}
        </p>
      )}
      <Marks app={app} step={step} />
      {open && (
        <div className="setup-content" data-testid={`setup-content-${step.id}`}>
          <StepContent app={app} step={step.id} />
        </div>
      )}
    </li>
  );
}

/** Mark done / Skip / Undo; the core decides (derived steps refuse "done") and its error shows here. */
function Marks({ app, step }: { app: Application; step: Step }) {
  const client = useQueryClient();
  const mark = useMutation({
    mutationFn: (m: Mark) => unwrap(commands.setupMark(app.name, step.id, m)),
    onSuccess: (status) => {
      client.setQueryData(keys.setupStatus(app.name), status);
      void client.invalidateQueries({ queryKey: keys.setupStatus(app.name) });
    },
  });
  const run = (m: Mark) => {
    mark.reset();
    mark.mutate(m);
  };
  // A refusal belongs to the state it was given in: it goes when the step's status changes.
  const { reset } = mark;
  useEffect(() => reset(), [step.status, reset]);
  // A mark the admin can take back: a skip, or the admin's own "done".
  const marked = step.status === "skipped" || (step.confirmed_by_admin && step.status === "done");
  const id = step.id;
  return (
    <div className="setup-marks">
      <span className="muted setup-who">
        {step.confirmed_by_admin ? "You confirm this step." : "Lanyard checks this step itself."}
      </span>
      {step.status !== "done" && (
        <button type="button" className="small" disabled={mark.isPending} onClick={() => run("done")} data-testid={`setup-mark-done-${id}`}>
          Mark done
        </button>
      )}
      {(step.status === "todo" || step.status === "needs_attention") && (
        <button type="button" className="small" disabled={mark.isPending} onClick={() => run("skipped")} data-testid={`setup-skip-${id}`}>
          Skip
        </button>
      )}
      {marked && (
        <button type="button" className="small" disabled={mark.isPending} onClick={() => run("todo")} data-testid={`setup-undo-${id}`}>
          Undo
        </button>
      )}
      {mark.isError && (
        <p className="error-text setup-mark-error" role="alert" data-testid={`setup-mark-error-${id}`}>
          {messageOf(mark.error)}
        </p>
      )}
    </div>
  );
}
