// What helps the admin act on a step: deep links into Salesforce Setup, the values to type, the
// existing Single sign-on cards, and links to the tabs and pages where the work is done.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { commands, type Application, type StepId } from "../../bindings";
import { messageOf, unwrap } from "../../lib/ipc";
import { notify } from "../../lib/notify";
import { startupQuery } from "../../lib/queries";
import { APP_TABS, type AppTab } from "../../routes/tabs";
import { CopyValue } from "../CopyValue";
import { IdpCard } from "../sso/IdpCard";
import { SpSettingsCard } from "../sso/SpSettingsCard";
import { TestLoginCard } from "../sso/TestLoginCard";
import { fingerprint } from "../sso/certText";
import { idpCertsQuery, idpEndpointQuery, idpExportsQuery, spViewQuery } from "./data";
import { SETUP_PAGES, STEP_PAGES, apiName, entityIdRule, isGenericLogin, setupBase, setupLink } from "./links";

/** The manual import of Salesforce's users has its own tab when it is there; until then, Identity Management. */
const HAS_IMPORT_TAB = (APP_TABS as readonly string[]).includes("import");
const IMPORT_TAB: AppTab = HAS_IMPORT_TAB ? ("import" as AppTab) : "identity";

export function StepContent({ app, step }: { app: Application; step: StepId }) {
  const practiceUrl = useQuery(startupQuery).data?.practice_url ?? "";
  const base = setupBase(app, practiceUrl);
  const links = STEP_PAGES[step];
  return (
    <>
      <Helper app={app} step={step} base={base} />
      {links && <SetupLinks base={base} pages={links} practice={app.environment === "practice"} />}
    </>
  );
}

function Helper({ app, step, base }: { app: Application; step: StepId; base: string }): ReactNode {
  switch (step) {
    case "prerequisites":
      return (
        <ul className="notes">
          <li>A Salesforce administrator account, and the org's domain name ({app.environment === "sandbox" ? "a sandbox" : app.environment === "practice" ? "the practice org" : "production"}).</li>
          <li>
            With SCIM provisioning, just-in-time provisioning off: SAML Identity Type{" "}
            <code>Assertion contains the User's Salesforce username</code>, and <code>User Provisioning Enabled</code> unchecked.
          </li>
          <li>State and country/territory picklists deactivated, or addresses are not sent.</li>
          <li>English as the admin's language, so the names here match Salesforce's.</li>
        </ul>
      );
    case "my_domain":
      return (
        <ol className="notes">
          <li>Open My Domain (below) and check the domain name.</li>
          <li>If it is not deployed yet: register it, wait for the DNS, then deploy it to users.</li>
          <li>Give Lanyard the My Domain login URL when creating the application, so these links open your org.</li>
        </ol>
      );
    case "salesforce_certificate":
      return (
        <>
          <ol className="notes">
            <li>In Certificate and Key Management: Create Self-Signed Certificate, with a label, the key size 2048 and <strong>Exportable Private Key</strong> checked.</li>
            <li>Download it (the .crt file).</li>
            <li>Import it here: it comes with the metadata in step 5, or by hand on the Single sign-on tab.</li>
          </ol>
          <TabLink app={app} tab="sso">Open the Single sign-on tab</TabLink>
        </>
      );
    case "enable_saml":
      return <SamlValues app={app} base={base} />;
    case "import_metadata":
      return <SpSettingsCard app={app} />;
    case "idp_settings":
      return <IdpSettings app={app} />;
    case "download_certificate":
      return <IdpCard app={app} />;
    case "replace_certificate":
      return <Fingerprint app={app} />;
    case "enable_sso":
      return (
        <ol className="notes">
          <li>In My Domain, Authentication Configuration: Edit.</li>
          <li>Check Lanyard's configuration ({apiName(app.name)}).</li>
          <li>Uncheck Login Form only after a test login works (step 11), or nobody can log in with a password.</li>
        </ol>
      );
    case "authorize_groups":
      return <TabLink app={app} tab="groups">Open the User groups tab</TabLink>;
    case "validate_sso":
      return (
        <>
          <TestLoginCard app={app} />
          <p className="muted setup-note">
            Run both: the IdP-initiated login (choose who signs in, above) and the SP-initiated one (from Salesforce's
            login page, approved here). This step is done once each has reached Salesforce; Login History (below) shows
            Salesforce's side of every attempt.
          </p>
        </>
      );
    case "identity_management":
      return <TabLink app={app} tab="identity">Open the Identity Management tab</TabLink>;
    case "attribute_mappings":
      return <TabLink app={app} tab="identity">Open the mappings and the payload preview (Identity Management tab)</TabLink>;
    case "import_users":
      return <TabLink app={app} tab={IMPORT_TAB}>{HAS_IMPORT_TAB ? "Open the Import tab" : "Open the Identity Management tab"}</TabLink>;
    case "event_log":
      return (
        <p>
          <Link to="/events" search={{ app: app.name }} data-testid="setup-events-link">
            Open this application&apos;s events
          </Link>{" "}
          <span className="muted">
            (the Events page filtered to <code>{app.name}</code>).
          </span>
        </p>
      );
  }
}

