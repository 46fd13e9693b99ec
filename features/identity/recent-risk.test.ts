import { randomInt, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { DomainError } from "@/platform/errors";
import { describeRiskTime, recentRiskEvents } from "@/features/identity/recent-risk";
import { identityBadgeOf, type TicketIdentityFacts } from "@/features/identity/ticket-identity";
import { identityPanelForTicket } from "@/features/identity/ticket-identity-panel";
import { listCodeChannels, sendCallerCode } from "@/features/callers/caller-verification";

const minutesAgo = (now: Date, minutes: number) => new Date(now.getTime() - minutes * 60_000);

/** A customer with a verified primary address and a portal account whose mobile changed `changedMinutesAgo` ago. */
async function customerWithChangedMobile(now: Date, changedMinutesAgo: number) {
  const tag = randomUUID().slice(0, 8);
  const oldMobile = `+6149157${String(randomInt(1000, 9999))}`;
  const newMobile = `+6149158${String(randomInt(1000, 9999))}`;
  const primary = `kim.${tag}@risk.example`;
  const customer = await db.customer.create({
    data: {
      accountNumber: `RR-${tag}`,
      name: "Kim Risk",
      emails: { create: [{ address: primary, normalized: primary, isPrimary: true, verifiedAt: minutesAgo(now, 100_000) }] },
    },
  });
  const user = await db.user.create({
    data: {
      email: `kim.portal.${tag}@risk.example`,
      name: "Kim Risk",
      role: "customer",
      customerId: customer.id,
      emailVerifiedAt: minutesAgo(now, 100_000),
      phoneE164: newMobile,
      phoneVerifiedAt: minutesAgo(now, changedMinutesAgo),
      twoFactorMethod: "totp",
    },
  });
  const event = await db.auditEvent.create({
    data: { action: "identity.phone_changed", subjectType: "User", subjectId: user.id, actorUserId: user.id, at: minutesAgo(now, changedMinutesAgo) },
  });
  await db.contactChange.create({
    data: { auditEventId: event.id, userId: user.id, fromValue: oldMobile, toValue: newMobile, createdAt: minutesAgo(now, changedMinutesAgo) },
  });
  const ticket = await db.ticket.create({
    data: {
      subject: "Change my bank details",
      channel: "email",
      status: "open",
      customerId: customer.id,
      requesterAddress: primary,
      requesterUserId: user.id,
      requesterName: "Kim Risk",
      createdAt: minutesAgo(now, changedMinutesAgo - 8),
    },
  });
  return { customer, user, ticket, newMobile };
}

describe("the recent-risk cap on the badge", () => {
  const strong: TicketIdentityFacts = {
    addressStanding: "primary",
    addressVerified: true,
    addressDeliverability: "delivering",
    account: { emailVerified: true, phoneVerified: true, twoFactor: true },
    currentCheck: null,
    lastCheckFailed: false,
  };
  const risk = new Date("2026-11-20T10:00:00Z");

  it("caps verified at partially verified until a check comes after the event", () => {
    expect(identityBadgeOf(strong)).toBe("verified");
    expect(identityBadgeOf({ ...strong, recentRiskAt: risk })).toBe("partially_verified");
    const before = { outcome: "passed" as const, method: "sms_code", at: new Date("2026-11-20T09:00:00Z") };
    const after = { outcome: "passed" as const, method: "sms_code", at: new Date("2026-11-20T11:00:00Z") };
    expect(identityBadgeOf({ ...strong, recentRiskAt: risk, currentCheck: before })).toBe("partially_verified");
    expect(identityBadgeOf({ ...strong, recentRiskAt: risk, currentCheck: after })).toBe("verified");
    // Never raises a badge, never hides a worse one.
    expect(identityBadgeOf({ ...strong, account: null, addressVerified: false, recentRiskAt: risk })).toBe("unverified");
    expect(identityBadgeOf({ ...strong, addressDeliverability: "bouncing", recentRiskAt: risk })).toBe("bouncing");
  });

  it("says when, relative to the ticket or to now", () => {
    const now = new Date("2026-11-20T12:00:00Z");
    expect(describeRiskTime(minutesAgo(now, 20), now, minutesAgo(now, 12))).toBe("8 min before this ticket");
    expect(describeRiskTime(minutesAgo(now, 120), now, minutesAgo(now, 200))).toBe("2 h ago");
    expect(describeRiskTime(minutesAgo(now, 30 * 60), now)).toBe("yesterday");
  });
});

describe("recent risk on the panel and in caller checks", () => {
  it("lists 'mobile changed 8 min before this ticket' and holds the badge at partially verified", async () => {
    const now = new Date();
    const { ticket, user } = await customerWithChangedMobile(now, 20);
    await db.auditEvent.create({
      data: { action: "auth.new_device_sign_in", subjectType: "User", subjectId: user.id, actorUserId: user.id, at: minutesAgo(now, 120) },
    });
    // Outside the window: not listed.
    await db.auditEvent.create({
      data: { action: "identity.email_changed", subjectType: "User", subjectId: user.id, actorUserId: user.id, at: minutesAgo(now, 73 * 60) },
    });
    const panel = await identityPanelForTicket(ticket.id, now);
    expect(panel?.recentRisk.map((event) => event.words)).toEqual(["mobile changed 8 min before this ticket", "new device sign-in 1 h before this ticket"]);
    expect(panel?.badge).toBe("partially_verified");
    expect(panel?.explanation).toContain("recent security event");
    expect(await recentRiskEvents({ customerId: null, requesterUserId: user.id, now, windowHours: 1 })).toHaveLength(1);
  });

  it("refuses a caller code to a mobile changed in the window, and marks it in the list", async () => {
    const now = new Date();
    const { customer, ticket, newMobile } = await customerWithChangedMobile(now, 5);
    const agent = await db.user.create({ data: { email: `agent-${randomUUID()}@helpdesk.test`, name: "Alex Morgan", role: "agent" } });
    const channels = await listCodeChannels(customer.id, now);
    const changed = channels.find((channel) => channel.channel === "sms");
    expect(changed).toMatchObject({ changedRecently: "mobile changed 5 min ago" });
    expect(channels.find((channel) => channel.channel === "email")?.changedRecently).toBeUndefined();

    const refused = sendCallerCode(
      { userId: agent.id, role: "agent" },
      { customerId: customer.id, ticketId: ticket.id, channelRef: changed!.id, ip: "203.0.113.9", now },
    );
    await expect(refused).rejects.toThrow(DomainError);
    await expect(
      sendCallerCode({ userId: agent.id, role: "agent" }, { customerId: customer.id, ticketId: ticket.id, channelRef: changed!.id, ip: "203.0.113.9", now }),
    ).rejects.toThrow(/No code sent: this mobile number was put on the account 5 min ago/);
    expect(await db.verificationChallenge.count({ where: { target: newMobile } })).toBe(0);
    expect(await db.outboxMessage.count({ where: { recipient: newMobile } })).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "identity.caller_code_refused", subjectId: customer.id } })).toBe(2);

    // Another channel still works.
    const email = channels.find((channel) => channel.channel === "email")!;
    await expect(
      sendCallerCode({ userId: agent.id, role: "agent" }, { customerId: customer.id, ticketId: ticket.id, channelRef: email.id, ip: "203.0.113.9", now }),
    ).resolves.toMatchObject({ channel: "email" });
  });
});
