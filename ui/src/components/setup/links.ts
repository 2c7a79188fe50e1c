// Deep links into Salesforce Setup, built from the application's login URL (its My Domain when
// the admin gave one). The practice org serves the same paths, so a practice application's links
// open the practice org's matching pages.
import type { Application, StepId } from "../../bindings";

export const SETUP_PAGES = {
  myDomain: { label: "My Domain", path: "/lightning/setup/OrgDomain/home" },
  certificates: { label: "Certificate and Key Management", path: "/lightning/setup/CertificatesAndKeysManagement/home" },
  singleSignOn: { label: "Single Sign-On Settings", path: "/lightning/setup/SingleSignOn/home" },
  authentication: { label: "Authentication Configuration", path: "/lightning/setup/AuthenticationConfiguration/home" },
  loginHistory: { label: "Login History", path: "/lightning/setup/OrgLoginHistory/home" },
} as const;
export type SetupPage = keyof typeof SETUP_PAGES;

/** The generic login hosts: they carry no My Domain, so Setup pages open after a login there. */
const GENERIC_HOSTS = ["login.salesforce.com", "test.salesforce.com"];

/** The origin every deep link starts with: the practice org's address, or the login URL's origin. */
export function setupBase(app: Pick<Application, "environment" | "login_url">, practiceUrl: string): string {
  const from = app.environment === "practice" && practiceUrl ? practiceUrl : app.login_url;
  try {
    return new URL(from).origin;
  } catch {
    return from.replace(/\/+$/, "");
  }
}

export function setupLink(base: string, page: SetupPage): string {
  return base + SETUP_PAGES[page].path;
}

/** True when the login URL is Salesforce's generic one (no My Domain in it). */
export function isGenericLogin(base: string): boolean {
  try {
    return GENERIC_HOSTS.includes(new URL(base).host);
  } catch {
    return false;
  }
}

/** The Setup pages each step acts on, in the order the admin visits them. */
export const STEP_PAGES: Partial<Record<StepId, SetupPage[]>> = {
  prerequisites: ["singleSignOn"],
  my_domain: ["myDomain", "certificates", "singleSignOn", "loginHistory"],
  salesforce_certificate: ["certificates"],
  enable_saml: ["singleSignOn"],
  replace_certificate: ["singleSignOn"],
  enable_sso: ["myDomain", "authentication"],
  validate_sso: ["loginHistory"],
};

/**
 * A Salesforce API Name from the application's name: letters, digits and single underscores,
 * starting with a letter and not ending with an underscore.
 */
export function apiName(appName: string): string {
  const body = appName.replace(/[^A-Za-z0-9]+/g, "_").replace(/_+/g, "_").replace(/^_+|_+$/g, "");
  return `Lanyard${body ? "_" + body : ""}`;
}

/**
 * The Entity ID Salesforce's configuration uses: with a deployed My Domain it is the My Domain
 * address; without one, https://saml.salesforce.com. The imported metadata, when present, decides.
 */
export function entityIdRule(base: string, imported: string | null): { value: string; note: string } {
  if (imported) return { value: imported, note: "As in the imported metadata." };
  if (!isGenericLogin(base) && base.startsWith("https://")) {
    return { value: base, note: "Your My Domain address (the custom domain rule)." };
  }
  return {
    value: "https://saml.salesforce.com",
    note: "Without a My Domain in the login URL; with a deployed My Domain, use https://<your domain>.my.salesforce.com instead.",
  };
}