function TabLink({ app, tab, children }: { app: Application; tab: AppTab; children: ReactNode }) {
  return (
    <p>
      <Link to="/applications/$app/$tab" params={{ app: app.name, tab }} data-testid={`setup-tab-link-${tab}`}>
        {children}
      </Link>
    </p>
  );
}

function SetupLinks({ base, pages, practice }: { base: string; pages: readonly (keyof typeof SETUP_PAGES)[]; practice: boolean }) {
  return (
    <div className="setup-links" data-testid="setup-links">
      <h4>In Salesforce Setup{practice ? " (the practice org)" : ""}</h4>
      {pages.map((p) => (
        <CopyValue key={p} label={SETUP_PAGES[p].label} value={setupLink(base, p)} testId={`setup-link-${p}`} />
      ))}
      {isGenericLogin(base) && (
        <p className="muted setup-note">
          The login URL has no My Domain, so these addresses start at Salesforce's generic login; with a deployed My
          Domain, the same paths work on <code>https://&lt;your domain&gt;.my.salesforce.com</code>.
        </p>
      )}
      <p className="muted setup-note">Copy an address into the browser where you are signed in to Salesforce.</p>
    </div>
  );
}

function QueryError({ error, testId }: { error: unknown; testId: string }) {
  return (
    <p className="error-text" role="alert" data-testid={testId}>
      {messageOf(error)}
    </p>
  );
}

/** Every value to type in Single Sign-On Settings → New, with a copy button. */
function SamlValues({ app, base }: { app: Application; base: string }) {
  const exports = useQuery(idpExportsQuery(app.name));
  const sp = useQuery(spViewQuery(app.name));
  const entity = entityIdRule(base, sp.data?.config.entity_id ?? null);
  const pending = (q: { isPending: boolean }) => (q.isPending ? "…" : "");
  return (
    <div className="saml-values" data-testid="saml-values">
      <h4>Single Sign-On Settings → New</h4>
      <CopyValue label="Name" value={`Lanyard ${app.label}`} testId="saml-value-name" />
      <CopyValue label="API Name" value={apiName(app.name)} testId="saml-value-api-name" />
      {exports.data ? (
        <CopyValue label="Issuer" value={exports.data.entity_id} testId="saml-value-issuer" />
      ) : (
        <ValueNote label="Issuer">{pending(exports) || (exports.isError && <QueryError error={exports.error} testId="saml-exports-error" />)}</ValueNote>
      )}
      <CopyValue label="Entity ID" value={entity.value} testId="saml-value-entity-id" />
      <p className="muted setup-note">{entity.note}</p>
      <ValueNote label="Identity Provider Certificate">
        Upload a temporary placeholder (any certificate, such as the one from step 3) now; step 8 replaces it with
        Lanyard's certificate.pem.
      </ValueNote>
      <ValueNote label="Request Signing Certificate">The self-signed certificate from step 3.</ValueNote>
      <ValueNote label="Request Signature Method">RSA-SHA256</ValueNote>
      <ValueNote label="Assertion Decryption Certificate">Assertion not encrypted.</ValueNote>
      <CopyValue label="SAML Identity Type" value="Assertion contains the User's Salesforce username" testId="saml-value-identity-type" />
      <CopyValue label="SAML Identity Location" value="Identity is in the NameIdentifier element of the Subject statement" testId="saml-value-identity-location" />
      <CopyValue label="Service Provider Initiated Request Binding" value="HTTP POST" testId="saml-value-binding" />
      {exports.data ? (
        <CopyValue label="Identity Provider Login URL" value={exports.data.sso_url} testId="saml-value-login-url" />
      ) : (
        <ValueNote label="Identity Provider Login URL">{pending(exports) || "Shown once the signing key exists (step 7)."}</ValueNote>
      )}
      <ValueNote label="User Provisioning Enabled">
        Unchecked with SCIM provisioning (just-in-time off). Checked only if Salesforce should create users at login
        from the just-in-time attributes (step 6).
      </ValueNote>
      <p className="muted setup-note">
        Save, then copy the configuration's Login URL and download its metadata: step 5 imports it.
      </p>
      {app.environment === "practice" && <PracticeFill app={app} ready={!!exports.data} />}
    </div>
  );
}

