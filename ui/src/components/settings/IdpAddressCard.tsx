// Where Lanyard's IdP listens (a loopback address; the core owns the rule and its refusal shows
// beside the field), and the guided re-point when it moves: each application whose Salesforce org
// still has the old Identity Provider Login URL, with the URL to type, until an SP-initiated login
// reaches the new address.
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { commands } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";
import { notify } from "../../lib/notify";
import { keys } from "../../lib/queries";
import { CopyValue } from "../CopyValue";

const schema = z.object({ url: z.string().trim().min(1, "Enter the address, e.g. http://127.0.0.1:8766.") });
type Values = z.infer<typeof schema>;

export function IdpAddressCard() {
  const client = useQueryClient();
  const address = useQuery({ queryKey: keys.idpAddress, queryFn: () => unwrap(commands.idpAddress()) });
  const repoints = useQuery({ queryKey: keys.repoints, queryFn: () => unwrap(commands.idpRepoints()) });
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { url: "" } });
  const current = address.data?.setting ?? address.data?.base_url;
  useEffect(() => {
    if (current !== undefined) form.reset({ url: current });
  }, [current, form]);
  const save = useMutation({
    mutationFn: (v: Values) => unwrap(commands.setIdpAddress(v.url.trim())),
    onSuccess: (list) => {
      void client.invalidateQueries({ queryKey: keys.idpAddress });
      void client.invalidateQueries({ queryKey: keys.repoints });
      void client.invalidateQueries({ queryKey: keys.setup });
      void client.invalidateQueries({ queryKey: ["setup", "idp-endpoint"] });
      notify.ok(
        list.length > 0 ? `The IdP moved: re-point ${list.length} application(s) in Salesforce (listed below).` : "The IdP address is saved.",
        "toast-idp-address",
      );
    },
  });
  const problem = form.formState.errors.url?.message ?? (save.isError ? messageOf(save.error) : null);
  return (
    <section className="card" aria-label="IdP address" data-testid="idp-address">
      <h2>IdP address</h2>
      <p className="muted">
        Salesforce sends SP-initiated logins to <code>&lt;this address&gt;/saml2/&lt;application&gt;</code>. It is a loopback
        address: the IdP answers only on this computer.
      </p>
      {address.isError && <p className="error-text">{messageOf(address.error)}</p>}
      {address.data?.from_env && (
        <p className="muted" data-testid="idp-address-env">
          LANYARD_IDP_URL sets it to <code>{address.data.base_url}</code> for this run; a saved address applies when it is unset.
        </p>
      )}
      <form className="form inline-form" onSubmit={form.handleSubmit((v) => save.mutate(v))} aria-label="IdP address">
        <label>
          Address
          <input
            {...form.register("url")}
            spellCheck={false}
            aria-invalid={problem ? true : undefined}
            aria-describedby="idp-address-problem"
            data-testid="idp-address-url"
          />
        </label>
        <button type="submit" disabled={save.isPending || address.isPending} data-testid="idp-address-save">
          {save.isPending ? "Saving…" : "Save"}
        </button>
        {problem && (
          <p className="error-text" role="alert" id="idp-address-problem" data-testid="idp-address-problem">
            {problem}
          </p>
        )}
      </form>
      {repoints.data && repoints.data.length > 0 && (
        <div className="repoints" data-testid="repoints">
          <h3>Re-point in Salesforce</h3>
          <p className="muted">
            In each org&apos;s Single Sign-On Settings, edit Lanyard&apos;s configuration and change the Identity Provider Login URL.
            The next login started from Salesforce&apos;s login page confirms it.
          </p>
          <ul>
            {repoints.data.map((r) => (
              <li key={r.app} data-testid={`repoint-${r.app}`}>
                <Link to="/applications/$app/setup/$step" params={{ app: r.app, step: "idp_settings" }}>
                  {r.app}
                </Link>
                : from <code>{r.from_url}</code>
                <CopyValue label="to" value={r.to_url} testId={`repoint-to-${r.app}`} />
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
