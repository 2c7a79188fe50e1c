// Every page and application tab has an address. Hash history: the webview reloads index.html
// from the app's own protocol, so the address after `#` is what survives a reload.
import { createHashHistory, createRootRoute, createRoute, createRouter, redirect } from "@tanstack/react-router";
import { RootLayout } from "./routes/RootLayout";
import { parseTab } from "./routes/tabs";
import { ApplicationsPage } from "./pages/ApplicationsPage";
import { DirectoryPage } from "./pages/DirectoryPage";
import { EventsPage } from "./pages/EventsPage";
import { PortalPage } from "./pages/PortalPage";
import { SettingsPage } from "./pages/SettingsPage";
import { ImportPage } from "./components/import/ImportPage";
import { parseEventSearch } from "./components/events/eventSearch";
import { appsQuery, startupQuery } from "./lib/queries";
import { queryClient } from "./lib/queryClient";

const rootRoute = createRootRoute({ component: RootLayout });

// The window opens on the application the admin had open last time, when it still exists.
const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/",
  beforeLoad: async () => {
    const last = await lastApplication();
    if (last) throw redirect({ to: "/applications/$app/$tab", params: { app: last, tab: "setup" } });
    throw redirect({ to: "/applications" });
  },
});

async function lastApplication(): Promise<string | null> {
  try {
    const startup = await queryClient.ensureQueryData(startupQuery);
    if (!startup.last_app || startup.error) return null;
    const apps = await queryClient.ensureQueryData(appsQuery);
    return apps.some((a) => a.name === startup.last_app) ? startup.last_app : null;
  } catch {
    // The list of applications shows the error itself.
    return null;
  }
}

const applicationsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/applications",
  component: () => <ApplicationsPage selected={null} tab="overview" />,
});

export const applicationRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/applications/$app/$tab",
  params: {
    parse: (p: { app: string; tab: string }) => ({ app: p.app, tab: parseTab(p.tab) }),
    stringify: (p: { app: string; tab: string }) => ({ app: p.app, tab: p.tab }),
  },
  component: function ApplicationRoute() {
    const { app, tab } = applicationRoute.useParams();
    return <ApplicationsPage selected={app} tab={tab} />;
  },
});

/** One step of the Setup tab: /applications/<app>/setup/<step id>. */
export const setupStepRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/applications/$app/setup/$step",
  component: function SetupStepRoute() {
    const { app } = setupStepRoute.useParams();
    return <ApplicationsPage selected={app} tab="setup" />;
  },
});

// The manual import of an application's target users (a static segment: it wins over $tab).
export const importRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/applications/$app/import",
  component: function ImportRoute() {
    const { app } = importRoute.useParams();
    return <ImportPage app={app} />;
  },
});

const directoryRoute = createRoute({ getParentRoute: () => rootRoute, path: "/directory", component: DirectoryPage });
// The filters are part of the address (/events?app=acme&outcome=failed).
const eventsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/events",
  validateSearch: parseEventSearch,
  component: EventsPage,
});
const portalRoute = createRoute({ getParentRoute: () => rootRoute, path: "/portal", component: PortalPage });
const settingsRoute = createRoute({ getParentRoute: () => rootRoute, path: "/settings", component: SettingsPage });

const routeTree = rootRoute.addChildren([
  indexRoute,
  applicationsRoute,
  applicationRoute,
  setupStepRoute,
  importRoute,
  directoryRoute,
  eventsRoute,
  portalRoute,
  settingsRoute,
]);

export function makeRouter() {
  return createRouter({ routeTree, history: createHashHistory(), defaultNotFoundComponent: NotFound });
}

function NotFound() {
  return <p className="muted">This address shows nothing. Pick a page on the left.</p>;
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof makeRouter>;
  }
}
