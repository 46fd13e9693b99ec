import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  customerAuditTrail,
  customerContactChanges,
  customerHeader,
  customerIdentityHistory,
  customerPortalAccounts,
  customerTickets,
} from "@/features/customers/customer-profile";
import { db } from "@/platform/db/client";

const TAG = `PRF${randomBytes(3).toString("hex").toUpperCase()}`;
const tag = TAG.toLowerCase();
let orgId: string;
let customerId: string;
let absorbedId: string;
let userId: string;
let agentId: string;

beforeAll(async () => {
  orgId = (await db.organisation.create({ data: { name: `${TAG} Org`, normalizedName: `${tag} org` } })).id;
  const customer = await db.customer.create({
    data: {
      accountNumber: `${TAG}-1`,
      name: "Priya Profile",
      organisationId: orgId,
      emails: {
        create: [
          { address: `alias@${tag}.example`, normalized: `alias@${tag}.example`, isPrimary: false, deliverability: "bouncing", bounceCount: 3 },
          { address: `priya@${tag}.example`, normalized: `priya@${tag}.example`, isPrimary: true, verifiedAt: new Date() },
        ],
      },
      phones: { create: [{ e164: "+447700900333", kind: "mobile", verifiedAt: new Date(), deliverability: "delivering" }] },
    },
  });
  customerId = customer.id;
  absorbedId = (await db.customer.create({ data: { accountNumber: `${TAG}-2`, name: "Priya Old", mergedIntoId: customerId } })).id;
  agentId = (await db.user.create({ data: { email: `agent@${tag}.example`, name: "Alex Agent", role: "agent" } })).id;
  userId = (
    await db.user.create({
      data: {
        email: `priya@${tag}.example`,
        name: "Priya Profile",
        role: "customer",
        customerId,
        emailVerifiedAt: new Date(),
        twoFactorMethod: "totp",
        frozenAt: new Date(),
      },
    })
  ).id;

  // 25 tickets: the 3 open ones are the oldest by activity, yet come first.
  const base = Date.parse("2026-01-01T00:00:00Z");
  for (let i = 0; i < 25; i += 1) {
    await db.ticket.create({
      data: {
        subject: `${TAG} ticket ${i}`,
        channel: "email",
        status: i < 3 ? "open" : "solved",
        customerId,
        lastActivityAt: new Date(base + i * 3_600_000),
      },
    });
  }
  const ticket = await db.ticket.findFirstOrThrow({ where: { customerId, subject: `${TAG} ticket 0` } });
  await db.identityCheck.create({
    data: { customerId, ticketId: ticket.id, method: "sms_code", outcome: "passed", codeChannel: "sms", performedById: agentId, expiresAt: new Date() },
  });
  await db.identityCheck.create({
    data: {
      customerId,
      method: "supervisor_override",
      outcome: "overridden",
      reason: "Known caller, documents seen",
      performedById: agentId,
      expiresAt: new Date(),
    },
  });

  await db.auditEvent.createMany({
    data: [
      { action: "customer.account_linked", actorUserId: agentId, subjectType: "Customer", subjectId: customerId },
      { action: "identity.email_changed", actorUserId: userId, subjectType: "User", subjectId: userId },
      { action: "contact.added", actorUserId: agentId, subjectType: "customer", subjectId: customerId },
      { action: "customer.account_linked", subjectType: "Customer", subjectId: absorbedId },
      ...Array.from({ length: 22 }, (_, i) => ({ action: `customer.note_${i}`, subjectType: "Customer", subjectId: customerId })),
    ],
  });
});

afterAll(async () => {
  await db.ticket.deleteMany({ where: { customerId } });
  await db.user.deleteMany({ where: { id: { in: [userId, agentId] } } });
  await db.customer.deleteMany({ where: { id: { in: [absorbedId, customerId] } } });
  await db.organisation.delete({ where: { id: orgId } });
});

describe("customer profile", () => {
  it("heads the page with the organisation and points an absorbed record at its survivor", async () => {
    const header = await customerHeader(customerId);
    expect(header).toMatchObject({ name: "Priya Profile", accountNumber: `${TAG}-1`, organisation: { id: orgId, name: `${TAG} Org` }, mergedInto: null });
    expect((await customerHeader(absorbedId))?.mergedInto).toEqual({ id: customerId, name: "Priya Profile", accountNumber: `${TAG}-1` });
    expect(await customerHeader("00000000-0000-7000-8000-000000000000")).toBeNull();
  });

  it("pages the tickets, open ones first, then by latest activity", async () => {
    const first = await customerTickets(customerId, 1, 10);
    expect(first).toMatchObject({ total: 25, open: 3, page: 1, pageCount: 3 });
    expect(first.rows.map((row) => row.subject).slice(0, 4)).toEqual([`${TAG} ticket 2`, `${TAG} ticket 1`, `${TAG} ticket 0`, `${TAG} ticket 24`]);
    const last = await customerTickets(customerId, 99, 10);
    expect(last.page).toBe(3);
    expect(last.rows.map((row) => row.subject)).toEqual([7, 6, 5, 4, 3].map((i) => `${TAG} ticket ${i}`));
  });

  it("lists portal accounts with their security standing, and the identity history with overrides' reasons", async () => {
    expect(await customerPortalAccounts(customerId)).toMatchObject([
      { maskedEmail: `p•••@${tag}.example`, emailVerified: true, twoFactor: "totp", phoneVerified: false },
    ]);
    const [account] = await customerPortalAccounts(customerId);
    expect(account?.frozenAt).not.toBeNull();
    const history = await customerIdentityHistory(customerId);
    expect(history.rows.map((row) => [row.method, row.outcome, row.by, row.reason])).toEqual([
      ["supervisor_override", "overridden", "Alex Agent", "Known caller, documents seen"],
      ["sms_code", "passed", "Alex Agent", null],
    ]);
    expect(history.rows[1]?.ticket?.number).toBeGreaterThan(0);
    expect((await customerIdentityHistory(customerId, 1)).more).toBe(true);
  });

  it("pages the record's audit trail (customer, its accounts) and picks out contact changes", async () => {
    const first = await customerAuditTrail(customerId);
    expect(first.rows).toHaveLength(20);
    expect(first.rows[0]?.action).toBe("customer.note_21");
    const second = await customerAuditTrail(customerId, { beforeId: BigInt(first.nextBeforeId!) });
    expect(second.nextBeforeId).toBeNull();
    const actions = [...first.rows, ...second.rows].map((row) => row.action);
    expect(actions).toHaveLength(25);
    expect(actions).toContain("identity.email_changed");
    expect(second.rows.at(-1)).toMatchObject({ action: "customer.account_linked", actor: "Alex Agent" });
    expect((await customerContactChanges(customerId)).map((row) => row.action)).toEqual(["contact.added", "identity.email_changed"]);
  });
});
