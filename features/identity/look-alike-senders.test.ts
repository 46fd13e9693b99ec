import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { normalizeEmail } from "@/platform/email-address/email-address";
import { knownDomains, lookAlikeDomainsOf, lookAlikeHeadline, lookAlikeSenderFor } from "@/features/identity/look-alike-senders";
import { identityPanelForTicket } from "@/features/identity/ticket-identity-panel";
import { matchVerifiedAccount } from "@/features/customers/matching";

/** Letters only: a random name that no other test's domain resembles. */
function letters(length = 8) {
  return Array.from(randomUUID().replace(/-/g, "").slice(0, length), (hex) => String.fromCharCode(97 + (Number.parseInt(hex, 16) % 26))).join("");
}

async function customerAt(domains: string[], name = "Northwind Traders") {
  return db.customer.create({
    data: {
      accountNumber: `LA-${randomUUID().slice(0, 8)}`,
      name,
      emails: {
        create: domains.map((domain, i) => {
          const address = `jane@${domain}`;
          return { address, normalized: normalizeEmail(address), isPrimary: i === 0 };
        }),
      },
    },
  });
}

describe("lookAlikeSenderFor", () => {
  it("names the customer whose domain a sender imitates, and refreshes within the minute", async () => {
    const name = `northwind${letters(4)}`;
    const customer = await customerAt([`${name}.example`]);
    await knownDomains({ fresh: true });
    const imitation = `jane@${name.replace("i", "l")}.example`;
    const found = await lookAlikeSenderFor(imitation);
    expect(found).toMatchObject({ knownDomain: `${name}.example`, technique: "homoglyph", customerId: customer.id, usedBy: "Northwind Traders" });
    expect(lookAlikeHeadline(found!)).toBe(`Looks like ${name}.example, used by Northwind Traders`);
    // The customer's own address, and a subdomain of it, are not look-alikes.
    expect(await lookAlikeSenderFor(`ceo@${name}.example`)).toBeNull();
    expect(await lookAlikeSenderFor(`ceo@mail.${name}.example`)).toBeNull();
  });

  it("keeps flagging a look-alike an agent typed onto a record until the customer proves that address", async () => {
    const name = `tailspin${letters(4)}`;
    const customer = await customerAt([`${name}.example`]);
    const imitation = `${name.replace("i", "l")}.example`;
    await db.customerEmail.create({
      data: { customerId: customer.id, address: `jane@${imitation}`, normalized: `jane@${imitation}`, addedByStaffAt: new Date() },
    });
    await knownDomains({ fresh: true });
    expect(await lookAlikeSenderFor(`boss@${imitation}`)).toMatchObject({ knownDomain: `${name}.example` });
    await db.customerEmail.update({ where: { normalized: `jane@${imitation}` }, data: { verifiedAt: new Date() } });
    await knownDomains({ fresh: true });
    expect(await lookAlikeSenderFor(`boss@${imitation}`)).toBeNull();
  });

  it("names the organisation that owns an imitated OrganisationDomain", async () => {
    const name = `contoso${letters(5)}`;
    const organisation = await db.organisation.create({
      data: { name: `Contoso ${name}`, normalizedName: `contoso ${name}`, domains: { create: { domain: `${name}.example` } } },
    });
    await knownDomains({ fresh: true });
    expect(await lookAlikeSenderFor(`it@${name}.example.evil.test`)).toMatchObject({
      technique: "embedded",
      organisationId: organisation.id,
      usedBy: `Contoso ${name}`,
    });
  });

  it("never flags a customer's own aliases against each other, nor a provider address", async () => {
    const name = `fabrikam${letters(4)}`;
    await customerAt([`${name}.example`, `${name}.co`, `${name}-example.com`, "gmail.com"]);
    await knownDomains({ fresh: true });
    for (const domain of [`${name}.example`, `${name}.co`, `${name}-example.com`]) expect(await lookAlikeSenderFor(`x@${domain}`)).toBeNull();
    expect(await lookAlikeSenderFor("someone@gmail.com")).toBeNull();
    expect(await lookAlikeSenderFor("someone@gmial.com")).toBeNull();
  });
});

describe("lookAlikeDomainsOf (the queue's badge)", () => {
  it("maps each look-alike address of a page to the domain it imitates, and nothing else", async () => {
    const name = `northwind${letters(4)}`;
    await customerAt([`${name}.example`]);
    await knownDomains({ fresh: true });
    const fake = `ap@${name.replace("w", "vv")}.example`;
    const found = await lookAlikeDomainsOf([fake, `jane@${name}.example`, "someone@gmail.com", null, "+441174960222"]);
    expect([...found]).toEqual([[fake, `${name}.example`]]);
  });
});

describe("the identity panel", () => {
  it("calls out a look-alike sender and an address in the display name", async () => {
    const name = `northwind${letters(4)}`;
    await customerAt([`${name}.example`]);
    await knownDomains({ fresh: true });
    const ticket = await db.ticket.create({
      data: { subject: "Urgent wire", channel: "email", requesterAddress: `ceo@${name}-example.com`, requesterName: `ceo@${name}.example` },
    });
    const panel = await identityPanelForTicket(ticket.id);
    expect(panel?.lookAlike).toMatchObject({ knownDomain: `${name}.example`, technique: "tld", usedBy: "Northwind Traders" });
    expect(panel?.displayNameAddress).toBe(`ceo@${name}.example`);
    expect(panel?.addressStanding).toBe("unknown");
    expect(panel?.customer).toBeNull();
  });

  it("says nothing for a customer's own address", async () => {
    const name = `northwind${letters(4)}`;
    const customer = await customerAt([`${name}.example`]);
    await knownDomains({ fresh: true });
    const ticket = await db.ticket.create({
      data: { subject: "Hi", channel: "email", customerId: customer.id, requesterAddress: `jane@${name}.example`, requesterName: "Jane" },
    });
    const panel = await identityPanelForTicket(ticket.id);
    expect(panel?.lookAlike).toBeNull();
    expect(panel?.displayNameAddress).toBeNull();
  });
});

describe("registration matching", () => {
  it("never matches a registrant at a look-alike domain, and audits the look-alike with ids only", async () => {
    const name = `northwind${letters(4)}`;
    const customer = await customerAt([`${name}.example`]);
    await knownDomains({ fresh: true });
    const imitation = `jane@${name.replace("o", "0")}.example`;
    const user = await db.user.create({ data: { email: imitation, name: "Jane", role: "customer", passwordHash: "x" } });
    const outcome = await db.$transaction((tx) => matchVerifiedAccount(tx, { userId: user.id, email: imitation, verifiedAt: new Date() }));
    expect(outcome).toEqual({ status: "awaiting_match" });
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { customerId: true, matchStatus: true } })).toEqual({
      customerId: null,
      matchStatus: "awaiting_match",
    });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { subjectId: user.id, action: "registration.look_alike_domain" } });
    expect(audit.details).toEqual({ imitatedCustomerId: customer.id, imitatedOrganisationId: null, technique: "homoglyph" });
    expect(JSON.stringify(audit.details)).not.toContain(name);
  });
});
