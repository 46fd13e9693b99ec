import { Prisma, db } from "@/platform/db/client";
import { isIsoInstant } from "@/platform/text/schemas";
import type { AgreementTier, SatisfactionRating, TicketChannel, TicketPriority, TicketStatus } from "@/platform/db/generated/prisma/enums";
import { type IdentityBadge, type TicketIdentityFacts, identityBadgeOf } from "@/features/identity/ticket-identity";
import { type PlanChoice, queryPrepared } from "@/platform/db/prepared";
import { type FactColumns, entitlementJoinSql, factColumnsSql, factsFromColumns, identityBadgeSql, identityJoinsSql } from "@/features/identity/identity-sql";
import { type QueueFilter, type QueueSort, TICKET_PRIORITIES, TICKET_STATUSES, statusesOf } from "@/features/tickets/queue/schemas";
import { isUuid } from "@/platform/ids";

/**
 * The agent queue (/console): one page of tickets for a filter, keyset pagination, and counts.
 *
 * How it stays fast on a million tickets with only the schema's indexes (measured figures and
 * EXPLAIN ANALYZE highlights: README.md, "Performance"; `npm run bench:queue`):
 *
 * 1. A page is an index-ordered scan that stops early. Each sort maps onto an index:
 *      updated (lastActivityAt desc) → Ticket(lastActivityAt); with an assignee filter,
 *                                      Ticket(assigneeId, status, lastActivityAt) per status;
 *      oldest / newest (createdAt)   → Ticket(status, priority, createdAt), per (status, priority);
 *      priority (desc, then oldest)  → the same index, one priority level after the other.
 *    An index is ordered by its last column only within one value of the leading ones, and
 *    PostgreSQL 15 has no skip scan, so the query is a UNION ALL of one sorted branch per such
 *    value (`ORDER BY … FETCH FIRST n ROWS WITH TIES`), which the planner merges with a lazy
 *    Merge Append: a page reads about (page size + branches) index entries, whatever the table size.
 * 2. A search drives the plan by its selectivity. Ordered scans that filter on `@@` are ideal for
 *    common words and catastrophic for rare ones (the planner's tsvector estimates for words
 *    outside the most-common list are far too high: left to itself it scanned 275,000 rows of a
 *    million for 70 hits). So the search's hits are sized first (isSelectiveSearch): up to
 *    SELECTIVE_SEARCH_ROWS hits, the GIN index "Ticket_searchVector_idx" collects them (behind an
 *    OFFSET 0 fence) and they are sorted; with more, the ordered scan finds a page of hits within
 *    a few thousand rows.
 * 3. The identity badge and the entitlement are derived from other tables (features/identity/identity-sql.ts),
 *    so no index can narrow them (that would need a stored, maintained column; the schema has
 *    none). They are applied to the ordered candidate stream as lateral probes of unique or
 *    leading-column indexes, stopping at the first page-full of matches: the work is page size
 *    divided by the share of matching tickets, independent of the table size. For very rare
 *    combinations a page examines at most DERIVED_WINDOW × DERIVED_ROUNDS candidates and then
 *    returns what it found with a cursor that continues the scan (`scanLimited`).
 * 4. Counts are capped. Status with priority or assignee (one index): exact per status up to
 *    COUNT_CAP, from index-only scans. Anything else (channel, search, identity, entitlement, or
 *    priority and assignee together): the matches among at most COUNT_BUDGET candidates, shown
 *    as "at least N" when there were more candidates. Counts ride in the page's statement and are
 *    kept COUNT_TTL_MS per filter (they are approximate anyway; the rows are always fresh).
 * 5. Keyset pagination: the cursor is the sort key of the last row plus its id (ties broken by
 *    id), so pages stay stable under concurrent inserts: nothing shifts, nothing shows twice.
 *    A large group of tickets with the very same timestamp (a bulk import) has to be read whole
 *    to be ordered by id: no index orders (time, id).
 * 6. One statement per page (rows and counts as two JSON values): decoding ~30 columns × 26 rows
 *    value by value cost more CPU in the driver than the query itself. Planning is the other
 *    big cost (~0.15 ms per UNION branch, ~1 ms for the facts joins), so statements are prepared
 *    and keep one generic plan (planOf; platform/db/prepared.ts); see the README.
 *
 * Every value reaches SQL as a bind parameter (Prisma.sql); the literal integers written into the
 * SQL text are this module's own constants.
 */

export const QUEUE_PAGE_SIZE = 25;
export const COUNT_CAP = 1000;
/** Candidates examined per round when filtering on derived facts, and rounds per page. */
export const DERIVED_WINDOW = 1000;
export const DERIVED_ROUNDS = 3;
/** Candidates examined by a count that cannot be answered from an index. */
export const COUNT_BUDGET = { plain: 500, derived: 300 } as const;
/** Up to this many hits, a search is answered from the GIN index rather than by an ordered scan. */
export const SELECTIVE_SEARCH_ROWS = 2000;
/** A planner estimate above this means a common word (see isSelectiveSearch). */
const COMMON_SEARCH_ESTIMATE = 20_000;

