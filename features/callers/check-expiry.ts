import { serverEnv } from "@/platform/env";

/**
 * When an identity check done at `from` stops counting. Checks (caller verification, codes read
 * back, supervisor overrides) prove one conversation for a limited time: IDENTITY_CHECK_TTL_HOURS,
 * 24 h unless configured.
 */
export function identityCheckExpiresAt(from: Date, ttlHours: number = serverEnv().IDENTITY_CHECK_TTL_HOURS): Date {
  return new Date(from.getTime() + ttlHours * 3_600_000);
}
