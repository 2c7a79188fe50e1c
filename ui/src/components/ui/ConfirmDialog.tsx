// One confirm dialog (Radix Dialog: focus trapped, Escape closes, focus returns to the trigger).
import * as Dialog from "@radix-ui/react-dialog";
import type { ReactNode } from "react";

type Props = {
  trigger: ReactNode;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  busy?: boolean;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  testId: string;
};

export function ConfirmDialog({ trigger, title, children, confirmLabel, onConfirm, busy, open, onOpenChange, testId }: Props) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Trigger asChild>{trigger}</Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog" data-testid={testId}>
          <Dialog.Title>{title}</Dialog.Title>
          <Dialog.Description asChild>
            <div>{children}</div>
          </Dialog.Description>
          <div className="actions">
            <button type="button" className="danger" disabled={busy} onClick={onConfirm} data-testid={`${testId}-confirm`}>
              {confirmLabel}
            </button>
            <Dialog.Close asChild>
              <button type="button" disabled={busy}>
                Cancel
              </button>
            </Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
