import "server-only";
import type { z } from "zod";
import { recordAudit } from "@/platform/audit";
import { db, type Deliverability, type PhoneKind, type Prisma, type Role } from "@/platform/db/client";
import { isUniqueViolation } from "@/platform/db/errors";
import { DomainError } from "@/platform/errors";
import { normalizeEmail } from "@/platform/email-address/email-address";
import { maskEmail, maskPhone } from "@/platform/mask";
import { formatPhoneForDisplay } from "@/platform/phone-display";
import { issueChallenge, peekLink, verifyLink } from "@/features/verification/challenges";
import { auditActorOf, auditViaOf, type RecordWriter } from "@/features/tickets/writer";
import type {
  addEmailSchema,
  addPhoneSchema,
  confirmContactSchema,
  correctEmailSchema,
  correctPhoneSchema,
  emailRefSchema,
  phoneRefSchema,
  sendContactVerificationSchema,
  updateProfileSchema,
} from "@/features/customers/contacts/schemas";

/**
 * A customer's contact details as agents edit them (/console/customers/[id]): name, account
 * number, email addresses (exactly one primary, the rest aliases) and phone numbers (E.164).
 *
 * Rules:
 *  - An identifier another customer already holds is refused, naming that customer (with a link
 *    on the page); nothing is ever moved from one customer to another here. Email addresses are
 *    unique in the database (CustomerEmail.normalized); phone numbers are not, so every change
 *    that puts a number on a customer runs under a transaction-scoped advisory lock on the number:
 *    of two agents adding one number to two customers at once, exactly one wins.
 *  - Every change takes the customer's row lock first, so two changes to one customer never
 *    interleave (that is what keeps exactly one primary address).
 *  - A verified address or number is never edited in place: remove it and add the new one (which
 *    starts unverified). An unverified one may be corrected in place (it stays unverified, and its
 *    deliverability starts again from "unknown").
 *  - The primary address is never removed: make another address the primary first. As the only
 *    address it stays until a new one is added and made primary (a customer who has an address
 *    always keeps one to answer).
 *  - "Send a verification request" goes through the one-time-code engine (purpose
 *    contact_verification, bound to the customer and the normalised target): an email with a
 *    link (24 h) and a code (10 min), or an SMS with a code and a short link (10 min). The
 *    customer confirms on /verify/contact; the address or number then gets verifiedAt.
 *  - Every change is audited with subjectType "customer" and the customer's id; details hold ids
 *    and field names, never the values, so erasing the customer leaves no PII in the audit log.
 */

/** An agent (an Actor fits) or a REST API token (features/api/customers.ts): the same rules for both. */
type StaffActor = RecordWriter;
type Tx = Prisma.TransactionClient;

export const SUBJECT_TYPE = "customer";

/** Another customer who holds an identifier: enough to name them and link to them. */
export type Holder = { id: string; name: string; accountNumber: string };
export type ContactOutcome = { ok: true; message: string } | { ok: false; field: string; message: string; holder?: Holder };

export type EmailView = { id: string; address: string; isPrimary: boolean; verifiedAt: Date | null; deliverability: Deliverability };
export type PhoneView = {
  id: string;
  e164: string;
  display: string;
  kind: PhoneKind;
  verifiedAt: Date | null;
  deliverability: Deliverability;
};
export type ContactDetails = { id: string; name: string; accountNumber: string; emails: EmailView[]; phones: PhoneView[] };

/** What the editor shows: every address (primary first) and number, with their states. */
export async function loadContactDetails(customerId: string): Promise<ContactDetails | null> {
  const customer = await db.customer.findUnique({
    where: { id: customerId },
    select: {
      id: true,
      name: true,
      accountNumber: true,
      emails: {
        orderBy: [{ isPrimary: "desc" }, { createdAt: "asc" }],
        select: { id: true, address: true, isPrimary: true, verifiedAt: true, deliverability: true },
      },
      phones: { orderBy: { createdAt: "asc" }, select: { id: true, e164: true, kind: true, verifiedAt: true, deliverability: true } },
    },
  });
  if (!customer) return null;
  return { ...customer, phones: customer.phones.map((phone) => ({ ...phone, display: formatPhoneForDisplay(phone.e164) })) };
}

