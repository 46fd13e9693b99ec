import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "@/platform/auth/sessions";
import { db, type Role } from "@/platform/db/client";
import { DomainError } from "@/platform/errors";
import { mergeCustomers, mergeHistory, mergePreview, undoMerge } from "@/features/customers/merge/merge";
import { searchCustomers, startConversationTicket } from "@/features/tickets/phone-tickets";
import { findCustomerEmail } from "@/features/customers/matching";
import { checkCallerFields } from "@/features/callers/caller-verification";

async function person(role: Role, name = `${role} ${randomUUID().slice(0, 6)}`): Promise<Actor> {
  const user = await db.user.create({ data: { email: `${randomUUID()}@example.com`, name, role, emailVerifiedAt: new Date() } });
  return { sessionId: randomUUID(), userId: user.id, role, name, email: user.email, customerId: null } as Actor;
}

const tag = () => randomUUID().slice(0, 8);
const verified = new Date("2026-11-01T10:00:00.000Z");

/** A customer with a primary address, optional alias, phones, an agreement, a portal account, a ticket and an identity check. */
async function customer(options: { primaryVerified?: boolean; mobile?: string; mobileVerified?: boolean; fixed?: string; organisationId?: string } = {}) {
  const id = tag();
  const created = await db.customer.create({
    data: {
      accountNumber: `MRG-${id}`,
      name: `Merge ${id}`,
      organisationId: options.organisationId ?? null,
      emails: {
        create: [
          {
            address: `Primary-${id}@Example.com`,
            normalized: `primary-${id}@example.com`,
            isPrimary: true,
            verifiedAt: options.primaryVerified ? verified : null,
          },
          { address: `alias-${id}@example.com`, normalized: `alias-${id}@example.com` },
        ],
      },
      phones: {
        create: [
          ...(options.mobile ? [{ e164: options.mobile, kind: "mobile" as const, verifiedAt: options.mobileVerified ? verified : null }] : []),
          ...(options.fixed ? [{ e164: options.fixed, kind: "fixed" as const }] : []),
        ],
      },
      agreements: { create: { reference: `MRG-AG-${id}`, tier: "standard", startsOn: new Date("2026-01-01"), endsOn: new Date("2026-12-31") } },
    },
  });
  const account = await db.user.create({
    data: {
      email: `portal-${id}@example.com`,
      name: `Portal ${id}`,
      role: "customer",
      customerId: created.id,
      matchStatus: "matched",
      emailVerifiedAt: verified,
    },
  });
  const ticket = await db.ticket.create({ data: { subject: `Ticket of ${id}`, channel: "email", customerId: created.id, requesterUserId: account.id } });
  await db.identityCheck.create({
    data: { ticketId: ticket.id, customerId: created.id, method: "email_code", outcome: "passed", expiresAt: new Date("2026-11-02T10:00:00.000Z") },
  });
  return created;
}

const phoneNumber = () => `+4477009${String(Math.floor(Math.random() * 100000)).padStart(5, "0")}`;

