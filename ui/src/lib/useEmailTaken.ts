// Whether another directory user already has an email, asked of the core (an exact lookup on
// the email, any case): the users table holds only the rows in view, so a check over the loaded
// rows would miss most of a large directory.
import { useEffect, useState } from "react";
import { commands } from "../bindings";
import { usernameProblem } from "./username";

/** True once the core confirmed that a user other than `selfId` has `email` (any case). */
export function useEmailTaken(email: string, selfId: string | null): boolean {
  const key = email.trim().toLowerCase();
  const [answer, setAnswer] = useState<{ key: string; taken: boolean } | null>(null);
  useEffect(() => {
    if (usernameProblem(key)) return;
    let live = true;
    const timer = setTimeout(() => {
      void commands.emailOwner(key).then((r) => {
        if (!live || r.status !== "ok") return;
        setAnswer({ key, taken: r.data !== null && r.data !== selfId });
      });
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, selfId]);
  return answer?.key === key && answer.taken;
}
