import "server-only";
/**
 * Escalations (agent → supervisor) and supervisor identity overrides.
 *
 * Rules (the service checks roles itself, not only the action wrappers):
 *  - Staff (agent, supervisor, admin) escalate a ticket with a reason and a note. A ticket has at
 *    most one open or claimed MANUAL escalation; the ticket row is locked (SELECT … FOR UPDATE)
 *    while deciding, so two agents escalating at once create one. Automatic SLA escalations are
 *    separate (unique per ticket and SLA event) and do not block a manual one.
 *  - Supervisors and admins claim an open escalation. The claim is one conditional UPDATE
 *    (… WHERE status = 'open'): of two supervisors claiming at once exactly one wins, the other is
 *    told who has it and nothing changes.
 *  - Only the supervisor holding the claim resolves, reassigns, de-escalates or releases it (back
 *    to open). Another supervisor may TAKE OVER the claim (the claimer is away): one conditional
 *    UPDATE on (id, status = 'claimed', assigneeId = the claimer they saw), so of two take-overs,
 *    or a take-over racing the claimer's resolve, exactly one wins and the other is told what
 *    happened ("Jordan Lee resolved it a moment ago"). An open escalation must be claimed first,
 *    so every outcome has exactly one accountable supervisor.
 *  - Every change writes an internal note on the ticket thread and an audit event, in the same
 *    transaction as the change.
 */
import type { z } from "zod";
import { recordAudit } from "@/platform/audit";
import { askOwnersAboutStaffChange, sendStaffChangeTexts } from "@/features/accounts/text-confirmation/pending-changes";
import { ticketReference } from "@/features/tickets/labels";
import { DomainError } from "@/platform/errors";
import type { Actor } from "@/platform/auth/sessions";
import { db, type Prisma, type Role } from "@/platform/db/client";
import { formatRelative } from "@/platform/text/durations";
import { identityCheckExpiresAt } from "@/features/callers/check-expiry";
import {
  type DeescalateInput,
  deescalateSchema,
  ESCALATION_REASON_LABEL,
  type EscalateTicketInput,
  escalateTicketSchema,
  escalationRefSchema,
  type OverrideIdentityCheckInput,
  overrideIdentityCheckSchema,
  type ReassignEscalationInput,
  reassignEscalationSchema,
  type ResolveEscalationInput,
  resolveEscalationSchema,
  type TakeOverEscalationInput,
  takeOverEscalationSchema,
} from "@/features/escalations/schemas";
import { kickDelivery, notifyEscalation } from "@/features/notifications/notify";
import { emitWebhookEvent } from "@/features/webhooks/events";
import { auditActorOf, auditViaOf, type StaffWriter } from "@/features/tickets/writer";

const STAFF: readonly Role[] = ["agent", "supervisor", "admin"];
const SUPERVISORS: readonly Role[] = ["supervisor", "admin"];
const auditActor = (actor: Actor) => ({ userId: actor.userId, role: actor.role });
type Meta = { ip?: string | null; now?: Date };

/** Parses with the input's one schema; the first problem is the error's message (clear in any caller). */
function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0] ?? "form")] ??= []).push(issue.message);
  throw new DomainError(parsed.error.issues[0]?.message ?? "Some fields need attention.", "invalid", fieldErrors);
}

function requireStaff(actor: Actor) {
  if (!STAFF.includes(actor.role)) throw new DomainError("Only support staff can escalate tickets.", "forbidden");
}

function requireSupervisor(actor: Actor, doing: string) {
  if (!SUPERVISORS.includes(actor.role)) throw new DomainError(`Only a supervisor can ${doing}.`, "forbidden");
}

/** Locks the ticket row for the rest of the transaction: decisions about its escalations serialise on it. */
async function lockTicket(tx: Prisma.TransactionClient, ticketId: string) {
  const rows = await tx.$queryRaw<{ id: string; status: string; channel: string; customerId: string | null }[]>`
    SELECT "id", CAST("status" AS text) AS "status", CAST("channel" AS text) AS "channel", "customerId"
      FROM "Ticket" WHERE "id" = CAST(${ticketId} AS uuid) FOR UPDATE`;
  const ticket = rows[0];
  if (!ticket) throw new DomainError("That ticket does not exist.", "not_found");
  return ticket;
}