// ───────────────────────────── Shared steps ─────────────────────────────

const GONE = "That customer no longer exists.";

/** Takes the customer's row lock for the rest of the transaction; refuses merged or erased records. */
async function lockCustomer(tx: Tx, customerId: string): Promise<void> {
  const rows = await tx.$queryRaw<{ mergedIntoId: string | null; erasedAt: Date | null }[]>`
    SELECT "mergedIntoId", "erasedAt" FROM "Customer" WHERE "id" = ${customerId}::uuid FOR UPDATE`;
  const row = rows[0];
  if (!row) throw new DomainError(GONE, "not_found");
  if (row.erasedAt) throw new DomainError("This customer's record was erased: its contact details cannot be changed.", "conflict");
  if (row.mergedIntoId) throw new DomainError("This record was merged into another customer: change the contact details there.", "conflict");
}

async function holderOf(tx: Tx, customerId: string): Promise<Holder> {
  return tx.customer.findUniqueOrThrow({ where: { id: customerId }, select: { id: true, name: true, accountNumber: true } });
}

const heldBy = (what: string, holder: Holder) =>
  `${what} already belongs to ${holder.name} (account ${holder.accountNumber}). Nothing was moved: change it on that customer's record if it is wrong there.`;

function audit(tx: Tx, action: string, customerId: string, actor: StaffActor | null, ip: string | null, details: Prisma.InputJsonObject) {
  return recordAudit(
    {
      action,
      actor: actor && auditActorOf(actor),
      subjectType: SUBJECT_TYPE,
      subjectId: customerId,
      ip,
      details: { ...details, ...(actor && auditViaOf(actor)) },
    },
    tx,
  );
}

