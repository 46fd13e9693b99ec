import "server-only";
import type { z } from "zod";
import { recordAudit } from "@/platform/audit";
import { auditActorOf, auditViaOf, type RecordWriter } from "@/features/tickets/writer";
import { db, type Prisma, type Role } from "@/platform/db/client";
import { isUniqueViolation } from "@/platform/db/errors";
import { isDisposableDomain } from "@/platform/email-address/disposable-domains";
import { isWellKnownProviderDomain } from "@/platform/email-address/typo-suggestions";
import { DomainError } from "@/platform/errors";
import { domainOfAddress, normalizeOrganisationName } from "@/features/organisations/names";
import type {
  addContactSchema,
  addDomainSchema,
  createOrganisationSchema,
  removeContactSchema,
  removeDomainSchema,
  setCustomerOrganisationSchema,
  updateOrganisationSchema,
} from "@/features/organisations/schemas";

/**
 * Organisations: a company or household with several customers (contacts).
 *
 * Rules (checked here, not only by the action wrapper):
 *  - Every staff member may read organisations; agents create them, edit name, notes and domains,
 *    and add or remove contacts. Their agreements are changed by supervisors and administrators
 *    through features/customers/agreement-changes.ts, as a customer's are.
 *  - Names are unique once trimmed and lower-cased (normalizedName); a clash is a field error.
 *  - A mail domain belongs to one organisation and only SUGGESTS membership (the registration
 *    review shows it as a hint; nothing links a customer by domain alone). A public free-mail
 *    domain (gmail.com, outlook.com…) or a disposable one says nothing about an employer and is
 *    refused.
 *  - An organisation's agreement entitles every contact (features/customers/agreements.ts).
 *  - Every change is audited with ids only (no names, addresses or domains in the details).
 */

type StaffActor = { userId: string; role: Role };

export const ORGANISATION_PAGE_SIZE = 25;

const NAME_TAKEN = "Another organisation already has that name.";

export type OrganisationListItem = { id: string; name: string; contacts: number; domains: string[] };

