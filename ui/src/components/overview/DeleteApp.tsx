// Deleting an application, as the seed describes it: the admin types how many applications are
// being deleted; users already provisioned to Salesforce stay active there and lose their way in
// (single sign-on goes with the application), so the dialog offers to deactivate them first.
import * as Dialog from "@radix-ui/react-dialog";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Channel } from "@tauri-apps/api/core";
import { useState } from "react";
import { commands, type Application, type Progress } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";
import { progressText } from "../../lib/planCounts";
import { keys, scimStatusQuery } from "../../lib/queries";

/** How many applications this dialog deletes (one): what the admin types. */
const COUNT = 1;

export function DeleteApp({ app, onDeleted }: { app: Application; onDeleted: () => void }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [progress, setProgress] = useState<Progress | null>(null);
  const client = useQueryClient();
  const status = useQuery({ ...scimStatusQuery(app.name), enabled: open });
  const linked = status.data?.linked_users ?? 0;
  const deprovision = useMutation({
    mutationFn: () => {
      const channel = new Channel<Progress>();
      channel.onmessage = setProgress;
      return unwrap(commands.deprovisionAll(app.name, channel));
    },
    onSettled: () => {
      setProgress(null);
      void client.invalidateQueries({ queryKey: keys.scim });
      void client.invalidateQueries({ queryKey: keys.events });
    },
  });
  const remove = useMutation({
    mutationFn: () => unwrap(commands.deleteApp(app.name)),
    onSuccess: () => {
      setOpen(false);
      onDeleted();
    },
  });
  const done = deprovision.data?.summary;
  const confirmed = typed.trim() === String(COUNT);
  const busy = deprovision.isPending || remove.isPending;

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(o) => {
        if (busy) return;
        setOpen(o);
        if (!o) setTyped("");
      }}
    >
      <Dialog.Trigger asChild>
        <button type="button" className="danger-outline" data-testid="delete-app">
          Delete application…
        </button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog" data-testid="delete-app-dialog">
          <Dialog.Title>Delete {app.label}?</Dialog.Title>
          <Dialog.Description asChild>
            <div>
              <p>
                Its single sign-on settings, certificates and keys, group bindings and SCIM connection are removed for good.
                The directory's users and groups stay.
              </p>
              <p className="warning-text" data-testid="delete-app-warning">
                Users already provisioned to Salesforce stay active there, and without Lanyard they can no longer log in
                with their old password. Deactivate them first, or give them another way in.
              </p>
            </div>
          </Dialog.Description>
          {linked > 0 && (
            <div className="deprovision" data-testid="delete-app-deprovision">
              {done ? (
                <p data-testid="delete-app-deprovisioned">
                  {done.deleted > 0
                    ? `${done.deactivated} user(s) deactivated and ${done.deleted} deleted in the target`
                    : `${done.deactivated} user(s) deactivated in the target`}
                  {done.failed > 0 ? `, ${done.failed} failed (see Events)` : ""}. Automatic push is now off for this application.
                </p>
              ) : (
                <button type="button" onClick={() => deprovision.mutate()} disabled={busy} data-testid="delete-app-deprovision-button">
                  {deprovision.isPending ? "Deactivating…" : `Deactivate the ${linked} provisioned user(s) first`}
                </button>
              )}
              {progress && <p className="muted" role="status">{progressText(progress)}</p>}
              {deprovision.isError && <p className="error-text" role="alert">{messageOf(deprovision.error)}</p>}
            </div>
          )}
          <label>
            You are deleting {COUNT} application. Type {COUNT} to confirm.
            <input
              inputMode="numeric"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              aria-invalid={typed !== "" && !confirmed ? true : undefined}
              data-testid="delete-app-count"
            />
          </label>
          {remove.isError && <p className="error-text" role="alert">{messageOf(remove.error)}</p>}
          <div className="actions">
            <button type="button" className="danger" disabled={!confirmed || busy} onClick={() => remove.mutate()} data-testid="delete-app-confirm">
              {remove.isPending ? "Deleting…" : "Delete"}
            </button>
            <Dialog.Close asChild>
              <button type="button" disabled={busy}>
                Keep it
              </button>
            </Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
