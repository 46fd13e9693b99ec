import { describe, expect, it } from "vitest";
import { replyOutcome } from "@/features/tickets/reply-outcome";

describe("replyOutcome, the composer's message after a public reply", () => {
  it("says 'emailed' only when the server queued an email, and otherwise why not", () => {
    expect(replyOutcome({ emailedTo: "kim@northwind.example", notEmailedBecause: null })).toEqual({
      tone: "success",
      text: "Reply saved and emailed to kim@northwind.example.",
    });
    expect(replyOutcome({ emailedTo: null, notEmailedBecause: "ops@intranet is not an address mail can be sent to" })).toEqual({
      tone: "warning",
      text: "Reply saved but not emailed: ops@intranet is not an address mail can be sent to.",
    });
  });
});
