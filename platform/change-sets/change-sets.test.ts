import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { createChangeSet, recordBefore, recordInserted, sealChangeSet, undoChangeSet } from "./change-sets";

const tag = () => randomUUID().slice(0, 8);

async function existingCustomer() {
  const id = tag();
  return db.customer.create({
    data: {
      accountNumber: `CS-${id}`,
      name: `Before ${id}`,
      emails: { create: { address: `before-${id}@example.com`, normalized: `before-${id}@example.com`, isPrimary: true } },
      phones: { create: { e164: `+4420${Math.floor(10_000_000 + Math.random() * 89_999_999)}`, kind: "fixed" } },
    },
    include: { emails: true, phones: true },
  });
}

describe("change sets", () => {
  it("undoes inserts, updates and deletes as one, restoring every column", async () => {
    const customer = await existingCustomer();
    const id = tag();
    const setId = await db.$transaction(async (tx) => {
      const setId = await createChangeSet(tx, { kind: "test", summary: "test import" });
      const created = await tx.customer.create({
        data: {
          accountNumber: `CS-NEW-${id}`,
          name: `New ${id}`,
          emails: { create: { address: `new-${id}@example.com`, normalized: `new-${id}@example.com` } },
        },
        include: { emails: true },
      });
      await recordInserted(tx, setId, "Customer", [created.id]);
      await recordInserted(
        tx,
        setId,
        "CustomerEmail",
        created.emails.map((email) => email.id),
      );
      await recordBefore(tx, setId, "Customer", [customer.id]);
      await tx.customer.update({ where: { id: customer.id }, data: { name: `After ${id}` } });
      await recordBefore(tx, setId, "Customer", [customer.id]); // touched twice: the first state is what undo restores
      await tx.customer.update({ where: { id: customer.id }, data: { name: `After again ${id}` } });
      const phoneId = customer.phones.map((phone) => phone.id);
      await recordBefore(tx, setId, "CustomerPhone", phoneId, "delete");
      await tx.customerPhone.deleteMany({ where: { id: { in: phoneId } } });
      await sealChangeSet(tx, setId);
      return setId;
    });

    const result = await undoChangeSet(setId, null);
    expect(result).toEqual({ ok: true, restored: 4, conflicts: [] });
    const restored = await db.customer.findUniqueOrThrow({ where: { id: customer.id }, include: { emails: true, phones: true } });
    expect(restored.name).toBe(customer.name);
    expect(restored.phones).toEqual(customer.phones);
    expect(await db.customer.findUnique({ where: { accountNumber: `CS-NEW-${id}` } })).toBeNull();
    expect(await db.customerEmail.findUnique({ where: { normalized: `new-${id}@example.com` } })).toBeNull();

    expect(await undoChangeSet(setId, null)).toEqual({ ok: false, message: "This change has already been undone." });
  });

  it("leaves rows changed since the set alone and reports them", async () => {
    const customer = await existingCustomer();
    const other = await existingCustomer();
    const setId = await db.$transaction(async (tx) => {
      const setId = await createChangeSet(tx, { kind: "test", summary: "test" });
      await recordBefore(tx, setId, "Customer", [customer.id, other.id]);
      await tx.customer.updateMany({ where: { id: { in: [customer.id, other.id] } }, data: { name: "Imported name" } });
      await sealChangeSet(tx, setId);
      return setId;
    });
    // An agent corrects one of them afterwards.
    await db.customer.update({ where: { id: other.id }, data: { name: "Agent's correction" } });

    const result = await undoChangeSet(setId, null);
    expect(result).toEqual({ ok: true, restored: 1, conflicts: [{ table: "Customer", rowId: other.id, reason: "changed since" }] });
    expect((await db.customer.findUniqueOrThrow({ where: { id: customer.id } })).name).toBe(customer.name);
    expect((await db.customer.findUniqueOrThrow({ where: { id: other.id } })).name).toBe("Agent's correction");
    expect((await db.changeSet.findUniqueOrThrow({ where: { id: setId } })).undoReport).toEqual([
      { table: "Customer", rowId: other.id, reason: "changed since" },
    ]);
  });
});