export type QueueViewer = { userId: string };

export type QueueRow = {
  id: string;
  number: number;
  subject: string;
  channel: TicketChannel;
  status: TicketStatus;
  priority: TicketPriority;
  requesterName: string | null;
  requesterAddress: string | null;
  customer: { id: string; name: string; organisationName: string | null } | null;
  assignee: { id: string; name: string } | null;
  createdAt: Date;
  lastActivityAt: Date;
  /** `badge` is identityBadgeOf(facts); `sqlBadge` the SQL twin used for filtering (equal, see the tests). */
  identity: { badge: IdentityBadge; facts: TicketIdentityFacts; sqlBadge: IdentityBadge };
  /** Tier of the customer's best agreement valid today, or null (no customer, or not covered). */
  entitlement: AgreementTier | null;
  /** The requester's satisfaction rating (features/satisfaction), null when not rated (or never surveyed). */
  satisfaction: SatisfactionRating | null;
  /** The SLA fields (features/sla/state.ts slaStateOf turns them into time left). */
  sla: {
    slaScope: string | null;
    status: TicketStatus;
    firstResponseAt: Date | null;
    firstResponseDueAt: Date | null;
    resolutionDueAt: Date | null;
    solvedAt: Date | null;
    slaPausedAt: Date | null;
  };
};

export type QueuePage = {
  rows: QueueRow[];
  /** Opaque cursors for the pages after / before this one; null at either end. */
  nextCursor: string | null;
  previousCursor: string | null;
  /** The derived-filter scan stopped at its bound: `nextCursor` continues it (the page may be short). */
  scanLimited: boolean;
};

/** `exact: false` means "at least `value`". */
export type QueueCount = { value: number; exact: boolean };
export type QueueCounts = {
  /** Per status, with every other filter applied. */
  byStatus: Record<TicketStatus, QueueCount>;
  /** For the selected status filter. */
  total: QueueCount;
};

// ───────────────────────────── Sort keys and cursors ─────────────────────────────

type TimeColumn = "createdAt" | "lastActivityAt";
type Key = { at: string; id: string; priority?: TicketPriority };

const SORT_CODE: Record<QueueSort, string> = { updated: "u", oldest: "o", newest: "n", priority: "p" };
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const sortColumn = (sort: QueueSort): TimeColumn => (sort === "updated" ? "lastActivityAt" : "createdAt");
/** Display direction of the time column (within a priority level for the priority sort). */
const sortDescending = (sort: QueueSort): boolean => sort === "updated" || sort === "newest";

export function encodeCursor(sort: QueueSort, key: Key): string {
  const parts = [SORT_CODE[sort], key.at, key.id, ...(sort === "priority" && key.priority ? [key.priority] : [])];
  return Buffer.from(JSON.stringify(parts)).toString("base64url");
}

/** The key in a cursor made for this sort, or null for anything else (another sort, tampering, garbage). */
export function decodeCursor(sort: QueueSort, cursor: string | undefined): Key | null {
  if (!cursor) return null;
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(parts) || parts[0] !== SORT_CODE[sort]) return null;
  const [, at, id, priority] = parts as unknown[];
  // A real instant in range, as toISOString() writes it: "2026-02-30T…" or year 0 would reach PostgreSQL's cast and fail there.
  if (typeof at !== "string" || !isIsoInstant(at)) return null;
  if (!isUuid(id)) return null;
  if (sort !== "priority") return parts.length === 3 ? { at, id } : null;
  if (parts.length !== 4 || !TICKET_PRIORITIES.includes(priority as TicketPriority)) return null;
  return { at, id, priority: priority as TicketPriority };
}

// ───────────────────────────── SQL building blocks ─────────────────────────────

/** What one request knows: the filter, who asks, the clock, how to drive a search, its scan bounds. */
type Context = { filter: QueueFilter; viewer: QueueViewer; now: Date; selectiveSearch: boolean; window: number; rounds: number };

export type QueueOptions = {
  now?: Date;
  pageSize?: number;
  /** Tests and the benchmark only: force a search plan instead of asking the planner. */
  searchPlan?: "selective" | "broad";
  /** Tests only: smaller derived-filter scan bounds. */
  scan?: { window: number; rounds: number };
};

/** Trusted integer constants (never input) may be written into the SQL text. */
function integer(value: number): Prisma.Sql {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`not a row count: ${value}`);
  return Prisma.raw(String(value));
}

const TICKET_COLUMNS = Prisma.sql`t."id", t."number", t."subject", t."channel", t."status", t."priority", t."customerId",
  t."requesterUserId", t."requesterAddress", t."requesterName", t."assigneeId", t."createdAt", t."lastActivityAt",
  t."slaScope", t."firstResponseAt", t."firstResponseDueAt", t."resolutionDueAt", t."solvedAt", t."slaPausedAt"`;

