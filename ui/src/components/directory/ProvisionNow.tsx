// "Provision now" in a user's drawer: pushes this user alone to every application with a working
// connection that the user is authorized for, and shows each outcome here.
import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands, type SyncReport, type User } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";
import { appsQuery, authorizedUsersQuery, keys, scimStatusQuery } from "../../lib/queries";

type Outcome = { app: string; report: SyncReport | null; error: string | null };

export function ProvisionNow({ user }: { user: User }) {
  const client = useQueryClient();
  const apps = useQuery(appsQuery);
  const names = apps.data?.map((a) => a.name) ?? [];
  const statuses = useQueries({ queries: names.map((n) => scimStatusQuery(n)) });
  const authorized = useQueries({ queries: names.map((n) => authorizedUsersQuery(n)) });
  const loading = apps.isPending || statuses.some((s) => s.isPending) || authorized.some((a) => a.isPending);
  const targets = names.filter(
    (_, i) =>
      statuses[i]?.data?.connection.state === "connected" &&
      (authorized[i]?.data ?? []).some((u) => u.id === user.id),
  );
  const push = useMutation({
    mutationFn: async (): Promise<Outcome[]> => {
      const out: Outcome[] = [];
      for (const app of targets) {
        try {
          out.push({ app, report: await unwrap(commands.provisionUser(app, user.email)), error: null });
        } catch (e) {
          out.push({ app, report: null, error: messageOf(e) });
        }
      }
      return out;
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: keys.scim });
      void client.invalidateQueries({ queryKey: keys.events });
    },
  });

  return (
    <section className="provision-now" aria-label="Provisioning" data-testid="provision-now">
      <h3>Provisioning</h3>
      {loading ? (
        <p className="muted" aria-busy="true">Finding the applications this user is provisioned to…</p>
      ) : targets.length === 0 ? (
        <p className="muted" data-testid="provision-none">
          No connected application has this user in scope: bind one of their groups to an application with a connection.
        </p>
      ) : (
        <>
          <p className="muted">To {targets.join(", ")}</p>
          <button type="button" onClick={() => push.mutate()} disabled={push.isPending} data-testid="provision-user">
            {push.isPending ? "Provisioning…" : "Provision now"}
          </button>
        </>
      )}
      {push.data && (
        <ul className="provision-outcomes" data-testid="provision-outcomes">
          {push.data.map((o) => (
            <li key={o.app} className={o.error || o.report?.failures.length ? "error-text" : "ok-text"} data-testid={`provision-${o.app}`}>
              <strong>{o.app}</strong>: {o.error ?? describe(o.report)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function describe(r: SyncReport | null): string {
  if (!r) return "";
  if (r.failures.length > 0) return r.failures.map((f) => f.message).join("; ");
  if (r.problems.length > 0) return r.problems.map((p) => p.message).join("; ");
  const s = r.summary;
  const did = [
    s.created && `created`,
    s.updated && `updated`,
    (s.deactivated || s.deleted) && `deactivated`,
    s.linked && `linked`,
  ].filter(Boolean);
  return did.length ? `${did.join(", ")}.` : "already up to date.";
}
