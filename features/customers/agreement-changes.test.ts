import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { addAgreement, cancelAgreement, customerAgreements, extendAgreement } from "@/features/customers/agreement-changes";
import { addAgreementSchema, cancelAgreementSchema, extendAgreementSchema } from "@/features/customers/schemas";
import { customerEntitlement } from "@/features/customers/agreements";
import { db, type Role } from "@/platform/db/client";

const TODAY = new Date("2026-06-15T10:00:00Z");

async function makeCustomer() {
  const id = randomUUID().slice(0, 8);
  return db.customer.create({ data: { accountNumber: `AG-${id}`, name: `Agreement Customer ${id}` } });
}
async function makeStaff(role: Role) {
  const user = await db.user.create({ data: { email: `${randomUUID()}@agreements.test`, name: `Staff ${role}`, role } });
  return { userId: user.id, role };
}
const ref = () => `T-${randomUUID().slice(0, 8).toUpperCase()}`;
const eventsFor = (subjectId: string) => db.auditEvent.findMany({ where: { subjectId, action: { startsWith: "agreement." } }, orderBy: { id: "asc" } });

describe("addAgreementSchema", () => {
  const base = { customerId: randomUUID(), tier: "standard", reference: "sa-2000-a", startsOn: "2026-01-01", endsOn: "2026-12-31" };
  const firstError = (input: object, field: string) => {
    const parsed = addAgreementSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    return parsed.error?.issues.find((issue) => issue.path[0] === field)?.message;
  };

  it("accepts a one-day agreement and writes references in capitals", () => {
    const parsed = addAgreementSchema.parse({ ...base, endsOn: "2026-01-01" });
    expect(parsed).toMatchObject({ reference: "SA-2000-A", startsOn: "2026-01-01", endsOn: "2026-01-01", tier: "standard" });
  });

  it("refuses a last day before the first, impossible days and empty fields, each with its own sentence", () => {
    expect(firstError({ ...base, endsOn: "2025-12-31" }, "endsOn")).toBe("The last day cannot be before the first day.");
    expect(firstError({ ...base, startsOn: "2026-02-30" }, "startsOn")).toBe("Enter a real date (YYYY-MM-DD).");
    expect(firstError({ ...base, endsOn: "31/12/2026" }, "endsOn")).toBe("Enter a real date (YYYY-MM-DD).");
    expect(firstError({ ...base, startsOn: "" }, "startsOn")).toBe("Enter the first day the agreement covers.");
    expect(firstError({ ...base, reference: "  " }, "reference")).toBe("Enter the agreement's reference.");
    expect(firstError({ ...base, reference: "SA 1; drop" }, "reference")).toBe("Letters, digits and . _ / - only, e.g. SA-10001-C.");
    expect(firstError({ ...base, tier: "gold" }, "tier")).toBe("Choose a tier: basic, standard or premium.");
  });

  it("extend needs a date; cancel needs a reason", () => {
    expect(extendAgreementSchema.safeParse({ agreementId: randomUUID(), endsOn: "" }).error?.issues[0]?.message).toBe("Enter the new last day.");
    expect(cancelAgreementSchema.safeParse({ agreementId: randomUUID(), reason: "   " }).error?.issues[0]?.message).toBe("Say why the agreement is cancelled.");
    expect(cancelAgreementSchema.safeParse({ agreementId: randomUUID(), reason: "too short" }).error?.issues[0]?.message).toBe(
      "Say why the agreement is cancelled (at least 10 characters).",
    );
  });
});

