import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { commands, type Application, type SpMetadata, type SpView } from "../../bindings";
import { IpcError, messageOf, unwrap } from "../../lib/ipc";
import { keys } from "../../lib/queries";
import { spViewQuery } from "../setup/data";
import { CopyValue } from "../CopyValue";
import { certSummary, fingerprint } from "./certText";

type Source = { text: string; path: null } | { text: null; path: string };
type Mode = "view" | "paste" | "manual";

/** Salesforce's side: import SP metadata (file dialog, drop, paste) or enter it by hand. */
export function SpSettingsCard({ app }: { app: Application }) {
  // What is stored, read as the setup checklist reads it: a save updates both at once.
  const client = useQueryClient();
  const stored = useQuery(spViewQuery(app.name));
  const view = stored.data ?? null;
  const loading = stored.isPending;
  const setView = (saved: SpView) => {
    client.setQueryData(spViewQuery(app.name).queryKey, saved);
    void client.invalidateQueries({ queryKey: keys.setup });
  };
  const [mode, setMode] = useState<Mode>("view");
  const [source, setSource] = useState<Source | null>(null);
  const [preview, setPreview] = useState<SpMetadata | null>(null);
  const [entity, setEntity] = useState("");
  const [failure, setError] = useState<string | null>(null);
  const error = failure ?? (stored.isError ? messageOf(stored.error) : null);
  const [pasted, setPasted] = useState("");
  const [manual, setManual] = useState({ entityId: "", acsUrl: "", certPath: "" });
  const [busy, setBusy] = useState(false);

  const inspect = async (next: Source, chosenEntity: string | null = null) => {
    setSource(next);
    setError(null);
    setPreview(null);
    try {
      setPreview(await unwrap(commands.inspectMetadata(app.name, next.text, next.path, chosenEntity)));
    } catch (e) {
      setError(messageOf(e));
    }
  };

  // Drag-and-drop of a metadata file anywhere on the window.
  useEffect(() => {
    let stop: (() => void) | undefined;
    getCurrentWebview()
      .onDragDropEvent((event) => {
        if (event.payload.type === "drop" && event.payload.paths.length > 0) {
          const path = event.payload.paths[0];
          if (path) void inspect({ text: null, path });
        }
      })
      .then((un) => (stop = un), () => undefined);
    return () => stop?.();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [app.name]);

  const chooseFile = async () => {
    // The dialog opens on the Rust side: the page never names a path for Lanyard to read.
    const path = await unwrap(commands.chooseFile("sp_metadata")).catch((e: unknown) => {
      setError(messageOf(e));
      return null;
    });
    if (path) await inspect({ text: null, path });
  };

  const save = async () => {
    if (!source) return;
    setBusy(true);
    try {
      const saved = await unwrap(commands.saveSpMetadata(app.name, source.text, source.path, entity.trim() || null));
      setView(saved);
      setPreview(null);
      setSource(null);
      setMode("view");
      setPasted("");
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const saveManual = async () => {
    setBusy(true);
    setError(null);
    try {
      const saved = await unwrap(
        commands.saveSpManual(app.name, manual.entityId, manual.acsUrl, manual.certPath.trim() || null),
      );
      setView(saved);
      setMode("view");
    } catch (e) {
      setError(e instanceof IpcError ? e.message : messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const importCert = async () => {
    const path = await unwrap(commands.chooseFile("sp_certificate")).catch((e: unknown) => {
      setError(messageOf(e));
      return null;
    });
    if (!path) return;
    try {
      setView(await unwrap(commands.importSpCertificate(app.name, path)));
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  };

  const pickManualCert = async () => {
    const path = await unwrap(commands.chooseFile("sp_certificate")).catch((e: unknown) => {
      setError(messageOf(e));
      return null;
    });
    if (path) setManual((m) => ({ ...m, certPath: path }));
  };

  const severalEntities = error?.includes("several entities") ?? false;

  return (
    <section className="card" aria-label="Salesforce service provider" data-testid="sp-card">
      <h2>Salesforce (service provider)</h2>
      {loading && <p className="muted">Loading…</p>}
      {!loading && view && mode === "view" && !preview && (
        <>
          <CopyValue label="SP entity ID" value={view.config.entity_id} testId="sp-entity-id" />
          <CopyValue label="ACS (Salesforce Login URL)" value={view.config.acs_url} testId="sp-acs" />
          <p className="muted">
            {view.config.authn_requests_signed ? "Salesforce signs its login requests" : "Login requests are not signed"} ·
            from {view.config.source === "metadata" ? "metadata" : "manual entry"}
            {view.config.valid_until ? ` · metadata valid until ${new Date(view.config.valid_until).toLocaleDateString()}` : ""}
          </p>
          {view.certificates.map((c) => (
            <p key={c.sha256} className={c.expired ? "error-text" : ""}>
              Salesforce certificate: {certSummary(c)}
              <br />
              <small className="muted">SHA-256 {fingerprint(c.sha256)}</small>
            </p>
          ))}
          {view.warnings.map((w) => (
            <p key={w} className="warn-text">⚠ {w}</p>
          ))}
        </>
      )}
      {!loading && !view && mode === "view" && !preview && (
        <p className="muted" data-testid="sp-empty">
          Not set up yet. In Salesforce, open Single Sign-On Settings and download the metadata, then choose the file,
          drop it on this window, or paste it.
        </p>
      )}

      {preview && (
        <div className="preview" data-testid="sp-preview">
          <h3>Check before saving</h3>
          <CopyValue label="SP entity ID" value={preview.entity_id} />
          {preview.acs.map((a) => (
            <CopyValue key={a.location} label={`ACS${a.is_default ? " (default)" : ""}`} value={a.location} />
          ))}
          {preview.signing_certs.map((c) => (
            <p key={c.sha256}>Signing certificate: {certSummary(c)}</p>
          ))}
          {preview.warnings.map((w) => (
            <p key={w} className="warn-text">⚠ {w}</p>
          ))}
          <div className="actions">
            <button type="button" className="primary" onClick={save} disabled={busy} data-testid="sp-save">
              Save
            </button>
            <button type="button" onClick={() => { setPreview(null); setSource(null); }} disabled={busy}>
              Cancel
            </button>
          </div>
        </div>
      )}

      {mode === "paste" && !preview && (
        <div className="form">
          <label>
            Metadata XML
            <textarea rows={8} value={pasted} onChange={(e) => setPasted(e.target.value)} spellCheck={false} data-testid="sp-paste" />
          </label>
          <div className="actions">
            <button type="button" className="primary" onClick={() => inspect({ text: pasted, path: null })} disabled={!pasted.trim()}>
              Read metadata
            </button>
            <button type="button" onClick={() => setMode("view")}>Cancel</button>
          </div>
        </div>
      )}

      {mode === "manual" && (
        <div className="form">
          <label>
            SP entity ID
            <input value={manual.entityId} onChange={(e) => setManual({ ...manual, entityId: e.target.value })} placeholder="https://acme.my.salesforce.com" data-testid="sp-manual-entity" />
          </label>
          <label>
            ACS URL (Salesforce Login URL)
            <input value={manual.acsUrl} onChange={(e) => setManual({ ...manual, acsUrl: e.target.value })} placeholder="https://acme.my.salesforce.com?so=00D…" data-testid="sp-manual-acs" />
          </label>
          <label>
            Salesforce certificate (optional)
            <span className="row">
              <input value={manual.certPath} readOnly placeholder="No file chosen" />
              <button type="button" onClick={pickManualCert}>Choose…</button>
            </span>
          </label>
          <div className="actions">
            <button type="button" className="primary" onClick={saveManual} disabled={busy} data-testid="sp-manual-save">Save</button>
            <button type="button" onClick={() => setMode("view")}>Cancel</button>
          </div>
        </div>
      )}

      {error && (
        <div role="alert">
          <p className="error-text" data-testid="sp-error">{error}</p>
          {severalEntities && source && (
            <div className="row">
              <input value={entity} onChange={(e) => setEntity(e.target.value)} placeholder="entity ID to use" />
              <button type="button" onClick={() => inspect(source, entity.trim() || null)}>Use this entity</button>
            </div>
          )}
        </div>
      )}

      {mode === "view" && !preview && (
        <div className="actions">
          <button type="button" onClick={chooseFile} data-testid="sp-choose-file">Choose metadata file…</button>
          <button type="button" onClick={() => setMode("paste")} data-testid="sp-paste-mode">Paste XML</button>
          <button type="button" onClick={() => setMode("manual")} data-testid="sp-manual-mode">Enter by hand</button>
          {view && <button type="button" onClick={importCert}>Import Salesforce certificate…</button>}
        </div>
      )}
    </section>
  );
}
