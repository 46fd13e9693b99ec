import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  createCustomerFromAccount,
  getReviewAccount,
  linkAccountToCustomer,
  listAwaitingAccounts,
  ReviewError,
  searchCustomers,
  suggestCustomersFor,
} from "@/features/customers/registration-review/review";
import { db } from "@/platform/db/client";

const unique = () => randomUUID().slice(0, 8);
const agent = async () => {
  const user = await db.user.create({ data: { email: `agent-${unique()}@helpdesk.test`, name: "Agent", role: "agent" } });
  return { userId: user.id, role: user.role };
};

async function makeCustomer(overrides: { accountNumber?: string; company?: string; domain?: string } = {}) {
  const id = unique();
  const domain = overrides.domain ?? `company-${id}.example`;
  return db.customer.create({
    data: {
      accountNumber: overrides.accountNumber ?? `REV-${id}`,
      name: `Person ${id}`,
      company: overrides.company ?? `Company ${id}`,
      emails: { create: { address: `primary-${id}@${domain}`, normalized: `primary-${id}@${domain}`, isPrimary: true } },
      agreements: { create: { reference: `SA-${id}`, tier: "standard", startsOn: new Date("2020-01-01"), endsOn: new Date("2099-12-31") } },
    },
  });
}

async function awaitingAccount(
  overrides: { email?: string; accountHint?: string | null; verified?: boolean; matchStatus?: "awaiting_match" | "matched" | null } = {},
) {
  return db.user.create({
    data: {
      email: overrides.email ?? `registrant-${unique()}@nowhere.example`,
      name: "Reg Istrant",
      role: "customer",
      emailVerifiedAt: overrides.verified === false ? null : new Date(),
      matchStatus: overrides.matchStatus === undefined ? "awaiting_match" : overrides.matchStatus,
      accountHint: overrides.accountHint ?? null,
      phoneE164: "+61491570159",
    },
  });
}

describe("the list", () => {
  it("shows verified customer accounts awaiting a match, oldest first, and nothing else", async () => {
    const first = await awaitingAccount();
    const second = await awaitingAccount();
    const unverified = await awaitingAccount({ verified: false });
    const matched = await awaitingAccount({ matchStatus: "matched" });
    const ids = (await listAwaitingAccounts(1000)).map((account) => account.id);
    expect(ids).toContain(first.id);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    expect(ids).not.toContain(unverified.id);
    expect(ids).not.toContain(matched.id);
    expect(await getReviewAccount(unverified.id)).toBeNull();
  });
});

describe("finding customers", () => {
  it("searches account number, name and company, case-insensitively", async () => {
    const customer = await makeCustomer({ company: `Harbour Widgets ${unique()}` });
    for (const query of [customer.accountNumber.toLowerCase(), customer.name.toUpperCase(), customer.company!.slice(0, 14)]) {
      expect((await searchCustomers(query)).map((found) => found.id)).toContain(customer.id);
    }
    const found = (await searchCustomers(customer.accountNumber))[0]!;
    expect(found).toMatchObject({ accountNumber: customer.accountNumber, primaryEmail: expect.stringContaining("@"), entitlement: { status: "valid" } });
    expect(await searchCustomers("x")).toEqual([]);
  });

  it("suggests customers from the hint's account number, its company name and the email domain — as hints", async () => {
    const id = unique();
    const byNumber = await makeCustomer({ accountNumber: `ACC-9${id.replace(/\D/g, "").padEnd(4, "7").slice(0, 4)}` });
    const byCompany = await makeCustomer({ company: `Lighthouse Optics ${id}` });
    const domain = `clinic-${id}.example`;
    const byDomain = await makeCustomer({ domain });

    const account = await awaitingAccount({ email: `someone@${domain}`, accountHint: `${byNumber.accountNumber.toLowerCase()} for Lighthouse Optics ${id}` });
    const suggestions = await suggestCustomersFor(account);
    const reasonsOf = (customerId: string) => suggestions.find((suggestion) => suggestion.id === customerId)?.reasons;
    expect(reasonsOf(byNumber.id)).toContain("account_number_in_hint");
    expect(reasonsOf(byCompany.id)).toContain("name_in_hint");
    expect(reasonsOf(byDomain.id)).toEqual(["same_email_domain"]);
    // Suggesting changes nothing.
    expect((await db.user.findUniqueOrThrow({ where: { id: account.id } })).matchStatus).toBe("awaiting_match");
  });

  it("does not suggest by a public email provider's domain", async () => {
    await makeCustomer({ domain: "gmail.com" });
    const account = await awaitingAccount({ email: `someone-${unique()}@gmail.com` });
    expect(await suggestCustomersFor(account)).toEqual([]);
  });
});

