// The attribute mapping as the core applies it (read-only), and for one authorized user the exact
// create and update bodies a push would send.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { commands, type Application, type MappingRule } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";
import { authorizedUsersQuery, keys } from "../../lib/queries";
import { CodeBlock } from "../ui/CodeBlock";

const RULE_LABEL: Record<MappingRule, string> = {
  always: "Create and update",
  create_only: "Create only",
  never_updated: "Never updated on an existing user",
  never_sent: "Never sent",
};

export function MappingCard({ app }: { app: Application }) {
  const mapping = useQuery({ queryKey: keys.mapping, queryFn: () => commands.scimMapping(), staleTime: Infinity });
  const users = useQuery(authorizedUsersQuery(app.name));
  const [email, setEmail] = useState("");
  const preview = useQuery({
    queryKey: keys.payload(app.name, email),
    queryFn: () => unwrap(commands.payloadPreview(app.name, email)),
    enabled: email !== "",
  });

  return (
    <section className="card" aria-label="Attribute mappings" data-testid="mapping-card">
      <h3>Attribute mappings</h3>
      {mapping.isPending && <p className="muted" aria-busy="true">Loading the mapping…</p>}
      {mapping.isError && <p className="error-text" role="alert">{messageOf(mapping.error)}</p>}
      {mapping.data && (
        <table className="plain" data-testid="mapping-table">
          <thead>
            <tr>
              <th scope="col">SCIM attribute</th>
              <th scope="col">From the directory</th>
              <th scope="col">Sent</th>
            </tr>
          </thead>
          <tbody>
            {mapping.data.map((r) => (
              <tr key={r.scim} data-rule={r.rule}>
                <td><code>{r.scim}</code></td>
                <td>{r.source}</td>
                <td>
                  <span className={`rule rule-${r.rule}`}>{RULE_LABEL[r.rule]}</span>
                  {r.note && <span className="muted"> · {r.note}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h4>What a push would send</h4>
      {users.isPending && <p className="muted" aria-busy="true">Loading authorized users…</p>}
      {users.isError && <p className="error-text" role="alert">{messageOf(users.error)}</p>}
      {users.data && users.data.length === 0 && (
        <p className="muted" data-testid="preview-no-users">
          Nobody is authorized for {app.label} yet: bind a group on the User groups tab.
        </p>
      )}
      {users.data && users.data.length > 0 && (
        <label className="field">
          Directory user
          <select value={email} onChange={(e) => setEmail(e.target.value)} data-testid="preview-user">
            <option value="">Choose a user…</option>
            {users.data.map((u) => (
              <option key={u.id} value={u.email}>
                {u.displayname || u.email} ({u.email})
              </option>
            ))}
          </select>
        </label>
      )}
      {email && preview.isPending && <p className="muted" aria-busy="true">Building the bodies…</p>}
      {preview.isError && (
        <p className="error-text" role="alert" data-testid="preview-error">
          {messageOf(preview.error)}
        </p>
      )}
      {preview.data && (
        <div className="payloads">
          <CodeBlock label="Create (POST /Users)" text={JSON.stringify(preview.data.create, null, 2)} testId="payload-create" />
          <CodeBlock label="Update (PATCH /Users/{id})" text={JSON.stringify(preview.data.update, null, 2)} testId="payload-update" />
        </div>
      )}
    </section>
  );
}
