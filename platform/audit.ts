import { db, type Prisma, type Role } from "@/platform/db/client";

/** Audit actions, named `domain.event`. Values compared in identity checks are never recorded. */
export type AuditAction = "auth.sign_in" | "auth.sign_in_failed" | "auth.sign_out" | "auth.access_denied" | "user.role_changed" | (string & {});

export interface AuditEntry {
  action: AuditAction;
  actor?: { userId: string; role: Role } | null;
  subjectType?: string;
  subjectId?: string;
  ip?: string | null;
  details?: Prisma.InputJsonObject;
}

type Writer = Pick<Prisma.TransactionClient, "auditEvent">;

/** Appends one event; pass a transaction client to record it atomically with the change it describes. */
export async function recordAudit(entry: AuditEntry, writer: Writer = db): Promise<void> {
  await writer.auditEvent.create({
    data: {
      action: entry.action,
      actorUserId: entry.actor?.userId ?? null,
      actorRole: entry.actor?.role ?? null,
      subjectType: entry.subjectType ?? null,
      subjectId: entry.subjectId ?? null,
      ip: entry.ip ?? null,
      details: entry.details ?? undefined,
    },
  });
}

/** Appends many events in one statement (a batch job's); same rules as recordAudit. */
export async function recordAudits(entries: AuditEntry[], writer: Writer = db): Promise<void> {
  if (entries.length === 0) return;
  await writer.auditEvent.createMany({
    data: entries.map((entry) => ({
      action: entry.action,
      actorUserId: entry.actor?.userId ?? null,
      actorRole: entry.actor?.role ?? null,
      subjectType: entry.subjectType ?? null,
      subjectId: entry.subjectId ?? null,
      ip: entry.ip ?? null,
      details: entry.details ?? undefined,
    })),
  });
}
