import { describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { newTicketMessageId } from "@/features/tickets/email-threading";
import { failingAuth, makeCustomer, messageId, passingAuth, uniqueDomain } from "@/features/tickets/inbound/inbound-fixtures";
import { handleGatewayInbound } from "@/features/tickets/inbound/inbound-http";
import { ticketReference } from "@/features/tickets/labels";

/** Test files run one at a time: rows created since this moment are this file's. */
const FILE_STARTED_AT = new Date();

// Read once by platform/env.ts on the route's first call in this file.
const SECRET = "inbound-test-secret-0123456789-abcdefghij";
process.env.INBOUND_EMAIL_SECRET = SECRET;
const { POST } = await import("./route");

const context = { params: Promise.resolve({}) };

function post(body: BodyInit, contentType: string, secret: string | null = SECRET) {
  const headers: Record<string, string> = { "Content-Type": contentType };
  if (secret !== null) headers.Authorization = `Bearer ${secret}`;
  return POST(new Request("http://localhost/api/inbound", { method: "POST", headers, body }), context);
}

function postJson(email: Record<string, unknown>, secret?: string | null) {
  return post(JSON.stringify({ messageId: messageId(), to: "support@veridesk.test", ...email }), "application/json", secret);
}

function postMime(raw: string | Buffer) {
  return post(new Uint8Array(typeof raw === "string" ? Buffer.from(raw, "utf8") : raw), "message/rfc822");
}

async function ticketNumberOf(response: Response): Promise<number> {
  const body = (await response.json()) as { ticket?: string };
  return Number(body.ticket?.replace("VD-", ""));
}

const ticketByNumber = (number: number) =>
  db.ticket.findUniqueOrThrow({ where: { number }, include: { messages: { include: { attachments: true }, orderBy: { createdAt: "asc" } } } });

describe("POST /api/inbound: authentication", () => {
  it("refuses a missing or wrong secret with 401, and a wrong content type with 415", async () => {
    const missing = await postJson({ from: "a@example.org", subject: "x", text: "y" }, null);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: expect.stringMatching(/secret/) });
    expect((await postJson({ from: "a@example.org", subject: "x", text: "y" }, "wrong-secret-wrong-secret-wrong-secret")).status).toBe(401);
    expect((await post("hello", "text/plain")).status).toBe(415);
  });

  it("answers 503 while no secret is configured", async () => {
    const response = await handleGatewayInbound(new Request("http://localhost/api/inbound", { method: "POST", body: "{}" }), { secret: undefined });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: string }).error).toMatch(/^inbound email is not configured/);
  });
});