describe("linking", () => {
  it("links the account, adds its address to the customer as a verified alias, and audits it", async () => {
    const customer = await makeCustomer();
    const account = await awaitingAccount();
    const actor = await agent();
    const result = await linkAccountToCustomer({ userId: account.id, customerId: customer.id, actor, ip: "203.0.113.7" });
    expect(result).toMatchObject({ userId: account.id, customerId: customer.id, accountNumber: customer.accountNumber, aliasAdded: true });

    expect(await db.user.findUniqueOrThrow({ where: { id: account.id } })).toMatchObject({ customerId: customer.id, matchStatus: "matched" });
    const alias = await db.customerEmail.findUniqueOrThrow({ where: { normalized: account.email } });
    expect(alias).toMatchObject({ customerId: customer.id, isPrimary: false, verifiedAt: account.emailVerifiedAt });
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "customer.account_linked", subjectId: account.id } });
    expect(event).toMatchObject({ actorUserId: actor.userId, actorRole: "agent", ip: "203.0.113.7" });
    expect(event.details).toMatchObject({ customerId: customer.id, aliasAdded: true });
  });

  it("refuses accounts that are not awaiting a match: already linked, unverified, or decided by another agent meanwhile", async () => {
    const customer = await makeCustomer();
    const actor = await agent();
    const matched = await awaitingAccount({ matchStatus: "matched" });
    const unverified = await awaitingAccount({ verified: false });
    const staff = await db.user.create({
      data: { email: `staff-${unique()}@helpdesk.test`, name: "Staff", role: "agent", emailVerifiedAt: new Date(), matchStatus: "awaiting_match" },
    });
    for (const userId of [matched.id, unverified.id, staff.id, randomUUID()]) {
      await expect(linkAccountToCustomer({ userId, customerId: customer.id, actor })).rejects.toMatchObject({ code: "conflict" });
    }

    const account = await awaitingAccount();
    const results = await Promise.allSettled([
      linkAccountToCustomer({ userId: account.id, customerId: customer.id, actor }),
      linkAccountToCustomer({ userId: account.id, customerId: customer.id, actor }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(await db.auditEvent.count({ where: { action: "customer.account_linked", subjectId: account.id } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "customer.account_linked", subjectId: { in: [matched.id, unverified.id, staff.id] } } })).toBe(0);
  });

  it("refuses a customer that does not exist", async () => {
    const account = await awaitingAccount();
    await expect(linkAccountToCustomer({ userId: account.id, customerId: randomUUID(), actor: await agent() })).rejects.toBeInstanceOf(ReviewError);
    expect((await db.user.findUniqueOrThrow({ where: { id: account.id } })).matchStatus).toBe("awaiting_match");
  });
});

describe("creating a customer from an account", () => {
  it("creates the customer with the verified address as primary, numbers it, links the account, and audits both", async () => {
    const account = await awaitingAccount({ accountHint: "Fresh Start Bakery" });
    const actor = await agent();
    const result = await createCustomerFromAccount({ userId: account.id, name: "Reg Istrant", company: "Fresh Start Bakery", actor });
    expect(result.accountNumber).toMatch(/^ACC-\d{5,}$/);

    const customer = await db.customer.findUniqueOrThrow({ where: { id: result.customerId }, include: { emails: true, phones: true } });
    expect(customer).toMatchObject({ name: "Reg Istrant", company: "Fresh Start Bakery", accountNumber: result.accountNumber });
    expect(customer.emails).toEqual([expect.objectContaining({ normalized: account.email, isPrimary: true, verifiedAt: account.emailVerifiedAt })]);
    // The unproved mobile stays on the account only.
    expect(customer.phones).toEqual([]);
    expect(await db.user.findUniqueOrThrow({ where: { id: account.id } })).toMatchObject({ customerId: customer.id, matchStatus: "matched" });
    expect(await db.auditEvent.count({ where: { action: "customer.created_from_registration", subjectId: customer.id, actorUserId: actor.userId } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "customer.account_linked", subjectId: account.id } })).toBe(1);
  });

  it("gives concurrent creations different account numbers", async () => {
    const actor = await agent();
    const [a, b] = await Promise.all([awaitingAccount(), awaitingAccount()]);
    const [first, second] = await Promise.all([createCustomerFromAccount({ userId: a.id, actor }), createCustomerFromAccount({ userId: b.id, actor })]);
    expect(first.accountNumber).not.toBe(second.accountNumber);
    expect((await db.customer.findUniqueOrThrow({ where: { id: first.customerId } })).name).toBe("Reg Istrant");
  });

  it("refuses when the address already belongs to a customer, and when the account is not awaiting", async () => {
    const customer = await makeCustomer();
    const primary = (await db.customerEmail.findFirstOrThrow({ where: { customerId: customer.id } })).normalized;
    const actor = await agent();
    const taken = await awaitingAccount({ email: primary });
    await expect(createCustomerFromAccount({ userId: taken.id, actor })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining(customer.accountNumber),
    });
    const matched = await awaitingAccount({ matchStatus: "matched" });
    const before = await db.customer.count();
    await expect(createCustomerFromAccount({ userId: matched.id, actor })).rejects.toMatchObject({ code: "conflict" });
    expect(await db.customer.count()).toBe(before);
  });
});

describe("companyFromHint", () => {
  it("keeps the company words of a hint, without account numbers and brackets", async () => {
    const { companyFromHint } = await import("@/features/customers/registration-review/review");
    expect(companyFromHint("ACC-10005 (Lumen Dental Clinic)")).toBe("Lumen Dental Clinic");
    expect(companyFromHint("acc10005")).toBe("");
    expect(companyFromHint("Fresh Start Bakery")).toBe("Fresh Start Bakery");
    expect(companyFromHint(null)).toBe("");
  });
});
