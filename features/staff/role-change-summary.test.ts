import { describe, expect, it } from "vitest";
import { roleChangeConsequence } from "@/features/staff/role-change-summary";

const TAIL = "It applies on their next page load; they stay signed in.";

describe("roleChangeConsequence", () => {
  it("names what each change gives and takes away", () => {
    expect(roleChangeConsequence("agent", "supervisor")).toBe(
      `They gain the supervisor console (escalations, SLA policies, audit log, reports, unlocks). ${TAIL}`,
    );
    expect(roleChangeConsequence("supervisor", "agent")).toBe(`They lose the supervisor console. ${TAIL}`);
    expect(roleChangeConsequence("agent", "admin")).toBe(
      `They gain the supervisor console (escalations, SLA policies, audit log, reports, unlocks) and staff roles (this page). ${TAIL}`,
    );
    expect(roleChangeConsequence("supervisor", "admin")).toBe(`They gain staff roles (this page). ${TAIL}`);
    expect(roleChangeConsequence("admin", "supervisor")).toBe(`They lose staff roles (this page). ${TAIL}`);
    expect(roleChangeConsequence("admin", "agent")).toBe(`They lose the supervisor console and staff roles (this page). ${TAIL}`);
  });
});