const col = (alias: string, column: TimeColumn) => Prisma.raw(`${alias}."${column}"`);
const dir = (descending: boolean) => Prisma.raw(descending ? "DESC" : "ASC");
const rowOrder = (alias: string, column: TimeColumn, descending: boolean) =>
  Prisma.sql`${col(alias, column)} ${dir(descending)}, ${Prisma.raw(alias)}."id" ${dir(descending)}`;

const where = (conditions: (Prisma.Sql | null | undefined)[]) => {
  const present = conditions.filter((condition): condition is Prisma.Sql => !!condition);
  return present.length ? Prisma.sql`WHERE ${Prisma.join(present, " AND ")}` : Prisma.empty;
};

const statusIs = (status: TicketStatus) => Prisma.sql`t."status" = CAST(${status} AS "TicketStatus")`;
const priorityIs = (priority: TicketPriority) => Prisma.sql`t."priority" = CAST(${priority} AS "TicketPriority")`;

function statusIn(statuses: readonly TicketStatus[]): Prisma.Sql | null {
  if (statuses.length === TICKET_STATUSES.length) return null;
  if (statuses.length === 1) return statusIs(statuses[0]!);
  return Prisma.sql`t."status" IN (${Prisma.join(statuses.map((status) => Prisma.sql`CAST(${status} AS "TicketStatus")`))})`;
}

function assigneeCondition(ctx: Context): Prisma.Sql | null {
  if (ctx.filter.assignee === "me") return Prisma.sql`t."assigneeId" = CAST(${ctx.viewer.userId} AS uuid)`;
  if (ctx.filter.assignee === "unassigned") return Prisma.sql`t."assigneeId" IS NULL`;
  return null;
}

function searchCondition(q: string): Prisma.Sql | null {
  // The vector holds 'simple' lexemes (subject; requester name and address, also split at @ . + _ -)
  // and 'english' stems (subject, message bodies): the query asks both ways.
  return q ? Prisma.sql`t."searchVector" @@ (websearch_to_tsquery('english', ${q}) || websearch_to_tsquery('simple', ${q}))` : null;
}

/**
 * How PostgreSQL plans a request's statements (platform/db/prepared.ts). Their shape fixes the plan (index-ordered
 * branches, lateral probes, the fenced GIN scan of a selective search), so one generic plan per statement
 * serves every value, except for a broad search: there the planner reads the word's frequency from the
 * statistics to weigh an ordered scan against the GIN index, which a generic plan cannot know.
 */
const planOf = (ctx: Context): PlanChoice => (ctx.filter.q && !ctx.selectiveSearch ? "custom" : "generic");

/** The tickets a (selective) search finds, through the GIN index: OFFSET 0 keeps this a separate plan. */
function searchHits(q: string): Prisma.Sql {
  return Prisma.sql`SELECT ${TICKET_COLUMNS} FROM "Ticket" t WHERE ${searchCondition(q)} OFFSET 0`;
}

/** Conditions on the ticket's own columns, except status; priority unless a branch fixes it. */
function columnConditions(ctx: Context, withPriority = true): (Prisma.Sql | null)[] {
  const { filter } = ctx;
  return [
    withPriority && filter.priority !== "any" ? priorityIs(filter.priority) : null,
    assigneeCondition(ctx),
    filter.channel !== "any" ? Prisma.sql`t."channel" = CAST(${filter.channel} AS "TicketChannel")` : null,
    searchCondition(filter.q),
  ];
}

function keysetCondition(column: TimeColumn, descending: boolean, key: Key | null): Prisma.Sql | null {
  if (!key) return null;
  const at = Prisma.sql`CAST(${key.at} AS timestamp(3))`;
  const id = Prisma.sql`CAST(${key.id} AS uuid)`;
  // The first (redundant) half lets an index range start at the key; the row comparison breaks ties by id.
  return descending
    ? Prisma.sql`${col("t", column)} <= ${at} AND (${col("t", column)}, t."id") < (${at}, ${id})`
    : Prisma.sql`${col("t", column)} >= ${at} AND (${col("t", column)}, t."id") > (${at}, ${id})`;
}

function derivedConditions(filter: QueueFilter): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (filter.identity !== "any") conditions.push(Prisma.sql`${identityBadgeSql} = ${filter.identity}`);
  if (filter.entitlement === "valid") conditions.push(Prisma.sql`ent."tier" IS NOT NULL`);
  if (filter.entitlement === "none") conditions.push(Prisma.sql`ent."tier" IS NULL`);
  return conditions;
}

/** Only the joins the derived filters need (each is a probe per candidate). */
function derivedJoins(ctx: Context): Prisma.Sql {
  const joins = [
    ctx.filter.identity !== "any" ? identityJoinsSql(ctx.now) : null,
    ctx.filter.entitlement !== "any" ? entitlementJoinSql(ctx.now) : null,
  ].filter((join): join is Prisma.Sql => join !== null);
  return joins.length ? Prisma.join(joins, "\n") : Prisma.empty;
}

