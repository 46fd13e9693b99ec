import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db, type Role } from "@/platform/db/client";
import { applySafeFixes, planSafeFixes, undoSafeFixes } from "@/features/data-quality/cleansing/safe-fixes";
import { decideSuggestion, decideSuggestions, listSuggestions, proposeCleansing } from "@/features/data-quality/cleansing/suggestions";
import { unambiguousE164 } from "@/features/data-quality/cleansing/phone-e164";
import { eraseCustomer } from "@/features/privacy/erasure";

const tag = () => randomUUID().slice(0, 8);

async function supervisor(role: Role = "supervisor") {
  const user = await db.user.create({ data: { email: `${randomUUID()}@example.com`, name: `Sup ${tag()}`, role, emailVerifiedAt: new Date() } });
  return { userId: user.id, role };
}

async function customer(options: { name?: string; organisationId?: string } = {}) {
  const id = tag();
  return db.customer.create({ data: { accountNumber: `DQ-${id}`, name: options.name ?? `Cleanse ${id}`, organisationId: options.organisationId ?? null } });
}

async function email(
  customerId: string,
  address: string,
  data: Partial<{ verifiedAt: Date; validityReasons: string[]; validitySuggestion: string; isPrimary: boolean }> = {},
) {
  return db.customerEmail.create({ data: { customerId, address, normalized: address.trim().toLowerCase(), ...data } });
}

describe("unambiguousE164", () => {
  it("reads national numbers in the home country, 00 and + forms, and refuses the ambiguous and the invalid", () => {
    expect(unambiguousE164("020 7183 8750", "GB")).toBe("+442071838750");
    expect(unambiguousE164("0044 20 7183 8750", "GB")).toBe("+442071838750");
    expect(unambiguousE164("+44 (0)20 7183 8750".replace("(0)", ""), "GB")).toBe("+442071838750");
    expect(unambiguousE164("12345", "GB")).toBeNull();
    expect(unambiguousE164("call me", "GB")).toBeNull();
    // Valid both as a UK national number and as an international number meaning something else.
    expect(unambiguousE164("0201234567", "US")).toBeNull();
  });
});

