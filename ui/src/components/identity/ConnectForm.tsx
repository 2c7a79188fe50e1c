// Connect (or re-authorize): Salesforce through OAuth in the system browser, or another SCIM
// server by base URL and bearer token. react-hook-form + zod; the core's refusal sits beside the form.
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { commands, type Application, type Connection, type TestReport } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";
import { notify } from "../../lib/notify";
import { keys } from "../../lib/queries";
import { TestReportView } from "./TestReportView";

const isUrl = (v: string) => z.url().safeParse(v.trim()).success;

// One object (both targets' fields stay in the form when the admin switches), checked by kind.
const schema = z
  .object({
    kind: z.enum(["salesforce", "scim"]),
    loginHost: z.string(),
    clientId: z.string(),
    baseUrl: z.string(),
    token: z.string(),
  })
  .superRefine((v, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (v.kind === "salesforce" && !isUrl(v.loginHost)) {
      problem("loginHost", "Enter the org's login address, e.g. https://login.salesforce.com.");
    }
    if (v.kind === "scim" && !isUrl(v.baseUrl)) problem("baseUrl", "Enter the SCIM base URL, e.g. https://scim.example.com/scim/v2.");
    if (v.kind === "scim" && v.token.trim() === "") problem("token", "Enter the bearer token the SCIM server gave you.");
  });
type Values = z.input<typeof schema>;

type Props = { app: Application; existing?: Connection; onDone?: () => void };

export function ConnectForm({ app, existing, onDone }: Props) {
  const client = useQueryClient();
  const practice = app.environment === "practice";
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: {
      kind: existing?.kind ?? "salesforce",
      loginHost: existing?.login_host ?? app.login_url,
      clientId: existing?.client_id ?? "",
      baseUrl: existing?.kind === "scim" ? existing.scim_base : "",
      token: "",
    },
  });
  const kind = form.watch("kind");
  const connect = useMutation({
    mutationFn: (v: Values): Promise<TestReport> =>
      v.kind === "salesforce"
        ? unwrap(commands.scimConnectSalesforce(app.name, v.loginHost.trim(), v.clientId.trim() || null))
        : unwrap(commands.scimConnectBearer(app.name, v.baseUrl.trim(), v.token.trim())),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.scim });
      notify.ok(`${app.label} is connected.`);
      onDone?.();
    },
  });
  const errors = form.formState.errors;
  const waiting = connect.isPending && kind === "salesforce";

  return (
    <form className="form card" onSubmit={form.handleSubmit((v) => connect.mutate(v))} aria-label="Connect" data-testid="connect-form">
      <h3>{existing ? "Re-authorize" : "Connect"}</h3>
      <fieldset disabled={connect.isPending}>
        <legend>Target</legend>
        <label className="inline">
          <input type="radio" value="salesforce" {...form.register("kind")} data-testid="connect-kind-salesforce" />
          Salesforce (OAuth in your browser)
        </label>
        <label className="inline">
          <input type="radio" value="scim" {...form.register("kind")} data-testid="connect-kind-scim" />
          Another SCIM 2.0 server (base URL and token)
        </label>
      </fieldset>
      {kind === "salesforce" ? (
        <>
          <label>
            Login host
            <input {...form.register("loginHost")} aria-invalid={Boolean(errors.loginHost)} data-testid="connect-login-host" />
            {errors.loginHost && <span className="error-text">{errors.loginHost.message}</span>}
            <span className="muted">Production: login.salesforce.com · Sandbox: test.salesforce.com · or the org's My Domain.</span>
          </label>
          <label>
            Consumer key (optional)
            <input {...form.register("clientId")} placeholder={practice ? "Not needed for the practice org" : "Your connected app's consumer key"} data-testid="connect-client-id" />
          </label>
        </>
      ) : (
        <>
          <label>
            SCIM base URL
            <input {...form.register("baseUrl")} aria-invalid={Boolean(errors.baseUrl)} data-testid="connect-base-url" />
            {errors.baseUrl && <span className="error-text">{errors.baseUrl.message}</span>}
          </label>
          <label>
            Bearer token
            <input type="password" autoComplete="off" {...form.register("token")} aria-invalid={Boolean(errors.token)} data-testid="connect-token" />
            {errors.token && <span className="error-text">{errors.token.message}</span>}
            <span className="muted">Kept in the OS keyring, never in the database.</span>
          </label>
        </>
      )}
      {waiting && (
        <p role="status" aria-busy="true" data-testid="connect-waiting">
          Waiting for the browser: sign in and allow access there; this tab follows when it is done.
        </p>
      )}
      {connect.isError && (
        <p className="error-text" role="alert" data-testid="connect-error">
          {messageOf(connect.error)}
        </p>
      )}
      {connect.data && <TestReportView report={connect.data} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={connect.isPending} data-testid="connect-submit">
          {connect.isPending ? "Connecting…" : existing ? "Re-authorize" : "Connect"}
        </button>
        {onDone && (
          <button type="button" onClick={onDone} disabled={connect.isPending}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
