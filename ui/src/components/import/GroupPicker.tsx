// Which group the imported users join: none, an existing group (bound to the application if it
// is not yet), or a new one typed here (the core creates it and binds it).
import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { commands } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";

const NEW = "\u0000new";

export const appGroupsQuery = (app: string) => ({
  queryKey: ["directory", "app-groups", app] as const,
  queryFn: () => unwrap(commands.listAppGroups(app)),
});

type Props = {
  app: string;
  appLabel: string;
  value: string | null;
  onChange: (group: string | null) => void;
  testId: string;
  /** Offer "no group" (before an import); after one, a group is the point. */
  allowNone?: boolean;
};

export function GroupPicker({ app, appLabel, value, onChange, testId, allowNone = true }: Props) {
  const groups = useQuery(appGroupsQuery(app));
  const id = useId();
  const list = groups.data ?? [];
  const known = value !== null && list.some((g) => g.name.toLowerCase() === value.toLowerCase());
  const [typing, setTyping] = useState(value !== null && !known);
  const selectValue = typing ? NEW : value ?? "";
  const bound = list.filter((g) => g.bound);
  const other = list.filter((g) => !g.bound);

  return (
    <span className="group-picker">
      <label htmlFor={`${id}-select`}>Add to group</label>
      <select
        id={`${id}-select`}
        value={selectValue}
        disabled={groups.isPending}
        onChange={(e) => {
          const v = e.target.value;
          setTyping(v === NEW);
          onChange(v === NEW || v === "" ? null : v);
        }}
        data-testid={`${testId}-select`}
      >
        {allowNone && <option value="">No group</option>}
        {!allowNone && value === null && !typing && <option value="">Choose a group…</option>}
        {bound.length > 0 && (
          <optgroup label={`Bound to ${appLabel}`}>
            {bound.map((g) => (
              <option key={g.group_id} value={g.name}>
                {g.name} ({g.member_count})
              </option>
            ))}
          </optgroup>
        )}
        {other.length > 0 && (
          <optgroup label="Other groups (will be bound)">
            {other.map((g) => (
              <option key={g.group_id} value={g.name}>
                {g.name} ({g.member_count})
              </option>
            ))}
          </optgroup>
        )}
        <option value={NEW}>New group…</option>
      </select>
      {typing && (
        <input
          type="text"
          className="narrow-name"
          aria-label="New group name"
          placeholder="New group name"
          value={value ?? ""}
          onChange={(e) => onChange(e.target.value.trim() === "" ? null : e.target.value)}
          data-testid={`${testId}-new`}
          autoFocus
        />
      )}
      {groups.isError && <span className="error-text">{messageOf(groups.error)}</span>}
    </span>
  );
}
