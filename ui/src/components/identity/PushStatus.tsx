// The automatic push's state for one application: pushing…, the last push time, failures.
// Read once, then kept current by `provisioning://<app>/state` events from the shell.
import { listen } from "@tauri-apps/api/event";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { commands, type PushState } from "../../bindings";
import { keys } from "../../lib/queries";

export const pushStateKey = (app: string) => ["scim", "push", app] as const;

export function PushStatus({ app }: { app: string }) {
  const client = useQueryClient();
  const state = useQuery({ queryKey: pushStateKey(app), queryFn: () => commands.autopushState(app) });
  useEffect(() => {
    let live = true;
    let stop: (() => void) | null = null;
    listen<PushState>(`provisioning://${app}/state`, (e) => {
      client.setQueryData(pushStateKey(app), e.payload);
      if (!e.payload.pushing) void client.invalidateQueries({ queryKey: keys.scimStatus(app) });
    }).then(
      (s) => (live ? (stop = s) : s()),
      () => undefined,
    );
    return () => {
      live = false;
      stop?.();
    };
  }, [app, client]);

  const s = state.data;
  if (!s) return null;
  const failed = s.failures.length > 0 || s.error !== "";
  return (
    <div className={failed ? "push-status failed" : "push-status"} role="status" data-testid="push-status">
      <strong>Automatic push:</strong>{" "}
      {s.pushing ? (
        <span data-testid="push-pushing">pushing…</span>
      ) : s.last_push_at ? (
        <span data-testid="push-last">last push {new Date(s.last_push_at).toLocaleString()}</span>
      ) : (
        "not run yet"
      )}
      {s.error && <span className="error-text" data-testid="push-error"> — {s.error}</span>}
      {s.failures.length > 0 && (
        <ul className="failures" data-testid="push-failures">
          {s.failures.map((f) => (
            <li key={`${f.target}-${f.event}`}>
              <code>{f.target}</code>: {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
