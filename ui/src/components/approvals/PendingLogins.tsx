import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { listen } from "@tauri-apps/api/event";
import { useEffect, useState } from "react";
import { commands, type PendingLogin } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";
import { authorizedUsersQuery } from "../../lib/queries";

const CHANGED = "saml://pending-logins";
const pendingKey = ["saml", "pending-logins"] as const;

/**
 * SP-initiated logins waiting for the admin. The browser that sent one shows the same code; only
 * here can someone be chosen to sign in. Requests expire after two minutes.
 */
export function PendingLogins() {
  const client = useQueryClient();
  const pending = useQuery({
    queryKey: pendingKey,
    queryFn: () => unwrap(commands.pendingLogins()),
    // Expiry sends no event: look again while anything waits.
    refetchInterval: (q) => ((q.state.data?.length ?? 0) > 0 ? 5000 : false),
  });
  // The core says when a request arrives or is decided.
  useEffect(() => {
    let stop: (() => void) | undefined;
    let gone = false;
    void unwrap(commands.watchPendingLogins()).catch(() => undefined);
    listen(CHANGED, () => void client.invalidateQueries({ queryKey: pendingKey })).then(
      (unlisten) => (gone ? unlisten() : (stop = unlisten)),
      () => undefined,
    );
    return () => {
      gone = true;
      stop?.();
    };
  }, [client]);

  const list = pending.data ?? [];
  if (list.length === 0 && !pending.isError) return null;
  return (
    <section className="card approvals" aria-label="Login requests" data-testid="pending-logins">
      <h2>Login requests waiting for you</h2>
      {pending.isError && (
        <p className="error-text" role="alert">
          {messageOf(pending.error)}
        </p>
      )}
      {list.map((p) => (
        <PendingRow key={p.id} login={p} onDone={() => void client.invalidateQueries({ queryKey: pendingKey })} />
      ))}
    </section>
  );
}

function PendingRow({ login, onDone }: { login: PendingLogin; onDone: () => void }) {
  const authorized = useQuery(authorizedUsersQuery(login.app));
  const users = authorized.data ?? null;
  const [chosen, setUser] = useState("");
  const user = chosen || (users?.[0]?.email ?? "");
  const decide = useMutation({
    mutationFn: (approve: boolean) => (approve ? unwrap(commands.approveLogin(login.id, user)) : unwrap(commands.denyLogin(login.id))),
    onSuccess: onDone,
  });
  const busy = decide.isPending;
  const failure = decide.error ?? authorized.error;
  const message = failure ? messageOf(failure) : null;
  const act = (approve: boolean) => decide.mutate(approve);

  const expires = new Date(login.expires_at).toLocaleTimeString();
  return (
    <div className="approval" data-testid={`pending-${login.code}`}>
      <p>
        <b>{login.app_label}</b> asks Lanyard to sign someone in, for <code>{login.login_url}</code>, at{" "}
        {new Date(login.received_at).toLocaleTimeString()}. The browser shows the code{" "}
        <code className="approval-code" data-testid="pending-code">{login.code}</code>; approve only if it matches. Expires at {expires}.
      </p>
      {users && users.length === 0 && <p className="muted">No one is authorized for {login.app_label}: bind a group first, or deny.</p>}
      <div className="row">
        {users && users.length > 0 && (
          <select value={user} onChange={(e) => setUser(e.target.value)} aria-label="User who signs in" data-testid="pending-user">
            {users.map((u) => (
              <option key={u.email} value={u.email}>
                {u.displayname || u.email} ({u.email})
              </option>
            ))}
          </select>
        )}
        <button type="button" className="primary" disabled={busy || !user} onClick={() => void act(true)} data-testid="pending-approve">
          Approve
        </button>
        <button type="button" disabled={busy} onClick={() => void act(false)} data-testid="pending-deny">
          Deny
        </button>
      </div>
      {message && <p className="error-text" role="alert">{message}</p>}
    </div>
  );
}
