import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyPassword } from "@/features/accounts/password/password";
import { credentialsProvider } from "@/features/accounts/sign-in/credentials";
import {
  INVALID_INVITATION_MESSAGE,
  acceptInvitation,
  checkInvitationToken,
  hashInvitationToken,
  invitationLifetimeSeconds,
  inviteStaff,
  listPendingInvitations,
  resendInvitation,
  revokeInvitation,
} from "@/features/staff/invitations";
import { deactivateStaff } from "@/features/staff/lifecycle";
import { changeStaffRole } from "@/features/staff/roles";
import { db, type Role } from "@/platform/db/client";
import { openSealedText } from "@/platform/outbox/sealed";

const PASSWORD = "lantern-moss-quarry-71";

async function makeUser(role: Role, name = `Person ${randomUUID().slice(0, 6)}`) {
  return db.user.create({ data: { email: `${randomUUID()}@staff.test`, name, role } });
}
const as = (user: { id: string; role: Role }) => ({ userId: user.id, role: user.role });
const newAddress = () => `invitee-${randomUUID().slice(0, 8)}@staff.test`;

/** The token in the newest invitation email queued to `to` (the outbox keeps it sealed). */
async function tokenSentTo(to: string): Promise<string> {
  const message = await db.outboxMessage.findFirstOrThrow({ where: { recipient: to, kind: "staff-invitation" }, orderBy: { createdAt: "desc" } });
  expect(message.sensitive).toBe(true);
  const text = openSealedText(message.textBody!);
  const token = /\/invitation\?token=([A-Za-z0-9_-]+)/.exec(text)?.[1];
  if (!token) throw new Error(`no invitation link in: ${text}`);
  return token;
}

async function invite(role: "agent" | "supervisor" | "admin" = "agent", now?: Date) {
  const admin = await makeUser("admin", "Ada Admin");
  const email = newAddress();
  const result = await inviteStaff({ name: "Nia Newcomer", email, role }, as(admin), "198.51.100.4", now);
  return { admin, email, result, token: await tokenSentTo(email) };
}

const authorize = credentialsProvider().options.authorize as (
  credentials: Record<string, string>,
  request: { headers: Record<string, string> },
) => Promise<{ id: string } | null>;
const headers = () => ({ "x-veridesk-peer": `192.0.2.${Math.floor(Math.random() * 250) + 1}` });

describe("inviting", () => {
  it("emails a link whose token appears nowhere in the database: only its keyed hash is stored", async () => {
    const { email, token, result, admin } = await invite("supervisor");
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await db.staffInvitation.findUniqueOrThrow({ where: { id: result.invitationId } });
    expect(row).toMatchObject({
      email,
      pendingEmail: email,
      name: "Nia Newcomer",
      role: "supervisor",
      invitedById: admin.id,
      tokenHash: hashInvitationToken(token),
    });
    expect(row.tokenHash).not.toContain(token);
    // Search every text column of the invitation and the (sealed) outbox row for the raw token.
    const [hits] = await db.$queryRaw<{ count: bigint }[]>`
      SELECT count(*) FROM (
        SELECT row_to_json(i)::text AS t FROM "StaffInvitation" i
        UNION ALL SELECT row_to_json(o)::text FROM "OutboxMessage" o
        UNION ALL SELECT row_to_json(a)::text FROM "AuditEvent" a
      ) everything WHERE t LIKE ${`%${token}%`}`;
    expect(Number(hits!.count)).toBe(0);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(72 * 3600 * 1000);
    expect(invitationLifetimeSeconds()).toBe(72 * 3600);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "staff.invited", subjectId: row.id } });
    expect(audit).toMatchObject({ actorUserId: admin.id, actorRole: "admin", ip: "198.51.100.4", details: { role: "supervisor" } });
    expect(JSON.stringify(audit.details)).not.toContain(email);
  });

  it("refuses an address that already has an account (staff or customer), or a pending invitation, with a sentence on the email field", async () => {
    const admin = await makeUser("admin");
    const agent = await makeUser("agent", "Sam Existing");
    await expect(inviteStaff({ name: "X", email: agent.email.toUpperCase(), role: "agent" }, as(admin), null)).rejects.toMatchObject({
      code: "conflict",
      message: `${agent.email} already has a staff account (Sam Existing, agent): change their role in the list below instead.`,
      fieldErrors: { email: [expect.any(String)] },
    });
    const customer = await makeUser("customer");
    await expect(inviteStaff({ name: "X", email: customer.email, role: "agent" }, as(admin), null)).rejects.toMatchObject({
      message: `${customer.email} belongs to a customer account: staff need an address of their own.`,
    });
    const email = newAddress();
    await inviteStaff({ name: "First", email, role: "agent" }, as(admin), null);
    await expect(inviteStaff({ name: "Second", email, role: "admin" }, as(admin), null)).rejects.toMatchObject({
      code: "conflict",
      message: `${email} already has a pending invitation: resend it from the list of pending invitations instead.`,
    });
    expect(await db.staffInvitation.count({ where: { email } })).toBe(1);
  });

  it("two administrators inviting the same address at once make one invitation", async () => {
    const admin = await makeUser("admin");
    const email = newAddress();
    const outcomes = await Promise.allSettled([
      inviteStaff({ name: "A", email, role: "agent" }, as(admin), null),
      inviteStaff({ name: "B", email, role: "agent" }, as(admin), null),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await db.staffInvitation.count({ where: { email } })).toBe(1);
    expect(await db.outboxMessage.count({ where: { recipient: email } })).toBe(1);
  });

  it("is for administrators only, re-read from the database", async () => {
    const supervisor = await makeUser("supervisor");
    await expect(inviteStaff({ name: "X", email: newAddress(), role: "agent" }, as(supervisor), null)).rejects.toMatchObject({ code: "forbidden" });
    // A session that still says admin after a demotion.
    const demoted = await makeUser("agent");
    await expect(inviteStaff({ name: "X", email: newAddress(), role: "agent" }, { userId: demoted.id, role: "admin" }, null)).rejects.toMatchObject({
      code: "forbidden",
    });
  });
});

