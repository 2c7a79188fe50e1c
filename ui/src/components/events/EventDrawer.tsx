// One event in full: a side drawer (Radix Dialog: Escape closes, focus returns to the row).
import * as Dialog from "@radix-ui/react-dialog";
import type { Event } from "../../bindings";
import { OUTCOME_LABEL } from "./eventNames";
import { formatEventTime } from "./eventTime";

export function EventDrawer({ event, onClose }: { event: Event | null; onClose: () => void }) {
  return (
    <Dialog.Root open={event !== null} onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="side-drawer" data-testid="event-drawer">
          {event && (
            <>
              <div className="drawer-head">
                <Dialog.Title>
                  <code>{event.name}</code>
                </Dialog.Title>
                <Dialog.Close asChild>
                  <button type="button" aria-label="Close" data-testid="event-drawer-close">
                    ✕
                  </button>
                </Dialog.Close>
              </div>
              <Dialog.Description className="muted">
                {formatEventTime(event.at)} · {OUTCOME_LABEL[event.outcome]}
              </Dialog.Description>
              <dl className="facts" data-testid="event-facts">
                <dt>Application</dt>
                <dd>{event.app_name ?? "—"}</dd>
                <dt>Target</dt>
                <dd>{event.target ? <code>{event.target}</code> : "—"}</dd>
                <dt>HTTP status</dt>
                <dd data-testid="event-http">{event.http_status ?? "—"}</dd>
                <dt>Error code</dt>
                <dd data-testid="event-code">{event.error_code ? <code>{event.error_code}</code> : "—"}</dd>
                <dt>Attempt</dt>
                <dd>{event.attempt ?? "—"}</dd>
                <dt>Run</dt>
                <dd>{event.run_id ? <code>{event.run_id}</code> : "—"}</dd>
                <dt>Detail</dt>
                <dd data-testid="event-detail">{event.detail || "—"}</dd>
              </dl>
            </>
          )}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
