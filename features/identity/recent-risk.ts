import "server-only";
import { Prisma } from "@/platform/db/client";
import { queryPrepared } from "@/platform/db/prepared";
import { normalizeEmail } from "@/platform/email-address/email-address";
import { serverEnv } from "@/platform/env";
import { formatDuration } from "@/platform/text/durations";
import { SECURITY_ACTIONS } from "@/features/identity/security-actions";

/**
 * Recent risk: security events on a customer's portal accounts (or a ticket's requester account)
 * within RECENT_RISK_WINDOW_HOURS (default 72 h). While one is in the window and no agent identity
 * check on the conversation came after it, the identity badge is at most "partially verified"
 * (features/identity/ticket-identity.ts `identityBadgeOf`, its SQL twin in ./identity-sql.ts), the
 * panel lists them in words, and caller checks send no code to a channel changed in the window
 * (features/callers/caller-verification.ts).
 *
 * The events are audit events on the User (their actions below); none holds an address. The
 * values of email and mobile changes are in ContactChange, read only to match a channel.
 */
export const RECENT_RISK_ACTIONS = {
  [SECURITY_ACTIONS.emailChanged]: "email changed",
  [SECURITY_ACTIONS.phoneChanged]: "mobile changed",
  [SECURITY_ACTIONS.newDeviceSignIn]: "new device sign-in",
  [SECURITY_ACTIONS.changeDisputed]: "a change reported as not theirs",
  [SECURITY_ACTIONS.changeAwaitingText]: "asked for a change that waits for a text answer",
  [SECURITY_ACTIONS.changeRefusedByText]: "refused a change by text",
} as const;
export type RecentRiskAction = keyof typeof RECENT_RISK_ACTIONS;
const ACTIONS = Object.keys(RECENT_RISK_ACTIONS) as RecentRiskAction[];

export function recentRiskWindowHours(): number {
  return serverEnv().RECENT_RISK_WINDOW_HOURS;
}

const windowStart = (now: Date, hours: number) => new Date(now.getTime() - hours * 3_600_000);

export interface RecentRiskEvent {
  action: RecentRiskAction;
  at: Date;
  /** "mobile changed 8 min before this ticket", "new device sign-in 2 h ago". */
  words: string;
}

/**
 * "8 min before this ticket" when it happened before the ticket was opened (what an agent weighs:
 * a takeover right before a request), else "2 h ago"; "yesterday" for 24–48 h.
 */
export function describeRiskTime(at: Date, now: Date, ticketCreatedAt?: Date | null): string {
  if (ticketCreatedAt && at <= ticketCreatedAt) {
    const seconds = Math.floor((ticketCreatedAt.getTime() - at.getTime()) / 1000);
    return seconds < 60 ? "just before this ticket" : `${formatDuration(seconds, { style: "short" })} before this ticket`;
  }
  const seconds = Math.max(0, Math.floor((now.getTime() - at.getTime()) / 1000));
  if (seconds < 60) return "a moment ago";
  if (seconds >= 24 * 3600 && seconds < 48 * 3600) return "yesterday";
  return `${formatDuration(seconds, { style: "short" })} ago`;
}

/** The accounts whose events count for a ticket: its requester's, and every portal account of its customer. */
export async function riskAccountIds(input: { customerId: string | null; requesterUserId?: string | null }): Promise<string[]> {
  const ids = new Set<string>();
  if (input.requesterUserId) ids.add(input.requesterUserId);
  if (input.customerId) {
    const users = await queryPrepared<{ id: string }>(Prisma.sql`SELECT "id" FROM "User" WHERE "customerId" = ${input.customerId}::uuid ORDER BY "id"`);
    for (const user of users) ids.add(user.id);
  }
  return [...ids];
}

/** The security events in the window, newest first, in words (prepared statements: the ticket page reads them on every open). */
export async function recentRiskEvents(input: {
  customerId: string | null;
  requesterUserId?: string | null;
  ticketCreatedAt?: Date | null;
  now?: Date;
  windowHours?: number;
}): Promise<RecentRiskEvent[]> {
  const now = input.now ?? new Date();
  const users = await riskAccountIds(input);
  if (users.length === 0) return [];
  const events = await queryPrepared<{ action: string; at: Date }>(Prisma.sql`
    SELECT "action", "at" FROM "AuditEvent"
     WHERE "subjectType" = 'User' AND "subjectId" = ANY(${users}::text[]) AND "action" = ANY(${ACTIONS}::text[])
       AND "at" > CAST(${windowStart(now, input.windowHours ?? recentRiskWindowHours()).toISOString()} AS timestamp(3))
       AND "at" <= CAST(${now.toISOString()} AS timestamp(3))
     ORDER BY "at" DESC, "id" DESC LIMIT 20`);
  return events.map((event) => {
    const action = event.action as RecentRiskAction;
    return { action, at: event.at, words: `${RECENT_RISK_ACTIONS[action]} ${describeRiskTime(event.at, now, input.ticketCreatedAt)}` };
  });
}

/**
 * The latest risk event of a ticket `c` (Ticket columns) in SQL, for the queue: adds the alias rr
 * with "at" (NULL: none in the window). One probe of AuditEvent(subjectType, subjectId) per account.
 */
export function recentRiskJoinSql(now: Date, windowHours: number): Prisma.Sql {
  const nowSql = Prisma.sql`CAST(${now.toISOString()} AS timestamp(3))`;
  const startSql = Prisma.sql`CAST(${windowStart(now, windowHours).toISOString()} AS timestamp(3))`;
  return Prisma.sql`
    LEFT JOIN LATERAL (
      SELECT max(ae."at") AS "at"
        FROM "User" ru2
        JOIN "AuditEvent" ae ON ae."subjectType" = 'User' AND ae."subjectId" = CAST(ru2."id" AS text)
       WHERE (ru2."id" = c."requesterUserId" OR (c."customerId" IS NOT NULL AND ru2."customerId" = c."customerId"))
         AND ae."action" IN (${Prisma.join(ACTIONS)})
         AND ae."at" > ${startSql} AND ae."at" <= ${nowSql}
    ) rr ON true`;
}

/** Channels (normalised email addresses and E.164 numbers) a customer's accounts changed to within the window. */
export async function recentlyChangedChannels(customerId: string, now: Date = new Date(), windowHours = recentRiskWindowHours()): Promise<Map<string, Date>> {
  // A prepared statement: the ticket page's caller check reads it on every open (ARCHITECTURE.md, "Hot paths").
  const changes = await queryPrepared<{ toValue: string; createdAt: Date }>(Prisma.sql`
    SELECT cc."toValue", cc."createdAt"
      FROM "ContactChange" cc JOIN "User" u ON u."id" = cc."userId"
     WHERE u."customerId" = ${customerId}::uuid
       AND cc."createdAt" > CAST(${windowStart(now, windowHours).toISOString()} AS timestamp(3))
       AND cc."createdAt" <= CAST(${now.toISOString()} AS timestamp(3))`);
  const changed = new Map<string, Date>();
  for (const change of changes) {
    const key = change.toValue.includes("@") ? normalizeEmail(change.toValue) : change.toValue;
    const before = changed.get(key);
    if (!before || before < change.createdAt) changed.set(key, change.createdAt);
  }
  return changed;
}
