import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createAuthSession } from "@/platform/auth/sessions";
import { db } from "@/platform/db/client";
import { recordSmsOptOut } from "@/platform/outbox/sms-opt-outs";
import { confirmEmailChange, startEmailChange } from "@/features/accounts/contact-change/contact-change";
import { confirmPhone, startPhoneVerification } from "@/features/accounts/contact-change/phone";
import { turnOffTwoFactor } from "@/features/accounts/two-factor/two-factor";
import { changePostalAddress } from "@/features/accounts/postal-address/postal-address";
import { cancelPendingChange, pendingChangesOf, sendConfirmationText } from "@/features/accounts/text-confirmation/pending-changes";
import { confirmationCodeSentTo, TEST_SMS_NUMBER, textFrom } from "@/features/accounts/text-confirmation/text-confirmation-testing";
import { recentRiskEvents } from "@/features/identity/recent-risk";
import { identityPanelForTicket } from "@/features/identity/ticket-identity-panel";
import { overrideIdentityCheck } from "@/features/escalations/service";
import { issueChallenge } from "@/features/verification/challenges";
import { mergeCustomers } from "@/features/customers/merge/merge";
import type { Actor } from "@/platform/auth/sessions";
import { TEST_PASSWORD, codeIn, lastMessageTo, makeAccount, messagesTo, uniqueAuMobile, uniqueIp } from "@/features/accounts/two-factor/two-factor-testing";

const newAddress = () => `new-${randomUUID()}@example.test`;
const reply = textFrom;
const confirmationCode = confirmationCodeSentTo;

const otherCode = (code: string) => ((Number(code) + 1) % 1_000_000).toString().padStart(6, "0");

async function customerWithMobile() {
  const mobile = uniqueAuMobile();
  const user = await makeAccount({ phoneE164: mobile, phoneVerified: true });
  return { user, mobile };
}

/** Both steps of an email change (password, then the new address's code); returns the service's answer. */
async function askEmailChange(user: { id: string }, to: string) {
  expect(await startEmailChange({ userId: user.id, newEmail: to, password: TEST_PASSWORD, ip: uniqueIp() })).toMatchObject({ ok: true });
  const code = codeIn(await lastMessageTo(to, "security-code.email_change"));
  return confirmEmailChange({ userId: user.id, role: "customer", code, ip: uniqueIp() });
}

