import type { DeliveryChannel } from "@/platform/db/client";
import { serverEnv, type ServerEnv } from "@/platform/env";
import { createDevMailboxTransport } from "./dev-mailbox";
import { createResendTransport } from "./resend";
import type { Transport } from "./transport";
import { createTwilioTransport } from "./twilio";

export { DeliveryError, isRetryableHttpStatus, type OutgoingMessage, type SendResult, type Transport } from "./transport";
export { createResendTransport, type ResendTransportConfig } from "./resend";
export { createTwilioTransport, type TwilioTransportConfig } from "./twilio";
export { createDevMailboxTransport, type DevMailboxTransportConfig } from "./dev-mailbox";
export { senderDisplayName, senderWithName } from "./sender";

export class TransportNotConfiguredError extends Error {
  constructor(channel: DeliveryChannel) {
    super(
      channel === "email"
        ? "No email provider: set RESEND_API_KEY (or VERIDESK_DEMO=1 for the development mailbox)."
        : channel === "sms"
          ? "No SMS provider: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER (or VERIDESK_DEMO=1 for the development mailbox)."
          : "No webhook sender in this process: the server registers it at start-up (features/webhooks).",
    );
    this.name = "TransportNotConfiguredError";
  }
}

function devMailbox(env: ServerEnv): Transport {
  return createDevMailboxTransport({ emailSender: env.EMAIL_FROM, smsSender: env.TWILIO_FROM_NUMBER ?? "Veridesk" });
}

const globalForTransports = globalThis as unknown as { veridesk_webhookTransport?: Transport };

/**
 * Outgoing webhooks are sent by a transport the webhooks feature provides (it reads the endpoint
 * and its secrets); the server registers it at start-up, as platform code may not import features.
 */
export function registerWebhookTransport(transport: Transport): void {
  globalForTransports.veridesk_webhookTransport = transport;
}

/**
 * The provider for a channel: Resend / Twilio when their keys are set (even in demo mode), else
 * the development mailbox, but only in demo mode. Outside demo mode a missing key is a
 * configuration error (env validation normally refuses to start in that state).
 */
export function transportFor(channel: DeliveryChannel, env: ServerEnv = serverEnv()): Transport {
  if (channel === "webhook") {
    if (globalForTransports.veridesk_webhookTransport) return globalForTransports.veridesk_webhookTransport;
    throw new TransportNotConfiguredError(channel);
  }
  if (channel === "email") {
    if (env.RESEND_API_KEY) return createResendTransport({ apiKey: env.RESEND_API_KEY, from: env.EMAIL_FROM, baseUrl: env.RESEND_BASE_URL });
  } else if (env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM_NUMBER) {
    return createTwilioTransport({
      accountSid: env.TWILIO_ACCOUNT_SID,
      authToken: env.TWILIO_AUTH_TOKEN,
      fromNumber: env.TWILIO_FROM_NUMBER,
      baseUrl: env.TWILIO_BASE_URL,
    });
  }
  if (env.VERIDESK_DEMO) return devMailbox(env);
  throw new TransportNotConfiguredError(channel);
}
