import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { findCustomerEmail, matchVerifiedAccount } from "@/features/customers/matching";
import { normalizeEmail } from "@/platform/email-address/email-address";
import { db } from "@/platform/db/client";

const unique = () => randomUUID().slice(0, 8);

async function makeCustomer() {
  const id = unique();
  const primary = `Owner.${id}@Company-${id}.example`;
  const alias = `Alias.${id}@Home-${id}.example`;
  const customer = await db.customer.create({
    data: {
      accountNumber: `TEST-${id}`,
      name: `Customer ${id}`,
      emails: {
        create: [
          { address: primary, normalized: normalizeEmail(primary), isPrimary: true },
          { address: alias, normalized: normalizeEmail(alias), isPrimary: false },
        ],
      },
    },
    include: { emails: true },
  });
  return { customer, primary, alias };
}

async function makeAccount(email: string) {
  return db.user.create({ data: { email: normalizeEmail(email), name: "Registrant", role: "customer", passwordHash: "x" } });
}

async function verify(userId: string, email: string, verifiedAt = new Date()) {
  return db.$transaction((tx) => matchVerifiedAccount(tx, { userId, email, verifiedAt, ip: "203.0.113.9" }));
}

describe("matchVerifiedAccount", () => {
  it("links an account whose address is a customer's primary address", async () => {
    const { customer, primary } = await makeCustomer();
    const account = await makeAccount(primary);
    const verifiedAt = new Date();
    const outcome = await verify(account.id, account.email, verifiedAt);

    const primaryRow = customer.emails.find((email) => email.isPrimary)!;
    expect(outcome).toEqual({ status: "matched", customerId: customer.id, customerEmailId: primaryRow.id, via: "primary" });
    const user = await db.user.findUniqueOrThrow({ where: { id: account.id } });
    expect(user).toMatchObject({ customerId: customer.id, matchStatus: "matched", emailVerifiedAt: verifiedAt });
    expect((await db.customerEmail.findUniqueOrThrow({ where: { id: primaryRow.id } })).verifiedAt).toEqual(verifiedAt);
  });

  it("links through an alias, and marks the alias verified", async () => {
    const { customer, alias } = await makeCustomer();
    const account = await makeAccount(alias);
    const outcome = await verify(account.id, account.email);
    expect(outcome).toMatchObject({ status: "matched", customerId: customer.id, via: "alias" });
    const aliasRow = customer.emails.find((email) => !email.isPrimary)!;
    expect((await db.customerEmail.findUniqueOrThrow({ where: { id: aliasRow.id } })).verifiedAt).not.toBeNull();
  });

  it("compares addresses case-insensitively and ignores surrounding spaces", async () => {
    const { customer, alias } = await makeCustomer();
    const account = await makeAccount(alias);
    const outcome = await verify(account.id, `  ${alias.toUpperCase()} `);
    expect(outcome).toMatchObject({ status: "matched", customerId: customer.id, via: "alias" });
    expect(await findCustomerEmail(alias.toUpperCase())).toMatchObject({ customerId: customer.id });
  });

  it("keeps an earlier verification date of the customer's address", async () => {
    const { customer, primary } = await makeCustomer();
    const primaryRow = customer.emails.find((email) => email.isPrimary)!;
    const earlier = new Date("2025-01-02T03:04:05Z");
    await db.customerEmail.update({ where: { id: primaryRow.id }, data: { verifiedAt: earlier } });
    const account = await makeAccount(primary);
    await verify(account.id, account.email);
    expect((await db.customerEmail.findUniqueOrThrow({ where: { id: primaryRow.id } })).verifiedAt).toEqual(earlier);
  });

  it("does not match on a similar address (plus tags and dots are part of the address)", async () => {
    const { alias } = await makeCustomer();
    const [local, domain] = alias.split("@");
    const account = await makeAccount(`${local}+extra@${domain}`);
    expect(await verify(account.id, account.email)).toEqual({ status: "awaiting_match" });
  });

  it("leaves an account with no matching address awaiting an agent, verified", async () => {
    const account = await makeAccount(`nobody-${unique()}@nowhere.example`);
    const outcome = await verify(account.id, account.email);
    expect(outcome).toEqual({ status: "awaiting_match" });
    const user = await db.user.findUniqueOrThrow({ where: { id: account.id } });
    expect(user.matchStatus).toBe("awaiting_match");
    expect(user.customerId).toBeNull();
    expect(user.emailVerifiedAt).not.toBeNull();
  });

  it("audits the match and the wait", async () => {
    const { customer, alias } = await makeCustomer();
    const matched = await makeAccount(alias);
    await verify(matched.id, matched.email);
    const waiting = await makeAccount(`nobody-${unique()}@nowhere.example`);
    await verify(waiting.id, waiting.email);

    const matchEvent = await db.auditEvent.findFirstOrThrow({ where: { action: "customer.account_matched", subjectId: matched.id } });
    expect(matchEvent.details).toMatchObject({ customerId: customer.id, via: "alias" });
    // Masked: the audit trail does not need the whole address.
    expect(JSON.stringify(matchEvent.details)).not.toContain(normalizeEmail(alias));
    expect(await db.auditEvent.count({ where: { action: "registration.awaiting_match", subjectId: waiting.id } })).toBe(1);
  });

  it("keeps an agent's earlier link when the address matches nobody", async () => {
    const { customer } = await makeCustomer();
    const account = await db.user.create({
      data: { email: `linked-${unique()}@nowhere.example`, name: "Linked", role: "customer", customerId: customer.id, matchStatus: "matched" },
    });
    expect(await verify(account.id, account.email)).toEqual({ status: "matched", customerId: customer.id, customerEmailId: null, via: "earlier_link" });
    expect((await db.user.findUniqueOrThrow({ where: { id: account.id } })).matchStatus).toBe("matched");
  });

  it("changes nothing when the surrounding transaction fails", async () => {
    const { alias } = await makeCustomer();
    const account = await makeAccount(alias);
    await expect(
      db.$transaction(async (tx) => {
        await matchVerifiedAccount(tx, { userId: account.id, email: account.email, verifiedAt: new Date() });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    const user = await db.user.findUniqueOrThrow({ where: { id: account.id } });
    expect(user).toMatchObject({ customerId: null, matchStatus: null, emailVerifiedAt: null });
  });
});
