/** Rules for URLs people type in for the server to call (no server-only imports: forms use them too). */

/** A URL a webhook endpoint may have: http(s), no credentials in it. The words say what is wrong. */
export function webhookUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be a full URL such as https://example.com/hooks/veridesk";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must start with https:// (or http://)";
  if (url.username || url.password) return "must not contain a user name or password";
  if (url.hash) return "must not contain a #fragment";
  return null;
}
