/**
 * Support agreements changed by supervisors and administrators on a customer's page
 * (/console/customers/[id]) or an organisation's (/console/organisations/[id]; an organisation's
 * agreement entitles every contact): add one, extend its last day, or cancel it with a written reason.
 *
 * Rules (checked here, not only by the action wrapper):
 *  - Only supervisors and administrators change agreements; every staff member may read them.
 *  - An agreement covers [startsOn, endsOn], both calendar days; the last day is never before the
 *    first. References are unique (the database says so; a clash is a clear field error).
 *  - Extending moves the last day later, never earlier; a cancelled agreement is not extended
 *    (add a new one). Cancelling takes effect from today (features/customers/agreements.ts) and happens
 *    once: a second cancel is told when the first one was; an agreement that has already ended
 *    has nothing left to cancel.
 *  - Each change is one conditional UPDATE in a transaction with its audit event
 *    (agreement.created / .extended / .cancelled) carrying the before and after dates, tier and
 *    state as flat keys (…Before / …After, readable in the audit table), never personal data. The cancellation reason lives in that audit event (the agreement
 *    row has no column for it) and is read back from there for the page.
 *  - The SLA scope of a ticket is fixed when it is opened (features/sla/policies.ts applySlaToTicket):
 *    a change here applies to new tickets only; open tickets keep their due times.
 */
import type { z } from "zod";
import { recordAudit } from "@/platform/audit";
import { DomainError } from "@/platform/errors";
import { mayEnter } from "@/platform/auth/policy";
import { agreementsEntitlingWhere, type Entitlement, entitlementOf, isAgreementValid } from "@/features/customers/agreements";
import type { addAgreementSchema, cancelAgreementSchema, extendAgreementSchema } from "@/features/customers/schemas";
import { db, type Prisma } from "@/platform/db/client";
import { isUniqueViolation } from "@/platform/db/errors";
import type { AgreementTier } from "@/platform/db/generated/prisma/enums";
import { auditActorOf, auditViaOf, type RecordWriter } from "@/features/tickets/writer";

/** A supervisor or administrator, or a REST API token with customers:write (apiRoute checked its scope). */
type StaffActor = RecordWriter;

/** What an agreement is on a given day, for the page and the audit details. */
export type AgreementState = "valid" | "not_started" | "expired" | "cancelled";

export type AgreementView = {
  id: string;
  reference: string;
  tier: AgreementTier;
  /** YYYY-MM-DD */
  startsOn: string;
  endsOn: string;
  state: AgreementState;
  cancelledAt: Date | null;
  /** From the agreement.cancelled audit event; null for cancellations recorded before this feature. */
  cancelReason: string | null;
  /** Set when the organisation holds it (it entitles every contact); null for the customer's own. */
  organisation: { id: string; name: string } | null;
};

const DAY_MS = 86_400_000;
const dayText = (date: Date) => date.toISOString().slice(0, 10);
const dayDate = (day: string) => new Date(`${day}T00:00:00Z`);

export function agreementStateOn(agreement: { tier: AgreementTier; startsOn: Date; endsOn: Date; cancelledAt: Date | null }, today: Date): AgreementState {
  if (agreement.cancelledAt) return "cancelled";
  if (isAgreementValid(agreement, today)) return "valid";
  return Math.floor(agreement.startsOn.getTime() / DAY_MS) > Math.floor(today.getTime() / DAY_MS) ? "not_started" : "expired";
}

function assertMayChange(actor: StaffActor) {
  if (actor.apiTokenId && actor.userId === null) return;
  if (!actor.role || !mayEnter(actor.role, "supervisor"))
    throw new DomainError("Only a supervisor or an administrator can change support agreements.", "forbidden");
}

/** A customer's agreements, their own and their organisation's (latest-ending first), and their entitlement today. */
export async function customerAgreements(customerId: string, today: Date = new Date()): Promise<{ agreements: AgreementView[]; entitlement: Entitlement }> {
  return agreementsWhere(agreementsEntitlingWhere(customerId), today);
}

