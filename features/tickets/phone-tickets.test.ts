import { randomInt, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { customerSummary, searchCustomers, startConversationTicket } from "@/features/tickets/phone-tickets";
import { startConversationTicketSchema } from "@/features/tickets/phone-tickets-schemas";
import { organisationNamed } from "@/features/organisations/names";

async function makeCustomer() {
  const tag = randomUUID().slice(0, 8);
  const digits = String(randomInt(1_000_000, 9_999_999));
  const primary = `quinn.${tag}@harbour.example`;
  const alias = `q.${tag}@home.example`;
  const mobile = `+4477007${String(randomInt(10000, 99999))}`;
  const customer = await db.customer.create({
    data: {
      accountNumber: `HB-${digits}`,
      name: `Quinn Harbour ${tag}`,
      organisation: organisationNamed(`Harbour ${tag} Ltd`),
      emails: {
        create: [
          { address: primary, normalized: primary, isPrimary: true, verifiedAt: new Date() },
          { address: alias, normalized: alias },
        ],
      },
      phones: { create: [{ e164: mobile, kind: "mobile", verifiedAt: new Date() }] },
    },
  });
  return { customer, tag, digits, primary, alias, mobile };
}

async function makeAgent() {
  const user = await db.user.create({ data: { email: `agent-${randomUUID()}@helpdesk.test`, name: "Alex Morgan", role: "agent" } });
  return { userId: user.id, role: "agent" as const };
}

describe("searchCustomers", () => {
  it("finds a customer by part of the name, the whole account number, an address or a number", async () => {
    const c = await makeCustomer();
    const ids = async (query: string) =>
      (await searchCustomers(query, { phoneRegion: "GB" })).filter((hit) => hit.id === c.customer.id).map((hit) => hit.matchedBy);
    expect(await ids(`harbour ${c.tag}`)).toEqual(["name"]);
    expect(await ids(`hb ${c.digits}`)).toEqual(["account_number"]);
    expect(await ids(`HB-${c.digits}`)).toEqual(["account_number"]);
    expect(await ids(c.alias.toUpperCase())).toEqual(["email"]);
    expect(await ids(`0${c.mobile.slice(3)}`)).toEqual(["phone"]);
    // Said in national form to an agent in another country: still found, by the whole national number.
    expect(
      (await searchCustomers(`0${c.mobile.slice(3)}`, { phoneRegion: "US" })).filter((hit) => hit.id === c.customer.id).map((hit) => hit.matchedBy),
    ).toEqual(["phone"]);
  });

  it("does not find by part of an account number, address or phone number, and shows the address masked only", async () => {
    const c = await makeCustomer();
    for (const partial of [
      c.digits,
      `HB-${c.digits.slice(0, 4)}`,
      c.primary.slice(0, 10),
      `@harbour.example`,
      c.mobile.slice(0, 8),
      `0${c.mobile.slice(-7)}`,
      c.mobile.slice(-7),
    ]) {
      expect(
        (await searchCustomers(partial, { phoneRegion: "GB" })).some((hit) => hit.id === c.customer.id),
        partial,
      ).toBe(false);
    }
    const [hit] = (await searchCustomers(`HB-${c.digits}`)).filter((found) => found.id === c.customer.id);
    expect(hit).toMatchObject({ name: c.customer.name, accountNumber: c.customer.accountNumber, maskedPrimaryEmail: "q•••@harbour.example", openTickets: 0 });
    const text = JSON.stringify(hit);
    for (const secret of [c.primary, c.alias, c.mobile, c.mobile.slice(3)]) expect(text).not.toContain(secret);
    expect(await searchCustomers("x")).toEqual([]);
  });
});

describe("startConversationTicket", () => {
  it("opens a phone or chat ticket for the customer, assigned to the agent, with the customer's SLA, and audits it", async () => {
    const c = await makeCustomer();
    const agent = await makeAgent();
    const phone = await startConversationTicket(agent, { customerId: c.customer.id, channel: "phone", subject: "  Cannot sign in  " });
    const ticket = await db.ticket.findUniqueOrThrow({ where: { id: phone.id } });
    expect(ticket).toMatchObject({
      channel: "phone",
      status: "open",
      customerId: c.customer.id,
      requesterName: c.customer.name,
      requesterAddress: null,
      assigneeId: agent.userId,
      subject: "Cannot sign in",
      slaScope: "no_agreement",
    });
    expect(await db.auditEvent.findFirst({ where: { action: "ticket.created", subjectId: phone.id } })).toMatchObject({
      actorUserId: agent.userId,
      details: { channel: "phone", startedBy: "agent" },
    });
    const chat = await startConversationTicket(agent, { customerId: c.customer.id, channel: "chat", subject: "Billing question" });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: chat.id } })).channel).toBe("chat");
    expect((await searchCustomers(`HB-${c.digits}`)).find((hit) => hit.id === c.customer.id)?.openTickets).toBe(2);
  });

  it("refuses an unknown customer and a bad form clearly", async () => {
    const agent = await makeAgent();
    await expect(startConversationTicket(agent, { customerId: randomUUID(), channel: "phone", subject: "Hello" })).rejects.toMatchObject({ code: "not_found" });
    expect(await customerSummary(randomUUID())).toBeNull();
    const bad = startConversationTicketSchema.safeParse({ customerId: randomUUID(), channel: "fax", subject: "a" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((issue) => issue.message).sort()).toEqual([
      "Choose how the customer contacted us.",
      "Give the ticket a short subject (at least 3 characters).",
    ]);
  });
});
