// The "User groups" tab of an application: a checkbox per group authorizes its members, and the
// Data Loader file sets their Federation IDs in Salesforce for just-in-time provisioning.
import { useState } from "react";
import { commands, type Application } from "../bindings";
import { messageOf, unwrap } from "../lib/ipc";
import { useLoad } from "../lib/useLoad";
import { EmptyState } from "./EmptyState";

export function AppUserGroups({ app }: { app: Application }) {
  const [access, reload] = useLoad(() => unwrap(commands.listAppGroups(app.name)));
  const [pending, setPending] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);

  const toggle = async (groupId: string, name: string, bound: boolean) => {
    setPending(groupId);
    setNotice(null);
    try {
      await unwrap(commands.setAppGroup(app.name, groupId, bound));
      setNotice({ ok: true, text: bound ? `${name}'s members are now authorized for ${app.label}.` : `${name} no longer authorizes its members for ${app.label}.` });
      reload();
    } catch (e) {
      setNotice({ ok: false, text: messageOf(e) });
    } finally {
      setPending(null);
    }
  };

  const federation = async () => {
    setNotice(null);
    try {
      const file = await unwrap(commands.saveFederationFile(app.name));
      if (file) setNotice({ ok: true, text: `Saved ${file.path} with ${file.users} user(s): load it with Data Loader (Update, User, match on Username).` });
    } catch (e) {
      setNotice({ ok: false, text: messageOf(e) });
    }
  };

  if (access.state === "loading") return <p className="muted" aria-busy="true">Loading groups…</p>;
  if (access.state === "error")
    return (
      <div role="alert" data-testid="app-groups-error">
        <p className="error-text">{access.message}</p>
        <button type="button" onClick={reload}>
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
  const authorized = access.data.filter((g) => g.bound).reduce((n, g) => n + g.member_count, 0);
  return (
    <div data-testid="app-groups">
      <p className="muted">Members of the ticked groups are authorized for {app.label}.</p>
      <ul className="checklist">
        {access.data.map((g) => (
          <li key={g.group_id}>
            <label className="inline">
              <input
                type="checkbox"
                checked={g.bound}
                disabled={pending !== null}
                onChange={(e) => void toggle(g.group_id, g.name, e.target.checked)}
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
      {notice && (
        <p className={notice.ok ? "ok-text" : "error-text"} role={notice.ok ? "status" : "alert"} data-testid="app-groups-notice">
          {notice.text}
        </p>
      )}
      <button type="button" onClick={federation} data-testid="federation-csv">
        Download Data Loader CSV (Username, FederationIdentifier)
      </button>
    </div>
  );
}
