// What the step helpers read over IPC, under the "setup" key so a change event refreshes them.
import { queryOptions } from "@tanstack/react-query";
import { commands, type SpView } from "../../bindings";
import { IpcError, unwrap } from "../../lib/ipc";

export const idpExportsQuery = (app: string) =>
  queryOptions({ queryKey: ["setup", "idp-exports", app], queryFn: () => unwrap(commands.idpExports(app)), staleTime: 0 });

export const idpCertsQuery = (app: string) =>
  queryOptions({ queryKey: ["setup", "idp-certs", app], queryFn: () => unwrap(commands.idpCertificates(app)), staleTime: 0 });

/** The stored SP configuration; null when none is imported yet. */
export const spViewQuery = (app: string) =>
  queryOptions({
    queryKey: ["setup", "sp", app],
    queryFn: async (): Promise<SpView | null> => {
      try {
        return await unwrap(commands.spConfig(app));
      } catch (e) {
        if (e instanceof IpcError && e.code === "not_found") return null;
        throw e;
      }
    },
    staleTime: 0,
  });

export const idpEndpointQuery = queryOptions({ queryKey: ["setup", "idp-endpoint"], queryFn: () => commands.idpEndpoint() });
