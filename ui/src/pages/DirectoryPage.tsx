import * as Tabs from "@radix-ui/react-tabs";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { commands, type ImportSummary } from "../bindings";
import { EmptyState } from "../components/EmptyState";
import { GroupsView } from "../components/directory/GroupsView";
import { ImportDialog } from "../components/directory/ImportDialog";
import { UsersView } from "../components/directory/UsersView";
import { messageOf, unwrap } from "../lib/ipc";
import { notify } from "../lib/notify";
import { keys } from "../lib/queries";

type Tab = "users" | "groups";

export function DirectoryPage() {
  // The facets (user count, departments, groups, the change-feed mark) follow every change to the
  // directory: the window's change events invalidate keys.directory, whoever made the change.
  const client = useQueryClient();
  const directory = useQuery({ queryKey: keys.facets, queryFn: () => unwrap(commands.directoryFacets()) });
  const reload = () => void client.invalidateQueries({ queryKey: keys.directory });
  const [tab, setTab] = useState<Tab>("users");
  const [importing, setImporting] = useState(false);
  const [addFirst, setAddFirst] = useState(false);

  const exportCsv = async () => {
    try {
      const path = await unwrap(commands.exportDirectoryFile());
      if (path) notify.ok(`Exported the directory to ${path}.`, "directory-notice");
    } catch (e) {
      notify.error(e, "directory-notice");
    }
  };

  const imported = (s: ImportSummary) => {
    setImporting(false);
    notify.ok(
      `Imported: ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged, ${s.groups_created} group(s) created.`,
      "directory-notice",
    );
    reload();
  };

  return (
    <section>
      <header className="page-header">
        <h1>Directory</h1>
        <div className="actions">
          <button type="button" onClick={() => setImporting(true)} data-testid="import-csv">
            Import CSV…
          </button>
          <button type="button" onClick={exportCsv} disabled={!directory.data || directory.data.users === 0} data-testid="export-csv">
            Export CSV
          </button>
        </div>
      </header>
      {importing && <ImportDialog onDone={imported} onCancel={() => setImporting(false)} />}
      {directory.isPending && (
        <p className="muted" aria-busy="true">
          Loading the directory…
        </p>
      )}
      {directory.isError && (
        <div className="card" role="alert" data-testid="directory-error">
          <p className="error-text">{messageOf(directory.error)}</p>
          <button type="button" onClick={reload}>
            Try again
          </button>
        </div>
      )}
      {directory.data && (
        <>
          <Tabs.Root value={tab} onValueChange={(v) => setTab(v as Tab)} activationMode="manual">
            <Tabs.List className="tabs" aria-label="Directory">
              {(["users", "groups"] as const).map((t) => (
                <Tabs.Trigger key={t} value={t} className={tab === t ? "tab active" : "tab"} data-testid={`tab-${t}`}>
                  {t === "users" ? `Users (${directory.data.users.toLocaleString()})` : `Groups (${directory.data.groups.length})`}
                </Tabs.Trigger>
              ))}
            </Tabs.List>
            <Tabs.Content value="users">
              {directory.data.users === 0 && !importing && !addFirst ? (
                <EmptyState title="No users yet">
                  <p>The directory holds the people Lanyard signs in and provisions to Salesforce.</p>
                  <div className="actions centered">
                    <button type="button" className="primary" onClick={() => setImporting(true)}>
                      Import a CSV file
                    </button>
                  </div>
                  <button type="button" onClick={() => setAddFirst(true)} data-testid="add-first-user">
                    Add a user
                  </button>
                </EmptyState>
              ) : (
                <UsersView facets={directory.data} reload={reload} startWithNew={addFirst} />
              )}
            </Tabs.Content>
            <Tabs.Content value="groups">
              <GroupsView groups={directory.data.groups} reload={reload} />
            </Tabs.Content>
          </Tabs.Root>
        </>
      )}
    </section>
  );
}

