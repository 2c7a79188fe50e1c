import { useState } from "react";
import { commands, type Application } from "../bindings";
import { messageOf, unwrap } from "../lib/ipc";
import { AppUserGroups } from "./AppUserGroups";
import { SsoPanel } from "./sso/SsoPanel";

export function ApplicationDetails({ app, onDeleted }: { app: Application; onDeleted: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [tab, setTab] = useState<"overview" | "sso" | "groups">("overview");

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await unwrap(commands.deleteApp(app.name));
      onDeleted();
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  };

  return (
    <article className="card details" aria-label={`Application ${app.label}`}>
      <h2>{app.label}</h2>
      <div className="tabs" role="tablist" aria-label="Application">
        <button type="button" role="tab" aria-selected={tab === "overview"} className={tab === "overview" ? "tab active" : "tab"} onClick={() => setTab("overview")} data-testid="app-tab-overview">
          Overview
        </button>
        <button type="button" role="tab" aria-selected={tab === "sso"} className={tab === "sso" ? "tab active" : "tab"} onClick={() => setTab("sso")} data-testid="app-tab-sso">
          Single sign-on
        </button>
        <button type="button" role="tab" aria-selected={tab === "groups"} className={tab === "groups" ? "tab active" : "tab"} onClick={() => setTab("groups")} data-testid="app-tab-groups">
          User groups
        </button>
      </div>
      {tab === "groups" && <AppUserGroups app={app} />}
      {tab === "sso" && <SsoPanel app={app} />}
      {tab === "overview" && (
      <>
      <dl className="facts">
        <dt>Name</dt>
        <dd><code>{app.name}</code></dd>
        <dt>Service provider</dt>
        <dd>Salesforce ({app.environment === "practice" ? "practice org" : app.environment})</dd>
        <dt>Login URL</dt>
        <dd><code>{app.login_url}</code></dd>
        <dt>Description</dt>
        <dd>{app.description || <span className="muted">None</span>}</dd>
        <dt>Created</dt>
        <dd>{new Date(app.created_at).toLocaleString()}</dd>
      </dl>
      {error && <p className="error-text" role="alert">{error}</p>}
      {!confirming ? (
        <button type="button" className="danger-outline" onClick={() => setConfirming(true)}>
          Delete application…
        </button>
      ) : (
        <div className="confirm" role="alertdialog" aria-label="Confirm deletion">
          <p>
            Delete <strong>{app.label}</strong> and everything configured for it? This cannot be undone.
          </p>
          <button type="button" className="danger" disabled={busy} onClick={remove}>
            Delete
          </button>
          <button type="button" disabled={busy} onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </div>
      )}
      </>
      )}
    </article>
  );
}
