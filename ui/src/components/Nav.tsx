export type Page = "applications" | "directory" | "events" | "settings";

const PAGES: { id: Page; label: string; glyph: string }[] = [
  { id: "applications", label: "Applications", glyph: "▦" },
  { id: "directory", label: "Directory", glyph: "☰" },
  { id: "events", label: "Events", glyph: "≡" },
  { id: "settings", label: "Settings", glyph: "⚙" },
];

export function Nav({ page, onNavigate }: { page: Page; onNavigate: (p: Page) => void }) {
  return (
    <nav className="nav" aria-label="Main">
      <div className="brand">
        <img src="/lanyard.svg" alt="" width={28} height={28} />
        <span>Lanyard</span>
      </div>
      <ul>
        {PAGES.map((p) => (
          <li key={p.id}>
            <button
              type="button"
              className={p.id === page ? "nav-item active" : "nav-item"}
              aria-current={p.id === page ? "page" : undefined}
              onClick={() => onNavigate(p.id)}
              data-testid={`nav-${p.id}`}
            >
              <span className="glyph" aria-hidden="true">
                {p.glyph}
              </span>
              {p.label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
