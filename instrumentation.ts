/**
 * Runs once when a Next.js server instance starts, before it serves requests. Several instances
 * may run; what they share (sessions, limits, the outbox) lives in PostgreSQL.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startServerInstance } = await import("./platform/server-start");
    const { startSlaJob } = await import("./features/sla/job");
    startServerInstance({ slaJob: startSlaJob });
  }
}
