import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { recordContactChange } from "@/features/accounts/contact-change/contact-change";
import type { Actor } from "@/platform/auth/sessions";
import { db } from "@/platform/db/client";
import { deliverDueMessages, enqueueEmail } from "@/platform/outbox/outbox";
import { consumeRateLimit } from "@/platform/rate-limit";
import { tinyPng } from "@/platform/testing/sample-files";
import { registerTicketEmailAttachments } from "@/features/tickets/attachment-files";
import { addInternalNote, createPortalTicket, replyAsAgent, replyAsCustomer } from "@/features/tickets/desk";
import { receiveInboundEmail } from "@/features/tickets/inbound/inbound";
import { messageId, passingAuth } from "@/features/tickets/inbound/inbound-fixtures";
import { attachmentLimits } from "@/features/tickets/uploads/limits";
import { storeUpload } from "@/features/tickets/uploads/uploads";
import { issueChallenge } from "@/features/verification/challenges";
import { eraseCustomer } from "@/features/privacy/erasure";
import { ERASED_CUSTOMER_NAME, ERASED_TEXT } from "@/features/privacy/labels";
import { findTraces } from "@/features/privacy/testing/find-traces";
import { createChangeSet, recordBefore, sealChangeSet } from "@/platform/change-sets/change-sets";

beforeAll(() => registerTicketEmailAttachments());

const limits = attachmentLimits({ ATTACHMENT_MAX_FILE_MB: 25, ATTACHMENT_MAX_MESSAGE_MB: 25 });

async function staff(role: "agent" | "supervisor"): Promise<Actor> {
  const email = `${randomUUID()}@staff.example`;
  const user = await db.user.create({ data: { email, name: `Staff ${role}`, role, emailVerifiedAt: new Date() } });
  return { sessionId: randomUUID(), userId: user.id, role, name: user.name, email, customerId: null };
}