type StreamSpec = {
  column: TimeColumn;
  descending: boolean;
  /** One priority level (the priority sort walks the levels one after the other). */
  level?: TicketPriority;
  key: Key | null;
  limit: number;
  /** Number the candidates (the derived filter's continuation sentinel). */
  numbered: boolean;
};

/** The candidates that pass the column filters, in sort order, at most `spec.limit` of them. */
function candidateStreamSql(ctx: Context, spec: StreamSpec): Prisma.Sql {
  const { filter } = ctx;
  const { column, descending, limit } = spec;
  const statuses = statusesOf(filter.status);
  const keyset = keysetCondition(column, descending, spec.key);
  const levelCondition = spec.level ? priorityIs(spec.level) : null;
  const outerOrder = rowOrder("u", column, descending);
  const numbering = spec.numbered ? Prisma.sql`, row_number() OVER (ORDER BY ${outerOrder}) AS "rn"` : Prisma.empty;
  const outer = (from: Prisma.Sql) => Prisma.sql`SELECT u.*${numbering} FROM (${from}) u ORDER BY ${outerOrder} LIMIT ${integer(limit)}`;

  if (filter.q && ctx.selectiveSearch) {
    // Few hits expected: collect them through the GIN index (the OFFSET 0 fence keeps the
    // planner from trading that for an ordered scan), then sort.
    // The other conditions stay outside the fence too: inside, the planner likes to AND the hits'
    // bitmap with a status bitmap, which costs more than the few hits it saves fetching.
    const conditions = [statusIn(statuses), levelCondition, ...columnConditions({ ...ctx, filter: { ...filter, q: "" } }, !spec.level), keyset];
    return outer(Prisma.sql`SELECT t.* FROM (${searchHits(filter.q)}) t ${where(conditions)}`);
  }

  // One branch per equality range of the index that delivers `column` in order; each branch
  // orders by exactly the index's columns (constant within the branch) so the index scan serves it.
  let branches: { conditions: (Prisma.Sql | null)[]; order: Prisma.Sql }[];
  const timeOrder = Prisma.sql`${col("t", column)} ${dir(descending)}`;
  if (column === "createdAt") {
    const priorities = spec.level ? [spec.level] : filter.priority === "any" ? TICKET_PRIORITIES : [filter.priority];
    branches = statuses.flatMap((status) =>
      priorities.map((priority) => ({ conditions: [statusIs(status), priorityIs(priority), ...columnConditions(ctx, false)], order: timeOrder })),
    );
  } else if (filter.assignee !== "anyone") {
    // `assigneeId IS NULL` is not an equality to the planner, so "unassigned" names the index's
    // leading columns in ORDER BY as well (they are constant within the branch).
    const order = filter.assignee === "unassigned" ? Prisma.sql`t."assigneeId" ${dir(descending)}, t."status" ${dir(descending)}, ${timeOrder}` : timeOrder;
    branches = statuses.map((status) => ({ conditions: [statusIs(status), ...columnConditions(ctx)], order }));
  } else {
    // The planner prices `@@` as one operator and a list of statuses as two, so it would test every
    // scanned ticket for the words first (~0.5 µs each) and its status second (most tickets are solved or closed: most fail
    // it): the CASE makes the search the last test, run only on tickets of the wanted statuses.
    const status = statusIn(statuses);
    const search = status && filter.q ? Prisma.sql`(CASE WHEN ${status} THEN ${searchCondition(filter.q)} END)` : searchCondition(filter.q);
    branches = [{ conditions: [status, ...columnConditions({ ...ctx, filter: { ...filter, q: "" } }), search], order: timeOrder }];
  }
  const union = Prisma.join(
    branches.map(
      (branch) =>
        Prisma.sql`(SELECT ${TICKET_COLUMNS} FROM "Ticket" t ${where([...branch.conditions, keyset])} ORDER BY ${branch.order} FETCH FIRST ${integer(limit)} ROWS WITH TIES)`,
    ),
    "\n UNION ALL ",
  );
  return outer(union);
}

type RawRow = {
  id: string;
  number: number;
  subject: string;
  channel: TicketChannel;
  status: TicketStatus;
  priority: TicketPriority;
  customerId: string | null;
  requesterUserId: string | null;
  requesterAddress: string | null;
  requesterName: string | null;
  assigneeId: string | null;
  createdAt: Date;
  lastActivityAt: Date;
  slaScope: string | null;
  firstResponseAt: Date | null;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  solvedAt: Date | null;
  slaPausedAt: Date | null;
  rn?: number;
  matched?: boolean;
  assigneeName: string | null;
  customerName: string | null;
  customerOrganisation: string | null;
  satisfaction: SatisfactionRating | null;
} & FactColumns;

