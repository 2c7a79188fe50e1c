// How long the event log keeps its events. The range is the core's rule: the form only asks for a
// whole number of days, and the core's refusal is shown beside the field.
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { commands } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";
import { notify } from "../../lib/notify";
import { keys } from "../../lib/queries";

const schema = z.object({
  days: z.string().trim().regex(/^\d+$/, "Enter a whole number of days, e.g. 90."),
});
type Values = z.input<typeof schema>;

export function RetentionCard() {
  const client = useQueryClient();
  const settings = useQuery({ queryKey: keys.settings, queryFn: () => unwrap(commands.getSettings()) });
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { days: "" } });
  const current = settings.data?.events_retention_days;
  useEffect(() => {
    if (current !== undefined) form.reset({ days: String(current) });
  }, [current, form]);
  const save = useMutation({
    mutationFn: (v: Values) => unwrap(commands.setSettings({ events_retention_days: Number(v.days.trim()) })),
    onSuccess: (s) => {
      client.setQueryData(keys.settings, s);
      void client.invalidateQueries({ queryKey: keys.events });
      notify.ok(`Events are now kept ${s.events_retention_days} days.`, "toast-retention");
    },
  });
  const problem = form.formState.errors.days?.message ?? (save.isError ? messageOf(save.error) : null);
  return (
    <form className="card form" aria-label="Event log" data-testid="retention-form" onSubmit={form.handleSubmit((v) => save.mutate(v))}>
      <h2>Event log</h2>
      {settings.isPending && <p className="muted">Loading…</p>}
      {settings.isError && <p className="error-text">{messageOf(settings.error)}</p>}
      <label>
        Keep events for (days)
        <input
          inputMode="numeric"
          {...form.register("days")}
          aria-invalid={problem ? true : undefined}
          aria-describedby="retention-help retention-problem"
          data-testid="retention-days"
        />
      </label>
      <p className="muted" id="retention-help">
        Older events are removed when Lanyard starts, and at once when you save a shorter time. The default is 90 days.
      </p>
      {problem && (
        <p className="error-text" role="alert" id="retention-problem" data-testid="retention-problem">
          {problem}
        </p>
      )}
      <button type="submit" disabled={save.isPending || settings.isPending} data-testid="retention-save">
        {save.isPending ? "Saving…" : "Save"}
      </button>
    </form>
  );
}
