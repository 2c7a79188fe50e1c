import { useNavigate } from "@tanstack/react-router";
import * as Tabs from "@radix-ui/react-tabs";
import { useState } from "react";
import { commands, type Application } from "../bindings";
import { messageOf, unwrap } from "../lib/ipc";
import { APP_TABS, parseTab, type AppTab } from "../routes/tabs";
import { AppUserGroups } from "./AppUserGroups";
import { IdentityPanel } from "./identity/IdentityPanel";
import { SetupPanel } from "./setup/SetupPanel";
import { SsoPanel } from "./sso/SsoPanel";

const TAB_LABEL: Record<AppTab, string> = {
  setup: "Setup",
  overview: "Overview",
  sso: "Single sign-on",
  groups: "User groups",
  identity: "Identity Management",
};

export function ApplicationDetails({ app, tab, onDeleted }: { app: Application; tab: AppTab; onDeleted: () => void }) {
  const navigate = useNavigate();
  return (
    <article className="card details" aria-label={`Application ${app.label}`}>
      <h2>{app.label}</h2>
      <Tabs.Root
        value={tab}
        onValueChange={(t) => void navigate({ to: "/applications/$app/$tab", params: { app: app.name, tab: parseTab(t) } })}
        activationMode="manual"
      >
        <Tabs.List className="tabs" aria-label="Application">
          {APP_TABS.map((t) => (
            <Tabs.Trigger key={t} value={t} className={tab === t ? "tab active" : "tab"} data-testid={`app-tab-${t}`}>
              {TAB_LABEL[t]}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        <Tabs.Content value="setup">
          <SetupPanel app={app} />
        </Tabs.Content>
        <Tabs.Content value="overview">
          <Overview app={app} onDeleted={onDeleted} />
        </Tabs.Content>
        <Tabs.Content value="sso">
          <SsoPanel app={app} />
        </Tabs.Content>
        <Tabs.Content value="groups">
          <AppUserGroups app={app} />
        </Tabs.Content>
        <Tabs.Content value="identity">
          <IdentityPanel app={app} />
        </Tabs.Content>
      </Tabs.Root>
    </article>
  );
}

function Overview({ app, onDeleted }: { app: Application; onDeleted: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

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
  );
}
