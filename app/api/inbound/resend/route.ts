import { publicRoute } from "@/platform/auth/guard";
import { serverEnv } from "@/platform/env";
import { handleResendInbound } from "@/features/tickets/inbound/inbound-http";

export const dynamic = "force-dynamic";

// Public on purpose: Resend's "email.received" webhook calls it without a session. Every delivery
// is authenticated by its Svix signature (RESEND_WEBHOOK_SECRET), 401 when forged or stale; the
// email itself is then fetched from Resend's API with our key (features/tickets/inbound/inbound-resend.ts).
export const POST = publicRoute(async (request) => {
  const env = serverEnv();
  return handleResendInbound(request, { webhookSecret: env.RESEND_WEBHOOK_SECRET, apiKey: env.RESEND_API_KEY });
});
