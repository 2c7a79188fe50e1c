// The users table: search, filters (status, department, group), column visibility, multi-select
// with shift-click, bulk suspend / group / delete, and the drawer for one user. The core sorts,
// searches, filters and pages (SQLite); this view fetches only the rows in view.
import { useCallback, useEffect, useMemo, useState } from "react";
import { commands, type DirectoryFacets, type User, type UserSortKey, type UserStatus } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";
import { notify } from "../../lib/notify";
import { SEARCH_DEBOUNCE_MS, useDebounced } from "../../lib/useDebounced";
import { useDataTable } from "../../lib/useDataTable";
import { useUserPages, type UserFilter } from "../../lib/useUserPages";
import { DataTable } from "../DataTable";
import { HIDDEN_AT_FIRST, userColumns } from "./userColumns";
import { UserDrawer } from "./UserDrawer";

type Props = { facets: DirectoryFacets; reload: () => void; startWithNew?: boolean };

const rowId = (u: User) => u.id;

export function UsersView({ facets, reload, startWithNew = false }: Props) {
  const groups = facets.groups;
  const [open, setOpen] = useState<User | "new" | null>(startWithNew ? "new" : null);
  const [busy, setBusy] = useState(false);
  const [bulkGroup, setBulkGroup] = useState("");
  const [confirmDelete, setConfirmDelete] = useState(false);

  const columns = useMemo(() => userColumns((u) => setOpen(u)), []);
  // The table state (sorting, filters, search) lives in useDataTable; the query follows it.
  const [query, setQuery] = useState<UserFilter>({ search: "", status: null, department: null, group: null, sort: [] });
  const pages = useUserPages(query);
  const selectAll = useCallback(() => unwrap(commands.queryUserIds({ ...query, offset: 0, limit: 0 })), [query]);
  const dt = useDataTable<User>({
    data: pages.rows,
    manual: true,
    total: pages.total ?? 0,
    selectAll,
    columns,
    getRowId: rowId,
    initialVisibility: HIDDEN_AT_FIRST,
  });
  const search = useDebounced(dt.globalFilter.trim(), SEARCH_DEBOUNCE_MS);
  const status = String(dt.columnFilter("status") ?? "");
  const department = String(dt.columnFilter("department") ?? "");
  const group = String(dt.columnFilter("groups") ?? "");
  const sorting = dt.table.getState().sorting;
  const sortKey = JSON.stringify(sorting);
  useEffect(() => {
    setQuery({
      search,
      status: status === "" ? null : (status as UserStatus),
      department: department === "" ? null : department,
      group: group === "" ? null : group,
      sort: sorting.map((s) => ({ by: s.id as UserSortKey, desc: s.desc })),
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search, status, department, group, sortKey]);
  const departments = facets.departments;
  const selected = dt.selectedIds;
  const loadedUsers = useMemo(() => pages.rows.filter((u): u is User => u !== undefined), [pages.rows]);

  const run = async (what: () => Promise<string>) => {
    setBusy(true);
    try {
      notify.ok(await what(), "user-notice");
      reload();
    } catch (e) {
      notify.error(e, "user-notice");
    } finally {
      setBusy(false);
    }
  };

  const openUser = open === "new" ? null : open ? loadedUsers.find((u) => u.id === open.id) ?? open : null;

  return (
    <div className="users-view">
      <div className="toolbar" role="toolbar" aria-label="Users">
        <input
          type="search"
          className="search"
          placeholder="Search users…"
          value={dt.globalFilter}
          onChange={(e) => dt.setGlobalFilter(e.target.value)}
          aria-label="Search users"
          data-testid="user-search"
        />
        <select
          aria-label="Status"
          value={String(dt.columnFilter("status") ?? "")}
          onChange={(e) => dt.setColumnFilter("status", e.target.value)}
          data-testid="filter-status"
        >
          <option value="">Any status</option>
          <option value="active">Active</option>
          <option value="suspended">Suspended</option>
        </select>
        <select
          aria-label="Department"
          value={String(dt.columnFilter("department") ?? "")}
          onChange={(e) => dt.setColumnFilter("department", e.target.value)}
          data-testid="filter-department"
        >
          <option value="">Any department</option>
          {departments.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
        <select
          aria-label="Group"
          value={String(dt.columnFilter("groups") ?? "")}
          onChange={(e) => dt.setColumnFilter("groups", e.target.value)}
          data-testid="filter-group"
        >
          <option value="">Any group</option>
          {groups.map((g) => (
            <option key={g.id} value={g.name}>
              {g.name}
            </option>
          ))}
        </select>
        <details className="columns-menu">
          <summary data-testid="columns-menu">Columns</summary>
          <div className="menu">
            {dt.table.getAllLeafColumns().map((c) => (
              <label key={c.id} className="inline">
                <input
                  type="checkbox"
                  checked={c.getIsVisible()}
                  onChange={c.getToggleVisibilityHandler()}
                  data-testid={`column-${c.id}`}
                />
                {typeof c.columnDef.header === "string" ? c.columnDef.header : c.id}
              </label>
            ))}
          </div>
        </details>
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => setOpen("new")} data-testid="new-user">
          New user
        </button>
      </div>

      <p className="muted count" data-testid="user-count" aria-busy={pages.loading}>
        {pages.total === null
          ? "Loading users…"
          : `Showing ${pages.total.toLocaleString()} of ${(pages.all ?? 0).toLocaleString()} users`}
        {selected.length > 0 && ` · ${selected.length.toLocaleString()} selected`}
      </p>
      {pages.error && (
        <div className="card" role="alert" data-testid="users-error">
          <p className="error-text">{pages.error}</p>
          <button type="button" onClick={pages.retry}>
            Try again
          </button>
        </div>
      )}

      {selected.length > 0 && (
        <div className="bulk" role="toolbar" aria-label="Selected users" data-testid="bulk-bar">
          <button type="button" disabled={busy} onClick={() => run(async () => `Suspended ${await unwrap(commands.setUsersSuspended(selected, true))} user(s).`)} data-testid="bulk-suspend">
            Suspend
          </button>
          <button type="button" disabled={busy} onClick={() => run(async () => `Unsuspended ${await unwrap(commands.setUsersSuspended(selected, false))} user(s).`)} data-testid="bulk-unsuspend">
            Unsuspend
          </button>
          <select aria-label="Group for the selected users" value={bulkGroup} onChange={(e) => setBulkGroup(e.target.value)} data-testid="bulk-group">
            <option value="">Group…</option>
            {groups.map((g) => (
              <option key={g.id} value={g.name}>
                {g.name}
              </option>
            ))}
          </select>
          <button
            type="button"
            disabled={busy || !bulkGroup}
            onClick={() => run(async () => `Added ${await unwrap(commands.addGroupMembers(bulkGroup, selected))} member(s) to ${bulkGroup}.`)}
            data-testid="bulk-add-group"
          >
            Add to group
          </button>
          <button
            type="button"
            disabled={busy || !bulkGroup}
            onClick={() => run(async () => `Removed ${await unwrap(commands.removeGroupMembers(bulkGroup, selected))} member(s) from ${bulkGroup}.`)}
            data-testid="bulk-remove-group"
          >
            Remove from group
          </button>
          {!confirmDelete ? (
            <button type="button" className="danger-outline" disabled={busy} onClick={() => setConfirmDelete(true)} data-testid="bulk-delete">
              Delete…
            </button>
          ) : (
            <span className="confirm-inline" role="alertdialog" aria-label="Confirm deletion">
              Delete {selected.length} user(s)?
              <button
                type="button"
                className="danger"
                disabled={busy}
                onClick={() => {
                  setConfirmDelete(false);
                  void run(async () => {
                    const n = await unwrap(commands.deleteUsers(selected));
                    dt.clearSelection();
                    return `Deleted ${n} user(s).`;
                  });
                }}
                data-testid="bulk-delete-confirm"
              >
                Delete
              </button>
              <button type="button" onClick={() => setConfirmDelete(false)}>
                Keep
              </button>
            </span>
          )}
          <button type="button" onClick={dt.clearSelection}>
            Clear selection
          </button>
        </div>
      )}

      <div className={openUser || open === "new" ? "with-drawer" : undefined}>
        <DataTable
          dt={dt}
          label="Users"
          testId="users-table"
          getRowId={rowId}
          onOpen={(u) => setOpen(u)}
          onRange={pages.showRange}
          scrollKey={pages.queryKey}
          loading={pages.loading}
          noMatch={
            <>
              No user matches these filters.{" "}
              <button type="button" className="link" onClick={() => { dt.setGlobalFilter(""); for (const id of ["status", "department", "groups"]) dt.setColumnFilter(id, ""); }}>
                Clear filters
              </button>
            </>
          }
        />
        {(openUser || open === "new") && (
          <UserDrawer
            key={openUser?.id ?? "new"}
            user={openUser}
            onSaved={(u) => {
              setOpen(u);
              notify.ok(`Saved ${u.email}.`, "user-notice");
              reload();
            }}
            onDeleted={() => {
              setOpen(null);
              notify.ok("User deleted.", "user-notice");
              reload();
            }}
            onClose={() => setOpen(null)}
          />
        )}
      </div>
    </div>
  );
}
