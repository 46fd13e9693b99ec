import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { enqueueSms } from "@/platform/outbox/outbox";
import { requeueForSupervisor } from "./requeue";
import { requeueInputSchema } from "./schemas";

describe("a supervisor's requeue", () => {
  it("is audited with the ids sent again and refused, never a body", async () => {
    const id = randomUUID().slice(0, 8);
    const boss = await db.user.create({ data: { email: `requeue-${id}@helpdesk.example`, name: `Requeue ${id}`, role: "supervisor" } });
    const plain = await enqueueSms({ kind: "notice", to: "+447700900126", text: "Your parcel is on its way" });
    const code = await enqueueSms({ kind: "verification-code", to: "+447700900126", text: "Veridesk code: 771204", sensitive: true });
    await db.outboxMessage.updateMany({ where: { id: { in: [plain.id, code.id] } }, data: { status: "failed", attempts: 95 } });
    await db.outboxMessage.update({ where: { id: code.id }, data: { textBody: null } });

    const outcome = await requeueForSupervisor({ userId: boss.id, role: "supervisor" } as never, { ids: [plain.id, code.id] }, "203.0.113.9");
    expect(outcome).toEqual({ requeued: 1, refused: 1 });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "outbox.requeued", actorUserId: boss.id } });
    expect(audit).toMatchObject({ actorRole: "supervisor", ip: "203.0.113.9", subjectType: "OutboxMessage" });
    expect(audit.details).toEqual({ selection: "selected", requeued: 1, refused: 1, requeuedIds: [plain.id], refusedIds: [`${code.id}:body_wiped`] });
    expect(JSON.stringify(audit.details)).not.toContain("771204");
  });

  it("takes either selected ids or all", () => {
    expect(requeueInputSchema.safeParse({ all: true }).success).toBe(true);
    expect(requeueInputSchema.safeParse({ ids: [randomUUID()] }).success).toBe(true);
    expect(requeueInputSchema.safeParse({ ids: [] }).success).toBe(false);
    expect(requeueInputSchema.safeParse({ ids: ["not-a-uuid"] }).success).toBe(false);
    expect(requeueInputSchema.safeParse({ all: false }).success).toBe(false);
  });
});
