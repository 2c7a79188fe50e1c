import { commands } from "../bindings";
import { unwrap } from "../lib/ipc";
import { useLoad } from "../lib/useLoad";

export function SettingsPage() {
  const [storage] = useLoad(() => unwrap(commands.storageInfo()));
  const [keyring] = useLoad(() => unwrap(commands.keyringStatus()));
  return (
    <section>
      <header className="page-header">
        <h1>Settings</h1>
      </header>
      <div className="card">
        <h2>Storage</h2>
        {storage.state === "loading" && <p className="muted">Loading…</p>}
        {storage.state === "error" && <p className="error-text">{storage.message}</p>}
        {storage.state === "ready" && (
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
      <div className="card">
        <h2>OS keyring</h2>
        {keyring.state === "loading" && <p className="muted">Checking the keyring…</p>}
        {keyring.state === "error" && <p className="error-text">{keyring.message}</p>}
        {keyring.state === "ready" && (
          <p className={keyring.data.available ? "ok-text" : "error-text"} data-testid="keyring-status">
            {keyring.data.message}
          </p>
        )}
      </div>
    </section>
  );
}
