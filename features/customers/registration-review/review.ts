import "server-only";
import { recordAudit } from "@/platform/audit";
import { customerEntitlement, type Entitlement } from "@/features/customers/agreements";
import { normalizeEmail } from "@/platform/email-address/email-address";
import { db, type Prisma, type Role } from "@/platform/db/client";
import { isWellKnownProviderDomain } from "@/platform/email-address/typo-suggestions";
import { organisationSuggestedFor, setCustomerOrganisation } from "@/features/organisations/organisations";

/**
 * The agents' review of verified portal accounts that matched no customer by address
 * (matchStatus=awaiting_match; /console/registrations). An agent links the account to an
 * existing customer, found by account number, name or organisation, or creates a customer from it.
 *
 * What the registrant typed as account number or company (User.accountHint), and the domain of
 * their address, only *suggest* customers: they are shown as hints and never link anything by
 * themselves. Likewise a domain registered to an organisation (OrganisationDomain) only suggests
 * that organisation: the reviewer accepts it (acceptSuggestedOrganisation) or not. Every link and
 * creation is audited. Server only.
 */

export interface ReviewActor {
  userId: string;
  role: Role;
}

export class ReviewError extends Error {
  constructor(
    message: string,
    readonly code: "not_found" | "conflict",
  ) {
    super(message);
    this.name = "ReviewError";
  }
}

const NOT_AWAITING = "This account is no longer waiting for a match: another agent may have linked it. Reload the list.";

/** Verified customer accounts waiting for a match, oldest first (the longest wait at the top). */
const awaitingWhere = { role: "customer", matchStatus: "awaiting_match", emailVerifiedAt: { not: null } } satisfies Prisma.UserWhereInput;

const accountSelect = {
  id: true,
  name: true,
  email: true,
  emailVerifiedAt: true,
  phoneE164: true,
  phoneVerifiedAt: true,
  accountHint: true,
  createdAt: true,
  matchStatus: true,
  customerId: true,
} satisfies Prisma.UserSelect;

export type ReviewAccount = Prisma.UserGetPayload<{ select: typeof accountSelect }>;

export async function listAwaitingAccounts(take = 100): Promise<ReviewAccount[]> {
  return db.user.findMany({ where: awaitingWhere, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take, select: accountSelect });
}

export async function countAwaitingAccounts(): Promise<number> {
  return db.user.count({ where: awaitingWhere });
}

/** A customer account for review: awaiting, or already decided (the page then says so). */
export async function getReviewAccount(userId: string) {
  return db.user.findFirst({
    where: { id: userId, role: "customer", emailVerifiedAt: { not: null } },
    select: { ...accountSelect, customer: { select: { id: true, name: true, accountNumber: true, organisation: { select: { id: true, name: true } } } } },
  });
}

// ───────────────────────────── Finding customers ─────────────────────────────

const customerSelect = {
  id: true,
  accountNumber: true,
  name: true,
  organisation: { select: { name: true } },
  emails: { where: { isPrimary: true }, select: { address: true }, take: 1 },
} satisfies Prisma.CustomerSelect;

export type CustomerCandidate = {
  id: string;
  accountNumber: string;
  name: string;
  organisationName: string | null;
  primaryEmail: string | null;
  entitlement: Entitlement;
};

async function withEntitlement(customers: Prisma.CustomerGetPayload<{ select: typeof customerSelect }>[]): Promise<CustomerCandidate[]> {
  return Promise.all(
    customers.map(async (customer) => ({
      id: customer.id,
      accountNumber: customer.accountNumber,
      name: customer.name,
      organisationName: customer.organisation?.name ?? null,
      primaryEmail: customer.emails[0]?.address ?? null,
      entitlement: await customerEntitlement(customer.id),
    })),
  );
}

export const SEARCH_MAX_LENGTH = 100;

/** Customers whose account number, name or organisation's name contains the query (case-insensitive). */
export async function searchCustomers(query: string, take = 10): Promise<CustomerCandidate[]> {
  const text = query.trim().slice(0, SEARCH_MAX_LENGTH);
  if (text.length < 2) return [];
  const contains = { contains: text, mode: "insensitive" as const };
  const customers = await db.customer.findMany({
    where: { OR: [{ accountNumber: contains }, { name: contains }, { organisation: { name: contains } }], mergedIntoId: null },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take,
    select: customerSelect,
  });
  return withEntitlement(customers);
}

