import { useEffect, useState } from "react";
import { commands, type Application, type IdpCertView, type IdpExports } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";
import { CopyValue } from "../CopyValue";
import { copyText } from "../../lib/clipboard";
import { certSummary, fingerprint } from "./certText";
import { NextCertBinding } from "./NextCertBinding";

const STATUS_LABEL: Record<string, string> = {
  active: "Active (signing)",
  next: "Next (published, not signing yet)",
  previous: "Previous (still published)",
  retired: "Retired",
};

/** Lanyard's side: the signing key and certificate, rollover, and what to give Salesforce. */
export function IdpCard({ app }: { app: Application }) {
  const [certs, setCerts] = useState<IdpCertView[] | null>(null);
  const [exports, setExports] = useState<IdpExports | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [bits, setBits] = useState(2048);
  const [days, setDays] = useState(730);

  const refresh = async () => {
    try {
      const list = await unwrap(commands.idpCertificates(app.name));
      setCerts(list);
      setExports(list.some((c) => c.status === "active") ? await unwrap(commands.idpExports(app.name)) : null);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  useEffect(() => void refresh(), [app.name]); // eslint-disable-line react-hooks/exhaustive-deps

  const rotate = async (activate: boolean) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await unwrap(
        commands.idpRotate(app.name, activate, activate ? null : { bits, common_name: `Lanyard IdP (${app.name})`, organization: null, valid_days: days }),
      );
      setNotice(activate ? "The next certificate now signs IdP-initiated logins. Salesforce must trust it in Single Sign-On Settings." : null);
      await refresh();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const retire = async () => {
    setBusy(true);
    try {
      await unwrap(commands.idpRetire(app.name));
      await refresh();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const exportFile = async (what: "certificate" | "metadata") => {
    try {
      const path = await unwrap(commands.exportIdpFile(app.name, what));
      if (path) setNotice(`Saved ${path}`);
    } catch (e) {
      setError(messageOf(e));
    }
  };

  const copy = async (text: string, what: string) => {
    const ok = await copyText(text);
    setError(ok ? null : `${what} could not be copied: use Save… instead.`);
    setNotice(ok ? `${what} copied.` : null);
  };

  const bindingChanged = (list: IdpCertView[] | null, message: string) => {
    if (list) setCerts(list);
    setError(null);
    setNotice(message);
  };

  const active = certs?.filter((c) => c.status !== "retired") ?? [];
  const hasNext = active.some((c) => c.status === "next");
  const hasPrevious = active.some((c) => c.status === "previous");

  return (
    <section className="card" aria-label="Lanyard identity provider" data-testid="idp-card">
      <h2>Lanyard (identity provider)</h2>
      {certs === null && !error && <p className="muted">Loading…</p>}
      {certs && active.length === 0 && (
        <p className="muted" data-testid="idp-empty">
          No signing key yet. Lanyard creates an RSA key whose private half stays in the OS keyring, and a certificate to
          upload to Salesforce.
        </p>
      )}
      {active.map((c) => (
        <div key={c.id} className={`cert-row ${c.status}`} data-testid={`idp-cert-${c.status}`}>
          <strong>{STATUS_LABEL[c.status] ?? c.status}</strong>
          <span>{certSummary(c.info)}</span>
          <small className="muted">SHA-256 {fingerprint(c.info.sha256)}</small>
          {c.acs_url && (
            <small data-testid={`idp-cert-${c.status}-acs`}>
              Signs for the Salesforce configuration at <code>{c.acs_url}</code>
            </small>
          )}
          {c.warning && <span className="warn-text">⚠ {c.warning}</span>}
          {c.status === "next" && <NextCertBinding key={c.id} app={app} cert={c} onChanged={bindingChanged} />}
        </div>
      ))}
      {exports && (
        <div className="exports">
          <CopyValue label="Issuer (IdP entity ID)" value={exports.entity_id} testId="idp-entity-id" />
          <CopyValue label="Identity Provider Login URL" value={exports.sso_url} testId="idp-sso-url" />
          <div className="actions">
            <button type="button" onClick={() => exportFile("certificate")}>Save certificate.pem…</button>
            <button type="button" onClick={() => copy(exports.certificate_pem, "Certificate")} data-testid="copy-certificate">Copy certificate</button>
            <button type="button" onClick={() => exportFile("metadata")}>Save IdP metadata…</button>
            <button type="button" onClick={() => copy(exports.metadata_xml, "IdP metadata")} data-testid="copy-metadata">Copy metadata</button>
          </div>
        </div>
      )}
      <div className="actions">
        {active.length === 0 || !hasNext ? (
          <>
            <label className="inline">
              Key
              <select value={bits} onChange={(e) => setBits(Number(e.target.value))}>
                <option value={2048}>RSA 2048</option>
                <option value={3072}>RSA 3072</option>
              </select>
            </label>
            <label className="inline">
              Valid for
              <input type="number" min={1} max={3650} value={days} onChange={(e) => setDays(Number(e.target.value))} className="narrow" /> days
            </label>
            <button type="button" className={active.length === 0 ? "primary" : ""} onClick={() => rotate(false)} disabled={busy} data-testid="idp-create">
              {active.length === 0 ? "Create signing key" : "Prepare next certificate"}
            </button>
          </>
        ) : (
          <button type="button" className="primary" onClick={() => rotate(true)} disabled={busy} data-testid="idp-activate">
            Activate next certificate
          </button>
        )}
        {hasPrevious && (
          <button type="button" onClick={retire} disabled={busy}>Retire previous certificate</button>
        )}
      </div>
      {hasNext && (
        <p className="muted">
          Then log in once through the new Salesforce configuration (its login button) to check it, and activate the next
          certificate here: test logins from Lanyard move to the new configuration, while the old one keeps working with
          the previous certificate. Retire the previous certificate once the old configuration is deleted in Salesforce.
        </p>
      )}
      {notice && <p className="ok-text">{notice}</p>}
      {error && <p className="error-text" role="alert">{error}</p>}
    </section>
  );
}
