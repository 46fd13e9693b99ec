import { EnvError, serverEnv } from "@/platform/env";
import { startOutboxKickRunner, startOutboxWorker } from "@/platform/outbox/worker";
import { testClockRefusal } from "@/platform/clock";

/**
 * Node.js server start-up (called from instrumentation.ts): validate the configuration, with one
 * sentence naming the bad variable, then start this instance's background delivery worker and the
 * features' background jobs (instrumentation.ts passes them in, so platform imports no feature).
 */
export function startServerInstance(jobs: { slaJob: () => void; backgroundJobs: () => void }) {
  try {
    const env = serverEnv();
    const clockRefusal = testClockRefusal(env);
    if (clockRefusal) throw new EnvError([clockRefusal]);
    if (env.VERIDESK_TEST_CLOCK) console.warn("[clock] VERIDESK_TEST_CLOCK is on: tests may move this app's clock (never use it for real work).");
    // With several workers per instance (scripts/next-server.mjs), only the one the cluster primary
    // marked runs the background jobs; a single process (no mark) runs them as before.
    // The others still deliver what they enqueue at once (kicks), without a loop of their own.
    if (process.env.VERIDESK_JOBS_WORKER === "0") {
      if (env.OUTBOX_WORKER === "on") startOutboxKickRunner();
      return;
    }
    if (env.OUTBOX_WORKER === "on") startOutboxWorker();
    if (env.SLA_JOB === "on") jobs.slaJob();
    if (env.BACKGROUND_JOBS === "on") jobs.backgroundJobs();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`Veridesk cannot start. ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
