import { useState, type FormEvent } from "react";
import { commands, type Application } from "../bindings";
import { appNameProblem, slugFromLabel } from "../lib/appName";
import { IpcError, messageOf, unwrap } from "../lib/ipc";

type Props = { onCreated: (app: Application) => void; onCancel: () => void };

export function NewApplicationForm({ onCreated, onCancel }: Props) {
  const [label, setLabel] = useState("");
  const [name, setName] = useState("");
  const [nameEdited, setNameEdited] = useState(false);
  const [description, setDescription] = useState("");
  const [sandbox, setSandbox] = useState(false);
  const [touched, setTouched] = useState(false);
  const [serverError, setServerError] = useState<{ field: "name" | "form"; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const nameProblem = appNameProblem(name);
  const showNameProblem = (touched || name.length > 0) && nameProblem;

  const onLabel = (value: string) => {
    setLabel(value);
    if (!nameEdited) setName(slugFromLabel(value));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (nameProblem) return;
    setBusy(true);
    setServerError(null);
    try {
      const app = await unwrap(
        commands.createApp({
          name,
          label: label.trim() === "" ? null : label,
          description: description.trim() === "" ? null : description,
          sandbox,
        }),
      );
      onCreated(app);
    } catch (err) {
      // Keep everything typed; say where the problem is.
      const onName = err instanceof IpcError && (err.code === "conflict" || err.code === "invalid_input");
      setServerError({ field: onName ? "name" : "form", message: messageOf(err) });
      setBusy(false);
    }
  };

  return (
    <form className="card form" onSubmit={submit} aria-label="New application" noValidate>
      <h2>New Salesforce application</h2>
      <label>
        Display label
        <input
          value={label}
          onChange={(e) => onLabel(e.target.value)}
          placeholder="Salesforce (production)"
          data-testid="app-label"
          autoFocus
        />
      </label>
      <label>
        Name
        <input
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setNameEdited(true);
          }}
          onBlur={() => setTouched(true)}
          placeholder="salesforce-prod"
          aria-invalid={Boolean(showNameProblem || serverError?.field === "name")}
          aria-describedby="app-name-help"
          data-testid="app-name"
          spellCheck={false}
        />
        <small id="app-name-help" className={showNameProblem ? "error-text" : "muted"} data-testid="app-name-help">
          {showNameProblem || "Used by the CLI and in URLs: lowercase letters, digits and hyphens."}
        </small>
      </label>
      <label>
        Description
        <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} />
      </label>
      <fieldset>
        <legend>Salesforce org</legend>
        <label className="inline">
          <input type="radio" name="org" checked={!sandbox} onChange={() => setSandbox(false)} /> Production
          (login.salesforce.com)
        </label>
        <label className="inline">
          <input
            type="radio"
            name="org"
            checked={sandbox}
            onChange={() => setSandbox(true)}
            data-testid="app-sandbox"
          />{" "}
          Sandbox (test.salesforce.com)
        </label>
      </fieldset>
      {serverError && (
        <p className="error-text" role="alert" data-testid="form-error">
          {serverError.message}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy} data-testid="create-app">
          {busy ? "Creating…" : "Create application"}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
