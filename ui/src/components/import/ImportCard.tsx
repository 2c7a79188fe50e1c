// The Identity Management tab's way into the manual import (and what a running import is doing).
import { Link } from "@tanstack/react-router";
import type { Application, ConnectionView } from "../../bindings";
import { useImportJob } from "./importStore";

export function ImportCard({ app, view }: { app: Application; view: ConnectionView }) {
  const job = useImportJob(app.name);
  const connected = view.connection.state === "connected";
  const target = view.connection.kind === "salesforce" ? "Salesforce" : "the SCIM server";
  return (
    <section className="card" aria-label="Manual import" data-testid="import-card">
      <h3>Manual import</h3>
      <p className="muted">
        Bring the users created in {target} before Lanyard managed them into the directory: review them (new, already
        imported, or matching a directory user), choose, import.
      </p>
      {job?.state === "running" && (
        <p role="status" data-testid="import-card-running">
          An import of {job.selection.kind === "all" ? "every user" : `${job.count} user(s)`} is running.
        </p>
      )}
      {connected ? (
        <Link to="/applications/$app/import" params={{ app: app.name }} className="button-link" data-testid="import-open">
          Manual import…
        </Link>
      ) : (
        <p className="muted">The import needs a working connection first.</p>
      )}
    </section>
  );
}
