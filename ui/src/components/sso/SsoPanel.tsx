import type { Application } from "../../bindings";
import { DecoderCard } from "./DecoderCard";
import { IdpCard } from "./IdpCard";
import { ResponseSettingsCard } from "./ResponseSettingsCard";
import { SpSettingsCard } from "./SpSettingsCard";
import { TestLoginCard } from "./TestLoginCard";

/** The "Single sign-on" tab of an application. */
export function SsoPanel({ app }: { app: Application }) {
  return (
    <div className="sso">
      <SpSettingsCard app={app} />
      <IdpCard app={app} />
      <ResponseSettingsCard app={app} />
      <TestLoginCard app={app} />
      <DecoderCard app={app} />
    </div>
  );
}
