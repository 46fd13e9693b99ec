import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { actorForSession, createAuthSession } from "@/platform/auth/sessions";
import { db } from "@/platform/db/client";
import {
  DISPUTE_LINK_LIFETIME_SECONDS,
  confirmEmailChange,
  createDisputeToken,
  disputeContactChange,
  previewDispute,
  resendEmailChangeCode,
  startEmailChange,
} from "@/features/accounts/contact-change/contact-change";
import { confirmPhone, startPhoneVerification } from "@/features/accounts/contact-change/phone";
import { approveByText } from "@/features/accounts/text-confirmation/text-confirmation-testing";
import {
  TEST_PASSWORD,
  codeIn,
  lastMessageTo,
  linkIn,
  makeAccount,
  messagesTo,
  tokenOf,
  uniqueAuMobile,
  uniqueIp,
} from "@/features/accounts/two-factor/two-factor-testing";

const newAddress = () => `new-${randomUUID()}@example.test`;

/** Changes the email address through both steps; returns the dispute token from the old address's notice. */
async function changeEmail(user: { id: string; email: string }, to: string) {
  expect(await startEmailChange({ userId: user.id, newEmail: to, password: TEST_PASSWORD, ip: uniqueIp() })).toMatchObject({ ok: true });
  const code = codeIn(await lastMessageTo(to, "security-code.email_change"));
  expect(await confirmEmailChange({ userId: user.id, role: "customer", code, ip: uniqueIp() })).toEqual({ ok: true, email: to, pending: false });
  return tokenOf(linkIn(await lastMessageTo(user.email, "email-changed-notice"), "/security/dispute"));
}

describe("changing the email address", () => {
  it("needs the password and a code sent to the NEW address, then switches and tells the old one", async () => {
    const user = await makeAccount();
    const to = newAddress();
    expect(await startEmailChange({ userId: user.id, newEmail: to, password: "wrong", ip: uniqueIp() })).toMatchObject({ ok: false, field: "password" });
    expect(await messagesTo(to)).toHaveLength(0);
    expect(await startEmailChange({ userId: user.id, newEmail: user.email.toUpperCase(), password: TEST_PASSWORD, ip: uniqueIp() })).toMatchObject({
      ok: false,
      field: "newEmail",
    });

    await changeEmail(user, to);
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.email).toBe(to);
    expect(after.emailVerifiedAt).not.toBeNull();
    const notice = await lastMessageTo(user.email, "email-changed-notice");
    expect(notice.sensitive).toBe(true);
    expect(notice.text).toContain("n•••@example.test");
    expect(notice.text).not.toContain(to);
    // The values live beside the audit event, never in it (the append-only log must hold no address).
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "identity.email_changed", subjectId: user.id } });
    expect(event.details).toEqual({ kind: "email" });
    expect(await db.contactChange.findUnique({ where: { auditEventId: event.id } })).toMatchObject({ userId: user.id, fromValue: user.email, toValue: to });
  });

  it("keeps the old address while the code is wrong, and resends after the cooldown", async () => {
    const user = await makeAccount();
    const to = newAddress();
    await startEmailChange({ userId: user.id, newEmail: to, password: TEST_PASSWORD, ip: uniqueIp() });
    const code = codeIn(await lastMessageTo(to));
    const wrong = ((Number(code) + 1) % 1_000_000).toString().padStart(6, "0");
    expect(await confirmEmailChange({ userId: user.id, role: "customer", code: wrong, ip: uniqueIp() })).toMatchObject({ ok: false, field: "code" });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).email).toBe(user.email);
    expect(await resendEmailChangeCode({ userId: user.id, ip: uniqueIp() })).toMatchObject({ ok: false });
    await db.verificationChallenge.updateMany({ where: { userId: user.id }, data: { createdAt: new Date(Date.now() - 2 * 60_000) } });
    expect(await resendEmailChangeCode({ userId: user.id, ip: uniqueIp() })).toMatchObject({ ok: true });
  });

  it("refuses an address another account uses, after its owner proved it, without using the code up", async () => {
    const user = await makeAccount();
    const other = await makeAccount();
    await startEmailChange({ userId: user.id, newEmail: other.email, password: TEST_PASSWORD, ip: uniqueIp() });
    const code = codeIn(await lastMessageTo(other.email, "security-code.email_change"));
    expect(await confirmEmailChange({ userId: user.id, role: "customer", code, ip: uniqueIp() })).toMatchObject({
      ok: false,
      message: expect.stringContaining("another account"),
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).email).toBe(user.email);
  });
});

