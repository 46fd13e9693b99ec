import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { listFrozenAccounts, staffUnfreezeAccount } from "@/features/accounts/freeze/account-freeze";
import { staffUnlockSchema } from "@/features/verification/schemas";

const tag = randomUUID().slice(0, 8);
const ids: string[] = [];

async function user(name: string, role: "customer" | "agent" | "supervisor" | "admin", frozen: boolean) {
  const created = await db.user.create({
    data: { email: `${name}-${tag}@freeze.test`, name: `${name} ${tag}`, role, frozenAt: frozen ? new Date(Date.UTC(2026, 10, 1, 9, 30)) : null },
  });
  ids.push(created.id);
  return created;
}
const input = (userId: string) => staffUnlockSchema.parse({ userId, reason: "Owner confirmed by phone, two-factor checked" });

afterAll(async () => {
  await db.user.deleteMany({ where: { id: { in: ids } } });
});

describe("unfreezing accounts", () => {
  it("lists frozen accounts, unfreezes one with an audited reason, and tells the second supervisor it is done", async () => {
    const supervisor = await user("sup", "supervisor", false);
    const frozen = await user("owner", "customer", true);
    const fine = await user("fine", "customer", false);
    const listed = (await listFrozenAccounts(1000)).map((account) => account.id);
    expect(listed).toContain(frozen.id);
    expect(listed).not.toContain(fine.id);

    const actor = { userId: supervisor.id, role: "supervisor" as const };
    expect(await staffUnfreezeAccount(input(frozen.id), actor, "10.0.0.5")).toEqual({
      ok: true,
      message: `owner ${tag}'s account is unfrozen. They can sign in again with their password.`,
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: frozen.id } })).frozenAt).toBeNull();
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "identity.account_unfrozen", subjectId: frozen.id } });
    expect(event).toMatchObject({
      actorUserId: supervisor.id,
      ip: "10.0.0.5",
      details: { frozenAt: "2026-11-01T09:30:00.000Z", reasonGiven: true },
    });
    expect(await staffUnfreezeAccount(input(frozen.id), actor, null)).toMatchObject({ ok: false, code: "conflict" });
  });

  it("refuses oneself, a supervisor unfreezing an admin, and an agent", async () => {
    const supervisor = await user("sup2", "supervisor", true);
    const admin = await user("admin", "admin", true);
    const agent = await user("agent", "agent", false);
    const target = await user("target", "customer", true);
    expect(await staffUnfreezeAccount(input(supervisor.id), { userId: supervisor.id, role: "supervisor" }, null)).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    expect(await staffUnfreezeAccount(input(admin.id), { userId: supervisor.id, role: "supervisor" }, null)).toMatchObject({ ok: false, code: "forbidden" });
    expect(await staffUnfreezeAccount(input(target.id), { userId: agent.id, role: "agent" }, null)).toMatchObject({ ok: false, code: "forbidden" });
    const still = await db.user.findMany({ where: { id: { in: [supervisor.id, admin.id, target.id] } }, select: { frozenAt: true } });
    expect(still.every((row) => row.frozenAt !== null)).toBe(true);
  });
});
