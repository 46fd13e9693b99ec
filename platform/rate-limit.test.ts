import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { consumeRateLimit, isRateLimited } from "@/platform/rate-limit";

describe("consumeRateLimit", () => {
  it("allows up to the limit in a window, then refuses with a retry time", async () => {
    const key = `test:${randomUUID()}`;
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await consumeRateLimit(key, 3, 60));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[3]!.count).toBe(4);
    expect(results[3]!.retryAfterSeconds).toBeGreaterThan(0);
    expect(results[3]!.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it("counts concurrent hits exactly once each (shared by all instances)", async () => {
    const key = `test:${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 20 }, () => consumeRateLimit(key, 5, 60)));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("starts a new window once the old one has expired", async () => {
    const key = `test:${randomUUID()}`;
    await consumeRateLimit(key, 1, 60);
    expect((await consumeRateLimit(key, 1, 60)).allowed).toBe(false);
    await db.rateLimitCounter.update({ where: { key }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const fresh = await consumeRateLimit(key, 1, 60);
    expect(fresh).toMatchObject({ allowed: true, count: 1 });
  });
});

describe("isRateLimited", () => {
  it("reports a reached limit without counting, and forgets an expired window", async () => {
    const key = `test:${randomUUID()}`;
    expect((await isRateLimited(key, 2)).limited).toBe(false);
    await consumeRateLimit(key, 2, 60);
    expect((await isRateLimited(key, 2)).limited).toBe(false);
    await consumeRateLimit(key, 2, 60);
    const limited = await isRateLimited(key, 2);
    expect(limited.limited).toBe(true);
    expect(limited.retryAfterSeconds).toBeGreaterThan(0);
    expect((await db.rateLimitCounter.findUniqueOrThrow({ where: { key } })).count).toBe(2);
    await db.rateLimitCounter.update({ where: { key }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await isRateLimited(key, 2)).limited).toBe(false);
  });
});
