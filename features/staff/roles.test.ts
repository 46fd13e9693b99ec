import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { actorForSession, createAuthSession } from "@/platform/auth/sessions";
import { db, type Role } from "@/platform/db/client";
import { LAST_ADMIN_MESSAGE, changeStaffRole, listStaff } from "@/features/staff/roles";
import { changeStaffRoleSchema } from "@/features/staff/schemas";

async function makeUser(role: Role, name = `Person ${randomUUID().slice(0, 6)}`) {
  return db.user.create({ data: { email: `${randomUUID()}@staff.test`, name, role } });
}
const as = (user: { id: string; role: Role }) => ({ userId: user.id, role: user.role });

async function auditFor(subjectId: string) {
  return db.auditEvent.findMany({ where: { action: "user.role_changed", subjectId }, orderBy: { id: "asc" } });
}

/**
 * The last-admin rule counts every active administrator in the database, and the test database is
 * shared by all test files: administrators other files left behind are set aside (made disabled)
 * for each test here and put back afterwards.
 */
let setAside: string[] = [];
beforeEach(async () => {
  const others = await db.user.findMany({ where: { role: "admin", disabledAt: null }, select: { id: true } });
  setAside = others.map((user) => user.id);
  await db.user.updateMany({ where: { id: { in: setAside } }, data: { disabledAt: new Date() } });
});
afterEach(async () => {
  await db.user.updateMany({ where: { id: { in: setAside } }, data: { disabledAt: null } });
});