describe("POST /api/inbound: new tickets and replies", () => {
  it("turns an email from an unknown sender into a new email ticket", async () => {
    const domain = uniqueDomain();
    const id = messageId();
    const response = await postJson({
      from: `"Stranger Danger" <Stranger@${domain}>`,
      subject: "Printer on fire",
      text: "It is really on fire.",
      messageId: id,
      headers: { "Authentication-Results": passingAuth(domain) },
    });
    expect(response.status).toBe(200);
    const ticket = await ticketByNumber(await ticketNumberOf(response));
    expect(ticket).toMatchObject({
      subject: "Printer on fire",
      channel: "email",
      status: "new",
      requesterAddress: `Stranger@${domain}`,
      requesterName: "Stranger Danger",
      customerId: null,
    });
    expect(ticket.messages).toHaveLength(1);
    expect(ticket.messages[0]).toMatchObject({
      kind: "public_reply",
      body: "It is really on fire.",
      authorAddress: `Stranger@${domain}`,
      emailMessageId: id,
      deliveryStatus: null,
    });
    const inbound = await db.inboundEmail.findUniqueOrThrow({ where: { messageId: id } });
    expect(inbound).toMatchObject({ source: "json", status: "accepted", ticketId: ticket.id, ticketMessageId: ticket.messages[0]!.id, heldReason: null });
    expect(inbound.authResults).toMatchObject({ spf: "pass", dkim: "pass", dmarc: "pass" });
  });

  it("matches a sender writing from an alias to the customer", async () => {
    const domain = uniqueDomain();
    const customer = await makeCustomer([{ address: `jane@${domain}`, isPrimary: true }, { address: `J.Doe@${domain}` }]);
    const response = await postJson({
      from: `j.doe@${domain.toUpperCase()}`,
      subject: "Hello",
      text: "From my alias",
      headers: { "Authentication-Results": passingAuth(domain) },
    });
    const ticket = await ticketByNumber(await ticketNumberOf(response));
    expect(ticket.customerId).toBe(customer.id);
    expect(ticket.requesterAddress).toBe(`j.doe@${domain.toUpperCase()}`);
  });

  it("adds a reply found by In-Reply-To to its ticket, bumps activity and reopens a solved ticket", async () => {
    const domain = uniqueDomain();
    const first = await postJson({ from: `ada@${domain}`, subject: "Export fails", text: "Help" });
    const number = await ticketNumberOf(first);
    const ticket = await ticketByNumber(number);
    // An agent replied (with our Message-ID), then solved it.
    const ourId = newTicketMessageId(number, "veridesk.test");
    await db.ticketMessage.create({ data: { ticketId: ticket.id, kind: "public_reply", body: "Fixed?", emailMessageId: ourId, deliveryStatus: "delivered" } });
    const solvedAt = new Date(Date.now() - 60_000);
    await db.ticket.update({ where: { id: ticket.id }, data: { status: "solved", solvedAt, lastActivityAt: solvedAt } });

    const reply = await postJson({ from: `ada@${domain}`, subject: "Re: Export fails", text: "Still broken", inReplyTo: ourId, references: `${ourId}` });
    expect(reply.status).toBe(200);
    expect(await reply.json()).toEqual({ status: "message_added", ticket: ticketReference(number), reopened: true });
    const after = await ticketByNumber(number);
    expect(after.messages.map((message) => message.body)).toEqual(["Help", "Fixed?", "Still broken"]);
    expect(after.status).toBe("open");
    expect(after.solvedAt).toBeNull();
    expect(after.lastActivityAt.getTime()).toBeGreaterThan(solvedAt.getTime());
  });

  it("threads a reply that only references the customer's own earlier email (References)", async () => {
    const domain = uniqueDomain();
    const firstId = messageId();
    const number = await ticketNumberOf(await postJson({ from: `bo@${domain}`, subject: "Question", text: "One", messageId: firstId }));
    await db.ticket.update({ where: { number }, data: { status: "pending" } });
    const reply = await postJson({ from: `colleague@${domain}`, subject: "Fwd: Question", text: "Two", references: `<unrelated@x.example> ${firstId}` });
    expect(await reply.json()).toMatchObject({ status: "message_added", ticket: ticketReference(number), reopened: true });
  });

  it("accepts a [VD-n] subject tag only from the ticket's requester or customer", async () => {
    const domain = uniqueDomain();
    const customer = await makeCustomer([{ address: `owner@${domain}`, isPrimary: true }, { address: `second@${domain}` }]);
    const auth = { "Authentication-Results": passingAuth(domain) };
    const number = await ticketNumberOf(await postJson({ from: `owner@${domain}`, subject: "Invoice", text: "Where is it?", headers: auth }));

    const byRequester = await postJson({ from: `OWNER@${domain}`, subject: `Re: [VD-${number}] Invoice`, text: "Any news?", headers: auth });
    expect(await byRequester.json()).toMatchObject({ status: "message_added", ticket: ticketReference(number) });
    const byCustomersAlias = await postJson({ from: `second@${domain}`, subject: `[VD-${number}]`, text: "Me too", headers: auth });
    expect(await byCustomersAlias.json()).toMatchObject({ status: "message_added", ticket: ticketReference(number) });

    const stranger = await postJson({ from: `mallory@${uniqueDomain()}`, subject: `Re: [VD-${number}] Invoice`, text: "Let me in" });
    const strangerNumber = await ticketNumberOf(stranger);
    expect(strangerNumber).not.toBe(number);
    const original = await ticketByNumber(number);
    expect(original.messages.map((message) => message.body)).toEqual(["Where is it?", "Any news?", "Me too"]);
    expect(original.customerId).toBe(customer.id);
  });

  it("makes a new ticket for an unknown ticket reference, never an error", async () => {
    const response = await postJson({
      from: `x@${uniqueDomain()}`,
      subject: "Re: [VD-2147483000] old thread",
      text: "Hi",
      inReplyTo: "<vd-ticket-2147483000.a.b@veridesk.test>",
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ticket_created" });
  });

  it("starts a new ticket when the answered ticket is closed", async () => {
    const domain = uniqueDomain();
    const number = await ticketNumberOf(await postJson({ from: `c@${domain}`, subject: "Old", text: "One" }));
    await db.ticket.update({ where: { number }, data: { status: "closed", closedAt: new Date() } });
    const reply = await postJson({ from: `c@${domain}`, subject: `Re: [VD-${number}] Old`, text: "Again" });
    expect(await ticketNumberOf(reply)).not.toBe(number);
  });
});

describe("POST /api/inbound: spoofed customer addresses are held", () => {
  it("holds mail that claims a known address but fails DMARC: stored, no ticket, no message", async () => {
    const domain = uniqueDomain();
    const customer = await makeCustomer([{ address: `ceo@${domain}`, isPrimary: true }]);
    const id = messageId();
    const response = await postJson({
      from: `ceo@${domain}`,
      subject: "Urgent wire transfer",
      text: "Pay now",
      messageId: id,
      headers: { "Authentication-Results": failingAuth(domain) },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "held" });
    const inbound = await db.inboundEmail.findUniqueOrThrow({ where: { messageId: id } });
    expect(inbound).toMatchObject({ status: "held_unverified", ticketId: null, ticketMessageId: null, customerId: customer.id });
    expect(inbound.heldReason).toMatch(new RegExp(`claims to come from ceo@${domain.replace(".", "\\.")}.*DMARC`));
    expect(await db.ticket.count({ where: { customerId: customer.id } })).toBe(0);
    expect(await db.ticketMessage.count({ where: { emailMessageId: id } })).toBe(0);
  });

  it("holds a known address with no DKIM and failing SPF, or no authentication results at all", async () => {
    const domain = uniqueDomain();
    await makeCustomer([{ address: `pat@${domain}`, isPrimary: true }]);
    const noDkim = await postJson({
      from: `pat@${domain}`,
      subject: "a",
      text: "a",
      headers: { "Authentication-Results": `mx.test; spf=fail smtp.mailfrom=${domain}; dkim=none` },
    });
    expect(await noDkim.json()).toMatchObject({ status: "held" });
    const nothing = await postJson({ from: `pat@${domain}`, subject: "b", text: "b" });
    expect(await nothing.json()).toMatchObject({ status: "held" });
    // A signature by another domain proves nothing about this address.
    const otherSigner = await postJson({
      from: `pat@${domain}`,
      subject: "c",
      text: "c",
      headers: { "Authentication-Results": "mx.test; spf=pass smtp.mailfrom=evil.test; dkim=pass header.d=evil.test" },
    });
    expect(await otherSigner.json()).toMatchObject({ status: "held" });
    // Aligned DKIM alone is enough, even with SPF failing (forwarded mail).
    const forwarded = await postJson({
      from: `pat@${domain}`,
      subject: "d",
      text: "d",
      headers: { "Authentication-Results": `mx.test; spf=fail; dkim=pass header.d=${domain}` },
    });
    expect(await forwarded.json()).toMatchObject({ status: "ticket_created" });
  });

  it("does not hold an unknown sender whose authentication fails (nothing to impersonate)", async () => {
    const domain = uniqueDomain();
    const response = await postJson({ from: `nobody@${domain}`, subject: "hi", text: "hi", headers: { "Authentication-Results": failingAuth(domain) } });
    expect(await response.json()).toMatchObject({ status: "ticket_created" });
  });
});

describe("POST /api/inbound: duplicates and bad input", () => {
  it("creates one ticket for the same Message-ID delivered twice, even at the same time", async () => {
    const id = messageId();
    const email = { from: `dup@${uniqueDomain()}`, subject: "Twice", text: "Once please", messageId: id };
    const first = await postJson(email);
    expect(await first.json()).toMatchObject({ status: "ticket_created" });
    const again = await postJson(email);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: "already_received", message: "already received" });

    const raceId = messageId();
    const race = await Promise.all([1, 2, 3].map(() => postJson({ ...email, messageId: raceId })));
    expect(race.map((response) => response.status)).toEqual([200, 200, 200]);
    const statuses = await Promise.all(race.map(async (response) => ((await response.json()) as { status: string }).status));
    expect(statuses.filter((status) => status === "ticket_created")).toHaveLength(1);
    expect(await db.inboundEmail.count({ where: { messageId: { in: [id, raceId] } } })).toBe(2);
    expect(await db.ticketMessage.count({ where: { emailMessageId: { in: [id, raceId] } } })).toBe(2);
  });

  it("refuses a text body over 1 MB with 413 and stores nothing", async () => {
    const id = messageId();
    const response = await postJson({ from: `big@${uniqueDomain()}`, subject: "Huge", text: "x".repeat(1024 * 1024 + 1), messageId: id });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: expect.stringMatching(/larger than 1 MB/) });
    expect(await db.inboundEmail.count({ where: { messageId: id } })).toBe(0);
  });

  it("refuses an attachment over 10 MB, or over 25 MB in total, with 413 and stores nothing", async () => {
    const id = messageId();
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 1).toString("base64");
    const one = await postJson({
      from: `att@${uniqueDomain()}`,
      subject: "a",
      text: "a",
      messageId: id,
      attachments: [{ filename: "big.bin", contentType: "application/octet-stream", contentBase64: big }],
    });
    expect(one.status).toBe(413);
    expect(((await one.json()) as { error: string }).error).toBe('The attachment "big.bin" is larger than 10 MB.');

    const nine = Buffer.alloc(9 * 1024 * 1024, 2).toString("base64");
    const three = [1, 2, 3].map((n) => ({ filename: `part${n}.bin`, contentType: "application/octet-stream", contentBase64: nine }));
    const total = await postJson({ from: `att@${uniqueDomain()}`, subject: "b", text: "b", messageId: id, attachments: three });
    expect(total.status).toBe(413);
    expect(((await total.json()) as { error: string }).error).toMatch(/25 MB in total/);
    expect(await db.inboundEmail.count({ where: { messageId: id } })).toBe(0);
  });

  it("stores accepted attachments on the message", async () => {
    const response = await postJson({
      from: `files@${uniqueDomain()}`,
      subject: "Logs",
      text: "Attached.",
      attachments: [{ filename: "log.txt", contentType: "text/plain; charset=utf-8", contentBase64: Buffer.from("line 1\nline 2").toString("base64") }],
    });
    const ticket = await ticketByNumber(await ticketNumberOf(response));
    const [attachment] = ticket.messages[0]!.attachments;
    expect(attachment).toMatchObject({ filename: "log.txt", contentType: "text/plain", sizeBytes: 13 });
    expect(Buffer.from(attachment!.content).toString()).toBe("line 1\nline 2");
  });

  it("refuses a body that arrived shorter than its Content-Length (cut short on the way) and stores nothing", async () => {
    const id = messageId();
    const body = JSON.stringify({ from: `cut@${uniqueDomain()}`, subject: "x", text: "y", messageId: id });
    const response = await POST(
      new Request("http://localhost/api/inbound", {
        method: "POST",
        headers: { Authorization: `Bearer ${SECRET}`, "Content-Type": "application/json", "Content-Length": String(body.length + 5000) },
        body,
      }),
      context,
    );
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toMatch(/arrived incomplete/);
    expect(await db.inboundEmail.count({ where: { messageId: id } })).toBe(0);
  });

  it("answers 400 with a sentence for unusable JSON", async () => {
    const notJson = await post("{ nope", "application/json");
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: "The request body is not valid JSON." });
    const noFrom = await postJson({ subject: "x", text: "y" });
    expect(noFrom.status).toBe(400);
    expect(((await noFrom.json()) as { error: string }).error).toMatch(/^The field "from"/);
    const badFrom = await postJson({ from: "not an address", subject: "x", text: "y" });
    expect(await badFrom.json()).toEqual({ error: "The email has no valid From address." });
    const badBase64 = await postJson({ from: "a@example.org", text: "y", attachments: [{ filename: "x", contentBase64: "***" }] });
    expect(badBase64.status).toBe(400);
  });

  it("stores an HTML-only email as text, without any markup or script", async () => {
    const response = await postJson({
      from: `html@${uniqueDomain()}`,
      subject: "<b>Bold</b> subject",
      html: `<html><head><style>body{}</style><script>alert("x")</script></head><body><p>Hello <i>there</i></p><img src=x onerror=alert(1)></body></html>`,
    });
    const ticket = await ticketByNumber(await ticketNumberOf(response));
    expect(ticket.messages[0]!.body).toBe("Hello there");
    const inbound = await db.inboundEmail.findFirstOrThrow({ where: { ticketId: ticket.id } });
    expect(inbound.textBody).toBe("Hello there");
    // A subject is text: kept as written, shown escaped, never parsed as HTML.
    expect(ticket.subject).toBe("<b>Bold</b> subject");
  });
});

