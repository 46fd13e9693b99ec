import { randomInt, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DomainError } from "@/platform/errors";
import { db } from "@/platform/db/client";
import { isSealed, openSealedText } from "@/platform/outbox/sealed";
import {
  CALLER_CHECKS_PER_AGENT,
  CALLER_CHECKS_PER_CUSTOMER,
  type CallerActor,
  callerCheckOutcome,
  checkCallerFields,
  compareAccountNumber,
  compareEmail,
  compareName,
  comparePhone,
  listCodeChannels,
  parseCallerPhone,
  sendCallerCode,
  verifyCallerCode,
} from "@/features/callers/caller-verification";
import { callerFieldsSchema } from "@/features/callers/schemas";
import { identityPanelForTicket } from "@/features/identity/ticket-identity-panel";

// ───────────────────────────── Fixtures ─────────────────────────────

const ip = () => `203.0.113.${randomInt(1, 255)}-${randomUUID().slice(0, 6)}`;

async function makeAgent(name = "Alex Morgan"): Promise<CallerActor & { name: string }> {
  const user = await db.user.create({ data: { email: `agent-${randomUUID()}@helpdesk.test`, name, role: "agent" } });
  return { userId: user.id, role: "agent", name };
}

/**
 * Renée Østergaard-Lund, account NR-<random>, a verified primary, a verified alias, an unverified
 * alias, a bouncing verified alias, a verified mobile, an unverified mobile, a fixed line, and a
 * linked portal account (own verified address and verified mobile).
 */
async function makeCustomer() {
  const tag = randomUUID().slice(0, 8);
  const digits = String(randomInt(1_000_000, 9_999_999));
  const mobile = `+4477009${String(randomInt(10000, 99999))}`;
  const otherMobile = `+4477008${String(randomInt(10000, 99999))}`;
  const portalMobile = `+6149157${String(randomInt(1000, 9999))}`;
  const fixed = `+4420718${String(randomInt(10000, 99999))}`;
  const primary = `renee.${tag}@lund.example`;
  const alias = `r.lund.${tag}@home.example`;
  const unverifiedAlias = `old.${tag}@lund.example`;
  const bouncing = `gone.${tag}@lund.example`;
  const portalEmail = `renee.portal.${tag}@mail.example`;
  const customer = await db.customer.create({
    data: {
      accountNumber: `NR-${digits}`,
      name: "Renée Østergaard-Lund",
      emails: {
        create: [
          { address: primary, normalized: primary, isPrimary: true, verifiedAt: new Date() },
          { address: alias, normalized: alias, verifiedAt: new Date() },
          { address: unverifiedAlias, normalized: unverifiedAlias },
          { address: bouncing, normalized: bouncing, verifiedAt: new Date(), deliverability: "bouncing" },
        ],
      },
      phones: {
        create: [
          { e164: mobile, kind: "mobile", verifiedAt: new Date() },
          { e164: otherMobile, kind: "mobile" },
          { e164: fixed, kind: "fixed", verifiedAt: new Date() },
        ],
      },
    },
  });
  const portal = await db.user.create({
    data: {
      email: portalEmail,
      name: "Renee Lund",
      role: "customer",
      customerId: customer.id,
      emailVerifiedAt: new Date(),
      phoneE164: portalMobile,
      phoneVerifiedAt: new Date(),
    },
  });
  const ticket = await db.ticket.create({ data: { subject: "Caller", channel: "phone", customerId: customer.id, requesterName: customer.name } });
  const secrets = [
    customer.name,
    "Renee Lund",
    customer.accountNumber,
    digits,
    primary,
    alias,
    unverifiedAlias,
    bouncing,
    portalEmail,
    mobile,
    otherMobile,
    portalMobile,
    fixed,
  ];
  for (const phone of [mobile, otherMobile, portalMobile, fixed]) secrets.push(phone.slice(1), phone.slice(3));
  return { customer, ticket, portal, digits, mobile, otherMobile, portalMobile, fixed, primary, alias, unverifiedAlias, bouncing, portalEmail, secrets };
}

/** None of the stored values (in any of their usual spellings) appears in what a function returned. */
function expectNoStoredValue(result: unknown, secrets: string[]) {
  const text = JSON.stringify(result).toLowerCase();
  for (const secret of secrets) expect(text).not.toContain(secret.toLowerCase());
}