describe("changeStaffRole", () => {
  it("promotes an agent to supervisor, audits { from, to } in the same change, and the live session has the new role on its next request", async () => {
    const admin = await makeUser("admin");
    const agent = await makeUser("agent", "Casey Agent");
    const sessionId = await createAuthSession(agent.id, {});
    expect((await actorForSession(sessionId))?.role).toBe("agent");

    const result = await changeStaffRole({ userId: agent.id, role: "supervisor" }, as(admin), "203.0.113.9");
    expect(result).toMatchObject({ userId: agent.id, from: "agent", to: "supervisor" });
    expect(result.message).toBe("Casey Agent is now a supervisor (was agent). It applies on their next page load; they stay signed in.");

    // Not signed out: the same session now carries the new role.
    const actor = await actorForSession(sessionId);
    expect(actor).toMatchObject({ userId: agent.id, role: "supervisor" });
    expect((await db.authSession.findUniqueOrThrow({ where: { id: sessionId } })).revokedAt).toBeNull();

    const events = await auditFor(agent.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorUserId: admin.id,
      actorRole: "admin",
      subjectType: "User",
      subjectId: agent.id,
      ip: "203.0.113.9",
      details: { from: "agent", to: "supervisor" },
    });
  });

  it("demotes an administrator while another remains, and the demoted session loses admin at once", async () => {
    const first = await makeUser("admin");
    const second = await makeUser("admin");
    const sessionId = await createAuthSession(second.id, {});
    await changeStaffRole({ userId: second.id, role: "agent" }, as(first), null);
    expect((await actorForSession(sessionId))?.role).toBe("agent");
    expect((await auditFor(second.id)).map((event) => event.details)).toEqual([{ from: "admin", to: "agent" }]);
  });

  it("refuses an administrator's own role change", async () => {
    const admin = await makeUser("admin");
    await makeUser("admin");
    await expect(changeStaffRole({ userId: admin.id, role: "agent" }, as(admin), null)).rejects.toMatchObject({
      message: "You cannot change your own role: ask another administrator.",
      code: "forbidden",
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: admin.id } })).role).toBe("admin");
    expect(await auditFor(admin.id)).toHaveLength(0);
  });

  it("refuses to demote the last active administrator, even for a request that still believes it is an administrator's", async () => {
    const lastAdmin = await makeUser("admin");
    const disabledAdmin = await makeUser("admin");
    await db.user.update({ where: { id: disabledAdmin.id }, data: { disabledAt: new Date() } });
    // Demoted a moment ago: its request's actor still says "admin" (read at the start of the request).
    const justDemoted = await makeUser("agent");
    const staleActor = { userId: justDemoted.id, role: "admin" as const };

    await expect(changeStaffRole({ userId: lastAdmin.id, role: "supervisor" }, staleActor, null)).rejects.toMatchObject({
      message: LAST_ADMIN_MESSAGE,
      code: "conflict",
    });
    expect(LAST_ADMIN_MESSAGE).toMatch(/^Veridesk needs at least one admin/);
    expect((await db.user.findUniqueOrThrow({ where: { id: lastAdmin.id } })).role).toBe("admin");
    expect(await auditFor(lastAdmin.id)).toHaveLength(0);

    // Any other change by that request is refused too: its role is read again under the lock.
    const agent = await makeUser("agent");
    await expect(changeStaffRole({ userId: agent.id, role: "supervisor" }, staleActor, null)).rejects.toMatchObject({ code: "forbidden" });
    expect((await db.user.findUniqueOrThrow({ where: { id: agent.id } })).role).toBe("agent");

    // A disabled administrator may be demoted (it keeps nobody able to administer).
    await changeStaffRole({ userId: disabledAdmin.id, role: "agent" }, as(lastAdmin), null);
    expect((await db.user.findUniqueOrThrow({ where: { id: disabledAdmin.id } })).role).toBe("agent");
  });

  it("of two administrators demoting each other at once, exactly one succeeds and one administrator is left", async () => {
    for (let round = 0; round < 5; round++) {
      const a = await makeUser("admin");
      const b = await makeUser("admin");
      const results = await Promise.allSettled([
        changeStaffRole({ userId: b.id, role: "agent" }, as(a), null),
        changeStaffRole({ userId: a.id, role: "supervisor" }, as(b), null),
      ]);
      const fulfilled = results.filter((result) => result.status === "fulfilled");
      const rejected = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      expect(rejected[0]!.reason).toMatchObject({ message: LAST_ADMIN_MESSAGE, code: "conflict" });
      const roles = (await db.user.findMany({ where: { id: { in: [a.id, b.id] } }, select: { role: true } })).map((user) => user.role).sort();
      expect(roles.filter((role) => role === "admin")).toHaveLength(1);
      expect((await auditFor(a.id)).length + (await auditFor(b.id)).length).toBe(1);
      // Retire the survivor so the next round starts with no active administrator but its own two.
      await db.user.updateMany({ where: { id: { in: [a.id, b.id] } }, data: { disabledAt: new Date() } });
    }
  });

  it("refuses customers, non-administrators, unknown accounts and no-op changes", async () => {
    const admin = await makeUser("admin");
    await makeUser("admin");
    const customer = await makeUser("customer", "Cleo Customer");
    await expect(changeStaffRole({ userId: customer.id, role: "agent" }, as(admin), null)).rejects.toMatchObject({
      message: "Cleo Customer is a customer account: customers cannot be made staff here.",
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: customer.id } })).role).toBe("customer");

    const supervisor = await makeUser("supervisor");
    const agent = await makeUser("agent", "Ada Agent");
    await expect(changeStaffRole({ userId: agent.id, role: "supervisor" }, as(supervisor), null)).rejects.toMatchObject({ code: "forbidden" });
    await expect(changeStaffRole({ userId: randomUUID(), role: "agent" }, as(admin), null)).rejects.toMatchObject({ code: "not_found" });
    await expect(changeStaffRole({ userId: agent.id, role: "agent" }, as(admin), null)).rejects.toMatchObject({
      message: "Ada Agent is already an agent.",
      code: "conflict",
    });
    expect(await auditFor(agent.id)).toHaveLength(0);
    expect(await auditFor(customer.id)).toHaveLength(0);
  });
});

describe("changeStaffRoleSchema", () => {
  it("accepts only staff roles: nobody is made a customer here", () => {
    const userId = randomUUID();
    expect(changeStaffRoleSchema.safeParse({ userId, role: "supervisor" }).success).toBe(true);
    const customer = changeStaffRoleSchema.safeParse({ userId, role: "customer" });
    expect(customer.success).toBe(false);
    expect(customer.error?.issues[0]?.message).toBe("Choose agent, supervisor or administrator.");
    expect(changeStaffRoleSchema.safeParse({ userId: "robin", role: "agent" }).success).toBe(false);
  });
});

describe("listStaff", () => {
  it("lists agents, supervisors and administrators (administrators first), never customers", async () => {
    const admin = await makeUser("admin", "Zed Admin");
    const agent = await makeUser("agent", "Abe Agent");
    const customer = await makeUser("customer");
    const staff = await listStaff();
    const ids = staff.map((member) => member.id);
    expect(ids).toContain(admin.id);
    expect(ids).toContain(agent.id);
    expect(ids).not.toContain(customer.id);
    expect(staff.every((member) => member.role !== ("customer" as string))).toBe(true);
    expect(ids.indexOf(admin.id)).toBeLessThan(ids.indexOf(agent.id));
  });
});
