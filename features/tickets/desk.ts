import "server-only";
/**
 * The ticket desk's writes and reads, for customers (own tickets only, public messages only) and
 * staff. Authorization of the area happens in platform/auth/guard.ts; the ownership rules that depend
 * on the data (a customer's own ticket) are enforced here, in every query, from the session's
 * user id — never from a value the request supplies.
 */
import { recordAudit } from "@/platform/audit";
import { DomainError } from "@/platform/errors";
import type { Actor } from "@/platform/auth/sessions";
import { db, type Prisma, type TicketPriority, type TicketStatus } from "@/platform/db/client";
import { isUniqueViolation } from "@/platform/db/errors";
import { isSendableAddress } from "@/platform/email-address/email-address";
import { enqueueEmail } from "@/platform/outbox/outbox";
import { senderDisplayName } from "@/platform/outbox/transports/index";
import { serverEnv } from "@/platform/env";
import { messageIdHostFrom, newTicketMessageId, replySubject, replyThreadHeaders } from "@/features/tickets/email-threading";
import { agentAuthorName, agentSenderName, MAX_QUOTED_MESSAGES, renderReplyEmail, type QuotedMessage } from "@/features/tickets/reply-email/reply-email";
import type { AgentReplyStatus, NewPortalTicketInput, TicketReplyInput } from "@/features/tickets/schemas";
import { applySlaPauseForStatusChange } from "@/features/sla/pause";
import { applySlaToTicket, restartResolutionTarget } from "@/features/sla/policies";
import { attachmentLimits } from "@/features/tickets/uploads/file-check";
import { claimUploads } from "@/features/tickets/uploads/uploads";
import { touchTicketForCustomerMessage } from "@/features/tickets/messages";
import { kickDelivery, notifyAssignment, notifyCustomerReply } from "@/features/notifications/notify";
import { queueTicketAcknowledgement } from "@/features/notifications/acknowledgement";
import { customerReopen, statusMove } from "@/features/tickets/status-rules";
import { appNow } from "@/platform/clock";
import { emitWebhookEvent } from "@/features/webhooks/events";
import { auditActorOf, auditViaOf, type StaffWriter } from "@/features/tickets/writer";
import { queueSatisfactionSurvey } from "@/features/satisfaction/surveys";

const CLOSED_STATUSES = ["solved", "closed"] as const;
const auditActor = (actor: Actor) => ({ userId: actor.userId, role: actor.role });

// ───────────── Customers ─────────────

/**
 * How long opening a ticket may take, deliberately (Prisma's default is a silent 5 s, which a
 * stalled database turned into a 500): waiting for a connection, waiting for a row lock, any one
 * statement, and the whole transaction. Past any of them the action answers "retryable" and the
 * form sends the same request again; the idempotency key makes that safe.
 */
export const PORTAL_TICKET_TIMEOUTS = { maxWaitMs: 3_000, lockTimeoutMs: 3_000, statementTimeoutMs: 5_000, transactionMs: 10_000 } as const;

const ownTicketByKey = (userId: string, idempotencyKey: string) =>
  db.ticket.findUnique({ where: { requesterUserId_idempotencyKey: { requesterUserId: userId, idempotencyKey } }, select: { id: true, number: true } });

/**
 * Opens a ticket from the portal. Only a verified email may open tickets (the portal says so first).
 * With an idempotency key, sending the same form again (a retry after a timeout, a double click)
 * returns the ticket the first request made: (requester, key) is unique in the database.
 */
