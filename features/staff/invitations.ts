import "server-only";
/**
 * Staff invitations, sent by administrators from /admin/staff and accepted on /invitation.
 *
 *  - The link carries a 256-bit token from the CSPRNG (crypto.randomBytes). Only its HMAC-SHA256
 *    (key derived from NEXTAUTH_SECRET under its own HKDF label) is stored, so a copy of the
 *    database cannot be turned into working links; the outbox keeps the email sealed (sensitive).
 *  - A link works once, until STAFF_INVITATION_LIFETIME_HOURS (72 h by default) pass. Resending
 *    replaces the stored hash (the earlier link dies at once); revoking or accepting ends it.
 *  - An invitation is pending while `pendingEmail` holds its address: that column is unique, so
 *    one address never has two pending invitations, even when two administrators invite at once.
 *  - Accepting makes the staff account with the invited name and role and the chosen password
 *    (the password policy and argon2id of features/accounts/password). When REQUIRE_STAFF_TWO_FACTOR
 *    is on, the guard sends the new person to set up two-factor sign-in before any staff page.
 *  - The accept page and action answer the same words for an unknown, expired, used or replaced link.
 *  - Everything is audited (staff.invited / invitation_resent / invitation_revoked / invitation_accepted).
 */
import { createHmac, randomBytes } from "node:crypto";
import { derivedKey } from "@/platform/secret-keys";
import { recordAudit } from "@/platform/audit";
import { mayEnter } from "@/platform/auth/policy";
import { db, type Prisma, type Role } from "@/platform/db/client";
import { isUniqueViolation } from "@/platform/db/errors";
import { normalizeEmail } from "@/platform/email-address/email-address";
import { publicBaseUrl, serverEnv } from "@/platform/env";
import { DomainError } from "@/platform/errors";
import { enqueueEmail, kickOutboxWorker } from "@/platform/outbox/outbox";
import { formatDuration } from "@/platform/text/durations";
import { checkPasswordPolicy, hashPassword } from "@/features/accounts/password/password";
import { INVITATION_SUBJECT, renderInvitationEmail } from "@/features/staff/invitation-email";
import { ROLE_LABEL } from "@/features/staff/roles";
import type { StaffRole, inviteStaffSchema } from "@/features/staff/schemas";
import type { z } from "zod";

export const INVALID_INVITATION_MESSAGE =
  "This invitation link does not work: it may have expired, been used already, or been replaced by a newer one. Ask your administrator to send you a new invitation.";

const HKDF_INFO = "veridesk/staff-invitation-token/v1";
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function tokenKey(secret: string = serverEnv().NEXTAUTH_SECRET): Buffer {
  return derivedKey(HKDF_INFO, secret);
}

/** The stored form of a token: its keyed hash (hex). */
export function hashInvitationToken(token: string): string {
  return createHmac("sha256", tokenKey()).update(token).digest("hex");
}

function newToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashInvitationToken(token) };
}

export function invitationLifetimeSeconds(): number {
  return serverEnv().STAFF_INVITATION_LIFETIME_HOURS * 60 * 60;
}

export function invitationLink(token: string): string {
  return `${publicBaseUrl()}/invitation?token=${token}`;
}

type Admin = { userId: string; role: Role };
type Tx = Prisma.TransactionClient;

function requireAdmin(actor: Admin) {
  if (!mayEnter(actor.role, "admin")) throw new DomainError("Only an administrator can manage staff invitations.", "forbidden");
}

async function queueInvitationEmail(
  tx: Tx,
  invitation: { id: string; email: string; name: string; role: StaffRole; expiresAt: Date },
  token: string,
  invitedBy: string,
) {
  const lifetime = formatDuration(invitationLifetimeSeconds(), { style: "words" });
  const email = await renderInvitationEmail({
    name: invitation.name,
    invitedBy,
    roleLabel: ROLE_LABEL[invitation.role],
    link: invitationLink(token),
    lifetime,
  });
  await enqueueEmail(
    {
      kind: "staff-invitation",
      to: invitation.email,
      subject: INVITATION_SUBJECT,
      text: email.text,
      html: email.html,
      sensitive: true,
      expiresAt: invitation.expiresAt,
    },
    tx,
  );
}

async function adminName(tx: Tx, actor: Admin): Promise<string> {
  const me = await tx.user.findUnique({ where: { id: actor.userId }, select: { name: true, role: true, disabledAt: true } });
  // Read again: the session said admin, but another administrator may have changed that a moment ago.
  if (!me || me.role !== "admin" || me.disabledAt)
    throw new DomainError("Only an administrator can manage staff invitations (your own role has just changed).", "forbidden");
  return me.name;
}

