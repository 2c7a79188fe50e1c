import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { commands, type Application, type IdpCertView } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";
import { notify } from "../../lib/notify";
import { keys } from "../../lib/queries";
import { CopyValue } from "../CopyValue";
import { copyText } from "../../lib/clipboard";
import { idpCertsQuery, idpExportsQuery } from "../setup/data";
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
  const client = useQueryClient();
  const certsQuery = useQuery(idpCertsQuery(app.name));
  const certs = certsQuery.data ?? null;
  const signing = certs?.some((c) => c.status === "active") ?? false;
  const exports = useQuery({ ...idpExportsQuery(app.name), enabled: signing }).data ?? null;
  const [bits, setBits] = useState(2048);
  const [days, setDays] = useState(730);
  // A key change concerns the checklist and the health panel too.
  const refresh = () => client.invalidateQueries({ queryKey: keys.setup });

  const keyChange = useMutation({
    mutationFn: (what: "create" | "activate" | "retire") =>
      what === "retire"
        ? unwrap(commands.idpRetire(app.name))
        : unwrap(
            commands.idpRotate(app.name, what === "activate", what === "activate" ? null : { bits, common_name: `Lanyard IdP (${app.name})`, organization: null, valid_days: days }),
          ),
    onSuccess: (_, what) => {
      if (what === "activate") notify.ok("The next certificate now signs IdP-initiated logins. Salesforce must trust it in Single Sign-On Settings.");
      return refresh();
    },
  });
  const busy = keyChange.isPending;
  const error = keyChange.error ?? certsQuery.error;
  const rotate = (activate: boolean) => keyChange.mutate(activate ? "activate" : "create");
  const retire = () => keyChange.mutate("retire");

  const exportFile = async (what: "certificate" | "metadata") => {
    try {
      const path = await unwrap(commands.exportIdpFile(app.name, what));
      if (path) notify.ok(`Saved ${path}`);
    } catch (e) {
      notify.error(e);
    }
  };

  const copy = async (text: string, what: string) => {
    if (await copyText(text)) notify.ok(`${what} copied.`);
    else notify.error(`${what} could not be copied: use Save… instead.`);
  };

  const bindingChanged = (list: IdpCertView[] | null, message: string) => {
    if (list) client.setQueryData(idpCertsQuery(app.name).queryKey, list);
    notify.ok(message);
  };

  const active = certs?.filter((c) => c.status !== "retired") ?? [];
  const hasNext = active.some((c) => c.status === "next");
  const hasPrevious = active.some((c) => c.status === "previous");

  return (
    <section className="card" aria-label="Lanyard identity provider" data-testid="idp-card">
      <h2>Lanyard (identity provider)</h2>
      {certsQuery.isPending && <p className="muted">Loading…</p>}
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
      {error && (
        <p className="error-text" role="alert">
          {messageOf(error)}
        </p>
      )}
    </section>
  );
}