/** The code of the last message queued to `to`, read out of its sealed body (the only place it exists). */
async function lastCodeSentTo(to: string): Promise<string> {
  const message = await db.outboxMessage.findFirstOrThrow({ where: { recipient: to }, orderBy: { createdAt: "desc" } });
  const body = message.textBody!;
  const text = isSealed(body) ? openSealedText(body) : body;
  return /(\d{6})/.exec(text)![1]!;
}

const wrong = (code: string) => ((Number(code) + 1) % 1_000_000).toString().padStart(6, "0");

// ───────────────────────────── Field rules ─────────────────────────────

describe("name", () => {
  const stored = ["Renée Østergaard-Lund", "Renee Lund"];
  it("matches ignoring case, accents, punctuation and spacing", () => {
    expect(compareName("  renee   ostergaard lund ", stored)).toBe("close"); // Ø is a letter of its own, not an accented O: one typo
    expect(compareName("RENÉE ØSTERGAARD-LUND", stored)).toBe("match");
    expect(compareName("renee østergaard lund", stored)).toBe("match");
    expect(compareName("Renee Lund", stored)).toBe("match");
  });
  it("is close for a small typo, words in another order or a middle name left out", () => {
    expect(compareName("Renee Lnud", stored)).toBe("close");
    expect(compareName("Lund Renee", stored)).toBe("close");
    expect(compareName("Maya Patel", ["Maya Rose Patel"])).toBe("close");
    expect(compareName("Maya Rose Patel", ["Maya Patel"])).toBe("close");
    expect(compareName("Tom", ["Tim"])).toBe("close");
  });
  it("does not match another name, a first name alone, or nothing", () => {
    expect(compareName("Maya Patel", stored)).toBe("no_match");
    expect(compareName("Renee", stored)).toBe("no_match");
    expect(compareName("Tom", ["Tamara"])).toBe("no_match");
    expect(compareName("  ", stored)).toBe("not_given");
  });
});

describe("account number", () => {
  it("matches the whole number whatever the case, spaces or dashes", () => {
    expect(compareAccountNumber("ACC10001", "ACC-10001")).toBe("match");
    expect(compareAccountNumber("acc 10001", "ACC-10001")).toBe("match");
    expect(compareAccountNumber("a-c-c.1 0 0 0 1", "ACC-10001")).toBe("match");
  });
  it("is close for one wrong or two swapped characters", () => {
    expect(compareAccountNumber("ACC-10002", "ACC-10001")).toBe("close");
    expect(compareAccountNumber("ACC-01001", "ACC-10001")).toBe("close");
  });
  it("never matches a partial number", () => {
    expect(compareAccountNumber("10001", "ACC-10001")).toBe("no_match");
    expect(compareAccountNumber("ACC-100", "ACC-10001")).toBe("no_match");
    expect(compareAccountNumber("ACC-1000", "ACC-10001")).toBe("no_match");
    expect(compareAccountNumber("ACC", "ACC-10001")).toBe("no_match");
    expect(compareAccountNumber("ACC-100011", "ACC-10001")).toBe("no_match");
  });
});

describe("email", () => {
  const addresses = [
    { address: "Maya.Patel@northwind.example", isPrimary: true },
    { address: "maya.home@mail.example", isPrimary: false },
  ];
  it("matches the primary address only; another address of the customer is close", () => {
    expect(compareEmail(" MAYA.PATEL@Northwind.Example ", addresses)).toBe("match");
    expect(compareEmail("maya.home@mail.example", addresses)).toBe("close");
  });
  it("is close within two typos, and does not match otherwise", () => {
    expect(compareEmail("maya.patle@northwind.example", addresses)).toBe("close");
    expect(compareEmail("maya.patel@nortwind.exampl", addresses)).toBe("close");
    expect(compareEmail("maya@northwind.example", addresses)).toBe("no_match");
    expect(compareEmail("someone@else.example", addresses)).toBe("no_match");
  });
});