/** A customer with every kind of data erasure must reach; returns what identifies them. */
async function personWithHistory() {
  const tag = randomUUID().replace(/-/g, "").slice(0, 10);
  const first = `Quillon${tag}`;
  const name = `${first} Vantreese`;
  const domain = `privacy-${tag}.example`;
  const address = `q.${tag}@${domain}`;
  const phone = `+4477009${String(Math.floor(Math.random() * 1e5)).padStart(5, "0")}`;
  const customer = await db.customer.create({
    data: {
      accountNumber: `PRIV-${tag}`,
      name,
      // An organisation is not the person's data: it stays (its name shares nothing with theirs).
      organisation: { create: { name: `Holdings ${randomUUID()}`, normalizedName: `holdings ${randomUUID()}` } },
      emails: { create: { address, normalized: address, isPrimary: true, verifiedAt: new Date() } },
      phones: { create: { e164: phone, kind: "mobile", verifiedAt: new Date() } },
      agreements: { create: { reference: `AG-${tag}`, tier: "standard", startsOn: new Date("2020-01-01"), endsOn: new Date("2099-12-31") } },
    },
  });
  const user = await db.user.create({
    data: { email: address, name, role: "customer", emailVerifiedAt: new Date(), customerId: customer.id, matchStatus: "matched", phoneE164: phone },
  });
  await db.authSession.create({ data: { userId: user.id, expiresAt: new Date(Date.now() + 3600_000), ip: "203.0.113.9", userAgent: "test" } });
  const actor: Actor = { sessionId: randomUUID(), userId: user.id, role: "customer", name, email: address, customerId: customer.id };

  // A portal ticket with an uploaded attachment, an agent's emailed reply (delivered to the dev
  // mailbox), an internal note naming them, their reply, and an email from them.
  const upload = await storeUpload(actor, `${first}-passport.png`, tinyPng(), limits);
  if (!upload.ok) throw new Error(upload.message);
  const ticket = await createPortalTicket(actor, {
    subject: `${name} cannot print`,
    description: `Hi, ${name} here, call me on ${phone}.`,
    category: "problem",
    priority: "normal",
    attachmentIds: [upload.upload.id],
  });
  const agent = await staff("agent");
  const reply = await replyAsAgent(agent, { ticketId: ticket.id, body: `Dear ${name}, try again.` });
  const sent = await db.ticketMessage.findUniqueOrThrow({ where: { id: reply.messageId } });
  await deliverDueMessages({ onlyIds: [sent.outboxMessageId!] });
  await addInternalNote(agent, { ticketId: ticket.id, body: `${name} sounded upset; mobile ${phone}` });
  await replyAsCustomer(actor, { ticketId: ticket.id, body: `Still broken. ${name}` });
  await receiveInboundEmail({
    source: "json",
    from: { address, name },
    to: ["support@veridesk.test"],
    subject: `Another problem from ${name}`,
    text: `Regards, ${name}, ${phone}`,
    html: null,
    messageId: messageId(),
    inReplyTo: null,
    references: [],
    headers: [["authentication-results", passingAuth(domain)]],
    attachments: [],
  });
  // A verification code by SMS, a rate-limit key on the address, a notification and a presence row.
  const code = await issueChallenge({ purpose: "phone_verification", channel: "sms", target: phone, userId: user.id, requestIp: "203.0.113.9" });
  expect(code.ok).toBe(true);
  const emailCode = await issueChallenge({ purpose: "email_change", channel: "email", target: address, userId: user.id, requestIp: "203.0.113.9" });
  expect(emailCode.ok).toBe(true);
  await consumeRateLimit(`password-reset:address:${address}`, 5, 3600);
  // An email change they made (its values sit beside the append-only audit event).
  await db.$transaction((tx) =>
    recordContactChange(tx, {
      userId: user.id,
      role: "customer",
      kind: "email",
      from: `old.${tag}@${domain}`,
      to: address,
      ip: "203.0.113.9",
      now: new Date(),
    }),
  );
  // A text they sent us (their STOP): the number and the body.
  await db.inboundSms.create({ data: { messageSid: `SM${tag}`, fromE164: phone, toE164: "+15005550006", body: `STOP ${first}`, keyword: "stop" } });
  await db.smsOptOut.create({ data: { e164: phone } });
  // A staff email quoting them (a notification's email goes to the agent, not to them).
  await enqueueEmail({ kind: "notification", to: agent.email, subject: `${name} replied to your ticket`, html: `<p>${name} wrote: Still broken.</p>` });
  await db.notification.create({ data: { recipientId: agent.userId, kind: "customer_replied", ticketId: ticket.id, summary: `${name} replied` } });
  await db.ticketPresence.create({ data: { ticketId: ticket.id, userId: agent.userId, state: "viewing", expiresAt: new Date(Date.now() + 60_000) } });
  // Identity checks (one supervisor override with a reason naming them) and an old record merged into this one.
  await db.identityCheck.createMany({
    data: [
      { ticketId: ticket.id, customerId: customer.id, method: "sms_code", outcome: "passed", codeChannel: "sms", expiresAt: new Date(Date.now() + 3600_000) },
      {
        ticketId: ticket.id,
        customerId: customer.id,
        method: "supervisor_override",
        outcome: "overridden",
        reason: `${name} showed a passport`,
        expiresAt: new Date(Date.now() + 3600_000),
      },
    ],
  });
  const oldAddress = `old.${tag}@${domain}`;
  const absorbed = await db.customer.create({
    data: {
      accountNumber: `PRIV-OLD-${tag}`,
      name: `${first} V.`,
      mergedIntoId: customer.id,
      emails: { create: { address: oldAddress, normalized: oldAddress, isPrimary: true } },
    },
  });
  await db.customerMerge.create({
    data: {
      survivorId: customer.id,
      absorbedId: absorbed.id,
      snapshot: { absorbed: { name: absorbed.name, emails: [oldAddress] }, survivor: { name, phone } },
      reason: `${name} asked`,
      undoableUntil: new Date(Date.now() + 86_400_000),
    },
  });
  // A bulk change recorded their rows whole, and an import kept their CSV row.
  await db.$transaction(async (tx) => {
    const setId = await createChangeSet(tx, { kind: "customer-import", summary: "test import" });
    await recordBefore(tx, setId, "Customer", [customer.id]);
    const emailIds = (await tx.customerEmail.findMany({ where: { customerId: customer.id }, select: { id: true } })).map((row) => row.id);
    await recordBefore(tx, setId, "CustomerEmail", emailIds);
    await sealChangeSet(tx, setId);
  });
  await db.customerImport.create({
    data: {
      fileName: "crm.csv",
      fileKey: `customer-import/${randomUUID()}`,
      byteSize: 100,
      encoding: "utf-8",
      delimiter: ",",
      headers: ["Name", "Email", "Mobile"],
      status: "committed",
      rows: { create: { rowNumber: 1, outcome: "update", customerId: customer.id, values: { name, email: address, mobile: phone }, issues: [] } },
    },
  });
  return {
    customer,
    absorbed,
    user,
    ticket,
    name,
    first,
    address,
    oldAddress,
    phone,
    storageKey: (await db.ticketAttachment.findUniqueOrThrow({ where: { id: upload.upload.id } })).storageKey!,
  };
}

