import { randomInt, randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { type LoopbackDnsServer, startLoopbackDnsServer } from "@/platform/dns/loopback-dns-server";
import { createNodeResolver } from "@/platform/dns/mail-domains";
import { checkpointJob, claimNextJob, JobInterrupted } from "@/platform/jobs/queue";
import { registerJobHandler, runJobsUntilIdle } from "@/platform/jobs/runner";
import { nextNightlyRunAt, nightlyDedupeKey, scheduleNightlyValidation } from "./nightly";
import { contactValidationHandler, startValidationRun, VALIDATION_JOB_KIND, type ValidationCounts } from "./run";

/**
 * The validation job on the real database (shared with other test files: assertions name this
 * file's own contacts, and totals are compared with the tables' own counts) and a real DNS server
 * on loopback.
 */
let dns: LoopbackDnsServer;
const tag = randomUUID().slice(0, 8);
const ok = `ok-${tag}.test`;
const gone = `gone-${tag}.test`;
const noMail = `nomail-${tag}.test`;

beforeAll(async () => {
  dns = await startLoopbackDnsServer((name) => {
    if (name === gone) return undefined;
    if (name === noMail) return {};
    return { mx: [{ exchange: `mx.${name}`, priority: 10 }] };
  });
});
afterAll(async () => {
  await dns.close();
});
beforeEach(async () => {
  // No run of an earlier (failed) test may still look active.
  await db.backgroundJob.updateMany({ where: { kind: VALIDATION_JOB_KIND, status: { in: ["queued", "running"] } }, data: { status: "cancelled" } });
});

const useHandler = (batchSize = 2_000) =>
  registerJobHandler(VALIDATION_JOB_KIND, contactValidationHandler({ resolver: createNodeResolver({ servers: [dns.address], timeoutMs: 500 }), batchSize }));

async function supervisor() {
  return db.user.create({ data: { email: `sup-${randomUUID()}@example.com`, name: "Sue Pervisor", role: "supervisor", emailVerifiedAt: new Date() } });
}

async function customer(
  name: string,
  options: {
    organisationId?: string;
    emails?: { address: string; verified?: boolean; deliverability?: "bouncing" }[];
    phones?: { e164: string; kind?: "mobile" | "fixed" }[];
  } = {},
) {
  const id = randomUUID().slice(0, 8);
  const created = await db.customer.create({
    data: {
      accountNumber: `VAL-${id}`,
      name,
      organisationId: options.organisationId ?? null,
      emails: {
        create: (options.emails ?? []).map((email, i) => ({
          address: email.address,
          normalized: email.address.trim().toLowerCase(),
          isPrimary: i === 0,
          verifiedAt: email.verified ? new Date("2026-01-01T00:00:00Z") : null,
          deliverability: email.deliverability ?? "unknown",
        })),
      },
      phones: { create: (options.phones ?? []).map((phone) => ({ e164: phone.e164, kind: phone.kind ?? "mobile" })) },
    },
    include: { emails: true, phones: true },
  });
  // In the order given: an include comes back in whatever order the table's pages hold the rows.
  const byAddress = (address: string) => created.emails.find((email) => email.address === address)!;
  const byNumber = (e164: string) => created.phones.find((phone) => phone.e164 === e164)!;
  return {
    ...created,
    emails: (options.emails ?? []).map((email) => byAddress(email.address)),
    phones: (options.phones ?? []).map((phone) => byNumber(phone.e164)),
  };
}

describe("the contact-validation job", () => {
  it("gives every address and number its verdict and reasons, fills the run's counts, keeps verification, and asks DNS once per domain", async () => {
    useHandler();
    const actor = await supervisor();
    const org = await db.organisation.create({ data: { name: `Dup Org ${tag}`, normalizedName: `dup org ${tag}` } });
    const good = await customer("Good Person", {
      emails: [{ address: `jane@${ok}`, verified: true }, { address: `info@${ok}` }],
      // Its own number: another test's customer may hold any fixed one.
      phones: [{ e164: `+4474${randomInt(10_000_000, 100_000_000)}` }],
    });
    const bad = await customer("Bad Person", {
      emails: [{ address: `x@${gone}` }, { address: `y@${noMail}` }, { address: `z@${ok}`, deliverability: "bouncing" }],
      phones: [{ e164: "+442071838750", kind: "mobile" }],
    });
    const twinA = await customer(`Twin ${tag}`, { organisationId: org.id, phones: [{ e164: "+447400999111", kind: "mobile" }] });
    const twinB = await customer(` twin ${tag.toUpperCase()} `.toLowerCase(), { organisationId: org.id, phones: [{ e164: "+447400999111", kind: "mobile" }] });

    const before = dns.queries.length;
    const { runId, jobId } = await startValidationRun({ userId: actor.id, role: "supervisor" }, "203.0.113.9");
    expect(await runJobsUntilIdle({ kinds: [VALIDATION_JOB_KIND] })).toEqual([jobId]);

    const email = async (id: string) => db.customerEmail.findUniqueOrThrow({ where: { id } });
    const phone = async (id: string) => db.customerPhone.findUniqueOrThrow({ where: { id } });
    expect(await email(good.emails[0]!.id)).toMatchObject({ validity: "valid", validityReasons: [], verifiedAt: new Date("2026-01-01T00:00:00Z") });
    expect(await email(good.emails[1]!.id)).toMatchObject({ validity: "doubtful", validityReasons: ["email_role_address"] });
    expect(await email(bad.emails[0]!.id)).toMatchObject({ validity: "invalid", validityReasons: ["email_domain_not_found"] });
    expect(await email(bad.emails[1]!.id)).toMatchObject({ validity: "invalid", validityReasons: ["email_no_mail_host"] });
    expect(await email(bad.emails[2]!.id)).toMatchObject({ validity: "invalid", validityReasons: ["email_bouncing"] });
    expect((await email(good.emails[0]!.id)).validatedAt).not.toBeNull();
    expect(await phone(good.phones[0]!.id)).toMatchObject({ validity: "valid", validityReasons: [], lineType: "MOBILE" });
    expect(await phone(bad.phones[0]!.id)).toMatchObject({ validity: "doubtful", validityReasons: ["phone_landline_as_mobile"], lineType: "FIXED_LINE" });
    expect(await phone(twinA.phones[0]!.id)).toMatchObject({ validity: "doubtful", validityReasons: ["phone_duplicate"] });
    expect(await phone(twinB.phones[0]!.id)).toMatchObject({ validity: "doubtful", validityReasons: ["phone_duplicate"] });

    // DNS: each of this test's domains asked once (MX; A/AAAA only where there was no MX).
    const asked = dns.queries.slice(before);
    expect(asked.filter((question) => question === `MX ${ok}`)).toHaveLength(1);
    expect(asked.filter((question) => question === `MX ${gone}`)).toHaveLength(1);
    expect(asked.filter((question) => question.endsWith(noMail)).sort()).toEqual([`A ${noMail}`, `AAAA ${noMail}`, `MX ${noMail}`]);

    const run = await db.validationRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.finishedAt).not.toBeNull();
    expect(run.trigger).toBe("manual");
    const counts = run.counts as unknown as ValidationCounts;
    expect(counts.email.total).toBe(await db.customerEmail.count());
    expect(counts.phone.total).toBe(await db.customerPhone.count());
    // A verified contact is counted once, as verified, as the report's live figures count it.
    expect(counts.email.verified + counts.email.valid + counts.email.doubtful + counts.email.invalid).toBe(counts.email.total);
    expect(counts.email.valid).toBe(await db.customerEmail.count({ where: { validity: "valid", verifiedAt: null } }));
    expect(counts.phone.doubtful).toBe(await db.customerPhone.count({ where: { validity: "doubtful", verifiedAt: null } }));
    expect(counts.email.verified).toBe(await db.customerEmail.count({ where: { verifiedAt: { not: null } } }));
    expect(counts.email.reasons.email_domain_not_found).toBe(await db.customerEmail.count({ where: { validityReasons: { has: "email_domain_not_found" } } }));
    expect(counts.duplicates.phones).toBe(await db.customerPhone.count({ where: { validityReasons: { has: "phone_duplicate" } } }));
    expect(counts.duplicates.phones).toBeGreaterThanOrEqual(2);
    expect(counts.duplicates.customers).toBeGreaterThanOrEqual(2);
    const job = await db.backgroundJob.findUniqueOrThrow({ where: { id: jobId } });
    expect(job).toMatchObject({
      status: "succeeded",
      progressDone: counts.email.total + counts.phone.total,
      progressTotal: counts.email.total + counts.phone.total,
    });
    expect(await db.auditEvent.count({ where: { action: "data_quality.validation_started", subjectId: runId, actorUserId: actor.id } })).toBe(1);

    // A merged-away twin no longer makes the number a duplicate.
    await db.customer.update({ where: { id: twinB.id }, data: { mergedIntoId: twinA.id } });
    await startValidationRun({ userId: actor.id, role: "supervisor" });
    await runJobsUntilIdle({ kinds: [VALIDATION_JOB_KIND] });
    expect((await phone(twinA.phones[0]!.id)).validityReasons).toEqual([]);
  });

  it("refuses a second run while one is going", async () => {
    const actor = await supervisor();
    await startValidationRun({ userId: actor.id, role: "supervisor" });
    await expect(startValidationRun({ userId: actor.id, role: "supervisor" })).rejects.toThrow(/already going/);
    const results = await Promise.allSettled([1, 2, 3].map(() => startValidationRun({ userId: actor.id, role: "supervisor" })));
    expect(results.every((result) => result.status === "rejected")).toBe(true);
    expect(await db.backgroundJob.count({ where: { kind: VALIDATION_JOB_KIND, status: "queued", createdById: actor.id } })).toBe(1);
  });

  it("resumes from its last checkpoint after losing its runner, without counting a contact twice", async () => {
    await customer("Resume One", { emails: Array.from({ length: 5 }, (_, i) => ({ address: `r${i}@${ok}` })), phones: [{ e164: "+447400555001" }] });
    const actor = await supervisor();
    // A run validates every contact in the database, which other test files share: batches sized to
    // make about eight of them keep this test's time flat however many contacts the suite has made
    // by now (batches of 3 over a few thousand contacts took longer than the test's timeout).
    const contacts = (await db.customerEmail.count()) + (await db.customerPhone.count());
    const handler = contactValidationHandler({ resolver: null, batchSize: Math.max(3, Math.ceil(contacts / 8)) });

    // A full run first, for the expected counts.
    registerJobHandler(VALIDATION_JOB_KIND, handler);
    const first = await startValidationRun({ userId: actor.id, role: "supervisor" });
    await runJobsUntilIdle({ kinds: [VALIDATION_JOB_KIND] });
    const expected = (await db.validationRun.findUniqueOrThrow({ where: { id: first.runId } })).counts as unknown as ValidationCounts;

    // Then one whose runner dies after its second batch.
    const second = await startValidationRun({ userId: actor.id, role: "supervisor" });
    const claimed = await claimNextJob([VALIDATION_JOB_KIND], "runner-a", 60_000);
    expect(claimed?.id).toBe(second.jobId);
    let checkpoints = 0;
    await expect(
      handler({
        job: claimed!,
        owner: "runner-a",
        checkpoint: async (update) => {
          checkpoints += 1;
          if (checkpoints === 3) throw new JobInterrupted("lease_lost");
          await checkpointJob(claimed!.id, update, "runner-a", 60_000);
        },
      }),
    ).rejects.toBeInstanceOf(JobInterrupted);
    const saved = await db.backgroundJob.findUniqueOrThrow({ where: { id: second.jobId } });
    // It stopped part-way, with its counts so far saved beside the last id.
    expect(saved.progressDone).toBeGreaterThanOrEqual(3);
    expect(saved.progressDone).toBeLessThan(saved.progressTotal!);
    expect(saved.checkpoint).toMatchObject({ done: saved.progressDone });
    const midway = (await db.validationRun.findUniqueOrThrow({ where: { id: second.runId } })).counts as unknown as ValidationCounts;
    expect(midway.email.total + midway.phone.total).toBe(saved.progressDone);

    const lastId = (saved.checkpoint as { lastId: string }).lastId;
    const firstDone = await db.customerEmail.findFirstOrThrow({ where: { id: { lte: lastId } }, orderBy: { id: "asc" } });

    // Another runner takes it over once the lease has run out, and finishes from there.
    await db.backgroundJob.update({ where: { id: second.jobId }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });
    expect(await runJobsUntilIdle({ kinds: [VALIDATION_JOB_KIND], owner: "runner-b" })).toEqual([second.jobId]);
    const resumed = await db.validationRun.findUniqueOrThrow({ where: { id: second.runId } });
    expect(resumed.finishedAt).not.toBeNull();
    expect(resumed.counts).toEqual(expected);
    // From there, not from the start: a contact before the checkpoint was not validated again.
    expect((await db.customerEmail.findUniqueOrThrow({ where: { id: firstDone.id } })).validatedAt).toEqual(firstDone.validatedAt);
  });
});

