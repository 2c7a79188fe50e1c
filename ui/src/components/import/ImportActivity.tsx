// A running background import, wherever the admin is in the window: its progress and a way back.
import { Link, useRouterState } from "@tanstack/react-router";
import { progressText } from "../../lib/planCounts";
import { useImportJobs } from "./importStore";

export function ImportActivity() {
  const jobs = useImportJobs();
  const path = useRouterState({ select: (s) => s.location.pathname });
  const running = Object.values(jobs).filter((j) => j.state === "running" && path !== `/applications/${j.app}/import`);
  if (running.length === 0) return null;
  return (
    <aside className="import-activity" aria-label="Imports running" data-testid="import-activity">
      {running.map((j) => (
        <div key={j.id} role="status" aria-live="polite">
          <span>
            Importing into <strong>{j.appLabel}</strong>: {j.progress ? progressText(j.progress) : "starting…"}
          </span>
          <progress max={Math.max(j.progress?.total ?? 0, 1)} value={j.progress?.done ?? undefined} aria-label={`Import into ${j.appLabel}`} />
          <Link to="/applications/$app/import" params={{ app: j.app }} data-testid={`import-activity-open-${j.app}`}>
            Open
          </Link>
        </div>
      ))}
    </aside>
  );
}
