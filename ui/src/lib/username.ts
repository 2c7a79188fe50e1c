// Mirrors the core's Salesforce username and field rules so the drawer can say what is wrong while
// typing. The core checks again: this is guidance, not the gate.
export const EMAIL_MAX = 80;
const LOCAL_SPECIALS = "!#$%&'*+-/=?^_`{|}~.";

export function usernameProblem(value: string): string | null {
  const v = value.trim();
  if (v === "") return "Give the user an email; it is also their Salesforce username.";
  if (/\s/.test(v)) return "Spaces are not allowed in a Salesforce username.";
  // eslint-disable-next-line no-control-regex
  const odd = [...v].find((c) => c.charCodeAt(0) > 126 || c.charCodeAt(0) < 32);
  if (odd) return `“${odd}” is not allowed: Salesforce usernames use plain ASCII letters and digits.`;
  if (v.length > EMAIL_MAX) return `That is ${v.length} characters; the limit is ${EMAIL_MAX}.`;
  const ats = v.split("@").length - 1;
  if (ats === 0) return "An email needs an @, as in name@example.com.";
  if (ats > 1) return "Use exactly one @.";
  const [local = "", domain = ""] = v.split("@");
  if (local === "") return "Something must come before the @.";
  if (local.length > 64) return "The part before the @ is longer than 64 characters.";
  const badLocal = [...local].find((c) => !/[A-Za-z0-9]/.test(c) && !LOCAL_SPECIALS.includes(c));
  if (badLocal) return `“${badLocal}” is not allowed before the @.`;
  if (local.startsWith(".") || local.endsWith(".") || local.includes(".."))
    return "The part before the @ cannot start or end with a dot or have two dots in a row.";
  if (domain === "") return "A domain must follow the @, as in example.com.";
  if (!domain.includes(".")) return `The domain “${domain}” needs a dot, as in example.com.`;
  for (const label of domain.split(".")) {
    if (label === "") return "The domain has an empty part (two dots in a row, or a dot at an end).";
    if (!/^[A-Za-z0-9-]+$/.test(label)) return "A domain has only letters, digits, hyphens and dots.";
    if (label.startsWith("-") || label.endsWith("-")) return "A domain part cannot start or end with a hyphen.";
  }
  const tld = domain.split(".").pop() ?? "";
  if (!/^[A-Za-z]{2,}$/.test(tld)) return "The domain must end in letters, such as .com.";
  return null;
}

/** The username is free unless another user (not `selfId`) has it, compared without case. */
export function usernameTaken(
  value: string,
  users: readonly { id: string; email: string }[],
  selfId: string | null,
): boolean {
  const key = value.trim().toLowerCase();
  return users.some((u) => u.id !== selfId && u.email.toLowerCase() === key);
}

/** Salesforce's limits on the other fields (the core's, in characters). */
export const FIELD_MAX = {
  firstname: 40,
  lastname: 80,
  displayname: 121,
  employee_type: 80,
  job_title: 80,
  employee_identifier: 20,
  department: 80,
  company: 80,
  street_address: 255,
  locality: 40,
  region: 80,
  postal_code: 20,
  country: 80,
  phone: 40,
  federation_id: 512,
} as const;

export function lengthProblem(label: string, value: string, max: number): string | null {
  const n = [...value.trim()].length;
  return n > max ? `${label} is ${n} characters; Salesforce accepts at most ${max}.` : null;
}

/** Group names: 1–80 characters, no semicolon (it separates groups in CSV files). */
export function groupNameProblem(value: string): string | null {
  const v = value.trim();
  if (v === "") return "Give the group a name.";
  if ([...v].length > 80) return "Use at most 80 characters.";
  if (v.includes(";")) return "Semicolons are not allowed: they separate groups in CSV files.";
  return null;
}

/** The largest CSV file the import accepts (the core's limit). */
export const CSV_MAX_BYTES = 50 * 1024 * 1024;

export function csvFileProblem(file: { name: string; size: number }): string | null {
  if (file.size === 0) return `${file.name} is empty.`;
  if (file.size > CSV_MAX_BYTES)
    return `${file.name} is ${(file.size / 1048576).toFixed(1)} MB; the limit is 50 MB. Split it into smaller files.`;
  return null;
}
