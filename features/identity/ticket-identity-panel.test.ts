import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { identityPanelForTicket } from "@/features/identity/ticket-identity-panel";

async function customerWith(primary: string, alias: string, options: { bouncing?: boolean } = {}) {
  return db.customer.create({
    data: {
      accountNumber: `T-${randomUUID().slice(0, 8)}`,
      name: "Panel Test",
      emails: {
        create: [
          {
            address: primary,
            normalized: primary.toLowerCase(),
            isPrimary: true,
            verifiedAt: new Date(),
            deliverability: options.bouncing ? "bouncing" : "delivering",
            bounceCount: options.bouncing ? 2 : 0,
          },
          { address: alias, normalized: alias.toLowerCase(), isPrimary: false },
        ],
      },
      agreements: { create: { reference: `AG-${randomUUID()}`, tier: "premium", startsOn: new Date("2020-01-01"), endsOn: new Date("2099-01-01") } },
    },
  });
}

describe("identityPanelForTicket", () => {
  it("says whether a caller's number is on the record, and that it proves nothing by itself", async () => {
    const id = randomUUID().slice(0, 8);
    const customer = await customerWith(`ph-${id}@p.example`, `ph2-${id}@p.example`);
    await db.customerPhone.create({ data: { customerId: customer.id, e164: "+441174960222", kind: "fixed", verifiedAt: new Date() } });
    const known = await db.ticket.create({ data: { subject: "call", channel: "phone", customerId: customer.id, requesterAddress: "+441174960222" } });
    const unknown = await db.ticket.create({ data: { subject: "call", channel: "phone", customerId: customer.id, requesterAddress: "+441174960999" } });
    const email = await db.ticket.create({ data: { subject: "mail", channel: "email", customerId: customer.id, requesterAddress: `ph-${id}@p.example` } });

    const knownPanel = await identityPanelForTicket(known.id);
    expect(knownPanel).toMatchObject({ numberOnRecord: true, badge: "unverified", facts: { requesterIsNumber: true } });
    expect(knownPanel?.explanation).toBe("Came from a phone number, which proves nothing by itself: verify the caller.");
    expect((await identityPanelForTicket(unknown.id))?.numberOnRecord).toBe(false);
    const emailPanel = await identityPanelForTicket(email.id);
    expect(emailPanel).toMatchObject({ numberOnRecord: null, addressStanding: "primary", facts: { requesterIsNumber: false } });
  });

  it("shows the requester's contact's latest validation verdict (email or number), and nothing before one", async () => {
    const id = randomUUID().slice(0, 8);
    const customer = await customerWith(`info-${id}@v.example`, `v2-${id}@v.example`);
    const phone = await db.customerPhone.create({ data: { customerId: customer.id, e164: "+441174960333", kind: "mobile" } });
    const mail = await db.ticket.create({ data: { subject: "mail", channel: "email", customerId: customer.id, requesterAddress: `info-${id}@v.example` } });
    const call = await db.ticket.create({ data: { subject: "call", channel: "phone", customerId: customer.id, requesterAddress: "+441174960333" } });
    expect((await identityPanelForTicket(mail.id))?.contactValidation).toBeNull();

    const checkedAt = new Date("2026-12-03T09:00:00Z");
    const now = new Date("2026-12-03T12:00:00Z");
    await db.customerEmail.updateMany({
      where: { normalized: `info-${id}@v.example` },
      data: { validity: "doubtful", validityReasons: ["email_role_address"], validatedAt: checkedAt },
    });
    await db.customerPhone.update({
      where: { id: phone.id },
      data: { validity: "doubtful", validityReasons: ["phone_landline_as_mobile"], validatedAt: checkedAt },
    });
    expect((await identityPanelForTicket(mail.id, now))?.contactValidation).toEqual({
      channel: "email",
      validity: "doubtful",
      reasons: ["email_role_address"],
      validatedAt: checkedAt,
      asOf: now,
    });
    expect((await identityPanelForTicket(call.id, now))?.contactValidation).toMatchObject({ channel: "phone", reasons: ["phone_landline_as_mobile"] });
  });

  it("recognises an alias sender, lists the record and the valid agreement", async () => {
    const id = randomUUID().slice(0, 8);
    const customer = await customerWith(`primary-${id}@corp.example`, `Alias-${id}@corp.example`);
    const ticket = await db.ticket.create({
      data: { subject: "Help", channel: "email", customerId: customer.id, requesterAddress: `alias-${id}@CORP.example` },
    });
    const panel = await identityPanelForTicket(ticket.id);
    expect(panel?.addressStanding).toBe("alias");
    expect(panel?.badge).toBe("unverified");
    expect(panel?.customer?.emails.map((e) => e.isPrimary)).toEqual([true, false]);
    expect(panel?.entitlement?.status).toBe("valid");
  });

  it("flags another customer's address as a mismatch and a bouncing primary as bouncing", async () => {
    const id = randomUUID().slice(0, 8);
    const mine = await customerWith(`me-${id}@a.example`, `me2-${id}@a.example`, { bouncing: true });
    const theirs = await customerWith(`them-${id}@b.example`, `them2-${id}@b.example`);
    const mismatch = await db.ticket.create({ data: { subject: "x", channel: "email", customerId: mine.id, requesterAddress: `them-${id}@b.example` } });
    expect((await identityPanelForTicket(mismatch.id))?.badge).toBe("mismatch");
    const bouncing = await db.ticket.create({ data: { subject: "x", channel: "email", customerId: mine.id, requesterAddress: `me-${id}@a.example` } });
    const panel = await identityPanelForTicket(bouncing.id);
    expect(panel?.badge).toBe("bouncing");
    expect(panel?.customer?.emails[0]).toMatchObject({ deliverability: "bouncing", bounceCount: 2 });
    void theirs;
  });

  it("counts a passed check only for its own conversation and only until it expires", async () => {
    const id = randomUUID().slice(0, 8);
    const customer = await customerWith(`c-${id}@c.example`, `c2-${id}@c.example`);
    const ticket = await db.ticket.create({ data: { subject: "call", channel: "phone", customerId: customer.id, requesterAddress: "+15005550006" } });
    const other = await db.ticket.create({ data: { subject: "call 2", channel: "phone", customerId: customer.id } });
    await db.identityCheck.create({
      data: { ticketId: other.id, customerId: customer.id, method: "sms_code", outcome: "passed", expiresAt: new Date(Date.now() + 3600_000) },
    });
    expect((await identityPanelForTicket(ticket.id))?.badge).toBe("unverified");
    const check = await db.identityCheck.create({
      data: { ticketId: ticket.id, customerId: customer.id, method: "sms_code", outcome: "passed", expiresAt: new Date(Date.now() + 3600_000) },
    });
    const panel = await identityPanelForTicket(ticket.id);
    expect(panel?.badge).toBe("verified");
    expect(panel?.recentChecks.find((c) => c.id === check.id)?.current).toBe(true);
    expect(panel?.recentChecks).toHaveLength(2);
    expect((await identityPanelForTicket(ticket.id, new Date(Date.now() + 2 * 3600_000)))?.badge).toBe("unverified");
  });
});

describe("identityPanelForTicket agrees with the queue on edge cases", () => {
  it("trims a padded sender address and sees this ticket's check even behind newer checks on the customer", async () => {
    const id = randomUUID().slice(0, 8);
    const customer = await customerWith(`pad-${id}@p.example`, `pad2-${id}@p.example`);
    const ticket = await db.ticket.create({ data: { subject: "x", channel: "email", customerId: customer.id, requesterAddress: `  pad-${id}@p.example ` } });
    await db.identityCheck.create({
      data: { ticketId: ticket.id, customerId: customer.id, method: "email_code", outcome: "passed", expiresAt: new Date(Date.now() + 3600_000) },
    });
    for (let i = 0; i < 6; i++) {
      const other = await db.ticket.create({ data: { subject: `other ${i}`, channel: "phone", customerId: customer.id } });
      await db.identityCheck.create({
        data: { ticketId: other.id, customerId: customer.id, method: "caller_fields", outcome: "failed", expiresAt: new Date(Date.now() + 3600_000) },
      });
    }
    const panel = await identityPanelForTicket(ticket.id);
    expect(panel?.addressStanding).toBe("primary");
    expect(panel?.badge).toBe("verified");
  });
});
