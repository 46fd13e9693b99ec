/**
 * `npm run bench:queue [-- --sizes 10000,100000 --seconds 3 --concurrency 20 --keep]`
 *
 * Benchmark of the agent queue (features/tickets/queue/queue.ts), not a test: it prints figures, it asserts
 * nothing except that the data it measures is what the app would have.
 *
 * 1. Creates a THROWAWAY database on the test server (BENCH_DATABASE_SERVER, default
 *    postgresql://postgres@127.0.0.1:5432), applies the real migrations (`migrateDatabase`), so the
 *    schema's indexes and search triggers are the ones measured, and drops it at the end (also on
 *    Ctrl-C; `--keep` keeps it for EXPLAIN sessions).
 * 2. Grows it to each size in turn (default 10,000, 100,000, 1,000,000 tickets; a tenth as many
 *    customers) with set-based SQL: generate_series and INSERT … SELECT, never row by row. While
 *    filling, triggers are off (session_replication_role = replica) and the search vector is
 *    written by the INSERT itself with the migration's own `ticket_search_vector` over the
 *    ticket's message bodies in creation order, i.e. what the triggers compute; secondary indexes
 *    are dropped and re-created from their own definitions (pg_get_indexdef); then VACUUM ANALYZE,
 *    as autovacuum would. A 1 % sample of search vectors is checked against the triggers' formula.
 * 3. At each size measures the queue's first page as the page loads it (`loadQueue`: rows with
 *    identity facts and entitlement, plus the counts) under typical filters, searches and a
 *    cursor page, with 20 agents in a closed loop (each sends its next request when the last one
 *    answered) in this process; then, for comparison, a bare `node:http` handler and the same
 *    queue behind `node:http` in a child process (see `serve` for why not a Next.js route).
 *    Prints p50 / p95 latency and requests per second per scenario and size, the cost growth
 *    (requests per second at the smallest size ÷ at the largest), and EXPLAIN ANALYZE highlights
 *    at the largest size.
 *
 * Everything shares the machine: PostgreSQL, the load generator and the app. Figures are only
 * comparable within one run; the load average printed alongside says how busy the machine was.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { dropDatabase, migrateDatabase } from "@/platform/db/database";

// ───────────────────────────── Data generation (set-based SQL) ─────────────────────────────

const BENCH_AGENTS = 50;

/** Every generated value is a pure function of the row number and a salt, so runs repeat exactly. */
const HELPERS = String.raw`
CREATE SCHEMA IF NOT EXISTS bench;
CREATE OR REPLACE FUNCTION bench.r(i bigint, salt bigint) RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (hashint8extended(i, salt) & 9007199254740991)::double precision / 9007199254740992.0 $$;
CREATE OR REPLACE FUNCTION bench.pick(i bigint, salt bigint, n int) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT 1 + ((hashint8extended(i, salt) & 2147483647) % n)::int $$;
-- A UUIDv7 (what the app's uuid(7) ids are): 48 bits of ts in milliseconds, version 7, variant
-- bits, the rest derived from (i, salt).
CREATE OR REPLACE FUNCTION bench.uuid7(ts timestamp, i bigint, salt int) RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT encode(set_byte(set_byte(
           substring(int8send((extract(epoch FROM ts) * 1000)::bigint) FROM 3 FOR 6) || int8send(hashint8extended(i, salt))
             || substring(int8send(hashint8extended(i, salt + 1000)) FROM 1 FOR 2),
           6, 112 + (hashint8extended(i, salt) & 15)::int), 8, 128 + (hashint8extended(i, salt + 1000) & 63)::int), 'hex')::uuid $$;
CREATE OR REPLACE FUNCTION bench.customer_created(c bigint, t0 timestamp) RETURNS timestamp LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT t0 - interval '1500 days' + c * interval '1 second' $$;
CREATE TABLE IF NOT EXISTS bench.customers (c int PRIMARY KEY, id uuid NOT NULL, user_id uuid, name text NOT NULL);
CREATE TABLE IF NOT EXISTS bench.agents (k int PRIMARY KEY, id uuid NOT NULL);
`;

