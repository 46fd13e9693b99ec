import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import type { TicketChannel, TicketPriority, TicketStatus } from "@/platform/db/generated/prisma/enums";
import { COUNT_CAP, type QueueOptions, type QueuePage, countQueue, decodeCursor, encodeCursor, listQueue, loadQueue } from "@/features/tickets/queue/queue";
import {
  ASSIGNEE_FILTERS,
  CHANNEL_FILTERS,
  PRIORITY_FILTERS,
  QUEUE_SORTS,
  STATUS_FILTERS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type QueueFilter,
  parseQueueFilter,
  statusesOf,
} from "@/features/tickets/queue/schemas";

/**
 * The queue against a reference model: every ticket made here is also kept as a plain object,
 * and each query's answer is compared with filtering and sorting those objects in JavaScript.
 * The file starts from an empty Ticket table (test files run one at a time on the run's database).
 */

const now = new Date(Date.UTC(2026, 10, 20, 12, 0, 0));
const minutes = (m: number) => new Date(now.getTime() - m * 60_000);

type Model = {
  id: string;
  status: TicketStatus;
  priority: TicketPriority;
  channel: TicketChannel;
  assigneeId: string | null;
  createdAt: Date;
  lastActivityAt: Date;
};

const models: Model[] = [];
let me: string;
let colleague: string;

async function makeTicket(fields: {
  status: TicketStatus;
  priority: TicketPriority;
  channel: TicketChannel;
  assigneeId?: string | null;
  createdAt: Date;
  lastActivityAt?: Date;
  subject?: string;
  body?: string;
  note?: string;
  requesterName?: string;
  requesterAddress?: string;
}): Promise<Model> {
  const lastActivityAt = fields.lastActivityAt ?? fields.createdAt;
  const ticket = await db.ticket.create({
    data: {
      subject: fields.subject ?? `Ticket ${models.length + 1}`,
      channel: fields.channel,
      status: fields.status,
      priority: fields.priority,
      assigneeId: fields.assigneeId ?? null,
      createdAt: fields.createdAt,
      lastActivityAt,
      requesterName: fields.requesterName ?? "Pat Doe",
      requesterAddress: fields.requesterAddress ?? "pat@example.test",
      messages: {
        create: [
          { kind: "public_reply", body: fields.body ?? "Hello, something is wrong.", createdAt: fields.createdAt },
          ...(fields.note ? [{ kind: "internal_note" as const, body: fields.note, createdAt: lastActivityAt }] : []),
        ],
      },
    },
  });
  const model = {
    id: ticket.id,
    status: ticket.status,
    priority: ticket.priority,
    channel: ticket.channel,
    assigneeId: ticket.assigneeId,
    createdAt: ticket.createdAt,
    lastActivityAt: ticket.lastActivityAt,
  };
  models.push(model);
  return model;
}

