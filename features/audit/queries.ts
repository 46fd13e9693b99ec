import "server-only";
import { z } from "zod";
import { cleanText, isIsoDay, MAX_YEAR, MIN_YEAR } from "@/platform/text/schemas";
import { normalizeEmail } from "@/platform/email-address/email-address";
import { db, type Prisma, type Role } from "@/platform/db/client";
import { isUuid } from "@/platform/ids";

/**
 * Reading the audit log (/supervisor/audit and its CSV export): one filter schema shared by the
 * GET form, the page and the export route; keyset pages by id, newest first (ids only grow, so
 * a page never shifts when new events arrive).
 */

export const AUDIT_PAGE_SIZE = 50;
/** Rows per database round trip of the CSV export: memory stays bounded whatever the log's size. */
export const AUDIT_EXPORT_BATCH = 500;

const optionalText = (max: number) =>
  cleanText()
    .trim()
    .max(max, `At most ${max} characters.`)
    .optional()
    .transform((value) => value || undefined);

const day = z
  .string()
  .trim()
  .optional()
  .transform((value) => value || undefined)
  .refine((value) => value === undefined || isIsoDay(value), `Enter a real date as YYYY-MM-DD (years ${MIN_YEAR} to ${MAX_YEAR}).`);

/** The filter, as the URL carries it. Every field is optional; an empty field means "any". */
export const auditFilterSchema = z
  .object({
    /** An exact action ("auth.sign_in_failed") or a prefix ending with a dot ("identity."). */
    action: optionalText(100).refine(
      (value) => value === undefined || /^[a-z0-9_.]+\*?$/i.test(value),
      "Letters, digits, _ and . only (end with . for every action of a domain).",
    ),
    /** The acting person's email address or account id. */
    actor: optionalText(320),
    subjectType: optionalText(60),
    subjectId: optionalText(200),
    /** UTC days, both inclusive. */
    from: day,
    to: day,
    ip: optionalText(64),
    /** Keyset cursor: show events older than this id. */
    after: z
      .string()
      .trim()
      .optional()
      .transform((value) => value || undefined)
      .refine((value) => value === undefined || /^\d{1,19}$/.test(value), "Not a page of this log."),
  })
  .refine((filter) => !filter.from || !filter.to || filter.from <= filter.to, { message: "The end date is before the start date.", path: ["to"] });

export type AuditFilter = z.output<typeof auditFilterSchema>;
export type AuditFilterInput = z.input<typeof auditFilterSchema>;
export type AuditFilterErrors = Partial<Record<keyof AuditFilterInput, string>>;

const FILTER_KEYS = ["action", "actor", "subjectType", "subjectId", "from", "to", "ip", "after"] as const satisfies readonly (keyof AuditFilterInput)[];

/** Reads the filter from URL search params (first value of each); errors are per field, for the form. */
export function parseAuditFilter(
  params: Record<string, string | string[] | undefined> | URLSearchParams,
): { ok: true; filter: AuditFilter } | { ok: false; input: AuditFilterInput; errors: AuditFilterErrors } {
  const get = (key: string) => {
    if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
    const value = params[key];
    return Array.isArray(value) ? value[0] : value;
  };
  const input: AuditFilterInput = Object.fromEntries(FILTER_KEYS.map((key) => [key, get(key)]));
  const parsed = auditFilterSchema.safeParse(input);
  if (parsed.success) return { ok: true, filter: parsed.data };
  const errors: AuditFilterErrors = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path[0] as keyof AuditFilterInput;
    errors[key] ??= issue.message;
  }
  return { ok: false, input, errors };
}

/** The query string of a filter (without empty fields), e.g. for "Next page" and the export link. */
export function auditQueryString(filter: Partial<AuditFilter>, overrides: Partial<Record<keyof AuditFilter, string | undefined>> = {}): string {
  const merged = { ...filter, ...overrides };
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = merged[key];
    if (value) params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The filter without its page cursor: what an export or an audit entry records. */
export function filterWithoutCursor(filter: AuditFilter): Omit<AuditFilter, "after"> {
  const { after: _after, ...rest } = filter;
  return Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)) as Omit<AuditFilter, "after">;
}

/**
 * The WHERE of a filter. An actor given by email address resolves to that account's id; an
 * address no account has matches nothing (null), rather than being ignored.
 */
