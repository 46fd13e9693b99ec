import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hashPassword } from "@/features/accounts/password/password";
import { credentialsProvider } from "@/features/accounts/sign-in/credentials";
import { LAST_ADMIN_DEACTIVATE_MESSAGE, deactivateStaff, reactivateStaff, returnedToQueueNote } from "@/features/staff/lifecycle";
import { LAST_ADMIN_MESSAGE, changeStaffRole } from "@/features/staff/roles";
import { actorForSession, createAuthSession } from "@/platform/auth/sessions";
import { db, type Role } from "@/platform/db/client";

const PASSWORD = "harbour-violet-engine-42";

async function makeUser(role: Role, name = `Person ${randomUUID().slice(0, 6)}`, passwordHash: string | null = null) {
  return db.user.create({ data: { email: `${randomUUID()}@staff.test`, name, role, passwordHash } });
}
const as = (user: { id: string; role: Role }) => ({ userId: user.id, role: user.role });

const authorize = credentialsProvider().options.authorize as (
  credentials: Record<string, string>,
  request: { headers: Record<string, string> },
) => Promise<{ id: string } | null>;
async function signIn(email: string, password: string): Promise<string> {
  try {
    return (await authorize({ email, password }, { headers: { "x-veridesk-peer": `192.0.2.${Math.floor(Math.random() * 250) + 1}` } }))
      ? "signed_in"
      : "refused";
  } catch (error) {
    return (error as Error).message;
  }
}

/** The last-admin rule counts every active administrator in the shared test database: others are set aside per test. */
let setAside: string[] = [];
beforeEach(async () => {
  setAside = (await db.user.findMany({ where: { role: "admin", disabledAt: null }, select: { id: true } })).map((user) => user.id);
  await db.user.updateMany({ where: { id: { in: setAside } }, data: { disabledAt: new Date() } });
});
afterEach(async () => {
  await db.user.updateMany({ where: { id: { in: setAside } }, data: { disabledAt: null } });
});

async function ticketFor(assigneeId: string | null, status: "new" | "open" | "pending" | "on_hold" | "solved" | "closed") {
  return db.ticket.create({ data: { subject: `Case ${status}`, channel: "email", status, assigneeId } });
}