const FIRST = [
  "Maya",
  "Tom",
  "Sofia",
  "Daniel",
  "Grace",
  "Oliver",
  "Ava",
  "Liam",
  "Noah",
  "Emma",
  "Ivy",
  "Leo",
  "Mia",
  "Zoe",
  "Kai",
  "Ana",
  "Ben",
  "Eli",
  "Isla",
  "Omar",
];
const LAST = [
  "Patel",
  "Reilly",
  "Andersson",
  "Okafor",
  "Kim",
  "Bennett",
  "Nguyen",
  "Garcia",
  "Smith",
  "Rossi",
  "Müller",
  "Tanaka",
  "Silva",
  "Cohen",
  "Dubois",
  "Novak",
  "Haddad",
  "Larsen",
  "Walsh",
  "Costa",
];
const SUBJECTS = [
  "Invoice export fails with a timeout",
  "Cannot sign in after password change",
  "Card reader stopped syncing sales",
  "Tracking page shows the wrong time zone",
  "Request for a quote",
  "Firmware update schedule",
  "Missing pallets on delivery",
  "Appointment reminders not sending",
  "Question about VAT on invoices",
  "Change delivery address",
  "Data import duplicated records",
  "Printer driver crashes on startup",
  "Refund for a double charge",
  "Add a second billing contact",
  "API returns 500 on upload",
  "Report totals do not match",
  "Mobile app freezes on login",
  "Shipping label prints blank",
  "Calendar sync is delayed",
  "Cancel my subscription",
  "Upgrade to premium plan",
  "Two-factor code never arrives",
  "Export to PDF is blurry",
  "Barcode scanner not recognised",
  "Webhook deliveries failing",
  "Password reset email never arrived",
  "Slow dashboard loading",
  "Wrong currency on receipts",
  "Duplicate customer accounts",
  "Licence key rejected",
  "Stock levels out of sync",
  "Email notifications go to spam",
  "Integration with accounting software",
  "User permissions reset",
  "Backup did not run",
  "Search results are empty",
  "Time sheet rounding error",
  "Discount code not applied",
  "Map view shows no drivers",
  "Audit log missing entries",
];
const SENTENCES = [
  "Since this morning the daily report is empty.",
  "We restarted the device twice and nothing changed.",
  "Our auditors need the full invoice export by Friday.",
  "The error message says request timed out.",
  "It only happens with large date ranges.",
  "Customers are calling us about late deliveries.",
  "Could you tell us when this will be fixed?",
  "The status light is green but no data arrives.",
  "We updated to the latest version last week.",
  "Several colleagues see the same problem.",
  "The warehouse team cannot print labels.",
  "Our accountant asked for the tax number on every invoice.",
  "The scheduled import ran twice overnight.",
  "Please call me back on my mobile.",
  "Attached is a screenshot of the screen.",
  "This is blocking our whole sales team.",
  "The clinic's reminder texts stopped two days ago.",
  "Refunds take longer than promised.",
  "The synchronisation with the bank feed stalls.",
  "The dashboard takes a minute to load.",
  "Our manager cannot approve time sheets.",
  "We were charged twice for the same month.",
  "The courier app shows no drivers on the map.",
  "New staff never receive the invitation email.",
  "The barcode scanner beeps but nothing is entered.",
  "Exports to PDF look blurry when printed.",
  "The licence was rejected after a power cut.",
  "We want to add a second billing contact.",
  "The discount code is not accepted at checkout.",
  "Stock counts differ between the shop and the warehouse.",
];
const REPLIES = [
  "Thanks for the detail, we can reproduce it and are working on a fix.",
  "Could you send the delivery note number?",
  "Please restart the reader and tell us whether the light turns green.",
  "We have reissued the invoices with your tax number.",
  "The release date is not set yet; we will let you know.",
  "Your records were restored to their earlier state.",
  "We have opened a trace with the carrier.",
  "Please update the number under My account in the portal.",
];

const sqlArray = (values: readonly string[]) => `ARRAY[${values.map((value) => `'${value.replace(/'/g, "''")}'`).join(",")}]`;

/**
 * Customers from..to with ~2 addresses each (primary, plus aliases for two in three), portal
 * accounts for four in ten, and agreements (4 in 10 valid today, 1 expired, 1 cancelled, 4 none).
 */
