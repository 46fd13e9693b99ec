import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "@/platform/auth/sessions";
import { db } from "@/platform/db/client";
import { addInternalNote, replyAsAgent } from "@/features/tickets/desk";
import { stripQuotedReply } from "@/features/tickets/inbound/quoted-reply";
import {
  agentSenderName,
  emailTime,
  MAX_QUOTED_CHARACTERS,
  MAX_QUOTED_MESSAGES,
  MAX_SENDER_NAME_LENGTH,
  renderReplyEmail,
  type ReplyEmailInput,
} from "@/features/tickets/reply-email/reply-email";
import { REPLY_MARKER } from "@/features/tickets/reply-marker";
import { isWellFormed } from "@/platform/text/schemas";

const at = (iso: string) => new Date(iso);

function input(overrides: Partial<ReplyEmailInput> = {}): ReplyEmailInput {
  return {
    ticketNumber: 1001,
    subject: "Printer on fire",
    agentName: "Dana",
    teamName: "Veridesk Support",
    body: "Could you switch it off?\nThen tell us what the display says.",
    sentAt: at("2026-12-01T09:00:00Z"),
    earlier: [
      { authorName: "Zoë Müller", createdAt: at("2026-11-30T16:45:00Z"), body: "It shows E-42." },
      { authorName: "Zoë Müller", createdAt: at("2026-12-01T08:10:00Z"), body: "Now it beeps too." },
      { authorName: "Sam (Veridesk Support)", createdAt: at("2026-11-30T17:00:00Z"), body: "Which model?" },
    ],
    ...overrides,
  };
}

describe("renderReplyEmail", () => {
  it("starts with the reply marker, names the agent and the request, and keeps line breaks (HTML and text)", async () => {
    const { html, text } = await renderReplyEmail(input());
    expect(text.split("\n")[0]).toBe(REPLY_MARKER);
    expect(text).toContain("Dana (Veridesk Support) replied to your request VD-1001: Printer on fire");
    expect(text).toContain("Dana (Veridesk Support) · Tue, 1 Dec 2026, 09:00 UTC\n\nCould you switch it off?\nThen tell us what the display says.");
    expect(html).toContain(REPLY_MARKER);
    // (The hidden preview line at the very top holds the body too; the visible body comes after the marker.)
    expect(html.indexOf(REPLY_MARKER)).toBeLessThan(html.indexOf("Could you switch it off?<br"));
    expect(html).toMatch(/Could you switch it off\?<br\s*\/?>Then tell us what the display says\./);
    expect(html).toContain("VD-1001");
  });

  it("quotes the earlier messages newest first, with author and time in UTC", async () => {
    const { html, text } = await renderReplyEmail(input());
    const order = ["Now it beeps too.", "Which model?", "It shows E-42."];
    const inText = order.map((body) => text.indexOf(`> ${body}`));
    expect(inText.every((index) => index > text.indexOf("Then tell us"))).toBe(true);
    expect([...inText].sort((a, b) => a - b)).toEqual(inText);
    expect(text).toContain("Zoë Müller · Tue, 1 Dec 2026, 08:10 UTC\n> Now it beeps too.");
    expect(text).toContain("Sam (Veridesk Support) · Mon, 30 Nov 2026, 17:00 UTC\n> Which model?");
    const inHtml = order.map((body) => html.indexOf(body));
    expect([...inHtml].sort((a, b) => a - b)).toEqual(inHtml);
    expect(html).toContain("Mon, 30 Nov 2026, 16:45 UTC");
  });

  it("shows times in a given zone with its name", () => {
    expect(emailTime(at("2026-12-01T09:05:00Z"))).toBe("Tue, 1 Dec 2026, 09:05 UTC");
    expect(emailTime(at("2026-12-01T09:05:00Z"), "Europe/Berlin")).toBe("Tue, 1 Dec 2026, 10:05 CET");
  });

  it("escapes everything: bodies, names and the subject are text, never markup", async () => {
    const hostile = '<script>alert(1)</script> & <img src=x onerror="alert(2)">';
    const { html, text } = await renderReplyEmail(
      input({
        body: hostile,
        subject: `<b>${hostile}</b>`,
        agentName: "<i>Dana</i>",
        earlier: [{ authorName: "<u>Eve</u>", createdAt: at("2026-11-30T10:00:00Z"), body: hostile }],
      }),
    );
    expect(html).not.toMatch(/<script|<img|<i>|<u>|<b>&lt;/);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img");
    expect(text).toContain(hostile);
  });

  it("quotes at most MAX_QUOTED_MESSAGES, says how many more there are, and cuts very long ones", async () => {
    const earlier = Array.from({ length: MAX_QUOTED_MESSAGES + 2 }, (_, i) => ({
      authorName: "Zoë",
      createdAt: new Date(Date.UTC(2026, 10, 1, 0, i)),
      body: i === MAX_QUOTED_MESSAGES + 1 ? `${"x".repeat(MAX_QUOTED_CHARACTERS)}TAIL` : `message ${i}`,
    }));
    const { html, text } = await renderReplyEmail(input({ earlier, earlierCount: 30 }));
    expect(text).not.toContain("message 0\n");
    expect(text).not.toContain("message 1\n");
    expect(text).toContain("> message 2\n");
    expect(text).not.toContain("TAIL");
    expect(text).toContain("x […]");
    expect(text).toContain("(10 older messages are on the request.)");
    expect(html).toContain("10 older messages are on the request.");
  });

  it("with no earlier messages, has no history section", async () => {
    const { html, text } = await renderReplyEmail(input({ earlier: [] }));
    expect(text).not.toContain("Earlier in this conversation");
    expect(html).not.toContain("Earlier in this conversation");
  });

  it("a customer's answer typed above it, quoted the way a mail program does, strips back to the answer", async () => {
    const { text } = await renderReplyEmail(input());
    const quoted = text
      .split("\n")
      .map((line) => `> ${line}`)
      .join("\n");
    expect(stripQuotedReply(`Fixed, thanks.\n\n${quoted}`).text).toBe("Fixed, thanks.");
  });
});