describe("accepting", () => {
  it("makes the staff account with the invited name and role and an argon2id password; the link works once; sign-in works", async () => {
    const { email, token, result } = await invite("supervisor");
    expect((await checkInvitationToken(token)).ok).toBe(true);
    const accepted = await acceptInvitation({ token, password: PASSWORD, ip: "198.51.100.7" });
    expect(accepted).toEqual({ ok: true, email });
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(user).toMatchObject({ name: "Nia Newcomer", role: "supervisor", disabledAt: null });
    expect(user.emailVerifiedAt).not.toBeNull();
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.passwordHash!, PASSWORD)).toBe(true);
    expect(await db.staffInvitation.findUniqueOrThrow({ where: { id: result.invitationId } })).toMatchObject({ pendingEmail: null, userId: user.id });
    expect(await db.auditEvent.count({ where: { action: "staff.invitation_accepted", subjectId: user.id } })).toBe(1);

    // Used: the same words as for any other dead link, and no second account.
    expect(await checkInvitationToken(token)).toEqual({ ok: false, message: INVALID_INVITATION_MESSAGE });
    expect(await acceptInvitation({ token, password: "another-long-phrase-9", ip: null })).toEqual({
      ok: false,
      reason: "invalid_link",
      message: INVALID_INVITATION_MESSAGE,
    });
    expect(await authorize({ email, password: PASSWORD }, { headers: headers() })).toMatchObject({ id: user.id });
  });

  it("the same link submitted twice at once makes one account", async () => {
    const { email, token } = await invite();
    const results = await Promise.all([acceptInvitation({ token, password: PASSWORD, ip: null }), acceptInvitation({ token, password: PASSWORD, ip: null })]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(await db.user.count({ where: { email } })).toBe(1);
  });

  it("answers the same for an unknown, malformed, expired, replaced and revoked link, and makes nothing", async () => {
    const now = new Date();
    const { email, token, result, admin } = await invite("agent", now);
    const unknown = "A".repeat(43);
    const past = new Date(now.getTime() + 72 * 3600 * 1000 + 1);
    for (const [label, check] of [
      ["unknown", await checkInvitationToken(unknown)],
      ["malformed", await checkInvitationToken("../../etc")],
      ["expired", await checkInvitationToken(token, past)],
    ] as const) {
      expect(check, label).toEqual({ ok: false, message: INVALID_INVITATION_MESSAGE });
    }
    expect(await acceptInvitation({ token, password: PASSWORD, ip: null, now: past })).toMatchObject({ ok: false, reason: "invalid_link" });
    // Still good a moment before expiry.
    expect((await checkInvitationToken(token, new Date(past.getTime() - 2))).ok).toBe(true);

    // Resent: the old link dies, the new one works.
    await resendInvitation(result.invitationId, as(admin), null);
    const fresh = await tokenSentTo(email);
    expect(fresh).not.toBe(token);
    expect(await checkInvitationToken(token)).toEqual({ ok: false, message: INVALID_INVITATION_MESSAGE });
    expect((await checkInvitationToken(fresh)).ok).toBe(true);
    expect((await db.staffInvitation.findUniqueOrThrow({ where: { id: result.invitationId } })).sentCount).toBe(2);

    // Revoked: the new one dies too, and it leaves the pending list.
    await revokeInvitation(result.invitationId, as(admin), null);
    expect(await checkInvitationToken(fresh)).toEqual({ ok: false, message: INVALID_INVITATION_MESSAGE });
    expect(await acceptInvitation({ token: fresh, password: PASSWORD, ip: null })).toMatchObject({ ok: false, reason: "invalid_link" });
    expect((await listPendingInvitations()).map((pending) => pending.id)).not.toContain(result.invitationId);
    await expect(revokeInvitation(result.invitationId, as(admin), null)).rejects.toMatchObject({ code: "not_found" });
    await expect(resendInvitation(result.invitationId, as(admin), null)).rejects.toMatchObject({ code: "not_found" });
    expect(await db.user.count({ where: { email } })).toBe(0);
    expect(
      await db.auditEvent.count({ where: { subjectId: result.invitationId, action: { in: ["staff.invitation_resent", "staff.invitation_revoked"] } } }),
    ).toBe(2);
  });

  it("refuses a weak password (the blocklist, too short, their own name) and leaves the link usable", async () => {
    const { token } = await invite();
    for (const password of ["password123", "short", "Nia Newcomer 2024"]) {
      expect(await acceptInvitation({ token, password, ip: null }), password).toMatchObject({ ok: false, reason: "weak_password" });
    }
    expect((await checkInvitationToken(token)).ok).toBe(true);
  });

  it("an expired invitation is listed (to resend) and no longer blocks a new invitation to the address", async () => {
    const longAgo = new Date(Date.now() - 100 * 3600 * 1000);
    const { email, admin, result } = await invite("agent", longAgo);
    expect((await listPendingInvitations()).find((pending) => pending.id === result.invitationId)?.expiresAt.getTime()).toBeLessThan(Date.now());
    const again = await inviteStaff({ name: "Nia Newcomer", email, role: "agent" }, as(admin), null);
    expect(again.invitationId).not.toBe(result.invitationId);
  });
});

