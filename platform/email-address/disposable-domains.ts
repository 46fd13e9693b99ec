import "server-only";
import { disposableEmailBlocklist } from "disposable-email-domains-js";

/**
 * Disposable ("throwaway", "10-minute") email domains, refused at registration: an account must
 * keep an address that still reaches its owner later (password resets, ticket replies), and
 * throwaway inboxes are what sign-up abuse runs on. Server only: the list (~9,000 domains, ~200 kB)
 * stays out of the browser bundle; the form shows the server's answer on the email field.
 *
 * The list is the community-maintained disposable-email-domains list, via the npm package
 * `disposable-email-domains-js` (CC0, no dependencies, republished as the list changes). That
 * list is deliberately conservative — it only lists domains that are unambiguously throwaway —
 * which is what a helpdesk wants: refusing a real customer's address is worse than letting one
 * throwaway address through. Update it with the package version.
 */

/** A few more that the list leaves out; keep it short and obviously throwaway. */
const EXTRA_DISPOSABLE_DOMAINS = ["tempmail.com", "temp-mail.io", "throwaway.email"] as const;

let domains: ReadonlySet<string> | undefined;

function disposableDomains(): ReadonlySet<string> {
  // The package's own helpers rebuild a Set on every call: build it once.
  domains ??= new Set([...disposableEmailBlocklist(), ...EXTRA_DISPOSABLE_DOMAINS].map((domain) => domain.trim().toLowerCase()));
  return domains;
}

/**
 * True when the domain, or a domain it is part of, is disposable ("x.mailinator.com" counts as
 * "mailinator.com"; many throwaway services hand out endless subdomains).
 */
export function isDisposableDomain(domain: string): boolean {
  const labels = domain.trim().toLowerCase().replace(/\.+$/, "").split(".");
  const list = disposableDomains();
  for (let start = 0; start <= labels.length - 2; start++) {
    if (list.has(labels.slice(start).join("."))) return true;
  }
  return false;
}

/** True when the address's domain is disposable. */
export function isDisposableEmail(address: string): boolean {
  const at = address.lastIndexOf("@");
  return at > 0 && isDisposableDomain(address.slice(at + 1));
}

export const DISPOSABLE_EMAIL_MESSAGE =
  "We can't accept a disposable (throwaway) email address: we need one that will still reach you later. Use your work or personal address.";
