import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";

// The guard reads the session through next-auth and the request through Next: both replaced by a
// controllable session id. Everything behind them (guard, services, PostgreSQL) is real.
const sessionState = vi.hoisted(() => ({ sessionId: null as string | null }));
vi.mock("next-auth", () => ({ getServerSession: vi.fn(async () => (sessionState.sessionId ? { sessionId: sessionState.sessionId } : null)) }));
vi.mock("next/server", () => ({ connection: vi.fn(async () => {}) }));
vi.mock("next/headers", () => ({ headers: vi.fn(async () => new Headers({ "x-veridesk-path": "/admin/staff", "x-veridesk-peer": "203.0.113.20" })) }));

const { deactivateStaffAction, inviteStaffAction, reactivateStaffAction, resendInvitationAction, revokeInvitationAction } = await import(
  "@/features/staff/actions"
);
const { createAuthSession } = await import("@/platform/auth/sessions");
const { db } = await import("@/platform/db/client");

async function signInAs(role: "customer" | "agent" | "supervisor" | "admin") {
  const user = await db.user.create({ data: { email: `${randomUUID()}@staff.test`, name: `A ${role}`, role } });
  sessionState.sessionId = await createAuthSession(user.id, {});
  return user;
}

describe("staff lifecycle actions go through the guard: administrators only", () => {
  it.each(["agent", "supervisor", "customer"] as const)("a signed-in %s is refused every one of them and nothing changes", async (role) => {
    const target = await db.user.create({ data: { email: `${randomUUID()}@staff.test`, name: "Target", role: "agent" } });
    const invitation = await db.staffInvitation.create({
      data: {
        email: `${randomUUID()}@staff.test`,
        pendingEmail: `${randomUUID()}@staff.test`,
        name: "I",
        role: "agent",
        tokenHash: randomUUID(),
        expiresAt: new Date(Date.now() + 3600_000),
      },
    });
    const person = await signInAs(role);
    const results = [
      await inviteStaffAction({ name: "New Person", email: `${randomUUID()}@staff.test`, role: "agent" }),
      await resendInvitationAction({ invitationId: invitation.id }),
      await revokeInvitationAction({ invitationId: invitation.id }),
      await deactivateStaffAction({ userId: target.id }),
      await reactivateStaffAction({ userId: target.id }),
    ];
    for (const result of results) expect(result).toEqual({ ok: false, code: "forbidden", error: "Your account is not allowed to do this." });
    expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).disabledAt).toBeNull();
    expect((await db.staffInvitation.findUniqueOrThrow({ where: { id: invitation.id } })).sentCount).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "auth.access_denied", actorUserId: person.id } })).toBe(5);
  });

  it("nobody signed in is told to sign in", async () => {
    sessionState.sessionId = null;
    expect(await deactivateStaffAction({ userId: randomUUID() })).toMatchObject({ ok: false, code: "unauthenticated" });
  });

  it("an administrator's bad input gets field errors and changes nothing; good input works", async () => {
    const admin = await signInAs("admin");
    expect(await inviteStaffAction({ name: "\u0000", email: "not-an-address", role: "owner" as "agent" })).toMatchObject({ ok: false, code: "invalid" });
    expect(await deactivateStaffAction({ userId: "1; DROP TABLE" })).toMatchObject({
      ok: false,
      code: "invalid",
      fieldErrors: { userId: [expect.any(String)] },
    });
    expect(await deactivateStaffAction({ userId: admin.id })).toMatchObject({
      ok: false,
      code: "forbidden",
      error: "You cannot deactivate your own account: ask another administrator.",
    });
    const email = `${randomUUID()}@staff.test`;
    expect(await inviteStaffAction({ name: "  Pat Person ", email, role: "agent" })).toMatchObject({ ok: true });
    expect(await db.staffInvitation.findFirstOrThrow({ where: { email } })).toMatchObject({ name: "Pat Person", invitedById: admin.id });
  });
});