describe("phone", () => {
  it("refuses impossible numbers (not compared)", () => {
    expect(parseCallerPhone("12", "GB")).toEqual({ ok: false });
    expect(parseCallerPhone("+44 1", "GB")).toEqual({ ok: false });
    expect(parseCallerPhone("+61 4915 7015 7123 4567", "GB")).toEqual({ ok: false });
    expect(comparePhone(parseCallerPhone("999", "GB"), ["+447700900123"])).toBe("not_given");
  });
  it("matches the same number in any common spelling", () => {
    expect(comparePhone(parseCallerPhone("07700 900123", "GB"), ["+447700900123"])).toBe("match");
    expect(comparePhone(parseCallerPhone("+44 (0)7700-900-123", "GB"), ["+447700900123"])).toBe("match");
    expect(comparePhone(parseCallerPhone("0044 7700 900123", "AU"), ["+447700900123"])).toBe("match");
  });
  it("matches a number said in national form against a stored number of its own country, whatever the agent's region", () => {
    expect(comparePhone(parseCallerPhone("0491 570 157", "US"), ["+61491570157"], "0491 570 157")).toBe("match");
    expect(comparePhone(parseCallerPhone("0491 570 157", "GB"), ["+447700900123", "+61491570157"], "0491 570 157")).toBe("match");
    expect(comparePhone(parseCallerPhone("0491 570 158", "GB"), ["+61491570157"], "0491 570 158")).toBe("close");
    expect(comparePhone(parseCallerPhone("0044 491 570 157", "GB"), ["+61491570157"], "0044 491 570 157")).toBe("close");
  });
  it("is close for the same national number under another country code, or a one-digit slip", () => {
    expect(comparePhone(parseCallerPhone("+44 491 570 157", "GB"), ["+61491570157"])).toBe("close");
    expect(comparePhone(parseCallerPhone("0491 570 157", "GB"), ["+61491570157"])).toBe("close");
    expect(comparePhone(parseCallerPhone("+447700900124", "GB"), ["+447700900123"])).toBe("close");
    expect(comparePhone(parseCallerPhone("+447700900132", "GB"), ["+447700900123"])).toBe("close");
    expect(comparePhone(parseCallerPhone("+447700900999", "GB"), ["+447700900123"])).toBe("no_match");
  });
});

describe("outcome", () => {
  it("passes only with the name and another field, all matching", () => {
    expect(callerCheckOutcome({ name: "match", accountOrEmail: "match", phone: "not_given" })).toBe("passed");
    expect(callerCheckOutcome({ name: "match", accountOrEmail: "not_given", phone: "not_given" })).toBe("partial");
    expect(callerCheckOutcome({ name: "not_given", accountOrEmail: "match", phone: "match" })).toBe("partial");
    expect(callerCheckOutcome({ name: "match", accountOrEmail: "close", phone: "match" })).toBe("partial");
    expect(callerCheckOutcome({ name: "match", accountOrEmail: "no_match", phone: "match" })).toBe("partial");
    expect(callerCheckOutcome({ name: "match", accountOrEmail: "no_match", phone: "not_given" })).toBe("failed");
    expect(callerCheckOutcome({ name: "close", accountOrEmail: "no_match", phone: "no_match" })).toBe("failed");
  });
});

describe("the shared input schema", () => {
  it("needs at least one detail and refuses letters in the phone field", () => {
    const customerId = randomUUID();
    expect(callerFieldsSchema.safeParse({ customerId }).success).toBe(false);
    expect(callerFieldsSchema.safeParse({ customerId, phone: "call me" }).success).toBe(false);
    expect(callerFieldsSchema.safeParse({ customerId, phone: "+44 (0)7700 900-123" }).success).toBe(true);
  });
});

// ───────────────────────────── Checking a caller against the record ─────────────────────────────

