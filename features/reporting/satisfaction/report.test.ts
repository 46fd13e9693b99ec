import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db, type AgreementTier, type SatisfactionRating, type SurveyIdentityPath } from "@/platform/db/client";
import { satisfactionCsv } from "@/features/reporting/satisfaction/csv-export";
import { dayStartIn, periodOf, satisfactionReport } from "@/features/reporting/satisfaction/report";

const HOUR = 3_600_000;

/** A period of its own, years ahead, so other tests' rows never fall in it. */
function isolatedPeriod() {
  const year = 2040 + Math.floor(Math.random() * 900);
  const fromDay = `${year}-03-01`;
  const toDay = `${year}-03-31`;
  return { fromDay, toDay, from: new Date(`${fromDay}T00:00:00Z`), to: new Date(`${year}-04-01T00:00:00Z`) };
}

async function survey(at: Date, data: { agentId?: string | null; tier?: AgreementTier | null; path?: SurveyIdentityPath; rating?: SatisfactionRating | null }) {
  const ticket = await db.ticket.create({ data: { subject: "Rated", channel: "email", status: "solved", requesterAddress: "someone@example.org" } });
  await db.satisfactionSurvey.create({
    data: {
      ticketId: ticket.id,
      tokenHash: randomUUID(),
      sentTo: "someone@example.org",
      agentId: data.agentId ?? null,
      tier: data.tier ?? null,
      identityPath: data.path ?? "unverified",
      sentAt: at,
      expiresAt: new Date(at.getTime() + 14 * 24 * HOUR),
      rating: data.rating ?? null,
      ratedAt: data.rating ? at : null,
    },
  });
}

describe("satisfaction report", () => {
  it("counts sent, rated, good and bad per agent, tier and identity path, within the period only", async () => {
    const period = isolatedPeriod();
    const alex = await db.user.create({ data: { email: `${randomUUID()}@example.com`, name: "Alex Agent", role: "agent" } });
    const inside = new Date(period.from.getTime() + 5 * 24 * HOUR);
    await survey(inside, { agentId: alex.id, tier: "premium", path: "agent_checked", rating: "good" });
    await survey(inside, { agentId: alex.id, tier: "premium", path: "overridden", rating: "bad" });
    await survey(inside, { agentId: alex.id, tier: null, path: "self_verified", rating: null });
    await survey(inside, { agentId: null, tier: "basic", path: "self_verified", rating: "good" });
    await survey(new Date(period.from.getTime() - 1), { agentId: alex.id, rating: "bad" }); // the day before
    await survey(period.to, { agentId: alex.id, rating: "bad" }); // the day after the last

    const report = await satisfactionReport(period, new Date(period.to.getTime() + 48 * HOUR));
    expect(report.overall).toEqual({ sent: 4, rated: 3, good: 2, bad: 1 });
    expect(report.byAgent).toEqual([
      { key: alex.id, label: "Alex Agent", sent: 3, rated: 2, good: 1, bad: 1 },
      { key: "none", label: "Unassigned", sent: 1, rated: 1, good: 1, bad: 0 },
    ]);
    expect(report.byTier.map((row) => [row.key, row.sent, row.good, row.bad])).toEqual([
      ["premium", 2, 1, 1],
      ["standard", 0, 0, 0],
      ["basic", 1, 1, 0],
      ["none", 1, 0, 0],
    ]);
    expect(Object.fromEntries(report.byIdentityPath.map((row) => [row.key, [row.sent, row.good, row.bad]]))).toEqual({
      self_verified: [2, 1, 0],
      agent_checked: [1, 1, 0],
      escalated: [0, 0, 0],
      overridden: [1, 0, 1],
      unverified: [0, 0, 0],
    });
    expect(satisfactionCsv(report, "agents")).toBe(
      `period_from,${period.fromDay},period_to,${period.toDay}\r\nagent,surveys_sent,rated,good,bad,good_share\r\nAlex Agent,3,2,1,1,0.500\r\nUnassigned,1,1,1,0,1.000\r\n`,
    );
  });

  it("groups the period's help-centre searches that found nothing, most frequent first, and reports deflection", async () => {
    const period = isolatedPeriod();
    const at = new Date(period.from.getTime() + HOUR);
    const marker = randomUUID().slice(0, 8);
    await db.kbSearch.createMany({
      data: [
        { query: `=cmd ${marker}`, resultCount: 0, source: "help", createdAt: at },
        { query: `vpn ${marker}`, resultCount: 0, source: "help", createdAt: at },
        { query: `vpn ${marker}`, resultCount: 0, source: "portal", createdAt: new Date(at.getTime() + HOUR) },
        { query: `printer ${marker}`, resultCount: 3, source: "help", createdAt: at },
        { query: `vpn ${marker}`, resultCount: 0, source: "help", createdAt: new Date(period.to.getTime() + HOUR) },
      ],
    });
    const user = await db.user.create({ data: { email: `${randomUUID()}@example.com`, name: "Cus Tomer", role: "customer" } });
    await db.kbSuggestionOpen.createMany({
      data: [
        { userId: user.id, formKey: randomUUID(), articleId: randomUUID(), openedAt: at },
        { userId: user.id, formKey: randomUUID(), articleId: randomUUID(), openedAt: at },
      ],
    });
    const report = await satisfactionReport(period, new Date(period.to.getTime() + 48 * HOUR));
    expect(report.noResultSearches.map((row) => [row.query, row.count])).toEqual([
      [`vpn ${marker}`, 2],
      [`=cmd ${marker}`, 1],
    ]);
    expect(report.deflection).toEqual({ formsWithSuggestionOpened: 2, deflected: 2, rate: 1 });
    expect(satisfactionCsv(report, "searches")).toContain(`'=cmd ${marker},1,`); // a formula cell is neutralised
  });

  it("reads the date range in the viewer's time zone, and falls back to 30 days on a bad range without failing", () => {
    expect(dayStartIn("2026-07-01", "Europe/Berlin").toISOString()).toBe("2026-06-30T22:00:00.000Z");
    expect(dayStartIn("2026-01-01", "America/New_York").toISOString()).toBe("2026-01-01T05:00:00.000Z");
    const now = new Date("2026-12-04T23:30:00Z");
    const { period, errors } = periodOf({ from: "2026-11-01", to: "2026-11-30" }, "Pacific/Auckland", now);
    expect(errors).toEqual({});
    expect([period.from.toISOString(), period.to.toISOString()]).toEqual(["2026-10-31T11:00:00.000Z", "2026-11-30T11:00:00.000Z"]);
    for (const bad of [
      { from: "2026-02-30" },
      { from: "2026-12-01", to: "2026-11-01" },
      { from: "\u0000" },
      { to: ["x", "y"] },
      { from: "1900-01-01", to: "2026-01-01" },
    ]) {
      const fallback = periodOf(bad, "Pacific/Auckland", now);
      expect(fallback.period.toDay).toBe("2026-12-05"); // today in Auckland
      expect(fallback.period.fromDay).toBe("2026-11-06");
    }
  });
});
