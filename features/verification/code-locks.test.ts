import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { staffUnlockSchema } from "@/features/verification/schemas";
import { listCodeLockedAccounts, staffUnlockCodeVerification } from "@/features/verification/code-locks";

const tag = randomUUID().slice(0, 8);
const ids: string[] = [];
let supervisor: { userId: string; role: "supervisor" };
let admin: { userId: string; role: "admin" };

async function user(name: string, role: "customer" | "agent" | "supervisor" | "admin", locked: boolean) {
  const created = await db.user.create({
    data: { email: `${name}-${tag}@locks.test`, name: `${name} ${tag}`, role, codeLockedAt: locked ? new Date() : null, codeFailureCount: locked ? 100 : 3 },
  });
  ids.push(created.id);
  return created;
}

const input = (userId: string, reason = "Confirmed by a call back to the number on file") => staffUnlockSchema.parse({ userId, reason });

beforeAll(async () => {
  supervisor = { userId: (await user("sup", "supervisor", true)).id, role: "supervisor" };
  admin = { userId: (await user("admin", "admin", true)).id, role: "admin" };
});

afterAll(async () => {
  await db.user.deleteMany({ where: { id: { in: ids } } });
});

describe("staff unlocks", () => {
  it("lists locked accounts only", async () => {
    const locked = await user("locked", "customer", true);
    const fine = await user("fine", "customer", false);
    const listed = (await listCodeLockedAccounts(1000)).map((account) => account.id);
    expect(listed).toContain(locked.id);
    expect(listed).not.toContain(fine.id);
  });

  it("unlocks another person's account, clears the failures, and audits the reason", async () => {
    const locked = await user("maria", "customer", true);
    const result = await staffUnlockCodeVerification(input(locked.id), supervisor, "10.1.2.3");
    expect(result).toEqual({ ok: true, message: `Code verification unlocked for maria ${tag}. 100 failed attempts cleared; they can ask for a new code now.` });
    expect(await db.user.findUniqueOrThrow({ where: { id: locked.id } })).toMatchObject({ codeLockedAt: null, codeFailureCount: 0 });
    const [event] = await db.auditEvent.findMany({ where: { action: "identity.code_verification_unlocked", subjectId: locked.id } });
    expect(event).toMatchObject({
      actorUserId: supervisor.userId,
      actorRole: "supervisor",
      ip: "10.1.2.3",
      details: { failuresCleared: 100, reasonGiven: true },
    });
    // A second unlock (someone else was quicker) is a clear conflict, and changes nothing.
    expect(await staffUnlockCodeVerification(input(locked.id), supervisor, null)).toEqual({
      ok: false,
      code: "conflict",
      message: `maria ${tag}'s account is not locked (any more): someone may have unlocked it already.`,
    });
  });

  it("refuses unlocking oneself, and a supervisor unlocking an administrator", async () => {
    expect(await staffUnlockCodeVerification(input(supervisor.userId), supervisor, null)).toMatchObject({ ok: false, code: "forbidden" });
    expect(await staffUnlockCodeVerification(input(admin.userId), supervisor, null)).toEqual({
      ok: false,
      code: "forbidden",
      message: "Only an administrator can unlock an administrator's account.",
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: admin.userId } })).codeLockedAt).not.toBeNull();
    // An administrator may unlock a supervisor.
    expect(await staffUnlockCodeVerification(input(supervisor.userId), admin, null)).toMatchObject({ ok: true });
  });

  it("refuses an agent, whatever the form says", async () => {
    const agent = await user("agent", "agent", false);
    const locked = await user("other", "customer", true);
    expect(await staffUnlockCodeVerification(input(locked.id), { userId: agent.id, role: "agent" }, null)).toMatchObject({ ok: false, code: "forbidden" });
  });

  it("requires a reason of at least 10 characters", () => {
    const id = randomUUID();
    expect(staffUnlockSchema.safeParse({ userId: id, reason: "   " }).error?.issues[0]?.message).toBe("Say why you are unlocking this account.");
    expect(staffUnlockSchema.safeParse({ userId: id, reason: "ok" }).error?.issues[0]?.message).toBe(
      "Say why you are unlocking this account (at least 10 characters).",
    );
    expect(staffUnlockSchema.safeParse({ userId: "x", reason: "long enough reason" }).success).toBe(false);
  });
});
