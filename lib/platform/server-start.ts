import { EnvError, serverEnv } from "@/lib/env";
import { startOutboxWorker } from "@/lib/delivery/worker";
import { testClockRefusal } from "@/lib/platform/clock";
import { startSlaJob } from "@/lib/sla/job";

/**
 * Node.js server start-up (called from instrumentation.ts): validate the configuration, with one
 * sentence naming the bad variable, then start this instance's background delivery worker and SLA job.
 */
export function startServerInstance() {
  try {
    const env = serverEnv();
    const clockRefusal = testClockRefusal(env);
    if (clockRefusal) throw new EnvError([clockRefusal]);
    if (env.VERIDESK_TEST_CLOCK) console.warn("[clock] VERIDESK_TEST_CLOCK is on: tests may move this app's clock (never use it for real work).");
    if (env.OUTBOX_WORKER === "on") startOutboxWorker();
    if (env.SLA_JOB === "on") startSlaJob();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`Veridesk cannot start. ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
