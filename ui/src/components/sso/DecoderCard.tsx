import { useState } from "react";
import { commands, type Application, type Decoded } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";

const MARK = { pass: "✓", fail: "✗", warn: "!", info: "·" } as const;

/** Paste a SAMLResponse or AuthnRequest in any wrapping: pretty XML and a checklist. */
export function DecoderCard({ app }: { app: Application | null }) {
  const [input, setInput] = useState("");
  const [decoded, setDecoded] = useState<Decoded | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async () => {
    setError(null);
    setDecoded(null);
    try {
      setDecoded(await unwrap(commands.decodeSaml(input, app?.name ?? null)));
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <section className="card" aria-label="SAML decoder">
      <h2>SAML decoder</h2>
      <textarea
        rows={5}
        value={input}
        onChange={(e) => setInput(e.target.value)}
        placeholder="Paste a SAMLResponse or SAMLRequest: XML, base64, a form body or a whole redirect URL"
        spellCheck={false}
        data-testid="decoder-input"
      />
      <div className="actions">
        <button type="button" onClick={run} disabled={!input.trim()} data-testid="decoder-run">Decode</button>
      </div>
      {error && <p className="error-text" role="alert">{error}</p>}
      {decoded && (
        <div data-testid="decoder-result">
          <p>
            <strong>{decoded.kind}</strong> <span className="muted">({decoded.steps.length ? decoded.steps.join(" → ") : "raw XML"})</span>
          </p>
          <ul className="checklist">
            {decoded.checks.map((c) => (
              <li key={c.name} className={`check ${c.status}`}>
                <span aria-hidden="true">{MARK[c.status]}</span> <strong>{c.name}</strong> {c.detail}
              </li>
            ))}
          </ul>
          <pre className="xml">{decoded.xml}</pre>
        </div>
      )}
    </section>
  );
}
