import { describe, expect, it } from "vitest";
import {
  messageIdHostFrom,
  newTicketMessageId,
  normalizeMessageId,
  parseMessageIdList,
  replySubject,
  replyThreadHeaders,
  tagSubject,
  ticketNumberFromMessageId,
  ticketNumberFromSubject,
  ticketReferenceFrom,
  ticketSubjectTag,
} from "@/features/tickets/email-threading";

describe("subject tags", () => {
  it("adds the tag once, after any Re:/Fwd: prefixes", () => {
    expect(ticketSubjectTag(1001)).toBe("[VD-1001]");
    expect(tagSubject("Printer on fire", 1001)).toBe("[VD-1001] Printer on fire");
    expect(tagSubject("[VD-1001] Printer on fire", 1001)).toBe("[VD-1001] Printer on fire");
    expect(tagSubject("Re: Printer on fire [vd-1001]", 1001)).toBe("Re: Printer on fire [vd-1001]");
    expect(tagSubject("RE: Fwd: Printer", 1001)).toBe("RE: Fwd: [VD-1001] Printer");
    expect(tagSubject("Printer\r\n on fire", 7)).toBe("[VD-7] Printer on fire");
    // A different ticket's tag is not ours.
    expect(tagSubject("[VD-999] Printer", 1001)).toBe("[VD-1001] [VD-999] Printer");
  });

  it("builds a reply subject with exactly one Re:", () => {
    expect(replySubject("Printer on fire", 1001)).toBe("Re: [VD-1001] Printer on fire");
    expect(replySubject("Re: RE: [VD-1001] Printer on fire", 1001)).toBe("Re: [VD-1001] Printer on fire");
    expect(replySubject("", 5)).toBe("Re: [VD-5] (no subject)");
  });

  it("reads the ticket number from a subject tag", () => {
    expect(ticketNumberFromSubject("Re: [VD-1234] Help")).toBe(1234);
    expect(ticketNumberFromSubject("Re: [ vd-77 ] Help")).toBe(77);
    expect(ticketNumberFromSubject("VD-1234 without brackets")).toBeNull();
    expect(ticketNumberFromSubject("[VD-0]")).toBeNull();
    expect(ticketNumberFromSubject(null)).toBeNull();
  });
});

describe("Message-IDs", () => {
  it("generates unique RFC 5322 ids that carry the ticket number", () => {
    const a = newTicketMessageId(1001, "example.com");
    const b = newTicketMessageId(1001, "example.com");
    expect(a).toMatch(/^<vd-ticket-1001\.[a-z0-9]+\.[0-9a-f]{16}@example\.com>$/);
    expect(a).not.toBe(b);
    expect(ticketNumberFromMessageId(a)).toBe(1001);
    expect(ticketNumberFromMessageId("<CAF=abc@mail.gmail.com>")).toBeNull();
    expect(() => newTicketMessageId(1, "bad host>")).toThrow();
  });

  it("takes the host from the sender address", () => {
    expect(messageIdHostFrom("Veridesk Support <support@Help.Example.com>")).toBe("help.example.com");
    expect(messageIdHostFrom("support@example.org")).toBe("example.org");
    expect(messageIdHostFrom("nonsense")).toBe("veridesk.localhost");
  });

  it("parses In-Reply-To / References values tolerantly", () => {
    expect(parseMessageIdList("<a@x.com> <b@y.com>\r\n <c@z.com>")).toEqual(["<a@x.com>", "<b@y.com>", "<c@z.com>"]);
    expect(parseMessageIdList("<a@x.com> (a comment <fake@x.com>) <a@x.com>")).toEqual(["<a@x.com>"]);
    expect(parseMessageIdList("bare@example.com")).toEqual(["<bare@example.com>"]);
    expect(parseMessageIdList(["<a@x.com>", "<b@x.com>"])).toEqual(["<a@x.com>", "<b@x.com>"]);
    expect(parseMessageIdList("no ids here")).toEqual([]);
    expect(normalizeMessageId("  <A@x.com>  ")).toBe("<A@x.com>");
    expect(normalizeMessageId(null)).toBeNull();
  });

  it("builds In-Reply-To and a trimmed References for a reply", () => {
    expect(replyThreadHeaders([])).toEqual({});
    expect(replyThreadHeaders(["<1@x>", "<2@x>"])).toEqual({ "In-Reply-To": "<2@x>", References: "<1@x> <2@x>" });
    const many = Array.from({ length: 30 }, (_, i) => `<m${i}@x>`);
    const headers = replyThreadHeaders(many);
    const refs = headers.References!.split(" ");
    expect(refs).toHaveLength(20);
    expect(refs[0]).toBe("<m0@x>");
    expect(refs.at(-1)).toBe("<m29@x>");
    expect(headers["In-Reply-To"]).toBe("<m29@x>");
  });
});

describe("ticketReferenceFrom", () => {
  it("prefers our Message-ID in In-Reply-To, then References (latest first), then the subject tag", () => {
    const ours = newTicketMessageId(42, "example.com");
    expect(ticketReferenceFrom({ subject: "Re: [VD-7] x", inReplyTo: ours })).toEqual({ ticketNumber: 42, via: "message_id" });
    expect(ticketReferenceFrom({ subject: "x", references: `<vd-ticket-1.a.b@example.com> ${newTicketMessageId(2, "example.com")}` })).toEqual({
      ticketNumber: 2,
      via: "message_id",
    });
    expect(ticketReferenceFrom({ subject: "Re: [VD-7] x", inReplyTo: "<other@gmail.com>" })).toEqual({ ticketNumber: 7, via: "subject" });
    expect(ticketReferenceFrom({ subject: "Hello" })).toBeNull();
  });
});
