// The application's IdP URL (Salesforce's Identity Provider Login URL): `<IdP address>/saml2/<path>`.
// Moving it is a guided re-point: the card then says exactly what to change in Salesforce, until
// a login started there reaches the new URL. The path rule is the core's (the application-name rule).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { commands, type Application } from "../../bindings";
import { coreResolver } from "../../lib/coreRules";
import { messageOf, unwrap } from "../../lib/ipc";
import { notify } from "../../lib/notify";
import { keys } from "../../lib/queries";
import { CopyValue } from "../CopyValue";
import { idpEndpointQuery } from "../setup/data";

const schema = z.object({ path: z.string() });
type Values = z.infer<typeof schema>;
const resolver = coreResolver<Values>(schema, {
  check: (v) => ({ form: "app_name", name: v.path }),
  field: () => "path",
});

export function IdpUrlCard({ app }: { app: Application }) {
  const client = useQueryClient();
  const endpoint = useQuery(idpEndpointQuery).data;
  const repoint = useQuery({ queryKey: keys.repoints, queryFn: () => unwrap(commands.idpRepoints()) }).data?.find((r) => r.app === app.name);
  const [editing, setEditing] = useState(false);
  const form = useForm<Values>({ resolver, mode: "onChange", defaultValues: { path: app.idp_path } });
  const move = useMutation({
    mutationFn: (v: Values) => unwrap(commands.setIdpPath(app.name, v.path.trim())),
    // A list read still on its way would land after the answer below and put the old path back.
    onMutate: () => client.cancelQueries({ queryKey: keys.apps }),
    onSuccess: async (moved) => {
      setEditing(false);
      client.setQueryData<Application[]>(keys.apps, (list) => list?.map((a) => (a.name === moved.name ? moved : a)));
      await Promise.all([keys.apps, keys.repoints, keys.setup].map((queryKey) => client.invalidateQueries({ queryKey })));
      notify.ok(`The IdP URL of ${moved.label} now ends in /saml2/${moved.idp_path}.`, "toast-idp-url");
    },
    onError: (e) => form.setError("path", { type: "server", message: messageOf(e) }),
  });
  const base = endpoint?.url ?? "…";
  const pathError = form.formState.errors.path?.message;
  return (
    <section className="card" aria-label="IdP URL" data-testid="idp-url-card">
      <h3>IdP URL</h3>
      <CopyValue label="Identity Provider Login URL" value={`${base}/saml2/${app.idp_path}`} testId="idp-url" />
      {!editing ? (
        <button type="button" onClick={() => setEditing(true)} data-testid="idp-url-change">
          Change…
        </button>
      ) : (
        <form className="form inline-form" onSubmit={form.handleSubmit((v) => move.mutate(v))} aria-label="Change the IdP URL">
          <label>
            {base}/saml2/
            <input {...form.register("path")} spellCheck={false} aria-invalid={pathError ? true : undefined} aria-describedby="idp-path-help" data-testid="idp-path" />
          </label>
          <button type="submit" className="primary" disabled={move.isPending} data-testid="idp-path-save">
            Move
          </button>
          <button type="button" onClick={() => setEditing(false)} disabled={move.isPending}>
            Cancel
          </button>
          <small id="idp-path-help" className={pathError ? "error-text" : "muted"} data-testid="idp-path-help">
            {pathError ?? "Salesforce must then be changed too: Lanyard lists what to type and checks it at the next login started there."}
          </small>
        </form>
      )}
      {repoint && (
        <div className="repoints" role="status" data-testid="idp-url-repoint">
          <p>
            <strong>Re-point in Salesforce:</strong> in Setup → Single Sign-On Settings, edit Lanyard&apos;s configuration and change
            the Identity Provider Login URL from <code>{repoint.from_url}</code> to the URL below. The next login started from
            Salesforce&apos;s login page confirms it.
          </p>
          <CopyValue label="New Identity Provider Login URL" value={repoint.to_url} testId="idp-url-repoint-to" />
          <Link to="/applications/$app/setup/$step" params={{ app: app.name, step: "idp_settings" }}>
            Open the IdP settings step
          </Link>
        </div>
      )}
    </section>
  );
}
