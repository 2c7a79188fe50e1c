import { useState } from "react";
import { copyText } from "../../lib/clipboard";

/** A block of text to copy (JSON bodies): monospace, with a Copy button. */
export function CodeBlock({ label, text, testId }: { label: string; text: string; testId: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    setState((await copyText(text)) ? "copied" : "failed");
    setTimeout(() => setState("idle"), 1500);
  };
  return (
    <figure className="code-block">
      <figcaption>
        <span>{label}</span>
        <button type="button" className="small" onClick={copy} aria-label={`Copy ${label}`} data-testid={`${testId}-copy`}>
          {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : "Copy"}
        </button>
      </figcaption>
      <pre data-testid={testId}>{text}</pre>
    </figure>
  );
}