describe("an invitation and its inviter", () => {
  const deadLink = { ok: false, reason: "invalid_link", message: INVALID_INVITATION_MESSAGE };

  it("deactivating the inviter revokes their pending invitations, audited; the link is dead", async () => {
    const { admin, email, token, result } = await invite();
    const other = await makeUser("admin");
    await deactivateStaff(admin.id, as(other), "198.51.100.9");
    expect(await db.staffInvitation.findUniqueOrThrow({ where: { id: result.invitationId } })).toMatchObject({ pendingEmail: null });
    expect(await db.auditEvent.findFirst({ where: { action: "staff.invitation_revoked", subjectId: result.invitationId } })).toMatchObject({
      actorUserId: other.id,
      details: { reason: "inviter_deactivated", inviterId: admin.id },
    });
    expect(await checkInvitationToken(token)).toEqual({ ok: false, message: INVALID_INVITATION_MESSAGE });
    expect(await acceptInvitation({ token, password: PASSWORD, ip: null })).toEqual(deadLink);
    expect(await db.user.count({ where: { email } })).toBe(0);
  });

  it("making the inviter a supervisor revokes their pending invitations; another administrator's stay", async () => {
    const { admin, token, result } = await invite();
    const other = await makeUser("admin");
    const kept = await inviteStaff({ name: "Kit Kept", email: newAddress(), role: "agent" }, as(other), null);
    await changeStaffRole({ userId: admin.id, role: "supervisor" }, as(other), null);
    expect(await db.auditEvent.findFirst({ where: { action: "staff.invitation_revoked", subjectId: result.invitationId } })).toMatchObject({
      details: { reason: "inviter_no_longer_admin", inviterId: admin.id },
    });
    expect(await acceptInvitation({ token, password: PASSWORD, ip: null })).toEqual(deadLink);
    expect((await db.staffInvitation.findUniqueOrThrow({ where: { id: kept.invitationId } })).pendingEmail).not.toBeNull();
  });

  it("a link is dead at acceptance once its inviter is no longer an active administrator, however that came about", async () => {
    for (const change of [{ role: "agent" as const }, { disabledAt: new Date() }]) {
      const { admin, email, token } = await invite();
      // Changed behind the staff screens' back (say, by a script): the invitation is still pending.
      await db.user.update({ where: { id: admin.id }, data: change });
      expect(await checkInvitationToken(token)).toEqual({ ok: false, message: INVALID_INVITATION_MESSAGE });
      expect(await acceptInvitation({ token, password: PASSWORD, ip: null })).toEqual(deadLink);
      expect(await db.user.count({ where: { email } })).toBe(0);
    }
  });
});
