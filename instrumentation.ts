/**
 * Runs once when a Next.js server instance starts, before it serves requests. Several instances
 * may run; what they share (sessions, limits, the outbox) lives in PostgreSQL.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startServerInstance } = await import("./platform/server-start");
    const { startSlaJob } = await import("./features/sla/job");
    const { registerTicketEmailAttachments } = await import("./features/tickets/attachment-files");
    // Before the outbox starts: emails with ticket attachments must find their files.
    registerTicketEmailAttachments();
    startServerInstance({ slaJob: startSlaJob });
  }
}