/** An organisation's agreements (latest-ending first) and the entitlement they give each contact today. */
export async function organisationAgreements(
  organisationId: string,
  today: Date = new Date(),
): Promise<{ agreements: AgreementView[]; entitlement: Entitlement }> {
  return agreementsWhere({ organisationId }, today);
}

async function agreementsWhere(where: Prisma.SupportAgreementWhereInput, today: Date): Promise<{ agreements: AgreementView[]; entitlement: Entitlement }> {
  const rows = await db.supportAgreement.findMany({
    where,
    orderBy: [{ endsOn: "desc" }, { startsOn: "desc" }, { reference: "asc" }],
    select: {
      id: true,
      reference: true,
      tier: true,
      startsOn: true,
      endsOn: true,
      cancelledAt: true,
      organisation: { select: { id: true, name: true } },
    },
  });
  const cancelled = rows.filter((row) => row.cancelledAt).map((row) => row.id);
  const events = cancelled.length
    ? await db.auditEvent.findMany({
        where: { action: "agreement.cancelled", subjectType: "SupportAgreement", subjectId: { in: cancelled } },
        orderBy: { id: "desc" },
        select: { subjectId: true, details: true },
      })
    : [];
  const reasonOf = new Map<string, string>();
  for (const event of events) {
    const reason = (event.details as { reason?: unknown } | null)?.reason;
    if (event.subjectId && typeof reason === "string" && !reasonOf.has(event.subjectId)) reasonOf.set(event.subjectId, reason);
  }
  return {
    agreements: rows.map((row) => ({
      id: row.id,
      reference: row.reference,
      tier: row.tier,
      startsOn: dayText(row.startsOn),
      endsOn: dayText(row.endsOn),
      state: agreementStateOn(row, today),
      cancelledAt: row.cancelledAt,
      cancelReason: reasonOf.get(row.id) ?? null,
      organisation: row.organisation,
    })),
    entitlement: entitlementOf(rows, today),
  };
}

const REFERENCE_TAKEN = "That reference is already used by another agreement.";

