// The "User groups" tab of an application: a checkbox per group authorizes its members, and the
// Data Loader file sets their Federation IDs in Salesforce for just-in-time provisioning.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands, type Application } from "../bindings";
import { messageOf, unwrap } from "../lib/ipc";
import { notify } from "../lib/notify";
import { keys } from "../lib/queries";
import { useOptimisticValue } from "../lib/useOptimisticValue";
import { EmptyState } from "./EmptyState";

type Binding = { groupId: string; name: string; bound: boolean };

export function AppUserGroups({ app }: { app: Application }) {
  const client = useQueryClient();
  const access = useQuery({ queryKey: keys.appGroups(app.name), queryFn: () => unwrap(commands.listAppGroups(app.name)) });
  const bind = useMutation({
    mutationFn: ({ groupId, bound }: Binding) => unwrap(commands.setAppGroup(app.name, groupId, bound)),
    onSuccess: (_, { name, bound }) => {
      notify.ok(bound ? `${name}'s members are now authorized for ${app.label}.` : `${name} no longer authorizes its members for ${app.label}.`, "app-groups-notice");
      // Who is authorized feeds the checklist, provisioning and the portal too.
      return Promise.all([keys.directory, keys.setup, keys.scim, keys.portal].map((queryKey) => client.invalidateQueries({ queryKey })));
    },
    onError: (e) => notify.error(e, "app-groups-notice"),
  });
  const bound = Object.fromEntries((access.data ?? []).map((g) => [g.group_id, g.bound]));
  const optimistic = useOptimisticValue<Record<string, boolean>>(bound);
  const federation = useMutation({
    mutationFn: () => unwrap(commands.saveFederationFile(app.name)),
    onSuccess: (file) =>
      file && notify.ok(`Saved ${file.path} with ${file.users} user(s): load it with Data Loader (Update, User, match on Username).`, "app-groups-notice"),
    onError: (e) => notify.error(e, "app-groups-notice"),
  });

  if (access.isPending)
    return (
      <p className="muted" aria-busy="true">
        Loading groups…
      </p>
    );
  if (access.isError)
    return (
      <div role="alert" data-testid="app-groups-error">
        <p className="error-text">{messageOf(access.error)}</p>
        <button type="button" onClick={() => void access.refetch()}>
          Try again
        </button>
      </div>
    );
  if (access.data.length === 0)
    return (
      <EmptyState title="No groups yet">
        <p>Create groups on the Directory page, then tick them here to authorize their members for {app.label}.</p>
      </EmptyState>
    );
  // While a change is on its way, its box shows it (the core's answer replaces it).
  const shown = (groupId: string, saved: boolean) => optimistic.shown[groupId] ?? saved;
  const authorized = access.data.filter((g) => shown(g.group_id, g.bound)).reduce((n, g) => n + g.member_count, 0);
  return (
    <div data-testid="app-groups">
      <p className="muted">Members of the ticked groups are authorized for {app.label}.</p>
      <ul className="checklist">
        {access.data.map((g) => (
          <li key={g.group_id}>
            <label className="inline">
              <input
                type="checkbox"
                checked={shown(g.group_id, g.bound)}
                disabled={bind.isPending}
                onChange={(e) => {
                  const change = { groupId: g.group_id, name: g.name, bound: e.target.checked };
                  bind.mutate(change, { onSettled: optimistic.ask({ ...optimistic.shown, [change.groupId]: change.bound }) });
                }}
                data-testid={`app-group-${g.name}`}
              />
              <strong>{g.name}</strong>
              <span className="muted">
                {g.member_count} member(s){g.description ? ` · ${g.description}` : ""}
              </span>
            </label>
          </li>
        ))}
      </ul>
      <p className="muted">Up to {authorized} membership(s) authorized (a user in two ticked groups counts once when signing in).</p>
      <button type="button" onClick={() => federation.mutate()} disabled={federation.isPending} data-testid="federation-csv">
        Download Data Loader CSV (Username, FederationIdentifier)
      </button>
    </div>
  );
}
