// The browser's part of the practice org's OAuth consent (what a person does in the system
// browser), and a token of the test's own to read the practice org's SCIM users.
import { createHash, randomBytes } from "node:crypto";

const b64url = (buf) => buf.toString("base64url");

/** GET the authorize page, read its hidden `consent`, POST allow, follow the redirect once. */
export async function consent(authorizeUrl) {
  const page = await fetch(authorizeUrl);
  if (!page.ok) throw new Error(`the consent page answered ${page.status}`);
  const html = await page.text();
  const token = html.match(/name="consent" value="([^"]+)"/)?.[1];
  if (!token) throw new Error("the consent page carries no consent token");
  const decided = await fetch(new URL("/services/oauth2/authorize", authorizeUrl), {
    method: "POST",
    body: new URLSearchParams({ consent: token, decision: "allow" }),
    redirect: "manual",
  });
  const location = decided.headers.get("location");
  if (!location) throw new Error(`allow did not redirect (${decided.status})`);
  return location;
}

/** An access token for the practice org (PKCE; the redirect is never listened to). */
export async function practiceToken(simUrl) {
  const verifier = b64url(randomBytes(32));
  const challenge = b64url(createHash("sha256").update(verifier).digest());
  const redirect = "http://127.0.0.1:9/callback";
  const q = new URLSearchParams({
    response_type: "code", client_id: "lanyard-practice-connected-app", redirect_uri: redirect,
    code_challenge: challenge, code_challenge_method: "S256", scope: "api",
  });
  const location = await consent(`${simUrl}/services/oauth2/authorize?${q}`);
  const code = new URL(location).searchParams.get("code");
  const res = await fetch(`${simUrl}/services/oauth2/token`, {
    method: "POST",
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirect, client_id: "lanyard-practice-connected-app", code_verifier: verifier }),
  });
  if (!res.ok) throw new Error(`the token endpoint answered ${res.status}: ${await res.text()}`);
  return (await res.json()).access_token;
}

/** The practice org's SCIM users, by userName. */
export async function practiceUsers(simUrl, token) {
  const res = await fetch(`${simUrl}/services/scim/v2/Users?count=200`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET /Users answered ${res.status}`);
  const list = (await res.json()).Resources ?? [];
  return new Map(list.map((u) => [u.userName, u]));
}
