import { useState } from "react";
import { commands, type Application, type IdpCertView } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";
import { copyText } from "../../lib/clipboard";

/**
 * The gap-free rollover step for the next certificate: copy it for a second Salesforce single
 * sign-on configuration, then bind it to that configuration's Login URL. Salesforce trusts one
 * certificate per configuration, so each configuration keeps receiving responses signed with the
 * certificate it trusts, before and after the switch.
 */
export function NextCertBinding({
  app,
  cert,
  onChanged,
}: {
  app: Application;
  cert: IdpCertView;
  onChanged: (certs: IdpCertView[] | null, notice: string) => void;
}) {
  const [url, setUrl] = useState(cert.acs_url ?? "");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const bind = async (value: string | null) => {
    setBusy(true);
    setError(null);
    try {
      const certs = await unwrap(commands.idpBindNext(app.name, value));
      onChanged(
        certs,
        value
          ? "Bound: logins through that Salesforce configuration are signed with the next certificate."
          : "Unbound: the next certificate signs for the SP metadata's Login URL.",
      );
      if (!value) setUrl("");
    } catch (e) {
      // What was typed stays in the field so it can be corrected.
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    const ok = await copyText(cert.cert_pem);
    setError(ok ? null : "The certificate could not be copied: use the CLI (lanyard idp cert --next) instead.");
    if (ok) onChanged(null, "Next certificate copied.");
  };

  return (
    <form
      className="bind-next"
      data-testid="bind-next"
      onSubmit={(e) => {
        e.preventDefault();
        void bind(url.trim() || null);
      }}
    >
      <p className="muted">
        Rollover without a gap: in Salesforce's Single Sign-On Settings, add a new configuration with this certificate,
        then paste its Salesforce Login URL (it ends with <code>&amp;sc=…</code>) here.
      </p>
      <div className="actions">
        <button type="button" onClick={copy} data-testid="copy-next-certificate">
          Copy next certificate
        </button>
      </div>
      <label htmlFor="bind-next-url">Login URL of the configuration that trusts the next certificate</label>
      <input
        id="bind-next-url"
        type="url"
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        placeholder="https://NAME.my.salesforce.com?so=00D…&sc=0LE…"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "bind-next-error" : undefined}
      />
      <div className="actions">
        <button type="submit" disabled={busy || url.trim() === ""} data-testid="bind-next-save">
          Bind
        </button>
        {cert.acs_url && (
          <button type="button" disabled={busy} onClick={() => bind(null)}>
            Unbind
          </button>
        )}
      </div>
      {error && (
        <p className="error-text" role="alert" id="bind-next-error" data-testid="bind-next-error">
          {error}
        </p>
      )}
    </form>
  );
}
