import { describe, expect, it } from "vitest";
import { type AccessFacts, portalAccessOf } from "@/features/portal/access";

const customer = { id: "c1", name: "Maya Patel", organisationName: "Northwind Traders", accountNumber: "ACC-10001" };
const facts = (overrides: Partial<AccessFacts>): AccessFacts => ({
  emailVerifiedAt: new Date(),
  phoneE164: null,
  phoneVerifiedAt: null,
  matchStatus: "matched",
  customer,
  entitlement: { status: "valid", tier: "premium", endsOn: new Date("2099-01-01") },
  ...overrides,
});

describe("portalAccessOf", () => {
  it("gives full support and Downloads to a verified customer with a valid agreement", () => {
    expect(portalAccessOf(facts({}))).toMatchObject({ support: "full", ticketsAllowed: true, downloads: { allowed: true } });
  });

  it("allows tickets but marks them not entitled, and refuses Downloads with the reason, without a valid agreement", () => {
    const expired = portalAccessOf(facts({ entitlement: { status: "expired", tier: "standard", endsOn: new Date("2026-01-31") } }));
    expect(expired).toMatchObject({ support: "not_entitled", ticketsAllowed: true, downloads: { allowed: false } });
    expect(expired.downloads).toEqual({ allowed: false, reason: expect.stringContaining("Northwind Traders's support agreement expired on 2026-01-31") });
    const cancelled = portalAccessOf(facts({ entitlement: { status: "cancelled", cancelledAt: new Date("2026-02-01"), endsOn: new Date("2026-12-31") } }));
    expect(cancelled.downloads).toEqual({ allowed: false, reason: expect.stringContaining("was cancelled on 2026-02-01") });
    const none = portalAccessOf(facts({ entitlement: { status: "none" } }));
    expect(none.downloads).toEqual({ allowed: false, reason: expect.stringContaining("has no support agreement") });
  });

  it("refuses Downloads while the account awaits a match", () => {
    const awaiting = portalAccessOf(facts({ matchStatus: "awaiting_match", customer: null, entitlement: null }));
    expect(awaiting).toMatchObject({ support: "not_entitled", ticketsAllowed: true });
    expect(awaiting.downloads).toEqual({ allowed: false, reason: expect.stringContaining("not linked to a customer record yet") });
  });

  it("allows no tickets and no Downloads until the email is verified, whatever the customer's agreement", () => {
    const unverified = portalAccessOf(facts({ emailVerifiedAt: null }));
    expect(unverified).toMatchObject({ emailVerified: false, support: "unverified", ticketsAllowed: false });
    expect(unverified.downloads).toEqual({ allowed: false, reason: expect.stringContaining("Verify your email address first") });
  });
});
