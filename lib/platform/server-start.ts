import { EnvError, serverEnv } from "@/lib/env";
import { startOutboxWorker } from "@/lib/delivery/worker";

/**
 * Node.js server start-up (called from instrumentation.ts): validate the configuration, with one
 * sentence naming the bad variable, then start this instance's background delivery worker.
 */
export function startServerInstance() {
  try {
    const env = serverEnv();
    if (env.OUTBOX_WORKER === "on") startOutboxWorker();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`Veridesk cannot start. ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
