import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";
import { commands, type Application, type Environment } from "../bindings";
import { appNameProblem, slugFromLabel } from "../lib/appName";
import { IpcError, messageOf, unwrap } from "../lib/ipc";
import { notify } from "../lib/notify";
import { keys } from "../lib/queries";

type Props = {
  initialEnvironment: Environment;
  practiceUrl: string;
  onCreated: (app: Application) => void;
  onCancel: () => void;
};

const ENVIRONMENTS: { id: Environment; label: string; hint: (practiceUrl: string) => string }[] = [
  { id: "production", label: "Production", hint: () => "login.salesforce.com" },
  { id: "sandbox", label: "Sandbox", hint: () => "test.salesforce.com" },
  { id: "practice", label: "Practice org", hint: (url) => `local Salesforce simulator at ${url}` },
];

export function NewApplicationForm({ initialEnvironment, practiceUrl, onCreated, onCancel }: Props) {
  const [label, setLabel] = useState("");
  const [name, setName] = useState("");
  const [nameEdited, setNameEdited] = useState(false);
  const [description, setDescription] = useState("");
  const [environment, setEnvironment] = useState<Environment>(initialEnvironment);
  const [touched, setTouched] = useState(false);
  const [serverError, setServerError] = useState<{ field: "name" | "form"; message: string } | null>(null);
  const [showInPortal, setShowInPortal] = useState(false);
  const [imagePath, setImagePath] = useState<string | null>(null);
  const idpBase = useQuery({ queryKey: keys.idpAddress, queryFn: () => unwrap(commands.idpAddress()) }).data?.base_url;
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
          environment,
          login_url: null,
        }),
      );
      // The portal settings once the application exists; a refused image is said on its Overview tab.
      if (showInPortal) await unwrap(commands.setShowInPortal(app.name, true)).catch(() => undefined);
      if (imagePath) {
        await unwrap(commands.setPortalImage(app.name, imagePath)).catch((e: unknown) =>
          notify.error(`The application was created; its portal image was not kept: ${messageOf(e)}`, "toast-portal-image"),
        );
      }
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
        {ENVIRONMENTS.map((env) => (
          <label className="inline" key={env.id}>
            <input
              type="radio"
              name="environment"
              checked={environment === env.id}
              onChange={() => setEnvironment(env.id)}
              data-testid={`env-${env.id}`}
            />
            {env.label} <span className="muted">({env.hint(practiceUrl)})</span>
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>User portal</legend>
        <label className="inline">
          <input type="checkbox" checked={showInPortal} onChange={(e) => setShowInPortal(e.target.checked)} data-testid="new-app-portal" />
          Show in the user portal
        </label>
        <div className="actions">
          <button
            type="button"
            onClick={() => void unwrap(commands.chooseFile("portal_image")).then((p) => p && setImagePath(p), (e: unknown) => notify.error(e))}
            data-testid="new-app-image"
          >
            {imagePath ? "Change image…" : "Choose image…"}
          </button>
          <span className="muted" data-testid="new-app-image-name">
            {imagePath ? imagePath.split(/[\\/]/).pop() : "PNG, JPEG or SVG, up to 1 MB (optional)"}
          </span>
        </div>
      </fieldset>
      <details className="advanced">
        <summary>Advanced</summary>
        <p>
          IdP URL (the Identity Provider Login URL Salesforce will have):{" "}
          <code data-testid="new-app-idp-url">
            {idpBase ?? "…"}/saml2/{name || "<name>"}
          </code>
        </p>
        <p className="muted">
          It follows the IdP address in <Link to="/settings">Settings</Link>; moving it later lists exactly what to change in
          Salesforce and checks it at the next login started there.
        </p>
      </details>
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
