// Who sees a bookmark in the portal: every user, or the members of the groups ticked here.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { commands, type Bookmark } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";
import { notify } from "../../lib/notify";
import { keys } from "../../lib/queries";
import { useOptimisticValue } from "../../lib/useOptimisticValue";

export function BookmarkAudience({ bookmark }: { bookmark: Bookmark }) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const groups = useQuery({ queryKey: keys.facets, queryFn: () => unwrap(commands.directoryFacets()), enabled: open });
  const save = useMutation({
    mutationFn: (next: string[]) => unwrap(commands.setBookmarkGroups(bookmark.name, next)),
    // A list read still on its way would land after the answer below and put the old groups back.
    onMutate: () => client.cancelQueries({ queryKey: keys.bookmarks }),
    onSuccess: (b) => {
      // The list shows the core's answer at once; the portal's tiles follow.
      client.setQueryData<Bookmark[]>(keys.bookmarks, (list) => list?.map((x) => (x.name === b.name ? b : x)));
      notify.ok(`${b.label} is now for ${audience(b.groups, b.restricted)}.`, "toast-bookmark-groups");
      return client.invalidateQueries({ queryKey: keys.portal });
    },
  });
  // While a change is on its way, the boxes show it (the core's answer replaces it).
  const optimistic = useOptimisticValue(bookmark.groups);
  const chosen = optimistic.shown;
  const toggle = (name: string, on: boolean) => {
    const next = on ? [...chosen, name] : chosen.filter((g) => g.toLowerCase() !== name.toLowerCase());
    save.mutate(next, { onSettled: optimistic.ask(next) });
  };
  return (
    <span className="bookmark-audience">
      <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)} data-testid={`bookmark-audience-${bookmark.name}`}>
        For {audience(bookmark.groups, bookmark.restricted)}
      </button>
      {open && (
        <fieldset className="audience" disabled={save.isPending} data-testid={`bookmark-groups-${bookmark.name}`}>
          <legend>Shown to the members of (none ticked: every user)</legend>
          {groups.isPending && <span className="skeleton-line" aria-hidden="true" />}
          {groups.data?.groups.length === 0 && <span className="muted">No groups yet: create them on the Directory page.</span>}
          {groups.data?.groups.map((g) => (
            <label className="inline" key={g.id}>
              <input
                type="checkbox"
                checked={chosen.some((c) => c.toLowerCase() === g.name.toLowerCase())}
                onChange={(e) => toggle(g.name, e.target.checked)}
                data-testid={`bookmark-group-${bookmark.name}-${g.name}`}
              />
              {g.name}
            </label>
          ))}
          {save.isError && (
            <p className="error-text" role="alert">
              {messageOf(save.error)}
            </p>
          )}
        </fieldset>
      )}
    </span>
  );
}

function audience(groups: readonly string[], restricted: boolean): string {
  if (groups.length > 0) return `members of ${groups.join(", ")}`;
  return restricted ? "nobody (its groups were deleted)" : "every user";
}