async function whereOf(filter: AuditFilter): Promise<Prisma.AuditEventWhereInput | null> {
  const where: Prisma.AuditEventWhereInput[] = [];
  if (filter.action) {
    const prefix = filter.action.endsWith("*") ? filter.action.slice(0, -1) : filter.action.endsWith(".") ? filter.action : null;
    where.push(prefix !== null ? { action: { startsWith: prefix } } : { action: filter.action });
  }
  if (filter.actor) {
    if (isUuid(filter.actor)) where.push({ actorUserId: filter.actor.toLowerCase() });
    else {
      const user = await db.user.findUnique({ where: { email: normalizeEmail(filter.actor) }, select: { id: true } });
      if (!user) return null;
      where.push({ actorUserId: user.id });
    }
  }
  if (filter.subjectType) where.push({ subjectType: filter.subjectType });
  if (filter.subjectId) where.push({ subjectId: filter.subjectId });
  if (filter.ip) where.push({ ip: filter.ip });
  if (filter.from) where.push({ at: { gte: new Date(`${filter.from}T00:00:00.000Z`) } });
  if (filter.to) where.push({ at: { lt: new Date(Date.parse(`${filter.to}T00:00:00.000Z`) + 86_400_000) } });
  return { AND: where };
}

export type AuditPerson = { id: string; name: string; email: string };

export type AuditRow = {
  id: bigint;
  at: Date;
  action: string;
  actorUserId: string | null;
  actorRole: Role | null;
  actor: AuditPerson | null;
  subjectType: string | null;
  subjectId: string | null;
  /** The account a User subject names, for display. */
  subjectUser: AuditPerson | null;
  ip: string | null;
  details: Prisma.JsonValue | null;
};

/** Adds the people named by id (actors and User subjects): one query per batch of rows. */
async function withPeople(events: Omit<AuditRow, "actor" | "subjectUser">[]): Promise<AuditRow[]> {
  const ids = new Set<string>();
  for (const event of events) {
    if (event.actorUserId) ids.add(event.actorUserId);
    if (event.subjectType === "User" && event.subjectId && isUuid(event.subjectId)) ids.add(event.subjectId);
  }
  const people = ids.size ? await db.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true, email: true } }) : [];
  const byId = new Map(people.map((person) => [person.id, person]));
  return events.map((event) => ({
    ...event,
    actor: event.actorUserId ? (byId.get(event.actorUserId) ?? null) : null,
    subjectUser: event.subjectType === "User" && event.subjectId ? (byId.get(event.subjectId) ?? null) : null,
  }));
}

export type AuditPage = { rows: AuditRow[]; nextCursor: string | null };

/** One page of events matching `filter`, newest first, starting after `filter.after`. */
export async function listAuditEvents(filter: AuditFilter, pageSize = AUDIT_PAGE_SIZE): Promise<AuditPage> {
  const where = await whereOf(filter);
  if (!where) return { rows: [], nextCursor: null };
  const events = await db.auditEvent.findMany({
    where: filter.after ? { AND: [where, { id: { lt: BigInt(filter.after) } }] } : where,
    orderBy: { id: "desc" },
    take: pageSize + 1,
  });
  const page = events.slice(0, pageSize);
  return { rows: await withPeople(page), nextCursor: events.length > pageSize ? page[page.length - 1]!.id.toString() : null };
}

/**
 * Every event matching `filter`, newest first, in batches of AUDIT_EXPORT_BATCH (keyset, so each
 * batch is one index range scan). Only events up to `upToId` are read: an export is a snapshot of
 * the log when it started, and ends even while new events keep arriving.
 */
export async function* auditEventBatches(filter: AuditFilter, upToId: bigint, batchSize = AUDIT_EXPORT_BATCH): AsyncGenerator<AuditRow[]> {
  const where = await whereOf(filter);
  if (!where) return;
  let below = upToId + 1n;
  for (;;) {
    const events = await db.auditEvent.findMany({ where: { AND: [where, { id: { lt: below } }] }, orderBy: { id: "desc" }, take: batchSize });
    if (events.length === 0) return;
    yield await withPeople(events);
    if (events.length < batchSize) return;
    below = events[events.length - 1]!.id;
  }
}

/** The newest event id now (0 for an empty log): the upper bound of an export snapshot. */
export async function latestAuditEventId(): Promise<bigint> {
  const latest = await db.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
  return latest?.id ?? 0n;
}

export const AUDIT_CSV_HEADER = [
  "id",
  "time_utc",
  "action",
  "actor_email",
  "actor_name",
  "actor_role",
  "actor_id",
  "subject_type",
  "subject_id",
  "ip",
  "details",
] as const;

/** The CSV values of one row, in AUDIT_CSV_HEADER order. */
export function auditCsvValues(row: AuditRow): (string | bigint | null)[] {
  return [
    row.id,
    row.at.toISOString(),
    row.action,
    row.actor?.email ?? null,
    row.actor?.name ?? null,
    row.actorRole,
    row.actorUserId,
    row.subjectType,
    row.subjectId,
    row.ip,
    row.details === null ? null : JSON.stringify(row.details),
  ];
}
