import { describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { applySafeFixes, undoSafeFixes } from "@/features/data-quality/cleansing/safe-fixes";
import { proposeCleansing } from "@/features/data-quality/cleansing/suggestions";
import { previewCampaign } from "@/features/data-quality/campaigns/campaigns";
import { campaignCriteriaSchema } from "@/features/data-quality/campaigns/schemas";

/** A measurement, not a check (opt-in: DQ_SCALE=1): how long the set-based passes take on 100,000 contacts. */
describe.runIf(process.env.DQ_SCALE)("scale", () => {
  it("100,000 contacts", { timeout: 600_000 }, async () => {
    const user = await db.user.create({ data: { email: "scale@example.com", name: "Scale", role: "supervisor" } });
    const org = await db.organisation.create({ data: { name: "Scale org", normalizedName: "scale org" } });
    let t = performance.now();
    await db.$executeRaw`INSERT INTO "Customer" (id, "accountNumber", name, "organisationId", "updatedAt")
      SELECT gen_random_uuid(), 'SC-' || n, 'Scale ' || (n % 90000), ${org.id}::uuid, now() FROM generate_series(1, 100000) n`;
    await db.$executeRaw`INSERT INTO "CustomerEmail" (id, "customerId", address, normalized, "isPrimary", validity, "validityReasons", "validitySuggestion", "updatedAt")
      SELECT gen_random_uuid(), c.id,
             CASE WHEN n % 10 = 0 THEN ' U' || n || '@EXAMPLE.com ' WHEN n % 10 = 1 THEN 'u' || n || '@gmial.com' ELSE 'u' || n || '@example.com' END,
             CASE WHEN n % 10 = 0 THEN 'u' || n || '@example.com' WHEN n % 10 = 1 THEN 'u' || n || '@gmial.com' ELSE 'u' || n || '@example.com' END,
             true, CASE WHEN n % 10 = 1 THEN 'doubtful'::"ContactValidity" ELSE 'valid'::"ContactValidity" END,
             CASE WHEN n % 10 = 1 THEN ARRAY['email_likely_typo'] WHEN n % 10 = 0 THEN ARRAY['email_needs_tidying'] ELSE ARRAY[]::text[] END,
             CASE WHEN n % 10 = 1 THEN 'u' || n || '@gmail.com' END, now()
        FROM (SELECT id, row_number() OVER () AS n FROM "Customer" WHERE "accountNumber" LIKE 'SC-%') c`;
    await db.$executeRaw`INSERT INTO "CustomerPhone" (id, "customerId", e164, kind, "validityReasons", "updatedAt")
      SELECT gen_random_uuid(), c.id,
             CASE WHEN n % 20 = 0 THEN '020 7' || lpad((n % 10000000)::text, 7, '0') ELSE '+4477' || lpad((n % 100000000)::text, 8, '0') END,
             'mobile', CASE WHEN n % 20 = 5 THEN ARRAY['phone_landline_as_mobile'] ELSE ARRAY[]::text[] END, now()
        FROM (SELECT id, row_number() OVER () AS n FROM "Customer" WHERE "accountNumber" LIKE 'SC-%') c`;
    await db.$executeRaw`ANALYZE`;
    console.log(`seeded in ${Math.round(performance.now() - t)} ms`);
    t = performance.now();
    const fixes = await applySafeFixes({ userId: user.id, role: "supervisor" });
    console.log(`applySafeFixes: ${fixes.emails} emails, ${fixes.phones} phones in ${Math.round(performance.now() - t)} ms`);
    t = performance.now();
    await undoSafeFixes(fixes.changeSetId!, { userId: user.id, role: "supervisor" });
    console.log(`undo in ${Math.round(performance.now() - t)} ms`);
    t = performance.now();
    const first = await proposeCleansing();
    console.log(`proposeCleansing (first): ${JSON.stringify(first)} in ${Math.round(performance.now() - t)} ms`);
    t = performance.now();
    const second = await proposeCleansing();
    console.log(`proposeCleansing (again): ${JSON.stringify(second)} in ${Math.round(performance.now() - t)} ms`);
    t = performance.now();
    const preview = await previewCampaign(campaignCriteriaSchema.parse({ channel: "sms", unverified: true }));
    console.log(`previewCampaign sms: ${preview.toSend} in ${Math.round(performance.now() - t)} ms`);
    expect(first.open).toBeGreaterThan(0);
  });
});
