/**
 * Runs once when a Next.js server instance starts, before it serves requests. Several instances
 * may run; what they share (sessions, limits, the outbox) lives in PostgreSQL.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startServerInstance } = await import("./platform/server-start");
    const { startSlaJob } = await import("./features/sla/job");
    const { startBackgroundJobs } = await import("./features/background-jobs");
    const { registerTicketEmailAttachments } = await import("./features/tickets/attachment-files");
    const { registerWebhookDelivery } = await import("./features/webhooks/delivery");
    // Before the outbox starts: emails with ticket attachments must find their files, webhooks their sender.
    registerTicketEmailAttachments();
    registerWebhookDelivery();
    startServerInstance({ slaJob: startSlaJob, backgroundJobs: startBackgroundJobs });
  }
}
