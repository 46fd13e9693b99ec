import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { addAgreement, customerAgreements } from "@/features/customers/agreement-changes";
import { customerEntitlement } from "@/features/customers/agreements";
import { addAgreementSchema } from "@/features/customers/schemas";
import { identityPanelForTicket } from "@/features/identity/ticket-identity-panel";
import {
  addContact,
  addDomain,
  createOrganisation,
  listOrganisations,
  ORGANISATION_PAGE_SIZE,
  organisationSuggestedFor,
  removeContact,
  removeDomain,
  setCustomerOrganisationByName,
  updateOrganisation,
} from "@/features/organisations/organisations";
import { addDomainSchema } from "@/features/organisations/schemas";
import { loadPortalAccess } from "@/features/portal/access";
import { runSlaSweep } from "@/features/sla/job";
import { slaScopeForCustomer } from "@/features/sla/policies";
import { startConversationTicket } from "@/features/tickets/phone-tickets";
import { db } from "@/platform/db/client";

const unique = () => randomUUID().slice(0, 8);

async function staff(role: "agent" | "supervisor") {
  const user = await db.user.create({ data: { email: `${role}-${unique()}@helpdesk.test`, name: `${role} ${unique()}`, role } });
  return { userId: user.id, role: user.role };
}

async function customer(label = "Contact") {
  const id = unique();
  return db.customer.create({
    data: {
      accountNumber: `ORG-${id}`,
      name: `${label} ${id}`,
      emails: { create: { address: `c-${id}@contacts.example`, normalized: `c-${id}@contacts.example`, isPrimary: true, verifiedAt: new Date() } },
    },
  });
}

async function organisation(name = `Org ${unique()}`) {
  const { id } = await createOrganisation({ name, notes: "" }, await staff("agent"), null);
  return db.organisation.findUniqueOrThrow({ where: { id } });
}

/** An organisation holding a valid `tier` agreement, and a contact with no agreement of their own. */
async function contactCoveredOnlyByOrganisation(tier: "basic" | "standard" | "premium" = "premium") {
  const org = await organisation();
  const contact = await customer();
  await db.customer.update({ where: { id: contact.id }, data: { organisationId: org.id } });
  await db.supportAgreement.create({
    data: { organisationId: org.id, reference: `ORG-AG-${unique()}`, tier, startsOn: new Date("2020-01-01"), endsOn: new Date("2099-12-31") },
  });
  return { org, contact };
}

const auditDetailsOf = async (action: string, subjectId: string) =>
  (await db.auditEvent.findMany({ where: { action, subjectId }, select: { details: true } })).map((event) => event.details);

describe("organisations", () => {
  it("creates one per name (trimmed, case-insensitive), audits ids only, and renames", async () => {
    const name = `Acme ${unique()}`;
    const agent = await staff("agent");
    const { id } = await createOrganisation({ name, notes: "Big customer" }, agent, "192.0.2.1");
    expect(await db.organisation.findUniqueOrThrow({ where: { id } })).toMatchObject({ name, normalizedName: name.toLowerCase(), notes: "Big customer" });
    await expect(createOrganisation({ name: `  ${name.toUpperCase()} `.trim(), notes: "" }, agent, null)).rejects.toMatchObject({
      code: "conflict",
      fieldErrors: { name: [expect.any(String)] },
    });
    expect(await auditDetailsOf("organisation.created", id)).toEqual([null]);

    await updateOrganisation({ organisationId: id, name: `${name} Ltd`, notes: "" }, agent, null);
    expect(await db.organisation.findUniqueOrThrow({ where: { id } })).toMatchObject({ name: `${name} Ltd`, notes: null });
    const [details] = await auditDetailsOf("organisation.updated", id);
    expect(JSON.stringify(details)).not.toContain(name);
  });

  it("lists by name with search and pages", async () => {
    const tag = unique();
    for (let i = 0; i < ORGANISATION_PAGE_SIZE + 2; i++) await organisation(`Paged ${tag} ${String(i).padStart(2, "0")}`);
    const first = await listOrganisations(`paged ${tag}`, 1);
    expect(first).toMatchObject({ total: ORGANISATION_PAGE_SIZE + 2, pages: 2, page: 1 });
    expect(first.items).toHaveLength(ORGANISATION_PAGE_SIZE);
    expect(first.items[0]?.name).toBe(`Paged ${tag} 00`);
    const second = await listOrganisations(`paged ${tag}`, 2);
    expect(second.items.map((item) => item.name)).toEqual([`Paged ${tag} ${ORGANISATION_PAGE_SIZE}`, `Paged ${tag} ${ORGANISATION_PAGE_SIZE + 1}`]);
    expect((await listOrganisations(`paged ${tag}`, 99)).page).toBe(2);
  });
});