async function internalNote(tx: Prisma.TransactionClient, ticketId: string, actor: Pick<StaffWriter, "userId" | "apiTokenId">, body: string, now: Date) {
  await tx.ticketMessage.create({
    data: { ticketId, kind: "internal_note", authorUserId: actor.userId, authorApiTokenId: actor.apiTokenId ?? null, body, createdAt: now },
  });
  await tx.ticket.update({ where: { id: ticketId }, data: { lastActivityAt: now } });
}

// ───────────── Agents ─────────────

/** Raised by a staff member, or by a REST API token with tickets:write (nobody: the audit and the note name the token). */
export async function escalateTicket(actor: StaffWriter, input: EscalateTicketInput, meta: Meta = {}) {
  if (!(actor.apiTokenId && actor.userId === null) && !(actor.role && STAFF.includes(actor.role)))
    throw new DomainError("Only support staff can escalate tickets.", "forbidden");
  const { ticketId, reason, note } = parse(escalateTicketSchema, input);
  const now = meta.now ?? new Date();
  const raised = await db.$transaction(async (tx) => {
    const ticket = await lockTicket(tx, ticketId);
    if (ticket.status === "closed") throw new DomainError("This ticket is closed: reopen it before escalating.", "conflict");
    const existing = await tx.escalation.findFirst({ where: { ticketId, automatic: false, status: { in: ["open", "claimed"] } }, select: { id: true } });
    if (existing) throw new DomainError("Already escalated to a supervisor.", "conflict");
    const escalation = await tx.escalation.create({
      data: { ticketId, reason, note, raisedById: actor.userId, raisedAt: now },
      select: { id: true, ticketId: true, reason: true, status: true },
    });
    await internalNote(tx, ticketId, actor, `Escalated to a supervisor: ${ESCALATION_REASON_LABEL[reason]} — ${note}`, now);
    await notifyEscalation(tx, { escalationId: escalation.id, ticketId, raisedBy: actor, reason: ESCALATION_REASON_LABEL[reason], note });
    await recordAudit(
      {
        action: "escalation.raised",
        actor: auditActorOf(actor),
        subjectType: "Escalation",
        subjectId: escalation.id,
        ip: meta.ip,
        details: { ticketId, reason, ...auditViaOf(actor) },
      },
      tx,
    );
    await emitWebhookEvent("escalation.raised", { escalationId: escalation.id, ticketId, reason }, tx);
    return escalation;
  });
  void kickDelivery();
  return raised;
}

// ───────────── Supervisors ─────────────

const STATE_REFUSAL = {
  resolved: "This escalation was already resolved.",
  deescalated: "This escalation was already de-escalated.",
} as const;

/** Why a conditional update changed nothing, read after it (under READ COMMITTED: the winner's committed state). */
async function refusalFor(tx: Prisma.TransactionClient, actor: Actor, escalationId: string, wanted: "open" | "claimed_by_me"): Promise<never> {
  const current = await tx.escalation.findUnique({
    where: { id: escalationId },
    select: { status: true, assigneeId: true, assignee: { select: { name: true } } },
  });
  if (!current) throw new DomainError("That escalation does not exist.", "not_found");
  if (current.status === "resolved" || current.status === "deescalated") throw new DomainError(STATE_REFUSAL[current.status], "conflict");
  if (current.status === "claimed") {
    if (current.assigneeId === actor.userId) throw new DomainError("You already claimed this escalation.", "conflict");
    throw new DomainError(`Already claimed by ${current.assignee?.name ?? "another supervisor"}.`, "conflict");
  }
  // Open, but the action needs the actor's claim.
  if (wanted === "claimed_by_me") throw new DomainError("Claim this escalation first.", "conflict");
  throw new DomainError("This escalation cannot be claimed now.", "conflict");
}

