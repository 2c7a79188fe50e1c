import { useEffect, useState } from "react";
import { commands, type StartupStatus } from "./bindings";
import { Nav, type Page } from "./components/Nav";
import { PendingLogins } from "./components/approvals/PendingLogins";
import { ApplicationsPage } from "./pages/ApplicationsPage";
import { DirectoryPage } from "./pages/DirectoryPage";
import { EventsPage } from "./pages/EventsPage";
import { SettingsPage } from "./pages/SettingsPage";
import { StartupErrorPage } from "./pages/StartupErrorPage";
import { messageOf } from "./lib/ipc";

export function App() {
  const [page, setPage] = useState<Page>("applications");
  const [startup, setStartup] = useState<StartupStatus | null>(null);
  const [startupFailure, setStartupFailure] = useState<string | null>(null);

  useEffect(() => {
    commands.startupStatus().then(setStartup, (e: unknown) => setStartupFailure(messageOf(e)));
  }, []);

  useEffect(() => {
    if (startup || startupFailure) {
      // After the browser has painted the first real screen.
      requestAnimationFrame(() => void commands.markFirstPaint().catch(() => undefined));
    }
  }, [startup, startupFailure]);

  if (startupFailure) {
    return <StartupErrorPage message={startupFailure} dataDir={null} />;
  }
  if (!startup) {
    return <div className="boot" aria-busy="true">Starting Lanyard…</div>;
  }
  if (startup.error) {
    return <StartupErrorPage message={startup.error.message} dataDir={startup.data_dir} />;
  }
  return (
    <div className="shell">
      <Nav page={page} onNavigate={setPage} />
      <main className="content">
        <PendingLogins />
        {page === "applications" && <ApplicationsPage practiceUrl={startup.practice_url} />}
        {page === "directory" && <DirectoryPage />}
        {page === "events" && <EventsPage />}
        {page === "settings" && <SettingsPage />}
      </main>
    </div>
  );
}
