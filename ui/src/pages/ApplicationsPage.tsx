import { useState } from "react";
import { commands, type Application, type Environment } from "../bindings";
import { EmptyState } from "../components/EmptyState";
import { NewApplicationForm } from "../components/NewApplicationForm";
import { ApplicationDetails } from "../components/ApplicationDetails";
import { unwrap } from "../lib/ipc";
import { useLoad } from "../lib/useLoad";

const ENVIRONMENT_LABEL: Record<Environment, string> = {
  production: "Production",
  sandbox: "Sandbox",
  practice: "Practice org",
};

export function ApplicationsPage({ practiceUrl }: { practiceUrl: string }) {
  const [apps, reload] = useLoad(() => unwrap(commands.listApps()));
  const [creating, setCreating] = useState<Environment | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  const onCreated = (app: Application) => {
    setCreating(null);
    setSelected(app.name);
    reload();
  };

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

      {apps.state === "loading" && <p className="muted" aria-busy="true">Loading applications…</p>}
      {apps.state === "error" && (
        <div className="card" role="alert">
          <p className="error-text">{apps.message}</p>
          <button type="button" onClick={reload}>
            Try again
          </button>
        </div>
      )}
      {apps.state === "ready" && apps.data.length === 0 && !creating && (
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
      {apps.state === "ready" && apps.data.length > 0 && (
        <div className="split">
          <ul className="app-list" aria-label="Applications" data-testid="app-list">
            {apps.data.map((app) => (
              <li key={app.id}>
                <button
                  type="button"
                  className={app.name === selected ? "app-row selected" : "app-row"}
                  onClick={() => setSelected(app.name)}
                  data-testid={`app-${app.name}`}
                >
                  <span className="app-label">{app.label}</span>
                  <span className="app-meta">
                    <code>{app.name}</code>
                    <span className={`badge ${app.environment}`}>{ENVIRONMENT_LABEL[app.environment]}</span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {selected && apps.data.some((a) => a.name === selected) && (
            <ApplicationDetails
              key={selected}
              app={apps.data.find((a) => a.name === selected) as Application}
              onDeleted={() => {
                setSelected(null);
                reload();
              }}
            />
          )}
        </div>
      )}
    </section>
  );
}
