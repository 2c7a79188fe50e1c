// Query keys and reads over IPC, in one place so invalidations name the same keys as the reads.
import { queryOptions } from "@tanstack/react-query";
import { commands, type EventFilter } from "../bindings";
import { unwrap } from "./ipc";

export const keys = {
  startup: ["startup"] as const,
  apps: ["apps"] as const,
  storage: ["storage"] as const,
  keyring: ["keyring"] as const,
  settings: ["settings"] as const,
  idpAddress: ["settings", "idp-address"] as const,
  repoints: ["setup", "repoints"] as const,
  /** Everything that depends on the directory: its users, groups and who is authorized. */
  directory: ["directory"] as const,
  authorizedUsers: (app: string) => ["directory", "authorized", app] as const,
  facets: ["directory", "facets"] as const,
  appGroups: (app: string) => ["directory", "app-groups", app] as const,
  groupMembers: (group: string) => ["directory", "group-members", group] as const,
  scim: ["scim"] as const,
  scimStatus: (app: string) => ["scim", "status", app] as const,
  scimStatuses: (apps: readonly string[]) => ["scim", "statuses", ...apps] as const,
  mapping: ["scim", "mapping"] as const,
  payload: (app: string, email: string) => ["scim", "payload", app, email] as const,
  events: ["events"] as const,
  /** The import table's rows: the listing the core holds of the target's users (not the directory). */
  importRows: (app: string) => ["import", app] as const,
  eventQuery: (filter: EventFilter) => ["events", filter] as const,
  /** The setup checklist and health findings, and what its steps show. */
  setup: ["setup"] as const,
  setupStatus: (app: string) => ["setup", "status", app] as const,
  /** The user portal: tiles, bookmarks and each application's portal settings. */
  portal: ["portal"] as const,
  portalSettings: (app: string) => ["portal", "settings", app] as const,
  bookmarks: ["portal", "bookmarks"] as const,
  portalTiles: (email: string) => ["portal", "tiles", email] as const,
};

export const startupQuery = queryOptions({
  queryKey: keys.startup,
  queryFn: () => commands.startupStatus(),
  staleTime: Infinity,
});

export const appsQuery = queryOptions({ queryKey: keys.apps, queryFn: () => unwrap(commands.listApps()) });

export const scimStatusQuery = (app: string) =>
  queryOptions({ queryKey: keys.scimStatus(app), queryFn: () => unwrap(commands.scimStatus(app)) });

export const authorizedUsersQuery = (app: string) =>
  queryOptions({ queryKey: keys.authorizedUsers(app), queryFn: () => unwrap(commands.authorizedUsers(app)) });

export const setupStatusQuery = (app: string) =>
  queryOptions({ queryKey: keys.setupStatus(app), queryFn: () => unwrap(commands.setupStatus(app)) });
