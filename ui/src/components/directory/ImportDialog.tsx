// CSV import: choose a file, see what would happen (every bad row by line and reason) before
// anything is written, then import or cancel. Cancel writes nothing.
import { useMemo, useState } from "react";
import { commands, type ImportPreview, type ImportSummary } from "../../bindings";
import { csvFileProblem } from "../../lib/csvFile";
import { messageOf, unwrap } from "../../lib/ipc";
import { useDataTable } from "../../lib/useDataTable";
import { DataTable } from "../DataTable";
import { previewColumns, previewRowId, previewRows, previewSearchText, type PreviewRow } from "./csvPreviewColumns";

type Props = { onDone: (summary: ImportSummary) => void; onCancel: () => void };

type Step =
  | { kind: "choose"; error: string | null }
  | { kind: "checking"; name: string }
  | { kind: "preview"; name: string; text: string; preview: ImportPreview; error: string | null }
  | { kind: "importing"; name: string };

export function ImportDialog({ onDone, onCancel }: Props) {
  const [step, setStep] = useState<Step>({ kind: "choose", error: null });

  const choose = async (file: File | undefined) => {
    if (!file) return;
    const problem = csvFileProblem(file);
    if (problem) {
      setStep({ kind: "choose", error: problem });
      return;
    }
    setStep({ kind: "checking", name: file.name });
    try {
      const text = await file.text();
      const preview = await unwrap(commands.previewCsvImport(text));
      setStep({ kind: "preview", name: file.name, text, preview, error: null });
    } catch (e) {
      setStep({ kind: "choose", error: `${file.name}: ${messageOf(e)}` });
    }
  };

  const commit = async () => {
    if (step.kind !== "preview") return;
    const current = step;
    setStep({ kind: "importing", name: step.name });
    try {
      onDone(await unwrap(commands.importCsv(current.text)));
    } catch (e) {
      setStep({ ...current, error: messageOf(e) });
    }
  };

  return (
    <section className="card import" role="dialog" aria-label="Import users from CSV" data-testid="import-dialog">
      <h2>Import users from CSV</h2>
      <p className="muted">
        One row per user, matched by <code>email</code> (updated when it exists, created otherwise). Columns by header:
        email, firstname, lastname, displayname, employeeType, jobTitle, employeeIdentifier, department, company,
        addressType, streetAddress, locality, region, postalCode, country, phoneType, phone, suspended, passwordExpired,
        federationId, groups (separated by semicolons; a user's groups become exactly those listed).
      </p>
      {(step.kind === "choose" || step.kind === "preview") && (
        <label className="file">
          {step.kind === "preview" ? "Choose another file" : "CSV file (UTF-8, at most 50 MB)"}
          <input type="file" accept=".csv,text/csv" onChange={(e) => void choose(e.target.files?.[0])} data-testid="import-file" />
        </label>
      )}
      {step.kind === "choose" && step.error && (
        <p className="error-text" role="alert" data-testid="import-error">
          {step.error}
        </p>
      )}
      {step.kind === "checking" && <p aria-busy="true">Checking {step.name}…</p>}
      {step.kind === "importing" && <p aria-busy="true">Importing {step.name}…</p>}
      {step.kind === "preview" && <PreviewView name={step.name} preview={step.preview} />}
      {step.kind === "preview" && step.error && (
        <p className="error-text" role="alert" data-testid="import-error">
          {step.error}
        </p>
      )}
      <div className="actions">
        {step.kind === "preview" && (
          <button
            type="button"
            className="primary"
            disabled={step.preview.error_count > 0 || step.preview.rows === 0}
            onClick={commit}
            data-testid="import-commit"
          >
            Import {step.preview.creates + step.preview.updates} change(s)
          </button>
        )}
        <button type="button" onClick={onCancel} disabled={step.kind === "importing"} data-testid="import-cancel">
          Cancel
        </button>
      </div>
    </section>
  );
}

function PreviewView({ name, preview: p }: { name: string; preview: ImportPreview }) {
  const rows = useMemo(() => previewRows(p), [p]);
  const dt = useDataTable<PreviewRow>({
    data: rows,
    columns: previewColumns,
    getRowId: previewRowId,
    searchText: previewSearchText,
    initialSorting: p.error_count > 0 ? [{ id: "action", desc: false }] : [],
  });
  const shown = p.sample.length < p.rows ? `the first ${p.sample.length} of ${p.rows} rows` : `all ${p.rows} rows`;
  return (
    <div data-testid="import-preview">
      <p data-testid="import-counts">
        <strong>{name}</strong>: {p.rows} row(s) — {p.creates} new, {p.updates} updated, {p.unchanged} unchanged
        {p.memberships_added + p.memberships_removed > 0 &&
          `; memberships +${p.memberships_added} −${p.memberships_removed}`}
        {p.blank_rows > 0 && `; ${p.blank_rows} blank row(s) skipped`}.
      </p>
      {p.new_groups.length > 0 && <p>New groups: {p.new_groups.join(", ")}</p>}
      {p.ignored_columns.length > 0 && (
        <p className="warn-text" data-testid="import-ignored">
          Ignored columns (no such attribute): {p.ignored_columns.join(", ")}
        </p>
      )}
      {p.error_count > 0 ? (
        <p className="error-text" role="alert">
          {p.error_count} row(s) have problems. Nothing will be imported until they are fixed: correct the file and choose it
          again.{p.error_count > p.errors.length && ` The table lists the first ${p.errors.length}.`}
        </p>
      ) : (
        <p className="ok-text">Every row is valid.</p>
      )}
      <div className="toolbar">
        <input
          type="search"
          className="search"
          placeholder="Search line, email or problem…"
          value={dt.globalFilter}
          onChange={(e) => dt.setGlobalFilter(e.target.value)}
          aria-label="Search the preview"
          data-testid="import-search"
        />
        <span className="muted">Showing {shown}{p.error_count > 0 ? " and every listed problem" : ""}.</span>
      </div>
      <DataTable dt={dt} label="CSV preview" testId="import-rows" getRowId={previewRowId} height="40vh" />
    </div>
  );
}
