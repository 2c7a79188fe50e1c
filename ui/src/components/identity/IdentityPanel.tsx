import type { Application } from "../../bindings";

export function IdentityPanel({ app }: { app: Application }) {
  return <p className="muted">Identity Management for {app.label}.</p>;
}