describe('"this wasn\'t me"', () => {
  it("freezes the account, ends its sessions, puts the old address back and alerts staff", async () => {
    const customer = await db.customer.create({ data: { accountNumber: `ACC-${randomUUID()}`, name: "Disputing Customer" } });
    const user = await makeAccount({ customerId: customer.id });
    const session = await createAuthSession(user.id, {});
    const to = newAddress();
    const token = await changeEmail(user, to);

    expect(await previewDispute(token)).toMatchObject({ ok: true, kind: "email", maskedTo: "n•••@example.test", alreadyDisputed: false });
    // Looking (the page's GET, or a mail scanner) changes nothing.
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).frozenAt).toBeNull();

    const disputed = await disputeContactChange({ token, ip: uniqueIp() });
    expect(disputed).toMatchObject({ ok: true, kind: "email", reverted: true, alreadyDisputed: false, ticketNumber: expect.any(Number) });
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.frozenAt).not.toBeNull();
    expect(after.email).toBe(user.email);
    expect(await actorForSession(session)).toBeNull();
    expect(await db.auditEvent.findFirst({ where: { action: "identity.change_disputed", subjectId: user.id } })).toMatchObject({
      details: { kind: "email", reverted: true },
    });
    const ticket = await db.ticket.findUniqueOrThrow({ where: { number: (disputed as { ticketNumber: number }).ticketNumber }, include: { messages: true } });
    expect(ticket).toMatchObject({ priority: "urgent", status: "new", customerId: customer.id, requesterUserId: null });
    expect(ticket.messages[0]).toMatchObject({ kind: "internal_note" });

    // A second use finds it done, and opens no second ticket.
    expect(await disputeContactChange({ token, ip: uniqueIp() })).toMatchObject({ ok: true, alreadyDisputed: true, ticketNumber: null });
    expect(await previewDispute(token)).toMatchObject({ ok: true, alreadyDisputed: true });
    expect(await db.ticket.count({ where: { customerId: customer.id } })).toBe(1);
  });

  it("does not revert an address that has changed again since, but still freezes", async () => {
    const user = await makeAccount();
    const first = newAddress();
    const token = await changeEmail(user, first);
    await db.verificationChallenge.updateMany({ where: { userId: user.id }, data: { createdAt: new Date(Date.now() - 2 * 60_000) } });
    const second = newAddress();
    await changeEmail({ id: user.id, email: first }, second);
    expect(await disputeContactChange({ token, ip: uniqueIp() })).toMatchObject({ ok: true, reverted: false });
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ email: second, frozenAt: expect.any(Date) });
  });

  it("reverts a mobile change and un-verifies the disputed number on the customer record", async () => {
    const customer = await db.customer.create({ data: { accountNumber: `ACC-${randomUUID()}`, name: "Phone Customer" } });
    const oldPhone = uniqueAuMobile();
    const user = await makeAccount({ customerId: customer.id, phoneE164: oldPhone, phoneVerified: true });
    const newPhone = uniqueAuMobile();
    await startPhoneVerification({ userId: user.id, country: "AU", number: newPhone, password: TEST_PASSWORD, ip: uniqueIp() });
    await confirmPhone({ userId: user.id, role: "customer", code: codeIn(await lastMessageTo(newPhone)), ip: uniqueIp() });
    await approveByText(oldPhone);
    const token = tokenOf(linkIn(await lastMessageTo(user.email, "phone-changed-notice"), "/security/dispute"));

    expect(await disputeContactChange({ token, ip: uniqueIp() })).toMatchObject({ ok: true, kind: "phone", reverted: true });
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ phoneE164: oldPhone, frozenAt: expect.any(Date) });
    expect(await db.customerPhone.findUniqueOrThrow({ where: { customerId_e164: { customerId: customer.id, e164: newPhone } } })).toMatchObject({
      verifiedAt: null,
    });
  });

  it("refuses altered, foreign and expired links", async () => {
    const user = await makeAccount();
    const token = await changeEmail(user, newAddress());
    const [id, expiry, mac] = token.split(".") as [string, string, string];
    expect(await disputeContactChange({ token: `${id}.${(Number.parseInt(expiry, 36) + 999).toString(36)}.${mac}`, ip: uniqueIp() })).toMatchObject({
      ok: false,
    });
    expect(await disputeContactChange({ token: `${BigInt(id) + 1n}.${expiry}.${mac}`, ip: uniqueIp() })).toMatchObject({ ok: false });
    expect(await previewDispute("nonsense")).toMatchObject({ ok: false });
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "identity.email_changed", subjectId: user.id } });
    const old = createDisputeToken(event.id.toString(), user.id, new Date(Date.now() - (DISPUTE_LINK_LIFETIME_SECONDS + 1) * 1000));
    expect(await disputeContactChange({ token: old, ip: uniqueIp() })).toMatchObject({ ok: false, message: expect.stringContaining("expired") });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).frozenAt).toBeNull();
  });
});
