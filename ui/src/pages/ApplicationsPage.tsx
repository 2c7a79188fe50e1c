import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { commands, type Application, type Environment } from "../bindings";
import { EmptyState } from "../components/EmptyState";
import { NewApplicationForm } from "../components/NewApplicationForm";
import { ApplicationDetails } from "../components/ApplicationDetails";
import { messageOf } from "../lib/ipc";
import { appsQuery, keys, startupQuery } from "../lib/queries";
import type { AppTab } from "../routes/tabs";

const ENVIRONMENT_LABEL: Record<Environment, string> = {
  production: "Production",
  sandbox: "Sandbox",
  practice: "Practice org",
};

/** The list of applications; `selected` and `tab` come from the address. */
export function ApplicationsPage({ selected, tab }: { selected: string | null; tab: AppTab }) {
  const apps = useQuery(appsQuery);
  const practiceUrl = useQuery(startupQuery).data?.practice_url ?? "";
  const client = useQueryClient();
  const navigate = useNavigate();
  const [creating, setCreating] = useState<Environment | null>(null);

  const onCreated = (app: Application) => {
    setCreating(null);
    void client.invalidateQueries({ queryKey: keys.apps });
    void navigate({ to: "/applications/$app/$tab", params: { app: app.name, tab: "overview" } });
  };
  const current = selected ? apps.data?.find((a) => a.name === selected) : undefined;
  // Kept for the next start: the window opens on this application.
  const open = current?.name;
  useEffect(() => {
    if (open) void commands.rememberApp(open);
  }, [open]);

  return (
    <section>
      <header className="page-header">
        <h1>Applications</h1>
        <button type="button" className="primary" onClick={() => setCreating("production")} data-testid="new-app">
          New application
        </button>
      </header>

      {creating && (
        <NewApplicationForm
          initialEnvironment={creating}
          practiceUrl={practiceUrl}
          onCreated={onCreated}
          onCancel={() => setCreating(null)}
        />
      )}

      {apps.isPending && <p className="muted" aria-busy="true">Loading applications…</p>}
      {apps.isError && (
        <div className="card" role="alert">
          <p className="error-text">{messageOf(apps.error)}</p>
          <button type="button" onClick={() => void apps.refetch()}>
            Try again
          </button>
        </div>
      )}
      {apps.data && apps.data.length === 0 && !creating && (
        <EmptyState title="No applications yet">
          <p>
            An application is one Salesforce org that signs its users in through Lanyard and receives
            them by provisioning.
          </p>
          <div className="actions centered">
            <button type="button" className="primary" onClick={() => setCreating("production")}>
              Create your first application
            </button>
            <button type="button" onClick={() => setCreating("practice")} data-testid="try-practice">
              Rehearse on the practice org
            </button>
          </div>
        </EmptyState>
      )}
      {apps.data && apps.data.length > 0 && (
        <div className="split">
          <ul className="app-list" aria-label="Applications" data-testid="app-list">
            {apps.data.map((app) => (
              <li key={app.id}>
                <Link
                  to="/applications/$app/$tab"
                  params={{ app: app.name, tab: app.name === selected ? tab : "overview" }}
                  className={app.name === selected ? "app-row selected" : "app-row"}
                  aria-current={app.name === selected ? "page" : undefined}
                  data-testid={`app-${app.name}`}
                >
                  <span className="app-label">{app.label}</span>
                  <span className="app-meta">
                    <code>{app.name}</code>
                    <span className={`badge ${app.environment}`}>{ENVIRONMENT_LABEL[app.environment]}</span>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
          {current && (
            <ApplicationDetails
              key={current.name}
              app={current}
              tab={tab}
              onDeleted={() => {
                void client.invalidateQueries({ queryKey: keys.apps });
                void navigate({ to: "/applications" });
              }}
            />
          )}
          {selected && !current && (
            <p className="muted" role="status" data-testid="app-missing">
              There is no application named <code>{selected}</code>.
            </p>
          )}
        </div>
      )}
    </section>
  );
}
