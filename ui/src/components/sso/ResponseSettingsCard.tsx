// Lifetime, what is signed, NameID format, and the just-in-time attributes: a react-hook-form
// over the core's SAML settings. The core checks them on save and its refusal shows here, with
// every edit kept.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useFieldArray, useForm } from "react-hook-form";
import { commands, type Application, type SamlSettings } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";
import { notify } from "../../lib/notify";
import { keys } from "../../lib/queries";

const SOURCES = ["email", "firstname", "lastname", "displayname", "federation_id", "job_title", "department", "company", "employee_identifier", "phone", "constant"];

const settingsKey = (app: string) => [...keys.setup, "saml-settings", app] as const;

export function ResponseSettingsCard({ app }: { app: Application }) {
  const client = useQueryClient();
  const stored = useQuery({ queryKey: settingsKey(app.name), queryFn: () => unwrap(commands.samlSettings(app.name)) });
  const form = useForm<SamlSettings>();
  const attributes = useFieldArray({ control: form.control, name: "attributes" });
  // The form starts from what is stored, and from the core's answer after a save.
  useEffect(() => {
    if (stored.data && !form.formState.isDirty) form.reset(stored.data);
  }, [stored.data, form]);
  const save = useMutation({
    // A constant value goes with the "constant" source only.
    mutationFn: (settings: SamlSettings) =>
      unwrap(
        commands.saveSamlSettings(app.name, {
          ...settings,
          attributes: settings.attributes.map((a) => ({ ...a, constant: a.source === "constant" ? (a.constant ?? "") : null })),
        }),
      ),
    onSuccess: (saved) => {
      client.setQueryData(settingsKey(app.name), saved);
      form.reset(saved);
      notify.ok("Saved.", "toast-saml-settings");
      return client.invalidateQueries({ queryKey: keys.setup });
    },
  });

  if (stored.isPending) return <span className="skeleton-line" aria-hidden="true" />;
  if (stored.isError) return <p className="error-text">{messageOf(stored.error)}</p>;
  const sources = form.watch("attributes") ?? [];
  return (
    <form className="card" aria-label="Response settings" data-testid="response-settings" onSubmit={form.handleSubmit((v) => save.mutate(v))} noValidate>
      <h2>Response settings</h2>
      <div className="row wrap">
        <label className="inline">
          Lifetime
          <input type="number" className="narrow" min={30} max={3600} {...form.register("response.lifetime_secs", { valueAsNumber: true })} data-testid="lifetime" /> s
        </label>
        <label className="inline">
          Sign
          <select {...form.register("response.sign")}>
            <option value="both">Assertion and response</option>
            <option value="assertion">Assertion only</option>
            <option value="response">Response only</option>
          </select>
        </label>
        <label className="inline">
          NameID format
          <select {...form.register("response.name_id_format")}>
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
          <tr>
            <th>Send</th>
            <th>Attribute name</th>
            <th>From</th>
            <th>Constant value</th>
          </tr>
        </thead>
        <tbody>
          {attributes.fields.map((a, i) => (
            <tr key={a.id}>
              <td>
                <input type="checkbox" {...form.register(`attributes.${i}.enabled`)} aria-label={`Send ${a.name}`} />
              </td>
              <td>
                <input {...form.register(`attributes.${i}.name`)} aria-label="Attribute name" />
              </td>
              <td>
                <select {...form.register(`attributes.${i}.source`)} aria-label="Source">
                  {SOURCES.map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                {sources[i]?.source === "constant" && (
                  <input {...form.register(`attributes.${i}.constant`)} aria-label="Constant value" />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending} data-testid="save-settings">
          Save settings
        </button>
      </div>
      {save.isError && (
        <p className="error-text" role="alert" data-testid="settings-error">
          {messageOf(save.error)}
        </p>
      )}
    </form>
  );
}
