import { Prisma } from "@/platform/db/client";

/**
 * Whether a database error is a unique-constraint violation (Prisma P2002): a row with that
 * key already exists, typically because a concurrent request inserted it first. The one copy;
 * callers decide what that means (a conflict to report, or "already done" to answer idempotently).
 */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** Database errors that mean "try again" rather than "this is wrong": a timeout or a lost race. */
export function isRetryableDatabaseError(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const { code, message } = current as { code?: unknown; message?: unknown };
    // Prisma: P2028 transaction API error (timed out / expired / maxWait), P2034 write conflict or deadlock, P1008 operation timeout.
    if (code === "P2028" || code === "P2034" || code === "P1008") return true;
    // PostgreSQL: serialization failure, deadlock, statement timeout / query canceled, lock timeout.
    if (code === "40001" || code === "40P01" || code === "57014" || code === "55P03") return true;
    if (
      typeof message === "string" &&
      /Transaction (already closed|API error)|expired transaction|Unable to start a transaction in the given time|statement timeout|canceling statement due to/i.test(
        message,
      )
    )
      return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