const RANK: Record<TicketPriority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };
const byId = (a: Model, b: Model) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The reference: what the queue must answer, over the models. */
function expected(filter: QueueFilter, viewerId = me, pool: Model[] = models): string[] {
  const statuses = statusesOf(filter.status);
  const rows = pool.filter(
    (m) =>
      statuses.includes(m.status) &&
      (filter.priority === "any" || m.priority === filter.priority) &&
      (filter.channel === "any" || m.channel === filter.channel) &&
      (filter.assignee === "anyone" || (filter.assignee === "me" ? m.assigneeId === viewerId : m.assigneeId === null)),
  );
  const compare: Record<typeof filter.sort, (a: Model, b: Model) => number> = {
    updated: (a, b) => b.lastActivityAt.getTime() - a.lastActivityAt.getTime() || -byId(a, b),
    oldest: (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || byId(a, b),
    newest: (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || -byId(a, b),
    priority: (a, b) => RANK[b.priority] - RANK[a.priority] || a.createdAt.getTime() - b.createdAt.getTime() || byId(a, b),
  };
  return rows.sort(compare[filter.sort]).map((m) => m.id);
}

const filterOf = (params: Record<string, string | undefined> = {}) => parseQueueFilter(params);
const ids = (page: QueuePage) => page.rows.map((row) => row.id);

/** Every page, following nextCursor, with an optional hook between pages. */
async function allPages(filter: QueueFilter, options: QueueOptions & { between?: (page: number) => Promise<void> } = {}): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  for (let n = 0; n < 200; n++) {
    const page = await listQueue({ userId: me }, { ...filter, after: cursor }, { now, ...options });
    pages.push(ids(page));
    if (!page.nextCursor) return pages;
    cursor = page.nextCursor;
    await options.between?.(n);
  }
  throw new Error("too many pages");
}

beforeAll(async () => {
  await db.ticket.deleteMany();
  me = (await db.user.create({ data: { email: `${randomUUID()}@helpdesk.test`, name: "Queue Tester", role: "agent" } })).id;
  colleague = (await db.user.create({ data: { email: `${randomUUID()}@helpdesk.test`, name: "Colleague", role: "agent" } })).id;

  // 48 tickets: every status × priority pair twice, channels and assignees rotating, creation and
  // activity times spread out, with deliberate ties in both (broken by id).
  let n = 0;
  for (const status of TICKET_STATUSES) {
    for (const priority of TICKET_PRIORITIES) {
      for (let copy = 0; copy < 2; copy++) {
        n += 1;
        const channel = (["web", "email", "phone", "chat"] as const)[n % 4]!;
        const assigneeId = [me, colleague, null][n % 3]!;
        const createdAt = minutes(10_000 - (n % 7 === 0 ? 0 : n * 97)); // every 7th shares a creation time
        const lastActivityAt = minutes(n % 5 === 0 ? 5 : (n * 31) % 900); // every 5th shares an activity time
        await makeTicket({ status, priority, channel, assigneeId, createdAt, lastActivityAt });
      }
    }
  }
});

afterAll(async () => {
  await db.ticket.deleteMany({ where: { id: { in: models.map((m) => m.id) } } });
});

describe("filters and sorts", () => {
  it("starts with open work, most recent activity first", async () => {
    const page = await listQueue({ userId: me }, filterOf(), { now, pageSize: 100 });
    expect(ids(page)).toEqual(expected(filterOf()));
    expect(page.rows.every((row) => ["new", "open", "pending", "on_hold"].includes(row.status))).toBe(true);
  });

  const oneDimension = [
    ...STATUS_FILTERS.map((status) => ({ status })),
    ...PRIORITY_FILTERS.map((priority) => ({ priority })),
    ...ASSIGNEE_FILTERS.map((assignee) => ({ assignee })),
    ...CHANNEL_FILTERS.map((channel) => ({ channel })),
  ];
  it.each(oneDimension)("filters by %o", async (params) => {
    const filter = filterOf(params);
    const page = await listQueue({ userId: me }, filter, { now, pageSize: 100 });
    expect(ids(page)).toEqual(expected(filter));
  });

  it.each(
    QUEUE_SORTS.flatMap((sort) => [
      { sort, status: "all" },
      { sort, status: "active", assignee: "unassigned" },
      { sort, assignee: "me", priority: "high" },
    ]),
  )("sorts %o", async (params) => {
    const filter = filterOf(params);
    const page = await listQueue({ userId: me }, filter, { now, pageSize: 100 });
    expect(ids(page)).toEqual(expected(filter));
  });

  it("agrees with the reference on combined filters", async () => {
    // A fixed pseudo-random walk through the combinations.
    let seed = 7;
    const pick = <T>(values: readonly T[]) => values[(seed = (seed * 48271) % 2147483647) % values.length]!;
    for (let i = 0; i < 40; i++) {
      const filter = filterOf({
        status: pick(STATUS_FILTERS),
        priority: pick(PRIORITY_FILTERS),
        assignee: pick(ASSIGNEE_FILTERS),
        channel: pick(CHANNEL_FILTERS),
        sort: pick(QUEUE_SORTS),
      });
      const page = await listQueue({ userId: me }, filter, { now, pageSize: 100 });
      expect(ids(page), JSON.stringify(filter)).toEqual(expected(filter));
    }
  });

  it("shows each row's assignee and the facts the badge is derived from", async () => {
    const page = await listQueue({ userId: me }, filterOf({ status: "all", assignee: "me" }), { now, pageSize: 5 });
    for (const row of page.rows) {
      expect(row.assignee?.name).toBe("Queue Tester");
      expect(row.identity.facts.addressStanding).toBe("unknown");
      expect(row.identity.badge).toBe("unverified");
      expect(row.entitlement).toBeNull();
    }
  });
});

describe("keyset pagination", () => {
  it.each(
    QUEUE_SORTS.flatMap((sort) => [
      { sort, status: "all" },
      { sort, status: "active", channel: "email" },
    ]),
  )("returns every ticket exactly once across pages: %o", async (params) => {
    const filter = filterOf(params);
    const pages = await allPages(filter, { pageSize: 4 });
    expect(pages.flat()).toEqual(expected(filter));
    expect(pages.slice(0, -1).every((page) => page.length === 4)).toBe(true);
  });

  it("stays stable when tickets arrive between pages", async () => {
    for (const sort of QUEUE_SORTS) {
      const filter = filterOf({ sort, status: "all" });
      const before = expected(filter);
      const added: Model[] = [];
      const pages = await allPages(filter, {
        pageSize: 5,
        between: async (n) => {
          // New tickets on both sides of the cursor: newest, oldest, and one tied with an existing ticket.
          const tie = models[n % models.length]!;
          added.push(await makeTicket({ status: "open", priority: "urgent", channel: "web", createdAt: minutes(-n - 1), lastActivityAt: minutes(-n - 1) }));
          added.push(
            await makeTicket({ status: "closed", priority: "low", channel: "chat", createdAt: minutes(20_000 + n), lastActivityAt: minutes(20_000 + n) }),
          );
          added.push(
            await makeTicket({ status: "pending", priority: tie.priority, channel: "email", createdAt: tie.createdAt, lastActivityAt: tie.lastActivityAt }),
          );
        },
      });
      const seen = pages.flat();
      expect(new Set(seen).size, `no ticket twice (${sort})`).toBe(seen.length);
      for (const id of before)
        expect(
          seen.filter((x) => x === id),
          `${id} once (${sort})`,
        ).toHaveLength(1);
      // Newcomers appear at most once, and only those sorting after the cursor at the time.
      expect(seen.filter((id) => added.some((m) => m.id === id)).every((id) => seen.indexOf(id) === seen.lastIndexOf(id))).toBe(true);
      await db.ticket.deleteMany({ where: { id: { in: added.map((m) => m.id) } } });
      models.splice(models.length - added.length, added.length);
    }
  });

  it("goes back with previous-page cursors and lands on a full first page", async () => {
    const filter = filterOf({ status: "all", sort: "priority" });
    const all = expected(filter);
    const first = await listQueue({ userId: me }, filter, { now, pageSize: 6 });
    expect(first.previousCursor).toBeNull();
    const second = await listQueue({ userId: me }, { ...filter, after: first.nextCursor! }, { now, pageSize: 6 });
    const third = await listQueue({ userId: me }, { ...filter, after: second.nextCursor! }, { now, pageSize: 6 });
    expect([...ids(first), ...ids(second), ...ids(third)]).toEqual(all.slice(0, 18));
    const backToSecond = await listQueue({ userId: me }, { ...filter, before: third.previousCursor! }, { now, pageSize: 6 });
    expect(ids(backToSecond)).toEqual(ids(second));
    expect(backToSecond.nextCursor).not.toBeNull();
    const backToFirst = await listQueue({ userId: me }, { ...filter, before: backToSecond.previousCursor! }, { now, pageSize: 6 });
    expect(ids(backToFirst)).toEqual(ids(first));
    expect(backToFirst.previousCursor).toBeNull();
    // "Before" the second row of the first page: shows the (full) first page.
    const nearStart = encodeCursor("priority", { at: first.rows[1]!.createdAt.toISOString(), id: first.rows[1]!.id, priority: first.rows[1]!.priority });
    expect(ids(await listQueue({ userId: me }, { ...filter, before: nearStart }, { now, pageSize: 6 }))).toEqual(ids(first));
  });

  it("ignores cursors of another sort and anything that is not a cursor", async () => {
    const updated = await listQueue({ userId: me }, filterOf({ status: "all" }), { now, pageSize: 3 });
    expect(decodeCursor("oldest", updated.nextCursor!)).toBeNull();
    const firstOldest = await listQueue({ userId: me }, filterOf({ status: "all", sort: "oldest" }), { now, pageSize: 3 });
    for (const bad of [
      updated.nextCursor!,
      "bm9wZQ",
      Buffer.from('["o","2026-01-01T00:00:00.000Z","x"]').toString("base64url"),
      Buffer.from("{").toString("base64url"),
    ]) {
      const page = await listQueue({ userId: me }, filterOf({ status: "all", sort: "oldest", after: bad }), { now, pageSize: 3 });
      expect(ids(page)).toEqual(ids(firstOldest));
    }
  });
});

describe("search", () => {
  let subjectHit: Model;
  let bodyHit: Model;
  let noteHit: Model;
  let requesterHit: Model;
  beforeAll(async () => {
    subjectHit = await makeTicket({ status: "open", priority: "normal", channel: "email", createdAt: minutes(50), subject: "Quarterly invoice export stalls" });
    bodyHit = await makeTicket({
      status: "pending",
      priority: "high",
      channel: "web",
      createdAt: minutes(60),
      body: "The flux capacitor overheats whenever the printer spools.",
    });
    noteHit = await makeTicket({ status: "open", priority: "low", channel: "phone", createdAt: minutes(70), note: "Caller mentioned the zeppelin warranty." });
    requesterHit = await makeTicket({
      status: "new",
      priority: "urgent",
      channel: "email",
      createdAt: minutes(80),
      requesterName: "Zelda Quartermaine",
      requesterAddress: "zq+billing@lumenfold.example",
    });
  });

  const cases: [string, () => Model[]][] = [
    ["invoice", () => [subjectHit]],
    ["invoices", () => [subjectHit]], // English stemming
    ["capacitor", () => [bodyHit]],
    ["capacitors spooling", () => [bodyHit]], // stems of both words, in any order
    ["zeppelin", () => [noteHit]], // internal notes are searchable by agents
    ["quartermaine", () => [requesterHit]],
    ["lumenfold", () => [requesterHit]], // part of the address
    ["zq+billing@lumenfold.example", () => [requesterHit]],
    ['"flux capacitor"', () => [bodyHit]],
    ["capacitor -printer", () => []],
    ["xylophonequux", () => []],
  ];
  it.each(cases)("finds %s with either plan", async (q, hits) => {
    for (const searchPlan of ["selective", "broad"] as const) {
      const page = await listQueue({ userId: me }, filterOf({ q, status: "all" }), { now, pageSize: 50, searchPlan });
      expect(ids(page), `${q} (${searchPlan})`).toEqual(hits().map((m) => m.id));
    }
  });

  it("combines the search with the other filters", async () => {
    expect(ids(await listQueue({ userId: me }, filterOf({ q: "capacitor", status: "open" }), { now }))).toEqual([]);
    expect(ids(await listQueue({ userId: me }, filterOf({ q: "capacitor", status: "pending", channel: "web" }), { now }))).toEqual([bodyHit.id]);
  });

  it("keeps to the selected statuses with either plan and any sort", async () => {
    const openGyro = await makeTicket({
      status: "on_hold",
      priority: "low",
      channel: "chat",
      createdAt: minutes(90),
      lastActivityAt: minutes(5),
      subject: "Gyroscope drifts",
    });
    const closedGyro = await makeTicket({
      status: "closed",
      priority: "low",
      channel: "chat",
      createdAt: minutes(95),
      lastActivityAt: minutes(4),
      subject: "Gyroscope drifts again",
    });
    for (const searchPlan of ["selective", "broad"] as const) {
      for (const sort of QUEUE_SORTS) {
        const openWork = await listQueue({ userId: me }, filterOf({ q: "gyroscope", sort }), { now, searchPlan });
        expect(ids(openWork), `${searchPlan}, ${sort}`).toEqual([openGyro.id]);
      }
      const all = await listQueue({ userId: me }, filterOf({ q: "gyroscope", status: "all" }), { now, searchPlan });
      expect(ids(all), searchPlan).toEqual([closedGyro.id, openGyro.id]);
    }
  });

  it("lets the planner choose on its own", async () => {
    expect(ids(await listQueue({ userId: me }, filterOf({ q: "lumenfold", status: "all" }), { now }))).toEqual([requesterHit.id]);
  });
});

describe("counts", () => {
  const expectedCounts = (filter: QueueFilter) => Object.fromEntries(TICKET_STATUSES.map((status) => [status, expected({ ...filter, status }).length]));

  it.each([
    {},
    { priority: "urgent" },
    { assignee: "me" },
    { assignee: "unassigned" },
    { channel: "chat" },
    { assignee: "me", priority: "low" },
    { q: "capacitor" },
  ])("counts per status exactly when small: %o", async (params) => {
    const filter = filterOf(params);
    const counts = await countQueue({ userId: me }, filter, { now });
    const reference = params.q ? { new: 0, open: 0, pending: 1, on_hold: 0, solved: 0, closed: 0 } : expectedCounts(filter);
    for (const status of TICKET_STATUSES) expect(counts.byStatus[status], status).toEqual({ value: reference[status], exact: true });
    const total = statusesOf(filter.status).reduce((sum, status) => sum + reference[status]!, 0);
    expect(counts.total).toEqual({ value: total, exact: true });
  });

  it("loads the page and the same counts together", async () => {
    const filter = filterOf({ assignee: "me" });
    const { page, counts } = await loadQueue({ userId: me }, filter, { now, freshCounts: true });
    expect(ids(page)).toEqual(expected(filter).slice(0, 25));
    expect(counts).toEqual(await countQueue({ userId: me }, filter, { now }));
  });

  it(`caps at ${COUNT_CAP.toLocaleString("en")} and says so`, async () => {
    const bulk = Array.from({ length: COUNT_CAP + 5 }, (_, i) => ({
      subject: `Bulk ${i}`,
      channel: "email" as const,
      status: "closed" as const,
      priority: "low" as const,
      createdAt: minutes(30_000 + i),
      lastActivityAt: minutes(30_000 + i),
      requesterAddress: `bulk${i}@example.test`,
    }));
    await db.ticket.createMany({ data: bulk });
    try {
      const counts = await countQueue({ userId: me }, filterOf({ status: "all" }), { now });
      expect(counts.byStatus.closed).toEqual({ value: COUNT_CAP, exact: false });
      expect(counts.byStatus.new.exact).toBe(true);
      expect(counts.total.exact).toBe(false);
      // With a filter no index answers, the count is a lower bound from a bounded scan.
      const emails = await countQueue({ userId: me }, filterOf({ status: "closed", channel: "email" }), { now });
      expect(emails.total.exact).toBe(false);
      expect(emails.total.value).toBeGreaterThan(0);
    } finally {
      await db.ticket.deleteMany({ where: { subject: { startsWith: "Bulk " } } });
    }
  });
});