/** Invites a person: refuses an address that already has an account or a pending invitation, with a clear sentence. */
export async function inviteStaff(
  input: z.output<typeof inviteStaffSchema>,
  actor: Admin,
  ip: string | null,
  now: Date = new Date(),
): Promise<{ invitationId: string; email: string; expiresAt: Date; message: string }> {
  requireAdmin(actor);
  const email = normalizeEmail(input.email);
  const existing = await db.user.findUnique({ where: { email }, select: { name: true, role: true } });
  if (existing) {
    const message =
      existing.role === "customer"
        ? `${email} belongs to a customer account: staff need an address of their own.`
        : `${email} already has a staff account (${existing.name}, ${ROLE_LABEL[existing.role].toLowerCase()}): change their role in the list below instead.`;
    throw new DomainError(message, "conflict", { email: [message] });
  }
  const { token, tokenHash } = newToken();
  const expiresAt = new Date(now.getTime() + invitationLifetimeSeconds() * 1000);
  try {
    const invitation = await db.$transaction(async (tx) => {
      const invitedBy = await adminName(tx, actor);
      // An expired invitation no longer holds the address: the new one takes its place.
      await tx.staffInvitation.updateMany({ where: { pendingEmail: email, expiresAt: { lte: now } }, data: { pendingEmail: null } });
      const created = await tx.staffInvitation.create({
        data: { email, pendingEmail: email, name: input.name, role: input.role, tokenHash, expiresAt, invitedById: actor.userId, createdAt: now },
      });
      await queueInvitationEmail(tx, { ...created, role: input.role }, token, invitedBy);
      await recordAudit(
        {
          action: "staff.invited",
          actor: { userId: actor.userId, role: "admin" },
          subjectType: "StaffInvitation",
          subjectId: created.id,
          ip,
          details: { role: input.role },
        },
        tx,
      );
      return created;
    });
    void kickOutboxWorker();
    return {
      invitationId: invitation.id,
      email,
      expiresAt,
      message: `Invitation sent to ${email}. The link works for ${formatDuration(invitationLifetimeSeconds(), { style: "words" })}.`,
    };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const message = `${email} already has a pending invitation: resend it from the list of pending invitations instead.`;
    throw new DomainError(message, "conflict", { email: [message] });
  }
}

const GONE = "That invitation is no longer pending: it was accepted or revoked meanwhile.";

/** A new link for a pending (or expired, not yet replaced) invitation; the previous link dies. */
export async function resendInvitation(
  invitationId: string,
  actor: Admin,
  ip: string | null,
  now: Date = new Date(),
): Promise<{ message: string; expiresAt: Date }> {
  requireAdmin(actor);
  const { token, tokenHash } = newToken();
  const expiresAt = new Date(now.getTime() + invitationLifetimeSeconds() * 1000);
  await db
    .$transaction(async (tx) => {
      const invitedBy = await adminName(tx, actor);
      const [invitation] = await tx.$queryRaw<{ id: string; email: string; name: string; role: StaffRole }[]>`
      SELECT id, email, name, role::text AS role FROM "StaffInvitation" WHERE id = ${invitationId}::uuid AND "pendingEmail" IS NOT NULL FOR UPDATE`;
      if (!invitation) throw new DomainError(GONE, "not_found");
      await tx.staffInvitation.update({ where: { id: invitation.id }, data: { tokenHash, expiresAt, sentCount: { increment: 1 } } });
      await queueInvitationEmail(tx, { ...invitation, expiresAt }, token, invitedBy);
      await recordAudit(
        { action: "staff.invitation_resent", actor: { userId: actor.userId, role: "admin" }, subjectType: "StaffInvitation", subjectId: invitation.id, ip },
        tx,
      );
      return invitation;
    })
    .then((invitation) => {
      void kickOutboxWorker();
      return invitation;
    });
  const lifetime = formatDuration(invitationLifetimeSeconds(), { style: "words" });
  return { expiresAt, message: `A new invitation link was sent; the earlier link no longer works. The new one works for ${lifetime}.` };
}

/** Revokes a pending invitation: its link stops working at once. */
export async function revokeInvitation(invitationId: string, actor: Admin, ip: string | null, now: Date = new Date()): Promise<{ message: string }> {
  requireAdmin(actor);
  return db.$transaction(async (tx) => {
    await adminName(tx, actor);
    const [invitation] = await tx.$queryRaw<{ id: string; email: string }[]>`
      UPDATE "StaffInvitation" SET "pendingEmail" = NULL, "revokedAt" = ${now}
      WHERE id = ${invitationId}::uuid AND "pendingEmail" IS NOT NULL RETURNING id, email`;
    if (!invitation) throw new DomainError(GONE, "not_found");
    await recordAudit(
      { action: "staff.invitation_revoked", actor: { userId: actor.userId, role: "admin" }, subjectType: "StaffInvitation", subjectId: invitation.id, ip },
      tx,
    );
    return { message: `The invitation to ${invitation.email} was revoked: its link no longer works.` };
  });
}

