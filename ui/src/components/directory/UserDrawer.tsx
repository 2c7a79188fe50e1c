// View and edit one user (or create one). react-hook-form + zod for the form; every field rule
// (the Salesforce username, lengths, the last name) is the core's, asked while the admin types,
// and the email is checked against every user, not only the rows in view.
import { useMemo, useState } from "react";
import { useForm, type FieldPath } from "react-hook-form";
import { z } from "zod";
import { commands, type User, type UserInput } from "../../bindings";
import { coreResolver } from "../../lib/coreRules";
import { IpcError, messageOf, unwrap } from "../../lib/ipc";
import { ProvisionNow } from "./ProvisionNow";

type Props = {
  user: User | null; // null = a new user
  onSaved: (u: User) => void;
  onDeleted: () => void;
  onClose: () => void;
};

const text = z.string();
const schema = z.object({
  email: text,
  firstname: text,
  lastname: text,
  displayname: text,
  employee_type: text,
  job_title: text,
  employee_identifier: text,
  department: text,
  company: text,
  address: z.object({ type: text, street_address: text, locality: text, region: text, postal_code: text, country: text }),
  phone: z.object({ type: text, value: text }),
  suspended: z.boolean(),
  password_expired: z.boolean(),
  federation_id: text,
});
type Values = z.infer<typeof schema>;

const EMPTY: Values = {
  email: "",
  firstname: "",
  lastname: "",
  displayname: "",
  employee_type: "",
  job_title: "",
  employee_identifier: "",
  department: "",
  company: "",
  address: { type: "", street_address: "", locality: "", region: "", postal_code: "", country: "" },
  phone: { type: "", value: "" },
  suspended: false,
  password_expired: false,
  federation_id: "",
};

function toValues(u: User): Values {
  const { id: _id, groups: _g, created_at: _c, updated_at: _u, federation_id, ...rest } = u;
  return { ...rest, federation_id: federation_id ?? "" };
}

/** What the core takes: a blank Federation ID means none. */
function toInput(v: Values): UserInput {
  return { ...v, federation_id: v.federation_id.trim() ? v.federation_id : null };
}

const TAKEN = "Another user already has this email (case does not matter).";

const TEXT_FIELDS: { key: FieldPath<Values>; label: string }[] = [
  { key: "firstname", label: "First name" },
  { key: "lastname", label: "Last name" },
  { key: "displayname", label: "Display name" },
  { key: "job_title", label: "Job title" },
  { key: "department", label: "Department" },
  { key: "company", label: "Company" },
  { key: "employee_type", label: "Employee type" },
  { key: "employee_identifier", label: "Employee ID" },
];

const ADDRESS_FIELDS: { key: FieldPath<Values>; label: string; placeholder?: string; testId?: string }[] = [
  { key: "address.street_address", label: "Street" },
  { key: "address.locality", label: "City", testId: "user-locality" },
  { key: "address.region", label: "Region" },
  { key: "address.postal_code", label: "Postal code" },
  { key: "address.country", label: "Country" },
  { key: "address.type", label: "Type", placeholder: "work" },
];