describe("agreement changes", () => {
  it("adds an agreement, audited with its dates and tier, and the customer is covered by it", async () => {
    const customer = await makeCustomer();
    const supervisor = await makeStaff("supervisor");
    const reference = ref();
    expect((await customerEntitlement(customer.id, TODAY)).status).toBe("none");

    const input = addAgreementSchema.parse({
      customerId: customer.id,
      tier: "premium",
      reference: reference.toLowerCase(),
      startsOn: "2026-06-01",
      endsOn: "2027-05-31",
    });
    const result = await addAgreement(input, supervisor, "198.51.100.7", TODAY);
    expect(result.message).toBe(`Agreement ${reference} (premium) added until 2027-05-31.`);

    const row = await db.supportAgreement.findUniqueOrThrow({ where: { id: result.id } });
    expect(row).toMatchObject({ customerId: customer.id, reference, tier: "premium", cancelledAt: null });
    expect(row.startsOn.toISOString()).toBe("2026-06-01T00:00:00.000Z");
    expect(row.endsOn.toISOString()).toBe("2027-05-31T00:00:00.000Z");
    expect(await customerEntitlement(customer.id, TODAY)).toMatchObject({ status: "valid", tier: "premium" });

    const events = await eventsFor(result.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "agreement.created",
      actorUserId: supervisor.userId,
      actorRole: "supervisor",
      subjectType: "SupportAgreement",
      ip: "198.51.100.7",
      details: { customerId: customer.id, reference, tier: "premium", startsOn: "2026-06-01", endsOn: "2027-05-31", state: "valid" },
    });
  });

  it("refuses a duplicate reference as a field error and leaves one agreement", async () => {
    const customer = await makeCustomer();
    const admin = await makeStaff("admin");
    const reference = ref();
    const input = addAgreementSchema.parse({ customerId: customer.id, tier: "basic", reference, startsOn: "2026-01-01", endsOn: "2026-12-31" });
    await addAgreement(input, admin, null, TODAY);
    const other = await makeCustomer();
    await expect(addAgreement({ ...input, customerId: other.id }, admin, null, TODAY)).rejects.toMatchObject({
      message: "That reference is already used by another agreement.",
      code: "conflict",
      fieldErrors: { reference: ["That reference is already used by another agreement."] },
    });
    expect(await db.supportAgreement.count({ where: { reference } })).toBe(1);
    expect(await db.supportAgreement.count({ where: { customerId: other.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "agreement.created", details: { path: ["reference"], equals: reference } } })).toBe(1);
  });

  it("is refused to agents, and for a customer that does not exist", async () => {
    const customer = await makeCustomer();
    const agent = await makeStaff("agent");
    const input = addAgreementSchema.parse({ customerId: customer.id, tier: "basic", reference: ref(), startsOn: "2026-01-01", endsOn: "2026-12-31" });
    await expect(addAgreement(input, agent, null, TODAY)).rejects.toMatchObject({ code: "forbidden" });
    expect(await db.supportAgreement.count({ where: { customerId: customer.id } })).toBe(0);
    const supervisor = await makeStaff("supervisor");
    await expect(addAgreement({ ...input, customerId: randomUUID() }, supervisor, null, TODAY)).rejects.toMatchObject({ code: "not_found" });
  });

  it("extends the last day later only, audited with before and after; an expired agreement extended covers again", async () => {
    const customer = await makeCustomer();
    const supervisor = await makeStaff("supervisor");
    const agreement = await db.supportAgreement.create({
      data: { customerId: customer.id, reference: ref(), tier: "standard", startsOn: new Date("2025-01-01"), endsOn: new Date("2026-05-31") },
    });
    expect((await customerEntitlement(customer.id, TODAY)).status).toBe("expired");

    await expect(extendAgreement({ agreementId: agreement.id, endsOn: "2026-05-31" }, supervisor, null, TODAY)).rejects.toMatchObject({
      message: "Choose a day after the current last day (2026-05-31).",
      fieldErrors: { endsOn: ["Choose a day after the current last day (2026-05-31)."] },
    });
    await expect(extendAgreement({ agreementId: agreement.id, endsOn: "2026-01-31" }, supervisor, null, TODAY)).rejects.toMatchObject({ code: "invalid" });

    const result = await extendAgreement({ agreementId: agreement.id, endsOn: "2026-12-31" }, supervisor, "192.0.2.1", TODAY);
    expect(result.message).toBe(`Agreement ${agreement.reference} now ends on 2026-12-31 (was 2026-05-31).`);
    expect((await db.supportAgreement.findUniqueOrThrow({ where: { id: agreement.id } })).endsOn.toISOString()).toBe("2026-12-31T00:00:00.000Z");
    expect(await customerEntitlement(customer.id, TODAY)).toMatchObject({ status: "valid", tier: "standard" });

    const events = await eventsFor(agreement.id);
    expect(events.map((event) => [event.action, event.details])).toEqual([
      [
        "agreement.extended",
        {
          customerId: customer.id,
          reference: agreement.reference,
          tier: "standard",
          endsOnBefore: "2026-05-31",
          endsOnAfter: "2026-12-31",
          stateBefore: "expired",
          stateAfter: "valid",
        },
      ],
    ]);
  });

  it("cancels once with a reason: the entitlement flips at once, a second cancel and an extension are refused clearly", async () => {
    const customer = await makeCustomer();
    const supervisor = await makeStaff("supervisor");
    const agreement = await db.supportAgreement.create({
      data: { customerId: customer.id, reference: ref(), tier: "premium", startsOn: new Date("2026-01-01"), endsOn: new Date("2026-12-31") },
    });
    expect(await customerEntitlement(customer.id, TODAY)).toMatchObject({ status: "valid", tier: "premium" });

    const reason = "Customer ended the contract in writing.";
    const result = await cancelAgreement({ agreementId: agreement.id, reason }, supervisor, "192.0.2.2", TODAY);
    expect(result.message).toBe(
      `Agreement ${agreement.reference} is cancelled from today: new tickets no longer get its premium SLA (open tickets keep their due times).`,
    );
    expect(await customerEntitlement(customer.id, TODAY)).toMatchObject({ status: "cancelled", tier: "premium" });
    expect((await db.supportAgreement.findUniqueOrThrow({ where: { id: agreement.id } })).cancelledAt?.toISOString()).toBe(TODAY.toISOString());

    await expect(cancelAgreement({ agreementId: agreement.id, reason: "Cancelling it a second time." }, supervisor, null, TODAY)).rejects.toMatchObject({
      message: `Agreement ${agreement.reference} is already cancelled (since 2026-06-15).`,
      code: "conflict",
    });
    await expect(extendAgreement({ agreementId: agreement.id, endsOn: "2027-12-31" }, supervisor, null, TODAY)).rejects.toMatchObject({
      message: `Agreement ${agreement.reference} was cancelled on 2026-06-15: it cannot be extended. Add a new agreement instead.`,
      code: "conflict",
    });

    const events = await eventsFor(agreement.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "agreement.cancelled",
      actorUserId: supervisor.userId,
      ip: "192.0.2.2",
      details: {
        customerId: customer.id,
        reference: agreement.reference,
        tier: "premium",
        startsOn: "2026-01-01",
        endsOn: "2026-12-31",
        stateBefore: "valid",
        stateAfter: "cancelled",
        reason,
      },
    });

    const view = await customerAgreements(customer.id, TODAY);
    expect(view.entitlement.status).toBe("cancelled");
    expect(view.agreements).toEqual([
      expect.objectContaining({ id: agreement.id, state: "cancelled", cancelReason: reason, startsOn: "2026-01-01", endsOn: "2026-12-31" }),
    ]);
  });

  it("refuses to cancel an agreement that has already ended", async () => {
    const customer = await makeCustomer();
    const supervisor = await makeStaff("supervisor");
    const ended = await db.supportAgreement.create({
      data: { customerId: customer.id, reference: ref(), tier: "basic", startsOn: new Date("2025-01-01"), endsOn: new Date("2026-06-14") },
    });
    await expect(cancelAgreement({ agreementId: ended.id, reason: "Trying to cancel an old one." }, supervisor, null, TODAY)).rejects.toMatchObject({
      message: `Agreement ${ended.reference} already ended on 2026-06-14: there is nothing to cancel.`,
      code: "conflict",
    });
    expect((await db.supportAgreement.findUniqueOrThrow({ where: { id: ended.id } })).cancelledAt).toBeNull();
    expect(await eventsFor(ended.id)).toHaveLength(0);
  });

  it("two supervisors cancelling at once: one cancels, the other is told, one audit event", async () => {
    const customer = await makeCustomer();
    const [first, second] = [await makeStaff("supervisor"), await makeStaff("admin")];
    const agreement = await db.supportAgreement.create({
      data: { customerId: customer.id, reference: ref(), tier: "basic", startsOn: new Date("2026-01-01"), endsOn: new Date("2026-12-31") },
    });
    const results = await Promise.allSettled([
      cancelAgreement({ agreementId: agreement.id, reason: "First supervisor's reason." }, first, null, TODAY),
      cancelAgreement({ agreementId: agreement.id, reason: "Second supervisor's reason." }, second, null, TODAY),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
    expect(refused?.reason).toMatchObject({ code: "conflict", message: `Agreement ${agreement.reference} is already cancelled (since 2026-06-15).` });
    expect(await eventsFor(agreement.id)).toHaveLength(1);
  });

  it("lists agreements latest-ending first with their state today", async () => {
    const customer = await makeCustomer();
    const make = (reference: string, startsOn: string, endsOn: string) =>
      db.supportAgreement.create({ data: { customerId: customer.id, reference, tier: "basic", startsOn: new Date(startsOn), endsOn: new Date(endsOn) } });
    const old = await make(ref(), "2024-01-01", "2024-12-31");
    const current = await make(ref(), "2026-01-01", "2026-06-15");
    const future = await make(ref(), "2026-06-16", "2027-06-15");
    const view = await customerAgreements(customer.id, TODAY);
    expect(view.agreements.map((agreement) => [agreement.id, agreement.state])).toEqual([
      [future.id, "not_started"],
      [current.id, "valid"],
      [old.id, "expired"],
    ]);
    expect(view.entitlement).toMatchObject({ status: "valid", tier: "basic" });
  });
});
