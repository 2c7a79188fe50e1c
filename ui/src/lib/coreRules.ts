// Forms validate with react-hook-form: zod for the shape of the values, then the core's own rules
// (application and group names, a user's fields), asked over IPC while the admin types. The
// window holds no copy of those rules; the save checks them again.
import { toNestErrors } from "@hookform/resolvers";
import { zodResolver } from "@hookform/resolvers/zod";
import type { FieldErrors, FieldValues, Resolver } from "react-hook-form";
import type { z } from "zod";
import { commands, type FieldProblem, type FormCheck } from "../bindings";

type Options<T> = {
  /** The core check these values make. */
  check: (values: T) => FormCheck;
  /** Further problems only the core's data can tell (an email another user has, say). */
  more?: (values: T, found: readonly FieldProblem[]) => Promise<FieldProblem[]>;
  /** The form's field for a field the core names, when they differ (the core says `name`). */
  field?: (core: string) => string;
};

export function coreResolver<T extends FieldValues>(schema: z.ZodType<T, T>, { check, more, field = (f) => f }: Options<T>): Resolver<T> {
  const shape = zodResolver(schema) as unknown as Resolver<T>;
  return async (values, context, options) => {
    // Both always run, so a field's problem shows whatever the other fields hold; the shape's
    // own message wins on a field both find fault with.
    const first = await shape(values, context, options);
    const found = await commands.checkForm(check(values));
    const problems = more ? [...found, ...(await more(values, found))] : found;
    if (problems.length === 0) return first;
    const flat: FieldErrors = {};
    // The first problem of a field is the one shown beside it.
    for (const p of problems) flat[field(p.field)] ??= { type: "core", message: p.message };
    return { values: {}, errors: { ...toNestErrors(flat, options), ...first.errors } };
  };
}
