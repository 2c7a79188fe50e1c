// The users table's columns: what each shows, and which can sort. The core sorts and filters
// (src-tauri/core/src/directory/query.rs): a column sorts when its id is a UserSortKey, and the
// sortKey / filter functions below are only the client-side equivalents, kept for reference.
import { createColumnHelper } from "@tanstack/react-table";
import type { User } from "../../bindings";

const col = createColumnHelper<User>();
const lower = (s: string) => s.toLowerCase();

export type StatusFilter = "active" | "suspended";

export function userColumns(onOpen: (u: User) => void) {
  return [
    col.accessor("email", {
      header: "Email (username)",
      meta: { sortKey: (u) => lower(u.email), width: "minmax(220px, 2fr)" },
      cell: (c) => (
        <button type="button" className="link" onClick={() => onOpen(c.row.original)} data-testid={`open-${c.getValue()}`}>
          {c.getValue()}
        </button>
      ),
    }),
    col.accessor("displayname", {
      header: "Name",
      meta: { sortKey: (u) => lower(u.displayname), width: "minmax(150px, 1.5fr)" },
    }),
    col.accessor("department", {
      header: "Department",
      meta: {
        sortKey: (u) => lower(u.department),
        filter: (u, v) => u.department === v,
      },
    }),
    col.accessor("job_title", { header: "Job title", meta: { sortKey: (u) => lower(u.job_title) } }),
    col.accessor("company", { header: "Company", meta: { sortKey: (u) => lower(u.company) } }),
    col.accessor((u) => u.address.locality, {
      id: "locality",
      header: "City",
      meta: { sortKey: (u) => lower(u.address.locality) },
    }),
    col.accessor((u) => u.groups.join(", "), {
      id: "groups",
      header: "Groups",
      // Not sortable: the core sorts by stored columns only (a user's group list is not one).
      meta: {
        filter: (u, v) => u.groups.some((g) => g.toLowerCase() === String(v).toLowerCase()),
        width: "minmax(140px, 1.5fr)",
      },
    }),
    col.accessor("suspended", {
      id: "status",
      header: "Status",
      meta: {
        sortKey: (u) => (u.suspended ? 1 : 0),
        filter: (u, v) => (v === "suspended" ? u.suspended : !u.suspended),
        width: "100px",
      },
      cell: (c) =>
        c.getValue() ? <span className="badge suspended">Suspended</span> : <span className="badge active">Active</span>,
    }),
    col.accessor((u) => u.federation_id ?? "", {
      id: "federation_id",
      header: "Federation ID",
      meta: { sortKey: (u) => lower(u.federation_id ?? "") },
    }),
    col.accessor("employee_identifier", {
      header: "Employee ID",
      meta: { sortKey: (u) => lower(u.employee_identifier) },
    }),
  ];
}

/** Columns hidden until chosen from the Columns menu. */
export const HIDDEN_AT_FIRST = { company: false, locality: false, federation_id: false, employee_identifier: false };
