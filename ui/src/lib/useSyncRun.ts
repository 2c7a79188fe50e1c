// Runs a sync with its progress on a Channel (sync_run), and Cancel (sync_cancel). A finished run
// invalidates what it changed: the connection (linked counts, last run) and the events.
import { Channel } from "@tauri-apps/api/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { commands, type Progress } from "../bindings";
import { unwrap } from "./ipc";
import { keys } from "./queries";

export function useSyncRun(app: string) {
  const client = useQueryClient();
  const [progress, setProgress] = useState<Progress | null>(null);
  const run = useMutation({
    mutationFn: (allowDeactivations: boolean) => {
      setProgress(null);
      const channel = new Channel<Progress>();
      channel.onmessage = setProgress;
      return unwrap(commands.syncRun(app, allowDeactivations, channel));
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: keys.scim });
      void client.invalidateQueries({ queryKey: keys.events });
    },
  });
  const cancel = () => void commands.syncCancel(app).catch(() => undefined);
  return { run, progress, cancel };
}
