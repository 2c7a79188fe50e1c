// The one QueryClient: what the window reads over IPC is cached here, and the core's change
// events (see useChangeEvents) invalidate it instead of hand-written reload effects.
import { QueryClient } from "@tanstack/react-query";

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // IPC answers are local and cheap; a refetch happens when a change event says so.
      staleTime: 30_000,
      retry: false,
      refetchOnWindowFocus: false,
    },
    mutations: { retry: false },
  },
});