type RoundSpec = Omit<StreamSpec, "limit" | "numbered">;

/**
 * Up to `need` matching tickets after `key`, with their facts. With derived filters the
 * candidate stream is numbered and cut at DERIVED_WINDOW; its last candidate comes back as a
 * sentinel (matched = false) when the scan reached it, so that the next round continues after it.
 */
function roundSql(ctx: Context, spec: RoundSpec, need: number): Prisma.Sql {
  const derived = derivedConditions(ctx.filter);
  let matches: Prisma.Sql;
  if (derived.length === 0) {
    matches = candidateStreamSql(ctx, { ...spec, limit: need, numbered: false });
  } else {
    const stream = candidateStreamSql(ctx, { ...spec, limit: ctx.window, numbered: true });
    const condition = Prisma.join(derived, " AND ");
    matches = Prisma.sql`
      SELECT c.*, (${condition}) AS "matched"
        FROM (${stream}) c
        ${derivedJoins(ctx)}
       WHERE (${condition}) OR c."rn" = ${integer(ctx.window)}
       ORDER BY ${rowOrder("c", spec.column, spec.descending)}
       LIMIT ${integer(need + 1)}`;
  }
  return Prisma.sql`
    SELECT c.*, ${factColumnsSql},
           a."name" AS "assigneeName", cu."name" AS "customerName", cu."organisationName" AS "customerOrganisation",
           sv."rating" AS "satisfaction"
      FROM (${matches}) c
      ${identityJoinsSql(ctx.now)}
      ${entitlementJoinSql(ctx.now)}
      -- Lateral probes, like the facts: a plain join let the planner hash (and so read) the whole User table for 26 rows.
      LEFT JOIN LATERAL (SELECT u."name" FROM "User" u WHERE u."id" = c."assigneeId" LIMIT 1) a ON true
      LEFT JOIN LATERAL (
        SELECT k."name", (SELECT o."name" FROM "Organisation" o WHERE o."id" = k."organisationId") AS "organisationName"
          FROM "Customer" k WHERE k."id" = c."customerId" LIMIT 1
      ) cu ON true
      -- One probe of the unique ticketId index per row shown (the page's rows only, after filtering).
      LEFT JOIN LATERAL (SELECT s."rating" FROM "SatisfactionSurvey" s WHERE s."ticketId" = c."id" LIMIT 1) sv ON true
     ORDER BY ${rowOrder("c", spec.column, spec.descending)}`;
}

/**
 * Runs a round. The rows travel as one JSON value (one array per round): with ~30 columns per
 * row, the driver's per-value decoding cost more CPU than the query itself. `extra` (the counts)
 * rides along in the same statement, saving a round trip.
 */
async function round(ctx: Context, spec: RoundSpec, need: number, extra?: Prisma.Sql): Promise<{ rows: RawRow[]; continueAfter: Key | null; extra: unknown }> {
  const order = rowOrder("r", spec.column, spec.descending);
  const [result] = await queryPrepared<{ rows: string; extra: string | null }>(
    Prisma.sql`
    SELECT coalesce((SELECT json_agg(r ORDER BY ${order}) FROM (${roundSql(ctx, spec, need)}) r), '[]'::json)::text AS "rows",
           ${extra ? Prisma.sql`(${extra})::text` : Prisma.sql`NULL::text`} AS "extra"`,
    planOf(ctx),
  );
  type SlaTimes = "firstResponseAt" | "firstResponseDueAt" | "resolutionDueAt" | "solvedAt" | "slaPausedAt";
  const rows = (
    JSON.parse(result?.rows ?? "[]") as (Omit<RawRow, "createdAt" | "lastActivityAt" | SlaTimes> & { createdAt: string; lastActivityAt: string } & Record<
        SlaTimes,
        string | null
      >)[]
  ).map((row) => ({
    ...row,
    createdAt: utc(row.createdAt),
    lastActivityAt: utc(row.lastActivityAt),
    firstResponseAt: utcOrNull(row.firstResponseAt),
    firstResponseDueAt: utcOrNull(row.firstResponseDueAt),
    resolutionDueAt: utcOrNull(row.resolutionDueAt),
    solvedAt: utcOrNull(row.solvedAt),
    slaPausedAt: utcOrNull(row.slaPausedAt),
  }));
  const extraValue: unknown = result?.extra ? JSON.parse(result.extra) : null;
  if (derivedConditions(ctx.filter).length === 0) return { rows, continueAfter: null, extra: extraValue };
  const matched = rows.filter((row) => row.matched).slice(0, need);
  const last = rows.at(-1);
  const continueAfter = matched.length < need && last && Number(last.rn) === ctx.window ? keyOf(last, spec.column, spec.level) : null;
  return { rows: matched, continueAfter, extra: extraValue };
}

