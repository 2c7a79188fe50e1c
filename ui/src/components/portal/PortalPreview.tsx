// The user portal as a chosen directory user sees it: the applications shown in the portal that
// they are authorized for, and the bookmarks. A tile starts that user's IdP-initiated test login
// (in the system browser) or opens the bookmark.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { commands, type PortalTile } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";
import { notify } from "../../lib/notify";
import { keys } from "../../lib/queries";

export function PortalPreview() {
  const [typed, setTyped] = useState("");
  const [email, setEmail] = useState("");
  const suggestions = useQuery({
    queryKey: [...keys.directory, "portal-suggest", typed],
    queryFn: () => unwrap(commands.queryUsers({ search: typed, limit: 20 })),
    enabled: typed.trim().length > 0,
  });
  const tiles = useQuery({
    queryKey: keys.portalTiles(email),
    queryFn: () => unwrap(commands.portalTiles(email)),
    enabled: email !== "",
  });
  const start = useMutation({
    mutationFn: async (t: PortalTile) => {
      if (t.kind === "bookmark") {
        await unwrap(commands.openBookmark(t.name));
        return `Opened ${t.label} in the browser.`;
      }
      await unwrap(commands.testLogin(t.name, email));
      return `Signing ${email} in to ${t.label}: the browser opens on the IdP-initiated login.`;
    },
    onSuccess: (text) => notify.ok(text, "toast-portal"),
  });
  return (
    <section className="card" aria-label="Portal preview" data-testid="portal-preview">
      <h2>Preview a user&apos;s portal</h2>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          setEmail(typed.trim());
        }}
      >
        <input
          type="search"
          list="portal-users"
          placeholder="A directory user's email"
          aria-label="User"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          data-testid="portal-user"
        />
        <datalist id="portal-users">
          {suggestions.data?.rows.map((u) => <option key={u.id} value={u.email} />)}
        </datalist>
        <button type="submit" disabled={typed.trim() === ""} data-testid="portal-user-show">
          Show portal
        </button>
      </form>
      {tiles.isFetching && !tiles.data && <span className="skeleton-line" aria-hidden="true" />}
      {tiles.isError && <p className="error-text" role="alert" data-testid="portal-tiles-error">{messageOf(tiles.error)}</p>}
      {tiles.data && tiles.data.length === 0 && (
        <p className="muted" data-testid="portal-tiles-empty">
          {email} sees no tile: show an application in the portal (its Overview tab) and bind one of the user&apos;s groups to
          it, or add a bookmark.
        </p>
      )}
      {tiles.data && tiles.data.length > 0 && (
        <ul className="portal-tiles" aria-label={`${email}'s portal`} data-testid="portal-tiles">
          {tiles.data.map((t) => (
            <li key={`${t.kind}-${t.name}`}>
              <button
                type="button"
                className="portal-tile"
                onClick={() => start.mutate(t)}
                disabled={!t.can_sign_in || start.isPending}
                title={t.can_sign_in ? undefined : "Suspended or password expired: cannot sign in"}
                data-testid={`tile-${t.kind}-${t.name}`}
              >
                {t.image ? <img src={t.image} alt="" width={64} height={64} /> : <span className="tile-initial" aria-hidden="true">{t.label.slice(0, 1)}</span>}
                <span>{t.label}</span>
                <span className="muted">{t.kind === "bookmark" ? "Bookmark" : t.can_sign_in ? "Single sign-on" : "Cannot sign in"}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {start.isError && <p className="error-text" role="alert" data-testid="portal-start-error">{messageOf(start.error)}</p>}
    </section>
  );
}
