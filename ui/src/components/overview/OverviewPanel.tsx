// An application's Overview tab: what it is, single sign-on on or off, its IdP URL, its portal
// tile, and its removal.
import type { Application } from "../../bindings";
import { DeleteApp } from "./DeleteApp";
import { IdpUrlCard } from "./IdpUrlCard";
import { PortalCard } from "./PortalCard";
import { SsoActivation } from "./SsoActivation";

export function OverviewPanel({ app, onDeleted }: { app: Application; onDeleted: () => void }) {
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
      <SsoActivation app={app} />
      <IdpUrlCard app={app} />
      <PortalCard app={app} />
      <DeleteApp app={app} onDeleted={onDeleted} />
    </>
  );
}
