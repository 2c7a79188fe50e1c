// The groups table's columns.
import { createColumnHelper } from "@tanstack/react-table";
import type { Group } from "../../bindings";

const col = createColumnHelper<Group>();

export function groupColumns(onOpen: (g: Group) => void) {
  return [
    col.accessor("name", {
      header: "Name",
      meta: { sortKey: (g) => g.name.toLowerCase(), width: "minmax(180px, 1.5fr)" },
      cell: (c) => (
        <button type="button" className="link" onClick={() => onOpen(c.row.original)} data-testid={`open-group-${c.getValue()}`}>
          {c.getValue()}
        </button>
      ),
    }),
    col.accessor("member_count", { header: "Members", meta: { sortKey: (g) => g.member_count, width: "110px" } }),
    col.accessor("description", {
      header: "Description",
      meta: { sortKey: (g) => g.description.toLowerCase(), width: "minmax(200px, 3fr)" },
    }),
  ];
}

export function groupSearchText(g: Group): string {
  return `${g.name} ${g.description}`;
}