describe("erasing a customer", () => {
  it("leaves no trace of their address, phone or name in any column of any table, and keeps PII-free identity-check counts", async () => {
    const auditBefore = (await db.auditEvent.aggregate({ _max: { id: true } }))._max.id ?? 0n;
    const person = await personWithHistory();
    const supervisor = await staff("supervisor");
    const needles = [person.address, person.oldAddress, person.phone, person.name, person.first];

    const before = await findTraces(db, needles);
    // The search works: before erasure the person is all over the database.
    expect(before).toEqual(
      expect.arrayContaining([
        "Customer.name",
        "CustomerEmail.address",
        "TicketMessage.body",
        "OutboxMessage.recipient",
        "InboundEmail.fromAddress",
        "VerificationChallenge.target",
      ]),
    );
    // The audit log can never be erased, so the flows above must have written ids only.
    // (a masked address such as "q***@domain" keeps the domain, so the domain is searched for too).
    const auditEvents = await db.auditEvent.findMany({ where: { id: { gt: auditBefore } }, select: { action: true, details: true } });
    expect(auditEvents.map((event) => event.action)).toEqual(expect.arrayContaining(["identity.code_sent", "ticket.replied"]));
    const domain = person.address.split("@")[1]!;
    const leaks = auditEvents.filter((event) =>
      [...needles, domain].some((needle) =>
        JSON.stringify(event.details ?? {})
          .toLowerCase()
          .includes(needle.toLowerCase()),
      ),
    );
    expect(leaks).toEqual([]);
    const checksBefore = await db.identityCheck.groupBy({
      by: ["method", "outcome"],
      where: { customerId: person.customer.id },
      _count: true,
      orderBy: { method: "asc" },
    });

    await expect(eraseCustomer(supervisor, { customerId: person.customer.id, confirmName: `${person.name}x` })).rejects.toMatchObject({
      code: "invalid",
      fieldErrors: { confirmName: [expect.any(String)] },
    });
    await expect(eraseCustomer(supervisor, { customerId: person.absorbed.id, confirmName: person.absorbed.name })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/merged into another customer.*Erase that customer/),
    });

    // Someone else's mail that shares only a first name, and a staff email still waiting to go.
    const bystander = await enqueueEmail({
      kind: "reply",
      to: `other-${randomUUID()}@elsewhere.example`,
      subject: `Hello from ${person.first}`,
      text: "Signed, the agent",
    });
    const waiting = await db.outboxMessage.findFirstOrThrow({ where: { subject: `${person.name} replied to your ticket`, status: "queued" } });

    const result = await eraseCustomer(supervisor, { customerId: person.customer.id, confirmName: person.name }, "198.51.100.7");
    expect(await db.outboxMessage.findUnique({ where: { id: bystander.id } })).toMatchObject({ subject: `Hello from ${person.first}`, status: "queued" });
    expect(await db.outboxMessage.findUnique({ where: { id: waiting.id } })).toMatchObject({ subject: "[erased]", status: "queued" });
    await db.outboxMessage.delete({ where: { id: bystander.id } });
    expect(result.counts).toMatchObject({ customers: 2, emails: 2, phones: 1, portalAccounts: 1, attachments: 1, identityChecksKept: 2, merges: 1 });

    expect(await findTraces(db, needles)).toEqual([]);
    const tombstone = await db.customer.findUniqueOrThrow({ where: { id: person.customer.id } });
    expect(tombstone).toMatchObject({ name: ERASED_CUSTOMER_NAME, organisationId: null, mergedIntoId: null });
    expect(tombstone.erasedAt).toBeInstanceOf(Date);
    expect(tombstone.accountNumber).not.toContain("PRIV");
    expect(await db.user.count({ where: { id: person.user.id } })).toBe(0);
    expect(await db.authSession.count({ where: { userId: person.user.id } })).toBe(0);
    expect(await db.storedFile.count({ where: { key: person.storageKey } })).toBe(0);
    const ticket = await db.ticket.findUniqueOrThrow({ where: { id: person.ticket.id }, include: { messages: true } });
    expect(ticket.subject).toBe(ERASED_TEXT);
    expect(new Set(ticket.messages.map((m) => m.body))).toEqual(new Set([ERASED_TEXT]));
    // Reports still count the checks by method and outcome; no reason is left.
    const checksAfter = await db.identityCheck.groupBy({
      by: ["method", "outcome"],
      where: { customerId: person.customer.id },
      _count: true,
      orderBy: { method: "asc" },
    });
    expect(checksAfter).toEqual(checksBefore);
    expect(await db.identityCheck.count({ where: { customerId: person.customer.id, reason: { not: null } } })).toBe(0);

    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "customer.erased", subjectId: person.customer.id } });
    expect(audit).toMatchObject({ actorUserId: supervisor.userId, ip: "198.51.100.7" });
    expect(audit.details).toMatchObject({ portalAccounts: 1, alsoErased: [person.absorbed.id] });

    // Twice: a clear answer, nothing changes.
    await expect(eraseCustomer(supervisor, { customerId: person.customer.id, confirmName: ERASED_CUSTOMER_NAME })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/already erased/),
    });
  }, 60_000);

  it("refuses an unknown customer", async () => {
    const supervisor = await staff("supervisor");
    await expect(eraseCustomer(supervisor, { customerId: randomUUID(), confirmName: "Nobody" })).rejects.toMatchObject({ code: "not_found" });
  });
});