/** Organisations whose name contains `query` (all when empty), by name, one page at a time. */
export async function listOrganisations(query: string, page: number): Promise<{ items: OrganisationListItem[]; total: number; page: number; pages: number }> {
  const where: Prisma.OrganisationWhereInput = query ? { name: { contains: query, mode: "insensitive" } } : {};
  const total = await db.organisation.count({ where });
  const pages = Math.max(1, Math.ceil(total / ORGANISATION_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const rows = await db.organisation.findMany({
    where,
    orderBy: [{ normalizedName: "asc" }, { id: "asc" }],
    skip: (current - 1) * ORGANISATION_PAGE_SIZE,
    take: ORGANISATION_PAGE_SIZE,
    select: { id: true, name: true, _count: { select: { customers: true } }, domains: { select: { domain: true }, orderBy: { domain: "asc" } } },
  });
  return {
    items: rows.map((row) => ({ id: row.id, name: row.name, contacts: row._count.customers, domains: row.domains.map((domain) => domain.domain) })),
    total,
    page: current,
    pages,
  };
}

/** One organisation with its domains and contacts (by name). */
export async function getOrganisation(organisationId: string) {
  return db.organisation.findUnique({
    where: { id: organisationId },
    select: {
      id: true,
      name: true,
      notes: true,
      createdAt: true,
      domains: { orderBy: { domain: "asc" }, select: { id: true, domain: true } },
      customers: { orderBy: [{ name: "asc" }, { id: "asc" }], select: { id: true, name: true, accountNumber: true } },
    },
  });
}

function nameTaken(error: unknown): never {
  if (isUniqueViolation(error)) throw new DomainError(NAME_TAKEN, "conflict", { name: [NAME_TAKEN] });
  throw error;
}

export async function createOrganisation(input: z.output<typeof createOrganisationSchema>, actor: StaffActor, ip: string | null): Promise<{ id: string }> {
  try {
    return await db.$transaction(async (tx) => {
      const created = await tx.organisation.create({
        data: { name: input.name, normalizedName: normalizeOrganisationName(input.name), notes: input.notes || null },
        select: { id: true },
      });
      await recordAudit({ action: "organisation.created", actor, subjectType: "Organisation", subjectId: created.id, ip }, tx);
      return created;
    });
  } catch (error) {
    nameTaken(error);
  }
}

export async function updateOrganisation(input: z.output<typeof updateOrganisationSchema>, actor: StaffActor, ip: string | null): Promise<{ message: string }> {
  try {
    return await db.$transaction(async (tx) => {
      const current = await tx.organisation.findUnique({ where: { id: input.organisationId }, select: { id: true, name: true, notes: true } });
      if (!current) throw new DomainError("That organisation no longer exists.", "not_found");
      await tx.organisation.update({
        where: { id: current.id },
        data: { name: input.name, normalizedName: normalizeOrganisationName(input.name), notes: input.notes || null },
      });
      await recordAudit(
        {
          action: "organisation.updated",
          actor,
          subjectType: "Organisation",
          subjectId: current.id,
          ip,
          details: { nameChanged: current.name !== input.name, notesChanged: (current.notes ?? "") !== input.notes },
        },
        tx,
      );
      return { message: "Saved." };
    });
  } catch (error) {
    nameTaken(error);
  }
}

/** Why a domain cannot be an organisation's, or null when it can. */
export function domainRefusal(domain: string): string | null {
  if (isWellKnownProviderDomain(domain))
    return `${domain} is a public email provider: anyone can have an address there, so it says nothing about the organisation.`;
  if (isDisposableDomain(domain)) return `${domain} is a disposable (throwaway) email domain: it cannot stand for an organisation.`;
  return null;
}

export async function addDomain(input: z.output<typeof addDomainSchema>, actor: StaffActor, ip: string | null): Promise<{ message: string }> {
  const refusal = domainRefusal(input.domain);
  if (refusal) throw new DomainError(refusal, "invalid", { domain: [refusal] });
  try {
    return await db.$transaction(async (tx) => {
      const organisation = await tx.organisation.findUnique({ where: { id: input.organisationId }, select: { id: true } });
      if (!organisation) throw new DomainError("That organisation no longer exists.", "not_found");
      const created = await tx.organisationDomain.create({ data: { organisationId: organisation.id, domain: input.domain }, select: { id: true } });
      await recordAudit(
        { action: "organisation.domain_added", actor, subjectType: "Organisation", subjectId: organisation.id, ip, details: { domainId: created.id } },
        tx,
      );
      return { message: `Added ${input.domain}. New registrations from it will suggest this organisation (a hint, never proof).` };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      const owner = await db.organisationDomain.findUnique({ where: { domain: input.domain }, select: { organisation: { select: { name: true } } } });
      const message = `${input.domain} already belongs to ${owner?.organisation.name ?? "another organisation"}.`;
      throw new DomainError(message, "conflict", { domain: [message] });
    }
    throw error;
  }
}

export async function removeDomain(input: z.output<typeof removeDomainSchema>, actor: StaffActor, ip: string | null): Promise<{ message: string }> {
  return db.$transaction(async (tx) => {
    const row = await tx.organisationDomain.findUnique({ where: { id: input.domainId }, select: { id: true, domain: true, organisationId: true } });
    if (!row) throw new DomainError("That domain was already removed.", "not_found");
    await tx.organisationDomain.delete({ where: { id: row.id } });
    await recordAudit(
      { action: "organisation.domain_removed", actor, subjectType: "Organisation", subjectId: row.organisationId, ip, details: { domainId: row.id } },
      tx,
    );
    return { message: `Removed ${row.domain}.` };
  });
}

/**
 * Makes a customer a contact of `organisationId`, or of none (null). A customer belongs to one
 * organisation: moving them from another is allowed (the audit says from which). Audited with ids.
 */
export async function setCustomerOrganisation(
  customerId: string,
  organisationId: string | null,
  /** Staff, or a REST API token with customers:write (which may also change agreements). */
  actor: RecordWriter,
  ip: string | null,
  how: "customer_page" | "organisation_page" | "registration_review" | "api",
  tx: Prisma.TransactionClient = db as unknown as Prisma.TransactionClient,
): Promise<{ changed: boolean }> {
  const customer = await tx.customer.findUnique({ where: { id: customerId }, select: { id: true, organisationId: true, mergedIntoId: true, erasedAt: true } });
  if (!customer) throw new DomainError("That customer no longer exists.", "not_found");
  if (customer.mergedIntoId) throw new DomainError("That record was merged into another customer: change the organisation there.", "conflict");
  if (customer.erasedAt) throw new DomainError("That customer was erased.", "conflict");
  if (organisationId && !(await tx.organisation.findUnique({ where: { id: organisationId }, select: { id: true } })))
    throw new DomainError("That organisation no longer exists.", "not_found");
  if (customer.organisationId === organisationId) return { changed: false };
  // Joining or leaving an organisation that holds an agreement changes what the customer is
  // entitled to, and agreements are a supervisor's to give: an agent may not do it this way either.
  const holders = [organisationId, customer.organisationId].filter((id): id is string => id !== null);
  if (actor.role === "agent" && holders.length && (await tx.supportAgreement.count({ where: { organisationId: { in: holders } } })) > 0)
    throw new DomainError(
      "This organisation holds a support agreement, so joining or leaving it changes what the customer is entitled to: ask a supervisor.",
      "forbidden",
    );
  const done = await tx.customer.updateMany({ where: { id: customer.id, organisationId: customer.organisationId }, data: { organisationId } });
  if (done.count !== 1) throw new DomainError("This customer's organisation was changed a moment ago: reload the page and check it.", "conflict");
  await recordAudit(
    {
      action: organisationId ? "organisation.contact_added" : "organisation.contact_removed",
      actor: auditActorOf(actor),
      subjectType: "Customer",
      subjectId: customer.id,
      ip,
      details: { organisationId: organisationId ?? customer.organisationId, previousOrganisationId: customer.organisationId, how, ...auditViaOf(actor) },
    },
    tx,
  );
  return { changed: true };
}

export async function addContact(input: z.output<typeof addContactSchema>, actor: StaffActor, ip: string | null): Promise<{ message: string }> {
  const customer = await db.customer.findFirst({
    where: { accountNumber: { equals: input.accountNumber, mode: "insensitive" } },
    select: { id: true, name: true, organisation: { select: { id: true, name: true } } },
  });
  if (!customer) {
    const message = `No customer has the account number ${input.accountNumber}.`;
    throw new DomainError(message, "not_found", { accountNumber: [message] });
  }
  if (customer.organisation?.id === input.organisationId) {
    const message = `${customer.name} is already a contact of this organisation.`;
    throw new DomainError(message, "conflict", { accountNumber: [message] });
  }
  await db.$transaction((tx) => setCustomerOrganisation(customer.id, input.organisationId, actor, ip, "organisation_page", tx));
  return {
    message: customer.organisation
      ? `${customer.name} moved here from ${customer.organisation.name}.`
      : `${customer.name} is now a contact of this organisation.`,
  };
}

export async function removeContact(input: z.output<typeof removeContactSchema>, actor: StaffActor, ip: string | null): Promise<{ message: string }> {
  const customer = await db.customer.findUnique({ where: { id: input.customerId }, select: { id: true, name: true, organisationId: true } });
  if (!customer || customer.organisationId !== input.organisationId)
    throw new DomainError("That customer is no longer a contact of this organisation.", "conflict");
  await db.$transaction((tx) => setCustomerOrganisation(customer.id, null, actor, ip, "organisation_page", tx));
  return { message: `${customer.name} is no longer a contact of this organisation.` };
}

/** The customer page's control: the organisation by its exact name (case-insensitive), or "" for none. */
export async function setCustomerOrganisationByName(
  input: z.output<typeof setCustomerOrganisationSchema>,
  actor: StaffActor,
  ip: string | null,
): Promise<{ message: string }> {
  if (!input.organisationName) {
    const { changed } = await db.$transaction((tx) => setCustomerOrganisation(input.customerId, null, actor, ip, "customer_page", tx));
    return { message: changed ? "The customer is no longer a contact of any organisation." : "The customer was not in an organisation." };
  }
  const organisation = await db.organisation.findUnique({
    where: { normalizedName: normalizeOrganisationName(input.organisationName) },
    select: { id: true, name: true },
  });
  if (!organisation) {
    const message = `No organisation is called “${input.organisationName}”. Create it under Organisations first.`;
    throw new DomainError(message, "not_found", { organisationName: [message] });
  }
  const { changed } = await db.$transaction((tx) => setCustomerOrganisation(input.customerId, organisation.id, actor, ip, "customer_page", tx));
  return { message: changed ? `The customer is now a contact of ${organisation.name}.` : `The customer already is a contact of ${organisation.name}.` };
}

/**
 * The organisation an address's domain SUGGESTS (OrganisationDomain), or null. A suggestion for a
 * person to accept, never proof: callers show it and link nothing by themselves.
 */
export async function organisationSuggestedFor(address: string): Promise<{ id: string; name: string; domain: string } | null> {
  const domain = domainOfAddress(address);
  if (!domain || isWellKnownProviderDomain(domain)) return null;
  const row = await db.organisationDomain.findUnique({ where: { domain }, select: { organisation: { select: { id: true, name: true } } } });
  return row ? { ...row.organisation, domain } : null;
}

/** Organisation names for the customer page's chooser (a datalist), by name. */
export async function organisationNames(take = 500): Promise<string[]> {
  return (await db.organisation.findMany({ orderBy: { normalizedName: "asc" }, take, select: { name: true } })).map((row) => row.name);
}