/** Every row of both customers across the affected tables, in a stable order. */
async function dump(ids: string[]) {
  const byId = { orderBy: { id: "asc" as const } };
  return {
    customers: (await db.customer.findMany({ where: { id: { in: ids } }, ...byId })).map(({ version: _version, ...customer }) => customer),
    emails: await db.customerEmail.findMany({ where: { customerId: { in: ids } }, ...byId }),
    phones: await db.customerPhone.findMany({ where: { customerId: { in: ids } }, ...byId }),
    agreements: await db.supportAgreement.findMany({ where: { customerId: { in: ids } }, ...byId }),
    users: await db.user.findMany({ where: { customerId: { in: ids } }, ...byId }),
    // Every column but version: it counts every change (the API's ETag), so undoing one moves it on too, never back.
    tickets: (await db.ticket.findMany({ where: { customerId: { in: ids } }, ...byId })).map(({ version: _version, ...ticket }) => ticket),
    identityChecks: await db.identityCheck.findMany({ where: { customerId: { in: ids } }, ...byId }),
  };
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe("merge preview", () => {
  it("lists everything that moves from the absorbed record", async () => {
    const mobile = phoneNumber();
    const survivor = await customer();
    const absorbed = await customer({ mobile, fixed: phoneNumber() });
    const preview = (await mergePreview(survivor.id, absorbed.id))!;
    expect(preview.survivor.id).toBe(survivor.id);
    expect(preview.moves.tickets).toHaveLength(1);
    expect(preview.moves.emails.map((email) => email.wasPrimary).sort()).toEqual([false, true]);
    expect(preview.moves.phones).toHaveLength(2);
    expect(preview.moves.agreements.map((agreement) => agreement.reference)).toEqual([`MRG-AG-${absorbed.accountNumber.slice(4)}`]);
    expect(preview.moves.accounts).toHaveLength(1);
    expect(preview.moves.identityChecks).toHaveLength(1);
    expect(preview.needsReason).toBe(false);
    expect(preview.refusal).toBeNull();
    // Masked: the preview shows no whole address or number.
    expect(JSON.stringify(preview)).not.toContain(mobile);
    // The other direction is its own preview.
    const reversed = (await mergePreview(absorbed.id, survivor.id))!;
    expect(reversed.survivor.id).toBe(absorbed.id);
    expect(reversed.moves.phones).toHaveLength(0);
  });

  it("names each conflict", async () => {
    const shared = phoneNumber();
    const [orgA, orgB] = await Promise.all([
      db.organisation.create({ data: { name: `Org ${tag()}`, normalizedName: `org-${randomUUID()}` } }),
      db.organisation.create({ data: { name: `Org ${tag()}`, normalizedName: `org-${randomUUID()}` } }),
    ]);
    const survivor = await customer({ primaryVerified: true, mobile: phoneNumber(), mobileVerified: true, fixed: shared, organisationId: orgA.id });
    const absorbed = await customer({ primaryVerified: true, mobile: phoneNumber(), mobileVerified: true, fixed: shared, organisationId: orgB.id });
    const preview = (await mergePreview(survivor.id, absorbed.id))!;
    expect(preview.conflicts.map((conflict) => conflict.kind).sort()).toEqual(
      ["account_number", "duplicate_phone", "name", "organisation", "verified_mobiles", "verified_primary_addresses"].sort(),
    );
    expect(preview.needsReason).toBe(true);
    expect(preview.moves.phones.find((phone) => phone.duplicate)).toBeTruthy();
  });

  it("does not call the same verified mobile a disagreement", async () => {
    const mobile = phoneNumber();
    const survivor = await customer({ mobile, mobileVerified: true });
    const absorbed = await customer({ mobile, mobileVerified: true });
    const preview = (await mergePreview(survivor.id, absorbed.id))!;
    expect(preview.conflicts.map((conflict) => conflict.kind)).toContain("duplicate_phone");
    expect(preview.needsReason).toBe(false);
  });
});

describe("merging", () => {
  it("requires a written reason when verified identities disagree, and records an override", async () => {
    const supervisor = await person("supervisor");
    const survivor = await customer({ mobile: phoneNumber(), mobileVerified: true });
    const absorbed = await customer({ mobile: phoneNumber(), mobileVerified: true });
    const error = await refusal(mergeCustomers(supervisor, { survivorId: survivor.id, absorbedId: absorbed.id }));
    expect(error.fieldErrors?.reason?.[0]).toMatch(/verified identities that disagree/);
    await refusal(mergeCustomers(supervisor, { survivorId: survivor.id, absorbedId: absorbed.id, reason: "same" }));
    expect((await db.customer.findUniqueOrThrow({ where: { id: absorbed.id } })).mergedIntoId).toBeNull();

    const merge = await mergeCustomers(supervisor, {
      survivorId: survivor.id,
      absorbedId: absorbed.id,
      reason: "Called both numbers: the same person, new phone.",
    });
    expect(merge.overrode).toBe(true);
    const stored = await db.customerMerge.findUniqueOrThrow({ where: { id: merge.id } });
    expect(stored.reason).toBe("Called both numbers: the same person, new phone.");
    const check = await db.identityCheck.findFirstOrThrow({ where: { customerId: survivor.id, outcome: "overridden" } });
    expect(check).toMatchObject({ method: "supervisor_override", reason: stored.reason, performedById: supervisor.userId });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "customer.merged", subjectId: survivor.id } });
    expect(audit.details).toEqual({ mergeId: merge.id, survivorId: survivor.id, absorbedId: absorbed.id, overrode: true, identityCheckId: check.id });
  });

  it("does not ask for a reason when only one record is verified", async () => {
    const supervisor = await person("supervisor");
    const survivor = await customer({ primaryVerified: true, mobile: phoneNumber(), mobileVerified: true });
    const absorbed = await customer({ mobile: phoneNumber() });
    const merge = await mergeCustomers(supervisor, { survivorId: survivor.id, absorbedId: absorbed.id });
    expect(merge.overrode).toBe(false);
  });

  it("refuses agents", async () => {
    const agent = await person("agent");
    const [a, b] = [await customer(), await customer()];
    expect((await refusal(mergeCustomers(agent, { survivorId: a.id, absorbedId: b.id }))).code).toBe("forbidden");
  });

  it("moves everything, keeps a shared number once, hides the absorbed record from lookups", async () => {
    const supervisor = await person("supervisor", "Sam Merger");
    const shared = phoneNumber();
    const survivor = await customer({ fixed: shared });
    const absorbed = await customer({ mobile: phoneNumber(), fixed: shared });
    await mergeCustomers(supervisor, { survivorId: survivor.id, absorbedId: absorbed.id });
    const after = await dump([survivor.id, absorbed.id]);
    for (const table of ["emails", "phones", "agreements", "users", "tickets", "identityChecks"] as const) {
      expect(after[table].every((row) => row.customerId === survivor.id)).toBe(true);
    }
    expect(after.emails.filter((email) => email.isPrimary)).toHaveLength(1);
    expect(after.emails.filter((email) => email.isPrimary)[0]!.normalized).toContain(survivor.accountNumber.slice(4).toLowerCase());
    expect(after.phones.filter((phone) => phone.e164 === shared)).toHaveLength(1);
    expect(after.customers.find((row) => row.id === absorbed.id)!.mergedIntoId).toBe(survivor.id);

    // Lookups: by name, by the absorbed account number (finds the survivor), by the moved address.
    const byAccount = await searchCustomers(absorbed.accountNumber);
    expect(byAccount.map((hit) => hit.id)).toEqual([survivor.id]);
    const byName = await searchCustomers(absorbed.name);
    expect(byName.map((hit) => hit.id)).not.toContain(absorbed.id);
    const absorbedPrimary = after.emails.find(
      (email) => email.normalized.includes(absorbed.accountNumber.slice(4).toLowerCase()) && email.normalized.startsWith("primary"),
    )!;
    expect((await findCustomerEmail(absorbedPrimary.normalized))?.customerId).toBe(survivor.id);

    // A second merge of the absorbed record gets a clear answer.
    const other = await customer();
    const error = await refusal(mergeCustomers(supervisor, { survivorId: other.id, absorbedId: absorbed.id }));
    expect(error.message).toMatch(
      new RegExp(`already merged into ${survivor.accountNumber} \\(${survivor.name}\\) by Sam Merger at \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC`),
    );
    expect((await refusal(mergeCustomers(supervisor, { survivorId: absorbed.id, absorbedId: other.id }))).code).toBe("conflict");
    expect((await mergePreview(other.id, absorbed.id))!.refusal).toMatch(/already merged into/);

    const history = await mergeHistory(survivor.id);
    expect(history[0]).toMatchObject({ role: "survivor", other: { id: absorbed.id }, performedBy: "Sam Merger", undoneAt: null });
  });

  it("never matches, searches or starts a ticket on an absorbed record, even one still holding an address", async () => {
    const agent = await person("agent");
    const survivor = await customer();
    const absorbed = await customer();
    // As if a row had been left behind: lookups still refuse the absorbed record.
    await db.customer.update({ where: { id: absorbed.id }, data: { mergedIntoId: survivor.id } });
    const address = `primary-${absorbed.accountNumber.slice(4)}@example.com`;
    expect(await findCustomerEmail(address)).toBeNull();
    // The directory follows the merge: what found the absorbed record finds the survivor.
    expect((await searchCustomers(address)).map((hit) => hit.id)).toEqual([survivor.id]);
    const error = await refusal(startConversationTicket(agent, { customerId: absorbed.id, channel: "phone", subject: "Call" }));
    expect(error.message).toMatch(/merged into another customer/);
  });

  it("a caller who gives the absorbed record's account number matches the survivor", async () => {
    const supervisor = await person("supervisor");
    const agent = await person("agent");
    const survivor = await customer();
    const absorbed = await customer();
    await mergeCustomers(supervisor, { survivorId: survivor.id, absorbedId: absorbed.id });
    const check = await checkCallerFields(agent, {
      customerId: survivor.id,
      fullName: survivor.name,
      accountOrEmail: absorbed.accountNumber,
      ip: "203.0.113.9",
    });
    expect(check.fields.accountOrEmail).toBe("match");
    const own = await checkCallerFields(agent, { customerId: survivor.id, fullName: survivor.name, accountOrEmail: survivor.accountNumber, ip: "203.0.113.9" });
    expect(own.fields.accountOrEmail).toBe("match");
    const error = await refusal(checkCallerFields(agent, { customerId: absorbed.id, fullName: absorbed.name, ip: "203.0.113.9" }));
    expect(error.message).toMatch(/merged into another one/);
  });

  it("lets exactly one of two concurrent merges of the same records win", async () => {
    const [first, second] = [await person("supervisor", "First Sup"), await person("supervisor", "Second Sup")];
    const a = await customer({ mobile: phoneNumber() });
    const b = await customer({ mobile: phoneNumber() });
    const results = await Promise.allSettled([
      mergeCustomers(first, { survivorId: a.id, absorbedId: b.id }),
      mergeCustomers(second, { survivorId: b.id, absorbedId: a.id }),
    ]);
    const won = results.filter((result) => result.status === "fulfilled");
    const lost = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(DomainError);
    expect((lost[0]!.reason as DomainError).message).toMatch(/already merged into .* by (First|Second) Sup at/);
    expect(await db.customerMerge.count({ where: { OR: [{ survivorId: { in: [a.id, b.id] } }, { absorbedId: { in: [a.id, b.id] } }] } })).toBe(1);
    const rows = await db.customer.findMany({ where: { id: { in: [a.id, b.id] } } });
    expect(rows.filter((row) => row.mergedIntoId !== null)).toHaveLength(1);
  });
});

