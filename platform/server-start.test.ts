import { afterEach, describe, expect, it, vi } from "vitest";

const outbox = vi.hoisted(() => ({ started: 0, kickRunners: 0 }));
vi.mock("@/platform/outbox/worker", () => ({
  startOutboxWorker: () => void (outbox.started += 1),
  startOutboxKickRunner: () => void (outbox.kickRunners += 1),
}));

const { startServerInstance } = await import("@/platform/server-start");

describe("startServerInstance", () => {
  afterEach(() => {
    delete process.env.VERIDESK_JOBS_WORKER;
    outbox.started = 0;
    outbox.kickRunners = 0;
  });

  it("runs the SLA job, background jobs and the outbox worker in a single process and in the cluster worker marked for them, in no other", () => {
    const slaJob = vi.fn();
    const backgroundJobs = vi.fn();
    startServerInstance({ slaJob, backgroundJobs });
    expect([slaJob.mock.calls.length, backgroundJobs.mock.calls.length, outbox.started]).toEqual([1, 1, 1]);

    process.env.VERIDESK_JOBS_WORKER = "1";
    startServerInstance({ slaJob, backgroundJobs });
    expect([slaJob.mock.calls.length, backgroundJobs.mock.calls.length, outbox.started]).toEqual([2, 2, 2]);

    process.env.VERIDESK_JOBS_WORKER = "0";
    startServerInstance({ slaJob, backgroundJobs });
    expect([slaJob.mock.calls.length, backgroundJobs.mock.calls.length, outbox.started]).toEqual([2, 2, 2]);
    // …which still delivers its own kicks at once.
    expect(outbox.kickRunners).toBe(1);
  });
});
