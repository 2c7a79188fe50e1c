// The directory's facets (user count, departments, groups and the change-feed mark), kept
// current: reloads when the core says the directory changed (the shell polls the change feed and
// emits "directory://changed" with its newest mark), whoever changed it — this window, the CLI,
// or a sync. The users themselves are fetched a page at a time (useUserPages), following the mark.
import { listen } from "@tauri-apps/api/event";
import { useEffect, useRef } from "react";
import { commands, type DirectoryFacets } from "../bindings";
import { unwrap } from "./ipc";
import { useLoad, type Load } from "./useLoad";

export const DIRECTORY_CHANGED = "directory://changed";

export function useDirectory(): [Load<DirectoryFacets>, () => void] {
  const [load, reload] = useLoad(() => unwrap(commands.directoryFacets()));
  const mark = useRef(0);
  if (load.state === "ready") mark.current = load.data.mark;

  useEffect(() => {
    let live = true;
    let unlisten: (() => void) | null = null;
    listen<number>(DIRECTORY_CHANGED, (event) => {
      // This window's own changes were already reloaded: only a newer mark means news.
      if (event.payload > mark.current) reload();
    }).then(
      (stop) => (live ? (unlisten = stop) : stop()),
      () => undefined,
    );
    commands.watchDirectory().catch(() => undefined);
    return () => {
      live = false;
      unlisten?.();
    };
  }, [reload]);

  return [load, reload];
}