/** The practice org only: every value above saved in its Single Sign-On Settings in one click. */
function PracticeFill({ app, ready }: { app: Application; ready: boolean }) {
  const client = useQueryClient();
  const fill = useMutation({
    mutationFn: () => unwrap(commands.setupFillPracticeSso(app.name)),
    onSuccess: (r) => {
      notify.ok(`The practice org now trusts Lanyard for ${app.label}. Its Login URL: ${r.login_url}`, "toast-practice-fill");
      void client.invalidateQueries({ queryKey: ["setup"] });
    },
  });
  return (
    <div className="practice-fill" data-testid="practice-fill">
      <button type="button" onClick={() => fill.mutate()} disabled={fill.isPending || !ready} data-testid="practice-fill-button">
        {fill.isPending ? "Filling…" : "Fill the practice org's Single Sign-On Settings"}
      </button>
      <p className="muted setup-note">
        {ready
          ? "Saves these values there at once (with Lanyard's certificate, username as the identity, just-in-time off), what you would type by hand in a real org."
          : "Needs Lanyard's signing certificate first (step 7)."}
      </p>
      {fill.isError && (
        <p className="error-text" role="alert" data-testid="practice-fill-error">
          {messageOf(fill.error)}
        </p>
      )}
    </div>
  );
}

function ValueNote({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="copy-value value-note">
      <span className="muted">{label}</span>
      <span>{children}</span>
    </div>
  );
}

function IdpSettings({ app }: { app: Application }) {
  const exports = useQuery(idpExportsQuery(app.name));
  const sp = useQuery(spViewQuery(app.name));
  const endpoint = useQuery(idpEndpointQuery);
  const config = sp.data?.config;
  return (
    <div data-testid="setup-idp-settings">
      {exports.data && <CopyValue label="IdP entity ID (Issuer)" value={exports.data.entity_id} testId="setup-idp-entity-id" />}
      {exports.data && <CopyValue label="IdP URL (Identity Provider Login URL)" value={exports.data.sso_url} testId="setup-idp-url" />}
      {exports.isError && <QueryError error={exports.error} testId="setup-idp-error" />}
      {config ? (
        <>
          <CopyValue label="SP entity ID" value={config.entity_id} testId="setup-sp-entity-id" />
          <CopyValue label="ACS URL" value={config.acs_url} testId="setup-sp-acs" />
        </>
      ) : (
        !sp.isPending && <p className="muted">No Salesforce metadata yet: step 5 imports it.</p>
      )}
      {sp.isError && <QueryError error={sp.error} testId="setup-sp-error" />}
      {endpoint.data?.error && endpoint.data.error !== "starting" && (
        <p className="error-text">The IdP endpoint is not running: {endpoint.data.error}</p>
      )}
      <p className="muted setup-note">
        The Identity Provider Login URL in Salesforce must be the IdP URL above. The just-in-time attributes and the
        response settings are on the Single sign-on tab.
      </p>
      <TabLink app={app} tab="sso">Open the Single sign-on tab</TabLink>
    </div>
  );
}

/** The active certificate's SHA-256 fingerprint, to compare with what Salesforce shows. */
function Fingerprint({ app }: { app: Application }) {
  const certs = useQuery(idpCertsQuery(app.name));
  const active = certs.data?.find((c) => c.status === "active");
  return (
    <div data-testid="setup-fingerprint">
      {certs.isPending && <span className="skeleton-line" aria-hidden="true" />}
      {certs.isError && <QueryError error={certs.error} testId="setup-fingerprint-error" />}
      {certs.data && !active && (
        <p className="muted">
          No signing certificate yet:{" "}
          <Link to="/applications/$app/setup/$step" params={{ app: app.name, step: "download_certificate" }}>
            create it in step 7
          </Link>
          .
        </p>
      )}
      {active && (
        <>
          <CopyValue label="SHA-256 fingerprint" value={fingerprint(active.info.sha256).toUpperCase()} testId="setup-fingerprint-value" />
          <p className="muted setup-note">
            {active.info.subject}, expires {new Date(active.info.not_after).toLocaleDateString()}. In Single Sign-On
            Settings, edit the configuration, upload certificate.pem as the Identity Provider Certificate, save, and
            compare the certificate Salesforce shows with this fingerprint.
          </p>
        </>
      )}
    </div>
  );
}
