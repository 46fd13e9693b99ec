import "server-only";
import { db, Prisma, type SatisfactionRating, type SurveyIdentityPath } from "@/platform/db/client";
import { queryPrepared } from "@/platform/db/prepared";
import { isSendableAddress, normalizeEmail } from "@/platform/email-address/email-address";
import { publicBaseUrl } from "@/platform/env";
import { enqueueEmail } from "@/platform/outbox/outbox";
import { ticketReference } from "@/features/tickets/labels";
import { customerEntitlement } from "@/features/customers/agreements";
import { renderSurveyEmail } from "@/features/satisfaction/emails";
import { makeSurveyToken, surveyIdOfToken, surveyTokenHash } from "@/features/satisfaction/token";
import type { SatisfactionRatingValue } from "@/features/satisfaction/schemas";

/**
 * Satisfaction surveys (issue 15). When staff solve a ticket (features/tickets/desk.ts
 * moveStatusAsStaff), the requester is emailed Good / Bad links, in that transaction, unless the
 * ticket is never surveyed (surveyExclusion). The rules:
 *
 * - One survey per ticket, ever (SatisfactionSurvey.ticketId is unique): solving it again sends none.
 * - The link's token is signed (token.ts); only its hash is stored. It expires SURVEY_VALID_DAYS after sending.
 * - Opening the link (GET) records nothing: the page shows the choice preselected; its form (POST) records it.
 * - One rating, final: a second one is refused (a trigger enforces it too). Changing one's mind is
 *   done on the confirmation page before pressing the button; we don't reopen a given rating, so a
 *   forwarded link cannot overwrite the requester's answer.
 * - Bound to the verified requester: a ticket with a portal account is rated only by that account,
 *   signed in; a ticket without one by whoever holds the token, which went only to the requester address.
 */

export const SURVEY_VALID_DAYS = 14;

/**
 * Categories of internal tickets (opened by Veridesk itself about an account's security): never surveyed.
 * "spam" too: Veridesk has no spam status, so an agent who files a ticket under that category marks it as spam.
 */
export const UNSURVEYED_CATEGORIES = ["account-security", "spam"] as const;

export type SurveyExclusion = "no_address" | "internal" | "filed_by_staff" | "opted_out" | "already_surveyed";

export const EXCLUSION_WORDS: Record<SurveyExclusion, string> = {
  no_address: "no requester address mail can be sent to",
  internal: "an internal or spam ticket",
  filed_by_staff: "filed by staff on the customer's behalf",
  opted_out: "the requester opted out of surveys",
  already_surveyed: "already surveyed once",
};

type Tx = Prisma.TransactionClient;
type SurveyTicket = {
  id: string;
  number: number;
  subject: string;
  category: string | null;
  channel: string;
  customerId: string | null;
  requesterUserId: string | null;
  requesterAddress: string | null;
  requesterName: string | null;
  assigneeId: string | null;
};

/**
 * Why a ticket is not surveyed, or null. "Filed by staff": a phone or chat ticket (only staff open
 * those), or one whose `ticket.created` audit event says an agent or an API token started it
 * (features/tickets/phone-tickets.ts openTicketForCustomer) — the customer never wrote to us.
 */
