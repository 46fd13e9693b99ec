import { describe, expect, it } from "vitest";
import { explainIdentityBadge, identityBadgeOf, type TicketIdentityFacts } from "@/features/identity/ticket-identity";

const base: TicketIdentityFacts = {
  addressStanding: "unknown",
  addressVerified: false,
  addressDeliverability: null,
  account: null,
  currentCheck: null,
  lastCheckFailed: false,
};
const strongAccount = { emailVerified: true, phoneVerified: true, twoFactor: false };

describe("identityBadgeOf", () => {
  it("is unverified for an unknown sender with nothing else", () => {
    expect(identityBadgeOf(base)).toBe("unverified");
  });

  it("is partially verified for a verified alias without a second factor", () => {
    expect(identityBadgeOf({ ...base, addressStanding: "alias", addressVerified: true })).toBe("partially_verified");
    expect(identityBadgeOf({ ...base, addressStanding: "none", account: { emailVerified: true, phoneVerified: false, twoFactor: false } })).toBe(
      "partially_verified",
    );
  });

  it("is verified for the proven primary address of an account with a verified mobile or two-factor", () => {
    expect(identityBadgeOf({ ...base, addressStanding: "primary", account: strongAccount })).toBe("verified");
    expect(
      identityBadgeOf({ ...base, addressStanding: "alias", addressVerified: true, account: { emailVerified: true, phoneVerified: false, twoFactor: true } }),
    ).toBe("verified");
  });

  it("does not trust a known address that nobody proved", () => {
    expect(identityBadgeOf({ ...base, addressStanding: "primary" })).toBe("unverified");
  });

  it("is verified after a passed or overridden check for the conversation", () => {
    expect(identityBadgeOf({ ...base, currentCheck: { outcome: "passed" } })).toBe("verified");
    expect(identityBadgeOf({ ...base, currentCheck: { outcome: "overridden" } })).toBe("verified");
  });

  it("shows a mismatch for another customer's address or a failed check, whatever else is true", () => {
    expect(identityBadgeOf({ ...base, addressStanding: "other_customer", account: strongAccount, currentCheck: { outcome: "passed" } })).toBe("mismatch");
    expect(identityBadgeOf({ ...base, addressStanding: "primary", account: strongAccount, lastCheckFailed: true })).toBe("mismatch");
  });

  it("puts a bouncing or complaining address first, since replies will not arrive", () => {
    expect(identityBadgeOf({ ...base, addressStanding: "primary", account: strongAccount, addressDeliverability: "bouncing" })).toBe("bouncing");
    expect(identityBadgeOf({ ...base, addressDeliverability: "complained" })).toBe("bouncing");
    expect(identityBadgeOf({ ...base, addressStanding: "primary", account: strongAccount, addressDeliverability: "delivering" })).toBe("verified");
  });
});

describe("explainIdentityBadge", () => {
  it("says why, in plain words", () => {
    expect(explainIdentityBadge({ ...base, addressStanding: "alias", addressDeliverability: "bouncing", account: strongAccount })).toBe(
      "Sent from one of the customer's aliases; that address is bouncing; portal email verified; mobile verified.",
    );
  });
});
