import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { type DataQualitySnapshot, dataQualitySnapshot, dataQualityTrend } from "@/features/data-quality/report/report";
import { BUCKETS } from "@/features/data-quality/report/report";

/**
 * The report's figures on the real database. Live figures are asserted as the exact change this
 * file's rows make (other files may leave contacts behind); the trend reads runs finished in 2037,
 * after anything else could have.
 */

const tag = randomUUID().slice(0, 8);
const customerIds: string[] = [];
const runIds: string[] = [];
const at = new Date("2026-11-01T10:00:00Z");
let before: DataQualitySnapshot;
let after: DataQualitySnapshot;

type Email = { local: string; verified?: boolean; validity?: "valid" | "doubtful" | "invalid"; reasons?: string[] };
type Phone = { e164: string; kind: "mobile" | "fixed" | "other"; verified?: boolean; validity?: "valid" | "doubtful" | "invalid"; reasons?: string[] };

async function customer(label: string, emails: Email[], phones: Phone[], extra: { mergedIntoId?: string; erasedAt?: Date } = {}) {
  const row = await db.customer.create({
    data: {
      accountNumber: `DQR-${tag}-${label}`,
      name: `Report ${label} ${tag}`,
      ...extra,
      emails: {
        create: emails.map((email, index) => {
          const address = `${email.local}-${tag}@report-${label}.example`;
          return {
            address,
            normalized: address,
            isPrimary: index === 0,
            verifiedAt: email.verified ? at : null,
            validity: email.validity ?? null,
            validityReasons: email.reasons ?? [],
            validatedAt: email.validity ? at : null,
          };
        }),
      },
      phones: {
        create: phones.map((phone) => ({
          e164: phone.e164,
          kind: phone.kind,
          verifiedAt: phone.verified ? at : null,
          validity: phone.validity ?? null,
          validityReasons: phone.reasons ?? [],
          validatedAt: phone.validity ? at : null,
        })),
      },
    },
  });
  customerIds.push(row.id);
  return row;
}

// Numbers unique to this run: +1 555 01xx xxxx from the tag.
const digits = Number.parseInt(tag.slice(0, 6), 16) % 10_000_000;
const number = (n: number) => `+1555${String((digits + n) % 10_000_000).padStart(7, "0")}`;

const category = (snapshot: DataQualitySnapshot, key: string) => snapshot.categories.find((row) => row.key === key)!;
const delta = (key: string) =>
  Object.fromEntries(["total", ...BUCKETS].map((bucket) => [bucket, (category(after, key) as never)[bucket] - (category(before, key) as never)[bucket]]));
const reasonDelta = (code: string) => after.reasons.find((row) => row.code === code)!.count - before.reasons.find((row) => row.code === code)!.count;

beforeAll(async () => {
  before = await dataQualitySnapshot();
  const live = await customer(
    "live",
    [
      // Verified and valid: counted once, as verified.
      { local: "verified", verified: true, validity: "valid" },
      // Verified although validation doubts it: still verified (the customer proved it).
      { local: "verified-doubtful", verified: true, validity: "doubtful", reasons: ["email_role_address"] },
      { local: "valid", validity: "valid", reasons: ["email_needs_tidying"] },
      { local: "doubtful", validity: "doubtful", reasons: ["email_role_address", "email_likely_typo"] },
      { local: "invalid", validity: "invalid", reasons: ["email_domain_not_found"] },
      { local: "unvalidated" },
    ],
    [
      { e164: number(1), kind: "mobile", verified: true, validity: "invalid", reasons: ["phone_bouncing"] },
      { e164: number(2), kind: "mobile", validity: "invalid", reasons: ["phone_invalid"] },
      { e164: number(3), kind: "fixed", validity: "doubtful", reasons: ["phone_voip"] },
      { e164: number(4), kind: "other" },
      // Shared with "twin" (live): a duplicate.
      { e164: number(5), kind: "mobile", validity: "doubtful", reasons: ["phone_duplicate"] },
      // Shared with the merged and the erased customer only: not a duplicate.
      { e164: number(6), kind: "fixed", validity: "valid" },
    ],
  );
  await customer("twin", [], [{ e164: number(5), kind: "mobile", validity: "doubtful", reasons: ["phone_duplicate"] }]);
  // Merged away and erased customers: none of their contacts count.
  const gone = [
    { local: "gone-invalid", validity: "invalid" as const, reasons: ["email_domain_not_found"] },
    { local: "gone-verified", verified: true },
  ];
  const gonePhones = [
    { e164: number(6), kind: "fixed" as const, validity: "invalid" as const, reasons: ["phone_invalid"] },
    { e164: number(7), kind: "mobile" as const },
  ];
  await customer("merged", gone, gonePhones, { mergedIntoId: live.id });
  await customer("erased", gone, gonePhones, { erasedAt: at });
  after = await dataQualitySnapshot();
});

