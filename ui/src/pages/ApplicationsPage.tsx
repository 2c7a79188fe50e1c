import { useState } from "react";
import { commands, type Application } from "../bindings";
import { EmptyState } from "../components/EmptyState";
import { NewApplicationForm } from "../components/NewApplicationForm";
import { ApplicationDetails } from "../components/ApplicationDetails";
import { unwrap } from "../lib/ipc";
import { useLoad } from "../lib/useLoad";

export function ApplicationsPage() {
  const [apps, reload] = useLoad(() => unwrap(commands.listApps()));
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);

  const onCreated = (app: Application) => {
    setCreating(false);
    setSelected(app.name);
    reload();
  };

  return (
    <section>
      <header className="page-header">
        <h1>Applications</h1>
        <button type="button" className="primary" onClick={() => setCreating(true)} data-testid="new-app">
          New application
        </button>
      </header>

      {creating && <NewApplicationForm onCreated={onCreated} onCancel={() => setCreating(false)} />}

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
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            Create your first application
          </button>
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
                    <span className={app.sandbox ? "badge sandbox" : "badge production"}>
                      {app.sandbox ? "Sandbox" : "Production"}
                    </span>
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
