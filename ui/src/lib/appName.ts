// A name suggested from the display label while the admin types it. Only a suggestion: the core's
// application-name rule (asked through check_form) says whether a name is good.

/** The longest name worth suggesting (the core refuses longer ones, and says so). */
const SUGGESTED_MAX = 63;

/** Suggests a slug from a display label: "Salesforce (Prod)" → "salesforce-prod". */
export function slugFromLabel(label: string): string {
  return label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, SUGGESTED_MAX)
    .replace(/-+$/g, "");
}
