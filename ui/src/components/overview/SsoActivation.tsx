// Single sign-on on or off for the application: off keeps every setting and signs nothing (the
// test logins and Salesforce's SP-initiated logins are refused with a message saying so).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { commands, type Application } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";
import { notify } from "../../lib/notify";
import { keys } from "../../lib/queries";
import { ConfirmDialog } from "../ui/ConfirmDialog";

export function SsoActivation({ app }: { app: Application }) {
  const client = useQueryClient();
  const [asking, setAsking] = useState(false);
  const set = useMutation({
    mutationFn: (enabled: boolean) => unwrap(commands.setSsoEnabled(app.name, enabled)),
    onSuccess: (a) => {
      setAsking(false);
      void client.invalidateQueries({ queryKey: keys.apps });
      void client.invalidateQueries({ queryKey: keys.portal });
      notify.ok(a.sso_enabled ? `Single sign-on to ${a.label} is on again.` : `Single sign-on to ${a.label} is deactivated.`, "toast-sso");
    },
  });
  return (
    <section className="card" aria-label="Single sign-on" data-testid="sso-activation">
      <h3>Single sign-on</h3>
      <p data-testid="sso-state">
        {app.sso_enabled ? (
          <>On: Lanyard signs logins to {app.label} for its authorized users.</>
        ) : (
          <strong>Deactivated: Lanyard signs no login to {app.label}. Its settings are kept.</strong>
        )}
      </p>
      {app.sso_enabled ? (
        <ConfirmDialog
          open={asking}
          onOpenChange={setAsking}
          trigger={
            <button type="button" className="danger-outline" data-testid="sso-deactivate">
              Deactivate single sign-on…
            </button>
          }
          title={`Deactivate single sign-on to ${app.label}?`}
          confirmLabel="Deactivate"
          busy={set.isPending}
          onConfirm={() => set.mutate(false)}
          testId="sso-deactivate-dialog"
        >
          <p>
            Nobody can sign in to {app.label} through Lanyard until you activate it again; the certificates, metadata and
            groups are kept. If Salesforce still has Lanyard as its only login method, uncheck it in Authentication
            Configuration first and keep the Login Form, or users cannot log in at all.
          </p>
          {set.isError && <p className="error-text">{messageOf(set.error)}</p>}
        </ConfirmDialog>
      ) : (
        <button type="button" onClick={() => set.mutate(true)} disabled={set.isPending} data-testid="sso-activate">
          Activate single sign-on
        </button>
      )}
      {set.isError && !asking && <p className="error-text" role="alert">{messageOf(set.error)}</p>}
    </section>
  );
}