/** JSON renders timestamp(3) (UTC, without time zone) as "2026-11-23T16:07:15.304". */
function utc(value: string): Date {
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
}

const utcOrNull = (value: string | null): Date | null => (value === null ? null : utc(value));

function keyOf(row: { id: string; createdAt: Date; lastActivityAt: Date }, column: TimeColumn, priority?: TicketPriority): Key {
  return { at: row[column].toISOString(), id: row.id, ...(priority ? { priority } : {}) };
}

/**
 * Whether a search is best answered from the GIN index (few hits) or by an ordered scan that
 * filters on `@@` (many hits). The planner's estimate is trusted when it says "common": the
 * statistics list the frequent lexemes and their frequencies. A low estimate is not trusted (for
 * lexemes outside that list PostgreSQL assumes half the least frequent listed one, which grows
 * with the table however rare the word), so the hits are then counted through the index, up to
 * SELECTIVE_SEARCH_ROWS.
 */
async function isSelectiveSearch(q: string, now: Date): Promise<boolean> {
  if (!q) return false;
  const known = searchPlans.get(q);
  if (known && now.getTime() - known.at >= 0 && now.getTime() - known.at < SEARCH_PLAN_TTL_MS) return known.selective;
  const selective = await measureSearch(q);
  searchPlans.delete(q);
  searchPlans.set(q, { at: now.getTime(), selective });
  if (searchPlans.size > 500) searchPlans.delete(searchPlans.keys().next().value!);
  return selective;
}

/** A word's hit count changes slowly: its plan is kept a minute (paging through results asks again). */
const SEARCH_PLAN_TTL_MS = 60_000;
const searchPlans = new Map<string, { at: number; selective: boolean }>();

async function measureSearch(q: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ "QUERY PLAN": unknown }[]>`EXPLAIN (FORMAT JSON) SELECT 1 FROM "Ticket" t WHERE ${searchCondition(q)}`;
  const raw = rows[0]?.["QUERY PLAN"];
  const plan = (typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan?: { "Plan Rows"?: number } }[] | undefined;
  const estimate = plan?.[0]?.Plan?.["Plan Rows"];
  if (typeof estimate === "number" && estimate > COMMON_SEARCH_ESTIMATE) return false;
  const [hits] = await db.$queryRaw<{ hits: bigint }[]>`
    SELECT count(*) AS "hits" FROM (SELECT 1 FROM (${searchHits(q)}) h LIMIT ${integer(SELECTIVE_SEARCH_ROWS + 1)}) x`;
  return Number(hits?.hits ?? 0) <= SELECTIVE_SEARCH_ROWS;
}

async function contextFor(viewer: QueueViewer, filter: QueueFilter, options: QueueOptions): Promise<Context> {
  const now = options.now ?? new Date();
  const selectiveSearch = options.searchPlan ? options.searchPlan === "selective" && !!filter.q : await isSelectiveSearch(filter.q, now);
  return { filter, viewer, now, selectiveSearch, window: options.scan?.window ?? DERIVED_WINDOW, rounds: options.scan?.rounds ?? DERIVED_ROUNDS };
}

// ───────────────────────────── The page ─────────────────────────────

type Walk = { rows: RawRow[]; scanLimited: boolean; continueAfter: Key | null; extra: unknown };

/** Collects up to `need` rows from `key` (exclusive) onwards, forwards or backwards in the sort order. */
async function walk(ctx: Context, backwards: boolean, key: Key | null, need: number, extra?: Prisma.Sql): Promise<Walk> {
  const { filter } = ctx;
  const column = sortColumn(filter.sort);
  // The priority sort is, level by level from the most urgent, the oldest-first order.
  const levels: (TicketPriority | undefined)[] =
    filter.sort !== "priority" ? [undefined] : [...(filter.priority === "any" ? TICKET_PRIORITIES : [filter.priority])].reverse();
  if (backwards) levels.reverse();
  const descending = sortDescending(filter.sort) !== backwards;

  const walked: Walk = { rows: [], scanLimited: false, continueAfter: null, extra: null };
  let levelIndex = key?.priority ? levels.indexOf(key.priority) : 0;
  let position = key;
  let rounds = 0;
  let pending = extra;
  while (levelIndex >= 0 && levelIndex < levels.length && walked.rows.length < need) {
    const level = levels[levelIndex];
    const result = await round(ctx, { column, descending, level, key: position }, need - walked.rows.length, pending);
    if (pending) walked.extra = result.extra;
    pending = undefined;
    walked.rows.push(...result.rows);
    if (result.continueAfter) {
      rounds += 1;
      if (rounds >= ctx.rounds) return { ...walked, scanLimited: true, continueAfter: result.continueAfter };
      position = result.continueAfter;
    } else {
      levelIndex += 1;
      position = null;
    }
  }
  if (pending)
    walked.extra = (await queryPrepared<{ extra: string }>(Prisma.sql`SELECT (${pending})::text AS "extra"`, planOf(ctx))).map((row) =>
      JSON.parse(row.extra),
    )[0];
  return walked;
}

