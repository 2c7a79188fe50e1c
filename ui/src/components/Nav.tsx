import { Link } from "@tanstack/react-router";

const PAGES = [
  { to: "/applications", id: "applications", label: "Applications", glyph: "▦" },
  { to: "/directory", id: "directory", label: "Directory", glyph: "☰" },
  { to: "/events", id: "events", label: "Events", glyph: "≡" },
  { to: "/portal", id: "portal", label: "Portal", glyph: "◫" },
  { to: "/settings", id: "settings", label: "Settings", glyph: "⚙" },
] as const;

export function Nav() {
  return (
    <nav className="nav" aria-label="Main">
      <div className="brand">
        <img src="/lanyard.svg" alt="" width={28} height={28} />
        <span>Lanyard</span>
      </div>
      <ul>
        {PAGES.map((p) => (
          <li key={p.id}>
            <Link
              to={p.to}
              className="nav-item"
              activeProps={{ className: "nav-item active", "aria-current": "page" }}
              data-testid={`nav-${p.id}`}
            >
              <span className="glyph" aria-hidden="true">
                {p.glyph}
              </span>
              {p.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
