import { publicRoute } from "@/platform/auth/guard";
import { publicBaseUrl, serverEnv } from "@/platform/env";
import { handleTwilioInboundSms } from "@/features/sms/inbound-sms";

export const dynamic = "force-dynamic";

// Public on purpose: Twilio posts texts sent to our number without a session. Every request is
// authenticated by its X-Twilio-Signature (TWILIO_AUTH_TOKEN over the public URL and the sorted
// parameters) and refused with 403 when forged; replays are recognised by their MessageSid
// (features/sms/inbound-sms.ts). Configure this URL as the number's "A message comes in" webhook.
export const POST = publicRoute(async (request) => {
  const env = serverEnv();
  return handleTwilioInboundSms(request, {
    authToken: env.TWILIO_AUTH_TOKEN,
    fromNumber: env.TWILIO_FROM_NUMBER,
    publicUrl: `${publicBaseUrl(env)}/api/webhooks/twilio/sms`,
  });
});