describe("mail domains", () => {
  it("stores a domain normalised, refuses free-mail and disposable domains and a domain of another organisation", async () => {
    const org = await organisation();
    const agent = await staff("agent");
    const domain = `${unique()}.acme.example`;
    const parsed = addDomainSchema.parse({ organisationId: org.id, domain: ` @${domain.toUpperCase()}. ` });
    expect(parsed.domain).toBe(domain);
    await addDomain(parsed, agent, null);
    expect(await db.organisationDomain.findUniqueOrThrow({ where: { domain } })).toMatchObject({ organisationId: org.id });

    for (const publicDomain of ["gmail.com", "outlook.com", "mailinator.com"]) {
      await expect(addDomain(addDomainSchema.parse({ organisationId: org.id, domain: publicDomain }), agent, null)).rejects.toMatchObject({
        code: "invalid",
        fieldErrors: { domain: [expect.stringContaining(publicDomain)] },
      });
      expect(await db.organisationDomain.findUnique({ where: { domain: publicDomain } })).toBeNull();
    }
    const other = await organisation();
    await expect(addDomain({ organisationId: other.id, domain }, agent, null)).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining(org.name),
    });
    expect(addDomainSchema.safeParse({ organisationId: org.id, domain: "not a domain" }).success).toBe(false);
    expect(addDomainSchema.safeParse({ organisationId: org.id, domain: "localhost" }).success).toBe(false);

    const [details] = await auditDetailsOf("organisation.domain_added", org.id);
    expect(JSON.stringify(details)).not.toContain(domain);
    const row = await db.organisationDomain.findUniqueOrThrow({ where: { domain } });
    await removeDomain({ domainId: row.id }, agent, null);
    expect(await db.organisationDomain.findUnique({ where: { domain } })).toBeNull();
  });

  it("suggests the organisation for an address at its domain (a hint), never for a free-mail address", async () => {
    const org = await organisation();
    const domain = `${unique()}.example`;
    await addDomain({ organisationId: org.id, domain }, await staff("agent"), null);
    expect(await organisationSuggestedFor(`Someone@${domain.toUpperCase()}`)).toEqual({ id: org.id, name: org.name, domain });
    expect(await organisationSuggestedFor("someone@gmail.com")).toBeNull();
    expect(await organisationSuggestedFor("no-at-sign")).toBeNull();
  });
});

describe("contacts", () => {
  it("adds by account number, moves from another organisation, removes, and audits ids only", async () => {
    const [org, other] = [await organisation(), await organisation()];
    const contact = await customer("Named Person");
    await db.customer.update({ where: { id: contact.id }, data: { organisationId: other.id } });
    const agent = await staff("agent");

    await addContact({ organisationId: org.id, accountNumber: contact.accountNumber.toLowerCase() }, agent, null);
    expect((await db.customer.findUniqueOrThrow({ where: { id: contact.id } })).organisationId).toBe(org.id);
    await expect(addContact({ organisationId: org.id, accountNumber: contact.accountNumber }, agent, null)).rejects.toMatchObject({ code: "conflict" });
    await expect(addContact({ organisationId: org.id, accountNumber: "NOPE-0" }, agent, null)).rejects.toMatchObject({
      code: "not_found",
      fieldErrors: { accountNumber: [expect.any(String)] },
    });
    expect(await auditDetailsOf("organisation.contact_added", contact.id)).toEqual([
      { organisationId: org.id, previousOrganisationId: other.id, how: "organisation_page" },
    ]);

    await removeContact({ organisationId: org.id, customerId: contact.id }, agent, null);
    expect((await db.customer.findUniqueOrThrow({ where: { id: contact.id } })).organisationId).toBeNull();
    const events = await db.auditEvent.findMany({ where: { subjectId: contact.id, action: { startsWith: "organisation." } } });
    for (const event of events) expect(JSON.stringify(event.details)).not.toMatch(/Named Person|contacts\.example|Org /);
  });

  it("lets only a supervisor move a contact into or out of an organisation that holds an agreement (it changes their entitlement)", async () => {
    const { org, contact } = await contactCoveredOnlyByOrganisation();
    const outsider = await customer("Outsider");
    const [agent, supervisor] = [await staff("agent"), await staff("supervisor")];
    await expect(addContact({ organisationId: org.id, accountNumber: outsider.accountNumber }, agent, null)).rejects.toMatchObject({ code: "forbidden" });
    await expect(removeContact({ organisationId: org.id, customerId: contact.id }, agent, null)).rejects.toMatchObject({ code: "forbidden" });
    expect((await db.customer.findUniqueOrThrow({ where: { id: outsider.id } })).organisationId).toBeNull();
    await addContact({ organisationId: org.id, accountNumber: outsider.accountNumber }, supervisor, null);
    expect((await db.customer.findUniqueOrThrow({ where: { id: outsider.id } })).organisationId).toBe(org.id);
    // An absorbed record is changed on its survivor instead.
    const absorbed = await customer("Absorbed");
    await db.customer.update({ where: { id: absorbed.id }, data: { mergedIntoId: contact.id } });
    await expect(addContact({ organisationId: org.id, accountNumber: absorbed.accountNumber }, supervisor, null)).rejects.toMatchObject({ code: "conflict" });
  });

  it("sets and clears a customer's organisation by name from the customer page", async () => {
    const org = await organisation();
    const contact = await customer();
    const agent = await staff("agent");
    await setCustomerOrganisationByName({ customerId: contact.id, organisationName: ` ${org.name.toUpperCase()} ` }, agent, null);
    expect((await db.customer.findUniqueOrThrow({ where: { id: contact.id } })).organisationId).toBe(org.id);
    await expect(setCustomerOrganisationByName({ customerId: contact.id, organisationName: `No such ${unique()}` }, agent, null)).rejects.toMatchObject({
      code: "not_found",
    });
    await setCustomerOrganisationByName({ customerId: contact.id, organisationName: "" }, agent, null);
    expect((await db.customer.findUniqueOrThrow({ where: { id: contact.id } })).organisationId).toBeNull();
  });
});