function toQueueRow(row: RawRow): QueueRow {
  const facts = factsFromColumns(row);
  return {
    id: row.id,
    number: Number(row.number),
    subject: row.subject,
    channel: row.channel,
    status: row.status,
    priority: row.priority,
    requesterName: row.requesterName,
    requesterAddress: row.requesterAddress,
    customer: row.customerId && row.customerName !== null ? { id: row.customerId, name: row.customerName, organisationName: row.customerOrganisation } : null,
    assignee: row.assigneeId && row.assigneeName !== null ? { id: row.assigneeId, name: row.assigneeName } : null,
    createdAt: row.createdAt,
    lastActivityAt: row.lastActivityAt,
    identity: { badge: identityBadgeOf(facts), facts, sqlBadge: row.sqlBadge },
    entitlement: row.entitlementTier,
    satisfaction: row.satisfaction ?? null,
    sla: {
      slaScope: row.slaScope,
      status: row.status,
      firstResponseAt: row.firstResponseAt,
      firstResponseDueAt: row.firstResponseDueAt,
      resolutionDueAt: row.resolutionDueAt,
      solvedAt: row.solvedAt,
      slaPausedAt: row.slaPausedAt,
    },
  };
}

/** One page of the queue for `filter`; its `after` / `before` cursor says which. */
export async function listQueue(viewer: QueueViewer, filter: QueueFilter, options: QueueOptions = {}): Promise<QueuePage> {
  return (await pageOf(await contextFor(viewer, filter, options), options.pageSize ?? QUEUE_PAGE_SIZE)).page;
}

async function pageOf(ctx: Context, pageSize: number, extra?: Prisma.Sql): Promise<{ page: QueuePage; extra: unknown }> {
  const { filter } = ctx;
  const column = sortColumn(filter.sort);
  const cursorOf = (row: RawRow) => encodeCursor(filter.sort, keyOf(row, column, row.priority));
  const before = decodeCursor(filter.sort, filter.before);
  const after = before ? null : decodeCursor(filter.sort, filter.after);

  if (before) {
    const found = await walk(ctx, true, before, pageSize + 1, extra);
    const more = found.rows.length > pageSize || found.scanLimited;
    if (!more && found.rows.length < pageSize) {
      // Back at the start (rows may have come or gone meanwhile): show a full first page.
      const first = await pageOf({ ...ctx, filter: { ...filter, before: undefined, after: undefined } }, pageSize);
      return { page: first.page, extra: found.extra };
    }
    const rows = found.rows.slice(0, pageSize).reverse();
    const page = {
      rows: rows.map(toQueueRow),
      previousCursor: more && rows[0] ? cursorOf(rows[0]) : null,
      nextCursor: rows.at(-1) ? cursorOf(rows.at(-1)!) : null,
      scanLimited: found.scanLimited,
    };
    return { page, extra: found.extra };
  }

  const found = await walk(ctx, false, after, pageSize + 1, extra);
  const rows = found.rows.slice(0, pageSize);
  let nextCursor: string | null = null;
  if (found.rows.length > pageSize) nextCursor = cursorOf(rows.at(-1)!);
  else if (found.continueAfter) nextCursor = encodeCursor(filter.sort, found.continueAfter);
  const page = {
    rows: rows.map(toQueueRow),
    previousCursor: after ? (rows[0] ? cursorOf(rows[0]) : (filter.after ?? null)) : null,
    nextCursor,
    scanLimited: found.scanLimited,
  };
  return { page, extra: found.extra };
}

/** The SQL of a first page's first round, for EXPLAIN in the benchmark. */
export async function firstPageSqlForExplain(viewer: QueueViewer, filter: QueueFilter, now: Date): Promise<Prisma.Sql> {
  const ctx = await contextFor(viewer, filter, { now });
  const level = filter.sort === "priority" ? (filter.priority === "any" ? "urgent" : filter.priority) : undefined;
  return roundSql(ctx, { column: sortColumn(filter.sort), descending: sortDescending(filter.sort), level, key: null }, QUEUE_PAGE_SIZE + 1);
}

// ───────────────────────────── Counts ─────────────────────────────

/**
 * Counts per status under the filter's other settings, as one JSON object. Exact up to
 * COUNT_CAP when the filters are on indexed columns only (index-only scans of
 * Ticket(status, priority, createdAt) or Ticket(assigneeId, status, lastActivityAt)); otherwise
 * the matches among at most COUNT_BUDGET candidates, with the number of candidates scanned.
 */