export async function addAgreement(
  input: z.output<typeof addAgreementSchema>,
  actor: StaffActor,
  ip: string | null,
  today: Date = new Date(),
): Promise<{ id: string; message: string }> {
  assertMayChange(actor);
  // The holder: one customer, or an organisation (its agreement entitles every contact).
  const holder = input.organisationId
    ? await db.organisation.findUnique({ where: { id: input.organisationId }, select: { id: true } }).then((row) => row && { organisationId: row.id })
    : input.customerId
      ? await db.customer.findUnique({ where: { id: input.customerId }, select: { id: true } }).then((row) => row && { customerId: row.id })
      : null;
  if (!holder) throw new DomainError(input.organisationId ? "That organisation no longer exists." : "That customer no longer exists.", "not_found");
  try {
    return await db.$transaction(async (tx) => {
      const created = await tx.supportAgreement.create({
        data: { ...holder, reference: input.reference, tier: input.tier, startsOn: dayDate(input.startsOn), endsOn: dayDate(input.endsOn) },
      });
      const state = agreementStateOn(created, today);
      await recordAudit(
        {
          action: "agreement.created",
          actor: auditActorOf(actor),
          subjectType: "SupportAgreement",
          subjectId: created.id,
          ip,
          details: { ...auditViaOf(actor), ...holder, reference: created.reference, tier: created.tier, startsOn: input.startsOn, endsOn: input.endsOn, state },
        },
        tx,
      );
      const when =
        state === "not_started" ? `from ${input.startsOn}` : state === "expired" ? "(already ended: it covers nothing today)" : `until ${input.endsOn}`;
      return { id: created.id, message: `Agreement ${created.reference} (${created.tier}) added ${when}.` };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError(REFERENCE_TAKEN, "conflict", { reference: [REFERENCE_TAKEN] });
    throw error;
  }
}

export async function extendAgreement(
  input: z.output<typeof extendAgreementSchema>,
  actor: StaffActor,
  ip: string | null,
  today: Date = new Date(),
): Promise<{ message: string }> {
  assertMayChange(actor);
  return db.$transaction(async (tx) => {
    const current = await tx.supportAgreement.findUnique({ where: { id: input.agreementId } });
    if (!current) throw new DomainError("That agreement no longer exists.", "not_found");
    if (current.cancelledAt)
      throw new DomainError(
        `Agreement ${current.reference} was cancelled on ${dayText(current.cancelledAt)}: it cannot be extended. Add a new agreement instead.`,
        "conflict",
      );
    const from = dayText(current.endsOn);
    if (input.endsOn <= from) {
      const message = `Choose a day after the current last day (${from}).`;
      throw new DomainError(message, "invalid", { endsOn: [message] });
    }
    // Conditional on what was read: of two changes at once, the second is told, not silently applied.
    const done = await tx.supportAgreement.updateMany({
      where: { id: current.id, cancelledAt: null, endsOn: current.endsOn },
      data: { endsOn: dayDate(input.endsOn) },
    });
    if (done.count !== 1)
      throw new DomainError(`Agreement ${current.reference} was changed by someone else a moment ago: reload the page and check it.`, "conflict");
    const after = { ...current, endsOn: dayDate(input.endsOn) };
    await recordAudit(
      {
        action: "agreement.extended",
        actor: auditActorOf(actor),
        subjectType: "SupportAgreement",
        subjectId: current.id,
        ip,
        details: {
          ...auditViaOf(actor),
          // The holder: one customer, or an organisation.
          ...(current.customerId ? { customerId: current.customerId } : { organisationId: current.organisationId }),
          reference: current.reference,
          tier: current.tier,
          endsOnBefore: from,
          endsOnAfter: input.endsOn,
          stateBefore: agreementStateOn(current, today),
          stateAfter: agreementStateOn(after, today),
        },
      },
      tx,
    );
    return { message: `Agreement ${current.reference} now ends on ${input.endsOn} (was ${from}).` };
  });
}

export async function cancelAgreement(
  input: z.output<typeof cancelAgreementSchema>,
  actor: StaffActor,
  ip: string | null,
  now: Date = new Date(),
): Promise<{ message: string }> {
  assertMayChange(actor);
  return db.$transaction(async (tx) => {
    const current = await tx.supportAgreement.findUnique({ where: { id: input.agreementId } });
    if (!current) throw new DomainError("That agreement no longer exists.", "not_found");
    if (!current.cancelledAt && agreementStateOn(current, now) === "expired") {
      throw new DomainError(`Agreement ${current.reference} already ended on ${dayText(current.endsOn)}: there is nothing to cancel.`, "conflict");
    }
    const done = await tx.supportAgreement.updateMany({ where: { id: current.id, cancelledAt: null }, data: { cancelledAt: now } });
    if (done.count !== 1) {
      const again = await tx.supportAgreement.findUnique({ where: { id: current.id }, select: { cancelledAt: true } });
      const on = again?.cancelledAt ?? current.cancelledAt;
      throw new DomainError(`Agreement ${current.reference} is already cancelled${on ? ` (since ${dayText(on)})` : ""}.`, "conflict");
    }
    await recordAudit(
      {
        action: "agreement.cancelled",
        actor: auditActorOf(actor),
        subjectType: "SupportAgreement",
        subjectId: current.id,
        ip,
        details: {
          ...auditViaOf(actor),
          // The holder: one customer, or an organisation.
          ...(current.customerId ? { customerId: current.customerId } : { organisationId: current.organisationId }),
          reference: current.reference,
          tier: current.tier,
          startsOn: dayText(current.startsOn),
          endsOn: dayText(current.endsOn),
          stateBefore: agreementStateOn(current, now),
          stateAfter: "cancelled",
          reason: input.reason,
        },
      },
      tx,
    );
    const wasCovering = agreementStateOn(current, now) === "valid";
    return {
      message: wasCovering
        ? `Agreement ${current.reference} is cancelled from today: new tickets no longer get its ${current.tier} SLA (open tickets keep their due times).`
        : `Agreement ${current.reference} is cancelled.`,
    };
  });
}