export async function surveyExclusion(tx: Tx, ticket: SurveyTicket): Promise<SurveyExclusion | null> {
  if (ticket.category && (UNSURVEYED_CATEGORIES as readonly string[]).includes(ticket.category)) return "internal";
  const address = ticket.requesterAddress?.trim() ?? "";
  if (!address || !isSendableAddress(address)) return "no_address";
  if (ticket.channel === "phone" || ticket.channel === "chat") return "filed_by_staff";
  // Mail from a staff address (an agent forwarding a customer's mail, or testing): staff never rate their own desk.
  const staffSender = await tx.user.findFirst({ where: { email: normalizeEmail(address), role: { not: "customer" } }, select: { id: true } });
  if (staffSender) return "filed_by_staff";
  // An address that bounces or complained ("this is spam") gets no more mail it did not ask for.
  const undeliverable = await tx.customerEmail.findFirst({
    where: { normalized: normalizeEmail(address), deliverability: { in: ["bouncing", "complained"] } },
    select: { id: true },
  });
  if (undeliverable) return "no_address";
  const [staffCreated] = await tx.$queryRaw<{ one: number }[]>`
    SELECT 1 AS "one" FROM "AuditEvent"
     WHERE "subjectType" = 'Ticket' AND "subjectId" = ${ticket.id} AND "action" = 'ticket.created'
       AND "details"->>'startedBy' IN ('agent', 'api')
     LIMIT 1`;
  if (staffCreated) return "filed_by_staff";
  if (await isOptedOut(tx, ticket.requesterUserId, address)) return "opted_out";
  if (await tx.satisfactionSurvey.findUnique({ where: { ticketId: ticket.id }, select: { id: true } })) return "already_surveyed";
  return null;
}

async function isOptedOut(tx: Tx, userId: string | null, address: string): Promise<boolean> {
  if (userId) {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { surveyOptOutAt: true } });
    if (user?.surveyOptOutAt) return true;
  }
  return Boolean(await tx.surveyOptOut.findUnique({ where: { address: normalizeEmail(address) }, select: { address: true } }));
}

/**
 * The ticket's identity path at solve time, from its evidence (features/identity's records):
 * a supervisor override, else an identity escalation, else an agent's passed check (caller fields,
 * a code by email or SMS), else the requester's own proof (a portal account with a verified email,
 * or a verified address on the customer's record), else unverified. The strongest intervention wins.
 */