export async function createPortalTicket(actor: Actor, input: NewPortalTicketInput) {
  const account = await db.user.findUniqueOrThrow({
    where: { id: actor.userId },
    select: { emailVerifiedAt: true, customerId: true, email: true, name: true },
  });
  if (!account.emailVerifiedAt) throw new DomainError("Verify your email address before opening a ticket.", "forbidden");
  // A follow-up names one of the customer's own tickets; another's (or none) is refused, naming nothing.
  if (input.followUpTo) {
    const earlier = await db.ticket.findFirst({ where: { id: input.followUpTo, requesterUserId: actor.userId }, select: { id: true } });
    if (!earlier)
      throw new DomainError("The earlier ticket this follows up was not found.", "invalid", {
        followUpTo: ["The earlier ticket this follows up was not found."],
      });
  }
  const key = input.idempotencyKey ?? null;
  if (key) {
    const existing = await ownTicketByKey(actor.userId, key);
    if (existing) return existing;
  }
  const timeouts = PORTAL_TICKET_TIMEOUTS;
  try {
    const created = await db.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = ${Math.trunc(timeouts.lockTimeoutMs)}`);
        await tx.$executeRawUnsafe(`SET LOCAL statement_timeout = ${Math.trunc(timeouts.statementTimeoutMs)}`);
        const ticket = await tx.ticket.create({
          data: {
            subject: input.subject,
            category: input.category,
            priority: input.priority,
            channel: "web",
            status: "new",
            customerId: account.customerId,
            requesterUserId: actor.userId,
            requesterAddress: account.email,
            requesterName: account.name,
            idempotencyKey: key,
            followUpToTicketId: input.followUpTo ?? null,
          },
          select: { id: true, number: true },
        });
        await applySlaToTicket(tx, ticket.id);
        // "We received your request", with the ticket: its Message-ID goes on the first message, so
        // agents' replies thread under it and the customer's answer to it lands here.
        const ack = await queueTicketAcknowledgement(tx, {
          ticket: { ...ticket, subject: input.subject, channel: "web" },
          to: account.email,
          requesterName: account.name,
          request: input.description,
          portalTicketId: ticket.id,
        });
        const message = await tx.ticketMessage.create({
          data: {
            ticketId: ticket.id,
            kind: "public_reply",
            authorUserId: actor.userId,
            body: input.description,
            emailMessageId: ack.queued ? ack.emailMessageId : null,
          },
          select: { id: true },
        });
        await claimUploads(tx, actor, message.id, input.attachmentIds, attachmentLimits(serverEnv()));
        await recordAudit(
          {
            action: "ticket.created",
            actor: auditActor(actor),
            subjectType: "Ticket",
            subjectId: ticket.id,
            details: { channel: "web", ...(input.followUpTo ? { followUpTo: input.followUpTo } : {}) },
          },
          tx,
        );
        await emitWebhookEvent("ticket.created", { ticketId: ticket.id, channel: "web" }, tx);
        return ticket;
      },
      { maxWait: timeouts.maxWaitMs, timeout: timeouts.transactionMs },
    );
    void kickDelivery();
    return created;
  } catch (error) {
    // A concurrent request with the same key committed first: that ticket is the answer.
    if (key && isUniqueViolation(error)) {
      const existing = await ownTicketByKey(actor.userId, key);
      if (existing) return existing;
    }
    throw error;
  }
}

/** A customer's own ticket with its public thread, or null (also for another customer's ticket: no hint it exists). */
export async function getOwnTicket(actor: Actor, ticketId: string) {
  return db.ticket.findFirst({
    where: { id: ticketId, requesterUserId: actor.userId },
    select: {
      id: true,
      number: true,
      subject: true,
      category: true,
      status: true,
      priority: true,
      createdAt: true,
      solvedAt: true,
      messages: {
        where: { kind: "public_reply" },
        orderBy: { createdAt: "asc" },
        select: {
          id: true,
          body: true,
          createdAt: true,
          authorUserId: true,
          author: { select: { name: true, role: true } },
          authorAddress: true,
          authorApiToken: { select: { name: true } },
          attachments: { select: { id: true, filename: true, sizeBytes: true } },
        },
      },
    },
  });
}

async function requireOwnTicket(actor: Actor, ticketId: string) {
  const ticket = await db.ticket.findFirst({ where: { id: ticketId, requesterUserId: actor.userId }, select: { id: true, status: true, solvedAt: true } });
  if (!ticket) throw new DomainError("That ticket does not exist.", "not_found");
  return ticket;
}

/** The customer's reopen window (CUSTOMER_REOPEN_WINDOW_DAYS), in days. */
export const customerReopenWindowDays = () => serverEnv().CUSTOMER_REOPEN_WINDOW_DAYS;

export async function replyAsCustomer(actor: Actor, input: TicketReplyInput) {
  await requireOwnTicket(actor, input.ticketId);
  const today = await appNow();
  const reply = await db.$transaction(async (tx) => {
    // Read under the row lock: an agent closing or changing the ticket meanwhile is seen here, so
    // the reply neither reopens a ticket just closed nor restarts a clock that is no longer paused.
    const [ticket] = await tx.$queryRaw<{ id: string; status: TicketStatus; solvedAt: Date | null }[]>`
      SELECT id, status, "solvedAt" FROM "Ticket" WHERE id = ${input.ticketId}::uuid AND "requesterUserId" = ${actor.userId}::uuid FOR UPDATE`;
    if (!ticket) throw new DomainError("That ticket does not exist.", "not_found");
    // A reply to a solved ticket reopens it, so it is held to the same window as "Reopen".
    if (ticket.status === "closed" || ticket.status === "solved") {
      const reopen = customerReopen(ticket, today, customerReopenWindowDays());
      if (!reopen.ok) throw new DomainError(reopen.message, "conflict");
    }
    const message = await tx.ticketMessage.create({
      data: { ticketId: ticket.id, kind: "public_reply", authorUserId: actor.userId, body: input.body },
      select: { id: true },
    });
    await claimUploads(tx, actor, message.id, input.attachmentIds, attachmentLimits(serverEnv()));
    // solved/pending → open with their SLA effects, conditional on the status (shared with email replies).
    await touchTicketForCustomerMessage(tx, ticket.id, new Date(), "portal");
    await notifyCustomerReply(tx, ticket.id, { body: input.body, from: actor.name });
    await emitWebhookEvent("message.created", { ticketId: ticket.id, messageId: message.id, kind: "public_reply", author: "customer" }, tx);
    return message;
  });
  void kickDelivery();
  return reply;
}

/** The customer's own "Close" (confirmed in the page first). Closing twice (a double click) is not an error. */
export async function closeOwnTicket(actor: Actor, ticketId: string) {
  const ticket = await requireOwnTicket(actor, ticketId);
  if (ticket.status === "closed") return;
  const move = statusMove("customer", ticket.status, "closed");
  if (!move.ok) throw new DomainError(move.message, "conflict");
  const now = new Date();
  await db.$transaction(async (tx) => {
    // Conditional on the status read above: a concurrent change wins and this one is refused.
    const changed = await tx.ticket.updateMany({
      where: { id: ticket.id, status: ticket.status },
      data: { status: "closed", closedAt: now, lastActivityAt: now },
    });
    if (changed.count !== 1) throw new DomainError("This ticket changed meanwhile. Reload the page and try again.", "conflict");
    await applySlaPauseForStatusChange(tx, ticket.id, ticket.status, "closed", now);
    await recordAudit({ action: "ticket.closed_by_customer", actor: auditActor(actor), subjectType: "Ticket", subjectId: ticket.id }, tx);
  });
}

/**
 * The customer's "Reopen" of a solved ticket, within the reopen window counted on the app clock
 * (CUSTOMER_REOPEN_WINDOW_DAYS after it was solved); later, or once closed, a follow-up ticket.
 */
export async function reopenOwnTicket(actor: Actor, ticketId: string) {
  const ticket = await requireOwnTicket(actor, ticketId);
  const now = await appNow();
  const reopen = customerReopen(ticket, now, customerReopenWindowDays());
  if (!reopen.ok) throw new DomainError(reopen.message, "conflict");
  await db.$transaction(async (tx) => {
    const changed = await tx.ticket.updateMany({ where: { id: ticket.id, status: "solved" }, data: { status: "open", solvedAt: null, lastActivityAt: now } });
    if (changed.count !== 1) throw new DomainError("This ticket changed meanwhile. Reload the page and try again.", "conflict");
    await restartResolutionTarget(tx, ticket.id, now);
    await recordAudit({ action: "ticket.reopened_by_customer", actor: auditActor(actor), subjectType: "Ticket", subjectId: ticket.id }, tx);
  });
}

// ───────────── Staff ─────────────

async function requireTicket(ticketId: string, tx: Prisma.TransactionClient = db) {
  const ticket = await tx.ticket.findUnique({ where: { id: ticketId } });
  if (!ticket) throw new DomainError("That ticket does not exist.", "not_found");
  return ticket;
}

/**
 * Where an agent's public reply goes: the requester's address when mail can be sent to it
 * (isSendableAddress, the one rule), otherwise nowhere and why. The ticket page shows the same
 * answer in the composer, so what it promises is what the reply service does.
 */
export function replyRecipient(requesterAddress: string | null): { to: string; notEmailedBecause: null } | { to: null; notEmailedBecause: string } {
  if (!requesterAddress || !requesterAddress.includes("@")) return { to: null, notEmailedBecause: "the requester has no email address" };
  if (!isSendableAddress(requesterAddress)) return { to: null, notEmailedBecause: `${requesterAddress} is not an address mail can be sent to` };
  return { to: requesterAddress, notEmailedBecause: null };
}

/** The team name replies are signed with: EMAIL_FROM's display name ("Veridesk Support"). */
function supportTeamName(emailFrom: string): string {
  return senderDisplayName(emailFrom) ?? "Support";
}

/**
 * The ticket's earlier PUBLIC messages as the reply email quotes them (never internal notes), each
 * named as the customer knows them: an agent as "Dana (Veridesk Support)", the customer by name.
 */
async function quotedHistory(
  tx: Prisma.TransactionClient,
  ticket: { id: string; requesterAddress: string | null; requesterName: string | null },
  teamName: string,
): Promise<{ earlier: QuotedMessage[]; earlierCount: number }> {
  const where = { ticketId: ticket.id, kind: "public_reply" as const };
  const earlierCount = await tx.ticketMessage.count({ where });
  const messages = await tx.ticketMessage.findMany({
    where,
    orderBy: { createdAt: "desc" },
    take: MAX_QUOTED_MESSAGES,
    select: { body: true, createdAt: true, authorAddress: true, author: { select: { name: true, role: true } } },
  });
  const earlier = messages.map((message) => ({
    body: message.body,
    createdAt: message.createdAt,
    authorName:
      message.author && message.author.role !== "customer"
        ? agentAuthorName(message.author.name, teamName)
        : (message.author?.name ??
          (message.authorAddress && message.authorAddress === ticket.requesterAddress ? ticket.requesterName : null) ??
          message.authorAddress ??
          teamName),
  }));
  return { earlier, earlierCount };
}

/**
 * A public reply from an agent: stored in the thread and sent to the requester by email through
 * the outbox (one transaction), threaded with the ticket's earlier email Message-IDs. The email is
 * HTML and text (features/tickets/reply-email/reply-email.tsx), sent as "Dana from <team>", with the
 * earlier public messages quoted below it.
 */
export async function replyAsAgent(actor: StaffWriter, input: TicketReplyInput & { thenStatus?: AgentReplyStatus }) {
  const env = serverEnv();
  const result = await db.$transaction(async (tx) => {
    const ticket = await requireTicket(input.ticketId, tx);
    const { to: recipient, notEmailedBecause } = replyRecipient(ticket.requesterAddress);
    const earlier = await tx.ticketMessage.findMany({
      where: { ticketId: ticket.id, emailMessageId: { not: null } },
      orderBy: { createdAt: "asc" },
      select: { emailMessageId: true },
    });
    const emailMessageId = newTicketMessageId(ticket.number, messageIdHostFrom(env.EMAIL_FROM));
    const teamName = supportTeamName(env.EMAIL_FROM);
    const rendered = recipient
      ? await renderReplyEmail({
          ticketNumber: ticket.number,
          subject: ticket.subject,
          agentName: actor.name,
          teamName,
          body: input.body,
          sentAt: new Date(),
          ...(await quotedHistory(tx, ticket, teamName)),
        })
      : null;
    const outbox =
      recipient && rendered
        ? await enqueueEmail(
            {
              kind: "ticket-reply",
              to: recipient,
              senderName: agentSenderName(actor.name, teamName),
              subject: replySubject(ticket.subject, ticket.number),
              text: rendered.text,
              html: rendered.html,
              headers: { "Message-ID": emailMessageId, ...replyThreadHeaders(earlier.map((m) => m.emailMessageId!)) },
              // References only: the worker loads the bytes at send time (claimUploads below checks them).
              attachmentIds: input.attachmentIds,
            },
            tx,
          )
        : null;
    const message = await tx.ticketMessage.create({
      data: {
        ticketId: ticket.id,
        kind: "public_reply",
        authorUserId: actor.userId,
        authorApiTokenId: actor.apiTokenId ?? null,
        body: input.body,
        emailMessageId: recipient ? emailMessageId : null,
        outboxMessageId: outbox?.id ?? null,
        deliveryStatus: outbox ? "queued" : null,
      },
      select: { id: true },
    });
    await claimWriterUploads(tx, actor, message.id, input.attachmentIds, attachmentLimits(env));
    const now = new Date();
    await tx.ticket.update({
      where: { id: ticket.id },
      data: { lastActivityAt: now, firstResponseAt: ticket.firstResponseAt ?? now, ...(ticket.status === "new" ? { status: "open" } : {}) },
    });
    await recordAudit(
      {
        action: "ticket.replied",
        actor: auditActorOf(actor),
        subjectType: "Ticket",
        subjectId: ticket.id,
        details: { emailed: Boolean(recipient), ...auditViaOf(actor) },
      },
      tx,
    );
    await emitWebhookEvent("message.created", { ticketId: ticket.id, messageId: message.id, kind: "public_reply", author: "staff" }, tx);
    // "Send and set pending / solved": the status moves in the same transaction, or nothing is sent.
    const replied = { ...ticket, status: ticket.status === "new" ? ("open" as const) : ticket.status };
    let status: TicketStatus = replied.status;
    if (input.thenStatus && input.thenStatus !== replied.status) {
      await moveStatusAsStaff(tx, replied, input.thenStatus, now, actor.userId);
      await recordAudit(
        {
          action: "ticket.updated",
          actor: auditActorOf(actor),
          subjectType: "Ticket",
          subjectId: ticket.id,
          details: { status: input.thenStatus, priority: null, ...auditViaOf(actor) },
        },
        tx,
      );
      await emitWebhookEvent("ticket.updated", { ticketId: ticket.id, status: input.thenStatus }, tx);
      status = input.thenStatus;
    }
    return { messageId: message.id, emailedTo: recipient, notEmailedBecause, status };
  });
  if (result.emailedTo || result.status === "solved") {
    const { kickOutboxWorker } = await import("@/platform/outbox/worker");
    void kickOutboxWorker();
  }
  return result;
}

/**
 * Uploads belong to a person: a writer without a user id (an API token) has none to claim, and
 * the API's schemas carry no attachment ids, so any that reach here are refused, not ignored.
 */
async function claimWriterUploads(
  tx: Prisma.TransactionClient,
  writer: StaffWriter,
  messageId: string,
  uploadIds: readonly string[] | undefined,
  limits: ReturnType<typeof attachmentLimits>,
) {
  if (writer.userId) return claimUploads(tx, { userId: writer.userId }, messageId, uploadIds, limits);
  if (uploadIds?.length) throw new DomainError("Only a person can attach their uploads to a message.", "invalid");
  return [];
}

export async function addInternalNote(actor: StaffWriter, input: TicketReplyInput) {
  await requireTicket(input.ticketId);
  return db.$transaction(async (tx) => {
    const message = await tx.ticketMessage.create({
      data: { ticketId: input.ticketId, kind: "internal_note", authorUserId: actor.userId, authorApiTokenId: actor.apiTokenId ?? null, body: input.body },
      select: { id: true },
    });
    await claimWriterUploads(tx, actor, message.id, input.attachmentIds, attachmentLimits(serverEnv()));
    if (actor.apiTokenId)
      await recordAudit({ action: "ticket.noted", actor: null, subjectType: "Ticket", subjectId: input.ticketId, details: auditViaOf(actor) }, tx);
    await emitWebhookEvent("message.created", { ticketId: input.ticketId, messageId: message.id, kind: "internal_note", author: "staff" }, tx);
    return message;
  });
}

/** Refuses an assignee who is not active staff (the console's list offers only them; the API may name anyone). */
async function requireAssignableStaff(assigneeId: string | null | undefined) {
  if (!assigneeId) return;
  const assignee = await db.user.findUnique({ where: { id: assigneeId }, select: { role: true, disabledAt: true } });
  if (!assignee || assignee.role === "customer" || assignee.disabledAt)
    throw new DomainError("Tickets can only be assigned to active staff.", "invalid", { assigneeId: ["Not an active staff member."] });
}

/** The assignment inside the caller's transaction (audited, webhook, the new assignee told). */
async function assignInTransaction(tx: Prisma.TransactionClient, actor: StaffWriter, ticketId: string, assigneeId: string | null) {
  // The row lock makes "who had it before" exact when two people assign at once.
  const [before] = await tx.$queryRaw<{ assigneeId: string | null }[]>`
    SELECT "assigneeId" FROM "Ticket" WHERE "id" = CAST(${ticketId} AS uuid) FOR UPDATE`;
  const ticket = await tx.ticket.update({
    where: { id: ticketId },
    data: { assigneeId },
    select: { id: true, number: true, subject: true },
  });
  await recordAudit(
    { action: "ticket.assigned", actor: auditActorOf(actor), subjectType: "Ticket", subjectId: ticketId, details: { assigneeId, ...auditViaOf(actor) } },
    tx,
  );
  await emitWebhookEvent("ticket.updated", { ticketId, assigneeId }, tx);
  return notifyAssignment(tx, actor, ticket, assigneeId, before?.assigneeId ?? null);
}

export async function assignTicket(actor: StaffWriter, input: { ticketId: string; assigneeId: string | null }) {
  await requireTicket(input.ticketId);
  await requireAssignableStaff(input.assigneeId);
  const { emailed } = await db.$transaction((tx) => assignInTransaction(tx, actor, input.ticketId, input.assigneeId));
  if (emailed.length > 0) void kickDelivery();
}

const isFinished = (status: TicketStatus) => CLOSED_STATUSES.includes(status as (typeof CLOSED_STATUSES)[number]);

/**
 * One status change by staff inside the caller's transaction: checked against the state machine
 * (features/tickets/status-rules.ts), conditional on the status read (a concurrent change wins and
 * this one is refused), with the solved/closed times and the SLA clocks following.
 */
async function moveStatusAsStaff(
  tx: Prisma.TransactionClient,
  ticket: { id: string; status: TicketStatus; solvedAt: Date | null },
  to: TicketStatus,
  now: Date,
  /** The staff member who moves it (null: an API token); a solve's rating is theirs. */
  movedBy: string | null,
) {
  const move = statusMove("staff", ticket.status, to);
  if (!move.ok) throw new DomainError(move.message, "conflict", { status: [move.message] });
  const changed = await tx.ticket.updateMany({
    where: { id: ticket.id, status: ticket.status },
    data: {
      status: to,
      lastActivityAt: now,
      solvedAt: to === "solved" ? now : isFinished(to) ? ticket.solvedAt : null,
      closedAt: to === "closed" ? now : null,
    },
  });
  if (changed.count !== 1) throw new DomainError("This ticket changed meanwhile. Reload the page and try again.", "conflict");
  if (isFinished(ticket.status) && !isFinished(to)) await restartResolutionTarget(tx, ticket.id, now);
  await applySlaPauseForStatusChange(tx, ticket.id, ticket.status, to, now);
  // Solved by staff: the requester is asked for a rating, in this transaction (features/satisfaction/surveys.ts says who never is).
  if (to === "solved") await queueSatisfactionSurvey(tx, ticket.id, now, movedBy);
}

type TicketChanges = { status?: TicketStatus; priority?: TicketPriority };

/** Status and priority inside the caller's transaction, with their webhook; true when something changed. */
async function updateInTransaction(
  tx: Prisma.TransactionClient,
  ticket: { id: string; status: TicketStatus; solvedAt: Date | null },
  input: TicketChanges,
  now: Date,
  movedBy: string | null,
): Promise<boolean> {
  const to = input.status;
  if (input.priority) await tx.ticket.update({ where: { id: ticket.id }, data: { priority: input.priority, lastActivityAt: now } });
  if (to && to !== ticket.status) await moveStatusAsStaff(tx, ticket, to, now, movedBy);
  if (input.priority || (to && to !== ticket.status)) {
    await emitWebhookEvent("ticket.updated", { ticketId: ticket.id, status: to ?? null, priority: input.priority ?? null }, tx);
    return true;
  }
  return false;
}

export async function updateTicket(actor: StaffWriter, input: { ticketId: string } & TicketChanges) {
  const ticket = await requireTicket(input.ticketId);
  const now = new Date();
  await db.$transaction((tx) => updateInTransaction(tx, ticket, input, now, actor.userId));
  if (input.status === "solved" && ticket.status !== "solved") void kickDelivery();
  await recordAudit({
    action: "ticket.updated",
    actor: auditActorOf(actor),
    subjectType: "Ticket",
    subjectId: ticket.id,
    details: { status: input.status ?? null, priority: input.priority ?? null, ...auditViaOf(actor) },
  });
}

/**
 * Status, priority and assignee together, as one transaction, only if the ticket is still at the
 * version the writer last saw (the REST API's If-Match): the same rules as the console's controls
 * (state machine, active staff only, SLA clocks, webhooks, audit). A stale version is refused as a
 * conflict naming the current one, so nobody overwrites a change they have not seen.
 */
export async function changeTicketAtVersion(
  actor: StaffWriter,
  input: { ticketId: string; expectedVersions: readonly number[] } & TicketChanges & { assigneeId?: string | null },
): Promise<{ version: number }> {
  await requireAssignableStaff(input.assigneeId);
  const now = new Date();
  const { emailed, version } = await db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: string; status: TicketStatus; solvedAt: Date | null; version: number; assigneeId: string | null }[]>`
      SELECT id, status, "solvedAt", version, "assigneeId" FROM "Ticket" WHERE id = ${input.ticketId}::uuid FOR UPDATE`;
    if (!locked) throw new DomainError("That ticket does not exist.", "not_found");
    if (!input.expectedVersions.includes(locked.version)) throw new StaleVersionError(locked.version);
    const changed = await updateInTransaction(tx, locked, input, now, actor.userId);
    const assigned =
      input.assigneeId !== undefined && input.assigneeId !== locked.assigneeId
        ? await assignInTransaction(tx, actor, locked.id, input.assigneeId)
        : { emailed: [] };
    if (changed)
      await recordAudit(
        {
          action: "ticket.updated",
          actor: auditActorOf(actor),
          subjectType: "Ticket",
          subjectId: locked.id,
          details: { status: input.status ?? null, priority: input.priority ?? null, ...auditViaOf(actor) },
        },
        tx,
      );
    const after = await tx.ticket.findUniqueOrThrow({ where: { id: locked.id }, select: { version: true } });
    return { emailed: assigned.emailed, version: after.version };
  });
  if (emailed.length > 0 || input.status === "solved") void kickDelivery();
  return { version };
}

/** The ticket moved on since the version the writer saw (If-Match); `current` is its version now. */
export class StaleVersionError extends DomainError {
  constructor(readonly current: number) {
    super("This ticket changed since you read it. Read it again and repeat your change on what it is now.", "conflict");
    this.name = "StaleVersionError";
  }
}
