// Manual import (/applications/<app>/import): the connected target's users read 200 at a time
// into the listing the core holds, the table showing the rows in view as they come; filters (New
// first / only, inactive), search, selection (one, a shift-range, all shown), per Matches row
// "take the target's values", then Import. The core searches, filters and sorts the listing.
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { commands, type Application, type ConnectionView, type ImportCounts, type ImportQuery, type ImportSortKey, type ImportStatus, type ImportView, type RemoteRow } from "../../bindings";
import { PHASE_LABEL } from "../../lib/connectionState";
import { messageOf, unwrap } from "../../lib/ipc";
import { appsQuery, keys, scimStatusQuery } from "../../lib/queries";
import { useDataTable } from "../../lib/useDataTable";
import { SEARCH_DEBOUNCE_MS, useDebounced } from "../../lib/useDebounced";
import { usePagedRows } from "../../lib/usePagedRows";
import { DataTable } from "../DataTable";
import { EmptyState } from "../EmptyState";
import { GroupPicker } from "./GroupPicker";
import { ImportJobView } from "./ImportJobView";
import { ImportRowContext, importColumns, type ListedRow, type RowContext } from "./importColumns";
import { ROW_BY_ROW_BELOW, differenceLines, importSelection, key, type ActiveFilter, type ShowFilter } from "./importLogic";
import { startImport, useImportJob } from "./importStore";
import { useRemoteListing, type RemoteListing } from "./useRemoteListing";

export function ImportPage({ app: name }: { app: string }) {
  const apps = useQuery(appsQuery);
  const app = apps.data?.find((a) => a.name === name);
  const status = useQuery({ ...scimStatusQuery(name), enabled: Boolean(app) });

  let body;
  if (apps.isPending || (app && status.isPending)) {
    body = <p className="muted" aria-busy="true" data-testid="import-page-loading">Reading the connection…</p>;
  } else if (apps.isError || status.isError) {
    const error = apps.error ?? status.error;
    body = (
      <div className="card" role="alert" data-testid="import-page-error">
        <p className="error-text">{messageOf(error)}</p>
        <button type="button" onClick={() => void (apps.isError ? apps.refetch() : status.refetch())}>
          Try again
        </button>
      </div>
    );
  } else if (!app) {
    body = (
      <p className="muted" role="status" data-testid="app-missing">
        There is no application named <code>{name}</code>.
      </p>
    );
  } else if (!status.data || status.data.connection.state !== "connected") {
    body = <NotConnected app={app} view={status.data ?? null} />;
  } else {
    body = <ImportTable app={app} view={status.data} />;
  }

  return (
    <section className="import-page" data-testid="import-page">
      <p className="breadcrumb">
        <Link to="/applications/$app/$tab" params={{ app: name, tab: "identity" }} data-testid="import-back">
          ← {app?.label ?? name} · Identity Management
        </Link>
      </p>
      <header className="page-header">
        <h1>Manual import</h1>
      </header>
      {body}
    </section>
  );
}

function NotConnected({ app, view }: { app: Application; view: ConnectionView | null }) {
  return (
    <EmptyState title={view ? `${app.label}'s connection is ${PHASE_LABEL[view.connection.state].toLowerCase()}` : `${app.label} has no connection yet`}>
      <p data-testid="import-not-connected">
        The manual import reads the users that already exist in the target, so it needs a working SCIM connection.
      </p>
      <Link to="/applications/$app/$tab" params={{ app: app.name, tab: "identity" }} className="button-link primary" data-testid="import-connect">
        {view ? "Open the connection" : "Connect"}
      </Link>
    </EmptyState>
  );
}

const SHOW_LABEL: Record<ShowFilter, string> = {
  all: "All users, in the target's order",
  "new-first": "New users first",
  new: "New users only",
  matches: "Matches only",
  imported: "Imported only",
};

type ImportFilter = Omit<ImportQuery, "offset" | "limit">;

type ListedView = Omit<ImportView, "rows"> & { rows: ListedRow[] };

const rowId = (r: ListedRow) => String(r.position);
const testIdOf = (r: ListedRow) => r.remote_id;
const NO_COUNTS: ImportCounts = { listed: 0, new: 0, matches: 0, imported: 0, inactive: 0 };

