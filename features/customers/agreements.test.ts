import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { type AgreementDates, customerEntitlement, entitlementOf, isAgreementValid } from "@/features/customers/agreements";
import { db } from "@/platform/db/client";

/** A `date` column value as Prisma returns it: UTC midnight. */
const date = (isoDay: string) => new Date(`${isoDay}T00:00:00.000Z`);

function agreement(overrides: Partial<AgreementDates> = {}): AgreementDates {
  return { tier: "standard", startsOn: date("2026-01-01"), endsOn: date("2026-12-31"), cancelledAt: null, ...overrides };
}

describe("isAgreementValid", () => {
  it("includes both the first and the last day", () => {
    expect(isAgreementValid(agreement(), new Date("2026-01-01T00:00:00Z"))).toBe(true);
    expect(isAgreementValid(agreement(), new Date("2026-12-31T23:59:59.999Z"))).toBe(true);
  });

  it("excludes the day before the start and the day after the end", () => {
    expect(isAgreementValid(agreement(), new Date("2025-12-31T23:59:59.999Z"))).toBe(false);
    expect(isAgreementValid(agreement(), new Date("2027-01-01T00:00:00Z"))).toBe(false);
  });

  it("compares calendar dates in UTC, whatever the time of day or the offset the instant was written with", () => {
    // 00:30 on 2027-01-01 in Paris is still 2026-12-31 in UTC; 20:00 on 2026-12-31 in New York is already 2027-01-01.
    expect(isAgreementValid(agreement(), new Date("2027-01-01T00:30:00+01:00"))).toBe(true);
    expect(isAgreementValid(agreement(), new Date("2026-12-31T20:00:00-05:00"))).toBe(false);
  });

  it("is not valid from the day it was cancelled, but was valid before", () => {
    const cancelled = agreement({ cancelledAt: new Date("2026-06-15T14:30:00Z") });
    expect(isAgreementValid(cancelled, new Date("2026-06-14T23:00:00Z"))).toBe(true);
    expect(isAgreementValid(cancelled, new Date("2026-06-15T00:00:00Z"))).toBe(false);
    expect(isAgreementValid(cancelled, new Date("2026-07-01T00:00:00Z"))).toBe(false);
  });
});

describe("entitlementOf", () => {
  const today = new Date("2026-06-30T12:00:00Z");

  it("is none without agreements, or with only one that has not started yet", () => {
    expect(entitlementOf([], today)).toEqual({ status: "none" });
    expect(entitlementOf([agreement({ startsOn: date("2026-07-01"), endsOn: date("2027-06-30") })], today)).toEqual({ status: "none" });
  });

  it("prefers a valid agreement over an expired one, even of a higher tier", () => {
    const expired = agreement({ tier: "premium", startsOn: date("2025-01-01"), endsOn: date("2025-12-31") });
    const valid = agreement({ tier: "basic" });
    expect(entitlementOf([expired, valid], today)).toEqual({ status: "valid", tier: "basic", endsOn: date("2026-12-31") });
  });

  it("picks the latest-ending valid agreement when several overlap, then the higher tier", () => {
    const shorter = agreement({ tier: "premium", endsOn: date("2026-09-30") });
    const longer = agreement({ tier: "basic", endsOn: date("2027-03-31") });
    expect(entitlementOf([shorter, longer], today)).toMatchObject({ status: "valid", tier: "basic", endsOn: date("2027-03-31") });
    const sameEnd = agreement({ tier: "premium" });
    expect(entitlementOf([agreement({ tier: "basic" }), sameEnd], today)).toMatchObject({ tier: "premium" });
  });

  it("reports the most recent lapsed agreement as expired or cancelled", () => {
    const oldExpired = agreement({ tier: "basic", startsOn: date("2024-01-01"), endsOn: date("2024-12-31") });
    const recentExpired = agreement({ tier: "standard", startsOn: date("2025-01-01"), endsOn: date("2026-06-29") });
    expect(entitlementOf([oldExpired, recentExpired], today)).toEqual({ status: "expired", tier: "standard", endsOn: date("2026-06-29") });

    const cancelledAt = new Date("2026-05-02T09:00:00Z");
    const cancelled = agreement({ tier: "premium", endsOn: date("2027-04-30"), cancelledAt });
    expect(entitlementOf([recentExpired, cancelled], today)).toEqual({ status: "cancelled", tier: "premium", endsOn: date("2027-04-30"), cancelledAt });
  });

  it("lets a valid renewal win over a cancelled agreement", () => {
    const cancelled = agreement({ tier: "premium", endsOn: date("2027-04-30"), cancelledAt: new Date("2026-05-02T09:00:00Z") });
    expect(entitlementOf([cancelled, agreement({ tier: "basic" })], today)).toMatchObject({ status: "valid", tier: "basic" });
  });

  it("expires exactly the day after the end date", () => {
    const endsToday = [agreement({ endsOn: date("2026-06-30") })];
    expect(entitlementOf(endsToday, today).status).toBe("valid");
    expect(entitlementOf(endsToday, new Date("2026-07-01T00:00:00Z")).status).toBe("expired");
  });
});

describe("customerEntitlement (database)", () => {
  const accountNumber = `TEST-AGR-${randomBytes(4).toString("hex")}`;

  afterAll(async () => {
    await db.customer.deleteMany({ where: { accountNumber } });
  });

  it("reads the customer's agreements from PostgreSQL `date` columns and applies the rules", async () => {
    const customer = await db.customer.create({
      data: {
        accountNumber,
        name: "Entitlement Test",
        agreements: {
          create: [
            { reference: `${accountNumber}-OLD`, tier: "premium", startsOn: date("2025-01-01"), endsOn: date("2025-12-31") },
            { reference: `${accountNumber}-NOW`, tier: "standard", startsOn: date("2026-01-01"), endsOn: date("2026-06-30") },
          ],
        },
      },
    });
    expect(await customerEntitlement(customer.id, new Date("2026-06-30T23:59:00Z"))).toEqual({ status: "valid", tier: "standard", endsOn: date("2026-06-30") });
    expect(await customerEntitlement(customer.id, new Date("2026-07-01T00:00:00Z"))).toEqual({
      status: "expired",
      tier: "standard",
      endsOn: date("2026-06-30"),
    });
    expect(await customerEntitlement(customer.id, new Date("2024-06-01T00:00:00Z"))).toEqual({ status: "none" });
  });

  it("is none for a customer without agreements", async () => {
    const other = await db.customer.create({ data: { accountNumber: `${accountNumber}-B`, name: "No Agreement" } });
    try {
      expect(await customerEntitlement(other.id)).toEqual({ status: "none" });
    } finally {
      await db.customer.delete({ where: { id: other.id } });
    }
  });
});
