import { useEffect, useState } from "react";
import { commands, type Application, type AuthorizedUser, type IdpEndpoint } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";

/** IdP-initiated test login in the system browser, and how to start an SP-initiated one. */
export function TestLoginCard({ app }: { app: Application }) {
  const [users, setUsers] = useState<AuthorizedUser[] | null>(null);
  const [endpoint, setEndpoint] = useState<IdpEndpoint | null>(null);
  const [user, setUser] = useState("");
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    unwrap(commands.authorizedUsers(app.name)).then((list) => {
      setUsers(list);
      setUser(list[0]?.email ?? "");
    }, (e: unknown) => setResult({ ok: false, text: messageOf(e) }));
    commands.idpEndpoint().then(setEndpoint, () => undefined);
  }, [app.name]);

  const start = async () => {
    setResult(null);
    try {
      const url = await unwrap(commands.testLogin(app.name, user));
      setResult({ ok: true, text: `Opened your browser on a one-time page (${url}); it posts to Salesforce and works once, for 60 seconds.` });
    } catch (e) {
      setResult({ ok: false, text: messageOf(e) });
    }
  };

  return (
    <section className="card" aria-label="Test login">
      <h2>Test login</h2>
      {users && users.length === 0 && (
        <p className="muted">No one is authorized yet: bind a group on the User groups tab and add members.</p>
      )}
      {users && users.length > 0 && (
        <div className="row">
          <select value={user} onChange={(e) => setUser(e.target.value)} aria-label="User who signs in" data-testid="test-login-user">
            {users.map((u) => (
              <option key={u.email} value={u.email}>
                {u.displayname || u.email} ({u.email})
              </option>
            ))}
          </select>
          <button type="button" className="primary" onClick={start} disabled={!user} data-testid="test-login">
            Sign in to Salesforce (IdP-initiated)
          </button>
        </div>
      )}
      <p className="muted">
        SP-initiated: open Salesforce's login page ({app.login_url}) and choose the Lanyard button; Salesforce sends the
        request to {endpoint ? <code>{endpoint.url}/saml2/{app.idp_path}</code> : "Lanyard's IdP endpoint"}. The browser then
        shows a short code and waits: approve the request, with the same code, in the “Login requests” panel at the top of
        this window and pick who signs in.
      </p>
      {endpoint?.error && endpoint.error !== "starting" && <p className="error-text">The IdP endpoint is not running: {endpoint.error}</p>}
      {result && <p className={result.ok ? "ok-text" : "error-text"} role="status">{result.text}</p>}
    </section>
  );
}
