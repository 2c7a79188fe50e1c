// The connection's settings: automatic push, what leaving scope does, picklist values.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { commands, type Application, type ConnectionSettings, type ConnectionView, type Deprovision } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";
import { keys } from "../../lib/queries";
import { useOptimisticValue } from "../../lib/useOptimisticValue";

const NONE: ConnectionSettings = { deprovision: null, auto_push: null, picklists_on: null };

export function ScimSettingsCard({ app, view }: { app: Application; view: ConnectionView }) {
  const client = useQueryClient();
  const c = view.connection;
  const save = useMutation({
    mutationFn: (change: Partial<ConnectionSettings>) => unwrap(commands.scimSettings(app.name, { ...NONE, ...change })),
    onSuccess: (next) => client.setQueryData(keys.scimStatus(app.name), next),
  });
  // While a change is on its way, show it (the core's answer replaces it).
  const optimistic = useOptimisticValue({ auto_push: c.auto_push, picklists_on: c.picklists_on, deprovision: c.deprovision });
  const { auto_push: autoPush, picklists_on: picklists, deprovision } = optimistic.shown;
  const change = (next: Partial<ConnectionSettings>) => {
    const settled = optimistic.ask({ ...optimistic.shown, ...Object.fromEntries(Object.entries(next).filter(([, v]) => v !== null)) });
    save.mutate(next, { onSettled: settled });
  };
  return (
    <section className="card form" aria-label="Provisioning settings" data-testid="scim-settings">
      <h3>Settings</h3>
      <label className="inline">
        <input
          type="checkbox"
          checked={autoPush}
          disabled={save.isPending}
          onChange={(e) => change({ auto_push: e.target.checked })}
          data-testid="setting-auto-push"
        />
        Push directory changes automatically (a second after the last change)
      </label>
      {view.capabilities.user_delete ? (
        <label>
          When a user leaves scope
          <select
            value={deprovision}
            disabled={save.isPending}
            onChange={(e) => change({ deprovision: e.target.value as Deprovision })}
            data-testid="setting-deprovision"
          >
            <option value="deactivate">Deactivate the user (active = false)</option>
            <option value="delete">Delete the user</option>
          </select>
        </label>
      ) : (
        <p className="muted" data-testid="setting-deprovision-fixed">
          A user who leaves scope is deactivated: {c.kind === "salesforce" ? "Salesforce never deletes users" : "this target cannot delete users"}.
        </p>
      )}
      <label className="inline">
        <input
          type="checkbox"
          checked={picklists}
          disabled={save.isPending}
          onChange={(e) => change({ picklists_on: e.target.checked })}
          data-testid="setting-picklists"
        />
        The org has State and Country picklists turned on
      </label>
      {save.isError && (
        <p className="error-text" role="alert" data-testid="settings-error">
          {messageOf(save.error)}
        </p>
      )}
    </section>
  );
}
