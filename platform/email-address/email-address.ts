/**
 * The one form every email address is stored and looked up in (CustomerEmail.normalized,
 * User.email, inbound-mail matching), so that "Jane@Example.COM " and "jane@example.com" are the
 * same address.
 *
 * Only trimming, Unicode NFC and lower-casing. Deliberately NOT removed: "+tags"
 * ("jane+billing@…") and dots in the local part. Those rules are provider-specific (dots mean
 * nothing at Gmail but are significant elsewhere), and an alias is a fact on the customer record:
 * it matches exactly as the customer or the record gave it. Folding "jane+anything@" into
 * "jane@" would let a stranger's address look like a known customer's, which is the opposite of
 * what Veridesk is for. (Strictly, RFC 5321 lets a local part be case-sensitive; no mail system
 * in practice treats it so, and matching case-insensitively is what people expect.)
 */
export function normalizeEmail(address: string): string {
  return address.trim().normalize("NFC").toLowerCase();
}

/** True when two addresses are the same address once normalised. */
export function isSameEmail(a: string, b: string): boolean {
  return normalizeEmail(a) === normalizeEmail(b);
}