describe("checkCallerFields", () => {
  it("answers per field, records the check (results only) and audits it", async () => {
    const agent = await makeAgent();
    const c = await makeCustomer();
    const result = await checkCallerFields(agent, {
      customerId: c.customer.id,
      ticketId: c.ticket.id,
      fullName: "renee østergaard lund",
      accountOrEmail: c.customer.accountNumber.replace("-", " ").toLowerCase(),
      phone: c.mobile,
      ip: ip(),
    });
    expect(result).toMatchObject({ outcome: "passed", fields: { name: "match", accountOrEmail: "match", phone: "match" }, notes: {} });
    expectNoStoredValue(result, c.secrets);

    const check = await db.identityCheck.findFirstOrThrow({ where: { ticketId: c.ticket.id } });
    expect(check).toMatchObject({
      method: "caller_fields",
      outcome: "passed",
      conversationChannel: "phone",
      performedById: agent.userId,
      customerId: c.customer.id,
    });
    expect(check.fieldResults).toEqual({ name: "match", accountOrEmail: "match", phone: "match" });
    expect(check.expiresAt.getTime() - check.createdAt.getTime()).toBe(24 * 3_600_000);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "identity.caller_check", subjectId: c.customer.id } });
    expect(audit).toMatchObject({ actorUserId: agent.userId, subjectType: "Customer" });
    expect(audit.details).toMatchObject({ outcome: "passed", fields: { name: "match", accountOrEmail: "match", phone: "match" }, ticketId: c.ticket.id });
    expectNoStoredValue(audit.details, c.secrets);
    // The passed check counts for this conversation: the panel says by what, when and who.
    const panel = await identityPanelForTicket(c.ticket.id);
    expect(panel?.badge).toBe("verified");
  });

  it("treats an alias and a typo as close, a partial account number as no match with advice", async () => {
    const agent = await makeAgent();
    const c = await makeCustomer();
    const alias = await checkCallerFields(agent, {
      customerId: c.customer.id,
      ticketId: c.ticket.id,
      fullName: "Renee Lnud",
      accountOrEmail: c.alias.toUpperCase(),
      ip: ip(),
    });
    expect(alias).toMatchObject({ outcome: "partial", fields: { name: "close", accountOrEmail: "close", phone: "not_given" } });
    const portal = await checkCallerFields(agent, {
      customerId: c.customer.id,
      ticketId: c.ticket.id,
      fullName: "Renee Lund",
      accountOrEmail: c.portalEmail,
      phone: c.portalMobile,
      ip: ip(),
    });
    expect(portal.fields).toEqual({ name: "match", accountOrEmail: "close", phone: "match" });

    for (const partial of [c.digits, c.digits.slice(0, 4), "NR"]) {
      const result = await checkCallerFields(agent, {
        customerId: c.customer.id,
        ticketId: c.ticket.id,
        fullName: "Renee Lund",
        accountOrEmail: partial,
        ip: ip(),
      });
      expect(result.fields.accountOrEmail).toBe("no_match");
      expect(result.outcome).toBe("failed");
      expect(result.notes.accountOrEmail).toMatch(/whole account number/);
      expectNoStoredValue(result, c.secrets);
    }
    // A truncated number with its letters is no match too; the advice comes from the typed value only.
    const truncated = await checkCallerFields(agent, {
      customerId: c.customer.id,
      ticketId: c.ticket.id,
      accountOrEmail: `NR-${c.digits.slice(0, 5)}`,
      ip: ip(),
    });
    expect(truncated.fields.accountOrEmail).toBe("no_match");
    expect(truncated.notes.accountOrEmail).toBeUndefined();
    const stranger = await checkCallerFields(agent, { customerId: c.customer.id, ticketId: c.ticket.id, accountOrEmail: "ZZ-1234567", ip: ip() });
    expect(stranger.notes.accountOrEmail).toBeUndefined();
    // Half an email address is not called part of an account number.
    const halfEmail = await checkCallerFields(agent, { customerId: c.customer.id, ticketId: c.ticket.id, accountOrEmail: "renee.lund", ip: ip() });
    expect(halfEmail).toMatchObject({ fields: { accountOrEmail: "no_match" }, notes: {} });
  });

  it("does not compare an impossible phone number, and records nothing when it was the only detail", async () => {
    const agent = await makeAgent();
    const c = await makeCustomer();
    const result = await checkCallerFields(agent, { customerId: c.customer.id, ticketId: c.ticket.id, fullName: "Renee Lund", phone: "123", ip: ip() });
    expect(result.fields).toEqual({ name: "match", accountOrEmail: "not_given", phone: "not_given" });
    expect(result.notes.phone).toMatch(/^That is not a possible phone number/);
    expect(result.outcome).toBe("partial");

    const before = await db.identityCheck.count({ where: { ticketId: c.ticket.id } });
    const refusal = await checkCallerFields(agent, { customerId: c.customer.id, ticketId: c.ticket.id, phone: "+44 12", ip: ip() }).catch(
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).fieldErrors?.phone?.[0]).toMatch(/^That is not a possible phone number/);
    expect(await db.identityCheck.count({ where: { ticketId: c.ticket.id } })).toBe(before);
  });

  it("refuses a ticket of another customer", async () => {
    const agent = await makeAgent();
    const c = await makeCustomer();
    const other = await makeCustomer();
    await expect(checkCallerFields(agent, { customerId: c.customer.id, ticketId: other.ticket.id, fullName: "Renee Lund", ip: ip() })).rejects.toMatchObject({
      code: "conflict",
    });
  });

  it("limits checks per customer, recording only the refusal", async () => {
    const agent = await makeAgent();
    const c = await makeCustomer();
    for (let i = 0; i < CALLER_CHECKS_PER_CUSTOMER; i++)
      await checkCallerFields(agent, { customerId: c.customer.id, ticketId: c.ticket.id, fullName: `Guess ${i}`, ip: ip() });
    const refusal = await checkCallerFields(await makeAgent("Sam Rivera"), {
      customerId: c.customer.id,
      ticketId: c.ticket.id,
      fullName: "Renee Lund",
      ip: ip(),
    }).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: "rate_limited", message: expect.stringMatching(/^This customer has been checked 10 times in 15 minutes/) });
    expectNoStoredValue((refusal as Error).message, c.secrets);
    expect(await db.identityCheck.count({ where: { ticketId: c.ticket.id } })).toBe(CALLER_CHECKS_PER_CUSTOMER);
    expect(await db.auditEvent.count({ where: { action: "identity.caller_check_limited", subjectId: c.customer.id } })).toBe(1);
  });

  it("limits checks per agent across customers", async () => {
    const agent = await makeAgent();
    const customers = await Promise.all([makeCustomer(), makeCustomer(), makeCustomer(), makeCustomer()]);
    for (let i = 0; i < CALLER_CHECKS_PER_AGENT; i++) {
      const c = customers[i % 3]!;
      await checkCallerFields(agent, { customerId: c.customer.id, ticketId: c.ticket.id, fullName: "x y", ip: ip() });
    }
    const fourth = customers[3]!;
    await expect(
      checkCallerFields(agent, { customerId: fourth.customer.id, ticketId: fourth.ticket.id, fullName: "Renee Lund", ip: ip() }),
    ).rejects.toMatchObject({
      code: "rate_limited",
      message: expect.stringMatching(/^You have run 30 caller checks in 15 minutes/),
    });
    expect(await db.identityCheck.count({ where: { ticketId: fourth.ticket.id } })).toBe(0);
    expect(await db.auditEvent.findFirst({ where: { action: "identity.caller_check_limited", actorUserId: agent.userId } })).toMatchObject({
      details: { limit: "agent" },
    });
  });
});

