import { describe, expect, it } from "vitest";
import { isCurrentSection } from "@/ui/layout/supervisor-nav";

describe("isCurrentSection", () => {
  it("marks Escalations only on /supervisor itself, other sections on their pages and below", () => {
    expect(isCurrentSection("/supervisor", "/supervisor")).toBe(true);
    expect(isCurrentSection("/supervisor", "/supervisor/audit")).toBe(false);
    expect(isCurrentSection("/supervisor/audit", "/supervisor/audit")).toBe(true);
    expect(isCurrentSection("/supervisor/audit", "/supervisor/audit/export")).toBe(true);
    expect(isCurrentSection("/supervisor/audit", "/supervisor/auditors")).toBe(false);
  });
});
