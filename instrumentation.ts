/**
 * Runs once when a Next.js server instance starts, before it serves requests: validates the
 * configuration (one clear sentence naming the bad variable) and starts this instance's
 * background delivery worker. Several instances may run; the worker coordinates through PostgreSQL.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { serverEnv, EnvError } = await import("@/lib/env");
  try {
    const env = serverEnv();
    if (env.OUTBOX_WORKER === "on") {
      const { startOutboxWorker } = await import("@/lib/delivery/worker");
      startOutboxWorker();
    }
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`Veridesk cannot start. ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