describe("the nightly run", () => {
  it("is enqueued once per night however many instances ask, at the configured hour", async () => {
    const now = new Date("2031-05-06T13:00:00Z");
    expect(nextNightlyRunAt(now, 2)).toEqual(new Date("2031-05-07T02:00:00Z"));
    expect(nextNightlyRunAt(new Date("2031-05-06T01:59:00Z"), 2)).toEqual(new Date("2031-05-06T02:00:00Z"));
    try {
      const jobs = await Promise.all([1, 2, 3, 4].map(() => scheduleNightlyValidation(now, 2)));
      expect(new Set(jobs.map((job) => job.id)).size).toBe(1);
      expect(jobs[0]).toMatchObject({
        kind: VALIDATION_JOB_KIND,
        dedupeKey: nightlyDedupeKey(new Date("2031-05-07T02:00:00Z")),
        runAfter: new Date("2031-05-07T02:00:00Z"),
      });
      expect(jobs[0]!.payload).toEqual({ trigger: "nightly" });
      // Asked again later the same day: the same job. The next night: a new one.
      expect((await scheduleNightlyValidation(new Date("2031-05-06T23:00:00Z"), 2)).id).toBe(jobs[0]!.id);
      expect((await scheduleNightlyValidation(new Date("2031-05-07T02:30:00Z"), 2)).id).not.toBe(jobs[0]!.id);
      // A run queued for a later night does not block a supervisor's run now.
      const actor = await supervisor();
      await expect(startValidationRun({ userId: actor.id, role: "supervisor" })).resolves.toMatchObject({ jobId: expect.any(String) });
    } finally {
      await db.backgroundJob.deleteMany({ where: { dedupeKey: { startsWith: "contact-validation.nightly:2031-05-" } } });
    }
  });
});