export async function claimEscalation(actor: Actor, input: { escalationId: string }, meta: Meta = {}) {
  requireSupervisor(actor, "claim escalations");
  const { escalationId } = parse(escalationRefSchema, input);
  const now = meta.now ?? new Date();
  return db.$transaction(async (tx) => {
    // One conditional UPDATE: a concurrent claim waits on the row lock, then finds status ≠ open.
    const { count } = await tx.escalation.updateMany({
      where: { id: escalationId, status: "open" },
      data: { status: "claimed", assigneeId: actor.userId, claimedAt: now },
    });
    if (count === 0) return refusalFor(tx, actor, escalationId, "open");
    const escalation = await tx.escalation.findUniqueOrThrow({ where: { id: escalationId }, select: { id: true, ticketId: true, status: true } });
    await internalNote(tx, escalation.ticketId, actor, `Escalation claimed by ${actor.name}.`, now);
    await recordAudit(
      {
        action: "escalation.claimed",
        actor: auditActor(actor),
        subjectType: "Escalation",
        subjectId: escalationId,
        ip: meta.ip,
        details: { ticketId: escalation.ticketId },
      },
      tx,
    );
    return escalation;
  });
}

/** "a moment ago" under a minute, else "12 min ago": how long since another supervisor acted. */
function sinceText(then: Date | null, now: Date) {
  return then ? formatRelative(then, now) : "a moment ago";
}

/**
 * Why a take-over changed nothing: what the supervisor who got there first did, in words. Read
 * after the conditional UPDATE, so it is the winner's committed state.
 */
async function takeOverRefusal(tx: Prisma.TransactionClient, actor: Actor, escalationId: string, now: Date): Promise<never> {
  const current = await tx.escalation.findUnique({
    where: { id: escalationId },
    select: {
      status: true,
      assigneeId: true,
      claimedAt: true,
      resolvedAt: true,
      assignee: { select: { name: true } },
      reassignedTo: { select: { name: true } },
    },
  });
  if (!current) throw new DomainError("That escalation does not exist.", "not_found");
  const who = current.assignee?.name ?? "Another supervisor";
  if (current.status === "resolved" && current.reassignedTo) {
    throw new DomainError(`${who} reassigned it to ${current.reassignedTo.name} ${sinceText(current.resolvedAt, now)}: nothing to take over.`, "conflict");
  }
  if (current.status === "resolved") throw new DomainError(`${who} resolved it ${sinceText(current.resolvedAt, now)}: nothing to take over.`, "conflict");
  if (current.status === "deescalated")
    throw new DomainError(`${who} de-escalated it ${sinceText(current.resolvedAt, now)}: nothing to take over.`, "conflict");
  if (current.status === "open") throw new DomainError("It was released and is waiting for a supervisor again: claim it instead.", "conflict");
  if (current.assigneeId === actor.userId) throw new DomainError("You already hold this escalation.", "conflict");
  throw new DomainError(`${who} took it over ${sinceText(current.claimedAt, now)}: they hold it now.`, "conflict");
}

/**
 * Takes over another supervisor's claim (they are away, so nobody could finish it). Applies only
 * if the claimer the actor saw still holds it: see takeOverEscalationSchema.
 */
export async function takeOverEscalation(actor: Actor, input: TakeOverEscalationInput, meta: Meta = {}) {
  requireSupervisor(actor, "take over escalations");
  const { escalationId, fromAssigneeId } = parse(takeOverEscalationSchema, input);
  if (fromAssigneeId === actor.userId) throw new DomainError("You already hold this escalation.", "conflict");
  const now = meta.now ?? new Date();
  return db.$transaction(async (tx) => {
    const { count } = await tx.escalation.updateMany({
      where: { id: escalationId, status: "claimed", assigneeId: fromAssigneeId },
      data: { assigneeId: actor.userId, claimedAt: now },
    });
    if (count === 0) return takeOverRefusal(tx, actor, escalationId, now);
    const escalation = await tx.escalation.findUniqueOrThrow({ where: { id: escalationId }, select: { id: true, ticketId: true, status: true } });
    const from = await tx.user.findUnique({ where: { id: fromAssigneeId }, select: { name: true } });
    const fromName = from?.name ?? "a former supervisor";
    await internalNote(tx, escalation.ticketId, actor, `Escalation taken over by ${actor.name} from ${fromName}.`, now);
    await recordAudit(
      {
        action: "escalation.taken_over",
        actor: auditActor(actor),
        subjectType: "Escalation",
        subjectId: escalationId,
        ip: meta.ip,
        details: { ticketId: escalation.ticketId, fromUserId: fromAssigneeId, toUserId: actor.userId },
      },
      tx,
    );
    return { ...escalation, from: fromName };
  });
}