describe("change sets after the fact", () => {
  it("ignores validation bookkeeping, keeps an inserted customer others now depend on, and undoes once under concurrent clicks", async () => {
    const id = tag();
    const { setId, keptId, goneId } = await db.$transaction(async (tx) => {
      const setId = await createChangeSet(tx, { kind: "test", summary: "import" });
      const kept = await tx.customer.create({
        data: {
          accountNumber: `CS-KEEP-${id}`,
          name: `Kept ${id}`,
          emails: { create: { address: `kept-${id}@example.com`, normalized: `kept-${id}@example.com` } },
        },
        include: { emails: true },
      });
      const gone = await tx.customer.create({
        data: {
          accountNumber: `CS-GONE-${id}`,
          name: `Gone ${id}`,
          emails: { create: { address: `gone-${id}@example.com`, normalized: `gone-${id}@example.com` } },
        },
        include: { emails: true },
      });
      await recordInserted(tx, setId, "Customer", [kept.id, gone.id]);
      await recordInserted(
        tx,
        setId,
        "CustomerEmail",
        [...kept.emails, ...gone.emails].map((email) => email.id),
      );
      await sealChangeSet(tx, setId);
      return { setId, keptId: kept.id, goneId: gone.id };
    });
    // The nightly validation writes verdicts on every address; an agent opens a ticket for one customer.
    await db.customerEmail.updateMany({
      where: { customerId: { in: [keptId, goneId] } },
      data: { validity: "valid", validityReasons: [], validatedAt: new Date() },
    });
    await db.ticket.create({ data: { subject: "Opened after the import", channel: "phone", customerId: keptId } });

    const [first, second] = await Promise.all([undoChangeSet(setId, null), undoChangeSet(setId, null)]);
    const results = [first, second];
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toEqual([{ ok: false, message: "This change has already been undone." }]);
    const done = results.find((result) => result.ok);
    expect(done).toMatchObject({
      ok: true,
      restored: 2,
      conflicts: [
        { table: "Customer", rowId: keptId, reason: "has tickets added since" },
        { table: "CustomerEmail", reason: "belongs to a customer that stays" },
      ],
    });
    expect(await db.customer.findUnique({ where: { id: goneId } })).toBeNull();
    expect(await db.customerEmail.count({ where: { customerId: keptId } })).toBe(1);
  });
});

describe("change sets and later corrections", () => {
  it("keeps an inserted customer whose address an agent corrected since, with that correction", async () => {
    const id = tag();
    const { setId, customerId, emailId } = await db.$transaction(async (tx) => {
      const setId = await createChangeSet(tx, { kind: "test", summary: "import" });
      const created = await tx.customer.create({
        data: { accountNumber: `CS-FIX-${id}`, name: `Fixed ${id}`, emails: { create: { address: `fix-${id}@gmial.com`, normalized: `fix-${id}@gmial.com` } } },
        include: { emails: true },
      });
      await recordInserted(tx, setId, "Customer", [created.id]);
      await recordInserted(
        tx,
        setId,
        "CustomerEmail",
        created.emails.map((email) => email.id),
      );
      await sealChangeSet(tx, setId);
      return { setId, customerId: created.id, emailId: created.emails[0]?.id as string };
    });
    await db.customerEmail.update({ where: { id: emailId }, data: { address: `fix-${id}@gmail.com`, normalized: `fix-${id}@gmail.com` } });

    const result = await undoChangeSet(setId, null);
    expect(result).toMatchObject({
      ok: true,
      restored: 0,
      conflicts: [
        { table: "CustomerEmail", rowId: emailId, reason: "changed since" },
        { table: "Customer", rowId: customerId, reason: "has contact details changed since" },
      ],
    });
    expect((await db.customerEmail.findUniqueOrThrow({ where: { id: emailId } })).normalized).toBe(`fix-${id}@gmail.com`);
  });
});
