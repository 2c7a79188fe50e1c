// Mirrors the core's application-name rule so the form can say what is wrong while typing.
// The core checks again: this is guidance, not the gate.
export const NAME_MAX = 63;

export const NAME_RULE =
  "Use 1–63 lowercase letters, digits and hyphens, starting and ending with a letter or digit.";

export function appNameProblem(name: string): string | null {
  if (name.length === 0) return "Give the application a name.";
  if (name.length > NAME_MAX) return `That is ${name.length} characters; the limit is ${NAME_MAX}.`;
  if (/[A-Z]/.test(name)) return "Use lowercase letters only.";
  if (/\s/.test(name)) return "Spaces are not allowed; use hyphens.";
  if (!/^[a-z0-9-]+$/.test(name)) return NAME_RULE;
  if (name.startsWith("-") || name.endsWith("-")) return "Start and end with a letter or digit.";
  return null;
}

/** Suggests a slug from a display label: "Salesforce (Prod)" → "salesforce-prod". */
export function slugFromLabel(label: string): string {
  return label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, NAME_MAX)
    .replace(/-+$/g, "");
}
