import { describe, expect, it } from "vitest";
import { isCurrentSection } from "@/ui/layout/section-nav";

describe("isCurrentSection", () => {
  it("marks Escalations only on /supervisor itself, other sections on their pages and below", () => {
    expect(isCurrentSection("/supervisor", "/supervisor", "/supervisor")).toBe(true);
    expect(isCurrentSection("/supervisor", "/supervisor/audit", "/supervisor")).toBe(false);
    expect(isCurrentSection("/supervisor/audit", "/supervisor/audit", "/supervisor")).toBe(true);
    expect(isCurrentSection("/supervisor/audit", "/supervisor/audit/export", "/supervisor")).toBe(true);
    expect(isCurrentSection("/supervisor/audit", "/supervisor/auditors", "/supervisor")).toBe(false);
  });
});
