import "server-only";
import { Prisma } from "@/platform/db/client";
import { queryPrepared } from "@/platform/db/prepared";
import { appNow } from "@/platform/clock";
import { type SlaState, type SlaTicketFields, slaStateOf } from "./state";

/** Each policy's warning, in seconds, by scope: four tiny rows, read once per page. */
export async function warnBeforeSecondsByScope(): Promise<Map<string, number>> {
  // On every queue page: a prepared statement, not a Prisma query (see platform/auth/sessions.ts actorForSession).
  const policies = await queryPrepared<{ scope: string; warnBeforeMinutes: number }>(Prisma.sql`SELECT "scope", "warnBeforeMinutes" FROM "SlaPolicy"`);
  return new Map(policies.map((policy) => [policy.scope, policy.warnBeforeMinutes * 60]));
}

/** A ticket's SLA state now (the app clock), with its policy's warning window. */
export async function slaStateForTicket(ticket: SlaTicketFields & { slaScope: string | null }): Promise<SlaState> {
  if (!ticket.slaScope) return { phase: "none" };
  const [warnings, now] = await Promise.all([warnBeforeSecondsByScope(), appNow()]);
  return slaStateOf(ticket, now, warnings.get(ticket.slaScope) ?? 0);
}