function ImportTable({ app, view }: { app: Application; view: ConnectionView }) {
  const targetName = view.connection.kind === "salesforce" ? "Salesforce" : "the SCIM server";
  const targetShort = view.connection.kind === "salesforce" ? "Salesforce" : "target";
  const list = useRemoteListing(app.name);
  const job = useImportJob(app.name);
  const running = job?.state === "running";
  const columns = useMemo(() => importColumns(), []);
  // The table state (sorting, filters, search) lives in useDataTable; the query follows it.
  const [filter, setFilter] = useState<ImportFilter>({ search: "", status: null, active: null, sort: [] });
  const pages = usePagedRows<ListedRow, ListedView>({
    base: keys.importRows(app.name),
    filter,
    // The core holds a listing once its first page is in.
    enabled: list.read > 0,
    fetch: async (offset, limit) => {
      const v = await unwrap(commands.importRows(app.name, { ...filter, offset, limit }));
      return { ...v, rows: v.rows.map((r, i) => ({ ...r, position: v.positions[i] ?? -1 })) };
    },
  });
  // The listing the rows are from; kept while a new query's first page is on its way (no page
  // is shown then), so a change of search or sort does not look like another listing.
  const lastListing = useRef(0);
  if (pages.page) lastListing.current = pages.page.listing;
  const listing = lastListing.current;
  // The username of each row shown (a few selected rows are imported one by one, by username),
  // and which positions are inactive (from the rows shown and "select all" answers).
  // Both belong to one listing: another reading starts them over.
  const known = useRef({ listing: 0, usernameAt: new Map<number, string>(), inactiveAt: new Set<number>() });
  useMemo(() => {
    if (known.current.listing !== listing) known.current = { listing, usernameAt: new Map(), inactiveAt: new Set() };
    for (const r of pages.rows) {
      if (!r) continue;
      known.current.usernameAt.set(r.position, r.username);
      if (!r.active) known.current.inactiveAt.add(r.position);
    }
  }, [pages.rows, listing]);
  const selectAll = useCallback(async () => {
    const all = await unwrap(commands.importIds(app.name, { ...filter, offset: 0, limit: 0 }));
    // An answer about another listing (read again meanwhile) selects nothing.
    if (all.listing !== known.current.listing) return [];
    for (const p of all.inactive) known.current.inactiveAt.add(p);
    return all.positions.map(String);
  }, [app.name, filter]);
  const dt = useDataTable<ListedRow>({ data: pages.rows, manual: true, total: pages.total ?? 0, selectAll, columns, getRowId: rowId });
  const search = useDebounced(dt.globalFilter.trim(), SEARCH_DEBOUNCE_MS);
  const statusFilter = String(dt.columnFilter("status") ?? "");
  const activeFilter = String(dt.columnFilter("active") ?? "");
  const sorting = dt.table.getState().sorting;
  const sortKey = JSON.stringify(sorting);
  useEffect(() => {
    setFilter({
      search,
      status: statusFilter === "" ? null : (statusFilter as ImportStatus),
      active: activeFilter === "" ? null : activeFilter === "active",
      sort: sorting.map((s) => ({ by: s.id as ImportSortKey, desc: s.desc })),
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search, statusFilter, activeFilter, sortKey]);
  const [show, setShowState] = useState<ShowFilter>("all");
  const [active, setActiveState] = useState<ActiveFilter>("");
  const [skipInactive, setSkipInactive] = useState(false);
  // Matches rows whose directory user takes the target's values: username (lower-case) → position.
  const [takeValues, setTakeValues] = useState<ReadonlyMap<string, number>>(new Map());
  const [group, setGroup] = useState<string | null>(null);
  const [diffRow, setDiffRow] = useState<ListedRow | null>(null);
  // Another reading of the target is another listing: its positions name other users, so what
  // was chosen by position goes.
  const { clearSelection } = dt;
  useEffect(() => {
    clearSelection();
    setTakeValues(new Map());
    setDiffRow(null);
  }, [listing, clearSelection]);

  const setShow = (v: ShowFilter) => {
    setShowState(v);
    dt.table.setSorting(v === "new-first" ? [{ id: "status", desc: false }] : []);
    dt.setColumnFilter("status", v === "all" || v === "new-first" ? undefined : (v as ImportStatus));
  };
  const setActive = (v: ActiveFilter) => {
    setActiveState(v);
    dt.setColumnFilter("active", v === "" ? undefined : v);
  };
  const toggleTake = useCallback((row: ListedRow) => {
    setTakeValues((prev) => {
      const next = new Map(prev);
      const k = key(row.username);
      if (next.has(k)) next.delete(k);
      else next.set(k, row.position);
      return next;
    });
  }, []);

  const counts = pages.page?.counts ?? NO_COUNTS;
  const selectedIds = dt.selectedIds;
  const positions = useMemo(() => selectedIds.map(Number), [selectedIds]);
  const selectedCount = positions.length;
  // known.current grows as rows load and starts over with another listing: both re-count.
  const inactiveSelected = useMemo(
    () => positions.filter((p) => known.current.inactiveAt.has(p)).length,
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [positions, pages.rows, listing],
  );
  const toImport = skipInactive ? selectedCount - inactiveSelected : selectedCount;
  const background = selectedCount >= ROW_BY_ROW_BELOW;

  const ctx: RowContext = useMemo(
    () => ({ outcomes: job?.outcomes ?? {}, takeValues, toggleTake, openDiff: diffRow?.remote_id ?? null, setOpenDiff: setDiffRow, targetName: targetShort }),
    [job?.outcomes, takeValues, toggleTake, diffRow, targetShort],
  );

  const start = () => {
    const whole = list.complete && selectedCount === counts.listed;
    const selection = importSelection(positions, known.current.usernameAt, listing, whole);
    // Only a Matches row shows the "take" box: those ticked among the rows selected.
    const chosen = takeValues.size > 0 ? new Set(positions) : new Set<number>();
    const take = [...takeValues].filter(([, p]) => chosen.has(p)).map(([k]) => k);
    startImport({
      app: app.name,
      appLabel: app.label,
      selection,
      count: selectedCount,
      options: { skip_inactive: skipInactive, take_values: take, group: group?.trim() || null },
    });
  };

  if (list.complete && list.read === 0 && !list.error) {
    return (
      <EmptyState title={`No users on ${targetName}`}>
        <p data-testid="import-empty">{app.label}'s target has no users to import.</p>
        <button type="button" onClick={list.reload}>Read again</button>
      </EmptyState>
    );
  }

  return (
    <ImportRowContext.Provider value={ctx}>
      <p className="muted">
        The users that exist in {targetName} ({app.label}). <strong>New</strong>: no directory user has the username;{" "}
        <strong>Matches</strong>: a directory user has it but is not linked (importing links it, and keeps the directory's
        values unless you tick <em>take</em>); <strong>Imported</strong>: already linked.
      </p>
      <div className="toolbar" role="toolbar" aria-label="Remote users">
        <input
          type="search"
          className="search"
          placeholder="Search username, name, email…"
          value={dt.globalFilter}
          onChange={(e) => dt.setGlobalFilter(e.target.value)}
          aria-label="Search the target's users"
          data-testid="import-search"
        />
        <select aria-label="Show" value={show} onChange={(e) => setShow(e.target.value as ShowFilter)} data-testid="import-show">
          {(Object.keys(SHOW_LABEL) as ShowFilter[]).map((v) => (
            <option key={v} value={v}>
              {SHOW_LABEL[v]}
            </option>
          ))}
        </select>
        <select aria-label="Active" value={active} onChange={(e) => setActive(e.target.value as ActiveFilter)} data-testid="import-active">
          <option value="">Active and inactive</option>
          <option value="active">Active only</option>
          <option value="inactive">Inactive only</option>
        </select>
        <span className="spacer" />
        <LoadState list={list} />
      </div>
      <p className="count-line" data-testid="import-counts">
        {counts.listed.toLocaleString()} user(s){list.complete ? "" : " so far"} · {counts.new.toLocaleString()} new ·{" "}
        {counts.matches.toLocaleString()} matches · {counts.imported.toLocaleString()} imported · {counts.inactive.toLocaleString()} inactive ·{" "}
        <span data-testid="import-shown">{(pages.total ?? 0).toLocaleString()} shown</span>
      </p>
      <div className="bulk import-bar" role="group" aria-label="Import the selection">
        <strong data-testid="import-selected">{selectedCount.toLocaleString()} selected</strong>
        {selectedCount > 0 && (
          <button type="button" className="small" onClick={dt.clearSelection} data-testid="import-clear">
            Clear
          </button>
        )}
        <label className="inline-label">
          <input type="checkbox" checked={skipInactive} onChange={(e) => setSkipInactive(e.target.checked)} data-testid="import-skip-inactive" />
          Skip inactive users
        </label>
        <GroupPicker app={app.name} appLabel={app.label} value={group} onChange={setGroup} testId="import-group" />
        <span className="spacer" />
        <button type="button" className="primary" disabled={toImport === 0 || running} onClick={start} data-testid="import-start">
          {running ? "An import is running…" : `Import ${toImport.toLocaleString()} user(s)`}
        </button>
      </div>
      <p className="muted import-hint" data-testid="import-hint">
        {selectedCount === 0
          ? "Select users: click a row, shift-click another for the range between, or tick the header box for every user shown."
          : background
            ? `${selectedCount.toLocaleString()} users: the import runs in the background with a progress bar; you can keep working elsewhere.`
            : "Each user is imported in turn and its result shown as it lands."}
        {inactiveSelected > 0 && (skipInactive ? ` ${inactiveSelected} inactive will be skipped.` : ` ${inactiveSelected} inactive will be imported as suspended.`)}
        {group === null && selectedCount > 0 && (
          <span className="warn-text" data-testid="import-scope-hint">
            {" "}
            Imported users are managed for {app.label} only as members of a group bound to it: choose one above, or add
            them afterwards.
          </span>
        )}
      </p>
      <DataTable
        dt={dt}
        label={`Users in ${targetName}`}
        testId="import-table"
        getRowId={rowId}
        testIdOf={testIdOf}
        height="max(240px, calc(100vh - 470px))"
        loading={list.loading || pages.loading}
        onRange={pages.showRange}
        scrollKey={pages.queryKey}
        noMatch={list.error ? "The list could not be read." : pages.error ?? "No user matches the search or the filters."}
      />
      {diffRow && (
        <div className="card diff-panel" role="region" aria-label={`Differences for ${diffRow.username}`} data-testid="import-diff">
          <div className="drawer-head">
            <strong>{diffRow.username}</strong>
            <button type="button" className="small" onClick={() => setDiffRow(null)} aria-label="Close the differences">
              Close
            </button>
          </div>
          {diffRow.differences.length === 0 ? (
            <p className="muted">The directory user has the same values as {targetName}: importing only links them.</p>
          ) : (
            <ul className="diff-lines">
              {differenceLines(diffRow, targetShort).map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
          )}
          <label className="inline-label">
            <input
              type="checkbox"
              checked={takeValues.has(key(diffRow.username))}
              onChange={() => toggleTake(diffRow)}
              data-testid="import-diff-take"
            />
            Take {targetName}'s values for this user (else it is only linked, the directory's values kept)
          </label>
        </div>
      )}
      {job && <ImportJobView job={job} targetName={targetName} />}
    </ImportRowContext.Provider>
  );
}

function LoadState({ list }: { list: RemoteListing }) {
  if (list.error) {
    return (
      <span role="alert" className="load-state" data-testid="import-load-error">
        <span className="error-text">{list.error}</span>
        <button type="button" className="small" onClick={list.read ? list.resume : list.reload}>
          Try again
        </button>
      </span>
    );
  }
  if (list.loading) {
    return (
      <span className="load-state" role="status" aria-busy="true" data-testid="import-loading">
        Loading… {list.read.toLocaleString()} read so far
        <button type="button" className="small" onClick={list.stop} data-testid="import-load-stop">
          Stop
        </button>
      </span>
    );
  }
  if (list.stopped) {
    return (
      <span className="load-state" role="status" data-testid="import-stopped">
        Stopped at {list.read.toLocaleString()}
        <button type="button" className="small" onClick={list.resume} data-testid="import-load-resume">
          Continue loading
        </button>
      </span>
    );
  }
  return (
    <span className="load-state" data-testid="import-complete">
      All read
      <button type="button" className="small" onClick={list.reload} data-testid="import-reload" title="Read the list again (the statuses change after an import)">
        Read again
      </button>
    </span>
  );
}
