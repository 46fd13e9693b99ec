import { describe, expect, it } from "vitest";
import { escalateTicketSchema, escalationQueueFilterSchema, overrideIdentityCheckSchema } from "@/features/escalations/schemas";

describe("the queue filter in the URL", () => {
  it("accepts the three filters and falls back to all open for anything else", () => {
    expect(escalationQueueFilterSchema.parse("unclaimed")).toBe("unclaimed");
    expect(escalationQueueFilterSchema.parse("mine")).toBe("mine");
    expect(escalationQueueFilterSchema.parse(undefined)).toBe("open");
    expect(escalationQueueFilterSchema.parse(["mine", "unclaimed"])).toBe("open");
    expect(escalationQueueFilterSchema.parse("<script>")).toBe("open");
  });
});

describe("escalateTicketSchema", () => {
  it("trims the note and names the problem", () => {
    const ticketId = "01a227a2-173c-75ad-b023-db5fd73b73dc";
    expect(escalateTicketSchema.parse({ ticketId, reason: "technical", note: "  Broken  " }).note).toBe("Broken");
    const empty = escalateTicketSchema.safeParse({ ticketId, reason: "technical", note: " " });
    expect(empty.success ? null : empty.error.issues.map((issue) => issue.message)).toEqual(["Say why you are escalating"]);
    const wrongReason = escalateTicketSchema.safeParse({ ticketId, reason: "sla_breached", note: "x" });
    expect(wrongReason.success ? null : wrongReason.error.issues[0]?.message).toBe("Choose why you are escalating.");
  });
});

describe("overrideIdentityCheckSchema", () => {
  it("asks for a reason, then for a longer one: one message each time", () => {
    const ticketId = "01a227a2-173c-75ad-b023-db5fd73b73dc";
    const messages = (reason: string) => {
      const parsed = overrideIdentityCheckSchema.safeParse({ ticketId, reason });
      return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
    };
    expect(messages("")).toEqual(["Explain why you are overriding the identity check"]);
    expect(messages("  ok  ")).toEqual(["Explain why you are overriding the identity check (at least 10 characters)."]);
    expect(messages("Known caller, confirmed invoices.")).toEqual([]);
    expect(messages("x".repeat(2001))).toEqual(["Keep it under 2,000 characters."]);
  });
});