function customersSql(from: number, to: number, t0: string): string {
  const created = `bench.customer_created(c, ${t0})`;
  const today = `(${t0})::date`;
  return String.raw`
INSERT INTO bench.customers (c, id, user_id, name)
SELECT c, bench.uuid7(${created}, c, 1), CASE WHEN c % 10 < 4 THEN bench.uuid7(${created}, c, 2) END,
       (${sqlArray(FIRST)})[bench.pick(c, 2, ${FIRST.length})] || ' ' || (${sqlArray(LAST)})[bench.pick(c, 3, ${LAST.length})]
FROM generate_series(${from}, ${to}) AS c;

-- Organisations of 20 customers each, made with their first customer; three in four customers are
-- contacts of theirs, and every third organisation holds an agreement (it entitles every contact).
INSERT INTO "Organisation" ("id", "name", "normalizedName", "createdAt", "updatedAt")
SELECT bench.uuid7(${created}, (c - 1) / 20, 4), 'Company ' || ((c - 1) / 20), 'company ' || ((c - 1) / 20), ${created}, ${created}
FROM generate_series(${from}, ${to}) AS c WHERE (c - 1) % 20 = 0;

INSERT INTO "SupportAgreement" ("id", "organisationId", "reference", "tier", "startsOn", "endsOn", "cancelledAt", "createdAt", "updatedAt")
SELECT bench.uuid7(${created}, (c - 1) / 20, 49), bench.uuid7(${created}, (c - 1) / 20, 4), 'BSO-' || ((c - 1) / 20), 'standard', ${today} - 100, ${today} + 265,
       NULL, ${created}, ${created}
FROM generate_series(${from}, ${to}) AS c WHERE (c - 1) % 20 = 0 AND ((c - 1) / 20) % 3 = 0;

INSERT INTO "Customer" ("id", "accountNumber", "name", "organisationId", "createdAt", "updatedAt")
SELECT id, 'BN-' || lpad(c::text, 7, '0'), name,
       CASE WHEN c % 4 <> 0 THEN bench.uuid7(bench.customer_created((c - 1) / 20 * 20 + 1, ${t0}), (c - 1) / 20, 4) END, ${created}, ${created}
FROM bench.customers WHERE c BETWEEN ${from} AND ${to};

-- The primary address is written with capitals, as people do: lookups go through "normalized".
INSERT INTO "CustomerEmail" ("id", "customerId", "address", "normalized", "isPrimary", "verifiedAt", "deliverability", "bounceCount", "createdAt", "updatedAt")
SELECT bench.uuid7(${created}, c, 10 + k), id, address, lower(address), k = 0,
       CASE WHEN bench.r(c, 20 + k) < (CASE k WHEN 0 THEN 0.75 WHEN 1 THEN 0.5 ELSE 0 END) THEN ${created} END,
       d::"Deliverability", CASE WHEN d IN ('bouncing', 'complained') THEN 3 ELSE 0 END, ${created}, ${created}
FROM bench.customers
CROSS JOIN LATERAL (VALUES (0), (1), (2)) AS kk(k)
CROSS JOIN LATERAL (SELECT CASE k WHEN 0 THEN 'User' || c || '@Cust' || c || '.example'
                                  WHEN 1 THEN 'alias' || c || '@mail.example'
                                  ELSE 'old' || c || '@cust' || c || '-old.example' END AS address,
                             CASE WHEN k = 0 THEN (CASE WHEN bench.r(c, 30) < 0.03 THEN 'bouncing' WHEN bench.r(c, 30) < 0.04 THEN 'complained'
                                                        WHEN bench.r(c, 30) < 0.20 THEN 'unknown' ELSE 'delivering' END)
                                  WHEN k = 1 THEN (CASE WHEN bench.r(c, 31) < 0.02 THEN 'bouncing' ELSE 'delivering' END)
                                  ELSE 'unknown' END AS d) a
WHERE c BETWEEN ${from} AND ${to} AND (k = 0 OR (k = 1 AND c % 3 >= 1) OR (k = 2 AND c % 3 = 2));

-- Portal accounts, signed in with the primary address.
INSERT INTO "User" ("id", "email", "name", "role", "emailVerifiedAt", "customerId", "matchStatus", "phoneE164", "phoneVerifiedAt", "twoFactorMethod", "createdAt", "updatedAt")
SELECT user_id, lower('User' || c || '@Cust' || c || '.example'), name, 'customer',
       CASE WHEN bench.r(c, 40) < 0.9 THEN ${created} END, id, 'matched',
       '+1555' || lpad(c::text, 7, '0'), CASE WHEN bench.r(c, 41) < 0.6 THEN ${created} END,
       CASE WHEN bench.r(c, 42) < 0.25 THEN 'totp'::"TwoFactorMethod" END, ${created}, ${created}
FROM bench.customers WHERE c BETWEEN ${from} AND ${to} AND user_id IS NOT NULL;

INSERT INTO "SupportAgreement" ("id", "customerId", "reference", "tier", "startsOn", "endsOn", "cancelledAt", "createdAt", "updatedAt")
SELECT bench.uuid7(${created}, c, 50 + k), id, 'BSA-' || c || '-' || k,
       (ARRAY['basic','standard','premium'])[bench.pick(c, 51, 3)]::"AgreementTier", s, e, x, ${created}, ${created}
FROM bench.customers
CROSS JOIN LATERAL (VALUES
  (0, CASE WHEN c % 10 < 4 THEN ${today} - 200 WHEN c % 10 = 4 THEN ${today} - 400 ELSE ${today} - 100 END,
      CASE WHEN c % 10 < 4 THEN ${today} + 165 WHEN c % 10 = 4 THEN ${today} - 35 ELSE ${today} + 265 END,
      CASE WHEN c % 10 = 5 THEN ${t0} - interval '10 days' END),
  (1, ${today} - 600, ${today} - 201, NULL::timestamp)) AS a(k, s, e, x)
WHERE c BETWEEN ${from} AND ${to} AND ((k = 0 AND c % 10 < 6) OR (k = 1 AND c % 10 = 0));
`;
}

function agentsSql(t0: string): string {
  const at = `${t0} - interval '2000 days'`;
  return String.raw`
INSERT INTO bench.agents (k, id) SELECT k, bench.uuid7(${at}, k, 3) FROM generate_series(1, ${BENCH_AGENTS}) AS k;
INSERT INTO "User" ("id", "email", "name", "role", "emailVerifiedAt", "twoFactorMethod", "createdAt", "updatedAt")
SELECT id, 'agent' || k || '@helpdesk.bench', 'Agent ' || k, CASE WHEN k <= 5 THEN 'supervisor' ELSE 'agent' END::"Role", ${at}, 'totp', ${at}, ${at}
FROM bench.agents;
`;
}