export type SuggestionReason = "account_number_in_hint" | "name_in_hint" | "same_email_domain";

export const SUGGESTION_REASON_TEXT: Record<SuggestionReason, string> = {
  account_number_in_hint: "account number they typed",
  name_in_hint: "company or name they typed",
  same_email_domain: "same email domain",
};

export type CustomerSuggestion = CustomerCandidate & { reasons: SuggestionReason[] };

const ACCOUNT_NUMBER_IN_TEXT = /\b[A-Z]{2,5}-?\d{3,}\b/gi;

/** Words of the hint too common to point at a company. */
const STOP_WORDS = new Set([
  "the",
  "and",
  "for",
  "from",
  "with",
  "ltd",
  "limited",
  "inc",
  "llc",
  "gmbh",
  "pty",
  "company",
  "co",
  "corp",
  "account",
  "acc",
  "clinic",
  "group",
]);

/**
 * Customers the account may belong to, from its hint (account number, company or name) and its
 * email domain (unless it is a public provider such as gmail.com). Hints only: the agent decides.
 */
export async function suggestCustomersFor(account: Pick<ReviewAccount, "accountHint" | "email">, take = 5): Promise<CustomerSuggestion[]> {
  const reasons = new Map<string, Set<SuggestionReason>>();
  const add = (ids: { id: string }[], reason: SuggestionReason) => {
    for (const { id } of ids) {
      if (!reasons.has(id)) reasons.set(id, new Set());
      reasons.get(id)!.add(reason);
    }
  };

  const hint = account.accountHint?.trim() ?? "";
  if (hint) {
    const numbers = [...hint.matchAll(ACCOUNT_NUMBER_IN_TEXT)].map((found) => found[0].toUpperCase());
    const variants = numbers.flatMap((number) => [number, number.replace(/^([A-Z]+)(\d)/, "$1-$2")]);
    if (variants.length > 0) {
      add(
        await db.customer.findMany({ where: { accountNumber: { in: variants, mode: "insensitive" } }, select: { id: true }, take }),
        "account_number_in_hint",
      );
    }
    const words = hint
      .replace(ACCOUNT_NUMBER_IN_TEXT, " ")
      .split(/[^\p{L}\p{N}&'-]+/u)
      .filter((word) => word.length >= 3 && !STOP_WORDS.has(word.toLowerCase()));
    if (words.length > 0) {
      const phrase = words.join(" ");
      const byPhrase = await db.customer.findMany({
        where: { OR: [{ organisation: { name: { contains: phrase, mode: "insensitive" } } }, { name: { contains: phrase, mode: "insensitive" } }] },
        select: { id: true },
        take,
      });
      // No whole phrase: the customers matching the most of its words first (a common word alone must not crowd out the company).
      const byWord =
        byPhrase.length > 0
          ? []
          : (
              await db.customer.findMany({
                where: {
                  OR: words.flatMap((word) => [
                    { organisation: { name: { contains: word, mode: "insensitive" as const } } },
                    { name: { contains: word, mode: "insensitive" as const } },
                  ]),
                },
                select: { id: true, name: true, organisation: { select: { name: true } } },
                take: 200,
              })
            )
              .map((customer) => {
                const text = `${customer.name} ${customer.organisation?.name ?? ""}`.toLowerCase();
                return { id: customer.id, score: words.filter((word) => text.includes(word.toLowerCase())).length };
              })
              .sort((a, b) => b.score - a.score)
              .slice(0, take);
      add([...byPhrase, ...byWord], "name_in_hint");
    }
  }

  const domain = normalizeEmail(account.email).split("@")[1];
  if (domain && !isWellKnownProviderDomain(domain)) {
    const sameDomain = await db.customerEmail.findMany({
      where: { normalized: { endsWith: `@${domain}` } },
      select: { customerId: true },
      distinct: ["customerId"],
      take,
    });
    add(
      sameDomain.map((row) => ({ id: row.customerId })),
      "same_email_domain",
    );
  }

  if (reasons.size === 0) return [];
  const customers = await db.customer.findMany({ where: { id: { in: [...reasons.keys()] }, mergedIntoId: null }, select: customerSelect });
  const candidates = await withEntitlement(customers);
  return candidates
    .map((candidate) => ({ ...candidate, reasons: [...reasons.get(candidate.id)!] }))
    .sort((a, b) => b.reasons.length - a.reasons.length || a.name.localeCompare(b.name))
    .slice(0, take);
}

// ───────────────────────────── Deciding ─────────────────────────────

export interface LinkResult {
  userId: string;
  customerId: string;
  accountNumber: string;
  customerName: string;
  /** The account's address was added to the customer as an alias. */
  aliasAdded: boolean;
}

/**
 * Links an awaiting account to an existing customer and adds its (verified) address to the
 * customer as an alias, so the customer record knows it from now on. Refuses an account that is
 * not waiting (already linked, unverified, not a customer): the update is conditional, so two
 * agents deciding at once cannot both succeed.
 */
export async function linkAccountToCustomer(input: { userId: string; customerId: string; actor: ReviewActor; ip?: string | null }): Promise<LinkResult> {
  return db.$transaction(async (tx) => {
    // FOR SHARE: a merge of this customer (which locks it FOR UPDATE) finishes first or waits for this link.
    await tx.$queryRaw`SELECT "id" FROM "Customer" WHERE "id" = CAST(${input.customerId} AS uuid) FOR SHARE`;
    const customer = await tx.customer.findUnique({
      where: { id: input.customerId },
      select: { id: true, accountNumber: true, name: true, mergedIntoId: true, erasedAt: true },
    });
    if (!customer) throw new ReviewError("That customer does not exist any more. Search again.", "not_found");
    if (customer.mergedIntoId) throw new ReviewError("That customer record was merged into another one. Search again.", "conflict");
    if (customer.erasedAt) throw new ReviewError("That customer was erased: link the account to another record, or create one.", "conflict");
    const account = await tx.user.findFirst({ where: { id: input.userId, ...awaitingWhere }, select: { id: true, email: true, emailVerifiedAt: true } });
    if (!account) throw new ReviewError(NOT_AWAITING, "conflict");

    const linked = await tx.user.updateMany({ where: { id: account.id, ...awaitingWhere }, data: { customerId: customer.id, matchStatus: "matched" } });
    if (linked.count !== 1) throw new ReviewError(NOT_AWAITING, "conflict");

    const normalized = normalizeEmail(account.email);
    const existing = await tx.customerEmail.findUnique({ where: { normalized }, select: { customerId: true } });
    let aliasAdded = false;
    if (!existing) {
      await tx.customerEmail.create({
        data: { customerId: customer.id, address: account.email, normalized, isPrimary: false, verifiedAt: account.emailVerifiedAt },
      });
      aliasAdded = true;
    }
    await recordAudit(
      {
        action: "customer.account_linked",
        actor: input.actor,
        subjectType: "User",
        subjectId: account.id,
        ip: input.ip ?? null,
        details: {
          customerId: customer.id,
          aliasAdded,
          addressOnOtherCustomer: existing ? existing.customerId !== customer.id : false,
        },
      },
      tx,
    );
    return { userId: account.id, customerId: customer.id, accountNumber: customer.accountNumber, customerName: customer.name, aliasAdded };
  });
}

const ACCOUNT_NUMBER_PREFIX = "ACC-";
const FIRST_ACCOUNT_NUMBER = 10001;

/** The next free "ACC-nnnnn"; call inside the transaction that holds the numbering lock. */
async function nextAccountNumber(tx: Prisma.TransactionClient): Promise<string> {
  const rows = await tx.$queryRaw<{ highest: number | null }[]>`
    SELECT max(substring("accountNumber" from 5)::int) AS highest FROM "Customer" WHERE "accountNumber" ~ '^ACC-[0-9]{1,9}$'`;
  const highest = rows[0]?.highest ?? FIRST_ACCOUNT_NUMBER - 1;
  return `${ACCOUNT_NUMBER_PREFIX}${Math.max(highest + 1, FIRST_ACCOUNT_NUMBER)}`;
}

export interface CreateCustomerInput {
  userId: string;
  /** The customer's name (a person or the business); defaults to the account's name. */
  name?: string;
  actor: ReviewActor;
  ip?: string | null;
}

/**
 * Creates a customer from an awaiting account — its verified address becomes the customer's
 * primary address — and links the account to it. The account's mobile number is not copied: it
 * is unproved, and a customer record holds what someone has checked.
 */
export async function createCustomerFromAccount(input: CreateCustomerInput): Promise<LinkResult> {
  return db.$transaction(async (tx) => {
    const account = await tx.user.findFirst({
      where: { id: input.userId, ...awaitingWhere },
      select: { id: true, name: true, email: true, emailVerifiedAt: true },
    });
    if (!account) throw new ReviewError(NOT_AWAITING, "conflict");
    const normalized = normalizeEmail(account.email);
    const owner = await tx.customerEmail.findUnique({ where: { normalized }, select: { customer: { select: { name: true, accountNumber: true } } } });
    if (owner) {
      throw new ReviewError(
        `This address already belongs to ${owner.customer.name} (${owner.customer.accountNumber}): link the account to that customer instead.`,
        "conflict",
      );
    }

    // One numbering at a time across every instance (transaction-scoped advisory lock).
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('customer-account-number', 0))`;
    const accountNumber = await nextAccountNumber(tx);
    const customer = await tx.customer.create({
      data: {
        accountNumber,
        name: input.name?.trim() || account.name,
        emails: { create: { address: account.email, normalized, isPrimary: true, verifiedAt: account.emailVerifiedAt } },
      },
      select: { id: true, accountNumber: true, name: true },
    });
    const linked = await tx.user.updateMany({ where: { id: account.id, ...awaitingWhere }, data: { customerId: customer.id, matchStatus: "matched" } });
    if (linked.count !== 1) throw new ReviewError(NOT_AWAITING, "conflict");

    await recordAudit(
      {
        action: "customer.created_from_registration",
        actor: input.actor,
        subjectType: "Customer",
        subjectId: customer.id,
        ip: input.ip ?? null,
        details: { userId: account.id },
      },
      tx,
    );
    await recordAudit(
      {
        action: "customer.account_linked",
        actor: input.actor,
        subjectType: "User",
        subjectId: account.id,
        ip: input.ip ?? null,
        details: { customerId: customer.id, aliasAdded: false, createdCustomer: true },
      },
      tx,
    );
    return { userId: account.id, customerId: customer.id, accountNumber: customer.accountNumber, customerName: customer.name, aliasAdded: false };
  });
}

// ───────────────────────────── Organisation by domain ─────────────────────────────

/**
 * The organisation the account's email domain suggests (an OrganisationDomain), for the reviewer
 * to accept or ignore: "suggested organisation: X (by domain; not proof)". Links nothing.
 */
export async function suggestedOrganisationFor(account: Pick<ReviewAccount, "email">) {
  return organisationSuggestedFor(account.email);
}

/**
 * The reviewer accepts the domain's suggestion: the customer the account is linked to becomes a
 * contact of the organisation. Only once the account is linked (the reviewer decided who it is),
 * only the organisation the domain suggests now, and never over another organisation the customer
 * already belongs to (change that on the customer's page). Audited with ids.
 */
export async function acceptSuggestedOrganisation(input: { userId: string; organisationId: string; actor: ReviewActor; ip?: string | null }) {
  const account = await db.user.findFirst({
    where: { id: input.userId, role: "customer" },
    select: { email: true, customer: { select: { id: true, name: true, organisationId: true } } },
  });
  if (!account) throw new ReviewError("That account does not exist any more.", "not_found");
  if (!account.customer) throw new ReviewError("Link the account to a customer (or create one) first; then accept the suggested organisation.", "conflict");
  const suggested = await organisationSuggestedFor(account.email);
  if (!suggested || suggested.id !== input.organisationId)
    throw new ReviewError("The account's email domain no longer suggests that organisation. Reload the page.", "conflict");
  if (account.customer.organisationId && account.customer.organisationId !== suggested.id)
    throw new ReviewError(`${account.customer.name} already belongs to another organisation: change it on the customer's page if that is wrong.`, "conflict");
  const customerId = account.customer.id;
  await db.$transaction((tx) => setCustomerOrganisation(customerId, suggested.id, input.actor, input.ip ?? null, "registration_review", tx));
  return { customerName: account.customer.name, organisationName: suggested.name };
}
