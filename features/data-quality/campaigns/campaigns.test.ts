import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db, type Role } from "@/platform/db/client";
import { isSealed, openSealedText } from "@/platform/outbox/sealed";
import { runJobsUntilIdle } from "@/platform/jobs/runner";
import { confirmContact } from "@/features/customers/contacts/contacts";
import {
  CAMPAIGN_JOB_KIND,
  campaignCounts,
  listCampaigns,
  previewCampaign,
  registerCampaignJobs,
  smsSegments,
  startCampaign,
} from "@/features/data-quality/campaigns/campaigns";
import { campaignCriteriaSchema } from "@/features/data-quality/campaigns/schemas";
import { MAX_SMS_PER_NUMBER_PER_DAY } from "@/features/verification/limits";

const IP = "203.0.113.40";
const tag = () => randomUUID().slice(0, 8);
const mobile = () => `+4477009${String(Math.floor(Math.random() * 100000)).padStart(5, "0")}`;

async function supervisor(role: Role = "supervisor") {
  const user = await db.user.create({ data: { email: `${randomUUID()}@example.com`, name: `Sup ${tag()}`, role, emailVerifiedAt: new Date() } });
  return { userId: user.id, role };
}

async function customer() {
  const id = tag();
  return db.customer.create({ data: { accountNumber: `CMP-${id}`, name: `Campaign ${id}` } });
}

const criteria = (input: Record<string, unknown>) => campaignCriteriaSchema.parse(input);

async function messageTo(to: string) {
  const row = await db.outboxMessage.findFirstOrThrow({ where: { recipient: to }, orderBy: { createdAt: "desc" } });
  return { row, text: row.textBody && isSealed(row.textBody) ? openSealedText(row.textBody) : (row.textBody ?? "") };
}

describe("campaign criteria", () => {
  it("needs at least one group and a sane number of months", () => {
    expect(campaignCriteriaSchema.safeParse({ channel: "email" }).success).toBe(false);
    expect(campaignCriteriaSchema.safeParse({ channel: "email", staleMonths: "0" }).success).toBe(false);
    expect(campaignCriteriaSchema.safeParse({ channel: "email", staleMonths: "6x" }).success).toBe(false);
    expect(campaignCriteriaSchema.parse({ channel: "sms", staleMonths: " 12 " })).toMatchObject({ staleMonths: "12", doubtful: false });
  });

  it("counts SMS segments", () => {
    expect(smsSegments("a".repeat(160))).toBe(1);
    expect(smsSegments("a".repeat(161))).toBe(2);
    expect(smsSegments("é".repeat(71))).toBe(2);
  });
});

/**
 * The test database holds every other test file's contacts, which a selection such as "not
 * verified for 24 months" takes in too: the campaign is cut down to this test's customer before its
 * job runs, so it sends to this test's contacts only (and the suite does not wait on thousands).
 */
async function keepOnlyTargetsOf(campaignId: string, customerId: string) {
  await db.verificationCampaignTarget.deleteMany({ where: { campaignId, customerId: { not: customerId } } });
}