describe("safe fixes", () => {
  it("tidies unverified addresses and puts national numbers in E.164 in one change set, never touching verified values, and undoes them", async () => {
    const actor = await supervisor();
    const owner = await customer();
    const id = tag();
    const messy = await email(owner.id, `  Pat.${id}@Example.COM `, { isPrimary: true, validityReasons: ["email_needs_tidying"] });
    const verified = await email(owner.id, ` Kim.${id}@EXAMPLE.com`, { verifiedAt: new Date("2026-01-01") });
    const tidy = await email(owner.id, `Lee.${id}@example.com`);
    const suffix = String(Math.floor(Math.random() * 9000) + 1000);
    const national = await db.customerPhone.create({
      data: { customerId: owner.id, e164: `020 7183 ${suffix}`, kind: "fixed", validityReasons: ["phone_not_e164"] },
    });
    const verifiedNational = await db.customerPhone.create({
      data: { customerId: owner.id, e164: `020 7946 ${suffix}`, kind: "fixed", verifiedAt: new Date() },
    });
    const junk = await db.customerPhone.create({ data: { customerId: owner.id, e164: "ask reception", kind: "other" } });
    // The customer already holds the E.164 form of this one: not safe, it is a duplicate.
    const other = await customer();
    await db.customerPhone.create({ data: { customerId: other.id, e164: `+4420718399${suffix.slice(2)}`, kind: "fixed" } });
    const twin = await db.customerPhone.create({ data: { customerId: other.id, e164: `020 7183 99${suffix.slice(2)}`, kind: "fixed" } });

    const plan = await planSafeFixes();
    expect(plan.emails).toBeGreaterThanOrEqual(1);
    const result = await applySafeFixes(actor);
    expect(result.changeSetId).not.toBeNull();

    expect(await db.customerEmail.findUniqueOrThrow({ where: { id: messy.id } })).toMatchObject({
      address: `Pat.${id}@example.com`,
      normalized: messy.normalized,
      validityReasons: [],
    });
    expect((await db.customerEmail.findUniqueOrThrow({ where: { id: verified.id } })).address).toBe(verified.address);
    expect((await db.customerEmail.findUniqueOrThrow({ where: { id: tidy.id } })).address).toBe(tidy.address);
    expect(await db.customerPhone.findUniqueOrThrow({ where: { id: national.id } })).toMatchObject({ e164: `+4420718${3}${suffix}`, validityReasons: [] });
    expect((await db.customerPhone.findUniqueOrThrow({ where: { id: verifiedNational.id } })).e164).toBe(verifiedNational.e164);
    expect((await db.customerPhone.findUniqueOrThrow({ where: { id: junk.id } })).e164).toBe("ask reception");
    expect((await db.customerPhone.findUniqueOrThrow({ where: { id: twin.id } })).e164).toBe(twin.e164);

    const entries = await db.changeSetEntry.findMany({ where: { changeSetId: result.changeSetId! } });
    expect(entries.map((entry) => entry.rowId)).toEqual(expect.arrayContaining([messy.id, national.id]));
    expect(entries.map((entry) => entry.rowId)).not.toContain(verified.id);
    expect(await db.auditEvent.count({ where: { action: "data_quality.safe_fixes_applied", subjectId: result.changeSetId! } })).toBe(1);

    // Nothing left: a second pass changes nothing and opens no set.
    expect((await applySafeFixes(actor)).changeSetId).toBeNull();

    const undone = await undoSafeFixes(result.changeSetId!, actor);
    expect(undone.message).toMatch(/undone/);
    expect((await db.customerEmail.findUniqueOrThrow({ where: { id: messy.id } })).address).toBe(messy.address);
    expect((await db.customerPhone.findUniqueOrThrow({ where: { id: national.id } })).e164).toBe(national.e164);
    await expect(undoSafeFixes(result.changeSetId!, actor)).rejects.toThrow(/already been undone/);
  });
});