afterAll(async () => {
  await db.customer.updateMany({ where: { id: { in: customerIds } }, data: { mergedIntoId: null } });
  await db.customer.deleteMany({ where: { id: { in: customerIds } } });
  await db.validationRun.deleteMany({ where: { id: { in: runIds } } });
});

describe("live shares", () => {
  it("counts each contact once: verified first, then by verdict, then not yet validated", () => {
    expect(delta("email")).toEqual({ total: 6, verified: 2, valid: 1, doubtful: 1, invalid: 1, unvalidated: 1 });
    expect(delta("phone_mobile")).toEqual({ total: 4, verified: 1, valid: 0, doubtful: 2, invalid: 1, unvalidated: 0 });
    expect(delta("phone_other")).toEqual({ total: 3, verified: 0, valid: 1, doubtful: 1, invalid: 0, unvalidated: 1 });
  });

  it("has shares that add up to the total in every category", () => {
    for (const row of after.categories) expect(BUCKETS.reduce((sum, bucket) => sum + row[bucket], 0)).toBe(row.total);
  });

  it("counts reasons per contact, with their labels, leaving out merged and erased customers", () => {
    expect(reasonDelta("email_role_address")).toBe(2);
    expect(reasonDelta("email_likely_typo")).toBe(1);
    expect(reasonDelta("email_domain_not_found")).toBe(1);
    expect(reasonDelta("email_needs_tidying")).toBe(1);
    expect(reasonDelta("phone_invalid")).toBe(1);
    expect(reasonDelta("phone_bouncing")).toBe(1);
    expect(reasonDelta("phone_duplicate")).toBe(2);
    expect(reasonDelta("email_disposable")).toBe(0);
    expect(after.reasons.find((row) => row.code === "email_domain_not_found")).toMatchObject({ channel: "email", label: "Domain does not exist" });
  });

  it("counts a phone number shared by live customers as a duplicate, not one shared with merged or erased ones", () => {
    expect(after.duplicates.phones - before.duplicates.phones).toBe(1);
    expect(after.duplicates.customers - before.duplicates.customers).toBe(2);
  });
});

describe("trend", () => {
  it("is one point per finished run, oldest first, with what no bucket holds as not yet validated", async () => {
    const run = async (finishedAt: Date | null, counts: unknown) => {
      const row = await db.validationRun.create({ data: { jobId: randomUUID(), trigger: "nightly", finishedAt, counts: counts as never } });
      runIds.push(row.id);
      return row;
    };
    const channel = (total: number, verified: number, valid: number, doubtful: number, invalid: number) => ({
      total,
      verified,
      valid,
      doubtful,
      invalid,
      reasons: {},
    });
    const second = await run(new Date("2037-02-08T03:00:00Z"), {
      email: channel(10, 4, 3, 2, 1),
      phone: channel(5, 1, 1, 1, 1),
      duplicates: { phones: 2, customers: 4 },
    });
    const first = await run(new Date("2037-02-01T03:00:00Z"), { email: channel(10, 2, 2, 2, 2), phone: channel(4, 0, 1, 1, 1) });
    await run(null, { email: channel(99, 99, 0, 0, 0) }); // still running: not a point
    // Malformed counts (a broken or older run) read as zeros rather than failing the page.
    const broken = await run(new Date("2037-02-15T03:00:00Z"), { email: "nonsense", phone: { total: -3, valid: "x" } });

    const trend = (await dataQualityTrend()).slice(-3);
    expect(trend.map((point) => point.runId)).toEqual([first.id, second.id, broken.id]);
    expect(trend[0]!.email).toEqual({ total: 10, verified: 2, valid: 2, doubtful: 2, invalid: 2, unvalidated: 2 });
    expect(trend[0]!.phone).toEqual({ total: 4, verified: 0, valid: 1, doubtful: 1, invalid: 1, unvalidated: 1 });
    expect(trend[0]!.duplicates).toEqual({ phones: 0, customers: 0 });
    expect(trend[1]!.email).toEqual({ total: 10, verified: 4, valid: 3, doubtful: 2, invalid: 1, unvalidated: 0 });
    expect(trend[1]!.duplicates).toEqual({ phones: 2, customers: 4 });
    expect(trend[2]!.email).toEqual({ total: 0, verified: 0, valid: 0, doubtful: 0, invalid: 0, unvalidated: 0 });
    expect(trend[2]!.phone.total).toBe(0);
    // The limit keeps the latest runs.
    expect((await dataQualityTrend(1)).map((point) => point.runId)).toEqual([broken.id]);
  });
});
