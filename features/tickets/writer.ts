import type { Role } from "@/platform/db/client";

/**
 * Who writes to a ticket as staff: a signed-in agent (an Actor fits), or a REST API token, which
 * is nobody — no user id, so its messages have no author account and its audit events name the
 * token (`apiTokenId`) instead of a person. Its name signs what it sends.
 */
export interface StaffWriter {
  userId: string | null;
  role: Role | null;
  name: string;
  apiTokenId?: string;
}

/** The audit log's actor for a writer (null for a token: the token is named in the details). */
export function auditActorOf(writer: Pick<StaffWriter, "userId" | "role">): { userId: string; role: Role } | null {
  return writer.userId && writer.role ? { userId: writer.userId, role: writer.role } : null;
}

/** What the audit details add for a token's writes, so every one is attributable to it. */
export function auditViaOf(writer: Pick<StaffWriter, "apiTokenId">): { apiTokenId: string } | Record<string, never> {
  return writer.apiTokenId ? { apiTokenId: writer.apiTokenId } : {};
}

/**
 * Who changes a customer's record or agreements: a signed-in staff member, or a REST API token
 * (no user id; its scope, checked by apiRoute, is its authorization; the audit names it).
 */
export type RecordWriter = Pick<StaffWriter, "userId" | "role" | "apiTokenId">;
