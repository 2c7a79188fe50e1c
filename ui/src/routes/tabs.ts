// An application's tabs: part of its address (/applications/<app>/<tab>).
export const APP_TABS = ["setup", "overview", "sso", "groups", "identity"] as const;
export type AppTab = (typeof APP_TABS)[number];

export function parseTab(value: string): AppTab {
  return (APP_TABS as readonly string[]).includes(value) ? (value as AppTab) : "overview";
}
