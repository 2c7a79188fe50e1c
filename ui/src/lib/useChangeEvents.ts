// Listens to the core's change events once for the whole window and invalidates what they
// concern: `directory://changed` (this window, the CLI or a sync changed the directory) and
// `provisioning://<app>/state` (an automatic push started or ended).
import { listen } from "@tauri-apps/api/event";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { commands } from "../bindings";
import { keys } from "./queries";

export const DIRECTORY_CHANGED = "directory://changed";

export function useChangeEvents() {
  const client = useQueryClient();
  useEffect(() => {
    let live = true;
    const stops: (() => void)[] = [];
    const keep = (stop: () => void) => (live ? stops.push(stop) : stop());
    listen<number>(DIRECTORY_CHANGED, () => {
      void client.invalidateQueries({ queryKey: keys.directory });
      void client.invalidateQueries({ queryKey: keys.scim });
      void client.invalidateQueries({ queryKey: keys.setup });
    }).then(keep, () => undefined);
    commands.watchDirectory().catch(() => undefined);
    return () => {
      live = false;
      stops.forEach((s) => s());
    };
  }, [client]);
}