describe("deactivating", () => {
  it("ends every session at once, returns open tickets to the queue with a note, refuses sign-in like a wrong password, keeps the name in history, and audits", async () => {
    const admin = await makeUser("admin", "Ada Admin");
    const agent = await makeUser("agent", "Leo Leaving", await hashPassword(PASSWORD));
    expect(await signIn(agent.email, PASSWORD)).toBe("signed_in");
    const sessions = [await createAuthSession(agent.id, {}), await createAuthSession(agent.id, {})];
    const open = await Promise.all((["new", "open", "pending", "on_hold"] as const).map((status) => ticketFor(agent.id, status)));
    const done = await Promise.all((["solved", "closed"] as const).map((status) => ticketFor(agent.id, status)));
    const someoneElses = await ticketFor(admin.id, "open");
    const authored = await db.ticketMessage.create({ data: { ticketId: open[0]!.id, kind: "public_reply", authorUserId: agent.id, body: "On it." } });

    const result = await deactivateStaff(agent.id, as(admin), "203.0.113.5");
    expect(result).toMatchObject({ name: "Leo Leaving", sessionsEnded: 3, ticketsReturned: 4 });
    expect(result.message).toBe(
      "Leo Leaving was deactivated: they were signed out everywhere and can no longer sign in; 4 open tickets went back to the queue.",
    );

    for (const sessionId of sessions) expect(await actorForSession(sessionId)).toBeNull();
    expect(await db.authSession.count({ where: { userId: agent.id, revokedAt: null } })).toBe(0);

    for (const ticket of open) {
      expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).assigneeId).toBeNull();
      const notes = await db.ticketMessage.findMany({ where: { ticketId: ticket.id, kind: "internal_note" } });
      expect(notes.map((note) => [note.body, note.authorUserId])).toEqual([["Returned to the queue: Leo Leaving was deactivated", admin.id]]);
    }
    for (const ticket of done) {
      expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).assigneeId).toBe(agent.id);
      expect(await db.ticketMessage.count({ where: { ticketId: ticket.id } })).toBe(0);
    }
    expect((await db.ticket.findUniqueOrThrow({ where: { id: someoneElses.id } })).assigneeId).toBe(admin.id);

    // The same answer as a wrong password: no "deactivated" oracle.
    expect(await signIn(agent.email, PASSWORD)).toBe("refused");
    expect(await signIn(agent.email, "not-the-password-at-all")).toBe("refused");

    // History keeps the person: the row stays, their messages still name them.
    const message = await db.ticketMessage.findUniqueOrThrow({ where: { id: authored.id }, include: { author: true } });
    expect(message.author?.name).toBe("Leo Leaving");

    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "user.deactivated", subjectId: agent.id } });
    expect(audit).toMatchObject({ actorUserId: admin.id, actorRole: "admin", ip: "203.0.113.5", details: { sessionsEnded: 3, ticketsReturned: 4 } });
    expect(await db.auditEvent.count({ where: { action: "ticket.assigned", subjectId: { in: open.map((ticket) => ticket.id) } } })).toBe(4);
    expect(returnedToQueueNote("X")).toBe("Returned to the queue: X was deactivated");

    await expect(deactivateStaff(agent.id, as(admin), null)).rejects.toMatchObject({ code: "conflict", message: "Leo Leaving is already deactivated." });
  });

  it("a deactivated supervisor's claimed escalations wait for a supervisor again, with a note; resolved ones keep their name", async () => {
    const admin = await makeUser("admin");
    const supervisor = await makeUser("supervisor", "Sky Supervisor");
    const ticket = await ticketFor(null, "open");
    const claimed = await db.escalation.create({
      data: { ticketId: ticket.id, reason: "customer_request", note: "Wants a manager", status: "claimed", assigneeId: supervisor.id, claimedAt: new Date() },
    });
    const resolved = await db.escalation.create({
      data: { ticketId: ticket.id, reason: "customer_request", note: "Earlier", status: "resolved", assigneeId: supervisor.id, resolvedAt: new Date() },
    });
    await deactivateStaff(supervisor.id, as(admin), null);
    expect(await db.escalation.findUniqueOrThrow({ where: { id: claimed.id } })).toMatchObject({ status: "open", assigneeId: null, claimedAt: null });
    expect(await db.escalation.findUniqueOrThrow({ where: { id: resolved.id } })).toMatchObject({ status: "resolved", assigneeId: supervisor.id });
    const notes = await db.ticketMessage.findMany({ where: { ticketId: ticket.id, kind: "internal_note" } });
    expect(notes.map((note) => note.body)).toEqual(["Escalation released: Sky Supervisor was deactivated. Waiting for a supervisor again."]);
    expect(await db.auditEvent.count({ where: { action: "escalation.released", subjectId: claimed.id } })).toBe(1);
  });

  it("reactivating lets them sign in again; the ended sessions stay ended", async () => {
    const admin = await makeUser("admin");
    const agent = await makeUser("agent", "Rita Returning", await hashPassword(PASSWORD));
    const sessionId = await createAuthSession(agent.id, {});
    await deactivateStaff(agent.id, as(admin), null);
    const result = await reactivateStaff(agent.id, as(admin), null);
    expect(result.message).toBe("Rita Returning was reactivated: they can sign in again with their password.");
    expect(await actorForSession(sessionId)).toBeNull();
    expect(await signIn(agent.email, PASSWORD)).toBe("signed_in");
    expect(await db.auditEvent.count({ where: { action: "user.reactivated", subjectId: agent.id } })).toBe(1);
    await expect(reactivateStaff(agent.id, as(admin), null)).rejects.toMatchObject({ code: "conflict", message: "Rita Returning is already active." });
  });

  it("refuses one's own account, a customer account, an unknown account, and anyone but an administrator", async () => {
    const admin = await makeUser("admin");
    const other = await makeUser("agent");
    await expect(deactivateStaff(admin.id, as(admin), null)).rejects.toMatchObject({
      code: "forbidden",
      message: "You cannot deactivate your own account: ask another administrator.",
    });
    await expect(deactivateStaff((await makeUser("customer")).id, as(admin), null)).rejects.toMatchObject({ code: "invalid" });
    await expect(deactivateStaff(randomUUID(), as(admin), null)).rejects.toMatchObject({ code: "not_found" });
    for (const role of ["agent", "supervisor"] as const) {
      const person = await makeUser(role);
      await expect(deactivateStaff(other.id, as(person), null)).rejects.toMatchObject({ code: "forbidden" });
      await expect(reactivateStaff(other.id, as(person), null)).rejects.toMatchObject({ code: "forbidden" });
      // A stale session claiming admin is re-read under the lock.
      await expect(deactivateStaff(other.id, { userId: person.id, role: "admin" }, null)).rejects.toMatchObject({ code: "forbidden" });
    }
    expect((await db.user.findUniqueOrThrow({ where: { id: other.id } })).disabledAt).toBeNull();
  });

  it("refuses to deactivate the last active administrator", async () => {
    const admin = await makeUser("admin");
    const second = await makeUser("admin");
    await deactivateStaff(second.id, as(admin), null);
    // Only `admin` is active now; a third (inactive) administrator cannot remove them either.
    await reactivateStaff(second.id, as(admin), null);
    await changeStaffRole({ userId: second.id, role: "agent" }, as(admin), null);
    const promoted = await makeUser("admin");
    await db.user.update({ where: { id: promoted.id }, data: { disabledAt: new Date() } });
    await expect(deactivateStaff(admin.id, { userId: promoted.id, role: "admin" }, null)).rejects.toMatchObject({
      code: "conflict",
      message: LAST_ADMIN_DEACTIVATE_MESSAGE,
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: admin.id } })).disabledAt).toBeNull();
  });

  it("two administrators deactivating each other at once leave exactly one active administrator (real concurrent transactions)", async () => {
    for (let round = 0; round < 5; round++) {
      const a = await makeUser("admin", `Admin A${round}`);
      const b = await makeUser("admin", `Admin B${round}`);
      const outcomes = await Promise.allSettled([deactivateStaff(b.id, as(a), null), deactivateStaff(a.id, as(b), null)]);
      expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["fulfilled", "rejected"]);
      const refusal = outcomes.find((outcome) => outcome.status === "rejected") as PromiseRejectedResult;
      expect(refusal.reason).toMatchObject({ code: "conflict", message: LAST_ADMIN_DEACTIVATE_MESSAGE });
      expect(await db.user.count({ where: { id: { in: [a.id, b.id] }, disabledAt: null } })).toBe(1);
      // Put this pair aside for the next round.
      await db.user.updateMany({ where: { id: { in: [a.id, b.id] } }, data: { role: "agent" } });
    }
  });

  it("a deactivation and a demotion of the two remaining administrators at once leave one active administrator", async () => {
    for (let round = 0; round < 5; round++) {
      const a = await makeUser("admin");
      const b = await makeUser("admin");
      const outcomes = await Promise.allSettled([deactivateStaff(b.id, as(a), null), changeStaffRole({ userId: a.id, role: "agent" }, as(b), null)]);
      expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["fulfilled", "rejected"]);
      const refusal = (outcomes.find((outcome) => outcome.status === "rejected") as PromiseRejectedResult).reason;
      expect([LAST_ADMIN_DEACTIVATE_MESSAGE, LAST_ADMIN_MESSAGE]).toContain(refusal.message);
      expect(await db.user.count({ where: { id: { in: [a.id, b.id] }, role: "admin", disabledAt: null } })).toBe(1);
      await db.user.updateMany({ where: { id: { in: [a.id, b.id] } }, data: { role: "agent" } });
    }
  });
});
