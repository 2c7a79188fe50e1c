// A click on one of Lanyard's desktop notifications brings the window to the front and names the
// page to show (`lanyard://open`, a route such as /events?app=acme&outcome=failed).
import { listen } from "@tauri-apps/api/event";
import { useRouter } from "@tanstack/react-router";
import { useEffect } from "react";

export const OPEN_ROUTE = "lanyard://open";

export function useOpenRequests() {
  const router = useRouter();
  useEffect(() => {
    let live = true;
    let stop: (() => void) | null = null;
    listen<string>(OPEN_ROUTE, (e) => {
      // Only a route of this window: never an outside address.
      if (typeof e.payload === "string" && e.payload.startsWith("/")) router.history.push(e.payload);
    }).then(
      (s) => (live ? (stop = s) : s()),
      () => undefined,
    );
    return () => {
      live = false;
      stop?.();
    };
  }, [router]);
}
