import "server-only";
import { db } from "@/platform/db/client";
import { buildLookAlikeIndex, describeLookAlike, findLookAlike, type LookAlike, type LookAlikeIndex } from "@/platform/email-address/look-alike";
import { isWellKnownProviderDomain } from "@/platform/email-address/typo-suggestions";

/**
 * Which known customer or organisation a sender's (or registrant's) domain imitates
 * (platform/email-address/look-alike.ts decides; this module says what is known).
 *
 * Known domains: the domains of customers' addresses (CustomerEmail.normalized; merged-away and
 * erased records left out) and every OrganisationDomain, less large free-mail providers
 * (typo-suggestions.ts's list: an address at gmail.com says nothing about a company).
 *
 * Cost: one query reads the distinct domains (DISTINCT ON over CustomerEmail ⋈ Customer plus
 * OrganisationDomain: a sequential read and a sort; measured 2.7–3.9 s for 150,000 addresses of
 * 100,000 customers on a machine at load 23 on 2 cores, where a bare count(*) of the same table
 * took 0.45–0.67 s, so roughly 6 counts' worth) and the index is kept per instance for a minute
 * (KNOWN_DOMAINS_TTL_MS), rebuilt only when the domains changed. Lookups then touch only the
 * index: hash probes plus a banded edit distance against names of a similar length (`npm run
 * bench:look-alike`: 2.3 ms at 13,000 domains, 22 ms at 133,000, on 2 busy cores; it was 16 and
 * 229 ms before the band, issue 17), and each answer is remembered with the index, so a queue page
 * showing the same senders again costs nothing. A refresh runs in the background while the previous index keeps answering, so no
 * request waits for it except the first after start. A domain added to a record is thus
 * recognised within a minute; until then it may itself look like another known domain.
 */

export const KNOWN_DOMAINS_TTL_MS = 60_000;

interface Owner {
  customerId: string | null;
  organisationId: string | null;
}

interface KnownDomains {
  loadedAt: number;
  index: LookAlikeIndex;
  owners: ReadonlyMap<string, Owner>;
  /** The sorted domains, joined: whether the index needs building again. */
  signature: string;
}

let cached: KnownDomains | undefined;
let loading: Promise<KnownDomains> | undefined;

async function loadKnownDomains(): Promise<KnownDomains> {
  // An organisation's own domain is preferred as the owner ("used by Northwind Traders").
  const rows = await db.$queryRaw<{ domain: string; customerId: string | null; organisationId: string | null }[]>`
    SELECT DISTINCT ON (k."domain") k."domain", k."customerId", k."organisationId"
      FROM (
        SELECT d."domain" AS "domain", NULL::uuid AS "customerId", d."organisationId", 0 AS "rank"
          FROM "OrganisationDomain" d
        UNION ALL
        SELECT split_part(e."normalized", '@', 2), e."customerId", c."organisationId", 1
          FROM "CustomerEmail" e
          JOIN "Customer" c ON c."id" = e."customerId"
         WHERE c."mergedIntoId" IS NULL AND c."erasedAt" IS NULL
           -- An address an agent typed in and nobody proved yet makes no domain "known": it would
           -- otherwise silence the look-alike warning for the very domain someone asked them to add.
           AND (e."addedByStaffAt" IS NULL OR e."verifiedAt" IS NOT NULL)
      ) k
     WHERE k."domain" <> ''
     ORDER BY k."domain", k."rank"`;
  const owners = new Map<string, Owner>();
  for (const row of rows) {
    const domain = row.domain.trim().toLowerCase();
    if (!isWellKnownProviderDomain(domain) && !owners.has(domain)) owners.set(domain, { customerId: row.customerId, organisationId: row.organisationId });
  }
  // The same domains as last time (the usual case): keep the index instead of building it again.
  const signature = [...owners.keys()].join("\n");
  const index = cached && cached.signature === signature ? cached.index : buildLookAlikeIndex(owners.keys());
  return { loadedAt: Date.now(), index, owners, signature };
}

function reload(): Promise<KnownDomains> {
  loading ??= loadKnownDomains()
    .then((known) => {
      cached = known;
      return known;
    })
    .finally(() => {
      loading = undefined;
    });
  return loading;
}

/** The known domains, at most a minute old (`fresh`: read now, for tests and one-off checks). */
export async function knownDomains(options: { fresh?: boolean } = {}): Promise<KnownDomains> {
  if (options.fresh || !cached) return reload();
  if (Date.now() - cached.loadedAt > KNOWN_DOMAINS_TTL_MS) void reload().catch(() => undefined);
  return cached;
}

export interface LookAlikeSender extends LookAlike {
  /** "one or two letters differ from northwind.example" */
  description: string;
  /** Who the imitated domain belongs to: the organisation's name, else the customer's. */
  usedBy: string | null;
  customerId: string | null;
  organisationId: string | null;
}

/** The domain of an address (after the last "@"), or null. */
function domainOfAddress(address: string | null | undefined): string | null {
  const text = address?.trim() ?? "";
  const at = text.lastIndexOf("@");
  return at > 0 && at < text.length - 1 ? text.slice(at + 1) : null;
}

/**
 * Whether the address's domain imitates a known customer's or organisation's domain, with who
 * uses that domain; null when it does not (or is not an address).
 */
export async function lookAlikeSenderFor(address: string | null | undefined, options: { fresh?: boolean } = {}): Promise<LookAlikeSender | null> {
  const domain = domainOfAddress(address);
  if (!domain) return null;
  const known = await knownDomains(options);
  const found = findLookAlike(domain, known.index);
  if (!found) return null;
  const owner = known.owners.get(found.knownDomain) ?? { customerId: null, organisationId: null };
  const [organisation, customer] = await Promise.all([
    owner.organisationId ? db.organisation.findUnique({ where: { id: owner.organisationId }, select: { name: true } }) : null,
    owner.customerId ? db.customer.findUnique({ where: { id: owner.customerId }, select: { name: true } }) : null,
  ]);
  return {
    ...found,
    description: describeLookAlike(found),
    usedBy: organisation?.name ?? customer?.name ?? null,
    customerId: owner.customerId,
    organisationId: owner.organisationId,
  };
}

/**
 * For a page of tickets (the queue): each address whose domain is a look-alike, with the domain it
 * imitates. Only the per-instance index is read (no query per address).
 */
export async function lookAlikeDomainsOf(addresses: readonly (string | null | undefined)[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const domains = addresses.map((address) => [address, domainOfAddress(address)] as const).filter(([, domain]) => domain !== null);
  if (domains.length === 0) return found;
  const known = await knownDomains();
  for (const [address, domain] of domains) {
    const lookAlike = findLookAlike(domain!, known.index);
    if (lookAlike) found.set(address!, lookAlike.knownDomain);
  }
  return found;
}

/** "Looks like northwind.example, used by Northwind Traders" */
export function lookAlikeHeadline(lookAlike: Pick<LookAlikeSender, "knownDomain" | "usedBy">): string {
  return `Looks like ${lookAlike.knownDomain}${lookAlike.usedBy ? `, used by ${lookAlike.usedBy}` : ""}`;
}