export function UserDrawer({ user, onSaved, onDeleted, onClose }: Props) {
  const selfId = user?.id ?? null;
  const resolver = useMemo(
    () =>
      coreResolver<Values>(schema, {
        check: (v) => ({ form: "user", input: toInput(v) }),
        // A well-formed email may still belong to another user: the core looks it up.
        more: async (v, found) => {
          if (found.some((p) => p.field === "email")) return [];
          const owner = await commands.emailOwner(v.email.trim());
          return owner.status === "ok" && owner.data !== null && owner.data !== selfId ? [{ field: "email", message: TAKEN }] : [];
        },
      }),
    [selfId],
  );
  const form = useForm<Values>({ resolver, mode: "onChange", defaultValues: user ? toValues(user) : EMPTY });
  const { errors, isSubmitting: busy } = form.formState;
  const [confirmDelete, setConfirmDelete] = useState(false);
  const errorAt = (key: FieldPath<Values>) => form.getFieldState(key, form.formState).error?.message;

  const save = async (v: Values) => {
    try {
      const input = toInput(v);
      onSaved(await unwrap(user ? commands.updateUser(user.id, input) : commands.createUser(input)));
    } catch (err) {
      const onEmail = err instanceof IpcError && err.code === "conflict" && /email/i.test(err.message);
      form.setError(onEmail ? "email" : "root", { type: "server", message: messageOf(err) });
    }
  };

  const remove = async () => {
    if (!user) return;
    try {
      await unwrap(commands.deleteUsers([user.id]));
      onDeleted();
    } catch (err) {
      form.setError("root", { type: "server", message: messageOf(err) });
    }
  };

  const field = (key: FieldPath<Values>, label: string, extra: { placeholder?: string; testId?: string } = {}) => (
    <label key={key}>
      {label}
      <input {...form.register(key)} placeholder={extra.placeholder} aria-invalid={Boolean(errorAt(key))} data-testid={extra.testId ?? `user-${key}`} />
      {errorAt(key) && <small className="error-text">{errorAt(key)}</small>}
    </label>
  );

  return (
    <aside className="drawer" role="dialog" aria-label={user ? `User ${user.email}` : "New user"} data-testid="user-drawer">
      <form className="form" onSubmit={form.handleSubmit(save)} noValidate>
        <header className="drawer-head">
          <h2>{user ? user.displayname || user.email : "New user"}</h2>
          <button type="button" onClick={onClose} aria-label="Close" data-testid="drawer-close">
            ✕
          </button>
        </header>
        <label>
          Email (Salesforce username)
          <input
            {...form.register("email")}
            aria-invalid={Boolean(errors.email)}
            aria-describedby="user-email-help"
            spellCheck={false}
            data-testid="user-email"
            autoFocus={!user}
          />
          <small id="user-email-help" className={errors.email ? "error-text" : "muted"} data-testid="user-email-help">
            {errors.email?.message ?? "One @, a domain, no spaces; unique."}
          </small>
        </label>
        <div className="grid2">{TEXT_FIELDS.map((f) => field(f.key, f.label))}</div>
        <fieldset>
          <legend>Address</legend>
          <div className="grid2">{ADDRESS_FIELDS.map((f) => field(f.key, f.label, f))}</div>
        </fieldset>
        <div className="grid2">
          {field("phone.value", "Phone")}
          {field("phone.type", "Phone type", { placeholder: "work" })}
          {field("federation_id", "Federation ID", { placeholder: "(none: the email is used)", testId: "user-federation-id" })}
        </div>
        <label className="inline">
          <input type="checkbox" {...form.register("suspended")} data-testid="user-suspended" />
          Suspended (cannot sign in; provisioning deactivates the Salesforce user)
        </label>
        <label className="inline">
          <input type="checkbox" {...form.register("password_expired")} />
          Password expired
        </label>
        {user && (
          <p className="muted">
            Groups: {user.groups.length ? user.groups.join(", ") : "none"} · Created {new Date(user.created_at).toLocaleString()}
          </p>
        )}
        {errors.root && (
          <p className="error-text" role="alert" data-testid="user-form-error">
            {errors.root.message}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy} data-testid="user-save">
            {busy ? "Saving…" : user ? "Save changes" : "Create user"}
          </button>
          <button type="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          {user && !confirmDelete && (
            <button type="button" className="danger-outline" onClick={() => setConfirmDelete(true)} data-testid="user-delete">
              Delete…
            </button>
          )}
        </div>
        {user && confirmDelete && (
          <div className="confirm" role="alertdialog" aria-label="Confirm deletion">
            <p>
              Delete <strong>{user.email}</strong>? Provisioning will deactivate them in Salesforce.
            </p>
            <button type="button" className="danger" disabled={busy} onClick={remove} data-testid="user-delete-confirm">
              Delete
            </button>
            <button type="button" onClick={() => setConfirmDelete(false)}>
              Keep
            </button>
          </div>
        )}
      </form>
      {user && <ProvisionNow user={user} />}
    </aside>
  );
}
