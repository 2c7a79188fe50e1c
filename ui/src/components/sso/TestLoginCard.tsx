import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { commands, type Application } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";
import { authorizedUsersQuery } from "../../lib/queries";
import { idpEndpointQuery } from "../setup/data";

/** IdP-initiated test login in the system browser, and how to start an SP-initiated one. The
 *  outcome stays in the card (the setup step shows it). */
export function TestLoginCard({ app }: { app: Application }) {
  const authorized = useQuery(authorizedUsersQuery(app.name));
  const endpoint = useQuery(idpEndpointQuery).data ?? null;
  const users = authorized.data ?? null;
  const [chosen, setUser] = useState("");
  const user = chosen || (users?.[0]?.email ?? "");
  const login = useMutation({ mutationFn: (email: string) => unwrap(commands.testLogin(app.name, email)) });
  const result = login.isSuccess
    ? { ok: true, text: `Opened your browser on a one-time page (${login.data}); it posts to Salesforce and works once, for 60 seconds.` }
    : login.isError
      ? { ok: false, text: messageOf(login.error) }
      : authorized.isError
        ? { ok: false, text: messageOf(authorized.error) }
        : null;
  const start = () => login.mutate(user);

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