function countsSql(ctx: Context): Prisma.Sql {
  const { filter } = ctx;
  const derived = derivedConditions(filter);
  const indexOnly = derived.length === 0 && filter.channel === "any" && !filter.q && (filter.priority === "any" || filter.assignee === "anyone");
  if (indexOnly) {
    const fields = TICKET_STATUSES.map(
      (status) =>
        Prisma.sql`${status}::text, (SELECT count(*) FROM (SELECT 1 FROM "Ticket" t ${where([statusIs(status), ...columnConditions(ctx)])} LIMIT ${integer(COUNT_CAP + 1)}) x)`,
    );
    return Prisma.sql`SELECT json_build_object(${Prisma.join(fields, ", ")})`;
  }
  // One pass over at most `budget` candidates of any status, in no particular order.
  const budget = derived.length ? COUNT_BUDGET.derived : COUNT_BUDGET.plain;
  const noSearch = { ...ctx, filter: { ...filter, q: "" } };
  const candidates = ctx.selectiveSearch
    ? Prisma.sql`SELECT t.* FROM (${searchHits(filter.q)}) t ${where(columnConditions(noSearch))}`
    : Prisma.sql`SELECT ${TICKET_COLUMNS} FROM "Ticket" t ${where(columnConditions(ctx))}`;
  const condition = derived.length ? Prisma.sql`AND ${Prisma.join(derived, " AND ")}` : Prisma.empty;
  const fields = TICKET_STATUSES.map(
    (status) => Prisma.sql`${status}::text, count(*) FILTER (WHERE c."status" = CAST(${status} AS "TicketStatus") ${condition})`,
  );
  return Prisma.sql`
    SELECT json_build_object('scanned', count(*), ${Prisma.join(fields, ", ")})
      FROM (${candidates} LIMIT ${integer(budget)}) c
      ${derivedJoins(ctx)}`;
}

function countsFrom(ctx: Context, json: unknown): QueueCounts {
  const values = (json ?? {}) as Record<string, number>;
  const derived = derivedConditions(ctx.filter).length > 0;
  const budget = derived ? COUNT_BUDGET.derived : COUNT_BUDGET.plain;
  const byStatus = {} as Record<TicketStatus, QueueCount>;
  for (const status of TICKET_STATUSES) {
    const value = Number(values[status] ?? 0);
    if (values.scanned === undefined) byStatus[status] = value > COUNT_CAP ? { value: COUNT_CAP, exact: false } : { value, exact: true };
    else byStatus[status] = { value, exact: Number(values.scanned) < budget };
  }
  const selected = statusesOf(ctx.filter.status).map((status) => byStatus[status]);
  return {
    byStatus,
    total: { value: selected.reduce((sum, count) => sum + count.value, 0), exact: selected.every((count) => count.exact) },
  };
}

/**
 * Counts are kept for COUNT_TTL_MS per filter (and viewer, for "me"): they are capped or lower
 * bounds anyway, agents paging through or re-opening a view ask for the same ones, and the rows
 * themselves are always read fresh.
 */
const COUNT_TTL_MS = 10_000;
const countCache = new Map<string, { at: number; counts: QueueCounts }>();

function countKey(ctx: Context): string {
  const { after: _after, before: _before, sort: _sort, ...rest } = ctx.filter;
  return JSON.stringify([rest, rest.assignee === "me" ? ctx.viewer.userId : null, ctx.now.toISOString().slice(0, 10)]);
}

function cachedCounts(ctx: Context): QueueCounts | null {
  const hit = countCache.get(countKey(ctx));
  return hit && ctx.now.getTime() - hit.at >= 0 && ctx.now.getTime() - hit.at < COUNT_TTL_MS ? hit.counts : null;
}

function rememberCounts(ctx: Context, counts: QueueCounts): QueueCounts {
  const key = countKey(ctx);
  countCache.delete(key);
  countCache.set(key, { at: ctx.now.getTime(), counts });
  if (countCache.size > 500) countCache.delete(countCache.keys().next().value!);
  return counts;
}

/** Counts per status and for the selected statuses (`exact: false` = "at least"); never cached. */
export async function countQueue(viewer: QueueViewer, filter: QueueFilter, options: QueueOptions = {}): Promise<QueueCounts> {
  const ctx = await contextFor(viewer, filter, options);
  const [row] = await queryPrepared<{ counts: string }>(Prisma.sql`SELECT (${countsSql(ctx)})::text AS "counts"`, planOf(ctx));
  return countsFrom(ctx, row ? JSON.parse(row.counts) : null);
}

/**
 * What the page needs: the page of rows and the counts, in one statement when the counts are not
 * cached (the page's first round carries the counts query).
 */
export async function loadQueue(viewer: QueueViewer, filter: QueueFilter, options: QueueOptions & { freshCounts?: boolean } = {}) {
  const ctx = await contextFor(viewer, filter, options);
  const cached = options.freshCounts ? null : cachedCounts(ctx);
  const { page, extra } = await pageOf(ctx, options.pageSize ?? QUEUE_PAGE_SIZE, cached ? undefined : countsSql(ctx));
  return { page, counts: cached ?? rememberCounts(ctx, countsFrom(ctx, extra)) };
}