/** Serialises every change that puts `e164` on a customer, across customers and instances. */
async function lockPhoneNumber(tx: Tx, e164: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`customer-phone:${e164}`}, 0))`;
}

/** Old codes sent to a target that is no longer on the record die with the change. */
async function retireChallenges(tx: Tx, customerId: string, target: string, now: Date) {
  await tx.verificationChallenge.updateMany({
    where: { purpose: "contact_verification", customerId, target, consumedAt: null, invalidatedAt: null },
    data: { invalidatedAt: now },
  });
}

// ───────────────────────────── Name and account number ─────────────────────────────

/** A PATCH through the REST API named a version of the customer that is no longer current (412). */
export class StaleCustomerVersionError extends DomainError {
  constructor(readonly current: number) {
    super("This customer changed since you read it. Read it again and repeat your change on what it is now.", "conflict");
    this.name = "StaleCustomerVersionError";
  }
}

export type ProfileOptions = {
  /** Only when the customer's row is at one of these versions (If-Match), checked under its row lock. */
  expectedVersions?: readonly number[];
  /** Runs in the same transaction after the change (or after finding nothing to change): commits with it or not at all. */
  afterChange?: (tx: Tx) => Promise<void>;
};

export async function updateProfile(
  input: z.output<typeof updateProfileSchema>,
  actor: StaffActor,
  ip: string | null,
  options: ProfileOptions = {},
): Promise<ContactOutcome> {
  try {
    return await db.$transaction(async (tx): Promise<ContactOutcome> => {
      await lockCustomer(tx, input.customerId);
      const current = await tx.customer.findUniqueOrThrow({ where: { id: input.customerId }, select: { name: true, accountNumber: true, version: true } });
      if (options.expectedVersions && !options.expectedVersions.includes(current.version)) throw new StaleCustomerVersionError(current.version);
      const holder = await tx.customer.findUnique({ where: { accountNumber: input.accountNumber }, select: { id: true, name: true, accountNumber: true } });
      if (holder && holder.id !== input.customerId) return { ok: false, field: "accountNumber", message: heldBy("That account number", holder), holder };
      const fields = [current.name !== input.name ? "name" : null, current.accountNumber !== input.accountNumber ? "accountNumber" : null].filter(
        (field): field is string => field !== null,
      );
      if (fields.length === 0) {
        await options.afterChange?.(tx);
        return { ok: true, message: "Nothing changed." };
      }
      await tx.customer.update({ where: { id: input.customerId }, data: { name: input.name, accountNumber: input.accountNumber } });
      await audit(tx, "customer.profile_changed", input.customerId, actor, ip, { fields });
      await options.afterChange?.(tx);
      return { ok: true, message: "Name and account number saved." };
    });
  } catch (error) {
    // Taken between the check and the write by a concurrent change.
    if (!isUniqueViolation(error)) throw error;
    const holder = await db.customer.findUnique({ where: { accountNumber: input.accountNumber }, select: { id: true, name: true, accountNumber: true } });
    if (!holder) throw error;
    return { ok: false, field: "accountNumber", message: heldBy("That account number", holder), holder };
  }
}

/**
 * A new customer record (the REST API's POST /customers): a name and a unique account number, and
 * optionally a first address (the primary) and a first number, under the same rules as adding them
 * on the customer's page (an identifier another customer holds is refused, naming them; both start
 * unverified). All or nothing: a refusal creates no customer. `afterCreate` runs in the same
 * transaction (joining an organisation).
 */
export async function createCustomer(
  input: {
    name: z.output<typeof updateProfileSchema>["name"];
    accountNumber: z.output<typeof updateProfileSchema>["accountNumber"];
    address?: z.output<typeof addEmailSchema>["address"];
    phone?: { e164: string; kind: PhoneKind };
  },
  actor: StaffActor,
  ip: string | null,
  afterCreate?: (tx: Tx, customerId: string) => Promise<void>,
): Promise<{ ok: true; id: string } | Extract<ContactOutcome, { ok: false }>> {
  const normalized = input.address === undefined ? null : normalizeEmail(input.address);
  class Refused extends Error {
    constructor(readonly outcome: Extract<ContactOutcome, { ok: false }>) {
      super(outcome.message);
    }
  }
  const refuse = (outcome: ContactOutcome | null) => {
    if (outcome && !outcome.ok) throw new Refused(outcome);
  };
  const accountRefusal = async (reader: Pick<Tx, "customer">) => {
    const holder = await reader.customer.findUnique({ where: { accountNumber: input.accountNumber }, select: { id: true, name: true, accountNumber: true } });
    return holder ? ({ ok: false, field: "accountNumber", message: heldBy("That account number", holder), holder } as const) : null;
  };
  try {
    return await db.$transaction(async (tx) => {
      refuse(await accountRefusal(tx));
      const created = await tx.customer.create({ data: { name: input.name, accountNumber: input.accountNumber }, select: { id: true } });
      await audit(tx, "customer.created", created.id, actor, ip, { fields: ["name", "accountNumber"] });
      if (input.address !== undefined && normalized !== null) {
        refuse(await emailRefusal(tx, created.id, normalized));
        const email = await tx.customerEmail.create({
          data: { customerId: created.id, address: input.address, normalized, isPrimary: true, addedByStaffAt: new Date() },
        });
        await audit(tx, "customer.email_added", created.id, actor, ip, { customerEmailId: email.id, isPrimary: true });
      }
      if (input.phone) {
        await lockPhoneNumber(tx, input.phone.e164);
        refuse(await phoneRefusal(tx, created.id, input.phone.e164));
        const phone = await tx.customerPhone.create({ data: { customerId: created.id, e164: input.phone.e164, kind: input.phone.kind } });
        await audit(tx, "customer.phone_added", created.id, actor, ip, { customerPhoneId: phone.id, kind: input.phone.kind });
      }
      await afterCreate?.(tx, created.id);
      return { ok: true as const, id: created.id };
    });
  } catch (error) {
    if (error instanceof Refused) return error.outcome;
    // Taken between the check and the write by a concurrent change: refused the same way.
    if (!isUniqueViolation(error)) throw error;
    const refusal =
      (await accountRefusal(db)) ??
      (normalized === null ? null : await db.$transaction((tx) => emailRefusal(tx, "00000000-0000-0000-0000-000000000000", normalized)));
    if (!refusal || refusal.ok) throw error;
    return refusal;
  }
}

// ───────────────────────────── Email addresses ─────────────────────────────

/** Who already has this address, or a refusal when it is this customer's own. */
async function emailRefusal(tx: Tx, customerId: string, normalized: string, exceptId?: string): Promise<ContactOutcome | null> {
  const existing = await tx.customerEmail.findUnique({ where: { normalized }, select: { id: true, customerId: true } });
  if (!existing || existing.id === exceptId) return null;
  if (existing.customerId === customerId) return { ok: false, field: "address", message: "This customer already has that address." };
  const holder = await holderOf(tx, existing.customerId);
  return { ok: false, field: "address", message: heldBy("That address", holder), holder };
}

/** A unique violation lost to a concurrent insert: refuse it the same way, naming the holder. */
async function afterEmailRace(error: unknown, customerId: string, normalized: string): Promise<ContactOutcome> {
  if (!isUniqueViolation(error)) throw error;
  const refusal = await db.$transaction((tx) => emailRefusal(tx, customerId, normalized));
  if (!refusal) throw error;
  return refusal;
}

/** Adds an address: the first becomes the primary, later ones are aliases. Starts unverified. */
export async function addEmail(input: z.output<typeof addEmailSchema>, actor: StaffActor, ip: string | null): Promise<ContactOutcome> {
  const normalized = normalizeEmail(input.address);
  try {
    return await db.$transaction(async (tx): Promise<ContactOutcome> => {
      await lockCustomer(tx, input.customerId);
      const refusal = await emailRefusal(tx, input.customerId, normalized);
      if (refusal) return refusal;
      const isPrimary = (await tx.customerEmail.count({ where: { customerId: input.customerId } })) === 0;
      const created = await tx.customerEmail.create({
        data: { customerId: input.customerId, address: input.address, normalized, isPrimary, addedByStaffAt: new Date() },
      });
      await audit(tx, "customer.email_added", input.customerId, actor, ip, { customerEmailId: created.id, isPrimary });
      return { ok: true, message: isPrimary ? "Address added as the primary address." : "Address added as an alias." };
    });
  } catch (error) {
    return afterEmailRace(error, input.customerId, normalized);
  }
}

async function emailOf(tx: Tx, emailId: string) {
  const email = await tx.customerEmail.findUnique({
    where: { id: emailId },
    select: { id: true, customerId: true, normalized: true, isPrimary: true, verifiedAt: true },
  });
  if (!email) throw new DomainError("That address is no longer on the record.", "not_found");
  await lockCustomer(tx, email.customerId);
  // Re-read under the customer's lock: this is the state every change below works from.
  return tx.customerEmail.findUniqueOrThrow({
    where: { id: emailId },
    select: { id: true, customerId: true, normalized: true, isPrimary: true, verifiedAt: true },
  });
}

const VERIFIED_EMAIL = "A verified address cannot be changed: remove it and add the new address (it will need verifying again).";

/** Corrects an unverified address in place (a typo). A verified one is refused. */
/**
 * How a correction another flow makes differs from an agent's (features/data-quality/cleansing/):
 * `unverifyReason` lets it correct a verified address, which then becomes unverified with that
 * reason in the audit trail (it can be verified again); `afterChange` runs in the same
 * transaction once the change is made, so the caller's own bookkeeping commits with it or not at all.
 */
export type CorrectionOptions = { unverifyReason?: string; afterChange?: (tx: Tx) => Promise<void> };

export async function correctEmail(
  input: z.output<typeof correctEmailSchema>,
  actor: StaffActor,
  ip: string | null,
  now: Date = new Date(),
  options: CorrectionOptions = {},
): Promise<ContactOutcome> {
  const normalized = normalizeEmail(input.address);
  let customerId = "";
  try {
    return await db.$transaction(async (tx): Promise<ContactOutcome> => {
      const email = await emailOf(tx, input.emailId);
      customerId = email.customerId;
      if (email.verifiedAt && !options.unverifyReason) return { ok: false, field: "address", message: VERIFIED_EMAIL };
      const refusal = await emailRefusal(tx, email.customerId, normalized, email.id);
      if (refusal) return refusal;
      await tx.customerEmail.update({
        where: { id: email.id },
        data: {
          address: input.address,
          normalized,
          deliverability: "unknown",
          bounceCount: 0,
          lastBouncedAt: null,
          addedByStaffAt: now,
          ...(email.verifiedAt ? { verifiedAt: null } : {}),
        },
      });
      if (email.normalized !== normalized) await retireChallenges(tx, email.customerId, email.normalized, now);
      await audit(tx, "customer.email_corrected", email.customerId, actor, ip, { customerEmailId: email.id, fields: ["address"] });
      if (email.verifiedAt && options.unverifyReason) {
        await audit(tx, "customer.contact_unverified", email.customerId, actor, ip, { customerEmailId: email.id, reason: options.unverifyReason });
      }
      await options.afterChange?.(tx);
      return {
        ok: true,
        message: email.verifiedAt ? "Address corrected. It was verified: it is now unverified until the customer confirms it again." : "Address corrected.",
      };
    });
  } catch (error) {
    if (!customerId) throw error;
    return afterEmailRace(error, customerId, normalized);
  }
}

/** Removes an alias. The primary address is never removed: another address must become the primary first. */
export async function removeEmail(
  input: z.output<typeof emailRefSchema>,
  actor: StaffActor,
  ip: string | null,
  now: Date = new Date(),
): Promise<ContactOutcome> {
  return db.$transaction(async (tx): Promise<ContactOutcome> => {
    const email = await emailOf(tx, input.emailId);
    if (email.isPrimary) {
      const others = await tx.customerEmail.count({ where: { customerId: email.customerId, id: { not: email.id } } });
      return {
        ok: false,
        field: "emailId",
        message: others
          ? "The primary address cannot be removed: make another address the primary first."
          : "The only address cannot be removed: add the new address, make it the primary, then remove this one.",
      };
    }
    await tx.customerEmail.delete({ where: { id: email.id } });
    await retireChallenges(tx, email.customerId, email.normalized, now);
    await audit(tx, "customer.email_removed", email.customerId, actor, ip, { customerEmailId: email.id, wasVerified: email.verifiedAt !== null });
    return { ok: true, message: "Address removed." };
  });
}

/** Makes an alias the primary address; the previous primary becomes an alias. Exactly one primary always. */
export async function makePrimaryEmail(input: z.output<typeof emailRefSchema>, actor: StaffActor, ip: string | null): Promise<ContactOutcome> {
  return db.$transaction(async (tx): Promise<ContactOutcome> => {
    const email = await emailOf(tx, input.emailId);
    if (email.isPrimary) return { ok: true, message: "That address is already the primary one." };
    const previous = await tx.customerEmail.findMany({ where: { customerId: email.customerId, isPrimary: true }, select: { id: true } });
    await tx.customerEmail.updateMany({ where: { customerId: email.customerId, isPrimary: true }, data: { isPrimary: false } });
    await tx.customerEmail.update({ where: { id: email.id }, data: { isPrimary: true } });
    await audit(tx, "customer.primary_email_changed", email.customerId, actor, ip, {
      customerEmailId: email.id,
      previousPrimaryEmailIds: previous.map((row) => row.id),
    });
    return { ok: true, message: "Primary address changed. Replies and notices now go to it." };
  });
}

// ───────────────────────────── Phone numbers ─────────────────────────────

/** Whether another customer (or this one) already has the number. Call it holding lockPhoneNumber(e164). */
async function phoneRefusal(tx: Tx, customerId: string, e164: string, exceptId?: string): Promise<ContactOutcome | null> {
  const existing = await tx.customerPhone.findMany({
    where: { e164, ...(exceptId ? { id: { not: exceptId } } : {}) },
    orderBy: { createdAt: "asc" },
    select: { customerId: true },
  });
  if (existing.some((row) => row.customerId === customerId)) return { ok: false, field: "number", message: "This customer already has that number." };
  const other = existing[0];
  if (!other) return null;
  const holder = await holderOf(tx, other.customerId);
  return { ok: false, field: "number", message: heldBy("That number", holder), holder };
}

export async function addPhone(input: z.output<typeof addPhoneSchema>, actor: StaffActor, ip: string | null): Promise<ContactOutcome> {
  return db.$transaction(async (tx): Promise<ContactOutcome> => {
    await lockCustomer(tx, input.customerId);
    await lockPhoneNumber(tx, input.e164);
    const refusal = await phoneRefusal(tx, input.customerId, input.e164);
    if (refusal) return refusal;
    const created = await tx.customerPhone.create({ data: { customerId: input.customerId, e164: input.e164, kind: input.kind } });
    await audit(tx, "customer.phone_added", input.customerId, actor, ip, { customerPhoneId: created.id, kind: input.kind });
    return { ok: true, message: `Number added as ${formatPhoneForDisplay(input.e164)}.` };
  });
}

async function phoneOf(tx: Tx, phoneId: string) {
  const phone = await tx.customerPhone.findUnique({ where: { id: phoneId }, select: { customerId: true } });
  if (!phone) throw new DomainError("That number is no longer on the record.", "not_found");
  await lockCustomer(tx, phone.customerId);
  return tx.customerPhone.findUniqueOrThrow({ where: { id: phoneId }, select: { id: true, customerId: true, e164: true, kind: true, verifiedAt: true } });
}

/**
 * Corrects an unverified number (its digits or its kind) in place. A verified number keeps its
 * digits (remove it and add the new one); only its kind may still be corrected.
 */
export async function correctPhone(
  input: Pick<z.output<typeof correctPhoneSchema>, "phoneId" | "e164" | "kind">,
  actor: StaffActor,
  ip: string | null,
  now: Date = new Date(),
  options: Pick<CorrectionOptions, "afterChange"> = {},
): Promise<ContactOutcome> {
  return db.$transaction(async (tx): Promise<ContactOutcome> => {
    const phone = await phoneOf(tx, input.phoneId);
    const numberChanged = phone.e164 !== input.e164;
    if (numberChanged && phone.verifiedAt) {
      return { ok: false, field: "number", message: "A verified number cannot be changed: remove it and add the new number (it will need verifying again)." };
    }
    if (numberChanged) {
      await lockPhoneNumber(tx, input.e164);
      const refusal = await phoneRefusal(tx, phone.customerId, input.e164, phone.id);
      if (refusal) return refusal;
    }
    const fields = [numberChanged ? "e164" : null, phone.kind !== input.kind ? "kind" : null].filter((field): field is string => field !== null);
    if (fields.length === 0) return { ok: true, message: "Nothing changed." };
    await tx.customerPhone.update({
      where: { id: phone.id },
      data: { e164: input.e164, kind: input.kind, ...(numberChanged ? { deliverability: "unknown" as const } : {}) },
    });
    if (numberChanged) await retireChallenges(tx, phone.customerId, phone.e164, now);
    await audit(tx, "customer.phone_corrected", phone.customerId, actor, ip, { customerPhoneId: phone.id, fields });
    await options.afterChange?.(tx);
    return { ok: true, message: "Number corrected." };
  });
}

export async function removePhone(
  input: z.output<typeof phoneRefSchema>,
  actor: StaffActor,
  ip: string | null,
  now: Date = new Date(),
): Promise<ContactOutcome> {
  return db.$transaction(async (tx): Promise<ContactOutcome> => {
    const phone = await phoneOf(tx, input.phoneId);
    await tx.customerPhone.delete({ where: { id: phone.id } });
    await retireChallenges(tx, phone.customerId, phone.e164, now);
    await audit(tx, "customer.phone_removed", phone.customerId, actor, ip, { customerPhoneId: phone.id, wasVerified: phone.verifiedAt !== null });
    return { ok: true, message: "Number removed." };
  });
}

// ───────────────────────────── Verification requests ─────────────────────────────

/**
 * Sends the customer a code and a link to confirm one unverified address (email) or mobile number
 * (SMS). Cooldowns, caps and tries are the engine's; a refusal is a DomainError "rate_limited"
 * with the time it may be asked again.
 */
export async function sendContactVerification(
  input: z.output<typeof sendContactVerificationSchema>,
  actor: { userId: string; role: Role },
  ip: string,
  /** `reverify`: a re-verification campaign asks a verified contact to prove it again (features/data-quality/campaigns/). */
  options: { reverify?: boolean } = {},
): Promise<{ message: string; resendAvailableAt: string }> {
  const target =
    input.kind === "email"
      ? await db.customerEmail.findUnique({ where: { id: input.id }, select: { customerId: true, normalized: true, verifiedAt: true } })
      : await db.customerPhone.findUnique({ where: { id: input.id }, select: { customerId: true, e164: true, kind: true, verifiedAt: true } });
  if (!target)
    throw new DomainError(input.kind === "email" ? "That address is no longer on the record." : "That number is no longer on the record.", "not_found");
  if (target.verifiedAt && !options.reverify)
    throw new DomainError(input.kind === "email" ? "That address is already verified." : "That number is already verified.", "conflict");
  if ("kind" in target && target.kind !== "mobile") {
    throw new DomainError("Only a mobile number can receive the text with the code. Correct its kind if it is a mobile.", "invalid");
  }
  const to = "normalized" in target ? target.normalized : target.e164;
  const result = await issueChallenge({
    purpose: "contact_verification",
    channel: input.kind === "email" ? "email" : "sms",
    target: to,
    customerId: target.customerId,
    requestIp: ip,
    withLink: true,
    actor,
  });
  if (!result.ok) throw new DomainError(result.message, "rate_limited", undefined, result.availableAt?.toISOString());
  await recordAudit({
    action: "customer.contact_verification_sent",
    actor,
    subjectType: SUBJECT_TYPE,
    subjectId: target.customerId,
    ip,
    details: { [input.kind === "email" ? "customerEmailId" : "customerPhoneId"]: input.id, challengeId: result.challengeId },
  });
  return {
    message: `Verification request sent to ${input.kind === "email" ? maskEmail(to) : maskPhone(to)}. It works for ${input.kind === "email" ? "24 hours" : "10 minutes"}.`,
    resendAvailableAt: result.resendAvailableAt.toISOString(),
  };
}

/** Thrown inside the engine's transaction when the target left the record: nothing is consumed. */
class ContactGoneError extends Error {}

export type ConfirmContactResult = { ok: true; channel: "email" | "sms" } | { ok: false; message: string };

/** What the confirmation page may show before anything is consumed (its GET). */
export async function peekContactLink(token: string) {
  return peekLink(token, new Date(), "contact_verification");
}

/**
 * The customer's confirmation (the page's POST): consumes the link (with the code from its
 * #fragment when there is one) and marks the address or number verified, in the engine's
 * transaction. Bound to the challenge's purpose, target and customer: an address corrected or
 * removed since the request is not verified.
 */
export async function confirmContact(input: z.output<typeof confirmContactSchema>, ip: string, now: Date = new Date()): Promise<ConfirmContactResult> {
  try {
    const result = await verifyLink({
      token: input.token,
      ...(input.code ? { code: input.code } : {}),
      purpose: "contact_verification",
      requestIp: ip,
      now,
      onVerified: async (tx, challenge) => {
        if (!challenge.customerId) throw new ContactGoneError();
        await lockCustomer(tx, challenge.customerId).catch(() => {
          throw new ContactGoneError();
        });
        const where = { customerId: challenge.customerId };
        const row =
          challenge.channel === "email"
            ? await tx.customerEmail.findFirst({ where: { ...where, normalized: challenge.target }, select: { id: true, verifiedAt: true } })
            : await tx.customerPhone.findFirst({ where: { ...where, e164: challenge.target }, select: { id: true, verifiedAt: true } });
        if (!row) throw new ContactGoneError();
        // A fresh proof (a re-verification request to a verified contact) renews the date; an older one never moves it back.
        if (!row.verifiedAt || row.verifiedAt < challenge.createdAt) {
          if (challenge.channel === "email") await tx.customerEmail.update({ where: { id: row.id }, data: { verifiedAt: now } });
          else await tx.customerPhone.update({ where: { id: row.id }, data: { verifiedAt: now } });
        }
        // Re-verification campaigns count it (features/data-quality/campaigns/): every campaign that asked this contact.
        await tx.verificationCampaignTarget.updateMany({
          where: { ...(challenge.channel === "email" ? { emailId: row.id } : { phoneId: row.id }), status: "sent" },
          data: { status: "verified", verifiedAt: now },
        });
        await audit(tx, "customer.contact_verified", challenge.customerId, null, ip, {
          [challenge.channel === "email" ? "customerEmailId" : "customerPhoneId"]: row.id,
          challengeId: challenge.id,
        });
      },
    });
    if (result.ok) return { ok: true, channel: result.challenge.channel === "email" ? "email" : "sms" };
    return { ok: false, message: result.message };
  } catch (error) {
    if (error instanceof ContactGoneError) return { ok: false, message: "This address or number is no longer on our records, so there is nothing to confirm." };
    throw error;
  }
}
