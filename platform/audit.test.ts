import { describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { recordAudit } from "@/platform/audit";

describe("audit log", () => {
  it("appends events", async () => {
    await recordAudit({ action: "test.appended", subjectType: "Test", subjectId: "1", details: { field: "name", result: "match" } });
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "test.appended" } });
    expect(event.details).toEqual({ field: "name", result: "match" });
  });

  it("refuses updates and deletes at the database level", async () => {
    await recordAudit({ action: "test.immutable" });
    await expect(db.auditEvent.updateMany({ where: { action: "test.immutable" }, data: { action: "tampered" } })).rejects.toThrow(/append-only/);
    await expect(db.auditEvent.deleteMany({ where: { action: "test.immutable" } })).rejects.toThrow(/append-only/);
    expect(await db.auditEvent.count({ where: { action: "test.immutable" } })).toBe(1);
  });
});
