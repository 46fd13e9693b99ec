/**
 * Organisation names and mail domains: the one normalisation of each (no database access, so
 * the seed, the e2e fixtures and client components may import it).
 *
 *  - Two organisations cannot share a name: `normalizedName` = the name trimmed and lower-cased
 *    (the migration that turned Customer.company into organisations normalised the same way).
 *  - A mail domain is stored lower-case without "@" and without a trailing dot: "acme.example".
 */

export function normalizeOrganisationName(name: string): string {
  return name.trim().toLowerCase();
}

/** "  @Acme.Example. " → "acme.example". */
export function normalizeDomain(domain: string): string {
  return domain.trim().replace(/^@+/, "").replace(/\.+$/, "").toLowerCase();
}

/** The domain part of an address, normalised; "" when there is none. */
export function domainOfAddress(address: string): string {
  const at = address.lastIndexOf("@");
  return at < 0 ? "" : normalizeDomain(address.slice(at + 1));
}

/**
 * Prisma's nested write that links a record to the organisation called `name`, creating it when no
 * organisation has that name yet: for demo data, fixtures and the bench (a person's choice, never a
 * registrant's typed text).
 */
export function organisationNamed(name: string) {
  const trimmed = name.trim();
  return {
    connectOrCreate: {
      where: { normalizedName: normalizeOrganisationName(trimmed) },
      create: { name: trimmed, normalizedName: normalizeOrganisationName(trimmed) },
    },
  };
}
