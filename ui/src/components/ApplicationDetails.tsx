import { useNavigate } from "@tanstack/react-router";
import * as Tabs from "@radix-ui/react-tabs";
import type { Application } from "../bindings";
import { APP_TABS, parseTab, type AppTab } from "../routes/tabs";
import { AppUserGroups } from "./AppUserGroups";
import { IdentityPanel } from "./identity/IdentityPanel";
import { OverviewPanel } from "./overview/OverviewPanel";
import { SetupPanel } from "./setup/SetupPanel";
import { SsoPanel } from "./sso/SsoPanel";

const TAB_LABEL: Record<AppTab, string> = {
  setup: "Setup",
  overview: "Overview",
  sso: "Single sign-on",
  groups: "User groups",
  identity: "Identity Management",
};

export function ApplicationDetails({ app, tab, onDeleted }: { app: Application; tab: AppTab; onDeleted: () => void }) {
  const navigate = useNavigate();
  return (
    <article className="card details" aria-label={`Application ${app.label}`}>
      <h2>{app.label}</h2>
      <Tabs.Root
        value={tab}
        onValueChange={(t) => void navigate({ to: "/applications/$app/$tab", params: { app: app.name, tab: parseTab(t) } })}
        activationMode="manual"
      >
        <Tabs.List className="tabs" aria-label="Application">
          {APP_TABS.map((t) => (
            <Tabs.Trigger key={t} value={t} className={tab === t ? "tab active" : "tab"} data-testid={`app-tab-${t}`}>
              {TAB_LABEL[t]}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        <Tabs.Content value="setup">
          <SetupPanel app={app} />
        </Tabs.Content>
        <Tabs.Content value="overview">
          <OverviewPanel app={app} onDeleted={onDeleted} />
        </Tabs.Content>
        <Tabs.Content value="sso">
          <SsoPanel app={app} />
        </Tabs.Content>
        <Tabs.Content value="groups">
          <AppUserGroups app={app} />
        </Tabs.Content>
        <Tabs.Content value="identity">
          <IdentityPanel app={app} />
        </Tabs.Content>
      </Tabs.Root>
    </article>
  );
}
