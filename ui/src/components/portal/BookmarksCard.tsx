// Bookmarks: named links shown in the portal (to every user, or to chosen groups), with no single sign-on. Added with a
// form (the core checks the name and the https address again and its refusal shows beside the
// form), deactivated (kept, hidden), given an image, or deleted.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { commands, type Bookmark } from "../../bindings";
import { slugFromLabel } from "../../lib/appName";
import { coreResolver } from "../../lib/coreRules";
import { messageOf, unwrap } from "../../lib/ipc";
import { notify } from "../../lib/notify";
import { keys } from "../../lib/queries";
import { BookmarkAudience } from "./BookmarkAudience";

const schema = z.object({
  label: z.string().trim().min(1, "Give the bookmark a label people will recognise."),
  name: z.string(),
  url: z.string().trim().regex(/^https:\/\/\S+$/, "Use an https:// address."),
});
type Values = z.infer<typeof schema>;
// A bookmark's name follows the application-name rule, the core's.
const resolver = coreResolver<Values>(schema, { check: (v) => ({ form: "app_name", name: v.name }) });

export function BookmarksCard() {
  const client = useQueryClient();
  const list = useQuery({ queryKey: keys.bookmarks, queryFn: () => unwrap(commands.listBookmarks()) });
  const refresh = () => void client.invalidateQueries({ queryKey: keys.portal });
  const form = useForm<Values>({ resolver, defaultValues: { label: "", name: "", url: "" } });
  const add = useMutation({
    mutationFn: (v: Values) => unwrap(commands.createBookmark({ name: v.name, label: v.label, url: v.url })),
    onSuccess: (b) => {
      form.reset();
      refresh();
      notify.ok(`Bookmark ${b.label} added: every user's portal shows it until you choose groups.`, "toast-bookmark");
    },
  });
  const act = useMutation({
    mutationFn: async (a: { b: Bookmark; what: "show" | "hide" | "image" | "delete" }) => {
      if (a.what === "delete") return unwrap(commands.deleteBookmark(a.b.name));
      if (a.what === "image") {
        const path = await unwrap(commands.chooseFile("portal_image"));
        return path ? unwrap(commands.setBookmarkImage(a.b.name, path)) : null;
      }
      return unwrap(commands.setBookmarkShown(a.b.name, a.what === "show"));
    },
    onSuccess: refresh,
  });
  const errors = form.formState.errors;
  return (
    <section className="card" aria-label="Bookmarks" data-testid="bookmarks">
      <h2>Bookmarks</h2>
      <p className="muted">Links shown in the portal with no single sign-on (a wiki, an HR site): to every user, or only to the groups you choose.</p>
      {list.isPending && <span className="skeleton-line" aria-hidden="true" />}
      {list.isError && <p className="error-text">{messageOf(list.error)}</p>}
      {list.data && list.data.length === 0 && <p className="muted" data-testid="bookmarks-empty">No bookmarks yet.</p>}
      {list.data && list.data.length > 0 && (
        <ul className="bookmark-list">
          {list.data.map((b) => (
            <li key={b.name} data-testid={`bookmark-${b.name}`}>
              {b.image ? <img src={b.image} alt="" width={24} height={24} /> : <span className="tile-dot" aria-hidden="true" />}
              <span>
                <strong>{b.label}</strong> <code>{b.url}</code> {!b.show_in_portal && <span className="badge">deactivated</span>}
                <BookmarkAudience bookmark={b} />
              </span>
              <span className="actions">
                <button type="button" onClick={() => act.mutate({ b, what: b.show_in_portal ? "hide" : "show" })} data-testid={`bookmark-toggle-${b.name}`}>
                  {b.show_in_portal ? "Deactivate" : "Show again"}
                </button>
                <button type="button" onClick={() => act.mutate({ b, what: "image" })} data-testid={`bookmark-image-${b.name}`}>
                  Image…
                </button>
                <button type="button" className="danger-outline" onClick={() => act.mutate({ b, what: "delete" })} data-testid={`bookmark-delete-${b.name}`}>
                  Delete
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {act.isError && <p className="error-text" role="alert" data-testid="bookmark-error">{messageOf(act.error)}</p>}
      <form className="form inline-form" onSubmit={form.handleSubmit((v) => add.mutate(v))} aria-label="Add a bookmark" data-testid="bookmark-form">
        <label>
          Label
          <input
            {...form.register("label", {
              onChange: (e: { target: { value: string } }) => {
                if (!form.formState.dirtyFields.name) form.setValue("name", slugFromLabel(e.target.value));
              },
            })}
            aria-invalid={errors.label ? true : undefined}
            data-testid="bookmark-label"
          />
        </label>
        <label>
          Name
          <input {...form.register("name")} aria-invalid={errors.name ? true : undefined} data-testid="bookmark-name" />
        </label>
        <label>
          URL
          <input {...form.register("url")} placeholder="https://" aria-invalid={errors.url ? true : undefined} data-testid="bookmark-url" />
        </label>
        <button type="submit" disabled={add.isPending} data-testid="bookmark-add">
          Add bookmark
        </button>
        {(errors.label || errors.name || errors.url || add.isError) && (
          <p className="error-text" role="alert" data-testid="bookmark-form-error">
            {errors.label?.message ?? errors.name?.message ?? errors.url?.message ?? messageOf(add.error)}
          </p>
        )}
      </form>
    </section>
  );
}
