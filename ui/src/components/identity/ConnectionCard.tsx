// The connection's state, who it is connected as, and Test / Re-authorize / Deactivate.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { commands, type Application, type ConnectionView } from "../../bindings";
import { PHASE_LABEL, connectedAs } from "../../lib/connectionState";
import { messageOf, unwrap } from "../../lib/ipc";
import { notify } from "../../lib/notify";
import { keys } from "../../lib/queries";
import { ConfirmDialog } from "../ui/ConfirmDialog";
import { ConnectForm } from "./ConnectForm";
import { PushStatus } from "./PushStatus";
import { TestReportView } from "./TestReportView";

export function ConnectionCard({ app, view }: { app: Application; view: ConnectionView }) {
  const client = useQueryClient();
  const c = view.connection;
  const [reconnecting, setReconnecting] = useState(false);
  const [confirmOpen, setConfirmOpen] = useState(false);
  const test = useMutation({ mutationFn: () => unwrap(commands.scimTest(app.name)) });
  const disconnect = useMutation({
    mutationFn: () => unwrap(commands.scimDisconnect(app.name)),
    onSuccess: () => {
      setConfirmOpen(false);
      void client.invalidateQueries({ queryKey: keys.scim });
      notify.ok(`Provisioning to ${app.label} is deactivated.`);
    },
  });

  return (
    <section className="card" aria-label="Connection" data-testid="connection-card">
      <h3>Connection</h3>
      <p data-testid="idm-state">
        <span className={`badge state-${c.state}`}>{PHASE_LABEL[c.state]}</span>{" "}
        {c.state === "connected" && (
          <>
            as <code data-testid="idm-account">{connectedAs(view)}</code>
          </>
        )}
        {c.state === "reauth_needed" && "Salesforce refused the saved authorization: authorize again to resume provisioning."}
        {c.state === "deactivated" && "Provisioning is stopped. Links are kept, so connecting again duplicates nobody."}
      </p>
      <dl className="facts">
        <dt>Target</dt>
        <dd>{c.kind === "salesforce" ? "Salesforce" : "SCIM server"} · <code>{c.scim_base}</code></dd>
        <dt>Linked</dt>
        <dd data-testid="idm-linked">
          {view.linked_users} user(s), {view.linked_groups} group(s)
        </dd>
        {view.last_run && (
          <>
            <dt>Last sync</dt>
            <dd data-testid="idm-last-run">
              {new Date(view.last_run.started_at).toLocaleString()} · {view.last_run.status} · {view.last_run.created} created,{" "}
              {view.last_run.updated} updated, {view.last_run.deactivated} deactivated, {view.last_run.failed} failed
            </dd>
          </>
        )}
      </dl>
      <PushStatus app={app.name} />
      <div className="actions">
        {c.state === "connected" && (
          <button type="button" onClick={() => test.mutate()} disabled={test.isPending} data-testid="scim-test">
            {test.isPending ? "Testing…" : "Test connection"}
          </button>
        )}
        {c.state !== "deactivated" ? (
          <button type="button" onClick={() => setReconnecting(true)} className={c.state === "reauth_needed" ? "primary" : ""} data-testid="scim-reauth">
            Re-authorize
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => setReconnecting(true)} data-testid="scim-reconnect">
            Connect again
          </button>
        )}
        {c.state !== "deactivated" && (
          <ConfirmDialog
            open={confirmOpen}
            onOpenChange={setConfirmOpen}
            trigger={
              <button type="button" className="danger-outline" data-testid="scim-deactivate">
                Deactivate…
              </button>
            }
            title={`Deactivate provisioning to ${app.label}?`}
            confirmLabel="Deactivate"
            busy={disconnect.isPending}
            onConfirm={() => disconnect.mutate()}
            testId="deactivate-dialog"
          >
            <p>Nothing is pushed to {app.label} any more and the saved authorization is removed. Users already there stay as they are.</p>
            {disconnect.isError && <p className="error-text" role="alert">{messageOf(disconnect.error)}</p>}
          </ConfirmDialog>
        )}
      </div>
      {test.isError && (
        <p className="error-text" role="alert" data-testid="scim-test-error">
          {messageOf(test.error)}
        </p>
      )}
      {test.data && <TestReportView report={test.data} />}
      {reconnecting && <ConnectForm app={app} existing={c} onDone={() => setReconnecting(false)} />}
    </section>
  );
}
