import { describe, expect, it } from "vitest";
import { db, Prisma } from "@/platform/db/client";
import { queryPrepared } from "@/platform/db/prepared";

describe("queryPrepared", () => {
  it("answers like Prisma's $queryRaw for the same SQL, also once PostgreSQL switches to a cached plan", async () => {
    const statement = (n: number, since: string) =>
      Prisma.sql`SELECT ${n}::int AS "n", CAST(${since} AS timestamp(3)) + interval '1 hour' AS "later", ${`x${n}`}::text AS "label"`;
    // More than five runs: PostgreSQL plans a prepared statement afresh five times, then may reuse a generic plan.
    for (let n = 1; n <= 12; n++) {
      const since = `2026-11-${String(n).padStart(2, "0")}T10:42:00.000Z`;
      const [viaPool] = await queryPrepared<{ n: number; later: Date; label: string }>(statement(n, since));
      const [viaPrisma] = await db.$queryRaw<{ n: number; later: Date; label: string }[]>(statement(n, since));
      expect(viaPool?.n).toBe(n);
      expect(viaPool?.label).toBe(`x${n}`);
      expect(viaPool?.n).toBe(viaPrisma?.n);
      expect(viaPool?.label).toBe(viaPrisma?.label);
      expect(viaPool?.later).toEqual(viaPrisma?.later);
    }
  });

  it("plans as the caller chose: one generic plan, or a custom plan for every execution", async () => {
    const mode = Prisma.sql`SELECT current_setting('plan_cache_mode') AS "mode"`;
    expect((await queryPrepared<{ mode: string }>(mode))[0]?.mode).toBe("force_generic_plan");
    expect((await queryPrepared<{ mode: string }>(mode, "generic"))[0]?.mode).toBe("force_generic_plan");
    expect((await queryPrepared<{ mode: string }>(mode, "custom"))[0]?.mode).toBe("force_custom_plan");
    // The same statement answers alike on both.
    const statement = (n: number) => Prisma.sql`SELECT ${n}::int * 2 AS "twice"`;
    for (let n = 1; n <= 7; n++) {
      expect((await queryPrepared<{ twice: number }>(statement(n), "generic"))[0]?.twice).toBe(2 * n);
      expect((await queryPrepared<{ twice: number }>(statement(n), "custom"))[0]?.twice).toBe(2 * n);
    }
  });

  it("keeps one statement per SQL text: different texts do not collide", async () => {
    const [a] = await queryPrepared<{ v: string }>(Prisma.sql`SELECT 'a'::text AS "v"`);
    const [b] = await queryPrepared<{ v: string }>(Prisma.sql`SELECT 'b'::text AS "v"`);
    const [again] = await queryPrepared<{ v: string }>(Prisma.sql`SELECT 'a'::text AS "v"`);
    expect([a?.v, b?.v, again?.v]).toEqual(["a", "b", "a"]);
  });

  it("reads timestamp and date columns, and arrays of them, as UTC, as Prisma stores them, whatever this process's time zone", async () => {
    const original = process.env.TZ;
    try {
      for (const zone of ["UTC", "America/New_York", "Pacific/Chatham"]) {
        process.env.TZ = zone;
        const [row] = await queryPrepared<{ at: Date; day: Date; stamped: Date; missing: Date | null; ats: (Date | null)[]; days: Date[] }>(Prisma.sql`
          SELECT '2026-03-29 00:30:00.123'::timestamp(3) AS "at", '2026-03-29'::date AS "day",
                 '2026-03-29 00:30:00+00'::timestamptz AS "stamped", NULL::timestamp AS "missing",
                 ARRAY['2026-03-29 00:30:00'::timestamp, NULL] AS "ats", ARRAY['2026-10-25'::date] AS "days"`);
        expect(row?.at.toISOString()).toBe("2026-03-29T00:30:00.123Z");
        expect(row?.day.toISOString()).toBe("2026-03-29T00:00:00.000Z");
        expect(row?.stamped.toISOString()).toBe("2026-03-29T00:30:00.000Z");
        expect(row?.missing).toBeNull();
        expect(row?.ats.map((at) => at?.toISOString() ?? null)).toEqual(["2026-03-29T00:30:00.000Z", null]);
        expect(row?.days.map((day) => day.toISOString())).toEqual(["2026-10-25T00:00:00.000Z"]);
      }
    } finally {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    }
  });

  it("reads the values PostgreSQL can hold and a JavaScript Date parser would not: far years, BC, infinity, microseconds", async () => {
    const [row] = await queryPrepared<Record<string, Date>>(Prisma.sql`
      SELECT '10000-01-01 00:00:00'::timestamp AS "far", '0044-03-15 12:00:00 BC'::timestamp AS "ides", '0099-12-31'::date AS "early",
             'infinity'::timestamp AS "forever", '-infinity'::date AS "always", '2026-03-29 00:30:00.123456'::timestamp AS "micro"`);
    const far = new Date(0);
    far.setUTCFullYear(10000, 0, 1);
    const ides = new Date(0);
    ides.setUTCFullYear(-43, 2, 15);
    ides.setUTCHours(12);
    const early = new Date(0);
    early.setUTCFullYear(99, 11, 31);
    expect(row?.far?.getTime()).toBe(far.getTime());
    expect(row?.ides?.getTime()).toBe(ides.getTime());
    expect(row?.early?.getTime()).toBe(early.getTime());
    // Later and earlier than any real date, so "still valid on …" comparisons keep working.
    expect(row?.forever?.getTime()).toBe(8.64e15);
    expect(row?.always?.getTime()).toBe(-8.64e15);
    // Milliseconds, as Prisma keeps them.
    expect(row?.micro?.toISOString()).toBe("2026-03-29T00:30:00.123Z");
  });
});
