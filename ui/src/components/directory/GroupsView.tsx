// Groups: create, rename, describe, delete; see and change members.
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { commands, type Group, type User } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";
import { useDataTable } from "../../lib/useDataTable";
import { groupNameProblem } from "../../lib/username";
import { DataTable } from "../DataTable";
import { EmptyState } from "../EmptyState";
import { groupColumns, groupSearchText } from "./groupColumns";

type Props = { groups: Group[]; mark: number; reload: () => void };

const rowId = (g: Group) => g.id;

export function GroupsView({ groups, mark, reload }: Props) {
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
              mark={mark}
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

function GroupForm({ group, onSaved, onCancel }: { group: Group | null; onSaved: (g: Group) => void; onCancel: () => void }) {
  const [name, setName] = useState(group?.name ?? "");
  const [description, setDescription] = useState(group?.description ?? "");
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const problem = groupNameProblem(name);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (problem) return;
    setBusy(true);
    setError(null);
    try {
      const input = { name, description };
      onSaved(await unwrap(group ? commands.updateGroup(group.id, input) : commands.createGroup(input)));
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };
  return (
    <form className="card form" onSubmit={submit} aria-label={group ? "Edit group" : "New group"} noValidate>
      <h2>{group ? `Edit ${group.name}` : "New group"}</h2>
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} onBlur={() => setTouched(true)} aria-invalid={Boolean((touched || name) && problem) || Boolean(error)} data-testid="group-name" autoFocus />
        {(touched || name !== "") && problem && <small className="error-text" data-testid="group-name-help">{problem}</small>}
      </label>
      <label>
        Description
        <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} data-testid="group-description" />
      </label>
      {error && (
        <p className="error-text" role="alert" data-testid="group-form-error">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy} data-testid="group-save">
          {group ? "Save" : "Create group"}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Members shown per group (the users table filtered by the group shows them all). */
const MEMBERS_SHOWN = 500;

function GroupDetails({ group, mark, onEdit, onDeleted, reload }: { group: Group; mark: number; onEdit: () => void; onDeleted: () => void; reload: () => void }) {
  const [members, setMembers] = useState<User[]>([]);
  const [memberTotal, setMemberTotal] = useState(0);
  const [email, setEmail] = useState("");
  const [suggestions, setSuggestions] = useState<User[]>([]);
  // The members, first page only, asked of the core again whenever the directory changes.
  useEffect(() => {
    let live = true;
    unwrap(commands.queryUsers({ search: "", status: null, department: null, group: group.name, sort: [], offset: 0, limit: MEMBERS_SHOWN })).then(
      (p) => {
        if (!live) return;
        setMembers(p.rows);
        setMemberTotal(p.total);
      },
      (e: unknown) => live && setError(messageOf(e)),
    );
    return () => {
      live = false;
    };
  }, [group.name, mark]);
  // Emails to pick from, matching what was typed so far.
  useEffect(() => {
    let live = true;
    const id = setTimeout(() => {
      unwrap(commands.queryUsers({ search: email.trim(), status: null, department: null, group: null, sort: [], offset: 0, limit: 20 })).then(
        (p) => live && setSuggestions(p.rows),
        () => undefined,
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(id);
    };
  }, [email]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const act = async (what: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await what();
      reload();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <article className="card details" aria-label={`Group ${group.name}`} data-testid="group-details">
      <h2>{group.name}</h2>
      <p className="muted">{group.description || "No description."}</p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (email.trim() === "") return;
          void act(async () => {
            await unwrap(commands.addGroupMembers(group.name, [email.trim()]));
            setEmail("");
          });
        }}
      >
        <input list="member-emails" placeholder="Add a member by email" value={email} onChange={(e) => setEmail(e.target.value)} data-testid="member-email" aria-label="Member email" />
        <datalist id="member-emails">
          {suggestions.map((u) => (
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
      {members.length === 0 ? (
        <p className="muted" data-testid="no-members">No members yet.</p>
      ) : (
        <ul className="members" data-testid="group-members">
          {members.map((u) => (
            <li key={u.id}>
              <span>{u.email}</span>
              <button type="button" className="link" disabled={busy} onClick={() => act(() => unwrap(commands.removeGroupMembers(group.name, [u.id])))} aria-label={`Remove ${u.email}`}>
                Remove
              </button>
            </li>
          ))}
          {memberTotal > members.length && <li className="muted">…and {(memberTotal - members.length).toLocaleString()} more (filter the users table by this group to see them all).</li>}
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
            <button type="button" className="danger" disabled={busy} onClick={() => act(async () => { await unwrap(commands.deleteGroup(group.id)); onDeleted(); })} data-testid="group-delete-confirm">
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
