// The application's tile in the user portal: shown or not, and its image (PNG, JPEG or SVG up to
// 1 MB, chosen in the native dialog; the core rasterizes an SVG and refuses anything else).
import "../portal/portal.css";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands, type Application, type PortalSettings } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";
import { keys } from "../../lib/queries";
import { useOptimisticValue } from "../../lib/useOptimisticValue";

export function PortalCard({ app }: { app: Application }) {
  const client = useQueryClient();
  const key = keys.portalSettings(app.name);
  const settings = useQuery({ queryKey: key, queryFn: () => unwrap(commands.portalSettings(app.name)) });
  const saved = (s: PortalSettings) => {
    client.setQueryData(key, s);
    void client.invalidateQueries({ queryKey: keys.portal });
  };
  const show = useMutation({ mutationFn: (on: boolean) => unwrap(commands.setShowInPortal(app.name, on)), onSuccess: saved });
  const image = useMutation({
    mutationFn: async (remove: boolean) => {
      if (remove) return unwrap(commands.setPortalImage(app.name, null));
      // The dialog opens on the Rust side: the page never names a path for Lanyard to read.
      const path = await unwrap(commands.chooseFile("portal_image"));
      return path ? unwrap(commands.setPortalImage(app.name, path)) : null;
    },
    onSuccess: (s) => s && saved(s),
  });
  const problem = show.error ?? image.error;
  const s = settings.data;
  // While a change is on its way, the box shows it (the core's answer replaces it).
  const shown = useOptimisticValue(s?.show_in_portal ?? false);
  return (
    <section className="card portal-card" aria-label="User portal" data-testid="portal-card">
      <h3>User portal</h3>
      {settings.isPending && <span className="skeleton-line" aria-hidden="true" />}
      {settings.isError && <p className="error-text">{messageOf(settings.error)}</p>}
      {s && (
        <div className="portal-settings">
          <div className="tile-image" aria-hidden={!s.image}>
            {s.image ? <img src={s.image} alt={`${app.label} tile`} width={64} height={64} data-testid="portal-image" /> : <span className="muted">No image</span>}
          </div>
          <div>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={shown.shown}
                disabled={show.isPending}
                onChange={(e) => {
                  show.mutate(e.target.checked, { onSettled: shown.ask(e.target.checked) });
                }}
                data-testid="portal-show"
              />
              Show in the user portal
            </label>
            <p className="muted">
              Users authorized for {app.label} see its tile in their portal; a click signs them in (IdP-initiated).
            </p>
            <div className="actions">
              <button type="button" onClick={() => image.mutate(false)} disabled={image.isPending} data-testid="portal-image-choose">
                {s.image ? "Change image…" : "Choose image…"}
              </button>
              {s.image && (
                <button type="button" onClick={() => image.mutate(true)} disabled={image.isPending} data-testid="portal-image-remove">
                  Remove image
                </button>
              )}
            </div>
            <p className="muted">PNG, JPEG or SVG, up to 1 MB. An SVG is turned into a picture here; it is never shown as given.</p>
          </div>
        </div>
      )}
      {problem && (
        <p className="error-text" role="alert" data-testid="portal-error">
          {messageOf(problem)}
        </p>
      )}
    </section>
  );
}
