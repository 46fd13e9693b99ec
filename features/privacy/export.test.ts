import { randomUUID } from "node:crypto";
import { unzipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/platform/auth/sessions";
import { db } from "@/platform/db/client";
import { tinyPdf, tinyPng } from "@/platform/testing/sample-files";
import { registerTicketEmailAttachments } from "@/features/tickets/attachment-files";
import { addInternalNote, createPortalTicket, replyAsAgent } from "@/features/tickets/desk";
import { attachmentLimits } from "@/features/tickets/uploads/limits";
import { storeUpload } from "@/features/tickets/uploads/uploads";
import { EXPORTS_PER_HOUR, exportForCustomer, exportRateKey } from "@/features/privacy/export";

beforeAll(() => registerTicketEmailAttachments());

const limits = attachmentLimits({ ATTACHMENT_MAX_FILE_MB: 25, ATTACHMENT_MAX_MESSAGE_MB: 25 });

async function customerAccount(label: string): Promise<Actor> {
  const tag = randomUUID().slice(0, 8);
  const address = `${label}.${tag}@export.example`;
  const customer = await db.customer.create({
    data: {
      accountNumber: `EXP-${tag}`,
      name: `${label} ${tag}`,
      emails: { create: { address, normalized: address, isPrimary: true, verifiedAt: new Date() } },
      phones: { create: { e164: `+4477009${String(Math.floor(Math.random() * 1e5)).padStart(5, "0")}`, kind: "mobile" } },
      agreements: { create: { reference: `EXP-AG-${tag}`, tier: "premium", startsOn: new Date("2020-01-01"), endsOn: new Date("2099-12-31") } },
    },
  });
  const user = await db.user.create({
    data: { email: address, name: customer.name, role: "customer", emailVerifiedAt: new Date(), customerId: customer.id, matchStatus: "matched" },
  });
  return { sessionId: randomUUID(), userId: user.id, role: "customer", name: user.name, email: address, customerId: customer.id };
}

async function unzipResponse(stream: ReadableStream<Uint8Array>) {
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  return unzipSync(bytes);
}

describe("a customer's data export", () => {
  it("holds their account, record, agreements, tickets with public messages and attachments; no internal notes, nobody else's data", async () => {
    const me = await customerAccount("Ingrid");
    const other = await customerAccount("Olaf");
    const agent = await db.user.create({ data: { email: `${randomUUID()}@staff.example`, name: "Agent Ada", role: "agent" } });
    const agentActor: Actor = { sessionId: randomUUID(), userId: agent.id, role: "agent", name: agent.name, email: agent.email, customerId: null };

    const upload = await storeUpload(me, "receipt.pdf", tinyPdf(), limits);
    if (!upload.ok) throw new Error(upload.message);
    const mine = await createPortalTicket(me, {
      subject: "Printer on fire",
      description: "Smoke everywhere.",
      category: "problem",
      priority: "high",
      attachmentIds: [upload.upload.id],
    });
    await replyAsAgent(agentActor, { ticketId: mine.id, body: "Unplug it, please." });
    const noteFile = await storeUpload(agentActor, "internal.png", tinyPng(), limits);
    if (!noteFile.ok) throw new Error(noteFile.message);
    await addInternalNote(agentActor, { ticketId: mine.id, body: "INTERNAL-ONLY: customer sounded drunk", attachmentIds: [noteFile.upload.id] });
    const theirUpload = await storeUpload(other, "theirs.png", tinyPng(), limits);
    if (!theirUpload.ok) throw new Error(theirUpload.message);
    await createPortalTicket(other, {
      subject: "OTHER-CUSTOMER ticket",
      description: "Not yours.",
      category: "problem",
      priority: "normal",
      attachmentIds: [theirUpload.upload.id],
    });
    await db.identityCheck.create({
      data: {
        customerId: me.customerId,
        ticketId: mine.id,
        method: "supervisor_override",
        outcome: "overridden",
        reason: "STAFF-REASON",
        expiresAt: new Date(),
      },
    });

    const result = await exportForCustomer(me, "192.0.2.1");
    if (!result.ok) throw new Error(result.message);
    const files = await unzipResponse(result.stream);
    const names = Object.keys(files);
    expect(names[0]).toBe("data.json");
    const json = new TextDecoder().decode(files["data.json"]!);
    const data = JSON.parse(json);

    expect(data.account).toMatchObject({ id: me.userId, email: me.email, name: me.name });
    expect(data.customer).toMatchObject({ name: me.name, emails: [{ address: me.email, isPrimary: true }] });
    expect(data.customer.phones).toHaveLength(1);
    expect(data.agreements).toEqual([expect.objectContaining({ tier: "premium", heldBy: "customer" })]);
    expect(data.tickets).toHaveLength(1);
    expect(data.tickets[0]).toMatchObject({ subject: "Printer on fire", priority: "high" });
    expect(data.tickets[0].messages.map((m: { body: string }) => m.body)).toEqual(["Smoke everywhere.", "Unplug it, please."]);
    expect(data.identityChecks).toEqual([expect.objectContaining({ method: "supervisor_override", outcome: "overridden" })]);
    expect(data.accountEvents.length).toBeGreaterThan(0);

    // Never internal notes (nor their files), staff reasons or another customer's anything.
    for (const secret of ["INTERNAL-ONLY", "internal.png", "STAFF-REASON", "OTHER-CUSTOMER", "theirs.png", other.email, other.name]) {
      expect(json).not.toContain(secret);
      expect(names.join(" ")).not.toContain(secret);
    }
    // The one attachment is there, byte for byte, at the path data.json names.
    const path = data.tickets[0].messages[0].attachments[0].path as string;
    expect(names).toEqual(["data.json", path]);
    expect(Buffer.from(files[path]!).equals(Buffer.from(tinyPdf()))).toBe(true);

    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "privacy.data_exported", subjectId: me.userId } });
    expect(audit.details).toEqual({ tickets: 1, attachments: 1, identityChecks: 1 });
  });

  it("is rate-limited per account", async () => {
    const me = await customerAccount("Rita");
    for (let i = 0; i < EXPORTS_PER_HOUR; i++) {
      const result = await exportForCustomer(me, null);
      if (result.ok) await result.stream.cancel();
      expect(result.ok).toBe(true);
    }
    const refused = await exportForCustomer(me, null);
    expect(refused).toMatchObject({ ok: false, status: 429 });
    await db.rateLimitCounter.delete({ where: { key: exportRateKey(me.userId) } });
  });
});
