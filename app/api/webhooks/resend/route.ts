import { publicRoute } from "@/platform/auth/guard";
import { serverEnv } from "@/platform/env";
import { handleResendDeliveryWebhook } from "@/features/tickets/delivery-events";

export const dynamic = "force-dynamic";

// Public on purpose: Resend calls it without a session. Every delivery is authenticated by its
// Svix signature (RESEND_WEBHOOK_SECRET) and refused with 401 when forged or older than 5 minutes;
// replays are recognised by their svix-id (features/tickets/delivery-events.ts).
export const POST = publicRoute(async (request) => {
  const env = serverEnv();
  return handleResendDeliveryWebhook(request, { secret: env.RESEND_WEBHOOK_SECRET, apiKey: env.RESEND_API_KEY });
});
