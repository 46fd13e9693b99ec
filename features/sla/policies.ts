import type { z } from "zod";
import { recordAudit } from "@/platform/audit";
import type { Actor } from "@/platform/auth/sessions";
import { db, type Prisma } from "@/platform/db/client";
import { agreementsEntitlingWhere, entitlementOf } from "@/features/customers/agreements";
import { addBusinessMinutes } from "./business-time";
import { minutesOfTimeOfDay, SLA_SCOPES, type SlaPolicyTimes, type SlaScope, type slaPolicyInputSchema } from "./schemas";

export {
  SLA_SCOPES,
  SLA_SCOPE_LABELS,
  WEEKDAYS,
  slaPolicyInputSchema,
  timeOfDayOfMinutes,
  minutesOfTimeOfDay,
  type SlaScope,
  type SlaPolicyInput,
  type SlaPolicyTimes,
} from "./schemas";

export async function listSlaPolicies() {
  const rows = await db.slaPolicy.findMany();
  // The tiers in their natural order, whatever order the table returns.
  return SLA_SCOPES.flatMap((scope) => rows.filter((row) => row.scope === scope));
}

/** Saves a supervisor's edit and records what changed (targets and settings, never personal data). */
export async function updateSlaPolicy(actor: Actor, input: z.output<typeof slaPolicyInputSchema>, ip: string | null = null) {
  const data = {
    firstResponseMinutes: input.firstResponseMinutes,
    resolutionMinutes: input.resolutionMinutes,
    warnBeforeMinutes: input.warnBeforeMinutes,
    businessHoursOnly: input.businessHoursOnly,
    businessDayStartMinute: minutesOfTimeOfDay(input.businessDayStart),
    businessDayEndMinute: minutesOfTimeOfDay(input.businessDayEnd),
    businessDays: [...new Set(input.businessDays)].sort((a, b) => a - b),
    timeZone: input.timeZone,
  };
  return db.$transaction(async (tx) => {
    const before = await tx.slaPolicy.findUnique({ where: { scope: input.scope } });
    if (!before) throw new Error(`SLA policy ${input.scope} is missing (the migration inserts all four).`);
    const after = await tx.slaPolicy.update({ where: { scope: input.scope }, data });
    const changed = Object.fromEntries(
      Object.entries(data)
        .filter(([key, value]) => JSON.stringify(before[key as keyof typeof before]) !== JSON.stringify(value))
        .map(([key, value]) => [key, { from: before[key as keyof typeof before] as Prisma.InputJsonValue, to: value }]),
    );
    await recordAudit(
      {
        action: "sla.policy_changed",
        actor: { userId: actor.userId, role: actor.role },
        subjectType: "SlaPolicy",
        subjectId: input.scope,
        ip,
        details: { changed },
      },
      tx,
    );
    return after;
  });
}

/**
 * When the first response and the resolution are due for a ticket opened at `openedAt`: plain
 * minutes, or only business minutes in the policy's time zone when the policy says so.
 */
export function slaDueTimes(policy: SlaPolicyTimes, openedAt: Date): { firstResponseDueAt: Date; resolutionDueAt: Date } {
  if (!policy.businessHoursOnly) {
    return {
      firstResponseDueAt: new Date(openedAt.getTime() + policy.firstResponseMinutes * 60_000),
      resolutionDueAt: new Date(openedAt.getTime() + policy.resolutionMinutes * 60_000),
    };
  }
  const hours = { startMinute: policy.businessDayStartMinute, endMinute: policy.businessDayEndMinute, days: policy.businessDays, timeZone: policy.timeZone };
  return {
    firstResponseDueAt: addBusinessMinutes(openedAt, policy.firstResponseMinutes, hours),
    resolutionDueAt: addBusinessMinutes(openedAt, policy.resolutionMinutes, hours),
  };
}

type SlaWriter = Pick<Prisma.TransactionClient, "ticket" | "slaPolicy" | "supportAgreement">;

/**
 * A solved (or closed) ticket that is reopened gets a fresh resolution target counted from the
 * reopening, under the scope it was given when created; otherwise a ticket solved in time and
 * reopened after its old due time would be escalated at once as "missed". The first-response
 * target is left alone: it was met or missed once. (A resolution breach already escalated for this
 * ticket is not raised a second time: SLA escalations are unique per ticket and event.)
 */
export async function restartResolutionTarget(
  tx: Pick<Prisma.TransactionClient, "ticket" | "slaPolicy">,
  ticketId: string,
  reopenedAt: Date,
): Promise<Date | null> {
  const ticket = await tx.ticket.findUnique({ where: { id: ticketId }, select: { slaScope: true } });
  if (!ticket?.slaScope) return null;
  const policy = await tx.slaPolicy.findUnique({ where: { scope: ticket.slaScope } });
  if (!policy) return null;
  const { resolutionDueAt } = slaDueTimes(policy, reopenedAt);
  await tx.ticket.update({ where: { id: ticketId }, data: { resolutionDueAt }, select: { id: true } });
  return resolutionDueAt;
}

/** The policy that applies to a customer on `day`: their valid agreement's tier, else no_agreement. */
export async function slaScopeForCustomer(tx: Pick<Prisma.TransactionClient, "supportAgreement">, customerId: string | null, day: Date): Promise<SlaScope> {
  if (!customerId) return "no_agreement";
  const agreements = await tx.supportAgreement.findMany({
    where: agreementsEntitlingWhere(customerId),
    select: { tier: true, startsOn: true, endsOn: true, cancelledAt: true },
  });
  const entitlement = entitlementOf(agreements, day);
  return entitlement.status === "valid" && entitlement.tier ? entitlement.tier : "no_agreement";
}

/**
 * Sets a ticket's SLA scope and due times from its customer's agreement on the day it was opened,
 * counted from its creation. Call it in the transaction that creates the ticket; the SLA job also
 * calls it for any ticket that was created without (so no creation path can miss it).
 */
export async function applySlaToTicket(tx: SlaWriter, ticketId: string) {
  const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: ticketId }, select: { customerId: true, createdAt: true } });
  const scope = await slaScopeForCustomer(tx, ticket.customerId, ticket.createdAt);
  const policy = await tx.slaPolicy.findUniqueOrThrow({ where: { scope } });
  const due = slaDueTimes(policy, ticket.createdAt);
  return tx.ticket.update({
    where: { id: ticketId },
    data: { slaScope: scope, ...due },
    select: { slaScope: true, firstResponseDueAt: true, resolutionDueAt: true },
  });
}