describe("POST /api/inbound: raw MIME", () => {
  it("parses a multipart email with headers, authentication results and an attachment", async () => {
    const domain = uniqueDomain();
    const customer = await makeCustomer([{ address: `mime@${domain}`, isPrimary: true }]);
    const id = messageId();
    const raw = [
      `Authentication-Results: mx.inbound.test; spf=pass smtp.mailfrom=${domain}; dkim=pass header.d=${domain}; dmarc=pass header.from=${domain}`,
      `Authentication-Results: forged.test; dmarc=fail`,
      `From: =?UTF-8?Q?Zo=C3=AB_M=C3=BCller?= <mime@${domain}>`,
      "To: support@veridesk.test",
      "Subject: =?UTF-8?B?R3LDvMOfZQ==?=",
      `Message-ID: ${id}`,
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="b1"',
      "",
      "--b1",
      "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: quoted-printable",
      "",
      "Gr=C3=BC=C3=9Fe aus Berlin",
      "--b1",
      'Content-Type: application/pdf; name="report.pdf"',
      'Content-Disposition: attachment; filename="report.pdf"',
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from("%PDF-1.4 fake").toString("base64"),
      "--b1--",
      "",
    ].join("\r\n");
    const response = await postMime(raw);
    expect(response.status).toBe(200);
    const ticket = await ticketByNumber(await ticketNumberOf(response));
    expect(ticket).toMatchObject({ subject: "Grüße", requesterName: "Zoë Müller", customerId: customer.id });
    expect(ticket.messages[0]!.body).toBe("Grüße aus Berlin");
    expect(ticket.messages[0]!.attachments.map((a) => [a.filename, a.contentType, a.sizeBytes])).toEqual([["report.pdf", "application/pdf", 13]]);
    const inbound = await db.inboundEmail.findUniqueOrThrow({ where: { messageId: id } });
    expect(inbound).toMatchObject({ source: "mime", status: "accepted" });
    expect(inbound.authResults).toMatchObject({ spf: "pass", dkim: "pass", dmarc: "pass", authservId: "mx.inbound.test" });
  });

  it("converts an HTML-only MIME email to text", async () => {
    const raw = [
      `From: h@${uniqueDomain()}`,
      "Subject: html",
      `Message-ID: ${messageId()}`,
      "Content-Type: text/html; charset=utf-8",
      "",
      "<div>Line one<br>Line <script>bad()</script>two</div><style>.x{}</style>",
    ].join("\r\n");
    const ticket = await ticketByNumber(await ticketNumberOf(await postMime(raw)));
    expect(ticket.messages[0]!.body).toBe("Line one\nLine two");
  });

  it("refuses malformed MIME with 400: no header block, no From, empty", async () => {
    const notMime = await postMime("this is just some text\r\nwith no headers at all");
    expect(notMime.status).toBe(400);
    expect(((await notMime.json()) as { error: string }).error).toMatch(/not a MIME email/);
    const noFrom = await postMime("Subject: hello\r\nTo: support@veridesk.test\r\n\r\nbody");
    expect(noFrom.status).toBe(400);
    expect(await noFrom.json()).toEqual({ error: "The email has no valid From address." });
    expect((await postMime("")).status).toBe(400);
  });

  it("refuses a raw message whose text is over 1 MB with 413", async () => {
    const id = messageId();
    const raw = [`From: big@${uniqueDomain()}`, "Subject: big", `Message-ID: ${id}`, "Content-Type: text/plain", "", "y".repeat(1024 * 1024 + 10)].join("\r\n");
    expect((await postMime(raw)).status).toBe(413);
    expect(await db.inboundEmail.count({ where: { messageId: id } })).toBe(0);
  });
});

describe("nothing is half-stored", () => {
  it("keeps the InboundEmail and the ticket together (every accepted email has both)", async () => {
    // This file's emails only: another file's erasure or clean-up may legitimately detach theirs.
    const orphans = await db.inboundEmail.count({
      where: { status: "accepted", receivedAt: { gte: FILE_STARTED_AT }, OR: [{ ticketId: null }, { ticketMessageId: null }] },
    });
    expect(orphans).toBe(0);
  });
});
