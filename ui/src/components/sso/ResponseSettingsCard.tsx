import { useEffect, useState } from "react";
import { commands, type Application, type AttributeRule, type SamlSettings } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";

const SOURCES = ["email", "firstname", "lastname", "displayname", "federation_id", "job_title", "department", "company", "employee_identifier", "phone", "constant"];

/** Lifetime, what is signed, NameID format, and the just-in-time attributes. */
export function ResponseSettingsCard({ app }: { app: Application }) {
  const [settings, setSettings] = useState<SamlSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    unwrap(commands.samlSettings(app.name)).then(setSettings, (e: unknown) => setError(messageOf(e)));
  }, [app.name]);

  if (!settings) return error ? <p className="error-text">{error}</p> : null;

  const setAttr = (i: number, patch: Partial<AttributeRule>) =>
    setSettings({ ...settings, attributes: settings.attributes.map((a, j) => (j === i ? { ...a, ...patch } : a)) });

  const save = async () => {
    setError(null);
    setSaved(false);
    try {
      setSettings(await unwrap(commands.saveSamlSettings(app.name, settings)));
      setSaved(true);
    } catch (e) {
      setError(messageOf(e));
    }
  };

  const r = settings.response;
  return (
    <section className="card" aria-label="Response settings" data-testid="response-settings">
      <h2>Response settings</h2>
      <div className="row wrap">
        <label className="inline">
          Lifetime
          <input type="number" className="narrow" min={30} max={3600} value={r.lifetime_secs}
            onChange={(e) => setSettings({ ...settings, response: { ...r, lifetime_secs: Number(e.target.value) } })} data-testid="lifetime" /> s
        </label>
        <label className="inline">
          Sign
          <select value={r.sign} onChange={(e) => setSettings({ ...settings, response: { ...r, sign: e.target.value as typeof r.sign } })}>
            <option value="both">Assertion and response</option>
            <option value="assertion">Assertion only</option>
            <option value="response">Response only</option>
          </select>
        </label>
        <label className="inline">
          NameID format
          <select value={r.name_id_format} onChange={(e) => setSettings({ ...settings, response: { ...r, name_id_format: e.target.value as typeof r.name_id_format } })}>
            <option value="unspecified">unspecified</option>
            <option value="email_address">emailAddress</option>
          </select>
        </label>
      </div>
      <p className="muted">
        Attributes feed Salesforce's just-in-time provisioning. Keep them off when SCIM provisions users (JIT must be off then).
      </p>
      <table className="attrs">
        <thead>
          <tr><th>Send</th><th>Attribute name</th><th>From</th><th>Constant value</th></tr>
        </thead>
        <tbody>
          {settings.attributes.map((a, i) => (
            <tr key={i}>
              <td><input type="checkbox" checked={a.enabled} onChange={(e) => setAttr(i, { enabled: e.target.checked })} aria-label={`Send ${a.name}`} /></td>
              <td><input value={a.name} onChange={(e) => setAttr(i, { name: e.target.value })} aria-label="Attribute name" /></td>
              <td>
                <select value={a.source} onChange={(e) => setAttr(i, { source: e.target.value, constant: e.target.value === "constant" ? a.constant ?? "" : null })} aria-label="Source">
                  {SOURCES.map((s) => <option key={s} value={s}>{s}</option>)}
                </select>
              </td>
              <td>{a.source === "constant" && <input value={a.constant ?? ""} onChange={(e) => setAttr(i, { constant: e.target.value })} aria-label="Constant value" />}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button type="button" className="primary" onClick={save} data-testid="save-settings">Save settings</button>
      </div>
      {saved && <p className="ok-text">Saved.</p>}
      {error && <p className="error-text" role="alert" data-testid="settings-error">{error}</p>}
    </section>
  );
}