export async function identityPathOf(
  tx: Tx,
  ticket: Pick<SurveyTicket, "id" | "customerId" | "requesterUserId" | "requesterAddress">,
): Promise<SurveyIdentityPath> {
  const [facts] = await tx.$queryRaw<{ overridden: boolean; escalated: boolean; checked: boolean; account: boolean; address: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM "IdentityCheck" WHERE "ticketId" = ${ticket.id}::uuid AND "outcome" = 'overridden') AS "overridden",
           EXISTS (SELECT 1 FROM "Escalation" WHERE "ticketId" = ${ticket.id}::uuid AND "reason" = 'identity_unverified') AS "escalated",
           EXISTS (SELECT 1 FROM "IdentityCheck" WHERE "ticketId" = ${ticket.id}::uuid AND "outcome" = 'passed') AS "checked",
           EXISTS (SELECT 1 FROM "User" WHERE "id" = ${ticket.requesterUserId}::uuid AND "emailVerifiedAt" IS NOT NULL) AS "account",
           EXISTS (SELECT 1 FROM "CustomerEmail" WHERE "customerId" = ${ticket.customerId}::uuid
                     AND "normalized" = ${normalizeEmail(ticket.requesterAddress ?? "")} AND "verifiedAt" IS NOT NULL) AS "address"`;
  if (facts?.overridden) return "overridden";
  if (facts?.escalated) return "escalated";
  if (facts?.checked) return "agent_checked";
  if (facts?.account || facts?.address) return "self_verified";
  return "unverified";
}

export type QueueSurveyResult = { queued: true; surveyId: string } | { queued: false; reason: SurveyExclusion };

/** Called in the transaction that moves a ticket to solved: records the survey and queues its email, or says why not. */
export async function queueSatisfactionSurvey(tx: Tx, ticketId: string, now: Date, solvedBy: string | null = null): Promise<QueueSurveyResult> {
  const ticket = await tx.ticket.findUniqueOrThrow({
    where: { id: ticketId },
    select: {
      id: true,
      number: true,
      subject: true,
      category: true,
      channel: true,
      customerId: true,
      requesterUserId: true,
      requesterAddress: true,
      requesterName: true,
      assigneeId: true,
    },
  });
  const excluded = await surveyExclusion(tx, ticket);
  if (excluded) return { queued: false, reason: excluded };
  const to = ticket.requesterAddress!.trim();
  const identityPath = await identityPathOf(tx, ticket);
  // The tier of the agreement valid on the solve day (none when there is none, or it lapsed).
  const entitlement = ticket.customerId ? await customerEntitlement(ticket.customerId, now, tx) : null;
  const tier = entitlement?.status === "valid" ? (entitlement.tier ?? null) : null;
  const expiresAt = new Date(now.getTime() + SURVEY_VALID_DAYS * 86_400_000);
  const id = crypto.randomUUID();
  const token = makeSurveyToken(id);
  // Two solves at once (or a reopen and solve again): the unique ticketId keeps one survey, without aborting the transaction.
  const inserted = await tx.$executeRaw`
    INSERT INTO "SatisfactionSurvey" ("id", "ticketId", "tokenHash", "sentTo", "requesterUserId", "agentId", "tier", "identityPath", "sentAt", "expiresAt")
    VALUES (${id}::uuid, ${ticket.id}::uuid, ${surveyTokenHash(token)}, ${to}, ${ticket.requesterUserId}::uuid, ${solvedBy ?? ticket.assigneeId}::uuid,
            ${tier}::"AgreementTier", ${identityPath}::"SurveyIdentityPath", ${now}, ${expiresAt})
    ON CONFLICT ("ticketId") DO NOTHING`;
  if (inserted !== 1) return { queued: false, reason: "already_surveyed" };
  const base = publicBaseUrl();
  const link = (rating: SatisfactionRatingValue) => `${base}/rate?token=${encodeURIComponent(token)}&rating=${rating}`;
  const email = await renderSurveyEmail({
    ticketNumber: ticket.number,
    ticketSubject: ticket.subject,
    requesterName: ticket.requesterName,
    goodLink: link("good"),
    badLink: link("bad"),
    unsubscribeLink: `${base}/rate/unsubscribe?token=${encodeURIComponent(token)}`,
    validDays: SURVEY_VALID_DAYS,
  });
  await enqueueEmail(
    {
      kind: "satisfaction-survey",
      to,
      subject: email.subject,
      html: email.html,
      text: email.text,
      // The links are credentials: the bodies are sealed, and wiped once sent.
      sensitive: true,
      expiresAt,
      headers: { "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All" },
    },
    tx,
  );
  return { queued: true, surveyId: id };
}

// ───────────── The link ─────────────

export type SurveyViewer = { userId: string } | null;

export type SurveyLookup =
  | {
      ok: true;
      surveyId: string;
      ticketReference: string;
      ticketSubject: string;
      rating: SatisfactionRating | null;
      ratedAt: Date | null;
    }
  | { ok: false; message: string; signIn?: boolean };

export const SURVEY_MESSAGES = {
  invalid: "This rating link is not valid. Use the link from the email we sent you.",
  expired: "This survey has closed: ratings are taken for a limited time after a ticket is solved.",
  rated: "This ticket has already been rated. Thank you: one rating per ticket is kept.",
  signIn: "Sign in with the account that opened this ticket to rate it.",
  otherAccount: "This ticket was opened by another account, and only the person who opened it can rate it. Sign out and sign in as them, or ignore this link.",
} as const;

/** Reads what a link is for, writing nothing (the GET of the page). */
export async function lookUpSurvey(token: string, viewer: SurveyViewer, now: Date = new Date()): Promise<SurveyLookup> {
  const id = surveyIdOfToken(token);
  if (!id) return { ok: false, message: SURVEY_MESSAGES.invalid };
  const survey = await db.satisfactionSurvey.findUnique({
    where: { id },
    select: {
      id: true,
      tokenHash: true,
      expiresAt: true,
      rating: true,
      ratedAt: true,
      requesterUserId: true,
      ticket: { select: { number: true, subject: true } },
    },
  });
  if (!survey || survey.tokenHash !== surveyTokenHash(token)) return { ok: false, message: SURVEY_MESSAGES.invalid };
  if (survey.requesterUserId && !viewer) return { ok: false, message: SURVEY_MESSAGES.signIn, signIn: true };
  if (survey.requesterUserId && viewer?.userId !== survey.requesterUserId) return { ok: false, message: SURVEY_MESSAGES.otherAccount };
  if (survey.rating) return { ok: false, message: SURVEY_MESSAGES.rated };
  if (survey.expiresAt <= now) return { ok: false, message: SURVEY_MESSAGES.expired };
  return {
    ok: true,
    surveyId: survey.id,
    ticketReference: ticketReference(survey.ticket.number),
    ticketSubject: survey.ticket.subject,
    rating: survey.rating,
    ratedAt: survey.ratedAt,
  };
}

export type RateResult = { ok: true; rating: SatisfactionRatingValue } | { ok: false; message: string };

/** Records the rating (the page's POST): the same checks as the lookup, then a conditional write. */
export async function rateTicket(
  input: { token: string; rating: SatisfactionRatingValue; comment?: string | undefined },
  viewer: SurveyViewer,
  now: Date = new Date(),
): Promise<RateResult> {
  const found = await lookUpSurvey(input.token, viewer, now);
  if (!found.ok) return { ok: false, message: found.message };
  const comment = input.comment?.trim() || null;
  const written = await db.satisfactionSurvey.updateMany({
    where: { id: found.surveyId, rating: null, expiresAt: { gt: now } },
    data: { rating: input.rating, comment, ratedAt: now },
  });
  if (written.count !== 1) return { ok: false, message: SURVEY_MESSAGES.rated };
  return { ok: true, rating: input.rating };
}

/**
 * The email's unsubscribe link: the token alone suffices (asking for fewer emails harms nobody),
 * also after the survey closed. An account's opt-out is kept on the account; an address's otherwise.
 */
export async function optOutOfSurveys(token: string, now: Date = new Date()): Promise<{ ok: true } | { ok: false; message: string }> {
  const id = surveyIdOfToken(token);
  const survey = id ? await db.satisfactionSurvey.findUnique({ where: { id }, select: { tokenHash: true, requesterUserId: true, sentTo: true } }) : null;
  if (!survey || survey.tokenHash !== surveyTokenHash(token)) return { ok: false, message: SURVEY_MESSAGES.invalid };
  // An erased person's survey names nobody any more: nothing to opt out.
  if (!survey.requesterUserId && !isSendableAddress(survey.sentTo)) return { ok: true };
  if (survey.requesterUserId) await db.user.updateMany({ where: { id: survey.requesterUserId, surveyOptOutAt: null }, data: { surveyOptOutAt: now } });
  else await db.surveyOptOut.upsert({ where: { address: normalizeEmail(survey.sentTo) }, create: { address: normalizeEmail(survey.sentTo) }, update: {} });
  return { ok: true };
}

/** The rating a ticket received, for the agent's ticket page (prepared: it reads it on every open; ARCHITECTURE.md, "Hot paths"). */
export async function surveyOfTicket(ticketId: string): Promise<TicketSurvey | null> {
  const [survey] = await queryPrepared<TicketSurvey>(Prisma.sql`
    SELECT "sentAt", "expiresAt", "rating", "comment", "ratedAt", "identityPath"
      FROM "SatisfactionSurvey" WHERE "ticketId" = ${ticketId}::uuid`);
  return survey ?? null;
}

export interface TicketSurvey {
  sentAt: Date;
  expiresAt: Date;
  rating: SatisfactionRating | null;
  comment: string | null;
  ratedAt: Date | null;
  identityPath: SurveyIdentityPath;
}

/** The account page's preference (customer accounts): surveys on (default) or off. */
export async function surveysWanted(userId: string): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { surveyOptOutAt: true } });
  return !user?.surveyOptOutAt;
}

export async function setSurveyPreference(userId: string, surveys: boolean, now: Date = new Date()): Promise<{ surveys: boolean }> {
  await db.user.updateMany({ where: { id: userId, role: "customer" }, data: { surveyOptOutAt: surveys ? null : now } });
  return { surveys: await surveysWanted(userId) };
}
