// The one way a screen tells the admin an action finished: a toast (sonner). Errors that concern
// one field stay beside that field; these are the notices about a whole action.
import { toast } from "sonner";
import { messageOf } from "./ipc";

export const notify = {
  ok: (text: string, testId = "toast-ok") => toast.success(text, { testId }),
  info: (text: string, testId = "toast-info") => toast(text, { testId }),
  error: (error: unknown, testId = "toast-error") => toast.error(messageOf(error), { testId, duration: 10_000 }),
};