/**
 * Tickets (from..to] with their messages and identity checks, staged once in an unlogged table so
 * that every generated value is computed once. Per ticket:
 *  - 90 % matched to one of the `customers` customers; channel web 30 % (customers with a portal
 *    account; the others write email), email 45 %, phone 15 %, chat 10 %;
 *  - email and chat from the primary address 70 %, an alias 22 %, another customer's address 3 %,
 *    an unknown address 5 %; unmatched tickets come from unknown addresses or numbers;
 *  - status new 6 %, open 14 %, pending 10 %, on hold 5 %, solved 25 %, closed 40 % (so "open
 *    work" is 35 % of the table at every size: the harsh case for a queue), priority low 20 %,
 *    normal 55 %, high 18 %, urgent 7 %; 90 % of the others and 30 % of new ones assigned among
 *    50 staff; created uniformly over two years, last activity up to ten days later;
 *  - one message, 40 % with an agent reply; 5 % have identity checks (1 % two).
 */
function ticketsSql(from: number, to: number, customers: number, t0: string): string {
  return String.raw`
DROP TABLE IF EXISTS bench.stage;
CREATE UNLOGGED TABLE bench.stage AS
SELECT x.*, bench.uuid7(created, i, 5) AS id, cu.id AS customer_id, cu.name AS customer_name, a.id AS assignee_id,
       CASE WHEN cu.user_id IS NOT NULL AND (ch = 'web' OR (ch <> 'phone' AND ra < 0.70 AND bench.r(i, 120) < 0.6)) THEN cu.user_id END AS requester_user,
       CASE WHEN x.c IS NULL THEN (CASE WHEN ch = 'phone' THEN '+1666' || lpad(i::text, 8, '0') ELSE 'someone' || i || '@unknown' || (i % 997) || '.example' END)
            WHEN ch = 'phone' THEN '+1555' || lpad(x.c::text, 7, '0')
            WHEN ch = 'web' THEN lower('User' || x.c || '@Cust' || x.c || '.example')
            WHEN ra < 0.70 THEN 'User' || x.c || '@Cust' || x.c || '.example'
            WHEN ra < 0.92 THEN (CASE WHEN x.c % 3 >= 1 THEN 'alias' || x.c || '@mail.example' ELSE 'User' || x.c || '@Cust' || x.c || '.example' END)
            WHEN ra < 0.95 THEN 'User' || (1 + x.c % ${customers}) || '@Cust' || (1 + x.c % ${customers}) || '.example'
            ELSE 'someone' || i || '@unknown' || (i % 997) || '.example' END AS address
FROM (
  SELECT i, c, created, ra, created + bench.r(i, 108) * least(interval '10 days', ${t0} - created) AS active,
         CASE WHEN rc < 0.30 THEN (CASE WHEN c % 10 < 4 THEN 'web' ELSE 'email' END) WHEN rc < 0.75 THEN 'email' WHEN rc < 0.90 THEN 'phone' ELSE 'chat' END AS ch,
         CASE WHEN rs < 0.06 THEN 'new' WHEN rs < 0.20 THEN 'open' WHEN rs < 0.30 THEN 'pending' WHEN rs < 0.35 THEN 'on_hold' WHEN rs < 0.60 THEN 'solved' ELSE 'closed' END AS status,
         CASE WHEN rp < 0.20 THEN 'low' WHEN rp < 0.75 THEN 'normal' WHEN rp < 0.93 THEN 'high' ELSE 'urgent' END AS priority,
         CASE WHEN bench.r(i, 107) < (CASE WHEN rs < 0.06 THEN 0.3 ELSE 0.9 END) THEN bench.pick(i, 109, ${BENCH_AGENTS}) END AS agent,
         (${sqlArray(SUBJECTS)})[bench.pick(i, 110, ${SUBJECTS.length})] AS subject,
         (${sqlArray(SENTENCES)})[bench.pick(i, 111, ${SENTENCES.length})] || ' ' || (${sqlArray(SENTENCES)})[bench.pick(i, 112, ${SENTENCES.length})]
           || ' Reference ref' || bench.pick(i, 113, 5000) || '.' AS body1,
         CASE WHEN bench.r(i, 114) < 0.4 AND rs >= 0.06 THEN (${sqlArray(REPLIES)})[bench.pick(i, 115, ${REPLIES.length})] END AS body2
  FROM (
    SELECT i, CASE WHEN bench.r(i, 101) < 0.9 THEN bench.pick(i, 102, ${customers}) END AS c,
           ${t0} - bench.r(i, 105) * interval '730 days' AS created,
           bench.r(i, 103) AS rc, bench.r(i, 104) AS ra, bench.r(i, 106) AS rs, bench.r(i, 116) AS rp
    FROM generate_series(${from + 1}, ${to}) AS i
  ) g
) x
LEFT JOIN bench.customers cu ON cu.c = x.c
LEFT JOIN bench.agents a ON a.k = x.agent;

INSERT INTO "Ticket" ("id", "subject", "category", "channel", "status", "priority", "customerId", "requesterUserId", "requesterAddress",
                      "requesterName", "assigneeId", "createdAt", "updatedAt", "lastActivityAt", "firstResponseAt", "solvedAt", "closedAt", "searchVector")
SELECT id, subject, 'Technical', ch::"TicketChannel", status::"TicketStatus", priority::"TicketPriority", customer_id, requester_user, address,
       coalesce(customer_name, 'Someone ' || i), assignee_id, created, active, active, CASE WHEN body2 IS NOT NULL THEN created + interval '1 hour' END,
       CASE WHEN status IN ('solved', 'closed') THEN active END, CASE WHEN status = 'closed' THEN active END,
       -- What the triggers compute: the same function over the message bodies in creation order.
       "ticket_search_vector"(subject, coalesce(customer_name, 'Someone ' || i), address, CASE WHEN body2 IS NULL THEN body1 ELSE body1 || ' ' || body2 END)
FROM bench.stage;

INSERT INTO "TicketMessage" ("id", "ticketId", "kind", "authorUserId", "authorAddress", "body", "createdAt")
SELECT bench.uuid7(created, i, 6), id, 'public_reply', requester_user, address, body1, created FROM bench.stage;
INSERT INTO "TicketMessage" ("id", "ticketId", "kind", "authorUserId", "body", "deliveryStatus", "createdAt")
SELECT bench.uuid7(created, i, 7), id, 'public_reply', assignee_id, body2, 'delivered', created + interval '1 hour'
FROM bench.stage WHERE body2 IS NOT NULL;

INSERT INTO "IdentityCheck" ("id", "ticketId", "customerId", "method", "outcome", "performedById", "createdAt", "expiresAt")
SELECT bench.uuid7(created + k * interval '10 minutes', i, 60 + k), id, customer_id,
       CASE WHEN outcome = 'overridden' THEN 'supervisor_override' ELSE 'email_code' END::"IdentityCheckMethod", outcome::"IdentityCheckOutcome",
       assignee_id, created + k * interval '10 minutes',
       CASE WHEN bench.r(i, 133) < 0.5 THEN ${t0} + interval '1 day' ELSE created + interval '1 day' END
FROM bench.stage
CROSS JOIN LATERAL (VALUES (2, CASE WHEN bench.r(i, 131) < 0.5 THEN 'passed' WHEN bench.r(i, 131) < 0.75 THEN 'failed'
                                     WHEN bench.r(i, 131) < 0.9 THEN 'partial' ELSE 'overridden' END),
                           (1, 'failed')) AS v(k, outcome)
WHERE bench.r(i, 130) < 0.05 AND (k = 2 OR bench.r(i, 130) < 0.01);

DROP TABLE bench.stage;
`;
}

