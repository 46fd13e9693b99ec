import { z } from "zod";
import { recordAudit } from "@/lib/audit/audit";
import type { Actor } from "@/lib/auth/sessions";
import { db, type Prisma } from "@/lib/db/client";
import { entitlementOf } from "@/lib/customers/agreements";
import { addBusinessMinutes, isKnownTimeZone } from "./business-time";

/** One policy per agreement tier, plus one for tickets from people without a valid agreement. */
export const SLA_SCOPES = ["premium", "standard", "basic", "no_agreement"] as const;
export type SlaScope = (typeof SLA_SCOPES)[number];

export const SLA_SCOPE_LABELS: Record<SlaScope, string> = {
  premium: "Premium agreement",
  standard: "Standard agreement",
  basic: "Basic agreement",
  no_agreement: "No valid agreement",
};

export const WEEKDAYS = [
  { day: 1, label: "Monday", short: "Mon" },
  { day: 2, label: "Tuesday", short: "Tue" },
  { day: 3, label: "Wednesday", short: "Wed" },
  { day: 4, label: "Thursday", short: "Thu" },
  { day: 5, label: "Friday", short: "Fri" },
  { day: 6, label: "Saturday", short: "Sat" },
  { day: 7, label: "Sunday", short: "Sun" },
] as const;

export type SlaPolicyTimes = {
  firstResponseMinutes: number;
  resolutionMinutes: number;
  businessHoursOnly: boolean;
  businessDayStartMinute: number;
  businessDayEndMinute: number;
  businessDays: number[];
  timeZone: string;
};

const MAX_TARGET_MINUTES = 60 * 24 * 90;
const timeOfDay = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const minutesOfTimeOfDay = (value: string) => Number(value.slice(0, 2)) * 60 + Number(value.slice(3, 5));
export const timeOfDayOfMinutes = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

const targetMinutes = (what: string) =>
  z.coerce
    .number({ error: `${what} must be a number of minutes` })
    .int({ error: `${what} must be a whole number of minutes` })
    .min(1, { error: `${what} must be at least 1 minute` })
    .max(MAX_TARGET_MINUTES, { error: `${what} can be at most 90 days` });

/** The supervisor's edit of one policy (the form and the server action both use it). */
export const slaPolicyInputSchema = z
  .object({
    scope: z.enum(SLA_SCOPES),
    firstResponseMinutes: targetMinutes("First-response target"),
    resolutionMinutes: targetMinutes("Resolution target"),
    warnBeforeMinutes: z.coerce
      .number({ error: "Warning must be a number of minutes" })
      .int({ error: "Warning must be a whole number of minutes" })
      .min(0, { error: "Warning cannot be negative (0 = escalate only on a breach)" }),
    businessHoursOnly: z.boolean(),
    businessDayStart: z.string().regex(timeOfDay, { error: "Enter the opening time as HH:MM" }),
    businessDayEnd: z.string().regex(timeOfDay, { error: "Enter the closing time as HH:MM" }),
    businessDays: z.array(z.coerce.number().int().min(1).max(7)),
    timeZone: z.string().trim().refine(isKnownTimeZone, { error: "Choose a time zone from the list (e.g. Europe/London)" }),
  })
  .superRefine((input, ctx) => {
    if (input.resolutionMinutes <= input.firstResponseMinutes) {
      ctx.addIssue({ code: "custom", path: ["resolutionMinutes"], message: "Resolution target must be longer than the first-response target" });
    }
    if (input.warnBeforeMinutes >= input.firstResponseMinutes) {
      ctx.addIssue({ code: "custom", path: ["warnBeforeMinutes"], message: "Warning must come before the first-response target (make it shorter)" });
    }
    if (input.businessHoursOnly) {
      if (timeOfDay.test(input.businessDayStart) && timeOfDay.test(input.businessDayEnd) && minutesOfTimeOfDay(input.businessDayEnd) <= minutesOfTimeOfDay(input.businessDayStart)) {
        ctx.addIssue({ code: "custom", path: ["businessDayEnd"], message: "Closing time must be after the opening time" });
      }
      if (input.businessDays.length === 0) {
        ctx.addIssue({ code: "custom", path: ["businessDays"], message: "Choose at least one business day" });
      }
    }
  });
export type SlaPolicyInput = z.input<typeof slaPolicyInputSchema>;

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
      { action: "sla.policy_changed", actor: { userId: actor.userId, role: actor.role }, subjectType: "SlaPolicy", subjectId: input.scope, ip, details: { changed } },
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

/** The policy that applies to a customer on `day`: their valid agreement's tier, else no_agreement. */
export async function slaScopeForCustomer(tx: Pick<Prisma.TransactionClient, "supportAgreement">, customerId: string | null, day: Date): Promise<SlaScope> {
  if (!customerId) return "no_agreement";
  const agreements = await tx.supportAgreement.findMany({ where: { customerId }, select: { tier: true, startsOn: true, endsOn: true, cancelledAt: true } });
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