/** The claimer hands the escalation back to the queue (open, unclaimed) for another supervisor. */
export async function releaseEscalation(actor: Actor, input: { escalationId: string }, meta: Meta = {}) {
  requireSupervisor(actor, "release escalations");
  const { escalationId } = parse(escalationRefSchema, input);
  const now = meta.now ?? new Date();
  return db.$transaction(async (tx) => {
    const { count } = await tx.escalation.updateMany({
      where: { id: escalationId, status: "claimed", assigneeId: actor.userId },
      data: { status: "open", assigneeId: null, claimedAt: null },
    });
    if (count === 0) await refusalFor(tx, actor, escalationId, "claimed_by_me");
    const escalation = await tx.escalation.findUniqueOrThrow({ where: { id: escalationId }, select: { id: true, ticketId: true, status: true } });
    await internalNote(tx, escalation.ticketId, actor, `Escalation released by ${actor.name}: waiting for a supervisor again.`, now);
    await recordAudit(
      {
        action: "escalation.released",
        actor: auditActor(actor),
        subjectType: "Escalation",
        subjectId: escalationId,
        ip: meta.ip,
        details: { ticketId: escalation.ticketId },
      },
      tx,
    );
    return escalation;
  });
}

/**
 * Moves the actor's claimed escalation to a final state in one conditional UPDATE (… WHERE status
 * = 'claimed' AND assigneeId = actor), so a double submit or a concurrent change cannot apply twice.
 */
async function closeClaimed(
  tx: Prisma.TransactionClient,
  actor: Actor,
  escalationId: string,
  data: { status: "resolved" | "deescalated"; outcome: string; reassignedToId?: string },
  now: Date,
) {
  const { count } = await tx.escalation.updateMany({
    where: { id: escalationId, status: "claimed", assigneeId: actor.userId },
    data: { ...data, resolvedAt: now },
  });
  if (count === 0) await refusalFor(tx, actor, escalationId, "claimed_by_me");
  return tx.escalation.findUniqueOrThrow({ where: { id: escalationId }, select: { id: true, ticketId: true, status: true, outcome: true } });
}

export async function resolveEscalation(actor: Actor, input: ResolveEscalationInput, meta: Meta = {}) {
  requireSupervisor(actor, "resolve escalations");
  const { escalationId, outcome } = parse(resolveEscalationSchema, input);
  const now = meta.now ?? new Date();
  return db.$transaction(async (tx) => {
    const escalation = await closeClaimed(tx, actor, escalationId, { status: "resolved", outcome }, now);
    await internalNote(tx, escalation.ticketId, actor, `Escalation resolved by ${actor.name}: ${outcome}`, now);
    await recordAudit(
      {
        action: "escalation.resolved",
        actor: auditActor(actor),
        subjectType: "Escalation",
        subjectId: escalationId,
        ip: meta.ip,
        details: { ticketId: escalation.ticketId },
      },
      tx,
    );
    await emitWebhookEvent("escalation.resolved", { escalationId, ticketId: escalation.ticketId }, tx);
    return escalation;
  });
}

export async function reassignEscalation(actor: Actor, input: ReassignEscalationInput, meta: Meta = {}) {
  requireSupervisor(actor, "reassign escalated tickets");
  const { escalationId, agentId } = parse(reassignEscalationSchema, input);
  const now = meta.now ?? new Date();
  const agent = await db.user.findUnique({ where: { id: agentId }, select: { id: true, name: true, role: true, disabledAt: true } });
  if (!agent || !STAFF.includes(agent.role) || agent.disabledAt)
    throw new DomainError("Tickets can only be handed to active staff.", "invalid", { agentId: ["Choose an active member of staff."] });
  return db.$transaction(async (tx) => {
    const outcome = `Reassigned to ${agent.name}`;
    const escalation = await closeClaimed(tx, actor, escalationId, { status: "resolved", outcome, reassignedToId: agent.id }, now);
    await tx.ticket.update({ where: { id: escalation.ticketId }, data: { assigneeId: agent.id } });
    await internalNote(tx, escalation.ticketId, actor, `Escalation resolved by ${actor.name}: ${outcome}.`, now);
    await recordAudit(
      {
        action: "escalation.reassigned",
        actor: auditActor(actor),
        subjectType: "Escalation",
        subjectId: escalationId,
        ip: meta.ip,
        details: { ticketId: escalation.ticketId, assigneeId: agent.id },
      },
      tx,
    );
    return escalation;
  });
}