/** Tables the fill writes to, whose secondary indexes are dropped during a fill and rebuilt after. */
const FILLED_TABLES = ["Customer", "CustomerEmail", "User", "SupportAgreement", "Ticket", "TicketMessage", "IdentityCheck"];

export type FillState = { tickets: number; customers: number };

/**
 * Grows the bench database to `tickets` tickets (and tickets/10 customers). Triggers are off while
 * filling (session_replication_role = replica) and the search vector is written in the same INSERT
 * with the same function the trigger calls; secondary indexes are dropped and rebuilt from their
 * own definitions (pg_get_indexdef), so the measured database has exactly the migrations' indexes.
 */
export async function fill(client: pg.Client, state: FillState, tickets: number, t0: string, log: (line: string) => void): Promise<FillState> {
  const customers = Math.max(100, Math.round(tickets / 10));
  const started = Date.now();
  await client.query(HELPERS);
  await client.query(
    "SET session_replication_role = replica; SET synchronous_commit = off; SET maintenance_work_mem = '512MB'; SET max_parallel_maintenance_workers = 1",
  );
  const { rows: indexes } = await client.query<{ name: string; def: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public' AND t.relname = ANY($1) AND NOT i.indisprimary
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
    [FILLED_TABLES],
  );
  for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);
  if (state.tickets === 0) await client.query(agentsSql(t0));
  if (customers > state.customers) await client.query(customersSql(state.customers + 1, customers, t0));
  await client.query(ticketsSql(state.tickets, tickets, customers, t0));
  const filled = Date.now();
  for (const index of indexes) await client.query(index.def);
  await client.query("SET session_replication_role = origin");
  const indexed = Date.now();
  await client.query(`VACUUM (ANALYZE) ${FILLED_TABLES.map((table) => `"${table}"`).join(", ")}`);
  log(
    `filled to ${tickets.toLocaleString("en")} tickets / ${customers.toLocaleString("en")} customers: rows ${((filled - started) / 1000).toFixed(1)} s, ` +
      `${indexes.length} indexes ${((indexed - filled) / 1000).toFixed(1)} s, vacuum ${((Date.now() - indexed) / 1000).toFixed(1)} s`,
  );
  return { tickets, customers };
}

/** Checks a sample against what the triggers would have written: the bench must measure the app's state. */
export async function verifySearchVectors(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ sampled: string; wrong: string }>(`
    SELECT count(*) AS sampled, count(*) FILTER (WHERE t."searchVector" IS DISTINCT FROM "ticket_search_vector"(t."subject", t."requesterName", t."requesterAddress",
             (SELECT string_agg(m."body", ' ' ORDER BY m."createdAt") FROM "TicketMessage" m WHERE m."ticketId" = t."id"))) AS wrong
      FROM "Ticket" t TABLESAMPLE SYSTEM (1) REPEATABLE (7)`);
  const [row] = rows;
  if (!row || Number(row.wrong) > 0) throw new Error(`search vectors differ from the triggers' on ${row?.wrong} of ${row?.sampled} sampled tickets`);
}

