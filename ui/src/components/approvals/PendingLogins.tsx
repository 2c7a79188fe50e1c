import { useCallback, useEffect, useState } from "react";
import { listen } from "@tauri-apps/api/event";
import { commands, type AuthorizedUser, type PendingLogin } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";

const CHANGED = "saml://pending-logins";

/**
 * SP-initiated logins waiting for the admin. The browser that sent one shows the same code; only
 * here can someone be chosen to sign in. Requests expire after two minutes.
 */
export function PendingLogins() {
  const [pending, setPending] = useState<PendingLogin[]>([]);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(() => {
    unwrap(commands.pendingLogins()).then(
      (list) => {
        setPending(list);
        setError(null);
      },
      (e: unknown) => setError(messageOf(e)),
    );
  }, []);

  useEffect(() => {
    let stop: (() => void) | undefined;
    let gone = false;
    void unwrap(commands.watchPendingLogins()).catch(() => undefined);
    listen(CHANGED, reload).then((unlisten) => {
      if (gone) unlisten();
      else stop = unlisten;
    }, () => undefined);
    reload();
    // Expiry sends no event: look again while anything waits.
    const timer = window.setInterval(reload, 5000);
    return () => {
      gone = true;
      stop?.();
      window.clearInterval(timer);
    };
  }, [reload]);

  if (pending.length === 0 && !error) return null;
  return (
    <section className="card approvals" aria-label="Login requests" data-testid="pending-logins">
      <h2>Login requests waiting for you</h2>
      {error && <p className="error-text" role="alert">{error}</p>}
      {pending.map((p) => (
        <PendingRow key={p.id} login={p} onDone={reload} />
      ))}
    </section>
  );
}

function PendingRow({ login, onDone }: { login: PendingLogin; onDone: () => void }) {
  const [users, setUsers] = useState<AuthorizedUser[] | null>(null);
  const [user, setUser] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    unwrap(commands.authorizedUsers(login.app)).then((list) => {
      setUsers(list);
      setUser(list[0]?.email ?? "");
    }, (e: unknown) => setMessage(messageOf(e)));
  }, [login.app]);

  const act = async (approve: boolean) => {
    setBusy(true);
    setMessage(null);
    try {
      if (approve) await unwrap(commands.approveLogin(login.id, user));
      else await unwrap(commands.denyLogin(login.id));
      onDone();
    } catch (e) {
      setMessage(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

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
