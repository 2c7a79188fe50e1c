import { useState } from "react";
import { copyText } from "../lib/clipboard";

/** A labelled value with a Copy button, for everything an admin pastes into Salesforce. */
export function CopyValue({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    setState((await copyText(value)) ? "copied" : "failed");
    setTimeout(() => setState("idle"), 1500);
  };
  return (
    <div className="copy-value">
      <span className="muted">{label}</span>
      <code data-testid={testId}>{value}</code>
      <button type="button" className="small" onClick={copy} aria-label={`Copy ${label}`}>
        {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : "Copy"}
      </button>
    </div>
  );
}
