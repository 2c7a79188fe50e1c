// View and edit one user (or create one), with inline validation that mirrors the core's rules.
import { useState, type FormEvent } from "react";
import { commands, type User, type UserInput } from "../../bindings";
import { IpcError, messageOf, unwrap } from "../../lib/ipc";
import { FIELD_MAX, lengthProblem, usernameProblem, usernameTaken } from "../../lib/username";
import { useEmailTaken } from "../../lib/useEmailTaken";
import { ProvisionNow } from "./ProvisionNow";

type Props = {
  user: User | null; // null = a new user
  users: readonly User[];
  onSaved: (u: User) => void;
  onDeleted: () => void;
  onClose: () => void;
};

const EMPTY: UserInput = {
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
  federation_id: null,
};

function toInput(u: User): UserInput {
  const { id: _id, groups: _g, created_at: _c, updated_at: _u, ...rest } = u;
  return rest;
}

type TextField = Exclude<keyof typeof FIELD_MAX, "street_address" | "locality" | "region" | "postal_code" | "country" | "phone" | "federation_id">;

const TEXT_FIELDS: { key: TextField; label: string }[] = [
  { key: "firstname", label: "First name" },
  { key: "lastname", label: "Last name" },
  { key: "displayname", label: "Display name" },
  { key: "job_title", label: "Job title" },
  { key: "department", label: "Department" },
  { key: "company", label: "Company" },
  { key: "employee_type", label: "Employee type" },
  { key: "employee_identifier", label: "Employee ID" },
];