describe("suggestions", () => {
  it("opens one suggestion per target from the stored reasons, and marks obsolete those whose contact changed or vanished", async () => {
    const organisation = await db.organisation.create({ data: { name: `Org ${tag()}`, normalizedName: `org ${tag()}` } });
    const id = tag();
    const first = await customer({ name: `Sam Same ${id}`, organisationId: organisation.id });
    const second = await customer({ name: ` sam same ${id}`.trim().toUpperCase(), organisationId: organisation.id });
    const typo = await email(first.id, `sam.${id}@gmial.com`, { validityReasons: ["email_likely_typo"], validitySuggestion: `sam.${id}@gmail.com` });
    const number = `+4477009${String(Math.floor(Math.random() * 100000)).padStart(5, "0")}`;
    const landline = await db.customerPhone.create({
      data: { customerId: first.id, e164: "+442071838750", kind: "mobile", validityReasons: ["phone_landline_as_mobile"] },
    });
    await db.customerPhone.create({ data: { customerId: first.id, e164: number, kind: "mobile", validityReasons: ["phone_duplicate"] } });
    await db.customerPhone.create({ data: { customerId: second.id, e164: number, kind: "mobile", validityReasons: ["phone_duplicate"] } });

    await proposeCleansing();
    const mine = async () =>
      db.cleansingSuggestion.findMany({ where: { OR: [{ customerId: { in: [first.id, second.id] } }, { otherCustomerId: { in: [first.id, second.id] } }] } });
    let rows = await mine();
    expect(rows.map((row) => [row.kind, row.status]).sort()).toEqual([
      ["duplicate_customer", "open"],
      ["duplicate_phone", "open"],
      ["email_typo", "open"],
      ["phone_landline_as_mobile", "open"],
    ]);
    expect(rows.find((row) => row.kind === "email_typo")).toMatchObject({ emailId: typo.id, currentValue: typo.address, proposedValue: `sam.${id}@gmail.com` });
    const pair = [first.id, second.id].sort();
    expect(rows.find((row) => row.kind === "duplicate_phone")).toMatchObject({ customerId: pair[0], otherCustomerId: pair[1] });

    // Again: nothing new, nothing doubled.
    await proposeCleansing();
    expect((await mine()).length).toBe(4);

    // The typo was corrected by hand, the landline removed: both go obsolete (and forget their values).
    await db.customerEmail.update({ where: { id: typo.id }, data: { validityReasons: [], validitySuggestion: null } });
    await db.customerPhone.delete({ where: { id: landline.id } });
    await proposeCleansing();
    rows = await mine();
    expect(rows.find((row) => row.kind === "email_typo")).toMatchObject({ status: "obsolete", currentValue: null, proposedValue: null });
    expect(rows.find((row) => row.kind === "phone_landline_as_mobile")?.status).toBe("obsolete");

    const page = await listSuggestions({ kind: "duplicate_customer", page: 1 });
    expect(page.rows.every((row) => row.kind === "duplicate_customer")).toBe(true);
  });

  it("accepts a typo fix through contact editing: a verified address becomes unverified with the reason, a taken address is refused", async () => {
    const actor = await supervisor();
    const id = tag();
    const owner = await customer();
    const verifiedTypo = await email(owner.id, `ann.${id}@hotmial.com`, {
      isPrimary: true,
      verifiedAt: new Date("2026-01-01"),
      validityReasons: ["email_likely_typo"],
      validitySuggestion: `ann.${id}@hotmail.com`,
    });
    const holder = await customer();
    await email(holder.id, `bob.${id}@gmail.com`, { isPrimary: true });
    const takenTypo = await email(owner.id, `bob.${id}@gmial.com`, { validityReasons: ["email_likely_typo"], validitySuggestion: `bob.${id}@gmail.com` });
    const rejectable = await email(owner.id, `cy.${id}@yahooo.com`, { validityReasons: ["email_likely_typo"], validitySuggestion: `cy.${id}@yahoo.com` });
    await proposeCleansing();
    const suggestionFor = (emailId: string) => db.cleansingSuggestion.findUniqueOrThrow({ where: { targetKey: `email_typo:${emailId}` } });

    // Never in bulk: taking a proof away is decided one address at a time.
    const bulkOnVerified = await decideSuggestions({ suggestionIds: [(await suggestionFor(verifiedTypo.id)).id], decision: "accept" }, actor, null);
    expect(bulkOnVerified).toMatchObject({ decided: 0, refused: [{ message: expect.stringMatching(/one at a time/) }] });
    expect((await db.customerEmail.findUniqueOrThrow({ where: { id: verifiedTypo.id } })).verifiedAt).not.toBeNull();

    const accepted = await decideSuggestion({ suggestionId: (await suggestionFor(verifiedTypo.id)).id, decision: "accept" }, actor, null);
    expect(accepted).toMatchObject({ ok: true, message: expect.stringMatching(/now unverified/) });
    expect(await db.customerEmail.findUniqueOrThrow({ where: { id: verifiedTypo.id } })).toMatchObject({
      address: `ann.${id}@hotmail.com`,
      normalized: `ann.${id}@hotmail.com`,
      verifiedAt: null,
      validityReasons: [],
    });
    expect((await suggestionFor(verifiedTypo.id)).status).toBe("accepted");
    const unverified = await db.auditEvent.findFirstOrThrow({ where: { action: "customer.contact_unverified", subjectId: owner.id } });
    expect(unverified.details).toEqual({ customerEmailId: verifiedTypo.id, reason: "cleansing.email_typo_fixed" });
    expect(JSON.stringify(await db.auditEvent.findMany({ where: { subjectId: owner.id }, select: { details: true } }))).not.toContain("hotmail");

    const refused = await decideSuggestion({ suggestionId: (await suggestionFor(takenTypo.id)).id, decision: "accept" }, actor, null);
    expect(refused).toMatchObject({ ok: false, message: expect.stringMatching(/already belongs to/) });
    expect((await db.customerEmail.findUniqueOrThrow({ where: { id: takenTypo.id } })).address).toBe(takenTypo.address);
    expect((await suggestionFor(takenTypo.id)).status).toBe("open");

    const bulk = await decideSuggestions({ suggestionIds: [(await suggestionFor(rejectable.id)).id], decision: "reject" }, actor, null);
    expect(bulk.decided).toBe(1);
    expect((await suggestionFor(rejectable.id)).status).toBe("rejected");
    // A rejected suggestion is not offered again while nothing changed.
    await proposeCleansing();
    expect((await suggestionFor(rejectable.id)).status).toBe("rejected");
    // Deciding twice is refused, not repeated.
    expect(await decideSuggestion({ suggestionId: (await suggestionFor(rejectable.id)).id, decision: "accept" }, actor, null)).toMatchObject({ ok: false });
  });

  it("moves a landline out of the mobile slot, and sends duplicates to the merge preview instead of merging", async () => {
    const actor = await supervisor();
    const organisation = await db.organisation.create({ data: { name: `Org ${tag()}`, normalizedName: `org ${tag()}` } });
    const a = await customer({ name: "Dup Person", organisationId: organisation.id });
    const b = await customer({ name: "dup person", organisationId: organisation.id });
    const phone = await db.customerPhone.create({
      data: { customerId: a.id, e164: "+442079460000", kind: "mobile", validityReasons: ["phone_landline_as_mobile"] },
    });
    await proposeCleansing();
    const landline = await db.cleansingSuggestion.findUniqueOrThrow({ where: { targetKey: `phone_kind:${phone.id}` } });
    expect(await decideSuggestion({ suggestionId: landline.id, decision: "accept" }, actor, null)).toMatchObject({ ok: true });
    expect(await db.customerPhone.findUniqueOrThrow({ where: { id: phone.id } })).toMatchObject({ kind: "fixed", e164: "+442079460000", validityReasons: [] });

    const duplicate = await db.cleansingSuggestion.findFirstOrThrow({ where: { kind: "duplicate_customer", customerId: a.id } });
    const outcome = await decideSuggestion({ suggestionId: duplicate.id, decision: "accept" }, actor, null);
    expect(outcome).toMatchObject({ ok: true, mergeUrl: `/console/customers/${a.id}/merge?with=${b.id}` });
    expect((await db.customer.findUniqueOrThrow({ where: { id: b.id } })).mergedIntoId).toBeNull();
    const bulk = await decideSuggestions({ suggestionIds: [duplicate.id], decision: "accept" }, actor, null);
    expect(bulk).toMatchObject({ decided: 0, refused: [{ message: expect.stringMatching(/merge preview/) }] });
    // Once merged, the pair is no longer a duplicate.
    await db.customer.update({ where: { id: b.id }, data: { mergedIntoId: a.id } });
    await proposeCleansing();
    expect((await db.cleansingSuggestion.findUniqueOrThrow({ where: { id: duplicate.id } })).status).toBe("obsolete");
  });

  it("forgets a customer's suggestions (they hold addresses) when the customer is erased", async () => {
    const actor = await supervisor();
    const owner = await customer();
    const id = tag();
    await email(owner.id, `erase.${id}@gmial.com`, { isPrimary: true, validityReasons: ["email_likely_typo"], validitySuggestion: `erase.${id}@gmail.com` });
    await proposeCleansing();
    expect(await db.cleansingSuggestion.count({ where: { customerId: owner.id } })).toBe(1);
    await eraseCustomer(actor, { customerId: owner.id, confirmName: owner.name });
    expect(await db.cleansingSuggestion.count({ where: { customerId: owner.id } })).toBe(0);
  });
});