async function agent(name: string): Promise<Actor> {
  const email = `${randomUUID()}@veridesk.test`;
  const user = await db.user.create({ data: { email, name, role: "agent" } });
  return { sessionId: randomUUID(), userId: user.id, role: "agent", name, email, customerId: null };
}

describe("an agent's reply email", () => {
  it("goes out as HTML and text from the agent's name, quotes only public messages, and threads with the ticket's emails", async () => {
    const dana = await agent("Dana");
    const sam = await agent("Sam");
    const ticket = await db.ticket.create({
      data: { subject: "Printer on fire", channel: "email", requesterAddress: "zoe@northwind.example", requesterName: "Zoë Müller" },
    });
    const firstEmail = `<first-${randomUUID()}@northwind.example>`;
    await db.ticketMessage.create({
      data: {
        ticketId: ticket.id,
        kind: "public_reply",
        authorAddress: "zoe@northwind.example",
        body: "It shows E-42.",
        emailMessageId: firstEmail,
        createdAt: at("2026-11-30T16:45:00Z"),
      },
    });
    const samsReply = await replyAsAgent(sam, { ticketId: ticket.id, body: "Which model?" });
    await addInternalNote(sam, { ticketId: ticket.id, body: "SECRET: customer is on the old contract" });
    const secondEmail = `<second-${randomUUID()}@northwind.example>`;
    await db.ticketMessage.create({
      data: { ticketId: ticket.id, kind: "public_reply", authorAddress: "zoe@northwind.example", body: "LaserJet 4.", emailMessageId: secondEmail },
    });

    const reply = await replyAsAgent(dana, { ticketId: ticket.id, body: "Please switch it off.\nThen on again." });
    const message = await db.ticketMessage.findUniqueOrThrow({ where: { id: reply.messageId }, include: { outbox: true } });
    const sams = await db.ticketMessage.findUniqueOrThrow({ where: { id: samsReply.messageId } });
    const outbox = message.outbox!;

    expect(outbox.senderName).toBe("Dana from Veridesk Support");
    expect(outbox.subject).toBe(`Re: [VD-${ticket.number}] Printer on fire`);
    expect(outbox.textBody!.startsWith(`${REPLY_MARKER}\n`)).toBe(true);
    expect(outbox.textBody).toContain("Please switch it off.\nThen on again.");
    expect(outbox.htmlBody).toMatch(/Please switch it off\.<br\s*\/?>Then on again\./);
    for (const body of [outbox.textBody!, outbox.htmlBody!]) {
      expect(body).not.toContain("SECRET");
      expect(body.indexOf("LaserJet 4.")).toBeLessThan(body.indexOf("Which model?"));
      expect(body.indexOf("Which model?")).toBeLessThan(body.indexOf("It shows E-42."));
      expect(body).toContain("Sam (Veridesk Support)");
      expect(body).toContain("Zoë Müller");
      expect(body).toContain("Mon, 30 Nov 2026, 16:45 UTC");
    }
    expect(outbox.headers).toEqual({
      "Message-ID": message.emailMessageId,
      "In-Reply-To": secondEmail,
      References: `${firstEmail} ${sams.emailMessageId} ${secondEmail}`,
    });
    expect(message.emailMessageId).toMatch(new RegExp(`^<vd-ticket-${ticket.number}\\.`));
  });
});

describe("agentSenderName", () => {
  it(`stays within the outbox's ${MAX_SENDER_NAME_LENGTH} characters, shortening the agent's name first so the team stays`, () => {
    const long = agentSenderName("Maximiliane ".repeat(40), "Veridesk Support");
    expect(long.length).toBeLessThanOrEqual(MAX_SENDER_NAME_LENGTH);
    expect(long).toMatch(/^Maximiliane Maximiliane .*… from Veridesk Support$/);
    // Never half an emoji (a lone surrogate the database and mail headers refuse).
    const emoji = agentSenderName("😀".repeat(150), "Veridesk Support");
    expect(emoji.length).toBeLessThanOrEqual(MAX_SENDER_NAME_LENGTH);
    expect(isWellFormed(emoji)).toBe(true);
    // A team name that leaves no room for the agent is the whole name, shortened.
    const team = agentSenderName("Dana", "Support ".repeat(40));
    expect(team.length).toBeLessThanOrEqual(MAX_SENDER_NAME_LENGTH);
    expect(team.startsWith("Support Support")).toBe(true);
    expect(agentSenderName("  Dana\n Lee ", "Veridesk Support")).toBe("Dana Lee from Veridesk Support");
  });

  it("lets an agent with a very long name reply (the outbox accepts the sender name)", async () => {
    const longName = `Dana ${"Alexandrina-Konstantinopoulou ".repeat(10)}`.trim();
    const agentWithLongName = await agent(longName);
    const ticket = await db.ticket.create({ data: { subject: "Printer on fire", channel: "email", requesterAddress: "zoe@northwind.example" } });
    const reply = await replyAsAgent(agentWithLongName, { ticketId: ticket.id, body: "Please switch it off." });
    const message = await db.ticketMessage.findUniqueOrThrow({ where: { id: reply.messageId }, include: { outbox: true } });
    expect(message.outbox!.senderName!.length).toBeLessThanOrEqual(MAX_SENDER_NAME_LENGTH);
    expect(message.outbox!.senderName).toMatch(/^Dana Alexandrina-Konstantinopoulou .*… from Veridesk Support$/);
  });
});
