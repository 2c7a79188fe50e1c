// Groups: create, rename, describe, delete; see and change members.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useDeferredValue, useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { commands, type Group } from "../../bindings";
import { coreResolver } from "../../lib/coreRules";
import { messageOf, unwrap } from "../../lib/ipc";
import { keys } from "../../lib/queries";
import { useDataTable } from "../../lib/useDataTable";
import { DataTable } from "../DataTable";
import { EmptyState } from "../EmptyState";
import { groupColumns, groupSearchText } from "./groupColumns";

type Props = { groups: Group[]; reload: () => void };

const rowId = (g: Group) => g.id;

export function GroupsView({ groups, reload }: Props) {
  const [editing, setEditing] = useState<Group | "new" | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const columns = useMemo(() => groupColumns((g) => setOpenId(g.id)), []);
  const dt = useDataTable<Group>({ data: groups, columns, getRowId: rowId, searchText: groupSearchText });
  const open = groups.find((g) => g.id === openId) ?? null;

  return (
    <div className="groups-view">
      <div className="toolbar">
        <input
          type="search"
          className="search"
          placeholder="Search groups…"
          value={dt.globalFilter}
          onChange={(e) => dt.setGlobalFilter(e.target.value)}
          aria-label="Search groups"
          data-testid="group-search"
        />
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => setEditing("new")} data-testid="new-group">
          New group
        </button>
      </div>
      {editing && (
        <GroupForm
          group={editing === "new" ? null : editing}
          onSaved={(g) => {
            setEditing(null);
            setOpenId(g.id);
            reload();
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      {groups.length === 0 && !editing ? (
        <EmptyState title="No groups yet">
          <p>Groups collect users; bind a group to an application to authorize its members there.</p>
          <button type="button" className="primary" onClick={() => setEditing("new")}>
            Create the first group
          </button>
        </EmptyState>
      ) : (
        <div className="split">
          <DataTable dt={dt} label="Groups" testId="groups-table" getRowId={rowId} onOpen={(g) => setOpenId(g.id)} height="50vh" />
          {open && (
            <GroupDetails
              key={open.id}
              group={open}
              onEdit={() => setEditing(open)}
              onDeleted={() => {
                setOpenId(null);
                reload();
              }}
              reload={reload}
            />
          )}
        </div>
      )}
    </div>
  );
}

const groupSchema = z.object({ name: z.string(), description: z.string() });
type GroupValues = z.infer<typeof groupSchema>;
const groupResolver = coreResolver<GroupValues>(groupSchema, { check: (v) => ({ form: "group_name", name: v.name }) });

function GroupForm({ group, onSaved, onCancel }: { group: Group | null; onSaved: (g: Group) => void; onCancel: () => void }) {
  const form = useForm<GroupValues>({
    resolver: groupResolver,
    mode: "onChange",
    defaultValues: { name: group?.name ?? "", description: group?.description ?? "" },
  });
  const { errors, isSubmitting } = form.formState;
  const save = async (input: GroupValues) => {
    try {
      onSaved(await unwrap(group ? commands.updateGroup(group.id, input) : commands.createGroup(input)));
    } catch (err) {
      form.setError("root", { type: "server", message: messageOf(err) });
    }
  };
  return (
    <form className="card form" onSubmit={form.handleSubmit(save)} aria-label={group ? "Edit group" : "New group"} noValidate>
      <h2>{group ? `Edit ${group.name}` : "New group"}</h2>
      <label>
        Name
        <input {...form.register("name")} aria-invalid={Boolean(errors.name ?? errors.root)} data-testid="group-name" autoFocus />
        {errors.name && (
          <small className="error-text" data-testid="group-name-help">
            {errors.name.message}
          </small>
        )}
      </label>
      <label>
        Description
        <textarea {...form.register("description")} rows={2} data-testid="group-description" />
      </label>
      {errors.root && (
        <p className="error-text" role="alert" data-testid="group-form-error">
          {errors.root.message}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={isSubmitting} data-testid="group-save">
          {group ? "Save" : "Create group"}
        </button>
        <button type="button" onClick={onCancel} disabled={isSubmitting}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Members shown per group (the users table filtered by the group shows them all). */
const MEMBERS_SHOWN = 500;

function GroupDetails({ group, onEdit, onDeleted, reload }: { group: Group; onEdit: () => void; onDeleted: () => void; reload: () => void }) {
  const client = useQueryClient();
  const [email, setEmail] = useState("");
  const [confirming, setConfirming] = useState(false);
  // The members, first page only; keys.directory is invalidated whenever the directory changes.
  const members = useQuery({
    queryKey: keys.groupMembers(group.name),
    queryFn: () => unwrap(commands.queryUsers({ search: "", status: null, department: null, group: group.name, sort: [], offset: 0, limit: MEMBERS_SHOWN })),
  });
  // Emails to pick from, matching what was typed so far.
  const typed = useDeferredValue(email.trim());
  const suggestions = useQuery({
    queryKey: [...keys.directory, "suggest", typed],
    queryFn: () => unwrap(commands.queryUsers({ search: typed, status: null, department: null, group: null, sort: [], offset: 0, limit: 20 })),
    placeholderData: keepPreviousData,
  });
  const act = useMutation({
    mutationFn: (what: () => Promise<unknown>) => what(),
    onSuccess: () => {
      reload();
      return client.invalidateQueries({ queryKey: keys.directory });
    },
  });
  const busy = act.isPending;
  const error = act.error ? messageOf(act.error) : members.error ? messageOf(members.error) : null;
  const rows = members.data?.rows ?? [];
  const memberTotal = members.data?.total ?? 0;
  return (
    <article className="card details" aria-label={`Group ${group.name}`} data-testid="group-details">
      <h2>{group.name}</h2>
      <p className="muted">{group.description || "No description."}</p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (email.trim() === "") return;
          act.mutate(async () => {
            await unwrap(commands.addGroupMembers(group.name, [email.trim()]));
            setEmail("");
          });
        }}
      >
        <input list="member-emails" placeholder="Add a member by email" value={email} onChange={(e) => setEmail(e.target.value)} data-testid="member-email" aria-label="Member email" />
        <datalist id="member-emails">
          {(suggestions.data?.rows ?? []).map((u) => (
            <option key={u.id} value={u.email} />
          ))}
        </datalist>
        <button type="submit" disabled={busy} data-testid="member-add">
          Add
        </button>
      </form>
      {error && (
        <p className="error-text" role="alert" data-testid="group-error">
          {error}
        </p>
      )}
      {members.isPending ? (
        <span className="skeleton-line" aria-hidden="true" />
      ) : rows.length === 0 ? (
        <p className="muted" data-testid="no-members">No members yet.</p>
      ) : (
        <ul className="members" data-testid="group-members">
          {rows.map((u) => (
            <li key={u.id}>
              <span>{u.email}</span>
              <button type="button" className="link" disabled={busy} onClick={() => act.mutate(() => unwrap(commands.removeGroupMembers(group.name, [u.id])))} aria-label={`Remove ${u.email}`}>
                Remove
              </button>
            </li>
          ))}
          {memberTotal > rows.length && <li className="muted">…and {(memberTotal - rows.length).toLocaleString()} more (filter the users table by this group to see them all).</li>}
        </ul>
      )}
      <div className="actions">
        <button type="button" onClick={onEdit} data-testid="group-edit">
          Edit…
        </button>
        {!confirming ? (
          <button type="button" className="danger-outline" onClick={() => setConfirming(true)} data-testid="group-delete">
            Delete group…
          </button>
        ) : (
          <span className="confirm-inline" role="alertdialog" aria-label="Confirm deletion">
            Delete {group.name}? Its members stay; applications it authorized stop authorizing them.
            <button type="button" className="danger" disabled={busy} onClick={() => act.mutate(async () => { await unwrap(commands.deleteGroup(group.id)); onDeleted(); })} data-testid="group-delete-confirm">
              Delete
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </span>
        )}
      </div>
    </article>
  );
}
