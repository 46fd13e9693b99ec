import { Prisma } from "@/platform/db/client";

/**
 * Whether a database error is a unique-constraint violation (Prisma P2002): a row with that
 * key already exists, typically because a concurrent request inserted it first. The one copy;
 * callers decide what that means (a conflict to report, or "already done" to answer idempotently).
 */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