export function UserDrawer({ user, users, onSaved, onDeleted, onClose }: Props) {
  const [form, setForm] = useState<UserInput>(user ? toInput(user) : EMPTY);
  const [touched, setTouched] = useState(false);
  const [serverError, setServerError] = useState<{ field: "email" | "form"; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const set = <K extends keyof UserInput>(key: K, value: UserInput[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setServerError(null);
  };

  const takenElsewhere = useEmailTaken(form.email, user?.id ?? null);
  const emailProblem =
    usernameProblem(form.email) ??
    (usernameTaken(form.email, users, user?.id ?? null) || takenElsewhere
      ? "Another user already has this email (case does not matter)."
      : null);
  const showEmail = (touched || form.email !== (user?.email ?? "")) && emailProblem;
  const problems: Record<string, string | null> = {
    lastname: form.lastname.trim() === "" ? "Salesforce requires a last name." : lengthProblem("Last name", form.lastname, FIELD_MAX.lastname),
  };
  for (const f of TEXT_FIELDS) {
    if (f.key !== "lastname") problems[f.key] = lengthProblem(f.label, form[f.key], FIELD_MAX[f.key]);
  }
  problems.locality = lengthProblem("City", form.address.locality, FIELD_MAX.locality);
  problems.postal_code = lengthProblem("Postal code", form.address.postal_code, FIELD_MAX.postal_code);
  problems.street_address = lengthProblem("Street", form.address.street_address, FIELD_MAX.street_address);
  problems.phone = lengthProblem("Phone", form.phone.value, FIELD_MAX.phone);
  problems.federation_id = lengthProblem("Federation ID", form.federation_id ?? "", FIELD_MAX.federation_id);
  const invalid = Boolean(emailProblem) || Object.values(problems).some(Boolean);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (invalid) return;
    setBusy(true);
    setServerError(null);
    const input = { ...form, federation_id: form.federation_id?.trim() ? form.federation_id : null };
    try {
      const saved = await unwrap(user ? commands.updateUser(user.id, input) : commands.createUser(input));
      onSaved(saved);
    } catch (err) {
      const onEmail = err instanceof IpcError && err.code === "conflict" && /email/i.test(err.message);
      setServerError({ field: onEmail ? "email" : "form", message: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!user) return;
    setBusy(true);
    try {
      await unwrap(commands.deleteUsers([user.id]));
      onDeleted();
    } catch (err) {
      setServerError({ field: "form", message: messageOf(err) });
      setBusy(false);
    }
  };

  const fieldError = (key: string) =>
    touched || (form as unknown as Record<string, unknown>)[key] !== "" ? problems[key] ?? null : null;

  return (
    <aside className="drawer" role="dialog" aria-label={user ? `User ${user.email}` : "New user"} data-testid="user-drawer">
      <form className="form" onSubmit={submit} noValidate>
        <header className="drawer-head">
          <h2>{user ? user.displayname || user.email : "New user"}</h2>
          <button type="button" onClick={onClose} aria-label="Close" data-testid="drawer-close">
            ✕
          </button>
        </header>
        <label>
          Email (Salesforce username)
          <input
            value={form.email}
            onChange={(e) => set("email", e.target.value)}
            onBlur={() => setTouched(true)}
            aria-invalid={Boolean(showEmail || serverError?.field === "email")}
            aria-describedby="user-email-help"
            spellCheck={false}
            data-testid="user-email"
            autoFocus={!user}
          />
          <small id="user-email-help" className={showEmail ? "error-text" : "muted"} data-testid="user-email-help">
            {showEmail || (serverError?.field === "email" ? serverError.message : "One @, a domain, no spaces; unique.")}
          </small>
        </label>
        <div className="grid2">
          {TEXT_FIELDS.map((f) => (
            <label key={f.key}>
              {f.label}
              <input
                value={form[f.key]}
                onChange={(e) => set(f.key, e.target.value)}
                aria-invalid={Boolean(fieldError(f.key))}
                data-testid={`user-${f.key}`}
              />
              {fieldError(f.key) && <small className="error-text">{fieldError(f.key)}</small>}
            </label>
          ))}
        </div>
        <fieldset>
          <legend>Address</legend>
          <div className="grid2">
            <label>
              Street
              <input value={form.address.street_address} onChange={(e) => set("address", { ...form.address, street_address: e.target.value })} />
            </label>
            <label>
              City
              <input value={form.address.locality} onChange={(e) => set("address", { ...form.address, locality: e.target.value })} data-testid="user-locality" />
              {problems.locality && <small className="error-text">{problems.locality}</small>}
            </label>
            <label>
              Region
              <input value={form.address.region} onChange={(e) => set("address", { ...form.address, region: e.target.value })} />
            </label>
            <label>
              Postal code
              <input value={form.address.postal_code} onChange={(e) => set("address", { ...form.address, postal_code: e.target.value })} />
              {problems.postal_code && <small className="error-text">{problems.postal_code}</small>}
            </label>
            <label>
              Country
              <input value={form.address.country} onChange={(e) => set("address", { ...form.address, country: e.target.value })} />
            </label>
            <label>
              Type
              <input value={form.address.type} placeholder="work" onChange={(e) => set("address", { ...form.address, type: e.target.value })} />
            </label>
          </div>
        </fieldset>
        <div className="grid2">
          <label>
            Phone
            <input value={form.phone.value} onChange={(e) => set("phone", { ...form.phone, value: e.target.value })} />
            {problems.phone && <small className="error-text">{problems.phone}</small>}
          </label>
          <label>
            Phone type
            <input value={form.phone.type} placeholder="work" onChange={(e) => set("phone", { ...form.phone, type: e.target.value })} />
          </label>
          <label>
            Federation ID
            <input
              value={form.federation_id ?? ""}
              placeholder="(none: the email is used)"
              onChange={(e) => set("federation_id", e.target.value)}
              data-testid="user-federation-id"
            />
          </label>
        </div>
        <label className="inline">
          <input type="checkbox" checked={form.suspended} onChange={(e) => set("suspended", e.target.checked)} data-testid="user-suspended" />
          Suspended (cannot sign in; provisioning deactivates the Salesforce user)
        </label>
        <label className="inline">
          <input type="checkbox" checked={form.password_expired} onChange={(e) => set("password_expired", e.target.checked)} />
          Password expired
        </label>
        {user && (
          <p className="muted">
            Groups: {user.groups.length ? user.groups.join(", ") : "none"} · Created {new Date(user.created_at).toLocaleString()}
          </p>
        )}
        {serverError?.field === "form" && (
          <p className="error-text" role="alert" data-testid="user-form-error">
            {serverError.message}
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