describe("an organisation's agreement entitles every contact", () => {
  it("in customerEntitlement and on the customer page, beside the contact's own", async () => {
    const { org, contact } = await contactCoveredOnlyByOrganisation("premium");
    expect(await customerEntitlement(contact.id)).toMatchObject({ status: "valid", tier: "premium" });
    const page = await customerAgreements(contact.id);
    expect(page.entitlement).toMatchObject({ status: "valid", tier: "premium" });
    expect(page.agreements).toEqual([expect.objectContaining({ organisation: { id: org.id, name: org.name } })]);
    // Not a contact any more: not entitled.
    await db.customer.update({ where: { id: contact.id }, data: { organisationId: null } });
    expect(await customerEntitlement(contact.id)).toEqual({ status: "none" });
  });

  it("in the SLA of new tickets (slaScopeForCustomer, phone tickets) and the SLA job's backfill", async () => {
    const { contact } = await contactCoveredOnlyByOrganisation("premium");
    expect(await slaScopeForCustomer(db, contact.id, new Date())).toBe("premium");
    const agent = await staff("agent");
    const ticket = await startConversationTicket(agent, { customerId: contact.id, channel: "phone", subject: "Printer on fire" });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).slaScope).toBe("premium");

    const missed = await db.ticket.create({ data: { subject: "No SLA yet", channel: "email", status: "open", customerId: contact.id } });
    await runSlaSweep({ now: new Date(missed.createdAt.getTime() + 60_000) });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: missed.id } })).slaScope).toBe("premium");
  });

  it("in the ticket's identity panel", async () => {
    const { contact } = await contactCoveredOnlyByOrganisation("standard");
    const ticket = await db.ticket.create({ data: { subject: "Hello", channel: "email", status: "open", customerId: contact.id } });
    expect((await identityPanelForTicket(ticket.id))?.entitlement).toMatchObject({ status: "valid", tier: "standard" });
  });

  it("in the portal: full support and Downloads", async () => {
    const { contact } = await contactCoveredOnlyByOrganisation("basic");
    const user = await db.user.create({
      data: {
        email: `portal-${unique()}@contacts.example`,
        name: "Portal",
        role: "customer",
        emailVerifiedAt: new Date(),
        customerId: contact.id,
        matchStatus: "matched",
      },
    });
    const access = await loadPortalAccess(user.id);
    expect(access).toMatchObject({ support: "full", downloads: { allowed: true }, entitlement: { status: "valid", tier: "basic" } });
  });
});

describe("organisation agreements", () => {
  it("are added by supervisors only, held by the organisation, audited with its id", async () => {
    const org = await organisation();
    const reference = `SA-ORG-${unique()}`.toUpperCase();
    const input = addAgreementSchema.parse({ organisationId: org.id, tier: "standard", reference, startsOn: "2026-01-01", endsOn: "2099-12-31" });
    await expect(addAgreement(input, await staff("agent"), null)).rejects.toMatchObject({ code: "forbidden" });
    const { id } = await addAgreement(input, await staff("supervisor"), null);
    expect(await db.supportAgreement.findUniqueOrThrow({ where: { id } })).toMatchObject({ organisationId: org.id, customerId: null });
    expect(await auditDetailsOf("agreement.created", id)).toEqual([expect.objectContaining({ organisationId: org.id })]);
  });

  it("name exactly one holder", () => {
    const base = { tier: "basic", reference: "SA-X-1", startsOn: "2026-01-01", endsOn: "2026-12-31" };
    expect(addAgreementSchema.safeParse({ ...base, customerId: randomUUID(), organisationId: randomUUID() }).success).toBe(false);
    expect(addAgreementSchema.safeParse(base).success).toBe(false);
    expect(addAgreementSchema.safeParse({ ...base, organisationId: randomUUID() }).success).toBe(true);
  });
});
