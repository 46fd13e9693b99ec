import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { actorForSession, createAuthSession, revokeAllSessionsOf, revokeAuthSession } from "@/lib/auth/sessions";
import { db } from "@/lib/db/client";

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
