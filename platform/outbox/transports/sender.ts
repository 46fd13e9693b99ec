import { mailboxAddress } from "@/platform/email-address/email-address";

/**
 * The From header for one email: the configured sender's address under another display name, so a
 * reply comes "from Dana from Veridesk Support" while the address (and its SPF/DKIM) stays the one
 * configured in EMAIL_FROM.
 *
 *   senderWithName("Veridesk Support <support@example.com>", "Dana from Veridesk Support")
 *     → '"Dana from Veridesk Support" <support@example.com>'
 */
export function senderWithName(configured: string, displayName: string | null | undefined): string {
  const name = (displayName ?? "")
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (!name) return configured;
  const address = mailboxAddress(configured);
  // A quoted-string (RFC 5322 §3.2.4) takes any name; the provider encodes non-ASCII (RFC 2047).
  return `"${name.replace(/(["\\])/g, "\\$1")}" <${address}>`;
}

/** The display name of a configured sender ("Veridesk Support <support@example.com>" → "Veridesk Support"), or null. */
export function senderDisplayName(configured: string): string | null {
  const match = /^\s*(.*?)\s*<[^<>]+>\s*$/.exec(configured);
  const name = match?.[1]
    ?.replace(/^"(.*)"$/, "$1")
    .replace(/\\(.)/g, "$1")
    .trim();
  return name ? name : null;
}
