// Manual import (/applications/<app>/import): the connected target's users streamed into the
// table 200 at a time, filters (New first / only, inactive), search, selection (one, a
// shift-range, all shown), per Matches row "take the target's values", then Import.
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Application, ConnectionView, ImportStatus, RemoteRow } from "../../bindings";
import { PHASE_LABEL } from "../../lib/connectionState";
import { messageOf } from "../../lib/ipc";
import { appsQuery, scimStatusQuery } from "../../lib/queries";
import { useDataTable } from "../../lib/useDataTable";
import { DataTable } from "../DataTable";
import { EmptyState } from "../EmptyState";
import { GroupPicker } from "./GroupPicker";
import { ImportJobView } from "./ImportJobView";
import { ImportRowContext, importColumns, type RowContext } from "./importColumns";
import { ROW_BY_ROW_BELOW, differenceLines, key, searchText, type ActiveFilter, type ShowFilter } from "./importLogic";
import { startImport, useImportJob } from "./importStore";
import { useRemoteUsers } from "./useRemoteUsers";

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

function ImportTable({ app, view }: { app: Application; view: ConnectionView }) {
  const targetName = view.connection.kind === "salesforce" ? "Salesforce" : "the SCIM server";
  const targetShort = view.connection.kind === "salesforce" ? "Salesforce" : "target";
  const list = useRemoteUsers(app.name, true);
  const job = useImportJob(app.name);
  const running = job?.state === "running";
  // When an import of this application ends, the statuses (New → Imported…) are read again.
  const wasRunning = useRef(running);
  const { reload } = list;
  useEffect(() => {
    if (wasRunning.current && !running) reload();
    wasRunning.current = running;
  }, [running, reload]);
  const columns = useMemo(() => importColumns(), []);
  const dt = useDataTable<RemoteRow>({ data: list.rows, columns, getRowId: (r) => r.remote_id, searchText });
  const [show, setShowState] = useState<ShowFilter>("all");
  const [active, setActiveState] = useState<ActiveFilter>("");
  const [skipInactive, setSkipInactive] = useState(false);
  const [takeValues, setTakeValues] = useState<ReadonlySet<string>>(new Set());
  const [group, setGroup] = useState<string | null>(null);
  const [openDiff, setOpenDiff] = useState<string | null>(null);

  const setShow = (v: ShowFilter) => {
    setShowState(v);
    dt.table.setSorting(v === "new-first" ? [{ id: "status", desc: false }] : []);
    dt.setColumnFilter("status", v === "all" || v === "new-first" ? undefined : (v as ImportStatus));
  };
  const setActive = (v: ActiveFilter) => {
    setActiveState(v);
    dt.setColumnFilter("active", v === "" ? undefined : v);
  };
  const toggleTake = useCallback((username: string) => {
    setTakeValues((prev) => {
      const next = new Set(prev);
      const k = key(username);
      if (next.has(k)) next.delete(k);
      else next.add(k);
      return next;
    });
  }, []);

  const counts = useMemo(() => {
    const c = { new: 0, matches: 0, imported: 0, inactive: 0 };
    for (const r of list.rows) {
      c[r.status] += 1;
      if (!r.active) c.inactive += 1;
    }
    return c;
  }, [list.rows]);
  // Looked up in the table's selection itself (a set of 50,000 ids beside it cost memory, not time).
  const selection = dt.table.getState().rowSelection;
  const selected = useMemo(() => list.rows.filter((r) => selection[r.remote_id] === true), [list.rows, selection]);
  const inactiveSelected = selected.filter((r) => !r.active).length;
  const toImport = skipInactive ? selected.length - inactiveSelected : selected.length;
  const background = selected.length >= ROW_BY_ROW_BELOW;

  const ctx: RowContext = useMemo(
    () => ({ outcomes: job?.outcomes ?? {}, takeValues, toggleTake, openDiff, setOpenDiff, targetName: targetShort }),
    [job?.outcomes, takeValues, toggleTake, openDiff, targetShort],
  );
  // Looked up when a panel is open (a map of every row, rebuilt per showing, cost more than it saved).
  const diffRow = useMemo(() => (openDiff ? list.rows.find((r) => r.remote_id === openDiff) : undefined), [openDiff, list.rows]);

  const start = () => {
    const usernames = selected.map((r) => r.username);
    const all = list.complete && selected.length === list.rows.length && background;
    const take = selected.filter((r) => r.status === "matches" && takeValues.has(key(r.username))).map((r) => r.username);
    startImport({
      app: app.name,
      appLabel: app.label,
      usernames,
      all,
      options: { skip_inactive: skipInactive, take_values: take, group: group?.trim() || null },
    });
  };

  if (list.complete && list.rows.length === 0 && !list.error) {
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
        {list.rows.length.toLocaleString()} user(s){list.complete ? "" : " so far"} · {counts.new.toLocaleString()} new ·{" "}
        {counts.matches.toLocaleString()} matches · {counts.imported.toLocaleString()} imported · {counts.inactive.toLocaleString()} inactive ·{" "}
        <span data-testid="import-shown">{dt.rows.length.toLocaleString()} shown</span>
      </p>
      <div className="bulk import-bar" role="group" aria-label="Import the selection">
        <strong data-testid="import-selected">{selected.length.toLocaleString()} selected</strong>
        {selected.length > 0 && (
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
        {selected.length === 0
          ? "Select users: click a row, shift-click another for the range between, or tick the header box for every user shown."
          : background
            ? `${selected.length.toLocaleString()} users: the import runs in the background with a progress bar; you can keep working elsewhere.`
            : "Each user is imported in turn and its result shown as it lands."}
        {inactiveSelected > 0 && (skipInactive ? ` ${inactiveSelected} inactive will be skipped.` : ` ${inactiveSelected} inactive will be imported as suspended.`)}
        {group === null && selected.length > 0 && (
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
        getRowId={(r) => r.remote_id}
        height="max(240px, calc(100vh - 470px))"
        loading={list.loading}
        noMatch={list.error ? "The list could not be read." : "No user matches the search or the filters."}
      />
      {diffRow && (
        <div className="card diff-panel" role="region" aria-label={`Differences for ${diffRow.username}`} data-testid="import-diff">
          <div className="drawer-head">
            <strong>{diffRow.username}</strong>
            <button type="button" className="small" onClick={() => setOpenDiff(null)} aria-label="Close the differences">
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
              onChange={() => toggleTake(diffRow.username)}
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

function LoadState({ list }: { list: ReturnType<typeof useRemoteUsers> }) {
  if (list.error) {
    return (
      <span role="alert" className="load-state" data-testid="import-load-error">
        <span className="error-text">{list.error}</span>
        <button type="button" className="small" onClick={list.rows.length ? list.resume : list.reload}>
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
        Stopped at {list.rows.length.toLocaleString()}
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
