// The sync plan's users table: who, what happens, and attribute-level before → after.
import { createColumnHelper } from "@tanstack/react-table";
import type { PlannedUser, UserAction } from "../../bindings";

const col = createColumnHelper<PlannedUser>();

export const ACTION_LABEL: Record<UserAction, string> = {
  create: "Create",
  link: "Link",
  link_and_update: "Link and update",
  update: "Update",
  acknowledge: "Acknowledge",
  deactivate: "Deactivate",
  delete: "Delete",
};

export const planColumns = [
  col.accessor("user_name", {
    header: "User",
    meta: { sortKey: (u) => u.user_name, width: "minmax(200px, 1.4fr)" },
    cell: (c) => <code>{c.getValue()}</code>,
  }),
  col.accessor("action", {
    header: "Action",
    meta: { sortKey: (u) => u.action, width: "150px" },
    cell: (c) => (
      <span className={`action action-${c.getValue()}`}>
        {ACTION_LABEL[c.getValue()]}
        {c.row.original.held && <strong className="held"> · held</strong>}
      </span>
    ),
  }),
  col.display({
    id: "changes",
    header: "Before → after",
    meta: { width: "minmax(320px, 3fr)" },
    cell: (c) => {
      const u = c.row.original;
      if (u.changes.length === 0) return <span className="muted">{u.warning ?? "—"}</span>;
      return (
        <span className="changes" title={u.changes.map((x) => `${x.attribute}: ${x.before} → ${x.after}`).join("\n")}>
          {u.changes.map((x) => (
            <span key={x.attribute} className="change">
              <code>{x.attribute}</code> <del>{x.before || "∅"}</del> → <ins>{x.after || "∅"}</ins>
            </span>
          ))}
        </span>
      );
    },
  }),
];

export function planSearchText(u: PlannedUser): string {
  return `${u.user_name} ${u.action} ${u.changes.map((c) => `${c.attribute} ${c.before} ${c.after}`).join(" ")}`;
}
