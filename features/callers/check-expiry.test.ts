import { describe, expect, it } from "vitest";
import { parseServerEnv } from "@/platform/env";
import { identityCheckExpiresAt } from "@/features/callers/check-expiry";

describe("identityCheckExpiresAt", () => {
  const from = new Date("2026-11-29T10:42:00Z");

  it("adds the configured number of hours", () => {
    expect(identityCheckExpiresAt(from, 24).toISOString()).toBe("2026-11-30T10:42:00.000Z");
    expect(identityCheckExpiresAt(from, 1).toISOString()).toBe("2026-11-29T11:42:00.000Z");
  });

  it("defaults to 24 hours and refuses nonsense", () => {
    const base = { VERIDESK_DEMO: "1", NEXTAUTH_SECRET: "x".repeat(40) };
    expect(parseServerEnv(base).IDENTITY_CHECK_TTL_HOURS).toBe(24);
    expect(parseServerEnv({ ...base, IDENTITY_CHECK_TTL_HOURS: "8" }).IDENTITY_CHECK_TTL_HOURS).toBe(8);
    expect(() => parseServerEnv({ ...base, IDENTITY_CHECK_TTL_HOURS: "0" })).toThrow(/IDENTITY_CHECK_TTL_HOURS/);
  });
});