// ───────────────────────────── Codes ─────────────────────────────

describe("listCodeChannels", () => {
  it("lists verified, deliverable channels only, masked, by opaque reference", async () => {
    const c = await makeCustomer();
    const channels = await listCodeChannels(c.customer.id);
    expect(channels.map((channel) => channel.channel)).toEqual(["email", "email", "email", "sms", "sms"]);
    expect(channels.map((channel) => channel.id.split(":")[0])).toEqual(["email", "email", "user-email", "sms", "user-sms"]);
    expect(channels.map((channel) => channel.masked)).toEqual([
      "r•••@lund.example",
      "r•••@home.example",
      "r•••@mail.example",
      `+44 •••• •••${c.mobile.slice(-3)}`,
      `+61 •••• •••${c.portalMobile.slice(-3)}`,
    ]);
    expectNoStoredValue(channels, c.secrets);
  });
});

describe("sendCallerCode and verifyCallerCode", () => {
  it("sends to the chosen verified mobile and records a passed phone-code check", async () => {
    const agent = await makeAgent();
    const c = await makeCustomer();
    const mobile = (await listCodeChannels(c.customer.id)).find((channel) => channel.id.startsWith("sms:"))!;
    const sent = await sendCallerCode(agent, { customerId: c.customer.id, ticketId: c.ticket.id, channelRef: mobile.id, ip: ip() });
    expect(sent).toMatchObject({ channel: "sms", maskedTarget: mobile.masked });
    expectNoStoredValue(sent, c.secrets);
    expect(await db.auditEvent.count({ where: { action: "identity.code_sent", subjectId: c.customer.id, actorUserId: agent.userId } })).toBe(1);

    const code = await lastCodeSentTo(c.mobile);
    const first = await verifyCallerCode(agent, { customerId: c.customer.id, ticketId: c.ticket.id, code: wrong(code), ip: ip() });
    expect(first).toEqual({
      ok: false,
      reason: "wrong_code",
      message: "That code is not right. 4 tries left.",
      triesLeft: 4,
      failures: 1,
      offerEscalation: false,
    });
    const passed = await verifyCallerCode(agent, { customerId: c.customer.id, ticketId: c.ticket.id, code, ip: ip() });
    expect(passed).toMatchObject({ ok: true, method: "sms_code", channel: "sms" });
    expectNoStoredValue(passed, c.secrets);

    const check = await db.identityCheck.findFirstOrThrow({ where: { ticketId: c.ticket.id, method: "sms_code" } });
    expect(check).toMatchObject({ outcome: "passed", codeChannel: "sms", conversationChannel: "phone", performedById: agent.userId });
    expect(await db.auditEvent.count({ where: { action: "identity.code_verified", subjectId: c.customer.id } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "identity.code_failed", subjectId: c.customer.id } })).toBe(1);
    const panel = await identityPanelForTicket(c.ticket.id);
    expect(panel?.badge).toBe("verified");
    expect(panel?.explanation).toContain(`verified by phone code ${check.createdAt.toISOString().slice(11, 16)} UTC by Alex Morgan`);
    // Used: a second entry of the same code does not pass twice.
    expect(await verifyCallerCode(agent, { customerId: c.customer.id, ticketId: c.ticket.id, code, ip: ip() })).toMatchObject({ ok: false, reason: "used" });
  });

  it("offers escalation after three wrong codes, and records a failed check when the code dies", async () => {
    const agent = await makeAgent();
    const c = await makeCustomer();
    const email = (await listCodeChannels(c.customer.id))[0]!;
    await sendCallerCode(agent, { customerId: c.customer.id, ticketId: c.ticket.id, channelRef: email.id, ip: ip() });
    const code = await lastCodeSentTo(c.primary);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await verifyCallerCode(agent, { customerId: c.customer.id, ticketId: c.ticket.id, code: wrong(code), ip: ip() }));
    expect(answers.map((answer) => (answer.ok ? "ok" : [answer.reason, answer.triesLeft, answer.offerEscalation]))).toEqual([
      ["wrong_code", 4, false],
      ["wrong_code", 3, false],
      ["wrong_code", 2, true],
      ["wrong_code", 1, true],
      ["too_many_tries", 0, true],
    ]);
    expectNoStoredValue(answers, c.secrets);
    expect(await verifyCallerCode(agent, { customerId: c.customer.id, ticketId: c.ticket.id, code, ip: ip() })).toMatchObject({
      ok: false,
      reason: "too_many_tries",
      offerEscalation: true,
    });
    const checks = await db.identityCheck.findMany({ where: { ticketId: c.ticket.id } });
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ method: "email_code", outcome: "failed", codeChannel: "email" });
    expect((await identityPanelForTicket(c.ticket.id))?.badge).toBe("mismatch");
  });

  it("refuses an unverified or foreign channel reference and a cooldown resend, clearly", async () => {
    const agent = await makeAgent();
    const c = await makeCustomer();
    const other = await makeCustomer();
    const unverified = await db.customerEmail.findFirstOrThrow({ where: { normalized: c.unverifiedAlias } });
    await expect(
      sendCallerCode(agent, { customerId: c.customer.id, ticketId: c.ticket.id, channelRef: `email:${unverified.id}`, ip: ip() }),
    ).rejects.toMatchObject({ code: "invalid" });
    const foreign = (await listCodeChannels(other.customer.id))[0]!;
    await expect(sendCallerCode(agent, { customerId: c.customer.id, ticketId: c.ticket.id, channelRef: foreign.id, ip: ip() })).rejects.toMatchObject({
      code: "invalid",
    });
    const mobile = (await listCodeChannels(c.customer.id)).find((channel) => channel.channel === "sms")!;
    await sendCallerCode(agent, { customerId: c.customer.id, ticketId: c.ticket.id, channelRef: mobile.id, ip: ip() });
    await expect(sendCallerCode(agent, { customerId: c.customer.id, ticketId: c.ticket.id, channelRef: mobile.id, ip: ip() })).rejects.toMatchObject({
      code: "rate_limited",
      message: expect.stringMatching(/^Please wait \d+ seconds before asking for another code\.$/),
    });
    expect(
      await verifyCallerCode(agent, { customerId: c.customer.id, ticketId: other.ticket.id, code: "123456", ip: ip() }).catch((error: unknown) => error),
    ).toMatchObject({ code: "conflict" });
  });
});