export type PendingInvitation = { id: string; email: string; name: string; role: StaffRole; expiresAt: Date; invitedBy: string | null; sentCount: number };

/** Invitations not yet accepted nor revoked (expired ones included: they can be resent), soonest to expire first. */
export async function listPendingInvitations(): Promise<PendingInvitation[]> {
  const rows = await db.staffInvitation.findMany({
    where: { pendingEmail: { not: null } },
    orderBy: [{ expiresAt: "asc" }, { id: "asc" }],
    select: { id: true, email: true, name: true, role: true, expiresAt: true, sentCount: true, invitedBy: { select: { name: true } } },
  });
  return rows.map((row) => ({ ...row, role: row.role as StaffRole, invitedBy: row.invitedBy?.name ?? null }));
}

export type InvitationCheck = { ok: true; invitation: { id: string; email: string; name: string; role: StaffRole } } | { ok: false; message: string };

/** Checks a link without using it (the page's GET). Unknown, expired, used and replaced links get the same answer. */
export async function checkInvitationToken(token: string, now: Date = new Date()): Promise<InvitationCheck> {
  if (!TOKEN_PATTERN.test(token)) return { ok: false, message: INVALID_INVITATION_MESSAGE };
  const invitation = await db.staffInvitation.findFirst({
    // The inviter must still be an active administrator (deactivating or demoting them revokes
    // their invitations; this also covers an account removed or changed some other way).
    where: {
      tokenHash: hashInvitationToken(token),
      pendingEmail: { not: null },
      expiresAt: { gt: now },
      invitedBy: { is: { role: "admin", disabledAt: null } },
    },
    select: { id: true, email: true, name: true, role: true },
  });
  return invitation ? { ok: true, invitation: { ...invitation, role: invitation.role as StaffRole } } : { ok: false, message: INVALID_INVITATION_MESSAGE };
}

export type AcceptResult = { ok: true; email: string } | { ok: false; reason: "invalid_link" | "weak_password"; message: string };

/**
 * Uses a link: makes the staff account. One conditional UPDATE claims the invitation, so the
 * same link submitted twice at once makes one account; the account is made in that transaction.
 */
export async function acceptInvitation(input: { token: string; password: string; ip: string | null; now?: Date }): Promise<AcceptResult> {
  const now = input.now ?? new Date();
  const check = await checkInvitationToken(input.token, now);
  if (!check.ok) return { ok: false, reason: "invalid_link", message: check.message };
  const { invitation } = check;
  const policy = checkPasswordPolicy(input.password, { email: invitation.email, name: invitation.name });
  if (!policy.ok) return { ok: false, reason: "weak_password", message: policy.message };
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      const [claimed] = await tx.$queryRaw<{ id: string }[]>`
        UPDATE "StaffInvitation" SET "pendingEmail" = NULL, "acceptedAt" = ${now}
        WHERE "tokenHash" = ${hashInvitationToken(input.token)} AND "pendingEmail" IS NOT NULL AND "expiresAt" > ${now}
          AND EXISTS (SELECT 1 FROM "User" inviter WHERE inviter.id = "StaffInvitation"."invitedById" AND inviter.role = 'admin' AND inviter."disabledAt" IS NULL)
        RETURNING id`;
      if (!claimed) return { ok: false, reason: "invalid_link", message: INVALID_INVITATION_MESSAGE } as const;
      const user = await tx.user.create({
        // The link reached this mailbox: the address is verified.
        data: { email: invitation.email, name: invitation.name, role: invitation.role, passwordHash, emailVerifiedAt: now },
      });
      await tx.staffInvitation.update({ where: { id: claimed.id }, data: { userId: user.id } });
      await recordAudit(
        {
          action: "staff.invitation_accepted",
          actor: { userId: user.id, role: user.role },
          subjectType: "User",
          subjectId: user.id,
          ip: input.ip,
          details: { invitationId: claimed.id, role: user.role },
        },
        tx,
      );
      return { ok: true, email: user.email } as const;
    });
  } catch (error) {
    // Someone made an account with this address since the invitation was sent.
    if (isUniqueViolation(error)) return { ok: false, reason: "invalid_link", message: INVALID_INVITATION_MESSAGE };
    throw error;
  }
}
