import { describe, expect, it } from "vitest";
import { currentLink } from "@/ui/layout/main-nav";

describe("currentLink", () => {
  const hrefs = ["/console", "/console/customers", "/supervisor", "/dev/mailbox"];
  it("marks the longest link that is the path or a parent of it", () => {
    expect(currentLink(hrefs, "/console")).toBe("/console");
    expect(currentLink(hrefs, "/console/tickets/01a227bf-0e12-775d-8455-c1abadf34b31")).toBe("/console");
    expect(currentLink(hrefs, "/console/customers/01a227bf-0e12-775d-8455-c1abadf34b31")).toBe("/console/customers");
    expect(currentLink(hrefs, "/supervisor/audit")).toBe("/supervisor");
  });
  it("marks nothing outside the links, nor a mere prefix of a word", () => {
    expect(currentLink(hrefs, "/account/security")).toBeUndefined();
    expect(currentLink(hrefs, "/consoles")).toBeUndefined();
  });
});
