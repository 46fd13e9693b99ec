import "server-only";
import type {
  AddCustomerEmailBody,
  AddCustomerPhoneBody,
  ApiAgreement,
  ApiCustomer,
  CreateAgreementBody,
  CreateCustomerBody,
  ListCustomersQuery,
  UpdateAgreementBody,
  UpdateCustomerBody,
} from "@/features/api/schemas";
import { writerOfToken } from "@/features/api/tickets";
import { addAgreement, agreementStateOn, cancelAgreement, customerAgreements, extendAgreement } from "@/features/customers/agreement-changes";
import { addEmail, addPhone, type ContactOutcome, createCustomer, removeEmail, removePhone, updateProfile } from "@/features/customers/contacts/contacts";
import { customerIdentityHistory, customerPortalAccounts } from "@/features/customers/customer-profile";
import { decodeDirectoryCursor, listDirectory } from "@/features/customers/directory";
import { addAgreementSchema, customerDirectorySchema } from "@/features/customers/schemas";
import { setCustomerOrganisation } from "@/features/organisations/organisations";
import type { ApiClient } from "@/platform/auth/api-tokens";
import { db } from "@/platform/db/client";
import { DomainError } from "@/platform/errors";

/**
 * Customers and agreements of the public REST API: the customer page's own services (contact
 * details with their rules, agreements, organisations), with the token as the writer. A record a
 * merge absorbed reads as it is (with `mergedIntoId`, as the customer page shows it with a link to
 * the survivor) and refuses every change with 409, as the page does.
 */

const day = (date: Date) => date.toISOString().slice(0, 10);

/** A refusal of the contact services as a problem: someone else's identifier, a verified one, the primary address: 409 naming the field. */
function orRefuse(outcome: ContactOutcome | { ok: true; id: string }, fieldNames: Record<string, string> = {}): void {
  if (!outcome.ok) throw new DomainError(outcome.message, "conflict", { [fieldNames[outcome.field] ?? outcome.field]: [outcome.message] });
}

export async function listCustomersForApi(query: ListCustomersQuery, now: Date = new Date()) {
  const filter = { ...customerDirectorySchema.parse({}), q: query.q, sort: query.sort, after: query["page[after]"] };
  if (filter.after && !decodeDirectoryCursor(filter.sort, filter.after)) {
    throw new DomainError("This cursor does not belong to this sort order: start again without page[after].", "invalid", {
      "page[after]": ["Not a cursor of this sort order."],
    });
  }
  const page = await listDirectory(filter, { now, pageSize: query["page[size]"] });
  return {
    data: page.rows.map((row) => ({
      id: row.id,
      name: row.name,
      accountNumber: row.accountNumber,
      organisation: row.organisation,
      maskedPrimaryEmail: row.maskedPrimaryEmail,
      agreement: row.agreement,
      erased: row.erased,
      matchedBy: row.matchedBy,
      createdAt: row.createdAt.toISOString(),
    })),
    page: { size: query["page[size]"], next: page.nextCursor },
  };
}

async function agreementsOf(customerId: string, now: Date) {
  const { agreements, entitlement } = await customerAgreements(customerId, now);
  return {
    data: agreements.map(
      (agreement): ApiAgreement => ({
        id: agreement.id,
        reference: agreement.reference,
        tier: agreement.tier,
        startsOn: agreement.startsOn,
        endsOn: agreement.endsOn,
        state: agreement.state,
        cancelledAt: agreement.cancelledAt?.toISOString() ?? null,
        customerId: agreement.organisation ? null : customerId,
        organisationId: agreement.organisation?.id ?? null,
      }),
    ),
    entitlement: { status: entitlement.status, tier: entitlement.tier ?? null, endsOn: entitlement.endsOn ? day(entitlement.endsOn) : null },
  };
}

