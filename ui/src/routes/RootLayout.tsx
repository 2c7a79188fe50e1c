import { Outlet } from "@tanstack/react-router";
import { Toaster } from "sonner";
import { Nav } from "../components/Nav";
import { PendingLogins } from "../components/approvals/PendingLogins";
import { ImportActivity } from "../components/import/ImportActivity";
import { useChangeEvents } from "../lib/useChangeEvents";
import { useOpenRequests } from "../lib/useOpenRequests";

export function RootLayout() {
  useChangeEvents();
  useOpenRequests();
  return (
    <div className="shell">
      <Nav />
      <main className="content">
        <PendingLogins />
        <Outlet />
        <ImportActivity />
      </main>
      <Toaster position="bottom-right" richColors closeButton />
    </div>
  );
}
