import { describe, expect, it } from "vitest";
import { isAutoReply } from "@/features/tickets/inbound/auto-reply";

describe("isAutoReply", () => {
  it.each([
    [["Auto-Submitted", "auto-replied"]],
    [["auto-submitted", " Auto-Generated "]],
    [["Auto-Submitted", "auto-replied (vacation)"]],
    [["X-Autoreply", "yes"]],
    [["X-Autorespond", "Out of office"]],
    [["Precedence", "auto_reply"]],
  ] as const)("recognises %j", (header) => {
    expect(isAutoReply([["Subject", "Re: hello"], header])).toBe(true);
  });

  it.each([
    [["Auto-Submitted", "no"]],
    [["Auto-Submitted", "No (person typed this)"]],
    [["Precedence", "bulk"]],
    [["Subject", "Out of office until Monday? No, I am here: the printer is broken"]],
    [["X-Autoreply", ""]],
  ] as const)("leaves a person's email alone: %j", (header) => {
    expect(isAutoReply([header])).toBe(false);
  });

  it("is false without headers", () => {
    expect(isAutoReply([])).toBe(false);
  });
});
