// The Identity Management tab: the SCIM connection, its settings, the mapping and the sync.
import { useQuery } from "@tanstack/react-query";
import type { Application } from "../../bindings";
import { messageOf } from "../../lib/ipc";
import { scimStatusQuery } from "../../lib/queries";
import { ImportCard } from "../import/ImportCard";
import { ConnectionCard } from "./ConnectionCard";
import { ConnectForm } from "./ConnectForm";
import { MappingCard } from "./MappingCard";
import { ScimSettingsCard } from "./ScimSettingsCard";
import { SyncCard } from "./SyncCard";

export function IdentityPanel({ app }: { app: Application }) {
  const status = useQuery(scimStatusQuery(app.name));
  if (status.isPending) {
    return (
      <p className="muted" aria-busy="true" data-testid="idm-loading">
        Reading the connection…
      </p>
    );
  }
  if (status.isError) {
    return (
      <div className="card" role="alert" data-testid="idm-error">
        <p className="error-text">{messageOf(status.error)}</p>
        <button type="button" onClick={() => void status.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  const view = status.data;
  if (!view) {
    return (
      <div className="idm" data-testid="idm">
        <p data-testid="idm-state">
          <span className="badge idle">Not connected</span> Connect a SCIM target to push this application's
          authorized users to it.
        </p>
        <ConnectForm app={app} />
      </div>
    );
  }
  const active = view.connection.state === "connected";
  return (
    <div className="idm" data-testid="idm">
      <ConnectionCard app={app} view={view} />
      {active && <ScimSettingsCard app={app} view={view} />}
      {active && <SyncCard app={app} />}
      <ImportCard app={app} view={view} />
      <MappingCard app={app} />
    </div>
  );
}
