import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  createCustomerFromAccount,
  getReviewAccount,
  linkAccountToCustomer,
  listAwaitingAccounts,
  ReviewError,
  searchCustomers,
  acceptSuggestedOrganisation,
  suggestCustomersFor,
  suggestedOrganisationFor,
} from "@/features/customers/registration-review/review";
import { db } from "@/platform/db/client";
import { organisationNamed } from "@/features/organisations/names";

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
      organisation: organisationNamed(overrides.company ?? `Company ${id}`),
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
  it("searches account number, name and organisation, case-insensitively", async () => {
    const organisation = `Harbour Widgets ${unique()}`;
    const customer = await makeCustomer({ company: organisation });
    for (const query of [customer.accountNumber.toLowerCase(), customer.name.toUpperCase(), organisation.slice(0, 14).toLowerCase()]) {
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
    const result = await createCustomerFromAccount({ userId: account.id, name: "Reg Istrant", actor });
    expect(result.accountNumber).toMatch(/^ACC-\d{5,}$/);

    const customer = await db.customer.findUniqueOrThrow({ where: { id: result.customerId }, include: { emails: true, phones: true } });
    // What they typed ("Fresh Start Bakery") is a hint: it links no organisation.
    expect(customer).toMatchObject({ name: "Reg Istrant", organisationId: null, accountNumber: result.accountNumber });
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

describe("the organisation suggested by the email domain", () => {
  async function organisationWithDomain() {
    const id = unique();
    const domain = `org-${id}.example`;
    const organisation = await db.organisation.create({
      data: { name: `Domain Org ${id}`, normalizedName: `domain org ${id}`, domains: { create: { domain } } },
    });
    return { organisation, domain };
  }

  it("suggests it, and never links anything by the domain alone", async () => {
    const { organisation, domain } = await organisationWithDomain();
    const account = await awaitingAccount({ email: `new.person@${domain}` });
    expect(await suggestedOrganisationFor(account)).toEqual({ id: organisation.id, name: organisation.name, domain });
    // Still unlinked: no customer, no organisation contact, still awaiting the reviewer.
    expect(await db.user.findUniqueOrThrow({ where: { id: account.id } })).toMatchObject({ customerId: null, matchStatus: "awaiting_match" });
    expect(await db.customer.count({ where: { organisationId: organisation.id } })).toBe(0);
    // Creating the customer does not accept the suggestion either.
    const actor = await agent();
    const created = await createCustomerFromAccount({ userId: account.id, actor });
    expect((await db.customer.findUniqueOrThrow({ where: { id: created.customerId } })).organisationId).toBeNull();
    expect(await suggestCustomersFor(account)).not.toContainEqual(expect.objectContaining({ organisationName: organisation.name }));
  });

  it("links the customer only when the reviewer accepts, after the account is linked, and audits ids only", async () => {
    const { organisation, domain } = await organisationWithDomain();
    const actor = await agent();
    const account = await awaitingAccount({ email: `accepts@${domain}` });
    await expect(acceptSuggestedOrganisation({ userId: account.id, organisationId: organisation.id, actor })).rejects.toMatchObject({ code: "conflict" });
    const { customerId } = await createCustomerFromAccount({ userId: account.id, actor });
    // Only the organisation the domain suggests.
    const other = await organisationWithDomain();
    await expect(acceptSuggestedOrganisation({ userId: account.id, organisationId: other.organisation.id, actor })).rejects.toMatchObject({ code: "conflict" });

    await acceptSuggestedOrganisation({ userId: account.id, organisationId: organisation.id, actor });
    expect((await db.customer.findUniqueOrThrow({ where: { id: customerId } })).organisationId).toBe(organisation.id);
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "organisation.contact_added", subjectId: customerId } });
    expect(event).toMatchObject({ actorUserId: actor.userId, subjectType: "Customer" });
    expect(event.details).toEqual({ organisationId: organisation.id, previousOrganisationId: null, how: "registration_review" });
  });

  it("never suggests by a public email provider's domain", async () => {
    const account = await awaitingAccount({ email: `someone-${unique()}@gmail.com` });
    expect(await suggestedOrganisationFor(account)).toBeNull();
  });
});
