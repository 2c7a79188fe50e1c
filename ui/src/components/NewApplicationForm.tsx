// A new Salesforce application: label, name (suggested from the label), description, the org, and
// its portal settings. react-hook-form + zod; the name rule is the core's, asked while typing.
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { commands, type Application, type Environment } from "../bindings";
import { slugFromLabel } from "../lib/appName";
import { coreResolver } from "../lib/coreRules";
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

const schema = z.object({
  label: z.string(),
  name: z.string(),
  description: z.string(),
  environment: z.enum(["production", "sandbox", "practice"]),
  showInPortal: z.boolean(),
  idpPath: z.string(),
});
type Values = z.infer<typeof schema>;
const resolver = coreResolver<Values>(schema, {
  check: (v) => ({ form: "app_name", name: v.name }),
  // The IdP path (blank: the name) follows the same rule, the core's.
  more: async (v) => {
    if (v.idpPath.trim() === "") return [];
    const found = await commands.checkForm({ form: "app_name", name: v.idpPath });
    return found.map((p) => ({ ...p, field: "idpPath" }));
  },
});

export function NewApplicationForm({ initialEnvironment, practiceUrl, onCreated, onCancel }: Props) {
  const form = useForm<Values>({
    resolver,
    mode: "onTouched",
    defaultValues: { label: "", name: "", description: "", environment: initialEnvironment, showInPortal: false, idpPath: "" },
  });
  const [imagePath, setImagePath] = useState<string | null>(null);
  const idpBase = useQuery({ queryKey: keys.idpAddress, queryFn: () => unwrap(commands.idpAddress()) }).data?.base_url;
  const name = form.watch("name");
  const idpPath = form.watch("idpPath");
  const pathError = form.formState.errors.idpPath?.message;

  const nameError = form.formState.errors.name?.message;
  const formError = form.formState.errors.root?.message;
  // The core's refusal of a save also shows above the buttons (the path sits in a folded section).
  const serverError = formError ?? [form.formState.errors.name, form.formState.errors.idpPath].find((e) => e?.type === "server")?.message;
  const busy = form.formState.isSubmitting;

  const create = async (v: Values) => {
    try {
      const app = await unwrap(
        commands.createApp({
          name: v.name,
          label: v.label.trim() === "" ? null : v.label,
          description: v.description.trim() === "" ? null : v.description,
          environment: v.environment,
          login_url: null,
          idp_path: v.idpPath.trim() === "" ? null : v.idpPath.trim(),
        }),
      );
      // The portal settings once the application exists; a refused image is said on its Overview tab.
      if (v.showInPortal) await unwrap(commands.setShowInPortal(app.name, true)).catch(() => undefined);
      if (imagePath) {
        await unwrap(commands.setPortalImage(app.name, imagePath)).catch((e: unknown) =>
          notify.error(`The application was created; its portal image was not kept: ${messageOf(e)}`, "toast-portal-image"),
        );
      }
      onCreated(app);
    } catch (err) {
      // Keep everything typed; say where the problem is.
      const onName = err instanceof IpcError && (err.code === "conflict" || err.code === "invalid_input");
      // A blank path is the name: a clash of the default path is the name's.
      const onPath = onName && /IdP URL/.test(messageOf(err)) && v.idpPath.trim() !== "";
      form.setError(onPath ? "idpPath" : onName ? "name" : "root", { type: "server", message: messageOf(err) });
    }
  };

  return (
    <form className="card form" onSubmit={form.handleSubmit(create)} aria-label="New application" noValidate>
      <h2>New Salesforce application</h2>
      <label>
        Display label
        <input
          {...form.register("label", {
            onChange: (e: { target: { value: string } }) => {
              // The name follows the label until the admin edits it.
              if (form.formState.dirtyFields.name) return;
              const slug = slugFromLabel(e.target.value);
              form.setValue("name", slug, { shouldValidate: slug !== "" });
            },
          })}
          placeholder="Salesforce (production)"
          data-testid="app-label"
          autoFocus
        />
      </label>
      <label>
        Name
        <input
          {...form.register("name", { onChange: () => void form.trigger("name") })}
          placeholder="salesforce-prod"
          aria-invalid={Boolean(nameError)}
          aria-describedby="app-name-help"
          data-testid="app-name"
          spellCheck={false}
        />
        <small id="app-name-help" className={nameError ? "error-text" : "muted"} data-testid="app-name-help">
          {nameError ?? "Used by the CLI and in URLs: lowercase letters, digits and hyphens."}
        </small>
      </label>
      <label>
        Description
        <textarea {...form.register("description")} rows={2} />
      </label>
      <fieldset>
        <legend>Salesforce org</legend>
        {ENVIRONMENTS.map((env) => (
          <label className="inline" key={env.id}>
            <input
              type="radio"
              value={env.id}
              {...form.register("environment")}
              data-testid={`env-${env.id}`}
            />
            {env.label} <span className="muted">({env.hint(practiceUrl)})</span>
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>User portal</legend>
        <label className="inline">
          <input type="checkbox" {...form.register("showInPortal")} data-testid="new-app-portal" />
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
        <label>
          IdP URL (the Identity Provider Login URL Salesforce will have)
          <span className="inline">
            <code>{idpBase ?? "…"}/saml2/</code>
            <input
              {...form.register("idpPath", { onChange: () => void form.trigger("idpPath") })}
              placeholder={name || "<name>"}
              spellCheck={false}
              aria-invalid={Boolean(pathError)}
              aria-describedby="new-app-idp-help"
              data-testid="new-app-idp-path"
            />
          </span>
          <code className="muted" data-testid="new-app-idp-url">
            {idpBase ?? "…"}/saml2/{idpPath.trim() || name || "<name>"}
          </code>
          <small id="new-app-idp-help" className={pathError ? "error-text" : "muted"} data-testid="new-app-idp-help">
            {pathError ?? "Blank: the application's name. Moving it later (on the Overview tab) lists what to change in Salesforce."}
          </small>
        </label>
        <p className="muted">
          The address part follows the IdP address in <Link to="/settings">Settings</Link>; moving it later lists exactly what to
          change in Salesforce and checks it at the next login started there.
        </p>
      </details>
      {serverError && (
        <p className="error-text" role="alert" data-testid="form-error">
          {serverError}
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
