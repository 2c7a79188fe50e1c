// What the Identity Management tab says about a connection, from the core's own state.
import type { ConnectionView } from "../bindings";

export type ConnectionPhase = "none" | "connected" | "reauth_needed" | "deactivated";

export function phaseOf(view: ConnectionView | null): ConnectionPhase {
  return view ? view.connection.state : "none";
}

export const PHASE_LABEL: Record<ConnectionPhase, string> = {
  none: "Not connected",
  connected: "Connected",
  reauth_needed: "Re-authorization needed",
  deactivated: "Deactivated",
};

/** "as <account>" for a Salesforce connection (the identity URL's user), else the SCIM base. */
export function connectedAs(view: ConnectionView): string {
  const c = view.connection;
  return c.account ?? c.scim_base;
}
