import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";

// The action runs through the real guard; only next-auth's cookie reading, Next's request headers
// and revalidatePath are replaced. The database, its locks and its timeouts are real.
const sessionState = vi.hoisted(() => ({ sessionId: null as string | null }));
vi.mock("next-auth", () => ({ getServerSession: vi.fn(async () => (sessionState.sessionId ? { sessionId: sessionState.sessionId } : null)) }));
vi.mock("next/server", () => ({ connection: vi.fn(async () => {}) }));
vi.mock("next/headers", () => ({ headers: vi.fn(async () => new Headers({ "x-veridesk-path": "/portal/tickets/new", "x-forwarded-for": "203.0.113.61" })) }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const { openTicket } = await import("@/features/tickets/portal-actions");
const { PORTAL_TICKET_TIMEOUTS } = await import("@/features/tickets/desk");
const { createAuthSession } = await import("@/platform/auth/sessions");
const { db } = await import("@/platform/db/client");

async function signedInCustomer() {
  const user = await db.user.create({ data: { email: `${randomUUID()}@example.test`, name: "Retry Customer", role: "customer", emailVerifiedAt: new Date() } });
  sessionState.sessionId = await createAuthSession(user.id, {});
  return user;
}

/** A competing session holding its own transaction (and its locks) until released. */
async function competingTransaction() {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query("BEGIN");
  return {
    query: (sql: string, params: unknown[] = []) => client.query(sql, params),
    release: async () => {
      await client.query("ROLLBACK");
      await client.end();
    },
  };
}

const form = (idempotencyKey: string) =>
  ({ subject: "Invoice is wrong", description: "Charged twice in November.", category: "billing", priority: "normal", idempotencyKey }) as const;

let holder: Awaited<ReturnType<typeof competingTransaction>> | null = null;
afterEach(async () => {
  await holder?.release();
  holder = null;
});

describe("opening a portal ticket while the database stalls", () => {
  it("answers retryable (not a 500) past its lock timeout, and retrying with the same key makes exactly one ticket", async () => {
    const user = await signedInCustomer();
    const key = randomUUID();
    // The ticket's foreign key needs a KEY SHARE lock on the requester's row: hold FOR UPDATE on it.
    holder = await competingTransaction();
    await holder.query(`SELECT 1 FROM "User" WHERE "id" = $1 FOR UPDATE`, [user.id]);

    const started = Date.now();
    const stalled = await openTicket(form(key));
    const waited = Date.now() - started;
    expect(stalled).toMatchObject({ ok: false, code: "retryable" });
    expect(stalled.ok ? "" : stalled.error).toMatch(/nothing was saved\. Try again/);
    // It gave up at the deliberate lock timeout, well before Prisma's 5 s default transaction timeout.
    expect(waited).toBeGreaterThanOrEqual(PORTAL_TICKET_TIMEOUTS.lockTimeoutMs - 100);
    expect(waited).toBeLessThan(PORTAL_TICKET_TIMEOUTS.transactionMs);
    expect(await db.ticket.count({ where: { requesterUserId: user.id } })).toBe(0);

    await holder.release();
    holder = null;
    // The browser's automatic retry, then a second click: one ticket, the same one each time.
    const first = await openTicket(form(key));
    const again = await openTicket(form(key));
    expect(first).toMatchObject({ ok: true });
    expect(again).toEqual(first);
    expect(await db.ticket.count({ where: { requesterUserId: user.id } })).toBe(1);
    expect(await db.ticketMessage.count({ where: { ticket: { requesterUserId: user.id } } })).toBe(1);
  });

  it("makes one ticket when two sends with the same key race, and another for a new key", async () => {
    const user = await signedInCustomer();
    const key = randomUUID();
    const [a, b] = await Promise.all([openTicket(form(key)), openTicket(form(key))]);
    expect(a).toMatchObject({ ok: true });
    expect(b).toEqual(a);
    const other = await openTicket(form(randomUUID()));
    expect(other.ok && a.ok && other.data.id !== a.data.id).toBe(true);
    expect(await db.ticket.count({ where: { requesterUserId: user.id } })).toBe(2);
  });

  it("answers retryable when a read the ticket needs (the SLA policies) is stuck behind a table lock", async () => {
    const user = await signedInCustomer();
    // The SLA lookup reads the policies: an ACCESS EXCLUSIVE lock on them stalls the transaction.
    holder = await competingTransaction();
    await holder.query(`LOCK TABLE "SlaPolicy" IN ACCESS EXCLUSIVE MODE`);
    const stalled = await openTicket(form(randomUUID()));
    expect(stalled).toMatchObject({ ok: false, code: "retryable" });
    expect(await db.ticket.count({ where: { requesterUserId: user.id } })).toBe(0);
  });
});
