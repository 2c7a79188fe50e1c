import type { Progress } from "../../bindings";
import { progressText } from "../../lib/planCounts";

export function SyncProgress({ progress, onCancel }: { progress: Progress | null; onCancel: () => void }) {
  const total = progress?.total ?? 0;
  return (
    <div className="sync-progress" role="status" aria-live="polite" data-testid="sync-progress">
      <progress
        max={Math.max(total, 1)}
        value={progress?.done ?? undefined}
        aria-label="Sync progress"
        data-testid="sync-progress-bar"
      />
      <span data-testid="sync-progress-text">{progress ? progressText(progress) : "Starting…"}</span>
      <button type="button" onClick={onCancel} data-testid="sync-cancel">
        Cancel
      </button>
    </div>
  );
}