export async function getCustomerForApi(id: string, now: Date = new Date()): Promise<{ customer: ApiCustomer; version: number }> {
  const row = await db.customer.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      accountNumber: true,
      mergedIntoId: true,
      erasedAt: true,
      createdAt: true,
      version: true,
      organisation: { select: { id: true, name: true } },
      emails: {
        orderBy: [{ isPrimary: "desc" }, { createdAt: "asc" }],
        select: { id: true, address: true, isPrimary: true, verifiedAt: true, deliverability: true },
      },
      phones: { orderBy: { createdAt: "asc" }, select: { id: true, e164: true, kind: true, verifiedAt: true, deliverability: true } },
    },
  });
  if (!row) throw new DomainError("There is no customer with this id.", "not_found");
  const [{ data: agreements, entitlement }, accounts, history] = await Promise.all([
    agreementsOf(id, now),
    customerPortalAccounts(id),
    customerIdentityHistory(id, 1),
  ]);
  const last = history.rows[0];
  const customer: ApiCustomer = {
    id: row.id,
    name: row.erasedAt ? null : row.name,
    accountNumber: row.accountNumber,
    organisation: row.organisation,
    mergedIntoId: row.mergedIntoId,
    erased: row.erasedAt !== null,
    emails: row.emails.map((email) => ({
      id: email.id,
      address: email.address,
      isPrimary: email.isPrimary,
      verified: email.verifiedAt !== null,
      deliverability: email.deliverability,
    })),
    phones: row.phones.map((phone) => ({
      id: phone.id,
      e164: phone.e164,
      kind: phone.kind,
      verified: phone.verifiedAt !== null,
      deliverability: phone.deliverability,
    })),
    agreements,
    entitlement,
    identity: {
      verifiedEmails: row.emails.filter((email) => email.verifiedAt).length,
      verifiedPhones: row.phones.filter((phone) => phone.verifiedAt).length,
      portalAccounts: accounts.map((account) => ({
        emailVerified: account.emailVerified,
        phoneVerified: account.phoneVerified,
        twoFactor: account.twoFactor !== null,
        frozen: account.frozenAt !== null,
        disabled: account.disabledAt !== null,
      })),
      lastCheck: last ? { method: last.method, outcome: last.outcome, at: last.at.toISOString(), expiresAt: last.expiresAt.toISOString() } : null,
    },
    createdAt: row.createdAt.toISOString(),
  };
  return { customer, version: row.version };
}

export async function createCustomerForApi(client: ApiClient, body: CreateCustomerBody, ip: string | null) {
  const writer = writerOfToken(client);
  const outcome = await createCustomer(
    { name: body.name, accountNumber: body.accountNumber, address: body.email, phone: body.phone && { e164: body.phone.e164, kind: body.phone.kind } },
    writer,
    ip,
    body.organisationId
      ? (tx, customerId) => setCustomerOrganisation(customerId, body.organisationId ?? null, writer, ip, "api", tx).then(() => {})
      : undefined,
  ).catch(organisationAsField);
  // The services name the editor's fields; this body calls them email and phone.
  orRefuse(outcome, { address: "email", number: "phone" });
  return getCustomerForApi((outcome as { id: string }).id);
}

/** The organisation is named in the body, not the path: its absence is a field error (422), not a 404. */
function organisationAsField(error: unknown): never {
  if (error instanceof DomainError && error.code === "not_found" && /organisation/i.test(error.message))
    throw new DomainError(error.message, "invalid", { organisationId: [error.message] });
  throw error;
}

/** The customer's row must exist and not be absorbed or erased for a change (the services say so too, inside their locks). */
async function existingCustomer(id: string) {
  const row = await db.customer.findUnique({ where: { id }, select: { name: true, accountNumber: true } });
  if (!row) throw new DomainError("There is no customer with this id.", "not_found");
  return row;
}

export async function updateCustomerForApi(client: ApiClient, id: string, body: UpdateCustomerBody, expectedVersions: readonly number[], ip: string | null) {
  const writer = writerOfToken(client);
  const current = await existingCustomer(id);
  const outcome = await updateProfile(
    { customerId: id, name: body.name ?? current.name, accountNumber: body.accountNumber ?? current.accountNumber },
    writer,
    ip,
    {
      expectedVersions,
      afterChange:
        body.organisationId === undefined ? undefined : (tx) => setCustomerOrganisation(id, body.organisationId ?? null, writer, ip, "api", tx).then(() => {}),
    },
  ).catch(organisationAsField);
  orRefuse(outcome);
  return getCustomerForApi(id);
}