// ───────────────────────────── Measuring ─────────────────────────────

type Scenario = { name: string; params: Record<string, string>; worst?: boolean };

/** What agents do all day (the target applies to these), then the rare combinations. */
const SCENARIOS: Scenario[] = [
  { name: "open work, last activity (default)", params: {} },
  { name: "assigned to me", params: { assignee: "me" } },
  { name: "unassigned, high priority", params: { assignee: "unassigned", priority: "high" } },
  { name: "email, oldest first", params: { channel: "email", sort: "oldest" } },
  { name: "by priority", params: { sort: "priority" } },
  { name: "pending, newest first", params: { status: "pending", sort: "newest" } },
  { name: "identity: unverified", params: { identity: "unverified" } },
  { name: "entitlement: valid agreement", params: { entitlement: "valid" } },
  { name: "search: common word", params: { q: "invoice" } },
  { name: "search: rare word", params: { q: "ref1234" } },
  { name: "search: requester name", params: { q: "maya" } },
  { name: "second page (cursor)", params: { page: "2" } },
  { name: "identity: mismatch (~3 %)", params: { identity: "mismatch" }, worst: true },
  { name: "identity: bouncing, oldest first", params: { identity: "bouncing", sort: "oldest" }, worst: true },
  { name: "mismatch + no agreement + on hold", params: { identity: "mismatch", entitlement: "none", status: "on_hold" }, worst: true },
];

type Stats = { p50: number; p95: number; rps: number; count: number };

function statsOf(latencies: number[], seconds: number): Stats {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95), rps: latencies.length / seconds, count: latencies.length };
}

/** Closed loop: `concurrency` agents, each sending its next request as soon as the last one answered. */
async function load(concurrency: number, seconds: number, request: (agent: number, n: number) => Promise<unknown>): Promise<Stats> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, agent) => {
      for (let n = 0; performance.now() < deadline; n++) {
        const t = performance.now();
        const measured = await request(agent, n);
        // A request may time itself (to leave out its own pause); otherwise the whole call counts.
        latencies.push(typeof measured === "number" ? measured : performance.now() - t);
      }
    }),
  );
  return statsOf(latencies, (performance.now() - started) / 1000);
}

const ms = (value: number) => (value < 10 ? value.toFixed(1) : Math.round(value).toString());
const pad = (text: string, width: number) => text.padEnd(width);
const lpad = (text: string, width: number) => text.padStart(width);

// ───────────────────────────── The comparison server ─────────────────────────────

/**
 * The HTTP comparison runs in a child process (`--serve`): a bare `node:http` handler that answers
 * a fixed JSON body (what any request costs on this machine: HTTP parsing, the event loop, JSON,
 * the loopback socket), and the same server answering /queue with the queue's first page as JSON
 * (that cost plus the queue's). Chosen over a route handler in the Next.js app because the app's
 * production build is not part of this script (building takes a minute and ~0.8 GB), and a
 * benchmark-only route would be one more thing to guard in production; the page itself adds
 * React rendering on top, which is the same at every table size.
 */
async function serve(port: number): Promise<void> {
  const { parseQueueFilter } = await import("@/features/tickets/queue/schemas");
  const { loadQueue } = await import("@/features/tickets/queue/queue");
  const { db } = await import("@/platform/db/client");
  const agents = (await db.$queryRaw<{ id: string }[]>`SELECT "id" FROM bench.agents ORDER BY "k"`).map((row) => row.id);
  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://bench");
    try {
      if (url.pathname === "/bare") {
        response.writeHead(200, { "Content-Type": "application/json" });
        response.end(JSON.stringify({ ok: true, at: Date.now() }));
        return;
      }
      const agent = agents[Number(url.searchParams.get("agent") ?? 0) % agents.length]!;
      const { page, counts } = await loadQueue({ userId: agent }, parseQueueFilter(url.searchParams));
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end(
        JSON.stringify({
          rows: page.rows.map((row) => ({ id: row.id, number: row.number, subject: row.subject, badge: row.identity.badge })),
          next: page.nextCursor,
          total: counts.total,
        }),
      );
    } catch (error) {
      response.writeHead(500, { "Content-Type": "text/plain" });
      response.end(String(error));
    }
  });
  server.listen(port, "127.0.0.1", () => console.log(`ready ${(server.address() as AddressInfo).port}`));
}

function startServer(url: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, "--serve"], {
      env: { ...process.env, DATABASE_URL: url },
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout!.on("data", (chunk: Buffer) => {
      const match = /ready (\d+)/.exec(chunk.toString());
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.on("exit", (code) => reject(new Error(`comparison server exited (${code})`)));
  });
}

function httpGet(agent: http.Agent, port: number, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: "127.0.0.1", port, path, agent }, (response) => {
      response.resume();
      response.on("end", () => (response.statusCode === 200 ? resolve() : reject(new Error(`${path}: HTTP ${response.statusCode}`))));
    });
    request.on("error", reject);
  });
}