describe("re-verification campaigns", () => {
  it("previews email sends and skips, sends through the outbox with no code in clear, and counts the customer's confirmation", async () => {
    registerCampaignJobs();
    const actor = await supervisor();
    const selection = criteria({ channel: "email", doubtful: true });
    const owner = await customer();
    const before = await previewCampaign(selection);
    const id = tag();
    const doubtful = await db.customerEmail.create({
      data: { customerId: owner.id, address: `dana.${id}@example.com`, normalized: `dana.${id}@example.com`, isPrimary: true, validity: "doubtful" },
    });
    await db.customerEmail.create({
      data: { customerId: owner.id, address: `bad.${id}@example.com`, normalized: `bad.${id}@example.com`, validity: "doubtful", deliverability: "bouncing" },
    });
    // A verified address is asked again only by "not verified for N months".
    const stale = await db.customerEmail.create({
      data: { customerId: owner.id, address: `old.${id}@example.com`, normalized: `old.${id}@example.com`, verifiedAt: new Date("2020-01-01") },
    });

    const preview = await previewCampaign(selection);
    expect(preview.toSend - before.toSend).toBe(1);
    expect(preview.selected - before.selected).toBe(2);
    expect(preview.skipped.find((item) => item.reason === "bouncing")?.count).toBe((before.skipped.find((item) => item.reason === "bouncing")?.count ?? 0) + 1);
    expect(preview.cost).toEqual({ kind: "free" });

    const started = await startCampaign(selection, actor, IP);
    await keepOnlyTargetsOf(started.campaignId, owner.id);
    await runJobsUntilIdle({ kinds: [CAMPAIGN_JOB_KIND] });
    const targets = await db.verificationCampaignTarget.findMany({ where: { campaignId: started.campaignId, customerId: owner.id } });
    expect(targets.map((target) => [target.status, target.reason]).sort()).toEqual([
      ["sent", null],
      ["skipped", "bouncing"],
    ]);
    expect(targets.some((target) => target.emailId === stale.id)).toBe(false);
    const job = await db.backgroundJob.findUniqueOrThrow({ where: { id: started.jobId } });
    expect(job.status).toBe("succeeded");

    const { row, text } = await messageTo(doubtful.normalized);
    expect(row.kind).toBe("security-code.contact_verification");
    expect(isSealed(row.textBody ?? "")).toBe(true);
    const [, token, code] = /\/verify\/contact\?token=([A-Za-z0-9_-]+)#code=(\d{6})/.exec(text)!;
    const challenge = await db.verificationChallenge.findFirstOrThrow({ where: { target: doubtful.normalized } });
    expect(JSON.stringify(challenge)).not.toContain(code!);
    expect(
      JSON.stringify(await db.outboxMessage.findMany({ where: { recipient: doubtful.normalized }, select: { subject: true, textBody: true, htmlBody: true } })),
    ).not.toContain(code!);

    expect(await confirmContact({ token: token!, code: code! }, "198.51.100.7")).toEqual({ ok: true, channel: "email" });
    expect(await campaignCounts(started.campaignId)).toMatchObject({ verified: 1 });
    const listed = (await listCampaigns()).find((campaign) => campaign.id === started.campaignId)!;
    expect(listed.counts.verified).toBe(1);
    expect(listed.skippedBy).toContainEqual({ reason: "bouncing", count: expect.any(Number) });

    // Stale verified addresses: asked again, and a confirmation renews the date.
    const staleCampaign = await startCampaign(criteria({ channel: "email", staleMonths: "24" }), actor, IP);
    await keepOnlyTargetsOf(staleCampaign.campaignId, owner.id);
    await runJobsUntilIdle({ kinds: [CAMPAIGN_JOB_KIND] });
    expect(await db.verificationCampaignTarget.findFirstOrThrow({ where: { campaignId: staleCampaign.campaignId, emailId: stale.id } })).toMatchObject({
      status: "sent",
    });
    const again = await messageTo(stale.normalized);
    const [, staleToken] = /\/verify\/contact\?token=([A-Za-z0-9_-]+)/.exec(again.text)!;
    expect(await confirmContact({ token: staleToken! }, "198.51.100.7")).toMatchObject({ ok: true });
    expect((await db.customerEmail.findUniqueOrThrow({ where: { id: stale.id } })).verifiedAt!.getTime()).toBeGreaterThan(new Date("2021-01-01").getTime());
  });

  it("skips opted-out, capped and landline numbers by SMS, with the cost class, and refuses an empty selection", async () => {
    registerCampaignJobs();
    const actor = await supervisor();
    const selection = criteria({ channel: "sms", doubtful: true });
    const before = await previewCampaign(selection);
    const owner = await customer();
    const [ok, optedOut, capped, abroad] = [mobile(), mobile(), mobile(), "+61491570157"];
    const phone = (e164: string, kind: "mobile" | "fixed" = "mobile") =>
      db.customerPhone.create({ data: { customerId: owner.id, e164, kind, validity: "doubtful" } });
    await phone(ok);
    await phone(optedOut);
    await phone(capped);
    await phone(abroad);
    await phone("+442071838751", "fixed");
    await db.smsOptOut.create({ data: { e164: optedOut } });
    for (let sent = 0; sent < MAX_SMS_PER_NUMBER_PER_DAY; sent += 1) {
      await db.verificationChallenge.create({
        data: { purpose: "phone_verification", channel: "sms", target: capped, codeHash: "x", expiresAt: new Date(Date.now() + 600_000), requestIp: IP },
      });
    }

    const preview = await previewCampaign(selection);
    expect(preview.toSend - before.toSend).toBe(2);
    const delta = (reason: string) =>
      (preview.skipped.find((item) => item.reason === reason)?.count ?? 0) - (before.skipped.find((item) => item.reason === reason)?.count ?? 0);
    expect([delta("opted_out"), delta("daily_cap"), delta("not_mobile")]).toEqual([1, 1, 1]);
    expect(preview.cost).toMatchObject({ kind: "sms", segmentsPerMessage: 1, homeCountry: "GB" });
    if (preview.cost.kind === "sms" && before.cost.kind === "sms") {
      expect(preview.cost.international - before.cost.international).toBe(1);
      expect(preview.cost.domestic - before.cost.domestic).toBe(1);
    }

    const started = await startCampaign(selection, actor, IP);
    await runJobsUntilIdle({ kinds: [CAMPAIGN_JOB_KIND] });
    const targets = await db.verificationCampaignTarget.findMany({ where: { campaignId: started.campaignId, customerId: owner.id } });
    expect(targets.map((target) => target.reason ?? target.status).sort()).toEqual(["daily_cap", "not_mobile", "opted_out", "sent", "sent"]);
    expect(await db.outboxMessage.count({ where: { recipient: ok, channel: "sms" } })).toBe(1);
    expect(await db.outboxMessage.count({ where: { recipient: optedOut } })).toBe(0);
    expect(await db.outboxMessage.count({ where: { recipient: capped } })).toBe(0);

    // Everything doubtful was just asked: a second campaign at once meets the cooldown, target by target, as skips.
    const second = await startCampaign(selection, actor, IP);
    await runJobsUntilIdle({ kinds: [CAMPAIGN_JOB_KIND] });
    const secondTargets = await db.verificationCampaignTarget.findMany({
      where: { campaignId: second.campaignId, customerId: owner.id, reason: "recently_sent" },
    });
    expect(secondTargets.length).toBe(2);

    await expect(startCampaign(criteria({ channel: "sms", invalid: true, unverified: false }), actor, IP)).rejects.toThrow(/No message would be sent/);
  });

  it("refuses a campaign over the size cap with a clear message, starting nothing", async () => {
    const actor = await supervisor();
    const owner = await customer();
    const id = tag();
    await db.$executeRaw`
      INSERT INTO "CustomerEmail" (id, "customerId", address, normalized, validity, "updatedAt")
      SELECT gen_random_uuid(), ${owner.id}::uuid, 'bulk' || n || '.' || ${id} || '@example.com', 'bulk' || n || '.' || ${id} || '@example.com', 'invalid', now()
        FROM generate_series(1, 10001) AS n`;
    const campaigns = await db.verificationCampaign.count();
    const preview = await previewCampaign(criteria({ channel: "email", invalid: true }));
    expect(preview.overCap).toBe(true);
    await expect(startCampaign(criteria({ channel: "email", invalid: true }), actor, IP)).rejects.toThrow(/at most 10,000/);
    expect(await db.verificationCampaign.count()).toBe(campaigns);
    await db.customerEmail.deleteMany({ where: { customerId: owner.id } });
  });
});