export async function addCustomerEmailForApi(client: ApiClient, id: string, body: AddCustomerEmailBody, ip: string | null) {
  await existingCustomer(id);
  orRefuse(await addEmail({ customerId: id, address: body.address }, writerOfToken(client), ip));
  return getCustomerForApi(id);
}

export async function removeCustomerEmailForApi(client: ApiClient, id: string, emailId: string, ip: string | null) {
  const email = await db.customerEmail.findUnique({ where: { id: emailId }, select: { customerId: true } });
  if (!email || email.customerId !== id) throw new DomainError("This customer has no address with this id.", "not_found");
  orRefuse(await removeEmail({ emailId }, writerOfToken(client), ip));
  return getCustomerForApi(id);
}

export async function addCustomerPhoneForApi(client: ApiClient, id: string, body: AddCustomerPhoneBody, ip: string | null) {
  await existingCustomer(id);
  orRefuse(await addPhone({ customerId: id, country: body.country, number: body.number, kind: body.kind, e164: body.e164 }, writerOfToken(client), ip));
  return getCustomerForApi(id);
}

export async function removeCustomerPhoneForApi(client: ApiClient, id: string, phoneId: string, ip: string | null) {
  const phone = await db.customerPhone.findUnique({ where: { id: phoneId }, select: { customerId: true } });
  if (!phone || phone.customerId !== id) throw new DomainError("This customer has no number with this id.", "not_found");
  orRefuse(await removePhone({ phoneId }, writerOfToken(client), ip));
  return getCustomerForApi(id);
}

// ───────────── Agreements ─────────────

export async function listCustomerAgreementsForApi(id: string, now: Date = new Date()) {
  await existingCustomer(id);
  return agreementsOf(id, now);
}

async function agreementForApi(id: string, now: Date = new Date()): Promise<ApiAgreement> {
  const row = await db.supportAgreement.findUnique({ where: { id } });
  if (!row) throw new DomainError("There is no agreement with this id.", "not_found");
  return {
    id: row.id,
    reference: row.reference,
    tier: row.tier,
    startsOn: day(row.startsOn),
    endsOn: day(row.endsOn),
    state: agreementStateOn(row, now),
    cancelledAt: row.cancelledAt?.toISOString() ?? null,
    customerId: row.customerId,
    organisationId: row.organisationId,
  };
}

export async function createAgreementForApi(client: ApiClient, customerId: string, body: CreateAgreementBody, ip: string | null) {
  const customer = await db.customer.findUnique({ where: { id: customerId }, select: { mergedIntoId: true, erasedAt: true } });
  if (!customer) throw new DomainError("There is no customer with this id.", "not_found");
  if (customer.mergedIntoId) throw new DomainError("This record was merged into another customer: add the agreement there.", "conflict");
  if (customer.erasedAt) throw new DomainError("This customer's record was erased.", "conflict");
  // The agreement form's own schema, for its rules across fields (the last day is never before the first).
  const parsed = addAgreementSchema.safeParse({ customerId, ...body });
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[issue.path.map(String).join(".") || "body"] ??= []).push(issue.message);
    throw new DomainError(parsed.error.issues[0]!.message, "invalid", fieldErrors);
  }
  const { id } = await addAgreement(parsed.data, writerOfToken(client), ip);
  return agreementForApi(id);
}

export async function updateAgreementForApi(client: ApiClient, id: string, body: UpdateAgreementBody, ip: string | null) {
  const writer = writerOfToken(client);
  if (body.status === "cancelled" && body.reason !== undefined) await cancelAgreement({ agreementId: id, reason: body.reason }, writer, ip);
  else if (body.endsOn !== undefined) await extendAgreement({ agreementId: id, endsOn: body.endsOn }, writer, ip);
  return agreementForApi(id);
}