// ───────────────────────────── main ─────────────────────────────

async function main() {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "10000,100000,1000000" },
      seconds: { type: "string", default: "3" },
      concurrency: { type: "string", default: "20" },
      keep: { type: "boolean", default: false },
      serve: { type: "boolean", default: false },
    },
  });
  const sizes = values.sizes!.split(",").map((size) => Number(size.replace(/[_ ]/g, "")));
  if (sizes.some((size) => !Number.isSafeInteger(size) || size < 1000) || sizes.some((size, i) => i > 0 && size <= sizes[i - 1]!)) {
    throw new Error("--sizes takes increasing ticket counts of at least 1000, e.g. --sizes 10000,100000");
  }
  const seconds = Number(values.seconds);
  const concurrency = Number(values.concurrency);
  const server = (process.env.BENCH_DATABASE_SERVER ?? "postgresql://postgres@127.0.0.1:5432").replace(/\/$/, "");
  const url = `${server}/veridesk_bench_${randomBytes(4).toString("hex")}`;
  const log = (line: string) => console.log(`[bench] ${line}`);
  const begun = Date.now();

  let comparison: { child: ChildProcess; port: number } | null = null;
  let dropped = false;
  const cleanUp = async () => {
    comparison?.child.kill();
    if (dropped || values.keep) return;
    dropped = true;
    const { disconnectDb } = await import("@/platform/db/client");
    await disconnectDb().catch(() => undefined);
    await dropDatabase(url).catch((error) => console.error(`[bench] could not drop ${url}: ${error}`));
    log(`dropped the throwaway database`);
  };
  process.on("SIGINT", () => void cleanUp().finally(() => process.exit(130)));

  log(
    `throwaway database ${url.replace(/^.*@/, "")}; sizes ${sizes.map((size) => size.toLocaleString("en")).join(", ")}; ${concurrency} concurrent agents, ${seconds} s per measurement; ${os.cpus().length} cores`,
  );
  await migrateDatabase(url);
  process.env.DATABASE_URL = url;
  const { db } = await import("@/platform/db/client");
  const { loadQueue, firstPageSqlForExplain } = await import("@/features/tickets/queue/queue");
  const { parseQueueFilter } = await import("@/features/tickets/queue/schemas");

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const t0 = `'${new Date().toISOString().slice(0, 23).replace("T", " ")}'::timestamp`;
  const results = new Map<number, Map<string, Stats>>();
  const httpResults = new Map<number, { bare: Stats; queue: Stats }>();
  const explains: string[] = [];
  try {
    let state: FillState = { tickets: 0, customers: 0 };
    for (const size of sizes) {
      state = await fill(client, state, size, t0, log);
      await verifySearchVectors(client);
      const agents = (await db.$queryRaw<{ id: string }[]>`SELECT "id" FROM bench.agents ORDER BY "k"`).map((row) => row.id);

      // The second page needs a cursor: the first page's.
      const secondPage = (await loadQueue({ userId: agents[0]! }, parseQueueFilter({}))).page.nextCursor ?? undefined;
      const filters = new Map(SCENARIOS.map((scenario) => [scenario.name, parseQueueFilter(scenario.params.page ? { after: secondPage } : scenario.params)]));
      const run = (scenario: Scenario, agent: number) => loadQueue({ userId: agents[agent % agents.length]! }, filters.get(scenario.name)!);

      // Warm the caches the way a running instance has them.
      for (let i = 0; i < 5; i++) for (const scenario of SCENARIOS) await run(scenario, i);

      const bySize = new Map<string, Stats>();
      results.set(size, bySize);
      const typical = SCENARIOS.filter((scenario) => !scenario.worst);
      bySize.set("typical mix", await load(concurrency, seconds * 2, (agent, n) => run(typical[(agent + n) % typical.length]!, agent)));
      for (const scenario of SCENARIOS) bySize.set(scenario.name, await load(concurrency, seconds, (agent) => run(scenario, agent)));
      // The same agents reading each page for a moment (0.5–1.5 s) before the next: a busy desk, not a stampede.
      bySize.set(
        "typical mix, agents pausing ~1 s",
        await load(concurrency, seconds * 2, async (agent, n) => {
          await new Promise((resolve) => setTimeout(resolve, 500 + ((agent * 7919 + n * 104729) % 1000)));
          const started = performance.now();
          await run(typical[(agent + n) % typical.length]!, agent);
          return performance.now() - started;
        }),
      );

      comparison = await startServer(url);
      const keepAlive = new http.Agent({ keepAlive: true, maxSockets: concurrency });
      const paths = typical.map((scenario) => `/queue?${new URLSearchParams(scenario.params.page ? { after: secondPage ?? "" } : scenario.params).toString()}`);
      for (const path of paths) await httpGet(keepAlive, comparison.port, `${path}&agent=0`);
      const bare = await load(concurrency, seconds, () => httpGet(keepAlive, comparison!.port, "/bare"));
      const overHttp = await load(concurrency, seconds * 2, (agent, n) =>
        httpGet(keepAlive, comparison!.port, `${paths[(agent + n) % paths.length]}&agent=${agent}`),
      );
      httpResults.set(size, { bare, queue: overHttp });
      keepAlive.destroy();
      comparison.child.kill();
      comparison = null;
      const mix = bySize.get("typical mix")!;
      log(
        `${size.toLocaleString("en")} tickets: typical mix p50 ${ms(mix.p50)} ms, p95 ${ms(mix.p95)} ms, ${Math.round(mix.rps)} req/s (load average ${os.loadavg()[0]!.toFixed(1)})`,
      );

      if (size === sizes.at(-1)) {
        for (const name of [
          "open work, last activity (default)",
          "email, oldest first",
          "identity: unverified",
          "search: rare word",
          "search: common word",
          "identity: mismatch (~3 %)",
        ]) {
          const sql = await firstPageSqlForExplain({ userId: agents[0]! }, filters.get(name)!, new Date());
          const explain = async () =>
            (await db.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN (ANALYZE, COSTS OFF) ${sql.text}`, ...sql.values)).map((row) => row["QUERY PLAN"]);
          await explain(); // the second run is the one a warm instance would see
          const plan = await explain();
          explains.push(`-- ${name}`, ...highlights(plan));
        }
      }
    }
  } finally {
    await client.end();
    await cleanUp();
  }

  // ───── Report ─────
  const width = 38;
  const header =
    pad("scenario (rows + counts, in process)", width) +
    sizes.map((size) => lpad(size.toLocaleString("en") + " tickets", 26)).join("") +
    lpad("cost 1M/10k", 13);
  const line = (name: string, pick: (size: number) => Stats | undefined) => {
    const cells = sizes.map((size) => {
      const stats = pick(size);
      return lpad(stats ? `${ms(stats.p50)} / ${ms(stats.p95)} ms ${lpad(Math.round(stats.rps).toString(), 5)}/s` : "-", 26);
    });
    const first = pick(sizes[0]!);
    const last = pick(sizes.at(-1)!);
    const growth = first && last && sizes.length > 1 ? `${(first.rps / last.rps).toFixed(2)}×` : "";
    return pad(name, width) + cells.join("") + lpad(growth, 13);
  };
  console.log("\nQueue first page: p50 / p95 latency and requests per second at " + concurrency + " concurrent agents");
  console.log("(cost growth = requests per second at the smallest size ÷ at the largest; 1.00× = flat)\n");
  console.log(header);
  console.log(line("typical mix", (size) => results.get(size)?.get("typical mix")));
  console.log(line("typical mix, agents pausing ~1 s", (size) => results.get(size)?.get("typical mix, agents pausing ~1 s")));
  for (const scenario of SCENARIOS.filter((s) => !s.worst)) console.log(line(scenario.name, (size) => results.get(size)?.get(scenario.name)));
  console.log(pad("rare combinations (no target):", width));
  for (const scenario of SCENARIOS.filter((s) => s.worst)) console.log(line(scenario.name, (size) => results.get(size)?.get(scenario.name)));
  console.log(pad("over HTTP (node:http, child process):", width));
  console.log(line("bare handler, fixed JSON", (size) => httpResults.get(size)?.bare));
  console.log(line("queue, typical mix, as JSON", (size) => httpResults.get(size)?.queue));
  if (explains.length)
    console.log(`\nEXPLAIN ANALYZE highlights at ${sizes.at(-1)!.toLocaleString("en")} tickets (first round of the first page):\n${explains.join("\n")}`);
  console.log(`\nDone in ${Math.round((Date.now() - begun) / 1000)} s.`);
}

/** The lines of a plan that tell the story: scans with their index and rows, merges, timings. Repeated lines are counted. */
function highlights(plan: string[]): string[] {
  const lines = plan
    .filter((line) => /Scan|Merge Append|WindowAgg|Execution Time|Planning Time|Rows Removed by Filter/.test(line))
    .map((line) =>
      line
        .replace(/\(actual time=[^)]*rows=(\d+) loops=(\d+)\)/, "(rows=$1 × $2)")
        .replace(/->\s+/, "")
        .replace(/^\s+/, "  ")
        .replace(/ on "(\w+)" \w+/, ' on "$1"'),
    );
  const out: { line: string; times: number }[] = [];
  for (const line of lines) {
    const last = out.at(-1);
    const key = line.replace(/rows=\d+/, "rows=N").replace(/Removed by Filter: \d+/, "Removed by Filter: N");
    if (last && last.line.replace(/rows=\d+/, "rows=N").replace(/Removed by Filter: \d+/, "Removed by Filter: N") === key) last.times += 1;
    else out.push({ line, times: 1 });
  }
  return out.map(({ line, times }) => (times > 1 ? `${line}   [and ${times - 1} more like it]` : line));
}

// scripts/bench-console.ts imports the data generation above: run only when started as a script.
const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
const { values: mode } = parseArgs({ options: { serve: { type: "boolean", default: false } }, strict: false });
if (!isEntry) {
  // imported
} else if (mode.serve) {
  await serve(0);
} else {
  await main().catch((error) => {
    console.error(`[bench] ${error instanceof Error ? error.stack : error}`);
    process.exitCode = 1;
  });
}
