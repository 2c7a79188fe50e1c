import type { PlannedUser, SyncReport } from "../../bindings";
import { heldUsers, planCounts } from "../../lib/planCounts";
import { useDataTable } from "../../lib/useDataTable";
import { DataTable } from "../DataTable";
import { EmptyState } from "../EmptyState";
import { planColumns, planSearchText } from "./planColumns";

const rowId = (u: PlannedUser) => u.user_id;

/** The plan: counts, then every user with its attribute-level before → after. */
export function PlanView({ report }: { report: SyncReport }) {
  const counts = planCounts(report);
  const dt = useDataTable<PlannedUser>({ data: report.users, columns: planColumns, getRowId: rowId, searchText: planSearchText });
  const held = heldUsers(report);
  return (
    <div className="plan" data-testid="sync-plan">
      <ul className="counts" aria-label="What the sync would do">
        <Count label="Create" n={counts.create} id="create" />
        <Count label="Update" n={counts.update} id="update" />
        <Count label="Deactivate" n={counts.deactivate} id="deactivate" />
        <Count label="Link" n={counts.link} id="link" />
        <Count label="Group changes" n={counts.groups} id="groups" />
        <Count label="Held" n={counts.held} id="held" />
      </ul>
      {report.held_reason && (
        <p className="warning-text" role="alert" data-testid="plan-held">
          {report.held_reason} Would be deactivated: {held.map((u) => u.user_name).join(", ")}.
        </p>
      )}
      {report.problems.length > 0 && (
        <ul className="problems" data-testid="plan-problems">
          {report.problems.map((p) => (
            <li key={p.user_id}>
              <code>{p.email}</code>: {p.message}
            </li>
          ))}
        </ul>
      )}
      {report.users.length === 0 ? (
        <EmptyState title="Nothing to send">
          <p>The target already has what the directory says.</p>
        </EmptyState>
      ) : (
        <>
          <input
            type="search"
            className="search"
            placeholder="Search the plan…"
            aria-label="Search the plan"
            value={dt.globalFilter}
            onChange={(e) => dt.setGlobalFilter(e.target.value)}
          />
          <DataTable dt={dt} label="Planned users" testId="plan-table" getRowId={rowId} height="40vh" rowHeight={40} />
        </>
      )}
    </div>
  );
}

function Count({ label, n, id }: { label: string; n: number; id: string }) {
  return (
    <li className={n > 0 ? "count" : "count zero"} data-testid={`count-${id}`}>
      <strong>{n.toLocaleString()}</strong> {label}
    </li>
  );
}
