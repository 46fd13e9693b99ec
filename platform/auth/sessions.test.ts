import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  SECOND_FACTOR_PENDING_MAX_AGE_SECONDS,
  actorForSession,
  completeSecondFactor,
  createAuthSession,
  pendingSecondFactorSession,
  revokeAllSessionsOf,
  revokeAuthSession,
  revokeOtherSessionsOf,
} from "@/platform/auth/sessions";
import { db } from "@/platform/db/client";

async function makeUser(role: "customer" | "agent" | "supervisor" = "agent") {
  return db.user.create({ data: { email: `${randomUUID()}@example.test`, name: "Test Person", role } });
}

describe("server-side sessions", () => {
  it("resolves a live session to its user with the role from the database", async () => {
    const user = await makeUser("agent");
    const sessionId = await createAuthSession(user.id, { ip: "127.0.0.1" });
    expect(await actorForSession(sessionId)).toMatchObject({ userId: user.id, role: "agent", sessionId });

    await db.user.update({ where: { id: user.id }, data: { role: "customer" } });
    expect((await actorForSession(sessionId))?.role).toBe("customer");
  });

  it("refuses revoked, expired, second-factor-pending and unknown sessions", async () => {
    const user = await makeUser();
    const revoked = await createAuthSession(user.id, {});
    await revokeAuthSession(revoked);
    expect(await actorForSession(revoked)).toBeNull();

    const expired = await createAuthSession(user.id, {});
    await db.authSession.update({ where: { id: expired }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await actorForSession(expired)).toBeNull();

    const pending = await createAuthSession(user.id, { secondFactorDue: true });
    expect(await actorForSession(pending)).toBeNull();

    expect(await actorForSession(randomUUID())).toBeNull();
    expect(await actorForSession("not-a-uuid'; --")).toBeNull();
  });

  it("refuses sessions of disabled or frozen accounts, and revokes all of a user's sessions", async () => {
    const user = await makeUser();
    const first = await createAuthSession(user.id, {});
    const second = await createAuthSession(user.id, {});
    await db.user.update({ where: { id: user.id }, data: { frozenAt: new Date() } });
    expect(await actorForSession(first)).toBeNull();
    await db.user.update({ where: { id: user.id }, data: { frozenAt: null, disabledAt: new Date() } });
    expect(await actorForSession(first)).toBeNull();
    await db.user.update({ where: { id: user.id }, data: { disabledAt: null } });
    expect(await actorForSession(second)).not.toBeNull();
    await revokeAllSessionsOf(user.id);
    expect(await actorForSession(first)).toBeNull();
    expect(await actorForSession(second)).toBeNull();
  });
});

describe("sessions that owe a second factor", () => {
  it("are pending until completed, then become ordinary sessions", async () => {
    const user = await makeUser("customer");
    await db.user.update({ where: { id: user.id }, data: { twoFactorMethod: "totp" } });
    const sessionId = await createAuthSession(user.id, { secondFactorDue: true });

    expect(await actorForSession(sessionId)).toBeNull();
    expect(await pendingSecondFactorSession(sessionId)).toMatchObject({ sessionId, userId: user.id, twoFactorMethod: "totp" });

    expect(await completeSecondFactor(sessionId)).toBe(true);
    expect(await actorForSession(sessionId)).toMatchObject({ userId: user.id, twoFactorMethod: "totp" });
    // Complete now: no longer pending, and completing twice does nothing.
    expect(await pendingSecondFactorSession(sessionId)).toBeNull();
    expect(await completeSecondFactor(sessionId)).toBe(false);
  });

  it("are not pending when ordinary, revoked, too old, unknown, or of a frozen account", async () => {
    const user = await makeUser("customer");
    const ordinary = await createAuthSession(user.id, {});
    expect(await pendingSecondFactorSession(ordinary)).toBeNull();

    const revoked = await createAuthSession(user.id, { secondFactorDue: true });
    await revokeAuthSession(revoked);
    expect(await pendingSecondFactorSession(revoked)).toBeNull();
    expect(await completeSecondFactor(revoked)).toBe(false);

    const old = await createAuthSession(user.id, { secondFactorDue: true });
    const later = new Date(Date.now() + (SECOND_FACTOR_PENDING_MAX_AGE_SECONDS + 1) * 1000);
    expect(await pendingSecondFactorSession(old, later)).toBeNull();
    expect(await completeSecondFactor(old, later)).toBe(false);
    expect(await actorForSession(old, later)).toBeNull();

    expect(await pendingSecondFactorSession(randomUUID())).toBeNull();
    expect(await pendingSecondFactorSession("x' OR 1=1")).toBeNull();

    const frozen = await createAuthSession(user.id, { secondFactorDue: true });
    await db.user.update({ where: { id: user.id }, data: { frozenAt: new Date() } });
    expect(await pendingSecondFactorSession(frozen)).toBeNull();
  });

  it("completing restarts the session's lifetime", async () => {
    const user = await makeUser("agent");
    const sessionId = await createAuthSession(user.id, { secondFactorDue: true });
    const soon = new Date(Date.now() + 60_000);
    await completeSecondFactor(sessionId, soon);
    const row = await db.authSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(row.secondFactorDue).toBe(false);
    expect(row.expiresAt.getTime()).toBeGreaterThan(soon.getTime() + 11 * 60 * 60 * 1000);
  });
});

describe("revokeOtherSessionsOf", () => {
  it("ends every session of the user but the one kept", async () => {
    const user = await makeUser();
    const kept = await createAuthSession(user.id, {});
    const other = await createAuthSession(user.id, {});
    expect(await revokeOtherSessionsOf(user.id, kept)).toBe(1);
    expect(await actorForSession(kept)).not.toBeNull();
    expect(await actorForSession(other)).toBeNull();
  });
});