describe("undoing a merge", () => {
  it("restores every row of both records exactly", async () => {
    const supervisor = await person("supervisor");
    const shared = phoneNumber();
    const organisation = await db.organisation.create({ data: { name: `Org ${tag()}`, normalizedName: `org-${randomUUID()}` } });
    const survivor = await customer({ primaryVerified: true, mobile: phoneNumber(), mobileVerified: true, fixed: shared });
    const absorbed = await customer({ primaryVerified: true, mobile: phoneNumber(), mobileVerified: true, organisationId: organisation.id });
    // The absorbed record verified the shared number, the survivor did not: the merge marks the survivor's verified.
    await db.customerPhone.create({ data: { customerId: absorbed.id, e164: shared, kind: "fixed", verifiedAt: verified } });
    const ids = [survivor.id, absorbed.id];
    const before = await dump(ids);

    const merge = await mergeCustomers(supervisor, { survivorId: survivor.id, absorbedId: absorbed.id, reason: "Confirmed on a call with both numbers." });
    const merged = await dump(ids);
    expect(merged).not.toEqual(before);
    expect(merged.customers.find((row) => row.id === survivor.id)).toMatchObject({ organisationId: organisation.id });
    expect(merged.phones.find((phone) => phone.e164 === shared)!.verifiedAt).toEqual(verified);

    const undone = await undoMerge(supervisor, { mergeId: merge.id });
    expect(undone.undoneAt).toBeInstanceOf(Date);
    // Every column of every row, updatedAt included: nothing touched the rows between merge and undo.
    expect(await dump(ids)).toEqual(before);

    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "customer.merge_undone", subjectId: survivor.id } });
    expect(audit.details).toEqual({ mergeId: merge.id, survivorId: survivor.id, absorbedId: absorbed.id });
    const again = await refusal(undoMerge(supervisor, { mergeId: merge.id }));
    expect(again.message).toMatch(/already undone by .* at \d{4}-\d{2}-\d{2}/);
    expect((await mergeHistory(survivor.id))[0]!.undoneAt).toBeInstanceOf(Date);
  });

  it("keeps rows created on the survivor after the merge with the survivor", async () => {
    const supervisor = await person("supervisor");
    const survivor = await customer();
    const absorbed = await customer();
    const merge = await mergeCustomers(supervisor, { survivorId: survivor.id, absorbedId: absorbed.id });
    const later = await db.ticket.create({ data: { subject: "After the merge", channel: "phone", customerId: survivor.id } });
    await undoMerge(supervisor, { mergeId: merge.id });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: later.id } })).customerId).toBe(survivor.id);
  });

  it("refuses to undo, with a clear answer, once erasure replaced the snapshot", async () => {
    const supervisor = await person("supervisor");
    const survivor = await customer();
    const absorbed = await customer();
    const merge = await mergeCustomers(supervisor, { survivorId: survivor.id, absorbedId: absorbed.id });
    // What features/privacy/erasure.ts leaves of a merge involving the erased customer.
    await db.customerMerge.update({ where: { id: merge.id }, data: { snapshot: { erased: true }, reason: null } });
    const refused = await refusal(undoMerge(supervisor, { mergeId: merge.id }));
    expect(refused).toMatchObject({ code: "conflict", message: expect.stringContaining("erased") });
  });

  it("refuses, saying what, when something depends on the merged state", async () => {
    const supervisor = await person("supervisor");
    const survivor = await customer();
    const mobile = phoneNumber();
    const absorbed = await customer({ mobile });
    const merge = await mergeCustomers(supervisor, { survivorId: survivor.id, absorbedId: absorbed.id });
    const alias = await db.customerEmail.findFirstOrThrow({ where: { normalized: `alias-${absorbed.accountNumber.slice(4)}@example.com` } });
    await db.customerEmail.update({ where: { id: alias.id }, data: { verifiedAt: new Date() } });
    await db.customerPhone.deleteMany({ where: { customerId: survivor.id, e164: mobile } });
    const third = await customer();
    const ticket = await db.ticket.findFirstOrThrow({ where: { subject: `Ticket of ${absorbed.accountNumber.slice(4)}` } });
    await db.ticket.update({ where: { id: ticket.id }, data: { customerId: third.id } });

    const error = await refusal(undoMerge(supervisor, { mergeId: merge.id }));
    expect(error.code).toBe("conflict");
    expect(error.fieldErrors?.problems).toEqual([
      expect.stringMatching(/^The address a.* was verified again\.$/),
      expect.stringMatching(/^The number .* was removed\.$/),
      expect.stringMatching(new RegExp(`^Ticket #${ticket.number} was moved to another customer\\.$`)),
    ]);
    // Nothing was restored.
    expect((await db.customer.findUniqueOrThrow({ where: { id: absorbed.id } })).mergedIntoId).toBe(survivor.id);
    expect((await db.customerMerge.findUniqueOrThrow({ where: { id: merge.id } })).undoneAt).toBeNull();
  });

  it("refuses when the survivor was merged again, and after the 30 days", async () => {
    const supervisor = await person("supervisor");
    const [a, b, c] = [await customer(), await customer(), await customer()];
    const first = await mergeCustomers(supervisor, { survivorId: b.id, absorbedId: a.id });
    await mergeCustomers(supervisor, { survivorId: c.id, absorbedId: b.id });
    expect((await refusal(undoMerge(supervisor, { mergeId: first.id }))).message).toMatch(/itself merged into another record/);
    // The absorbed account number follows both merges to the record it lives in now.
    expect((await searchCustomers(a.accountNumber)).map((hit) => hit.id)).toEqual([c.id]);

    const [d, e] = [await customer(), await customer()];
    const old = await mergeCustomers(supervisor, { survivorId: d.id, absorbedId: e.id }, { now: new Date(Date.now() - 31 * 24 * 3600 * 1000) });
    expect((await refusal(undoMerge(supervisor, { mergeId: old.id }))).message).toMatch(/30-day window closed/);
  });
});
