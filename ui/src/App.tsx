import { useQuery } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { commands } from "./bindings";
import { messageOf } from "./lib/ipc";
import { startupQuery } from "./lib/queries";
import { StartupErrorPage } from "./pages/StartupErrorPage";
import { makeRouter } from "./router";

export function App() {
  const startup = useQuery(startupQuery);
  const [router] = useState(makeRouter);
  const settled = startup.isSuccess || startup.isError;

  useEffect(() => {
    if (settled) {
      // After the browser has painted the first real screen.
      requestAnimationFrame(() => void commands.markFirstPaint().catch(() => undefined));
    }
  }, [settled]);

  if (startup.isError) {
    return <StartupErrorPage message={messageOf(startup.error)} dataDir={null} />;
  }
  if (!startup.data) {
    return <div className="boot" aria-busy="true">Starting Lanyard…</div>;
  }
  if (startup.data.error) {
    return <StartupErrorPage message={startup.data.error.message} dataDir={startup.data.data_dir} />;
  }
  return <RouterProvider router={router} />;
}