describe("a change that waits for the owner's answer by text", () => {
  it("an email change waits; the texted code sent back from the verified mobile makes it, once", async () => {
    const { user, mobile } = await customerWithMobile();
    const to = newAddress();
    const asked = await askEmailChange(user, to);
    expect(asked).toMatchObject({ ok: true, pending: true, text: { ok: true, maskedMobile: expect.stringContaining("•••") } });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).email).toBe(user.email);
    // No notice yet: nothing has changed.
    expect((await messagesTo(user.email)).filter((message) => message.kind === "email-changed-notice")).toHaveLength(0);

    const text = await lastMessageTo(mobile, "sms-code.change_confirmation");
    expect(text.sensitive).toBe(true);
    // The whole new address: the owner must tell it from a look-alike at the same domain.
    expect(text.text).toContain(`email address to ${to}`);
    expect(text.text).toContain("or NO to block it");
    // YES is a carrier opt-in keyword: never the approve word.
    expect(text.text).not.toMatch(/\bYES\b/);

    const code = await confirmationCode(mobile);
    expect((await reply(mobile, ` ${code.slice(0, 3)} ${code.slice(3)} `)).answer).toMatchObject({ outcome: "approved", kind: "email" });
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.email).toBe(to);
    expect(after.frozenAt).toBeNull();
    expect(await lastMessageTo(user.email, "email-changed-notice")).toBeTruthy();
    expect(await db.pendingChange.findFirstOrThrow({ where: { userId: user.id } })).toMatchObject({ status: "approved", decidedVia: "text" });
    expect(await db.auditEvent.count({ where: { action: "identity.change_approved_by_text", subjectId: user.id } })).toBe(1);
    // Single use: the same code again approves nothing (no change is waiting any more).
    expect((await reply(mobile, code)).answer).toEqual({ outcome: "no_pending" });
  });

  it("only the verified mobile's reply counts, and a wrong code is a wrong try that changes nothing", async () => {
    const { user, mobile } = await customerWithMobile();
    await askEmailChange(user, newAddress());
    const code = await confirmationCode(mobile);
    expect((await reply(uniqueAuMobile(), code)).answer).toEqual({ outcome: "no_pending" });
    expect((await reply(mobile, otherCode(code))).answer).toEqual({ outcome: "wrong_code" });
    expect((await reply(mobile, "what is this?")).answer).toEqual({ outcome: "ignored" });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).email).toBe(user.email);
    const challenge = await db.verificationChallenge.findFirstOrThrow({ where: { userId: user.id, purpose: "change_confirmation" } });
    expect(challenge.attempts).toBe(1);
    // The right one still works after a wrong try.
    expect((await reply(mobile, code)).answer).toMatchObject({ outcome: "approved" });
  });

  it("five wrong codes kill the text's code; the change stays pending and visible, and a new text finishes it", async () => {
    const { user, mobile } = await customerWithMobile();
    await askEmailChange(user, newAddress());
    const code = await confirmationCode(mobile);
    for (let attempt = 0; attempt < 5; attempt++) await reply(mobile, otherCode(code));
    expect((await reply(mobile, code)).answer).toEqual({ outcome: "wrong_code" });
    const [waiting] = await pendingChangesOf([user.id]);
    expect(waiting).toMatchObject({ kind: "email", textActive: false });
    // The resend cooldown has passed.
    await db.verificationChallenge.updateMany({ where: { userId: user.id }, data: { createdAt: new Date(Date.now() - 2 * 60_000) } });
    expect(await sendConfirmationText({ userId: user.id, pendingChangeId: waiting!.id, ip: uniqueIp() })).toMatchObject({ ok: true });
    expect((await pendingChangesOf([user.id]))[0]).toMatchObject({ textActive: true });
    expect((await reply(mobile, await confirmationCode(mobile))).answer).toMatchObject({ outcome: "approved" });
  });

  it("NO refuses every change waiting for the number, freezes the account, ends its sessions and alerts staff; no code needed", async () => {
    const { user, mobile } = await customerWithMobile();
    await createAuthSession(user.id, { ip: uniqueIp() });
    expect(await db.authSession.count({ where: { userId: user.id, revokedAt: null } })).toBe(1);
    const to = newAddress();
    await askEmailChange(user, to);
    const code = await confirmationCode(mobile);
    await changePostalAddress({ userId: user.id, role: "customer", address: "1 Harbour Street\nSydney", password: TEST_PASSWORD, ip: uniqueIp() });

    const answer = (await reply(mobile, "No.")).answer;
    expect(answer).toMatchObject({ outcome: "refused" });
    expect(answer && "pendingChangeIds" in answer ? answer.pendingChangeIds : []).toHaveLength(2);
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.email).toBe(user.email);
    expect(after.postalAddress).toBeNull();
    expect(after.frozenAt).not.toBeNull();
    expect(await db.authSession.count({ where: { userId: user.id, revokedAt: null } })).toBe(0);
    const ticket = await db.ticket.findFirstOrThrow({ where: { requesterAddress: user.email, category: "account-security" } });
    expect(ticket).toMatchObject({ priority: "urgent", subject: expect.stringContaining("refused by text") });
    expect((await lastMessageTo(mobile, "change-refused-ack")).text).toContain("blocked");
    // The code of the refused change approves nothing afterwards.
    expect((await reply(mobile, code)).answer).toEqual({ outcome: "no_pending" });
    expect((await recentRiskEvents({ customerId: null, requesterUserId: user.id })).map((event) => event.words)).toContain(
      "refused a change by text a moment ago",
    );
  });

  it("a mobile change asks the OLD verified number, and is made when it answers", async () => {
    const { user, mobile } = await customerWithMobile();
    const next = uniqueAuMobile();
    expect(await startPhoneVerification({ userId: user.id, country: "AU", number: next, password: TEST_PASSWORD, ip: uniqueIp() })).toMatchObject({ ok: true });
    const code = codeIn(await lastMessageTo(next, "sms-code.phone_change"));
    expect(await confirmPhone({ userId: user.id, role: "customer", code, ip: uniqueIp() })).toMatchObject({ ok: true, pending: true, changed: true });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).phoneE164).toBe(mobile);
    // Only the old number is asked; the new one got its code already.
    expect((await messagesTo(next)).filter((message) => message.kind === "sms-code.change_confirmation")).toHaveLength(0);
    expect((await reply(mobile, await confirmationCode(mobile))).answer).toMatchObject({ outcome: "approved", kind: "phone" });
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ phoneE164: next, phoneVerifiedAt: expect.any(Date) });
    expect(await lastMessageTo(mobile, "phone-changed-notice")).toBeTruthy();
  });

  it("turning two-factor off waits for the text; approving turns it off", async () => {
    const { user, mobile } = await customerWithMobile();
    await db.user.update({ where: { id: user.id }, data: { twoFactorMethod: "email" } });
    const asked = await turnOffTwoFactor({ userId: user.id, role: "customer", password: TEST_PASSWORD, ip: uniqueIp(), staffTwoFactorRequired: false });
    expect(asked).toMatchObject({ ok: true, pending: true });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).twoFactorMethod).toBe("email");
    expect((await reply(mobile, await confirmationCode(mobile))).answer).toMatchObject({ outcome: "approved", kind: "two_factor_off" });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).twoFactorMethod).toBeNull();
  });

  it("the postal address is set at once without a verified mobile (with a notice), and waits with one", async () => {
    const plain = await makeAccount();
    expect(await changePostalAddress({ userId: plain.id, role: "customer", address: "2 Quay Road\nHobart", password: TEST_PASSWORD, ip: uniqueIp() })).toEqual({
      ok: true,
      pending: false,
      unchanged: false,
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: plain.id } })).postalAddress).toBe("2 Quay Road\nHobart");
    const notice = await lastMessageTo(plain.email, "postal-address-changed-notice");
    expect(notice.text).toContain("2 Quay Road");
    expect(notice.text).not.toContain("Hobart");

    const { user, mobile } = await customerWithMobile();
    expect(
      await changePostalAddress({
        userId: user.id,
        role: "customer",
        address: "9 Long Road Industrial Estate\nPerth",
        password: TEST_PASSWORD,
        ip: uniqueIp(),
      }),
    ).toMatchObject({
      pending: true,
    });
    expect((await lastMessageTo(mobile, "sms-code.change_confirmation")).text).toContain('postal address to "9 Long Road Industria..."');
    expect((await reply(mobile, await confirmationCode(mobile))).answer).toMatchObject({ outcome: "approved", kind: "postal_address" });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).postalAddress).toBe("9 Long Road Industrial Estate\nPerth");
  });

  it("a number that replied STOP cannot approve, so the changes it would approve are refused (not made at once)", async () => {
    const { user, mobile } = await customerWithMobile();
    await recordSmsOptOut(mobile, new Date());
    const to = newAddress();
    expect(await startEmailChange({ userId: user.id, newEmail: to, password: TEST_PASSWORD, ip: uniqueIp() })).toMatchObject({
      ok: false,
      message: expect.stringContaining("replied STOP"),
    });
    expect(await messagesTo(to)).toHaveLength(0);
    expect(await changePostalAddress({ userId: user.id, role: "customer", address: "1 Quiet Way", password: TEST_PASSWORD, ip: uniqueIp() })).toMatchObject({
      ok: false,
      message: expect.stringContaining("replied STOP"),
    });
    await db.user.update({ where: { id: user.id }, data: { twoFactorMethod: "email" } });
    expect(await turnOffTwoFactor({ userId: user.id, role: "customer", password: TEST_PASSWORD, ip: uniqueIp(), staffTwoFactorRequired: false })).toMatchObject(
      {
        ok: false,
      },
    );
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ email: user.email, postalAddress: null, twoFactorMethod: "email" });
  });

  it("STOP in answer to the text refuses the change as NO does (the owner did not want it), and the gate stays shut", async () => {
    const { user, mobile } = await customerWithMobile();
    await changePostalAddress({ userId: user.id, role: "customer", address: "9 Push Through Road", password: TEST_PASSWORD, ip: uniqueIp() });
    expect((await reply(mobile, "STOP")).answer).toMatchObject({ outcome: "refused" });
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ postalAddress: null, frozenAt: expect.any(Date) });
    // Nothing more is texted to a number that said STOP, not even the acknowledgement.
    expect((await messagesTo(mobile)).filter((message) => message.kind === "change-refused-ack")).toHaveLength(0);
  });

  it("a reply costs one try in all, whatever the number of codes out, and a code for another number does not count", async () => {
    const { user, mobile } = await customerWithMobile();
    await changePostalAddress({ userId: user.id, role: "customer", address: "2 Try Street", password: TEST_PASSWORD, ip: uniqueIp() });
    const ownCode = await confirmationCode(mobile);
    const ticket = await db.ticket.create({ data: { subject: "verify me", channel: "phone", requesterUserId: user.id, requesterAddress: "+61255501234" } });
    const supervisorUser = await db.user.create({
      data: { email: `${randomUUID()}@example.com`, name: "Sup", role: "supervisor", emailVerifiedAt: new Date() },
    });
    await overrideIdentityCheck(
      { sessionId: randomUUID(), userId: supervisorUser.id, role: "supervisor", name: "Sup", email: supervisorUser.email, customerId: null },
      { ticketId: ticket.id, reason: "Caller answered every security question." },
    );
    expect((await reply(mobile, otherCode(ownCode))).answer).toEqual({ outcome: "wrong_code" });
    const attempts = await db.verificationChallenge.findMany({
      where: { userId: user.id, purpose: { in: ["change_confirmation", "staff_change_confirmation"] } },
      select: { attempts: true },
    });
    expect(attempts.reduce((sum, row) => sum + row.attempts, 0)).toBe(1);
    expect((await reply(mobile, ownCode)).answer).toMatchObject({ outcome: "approved", kind: "postal_address" });
  });

  it("a change waiting for the old mobile is cancelled when the mobile changes: the old number can no longer approve it", async () => {
    const { user, mobile } = await customerWithMobile();
    await changePostalAddress({ userId: user.id, role: "customer", address: "Attacker Drop 1", password: TEST_PASSWORD, ip: uniqueIp() });
    const staleCode = await confirmationCode(mobile);
    await db.verificationChallenge.updateMany({ where: { userId: user.id }, data: { createdAt: new Date(Date.now() - 2 * 60_000) } });
    const next = uniqueAuMobile();
    await startPhoneVerification({ userId: user.id, country: "AU", number: next, password: TEST_PASSWORD, ip: uniqueIp() });
    await confirmPhone({ userId: user.id, role: "customer", code: codeIn(await lastMessageTo(next, "sms-code.phone_change")), ip: uniqueIp() });
    expect((await reply(mobile, await confirmationCode(mobile))).answer).toMatchObject({ outcome: "approved", kind: "phone" });
    expect(await db.pendingChange.findFirstOrThrow({ where: { userId: user.id, kind: "postal_address" } })).toMatchObject({
      status: "cancelled",
      decidedVia: "mobile_changed",
    });
    expect((await reply(mobile, staleCode)).answer).toEqual({ outcome: "no_pending" });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).postalAddress).toBeNull();
  });

  it("a change left unanswered for a day is no longer waiting: not listed, not approvable", async () => {
    const { user, mobile } = await customerWithMobile();
    await changePostalAddress({ userId: user.id, role: "customer", address: "Old Request Road", password: TEST_PASSWORD, ip: uniqueIp() });
    const code = await confirmationCode(mobile);
    await db.pendingChange.updateMany({ where: { userId: user.id }, data: { createdAt: new Date(Date.now() - 25 * 3_600_000) } });
    expect(await pendingChangesOf([user.id])).toEqual([]);
    expect((await reply(mobile, code)).answer).toEqual({ outcome: "no_pending" });
  });

  it("an address with a very long domain still fits the text (no failure after the code was used)", async () => {
    const { user, mobile } = await customerWithMobile();
    const to = `a@${"l".repeat(60)}.${"m".repeat(60)}.example.test`;
    const asked = await askEmailChange(user, to);
    expect(asked).toMatchObject({ ok: true, pending: true, text: { ok: true } });
    expect((await lastMessageTo(mobile, "sms-code.change_confirmation")).text).toContain("email address to a@llllllll");
  });

  it("a cancelled change, or one replaced by a newer request, cannot be approved by its old code", async () => {
    const { user, mobile } = await customerWithMobile();
    await changePostalAddress({ userId: user.id, role: "customer", address: "First Street", password: TEST_PASSWORD, ip: uniqueIp() });
    const first = await confirmationCode(mobile);
    await db.verificationChallenge.updateMany({ where: { userId: user.id }, data: { createdAt: new Date(Date.now() - 2 * 60_000) } });
    await changePostalAddress({ userId: user.id, role: "customer", address: "Second Street", password: TEST_PASSWORD, ip: uniqueIp() });
    const second = await confirmationCode(mobile);
    expect(await db.pendingChange.findMany({ where: { userId: user.id }, select: { status: true, decidedVia: true }, orderBy: { createdAt: "asc" } })).toEqual([
      { status: "cancelled", decidedVia: "superseded" },
      { status: "pending", decidedVia: null },
    ]);
    expect((await reply(mobile, first)).answer).toEqual({ outcome: "wrong_code" });
    const [waiting] = await pendingChangesOf([user.id]);
    expect(await cancelPendingChange({ userId: user.id, pendingChangeId: waiting!.id, ip: uniqueIp() })).toEqual({ ok: true });
    expect((await reply(mobile, second)).answer).toEqual({ outcome: "no_pending" });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).postalAddress).toBeNull();
    // Another account cannot cancel it.
    const stranger = await makeAccount();
    expect(await cancelPendingChange({ userId: stranger.id, pendingChangeId: waiting!.id, ip: uniqueIp() })).toMatchObject({ ok: false });
  });

  it("a webhook delivery that was stored but not handled is handled when Twilio retries it, and only once", async () => {
    const { user, mobile } = await customerWithMobile();
    await changePostalAddress({ userId: user.id, role: "customer", address: "3 Retry Lane", password: TEST_PASSWORD, ip: uniqueIp() });
    const code = await confirmationCode(mobile);
    const messageSid = `SM${randomUUID().replace(/-/g, "")}`;
    // As if the instance died after storing the text and before reading it.
    await db.inboundSms.create({ data: { messageSid, fromE164: mobile, toE164: TEST_SMS_NUMBER, body: code } });
    await db.webhookReceipt.create({ data: { id: `twilio-sms:${messageSid}`, source: "twilio-sms", type: "message" } });
    expect(await reply(mobile, code, messageSid)).toMatchObject({ status: "already_received", answer: { outcome: "approved" } });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).postalAddress).toBe("3 Retry Lane");
    expect(await reply(mobile, code, messageSid)).toEqual({ status: "already_received" });
  });

  it("the same delivery arriving twice at once is handled once (one wrong try, not two)", async () => {
    const { user, mobile } = await customerWithMobile();
    await changePostalAddress({ userId: user.id, role: "customer", address: "6 Twice Road", password: TEST_PASSWORD, ip: uniqueIp() });
    const wrong = otherCode(await confirmationCode(mobile));
    const messageSid = `SM${randomUUID().replace(/-/g, "")}`;
    await Promise.all([reply(mobile, wrong, messageSid), reply(mobile, wrong, messageSid), reply(mobile, wrong, messageSid)]);
    const challenge = await db.verificationChallenge.findFirstOrThrow({ where: { userId: user.id, purpose: "change_confirmation" } });
    expect(challenge.attempts).toBe(1);
    expect(await db.inboundSms.findUniqueOrThrow({ where: { messageSid } })).toMatchObject({ handledAt: expect.any(Date), body: "[code]" });
  });

  it("the ticket's identity panel shows a change waiting for the owner's text", async () => {
    const { user, mobile } = await customerWithMobile();
    const ticket = await db.ticket.create({
      data: { subject: "Please ship to my new address", channel: "web", requesterUserId: user.id, requesterAddress: user.email, requesterName: user.name },
    });
    await changePostalAddress({ userId: user.id, role: "customer", address: "4 Panel Road", password: TEST_PASSWORD, ip: uniqueIp() });
    const panel = await identityPanelForTicket(ticket.id);
    expect(panel?.pendingChanges).toEqual([
      { id: expect.any(String), words: "postal address change", createdAt: expect.any(Date), textActive: true, textSent: true, byStaff: false },
    ]);
    expect(panel?.recentRisk.map((event) => event.action)).toContain("identity.change_awaiting_text");
    await reply(mobile, "NO");
    expect((await identityPanelForTicket(ticket.id))?.pendingChanges).toEqual([]);
  });

  describe("staff actions the owner is told of", () => {
    async function supervisor(): Promise<Actor> {
      const user = await db.user.create({
        data: { email: `${randomUUID()}@example.com`, name: "Sam Supervisor", role: "supervisor", emailVerifiedAt: new Date() },
      });
      return { sessionId: randomUUID(), userId: user.id, role: "supervisor", name: user.name, email: user.email, customerId: null };
    }
    const staffCode = async (mobile: string) => {
      const text = (await lastMessageTo(mobile, "sms-code.staff_change_confirmation")).text;
      return /Reply (\d{6}) within/.exec(text)![1]!;
    };
    async function customerTicket() {
      const customer = await db.customer.create({ data: { accountNumber: `TXT-${randomUUID().slice(0, 8)}`, name: "Texted Customer" } });
      const mobile = uniqueAuMobile();
      const user = await makeAccount({ customerId: customer.id, phoneE164: mobile, phoneVerified: true });
      const ticket = await db.ticket.create({
        data: { subject: "I lost my phone, verify me", channel: "phone", customerId: customer.id, requesterAddress: "+61255501234" },
      });
      return { customer, user, mobile, ticket };
    }

    it("an identity override stands at once; the owner's code confirms it, and does not replace the code of a change they asked for", async () => {
      const { user, mobile, ticket } = await customerTicket();
      await changePostalAddress({ userId: user.id, role: "customer", address: "5 Own Request Road", password: TEST_PASSWORD, ip: uniqueIp() });
      const ownCode = await confirmationCode(mobile);
      const check = await overrideIdentityCheck(
        await supervisor(),
        { ticketId: ticket.id, reason: "Known caller, account details all match." },
        { ip: "203.0.113.7" },
      );
      expect(check.expiresAt.getTime()).toBeGreaterThan(Date.now());
      const text = await lastMessageTo(mobile, "sms-code.staff_change_confirmation");
      expect(text.text).toMatch(
        /^Veridesk: our staff verified your identity on support ticket VD-\d+\. Reply \d{6} within 10 minutes if you asked for this, or NO if you did not\.$/,
      );
      expect((await identityPanelForTicket(ticket.id))?.pendingChanges.map((change) => [change.words, change.byStaff])).toEqual(
        expect.arrayContaining([
          ["a supervisor's identity override", true],
          ["postal address change", false],
        ]),
      );
      // The owner cannot "cancel" a staff action: only confirm or refuse it by text.
      const override = (await pendingChangesOf([user.id])).find((change) => change.kind === "identity_override")!;
      expect(await cancelPendingChange({ userId: user.id, pendingChangeId: override.id, ip: uniqueIp() })).toMatchObject({ ok: false });

      expect((await reply(mobile, await staffCode(mobile))).answer).toMatchObject({ outcome: "approved", kind: "identity_override" });
      expect((await db.identityCheck.findUniqueOrThrow({ where: { id: check.id } })).expiresAt.getTime()).toBeGreaterThan(Date.now());
      expect((await reply(mobile, ownCode)).answer).toMatchObject({ outcome: "approved", kind: "postal_address" });
    });

    it("NO to an override ends it at once, notes why on its ticket, and freezes the account", async () => {
      const { user, mobile, ticket } = await customerTicket();
      const check = await overrideIdentityCheck(await supervisor(), { ticketId: ticket.id, reason: "Caller knew the account number." });
      await staffCode(mobile);
      expect((await reply(mobile, "NO")).answer).toMatchObject({ outcome: "refused" });
      expect((await db.identityCheck.findUniqueOrThrow({ where: { id: check.id } })).expiresAt.getTime()).toBeLessThanOrEqual(Date.now());
      expect((await identityPanelForTicket(ticket.id))?.currentCheck).toBeNull();
      expect((await db.ticketMessage.findMany({ where: { ticketId: ticket.id, kind: "internal_note" } })).map((note) => note.body).join("\n")).toContain(
        "answered NO to the text about this identity override",
      );
      expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).frozenAt).not.toBeNull();
    });

    it("two overrides for one owner each stay refusable: one NO ends both", async () => {
      const { user, mobile, ticket } = await customerTicket();
      const second = await db.ticket.create({ data: { subject: "again", channel: "phone", customerId: user.customerId, requesterAddress: "+61255501234" } });
      const sup = await supervisor();
      const first = await overrideIdentityCheck(sup, { ticketId: ticket.id, reason: "Caller knew the account number." });
      const other = await overrideIdentityCheck(sup, { ticketId: second.id, reason: "Caller knew the account number." });
      expect((await pendingChangesOf([user.id])).filter((change) => change.kind === "identity_override")).toHaveLength(2);
      expect((await reply(mobile, "NO")).answer).toMatchObject({ outcome: "refused" });
      for (const check of [first, other])
        expect((await db.identityCheck.findUniqueOrThrow({ where: { id: check.id } })).expiresAt.getTime()).toBeLessThanOrEqual(Date.now());
    });

    it("confirmation texts are counted apart: asking for changes does not spend the number's allowance of sign-in codes", async () => {
      const { user, mobile } = await customerWithMobile();
      const hourAgo = new Date(Date.now() - 30 * 60_000);
      await db.verificationChallenge.createMany({
        data: Array.from({ length: 5 }, () => ({
          purpose: "change_confirmation" as const,
          channel: "sms" as const,
          target: mobile,
          userId: user.id,
          codeHash: "x",
          expiresAt: hourAgo,
          requestIp: uniqueIp(),
          createdAt: hourAgo,
        })),
      });
      expect(await issueChallenge({ purpose: "sign_in_second_factor", channel: "sms", target: mobile, userId: user.id, requestIp: uniqueIp() })).toMatchObject({
        ok: true,
      });
    });

    it("a merge texts every portal account of the merged customer; a NO freezes that account and asks staff to check the merge", async () => {
      const first = await customerTicket();
      const second = await customerTicket();
      await mergeCustomers(await supervisor(), { survivorId: first.customer.id, absorbedId: second.customer.id });
      expect((await lastMessageTo(first.mobile, "sms-code.staff_change_confirmation")).text).toContain("merged two customer records of yours into one");
      expect((await lastMessageTo(second.mobile, "sms-code.staff_change_confirmation")).text).toContain("merged two customer records");
      expect((await reply(second.mobile, "no")).answer).toMatchObject({ outcome: "refused" });
      expect((await db.user.findUniqueOrThrow({ where: { id: second.user.id } })).frozenAt).not.toBeNull();
      expect((await db.user.findUniqueOrThrow({ where: { id: first.user.id } })).frozenAt).toBeNull();
      const alert = await db.ticket.findFirstOrThrow({
        where: { requesterAddress: second.user.email, category: "account-security" },
        include: { messages: true },
      });
      expect(alert.messages[0]!.body).toContain("Merge history");
    });
  });
});
