import { useQuery } from "@tanstack/react-query";
import { commands } from "../bindings";
import { messageOf, unwrap } from "../lib/ipc";
import { keys } from "../lib/queries";
import { IdpAddressCard } from "../components/settings/IdpAddressCard";
import { RetentionCard } from "../components/settings/RetentionCard";

export function SettingsPage() {
  const storage = useQuery({ queryKey: keys.storage, queryFn: () => unwrap(commands.storageInfo()) });
  const keyring = useQuery({ queryKey: keys.keyring, queryFn: () => unwrap(commands.keyringStatus()) });
  return (
    <section>
      <header className="page-header">
        <h1>Settings</h1>
      </header>
      <div className="card">
        <h2>Storage</h2>
        {storage.isPending && <p className="muted">Loading…</p>}
        {storage.isError && <p className="error-text">{messageOf(storage.error)}</p>}
        {storage.data && (
          <dl className="facts">
            <dt>Data folder</dt>
            <dd><code>{storage.data.data_dir}</code></dd>
            <dt>Database</dt>
            <dd><code>{storage.data.database}</code></dd>
            <dt>Schema version</dt>
            <dd>{storage.data.schema_version}</dd>
            <dt>Lanyard version</dt>
            <dd>{storage.data.app_version}</dd>
          </dl>
        )}
      </div>
      <IdpAddressCard />
      <RetentionCard />
      <div className="card">
        <h2>OS keyring</h2>
        {keyring.isPending && <p className="muted">Checking the keyring…</p>}
        {keyring.isError && <p className="error-text">{messageOf(keyring.error)}</p>}
        {keyring.data && (
          <p className={keyring.data.available ? "ok-text" : "error-text"} data-testid="keyring-status">
            {keyring.data.message}
          </p>
        )}
      </div>
    </section>
  );
}