export async function deescalate(actor: Actor, input: DeescalateInput, meta: Meta = {}) {
  requireSupervisor(actor, "de-escalate tickets");
  const { escalationId, reason } = parse(deescalateSchema, input);
  const now = meta.now ?? new Date();
  return db.$transaction(async (tx) => {
    const escalation = await closeClaimed(tx, actor, escalationId, { status: "deescalated", outcome: reason }, now);
    await internalNote(tx, escalation.ticketId, actor, `De-escalated by ${actor.name}: ${reason}`, now);
    await recordAudit(
      {
        action: "escalation.deescalated",
        actor: auditActor(actor),
        subjectType: "Escalation",
        subjectId: escalationId,
        ip: meta.ip,
        details: { ticketId: escalation.ticketId },
      },
      tx,
    );
    return escalation;
  });
}

/**
 * A supervisor's manual verification of this conversation, with a written reason. It counts like
 * a passed check (for this ticket, until it expires) but is recorded, audited and shown as an
 * override (outcome "overridden", method supervisor_override).
 */
export async function overrideIdentityCheck(actor: Actor, input: OverrideIdentityCheckInput, meta: Meta = {}) {
  requireSupervisor(actor, "override an identity check");
  const { ticketId, reason } = parse(overrideIdentityCheckSchema, input);
  const now = meta.now ?? new Date();
  const { check, askedOwners } = await db.$transaction(async (tx) => {
    const ticket = await lockTicket(tx, ticketId);
    const check = await tx.identityCheck.create({
      data: {
        ticketId,
        customerId: ticket.customerId,
        method: "supervisor_override",
        outcome: "overridden",
        reason,
        performedById: actor.userId,
        conversationChannel: ticket.channel as "web" | "email" | "phone" | "chat",
        createdAt: now,
        expiresAt: identityCheckExpiresAt(now),
      },
      select: { id: true, expiresAt: true },
    });
    await internalNote(tx, ticketId, actor, `Identity verified manually by ${actor.name} (supervisor override): ${reason}`, now);
    await recordAudit(
      {
        action: "identity.override",
        actor: auditActor(actor),
        subjectType: "Ticket",
        subjectId: ticketId,
        ip: meta.ip,
        details: { checkId: check.id, customerId: ticket.customerId, reasonGiven: true },
      },
      tx,
    );
    await emitWebhookEvent("identity.override", { ticketId, customerId: ticket.customerId, checkId: check.id }, tx);
    // The owner's verified mobile is told and may refuse (features/accounts/text-confirmation/).
    const askedOwners = await askOwnersAboutStaffChange(tx, {
      userIds: await ownerAccountsOf(tx, ticketId),
      kind: "identity_override",
      payload: { ticketId, checkId: check.id },
      summary: `verified your identity on support ticket ${ticketReference((await tx.ticket.findUniqueOrThrow({ where: { id: ticketId }, select: { number: true } })).number)}`,
      actor: auditActor(actor),
      ip: meta.ip ?? "unknown",
      now,
    });
    return { check, askedOwners };
  });
  await sendStaffChangeTexts(askedOwners, meta.ip ?? "unknown", now);
  return check;
}

/** The accounts a ticket's identity belongs to: its requester's (a customer account), else every portal account of its customer. */
async function ownerAccountsOf(tx: Prisma.TransactionClient, ticketId: string): Promise<string[]> {
  const ticket = await tx.ticket.findUniqueOrThrow({
    where: { id: ticketId },
    select: { customerId: true, requesterUserId: true },
  });
  const requester = ticket.requesterUserId ? await tx.user.findUnique({ where: { id: ticket.requesterUserId }, select: { id: true, role: true } }) : null;
  if (requester?.role === "customer") return [requester.id];
  if (!ticket.customerId) return [];
  return (await tx.user.findMany({ where: { customerId: ticket.customerId, role: "customer" }, select: { id: true } })).map((user) => user.id);
}
